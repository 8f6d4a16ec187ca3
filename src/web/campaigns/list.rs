//! GET /campaigns: every campaign with its completion over the user's schools, and for the
//! bureau the form of a new one; POST /campaigns creates it (name, starts_on, ends_on, items
//! one per line) and tells every school's officers.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::access::Target;
use crate::domain::campaigns::completion::{Completion, completion};
use crate::domain::campaigns::input::{CampaignDraft, NAME_MAX, validate_campaign};
use crate::domain::campaigns::rules;
use crate::error::AppError;
use crate::report::Cell;
use crate::store::StoreError;
use crate::store::campaigns as store;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Field, Kind};
use crate::web::forms;
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

pub struct Line {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub items: i64,
    pub rate: String,
    pub schools_complete: i64,
    pub schools: i64,
    /// The campaign's period holds today.
    pub running: bool,
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct ListPage {
    page: Page,
    lines: Vec<Line>,
    creates: bool,
    fields: Vec<Field>,
    errors: FormErrors,
}

fn fields(d: &CampaignDraft, e: &FormErrors) -> Vec<Field> {
    let field = |name, label, kind| Field::new("campaign", name, label, kind).errors(e);
    vec![
        field("name", "campaigns.col.name", Kind::Text)
            .required(true)
            .max(NAME_MAX)
            .value(&d.name),
        field("starts_on", "campaigns.col.starts_on", Kind::Date)
            .required(true)
            .value(&d.starts_on),
        field("ends_on", "campaigns.col.ends_on", Kind::Date)
            .required(true)
            .value(&d.ends_on),
        field("items", "campaigns.col.item_lines", Kind::Textarea)
            .required(true)
            .value(&d.items)
            .hint("campaigns.items_hint"),
    ]
}

/// Each campaign's completion now over the schools this user sees.
pub async fn lines(state: &State, authed: &Authed) -> Result<Vec<Line>, AppError> {
    let scope = match authed.actor().home() {
        Target::School(id) => Some(vec![id]),
        Target::County => None,
    };
    let now = state.now() + chrono::Duration::microseconds(1);
    let today = state.today();
    state
        .db(move |conn| {
            let schools = crate::store::security::trail::active_at(conn, scope.as_deref(), now)?;
            let mut out = Vec::new();
            for (c, _) in store::list(conn)? {
                let items: Vec<i64> = store::items(conn, c.id)?.iter().map(|i| i.id).collect();
                let states: BTreeMap<(i64, i64), _> = store::marks(conn, c.id, scope.as_deref())?
                    .into_iter()
                    .map(|m| ((m.item_id, m.school_id), m.state))
                    .collect();
                let done: Completion = completion(&items, &schools, &states);
                out.push(Line {
                    running: c.starts_on <= today && today <= c.ends_on,
                    id: c.id,
                    name: c.name,
                    period: format!("{} – {}", c.starts_on, c.ends_on),
                    items: done.items,
                    rate: Cell::Rate(done.completion_rate).shown(),
                    schools_complete: done.schools_complete,
                    schools: done.schools,
                });
            }
            Ok(out)
        })
        .await
}

async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    d: CampaignDraft,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = ListPage {
        page: Page::new(ctx, "campaigns.title"),
        lines: lines(state, authed).await?,
        creates: rules::may_create(&who).is_ok(),
        fields: fields(&d, &errors),
        errors,
    };
    render_status(&t, status)
}

pub async fn show(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    let today = state.today();
    let d = CampaignDraft {
        starts_on: today.to_string(),
        ..CampaignDraft::default()
    };
    page(&state, &ctx, &authed, d, FormErrors::default()).await
}

pub async fn create(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    rules::may_create(&authed.actor())?;
    let posted = forms::read(&req, payload).await?;
    let d: CampaignDraft = posted.parse()?;
    let result = match validate_campaign(&d) {
        Ok(n) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::create(conn, &by, &n)))
                .await?
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(flash_redirect(
            &format!("/campaigns/{id}"),
            "campaigns.flash.created",
        )),
        Err(StoreError::Invalid(e)) => {
            page(&state, &ctx, &authed, d, FormErrors::from_fields(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
