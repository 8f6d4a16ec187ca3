//! GET /bullying/{id}: the one page that names a case's pupils in full, to the school's
//! officer and the bureau only — and every opening of it is written to the access log first.
//! GET /bullying/{id}/access: that log, for the bureau.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::load_case;
use crate::domain::bullying::clock::{Standing, standing};
use crate::domain::bullying::input::{GRADE_CLASS_MAX, NAME_MAX, NOTE_MAX};
use crate::domain::bullying::{
    Action, Determination, KIND, MeasureKind, Outcome, PartyRole, needs_consent, rules,
};
use crate::domain::time::local_minute;
use crate::error::AppError;
use crate::store::bullying::details;
use crate::store::bullying::models::Case;
use crate::store::events;
use crate::store::schools;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{ActionForm, Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Refused};
use crate::web::page::{FormErrors, Page, render, render_status};
use crate::web::state::State;
use crate::web::timeline::{self, Entry};

/// The draft name of one of a case's forms.
pub fn form_key(id: i64, form: &str) -> String {
    format!("bullying/{id}/{form}")
}

pub struct PartyLine {
    pub role_key: &'static str,
    pub name: String,
    pub grade_class: String,
    pub age: Option<i32>,
    pub consent: bool,
}

pub struct MeasureLine {
    pub kind_key: &'static str,
    pub taken_on: String,
    pub note: String,
}

pub struct NoteLine {
    pub action_key: &'static str,
    pub note: String,
    pub who: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "bullying/show.html")]
struct CasePage {
    page: Page,
    case: Case,
    school: String,
    state_key: &'static str,
    reporter_key: &'static str,
    determination_key: Option<&'static str>,
    days_left: Option<i64>,
    overdue_by: Option<i64>,
    parties: Vec<PartyLine>,
    measures: Vec<MeasureLine>,
    notes: Vec<NoteLine>,
    timeline: Vec<Entry>,
    forms: Vec<ActionForm>,
    reads_access_log: bool,
}

