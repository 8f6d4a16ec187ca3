//! The text search's index: each searchable record's terms and folded text, written in the
//! record's own transaction (`reindex`), rebuilt for existing records when the terms' rules
//! change (`ensure_index`), and looked up by every list's text filter (`matching`). The terms
//! are plain rows of one B-tree on both databases, so both find the same records by
//! construction; `domain::search` says what the terms are.

use diesel::prelude::*;

use crate::db::schema::{
    buildings, education_sessions as es, hazards, legal_vps as lv, schools, search_docs as sd,
    search_terms as st, townships,
};
use crate::db::{DbConn, write_tx};
use crate::domain::audit::RecordKind;
use crate::domain::search;

/// Raised whenever `domain::search` or a kind's texts change: the index is then rebuilt once.
const INDEX_VERSION: &str = "1";
const VERSION_SETTING: &str = "search_index_version";
/// The kinds with a text search.
pub const KINDS: [RecordKind; 5] = [
    RecordKind::Hazard,
    RecordKind::Building,
    RecordKind::Education,
    RecordKind::LegalVp,
    RecordKind::School,
];
const BATCH: usize = 500;

/// A record's texts: the head (its title, which ranks a hit first) and the rest.
struct Doc {
    id: i64,
    head: String,
    body: Vec<String>,
}

/// The texts of these records of a kind, as the index keeps them.
fn docs(conn: &mut DbConn, kind: RecordKind, ids: &[i64]) -> QueryResult<Vec<Doc>> {
    let doc = |id, head, body| Doc { id, head, body };
    Ok(match kind {
        RecordKind::Hazard => hazards::table
            .filter(hazards::id.eq_any(ids))
            .select((
                hazards::id,
                hazards::title,
                hazards::description,
                hazards::location,
                hazards::ref_no,
            ))
            .load::<(i64, String, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, t, d, l, r)| doc(id, t, vec![d, l, r]))
            .collect(),
        RecordKind::Building => buildings::table
            .filter(buildings::id.eq_any(ids))
            .select((buildings::id, buildings::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .map(|(id, n)| doc(id, n, Vec::new()))
            .collect(),
        RecordKind::Education => es::table
            .filter(es::id.eq_any(ids))
            .select((es::id, es::note))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .map(|(id, n)| doc(id, n, Vec::new()))
            .collect(),
        RecordKind::LegalVp => lv::table
            .filter(lv::id.eq_any(ids))
            .select((lv::id, lv::name, lv::unit_name))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, n, u)| doc(id, n, vec![u]))
            .collect(),
        RecordKind::School => schools::table
            .left_join(townships::table)
            .filter(schools::id.eq_any(ids))
            .select((
                schools::id,
                schools::name,
                schools::code,
                townships::name.nullable(),
            ))
            .load::<(i64, String, String, Option<String>)>(conn)?
            .into_iter()
            .map(|(id, n, c, t)| doc(id, n, vec![c, t.unwrap_or_default()]))
            .collect(),
        _ => Vec::new(),
    })
}

