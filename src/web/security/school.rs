//! GET /security/schools/{code}: one school's "4 × 100%": the four items with when and by whom
//! each was last verified, the required-guards arithmetic in words, the guards in post with
//! their warnings (licence numbers masked for those who only read), the alarm tests, and the
//! forms this user may use now. A refused form comes back here (422), typed values kept.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::load_school;
use super::table::{Cell, cells};
use crate::domain::security::guards::{mask_licence, required, warnings};
use crate::domain::security::input::{
    AlarmTestDraft, EMPLOYER_MAX, GuardDraft, LICENCE_MAX, NAME_MAX, NOTE_MAX, ProfileDraft,
};
use crate::domain::security::{AlarmResult, Item, alarm_test_overdue, rules};
use crate::error::AppError;
use crate::store::schools::SchoolRow;
use crate::store::security::{self as store, models::AlarmTest};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{ActionForm, Choice, Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Refused};
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

/// The draft names of this page's forms.
pub fn form_key(code: &str, form: &str) -> String {
    format!("security/{code}/{form}")
}

/// One of the four items as the page shows it.
pub struct ItemLine {
    pub item: Item,
    pub cell: Cell,
    /// When and by whom its provisions were last verified (the guards item: none).
    pub verified: Vec<(String, String)>,
    /// The form raising it as a hazard, if it is a gap this user may raise now.
    pub raise: Option<ActionForm>,
}

/// A guard in post as the page shows it.
pub struct GuardLine {
    pub id: i64,
    pub name: String,
    pub licence: String,
    pub birth_year: i32,
    pub employer: String,
    pub full_time: bool,
    pub hired_on: String,
    pub insured: bool,
    pub trained_on: String,
    pub warnings: Vec<&'static str>,
    pub leave: Option<ActionForm>,
}

#[derive(Template)]
#[template(path = "security/school.html")]
struct SchoolPage {
    page: Page,
    school: SchoolRow,
    items: Vec<ItemLine>,
    arithmetic: String,
    in_post: i64,
    rule_key: &'static str,
    guards: Vec<GuardLine>,
    tests: Vec<AlarmTest>,
    alarm_overdue: bool,
    alarm_days: i64,
    profile_form: Option<ActionForm>,
    guard_form: Option<ActionForm>,
    alarm_form: Option<ActionForm>,
}

fn yes_no(name: &'static str, anchor: &str, value: &str, errors: &FormErrors) -> Field {
    let label: &'static str = match name {
        "closed_management" => "security.field.closed_management",
        "alarm_linked" => "security.field.alarm_linked",
        "video_linked" => "security.field.video_linked",
        "guard_post" => "security.field.guard_post",
        "full_time" => "security.field.full_time",
        _ => "security.field.insured",
    };
    let c = |v: &str, l: &str| Choice {
        value: v.into(),
        label: l.into(),
        keyed: true,
        selected: value == v,
    };
    Field::new(anchor, name, label, Kind::Radio)
        .required(true)
        .choices(vec![c("1", "value.yes"), c("0", "value.no")])
        .errors(errors)
}

fn form(
    anchor: &str,
    post_to: String,
    title: &'static str,
    button: &'static str,
    fields: Vec<Field>,
    errors: FormErrors,
) -> ActionForm {
    ActionForm {
        anchor: anchor.to_string(),
        post_to,
        hidden: Vec::new(),
        title: Some(title),
        hint: None,
        fields,
        button,
        style: "btn-primary",
        folded: true,
        errors,
        kept: Vec::new(),
    }
}

