//! What every module's list shares: reading its query (a blank field is no filter, a page
//! number within bounds), the query string its links keep, the school and township filters
//! within the user's scope, and the pager's links.

use super::ctx::Authed;
use super::fields::Choice;
use super::state::State;
use crate::error::AppError;
use crate::store::{pick, townships};

/// A query field as given: trimmed, and absent when blank.
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The page asked for (1-based), 1 for anything else.
pub fn page_number(v: &Option<String>) -> i64 {
    given(v)
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1)
}

/// How many pages `total` rows fill, at least one.
pub fn pages(total: i64, page_size: i64) -> i64 {
    ((total + page_size - 1) / page_size).max(1)
}

/// The given fields as a query string, for links that keep the filters.
pub fn query_string(pairs: &[(&str, &Option<String>)]) -> String {
    let mut enc = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = given(v) {
            enc.append_pair(k, v);
        }
    }
    enc.finish()
}

/// `path` with the list's query and one more pair (a page), or just the query.
pub fn link(path: &str, query: &str, extra: Option<(&str, i64)>) -> String {
    let extra = extra.map(|(k, v)| format!("{k}={v}"));
    match (query.is_empty(), extra) {
        (true, None) => path.to_string(),
        (true, Some(e)) => format!("{path}?{e}"),
        (false, None) => format!("{path}?{query}"),
        (false, Some(e)) => format!("{path}?{query}&{e}"),
    }
}

/// A part of a listed text, marked when it is one of the words searched for.
pub struct Mark {
    pub text: String,
    pub hit: bool,
}

/// A listed text cut for highlighting the list's search `q` (no search: one unmarked part).
pub fn marked(text: &str, q: &Option<String>) -> Vec<Mark> {
    let words = given(q)
        .and_then(crate::domain::search::query)
        .map(|q| q.words)
        .unwrap_or_default();
    crate::domain::search::highlight(text, &words)
        .into_iter()
        .map(|(text, hit)| Mark { text, hit })
        .collect()
}

/// Options whose words are data (schools, townships), the chosen one marked.
pub fn plain_choices(rows: Vec<(String, String)>, selected: &Option<String>) -> Vec<Choice> {
    rows.into_iter()
        .map(|(value, label)| Choice {
            selected: selected.as_deref() == Some(value.as_str()),
            value,
            label,
            keyed: false,
        })
        .collect()
}

/// The school a list's `school=` names (its code, or its exact name as typed in the picker),
/// if the user may see it: another school's is not found for a school user, as an unknown one
/// is for everyone.
pub async fn school_filter(state: &State, a: &Authed, code: &str) -> Result<i64, AppError> {
    let code = code.to_string();
    let school = state
        .db(move |conn| Ok(pick::find_code_or_name(conn, &code)?))
        .await?;
    match school {
        Some(s) if a.actor().sees_school(s.id) => Ok(s.id),
        _ => Err(AppError::NotFound),
    }
}

/// A township the county has; any other name is a bad filter (422).
pub async fn township_filter(state: &State, name: &str) -> Result<String, AppError> {
    let known = state.db(|conn| Ok(townships::list(conn)?)).await?;
    if known.iter().any(|k| k.name == name) {
        Ok(name.to_string())
    } else {
        Err(AppError::Invalid("error.bad_filter"))
    }
}

/// The filter bar's school and township options, for county roles (none for a school user):
/// bounded whatever the county's size (`store::pick`); the chosen ones are always among them.
pub async fn school_and_township_choices(
    state: &State,
    a: &Authed,
    school: &Option<String>,
    township: &Option<String>,
) -> Result<(Vec<Choice>, Vec<Choice>), AppError> {
    if a.actor().is_school_scoped() {
        return Ok((Vec::new(), Vec::new()));
    }
    let (chosen_school, chosen_town) = (
        given(school).map(str::to_string),
        given(township).map(str::to_string),
    );
    let (s, t) = state
        .db(move |conn| {
            Ok((
                pick::options(conn, chosen_town.as_deref(), chosen_school.as_deref())?,
                pick::township_options(conn, chosen_town.as_deref())?,
            ))
        })
        .await?;
    Ok((
        plain_choices(s, school),
        plain_choices(t.into_iter().map(|t| (t.clone(), t)).collect(), township),
    ))
}

/// A new record's school: a school user's own, whatever the form says; for the bureau the
/// active school the form names, or the form's error at `school`.
pub async fn school_for_new(
    state: &State,
    a: &Authed,
    code: &str,
) -> Result<Result<i64, crate::domain::validate::FieldError>, AppError> {
    if let Some(id) = a.user.school_id.filter(|_| a.actor().is_school_scoped()) {
        return Ok(Ok(id));
    }
    let code = code.trim().to_string();
    let found = state
        .db(move |conn| Ok(pick::find_code_or_name(conn, &code)?))
        .await?;
    Ok(match found {
        Some(s) if s.active => Ok(s.id),
        _ => Err(crate::domain::validate::FieldError::new(
            "school",
            "error.unknown_school",
        )),
    })
}

/// The school picker's options on a new record's form: for county roles the active schools
/// (bounded as a filter's are), the chosen one among them; none for a school user (their own
/// school is implied).
pub async fn school_choices(
    state: &State,
    a: &Authed,
    selected: &str,
) -> Result<Option<Vec<Choice>>, AppError> {
    if a.actor().is_school_scoped() {
        return Ok(None);
    }
    let chosen = Some(selected.trim().to_string()).filter(|s| !s.is_empty());
    let rows = state
        .db(move |conn| Ok(pick::options(conn, None, chosen.as_deref())?))
        .await?;
    Ok(Some(plain_choices(rows, &Some(selected.to_string()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_are_no_filter_and_pages_stay_in_bounds() {
        assert_eq!(given(&Some("  ".into())), None);
        assert_eq!(given(&Some(" D ".into())), Some("D"));
        for (raw, want) in [("3", 3), ("0", 1), ("-2", 1), ("abc", 1), ("100001", 1)] {
            assert_eq!(page_number(&Some(raw.into())), want, "{raw}");
        }
        assert_eq!((pages(0, 50), pages(50, 50), pages(51, 50)), (1, 1, 2));
    }

    #[test]
    fn links_keep_the_query_and_encode_it() {
        let q = query_string(&[("q", &Some("3号楼 & 宿舍".into())), ("grade", &None)]);
        assert_eq!(q, "q=3%E5%8F%B7%E6%A5%BC+%26+%E5%AE%BF%E8%88%8D");
        assert_eq!(link("/b", &q, Some(("page", 2))), format!("/b?{q}&page=2"));
        assert_eq!(link("/b", "", Some(("page", 2))), "/b?page=2");
        assert_eq!(link("/b.csv", "", None), "/b.csv");
    }
}
