//! Appointing a legal vice-principal (GET /legal-vps/new, POST /legal-vps) and one VP's page
//! with the bureau's edit form (GET and POST /legal-vps/{id}). A refused form comes back with
//! what was typed (422); a stale edit is 409.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::legal_vps::{
    KIND, NAME_MAX, UNIT_MAX, UnitKind, VpDraft, may_keep, may_list, may_view, validate,
};
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::events;
use crate::store::legal_vps as store;
use crate::store::pick;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, Field, Kind, choices};
use crate::web::forms::{self, Posted};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;
use crate::web::timeline::{self, Entry};

#[derive(Template)]
#[template(path = "legal_vps/form.html")]
struct FormPage {
    page: Page,
    row: Option<store::Row>,
    post_to: String,
    fields: Vec<Field>,
    errors: FormErrors,
    keeps: bool,
    timeline: Vec<Entry>,
}

fn fields(d: &VpDraft, e: &FormErrors, (schools, more): (Vec<Choice>, bool)) -> Vec<Field> {
    let field = |name, label, kind| Field::new("vp", name, label, kind).errors(e);
    let mut out = vec![
        field("name", "legal_vps.col.name", Kind::Text)
            .required(true)
            .max(NAME_MAX)
            .value(&d.name),
        field("unit_kind", "legal_vps.col.unit_kind", Kind::Radio)
            .choices(choices::<UnitKind>(&d.unit_kind)),
        field("unit_name", "legal_vps.col.unit_name", Kind::Text)
            .required(true)
            .max(UNIT_MAX)
            .value(&d.unit_name),
        field("appointed_on", "legal_vps.col.appointed_on", Kind::Date)
            .required(true)
            .value(&d.appointed_on),
        field("term_ends_on", "legal_vps.col.term_ends_on", Kind::Date).value(&d.term_ends_on),
        field("schools", "legal_vps.col.schools", Kind::Checks).choices(schools),
    ];
    if more {
        // Too many schools to tick: one more is typed (its code or name) with suggestions.
        let mut add = field("schools", "legal_vps.add_school", Kind::Pick);
        add.id = "vp-schools-add".into();
        out.push(add);
    }
    out
}

/// The schools to tick: every active one in a county (at most `pick::MAX_OPTIONS`), only
/// those the draft names at province size, where a picker adds one more (`true`).
async fn school_checks(state: &State, chosen: &[String]) -> Result<(Vec<Choice>, bool), AppError> {
    let names = chosen.to_vec();
    let (rows, more) = state
        .db(move |conn| {
            let mut rows = pick::options(conn, None, None)?;
            let more = rows.is_empty();
            for code in &names {
                if !rows.iter().any(|(c, _)| c == code)
                    && let Some(s) = pick::find_code_or_name(conn, code)?
                {
                    rows.push((s.code, s.name));
                }
            }
            Ok((rows, more))
        })
        .await?;
    let checks = rows
        .into_iter()
        .map(|(code, name)| Choice {
            selected: chosen.contains(&code),
            value: code,
            label: name,
            keyed: false,
        })
        .collect();
    Ok((checks, more))
}

async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    row: Option<store::Row>,
    d: VpDraft,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let keeps = may_keep(&authed.actor()).is_ok();
    let checks = school_checks(state, &d.schools).await?;
    let (title, post_to, trail) = match &row {
        Some(r) => {
            let id = r.vp.id;
            let trail = state
                .db(move |conn| Ok(events::timeline(conn, KIND, id)?))
                .await?;
            ("legal_vps.title", format!("/legal-vps/{id}"), trail)
        }
        None => ("legal_vps.new_title", "/legal-vps".to_string(), Vec::new()),
    };
    let t = FormPage {
        page: Page::new(ctx, title),
        row,
        post_to,
        fields: fields(&d, &errors, checks),
        errors,
        keeps,
        timeline: timeline::entries(KIND, &trail),
    };
    render_status(&t, status)
}

fn draft_of(posted: &Posted) -> Result<VpDraft, AppError> {
    let mut d: VpDraft = posted.parse()?;
    d.schools = posted.all("schools");
    Ok(d)
}

fn draft_from(r: &store::Row) -> VpDraft {
    let v = &r.vp;
    VpDraft {
        name: v.name.clone(),
        unit_kind: v.unit_kind.as_str().into(),
        unit_name: v.unit_name.clone(),
        appointed_on: v.appointed_on.to_string(),
        term_ends_on: v.term_ends_on.map(|d| d.to_string()).unwrap_or_default(),
        version: v.version.to_string(),
        schools: r.schools.iter().map(|s| s.1.clone()).collect(),
    }
}

pub async fn new_form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
) -> Result<HttpResponse, AppError> {
    may_keep(&authed.actor())?;
    let d = VpDraft {
        unit_kind: UnitKind::Police.as_str().into(),
        appointed_on: state.today().to_string(),
        ..VpDraft::default()
    };
    page(
        &state,
        &ctx,
        &authed,
        None,
        d,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    may_keep(&authed.actor())?;
    let posted = forms::read(&req, payload).await?;
    let d = draft_of(&posted)?;
    let result = match validate(&d, state.today()) {
        Ok(v) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::create(conn, &by, &v)))
                .await?
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(flash_redirect(
            &format!("/legal-vps/{id}"),
            "legal_vps.flash.created",
        )),
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::from_fields(&e);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &ctx, &authed, None, d, errors, status).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn load(state: &State, authed: &Authed, id: i64) -> Result<store::Row, AppError> {
    let who = authed.actor();
    may_list(&who)?;
    let row = state.db(move |conn| Ok(store::get(conn, id)?)).await?;
    may_view(&who, &row.school_ids())?;
    Ok(row)
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let row = load(&state, &authed, id.into_inner()).await?;
    let d = draft_from(&row);
    let ok = StatusCode::OK;
    page(
        &state,
        &ctx,
        &authed,
        Some(row),
        d,
        FormErrors::default(),
        ok,
    )
    .await
}

pub async fn edit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load(&state, &authed, id).await?;
    may_keep(&authed.actor())?;
    let posted = forms::read(&req, payload).await?;
    let d = draft_of(&posted)?;
    // The version the form was drawn from: without it an edit could overwrite unseen changes.
    let version = d.version.trim().parse::<i32>().ok();
    let result = match (validate(&d, state.today()), version) {
        (Ok(_), None) => Err(StoreError::invalid("version", "legal_vps.error.version")),
        (Ok(v), Some(version)) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::edit(conn, &by, id, version, &v)))
                .await?
        }
        (Err(e), _) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(flash_redirect(
            &format!("/legal-vps/{id}"),
            "legal_vps.flash.edited",
        )),
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::from_fields(&e);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &ctx, &authed, Some(row), d, errors, status).await
        }
        Err(e) => Err(e.into()),
    }
}