pub async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    school: SchoolRow,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let id = school.school.id;
    let code = school.school.code.clone();
    let today = state.today();
    let (s, (facts, ticks), guards, profile, tests, open) = state
        .db(move |conn| {
            let s = store::settings(conn)?;
            let f = store::school_facts(conn, id, &s, today)?;
            let mut open = Vec::new();
            for i in Item::ALL {
                open.push(store::open_gap_hazard(conn, id, *i)?);
            }
            Ok((
                s,
                f,
                store::guards_in_post(conn, id)?,
                store::profile(conn, id)?,
                store::alarm_tests_of(conn, id, 12)?,
                open,
            ))
        })
        .await?;
    let ids: Vec<i64> = profile
        .iter()
        .flat_map(|p| {
            [
                p.closed_verified_by,
                p.alarm_verified_by,
                p.video_verified_by,
                p.post_verified_by,
            ]
        })
        .flatten()
        .collect();
    let names = state.db(move |conn| Ok(store::names(conn, &ids)?)).await?;
    let who = authed.actor();
    let refused_here = |f: &str| refused.as_ref().filter(|r| r.form == form_key(&code, f));
    let errors_of = |f: &str| {
        refused_here(f)
            .map(|r| r.errors.clone())
            .unwrap_or_default()
    };
    let verified = |on: Option<chrono::NaiveDate>, by: Option<i64>| {
        (
            on.map(|d| d.to_string()).unwrap_or_default(),
            by.and_then(|b| names.get(&b).cloned()).unwrap_or_default(),
        )
    };
    let tick_cells = cells(&ticks);
    let items = Item::ALL
        .iter()
        .zip(tick_cells)
        .enumerate()
        .map(|(n, (item, cell))| {
            let verified = match (item, &profile) {
                (Item::Closed, Some(p)) => {
                    vec![verified(p.closed_verified_on, p.closed_verified_by)]
                }
                (Item::Alarm, Some(p)) => vec![
                    verified(p.alarm_verified_on, p.alarm_verified_by),
                    verified(p.video_verified_on, p.video_verified_by),
                ],
                (Item::Post, Some(p)) => vec![verified(p.post_verified_on, p.post_verified_by)],
                _ => Vec::new(),
            };
            let raise = rules::may_raise_gap(&who, id, *item, &ticks, open[n].is_some())
                .is_ok()
                .then(|| {
                    let mut f = form(
                        &format!("form-gap-{item}"),
                        format!("/security/schools/{code}/gaps"),
                        "security.raise_gap",
                        "security.raise_gap",
                        Vec::new(),
                        errors_of("gaps"),
                    );
                    f.hidden = vec![("item", item.as_str().to_string())];
                    f.title = None;
                    f.folded = false;
                    f.style = "";
                    f
                });
            ItemLine {
                item: *item,
                cell,
                verified,
                raise,
            }
        })
        .collect();
    let r = required(
        s.rule,
        i64::from(school.school.pupils),
        i64::from(school.school.boarders),
    );
    let cat = ctx.lang.catalog();
    let arithmetic = r.args.iter().fold(cat.get(r.words).to_string(), |t, a| {
        t.replacen("{}", &a.to_string(), 1)
    });
    let full = rules::sees_licences(&who, id);
    let keeps = rules::may_keep(&who, id).is_ok();
    let guards = guards
        .into_iter()
        .map(|g| {
            let leave = keeps.then(|| {
                let anchor = format!("form-leave-{}", g.id);
                let errors = refused
                    .as_ref()
                    .filter(|r| r.form == form_key(&code, &format!("leave-{}", g.id)))
                    .map(|r| r.errors.clone())
                    .unwrap_or_default();
                let mut f = form(
                    &anchor,
                    format!("/security/guards/{}/leave", g.id),
                    "security.leave",
                    "security.leave",
                    vec![
                        Field::new(&anchor, "left_on", "security.field.left_on", Kind::Date)
                            .required(true)
                            .value(today.to_string())
                            .max_date(today.to_string())
                            .errors(&errors),
                    ],
                    errors,
                );
                f.title = None;
                f.style = "";
                f
            });
            GuardLine {
                warnings: warnings(&g.facts(), s.ages, today)
                    .iter()
                    .map(|w| w.label())
                    .collect(),
                licence: g
                    .licence_no
                    .as_deref()
                    .map(|l| if full { l.to_string() } else { mask_licence(l) })
                    .unwrap_or_default(),
                id: g.id,
                name: g.name,
                birth_year: g.birth_year,
                employer: g.employer,
                full_time: g.full_time,
                hired_on: g.hired_on.to_string(),
                insured: g.insured,
                trained_on: g.trained_on.map(|d| d.to_string()).unwrap_or_default(),
                leave,
            }
        })
        .collect();
    let profile_form = rules::may_verify(&who, id).is_ok().then(|| {
        let anchor = "form-profile";
        let e = errors_of("profile");
        let typed =
            refused_here("profile").map(|r| forms::restore_pairs::<ProfileDraft>(&r.fields));
        let flag = |b: bool| if b { "1" } else { "0" }.to_string();
        let d = typed.unwrap_or_else(|| ProfileDraft {
            closed_management: flag(profile.as_ref().is_some_and(|p| p.closed_management)),
            alarm_linked: flag(profile.as_ref().is_some_and(|p| p.alarm_linked)),
            video_linked: flag(profile.as_ref().is_some_and(|p| p.video_linked)),
            guard_post: flag(profile.as_ref().is_some_and(|p| p.guard_post)),
            verified_on: today.to_string(),
        });
        form(
            anchor,
            format!("/security/schools/{code}/profile"),
            "security.profile_title",
            "security.verify",
            vec![
                yes_no("closed_management", anchor, &d.closed_management, &e),
                yes_no("alarm_linked", anchor, &d.alarm_linked, &e),
                yes_no("video_linked", anchor, &d.video_linked, &e),
                yes_no("guard_post", anchor, &d.guard_post, &e),
                Field::new(
                    anchor,
                    "verified_on",
                    "security.field.verified_on",
                    Kind::Date,
                )
                .required(true)
                .value(d.verified_on)
                .max_date(today.to_string())
                .errors(&e),
            ],
            e,
        )
    });
    let guard_form = keeps.then(|| {
        let anchor = "form-guard";
        let e = errors_of("guards");
        let d = refused_here("guards")
            .map(|r| forms::restore_pairs::<GuardDraft>(&r.fields))
            .unwrap_or_else(|| GuardDraft {
                full_time: "1".into(),
                insured: "1".into(),
                hired_on: today.to_string(),
                ..Default::default()
            });
        let text = |name, label, max, v: &str| {
            Field::new(anchor, name, label, Kind::Text)
                .max(max)
                .value(v)
                .errors(&e)
        };
        form(
            anchor,
            format!("/security/schools/{code}/guards"),
            "security.add_guard",
            "security.add_guard",
            vec![
                text("name", "security.field.name", NAME_MAX, &d.name).required(true),
                text(
                    "licence_no",
                    "security.field.licence_no",
                    LICENCE_MAX,
                    &d.licence_no,
                )
                .hint("security.licence_hint"),
                text("birth_year", "security.field.birth_year", 4, &d.birth_year)
                    .required(true)
                    .inputmode("numeric"),
                text(
                    "employer",
                    "security.field.employer",
                    EMPLOYER_MAX,
                    &d.employer,
                ),
                yes_no("full_time", anchor, &d.full_time, &e),
                Field::new(anchor, "hired_on", "security.field.hired_on", Kind::Date)
                    .required(true)
                    .value(d.hired_on.clone())
                    .max_date(today.to_string())
                    .errors(&e),
                yes_no("insured", anchor, &d.insured, &e),
                Field::new(
                    anchor,
                    "trained_on",
                    "security.field.trained_on",
                    Kind::Date,
                )
                .value(d.trained_on.clone())
                .max_date(today.to_string())
                .errors(&e),
            ],
            e,
        )
    });
    let alarm_form = keeps.then(|| {
        let anchor = "form-alarm";
        let e = errors_of("alarm-tests");
        let d = refused_here("alarm-tests")
            .map(|r| forms::restore_pairs::<AlarmTestDraft>(&r.fields))
            .unwrap_or_else(|| AlarmTestDraft {
                tested_on: today.to_string(),
                result: AlarmResult::Pass.as_str().into(),
                ..Default::default()
            });
        form(
            anchor,
            format!("/security/schools/{code}/alarm-tests"),
            "security.alarm_title",
            "security.record_test",
            vec![
                Field::new(anchor, "tested_on", "security.field.tested_on", Kind::Date)
                    .required(true)
                    .value(d.tested_on.clone())
                    .max_date(today.to_string())
                    .errors(&e),
                Field::new(anchor, "result", "security.field.result", Kind::Radio)
                    .required(true)
                    .choices(choices::<AlarmResult>(&d.result))
                    .errors(&e),
                Field::new(
                    anchor,
                    "response_seconds",
                    "security.field.response_seconds",
                    Kind::Text,
                )
                .max(4)
                .inputmode("numeric")
                .value(d.response_seconds.clone())
                .errors(&e),
                Field::new(anchor, "note", "security.field.note", Kind::Text)
                    .max(NOTE_MAX)
                    .value(d.note.clone())
                    .errors(&e),
            ],
            e,
        )
    });
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let last = tests.first().map(|t| t.tested_on);
    let t = SchoolPage {
        page: Page::new(ctx, "security.school_title"),
        items,
        arithmetic,
        in_post: facts.guards_in_post,
        rule_key: s.rule.label(),
        guards,
        alarm_overdue: alarm_test_overdue(last, s.alarm_test_days, today),
        alarm_days: s.alarm_test_days,
        tests,
        profile_form,
        guard_form,
        alarm_form,
        school,
    };
    render_status(&t, status)
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    code: web::Path<String>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let school = load_school(&state, &authed, &code).await?;
    let refused = forms::draft(&state, &ctx, q.draft.as_deref())
        .await?
        .map(Refused::from_draft);
    page(&state, &ctx, &authed, school, refused).await
}