/// Writes these records' entries anew (records gone lose theirs). Call it in the transaction
/// that wrote the records.
pub fn reindex(conn: &mut DbConn, kind: RecordKind, ids: &[i64]) -> QueryResult<()> {
    let k = kind.as_str();
    diesel::delete(
        st::table
            .filter(st::record_kind.eq(k))
            .filter(st::record_id.eq_any(ids)),
    )
    .execute(conn)?;
    diesel::delete(
        sd::table
            .filter(sd::record_kind.eq(k))
            .filter(sd::record_id.eq_any(ids)),
    )
    .execute(conn)?;
    for d in docs(conn, kind, ids)? {
        let texts = std::iter::once(d.head.as_str()).chain(d.body.iter().map(String::as_str));
        let rows: Vec<_> = search::index_terms(texts)
            .into_iter()
            .map(|t| {
                (
                    st::record_kind.eq(k),
                    st::term.eq(t),
                    st::record_id.eq(d.id),
                )
            })
            .collect();
        // Statements of many rows (a long text has thousands of terms, within the bind
        // limits); the multi-backend connection has no batch insert of its own.
        for chunk in rows.chunks(300) {
            let insert = diesel::insert_into(st::table).values(chunk);
            match conn {
                DbConn::Sqlite(c) => insert.execute(c)?,
                DbConn::Pg(c) => insert.execute(c)?,
            };
        }
        diesel::insert_into(sd::table)
            .values((
                sd::record_kind.eq(k),
                sd::record_id.eq(d.id),
                sd::head.eq(search::fold(&d.head)),
                sd::body.eq(search::fold(&d.body.join("\n"))),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Builds the index for every record when it was made by other rules (or never): once after
/// an upgrade. Returns how many records it indexed.
pub fn ensure_index(conn: &mut DbConn) -> QueryResult<usize> {
    if super::settings::get(conn, VERSION_SETTING)?.as_deref() == Some(INDEX_VERSION) {
        return Ok(0);
    }
    let mut done = 0;
    for kind in KINDS {
        let ids = all_ids(conn, kind)?;
        for batch in ids.chunks(BATCH) {
            write_tx(conn, |conn| reindex(conn, kind, batch))?;
            done += batch.len();
        }
    }
    write_tx(conn, |conn| {
        super::settings::set(conn, VERSION_SETTING, INDEX_VERSION)
    })?;
    Ok(done)
}

fn all_ids(conn: &mut DbConn, kind: RecordKind) -> QueryResult<Vec<i64>> {
    match kind {
        RecordKind::Hazard => hazards::table.select(hazards::id).load(conn),
        RecordKind::Building => buildings::table.select(buildings::id).load(conn),
        RecordKind::Education => es::table.select(es::id).load(conn),
        RecordKind::LegalVp => lv::table.select(lv::id).load(conn),
        RecordKind::School => schools::table.select(schools::id).load(conn),
        _ => Ok(Vec::new()),
    }
}

/// Narrows a boxed query over a searchable table (`$id` its id column) to the records of
/// `$kind` matching a `domain::search::Query`: every term's prefix among the record's terms,
/// and every word its terms do not prove in its folded text. A macro, as the subqueries must keep their concrete
/// types (a boxed subquery does not run on the multi-backend connection).
macro_rules! text_filter {
    ($q:expr, $id:expr, $kind:expr, $query:expr) => {{
        use $crate::db::schema::{search_docs as sd, search_terms as st};
        let (mut q, k, query) = ($q, $crate::domain::enums::StrEnum::as_str($kind), $query);
        for t in &query.terms {
            let with_term = st::table
                .filter(st::record_kind.eq(k))
                .filter(st::term.ge(t.clone()))
                .filter(st::term.lt($crate::domain::search::prefix_end(t)))
                .select(st::record_id);
            q = q.filter($id.eq_any(with_term));
        }
        for w in &query.checked {
            let p = $crate::store::search::like(w);
            q = q.filter(diesel::dsl::exists(
                sd::table
                    .filter(sd::record_kind.eq(k))
                    .filter(sd::record_id.eq($id))
                    .filter(
                        sd::head
                            .like(p.clone())
                            .escape('\\')
                            .or(sd::body.like(p).escape('\\')),
                    ),
            ));
        }
        q
    }};
}
pub(crate) use text_filter;

/// Whether a record's head (its title) holds the query's first word: the rank of a hit, to
/// order by (descending) before the list's own order.
macro_rules! in_head {
    ($id:expr, $kind:expr, $query:expr) => {{
        use $crate::db::schema::search_docs as sd;
        let first = $query
            .words
            .first()
            .map(|w| $crate::store::search::like(w))
            .unwrap_or_default();
        diesel::dsl::exists(
            sd::table
                .filter(sd::record_kind.eq($crate::domain::enums::StrEnum::as_str($kind)))
                .filter(sd::record_id.eq($id))
                .filter(sd::head.like(first).escape('\\')),
        )
    }};
}
pub(crate) use in_head;

/// The LIKE pattern of a folded word: anywhere, the user's `%` and `_` taken literally.
pub fn like(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_wildcards_are_literal() {
        assert_eq!(like("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