fn action_form(
    anchor: String,
    post_to: String,
    button: &'static str,
    fields: Vec<Field>,
    errors: FormErrors,
    hidden: Vec<(&'static str, String)>,
) -> ActionForm {
    ActionForm {
        anchor,
        post_to,
        hidden,
        title: None,
        hint: None,
        fields,
        button,
        style: "btn-primary",
        folded: true,
        errors,
        kept: Vec::new(),
    }
}

/// The forms this user may use now: a step for each action allowed, a party and a measure
/// while the case is open.
fn forms_for(
    a: &Authed,
    c: &Case,
    refused: Option<&Refused>,
    today: chrono::NaiveDate,
) -> Vec<ActionForm> {
    let who = a.actor();
    let errors_of = |form: &str| {
        refused
            .filter(|r| r.form == form_key(c.id, form))
            .map(|r| r.errors.clone())
            .unwrap_or_default()
    };
    let typed = |form: &str, name: &str| {
        refused
            .filter(|r| r.form == form_key(c.id, form))
            .and_then(|r| r.value(name))
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for action in rules::available(&who, &c.facts()) {
        let form = format!("step-{}", action.as_str());
        let anchor = format!("form-{form}");
        let e = errors_of(&form);
        let mut fields = Vec::new();
        if action == Action::Reexamine {
            fields.push(
                Field::new(&anchor, "outcome", "bullying.col.outcome", Kind::Radio)
                    .required(true)
                    .choices(choices::<Outcome>(&typed(&form, "outcome")))
                    .errors(&e),
            );
        }
        if matches!(action, Action::Determine | Action::Reexamine) {
            fields.push(
                Field::new(
                    &anchor,
                    "determination",
                    "bullying.col.determination",
                    Kind::Radio,
                )
                .required(action == Action::Determine)
                .choices(choices::<Determination>(&typed(&form, "determination")))
                .errors(&e),
            );
        }
        let needs_words = matches!(
            action,
            Action::Appeal | Action::ReferPolice | Action::FollowUp
        );
        fields.push(
            Field::new(&anchor, "comment", "bullying.col.comment", Kind::Textarea)
                .required(needs_words)
                .max(NOTE_MAX)
                .value(typed(&form, "comment"))
                .hint("bullying.comment_hint")
                .errors(&e),
        );
        out.push(action_form(
            anchor,
            format!("/bullying/{}/transition", c.id),
            action.label(),
            fields,
            e,
            vec![
                ("action", action.as_str().into()),
                ("version", c.version.to_string()),
            ],
        ));
    }
    if rules::may_add_detail(&who, &c.facts()).is_ok() {
        let (anchor, e) = ("form-party".to_string(), errors_of("parties"));
        let t = |n: &str| typed("parties", n);
        out.push(action_form(
            anchor.clone(),
            format!("/bullying/{}/parties", c.id),
            "bullying.add_party",
            vec![
                Field::new(&anchor, "role", "bullying.col.role", Kind::Radio)
                    .required(true)
                    .choices(choices::<PartyRole>(&t("role")))
                    .errors(&e),
                Field::new(&anchor, "name", "bullying.col.name", Kind::Text)
                    .required(true)
                    .max(NAME_MAX)
                    .value(t("name"))
                    .errors(&e),
                Field::new(
                    &anchor,
                    "grade_class",
                    "bullying.col.grade_class",
                    Kind::Text,
                )
                .max(GRADE_CLASS_MAX)
                .value(t("grade_class"))
                .errors(&e),
                Field::new(&anchor, "age", "bullying.col.age", Kind::Text)
                    .max(2)
                    .inputmode("numeric")
                    .value(t("age"))
                    .hint("bullying.age_hint")
                    .errors(&e),
            ],
            e,
            Vec::new(),
        ));
        let (anchor, e) = ("form-measure".to_string(), errors_of("measures"));
        let t = |n: &str| typed("measures", n);
        let taken_on = Some(t("taken_on"))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| today.to_string());
        out.push(action_form(
            anchor.clone(),
            format!("/bullying/{}/measures", c.id),
            "bullying.add_measure",
            vec![
                Field::new(&anchor, "kind", "bullying.col.measure", Kind::Select)
                    .required(true)
                    .choices(choices::<MeasureKind>(&t("kind")))
                    .errors(&e),
                Field::new(&anchor, "taken_on", "bullying.col.taken_on", Kind::Date)
                    .required(true)
                    .value(taken_on)
                    .max_date(today.to_string())
                    .errors(&e),
                Field::new(&anchor, "note", "bullying.col.note", Kind::Text)
                    .max(NOTE_MAX)
                    .value(t("note"))
                    .errors(&e),
            ],
            e,
            Vec::new(),
        ));
    }
    out
}

pub async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    c: Case,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let (id, school_id, user) = (c.id, c.school_id, authed.user.id);
    let now = state.now();
    let (school, parties, measures, notes, trail) = state
        .db(move |conn| {
            // Logged before anything of the case is read for the page.
            details::log_access(conn, id, user, now)?;
            Ok((
                schools::get(conn, school_id)?.school.name,
                details::parties(conn, id)?,
                details::measures(conn, id)?,
                details::notes(conn, id)?,
                events::timeline(conn, KIND, id)?,
            ))
        })
        .await?;
    let today = state.today();
    let (days_left, overdue_by) = match standing(c.state, c.deadline, today) {
        Standing::DaysLeft(n) => (Some(n), None),
        Standing::Overdue(n) => (None, Some(n)),
        Standing::Stopped => (None, None),
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = CasePage {
        page: Page::new(ctx, "bullying.case_title"),
        school,
        state_key: c.state.label(),
        reporter_key: c.reporter_kind.label(),
        determination_key: c.determination.map(|d| d.label()),
        days_left,
        overdue_by,
        parties: parties
            .into_iter()
            .map(|p| PartyLine {
                role_key: p.role.label(),
                consent: needs_consent(p.age),
                name: p.name,
                grade_class: p.grade_class,
                age: p.age,
            })
            .collect(),
        measures: measures
            .into_iter()
            .map(|m| MeasureLine {
                kind_key: m.kind.label(),
                taken_on: m.taken_on.to_string(),
                note: m.note,
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|(action, note, who, at)| NoteLine {
                action_key: Action::parse(&action).map_or("event.other", |a| a.label()),
                note,
                who,
                when: local_minute(at),
            })
            .collect(),
        timeline: timeline::entries(KIND, &trail),
        forms: forms_for(authed, &c, refused.as_ref(), today),
        reads_access_log: rules::may_read_access_log(&authed.actor(), c.school_id).is_ok(),
        case: c,
    };
    render_status(&t, status)
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let c = load_case(&state, &authed, id.into_inner()).await?;
    let refused = forms::draft(&state, &ctx, q.draft.as_deref())
        .await?
        .map(Refused::from_draft);
    page(&state, &ctx, &authed, c, refused).await
}

pub struct AccessLine {
    pub who: String,
    pub username: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "bullying/access.html")]
struct AccessPage {
    page: Page,
    id: i64,
    ref_no: String,
    lines: Vec<AccessLine>,
}

pub async fn access(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let c = load_case(&state, &authed, id.into_inner()).await?;
    rules::may_read_access_log(&authed.actor(), c.school_id)?;
    let id = c.id;
    let rows = state
        .db(move |conn| Ok(details::access_log(conn, id)?))
        .await?;
    render(&AccessPage {
        page: Page::new(&ctx, "bullying.access_title"),
        id,
        ref_no: c.ref_no,
        lines: rows
            .into_iter()
            .map(|(who, username, at)| AccessLine {
                who,
                username,
                when: local_minute(at),
            })
            .collect(),
    })
}
