//! GET /hazards/{id}: details, before/after photos side by side, the timeline, and one form
//! per action this user may take now — nothing else. A refused form comes back here (422),
//! typed values kept, opened at its anchor.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Item, actions, load_visible};
use crate::domain::attachments::Stage;
use crate::domain::hazards::input::{SuperviseDraft, TransitionDraft};
use crate::domain::hazards::{HazardAction, KIND, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::hazards::{self as store, HazardRow};
use crate::store::models::Attachment;
use crate::store::{attachments, events};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{ActionForm, Field, Kind, choices_of};
use crate::web::forms::{self, DraftQuery, Refused};
use crate::web::page::{Page, render_status};
use crate::web::state::State as AppStateData;
use crate::web::timeline::{self, Entry};

/// What the action forms start from when nobody has typed anything yet.
pub struct Defaults {
    pub id: i64,
    pub version: i32,
    /// The earliest deadline a form may set: the found date or today, the later.
    pub earliest_deadline: String,
    /// The hazard's deadline unless it has passed (a form never pre-fills an expired one).
    pub deadline: String,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub measures: String,
    pub funding: String,
    pub contingency_plan: String,
    pub supervised: bool,
    /// The user may add "after" photos now (with the submit, or alone).
    pub may_add_after: bool,
}

/// The draft names of this page's forms.
pub fn form_key(id: i64, form: &str) -> String {
    format!("hazards/{id}/{form}")
}

#[derive(Template)]
#[template(path = "hazards/show.html")]
struct ShowPage {
    page: Page,
    row: HazardRow,
    item: Item,
    before: Vec<Attachment>,
    after: Vec<Attachment>,
    timeline: Vec<Entry>,
    forms: Vec<ActionForm>,
    supervise: Option<ActionForm>,
    photo_form: Option<ActionForm>,
    /// Being fixed again: the bureau's reason, at the top of the page (None: not returned;
    /// Some(None): returned without a word).
    returned: Option<Option<String>>,
    /// The printable rectification notice exists once the hazard has been assigned.
    has_notice: bool,
    /// Supervision may be lifted (not on a building's hazard).
    may_lift: bool,
}

impl ShowPage {
    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    fn how_found_key(&self) -> &'static str {
        self.row.hazard.how_found.label()
    }

    /// When supervision began, county time.
    fn supervised_since(&self) -> String {
        self.row
            .hazard
            .supervised_at
            .map(crate::domain::time::local_minute)
            .unwrap_or_default()
    }
}

/// Draws the record; `refused` is the form that was just refused (422), if any.
pub async fn page(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    row: HazardRow,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let id = row.hazard.id;
    let session = authed.session.id;
    let fixing = row.hazard.state == crate::domain::hazards::State::Rectifying;
    let (photos, trail, policy, pending, mut returned) = state
        .db(move |conn| {
            Ok((
                attachments::list(conn, KIND, id)?,
                events::timeline(conn, KIND, id)?,
                store::policy(conn)?,
                attachments::pending(conn, session, &form_key(id, "submit"))?,
                if fixing {
                    store::today::return_reasons(conn, &[id])?
                } else {
                    Default::default()
                },
            ))
        })
        .await?;
    let who = authed.actor();
    let h = &row.hazard;
    let facts = h.facts();
    let d = Defaults {
        id,
        version: h.version,
        earliest_deadline: h.found_on.max(state.today()).to_string(),
        deadline: h
            .deadline
            .filter(|d| *d >= state.today())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        responsible_unit: h.responsible_unit.clone().unwrap_or_default(),
        responsible_person: h.responsible_person.clone().unwrap_or_default(),
        measures: h.measures.clone().unwrap_or_default(),
        funding: h.funding.clone().unwrap_or_default(),
        contingency_plan: h.contingency_plan.clone().unwrap_or_default(),
        supervised: h.supervised,
        may_add_after: rules::may_add_photo(&who, &facts, Stage::After).is_ok(),
    };
    let refused_here = |form: &str| refused.as_ref().filter(|r| r.form == form_key(id, form));
    let forms = rules::available(&who, &facts, policy)
        .into_iter()
        .map(|a: HazardAction| {
            let r = refused_here(a.as_str());
            let values = r.map(|r| forms::restore_pairs::<TransitionDraft>(&r.fields));
            let kept = r
                .map(|r| r.kept())
                .map(|ids| {
                    pending
                        .iter()
                        .filter(|p| ids.contains(&p.id))
                        .map(|p| (p.id, p.thumb_size()))
                        .collect()
                })
                .unwrap_or_default();
            let errors = r.map(|r| r.errors.clone()).unwrap_or_default();
            let typed = values.as_ref().map(|values| actions::Typed {
                values,
                version: r.and_then(|r| r.value("version")),
            });
            actions::form(a, &d, typed, errors, kept)
        })
        .collect();
    let supervise = rules::may_supervise(&who, &facts).is_ok().then(|| {
        let r = refused_here("supervise");
        let values = r.map(|r| forms::restore_pairs::<SuperviseDraft>(&r.fields));
        let typed = values.as_ref().map(|values| actions::Typed {
            values,
            version: r.and_then(|r| r.value("version")),
        });
        actions::supervise_form(&d, typed, r.map(|r| r.errors.clone()).unwrap_or_default())
    });
    let stages: Vec<Stage> = rules::PHOTO_STAGES
        .into_iter()
        .filter(|s| rules::may_add_photo(&who, &facts, *s).is_ok())
        .collect();
    let photo_form = (!stages.is_empty()).then(|| {
        let r = refused_here("photos");
        let errors = r.map(|r| r.errors.clone()).unwrap_or_default();
        // While it is being fixed, the photo someone takes is of the fix.
        let default = if stages.contains(&Stage::After) {
            Stage::After
        } else {
            Stage::Before
        };
        let chosen = r
            .and_then(|r| {
                r.fields
                    .iter()
                    .find(|(k, _)| k == "stage")
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_else(|| default.as_str().to_string());
        let anchor = "form-photos".to_string();
        ActionForm {
            post_to: format!("/hazards/{id}/photos"),
            hidden: Vec::new(),
            title: None,
            hint: Some("hazards.photo_hint"),
            fields: vec![
                Field::new(&anchor, "stage", "attachments.stage_field", Kind::Select)
                    .required(true)
                    .choices(choices_of(&stages, &chosen))
                    .errors(&errors),
                Field::new(&anchor, "file", "hazards.photo", Kind::Photos)
                    .required(true)
                    .errors(&errors),
            ],
            anchor,
            button: "hazards.upload",
            style: "",
            folded: false,
            errors,
            kept: Vec::new(),
        }
    });
    let (before, after) = photos.into_iter().partition(|p| p.stage == Stage::Before);
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let row_state = row.hazard.facts();
    let t = ShowPage {
        page: Page::new(ctx, "hazards.show_title"),
        item: Item::new(&row, state.today()),
        row,
        before,
        after,
        timeline: timeline::entries(KIND, &trail),
        forms,
        supervise,
        photo_form,
        returned: returned.remove(&id),
        has_notice: rules::notice(&who, &row_state).is_ok(),
        may_lift: rules::may_lift_supervision(&who, &row_state).is_ok(),
    };
    render_status(&t, status)
}

/// One of this page's forms was refused: back to the page at that form, values kept (by a
/// redirect for a browser, at once with 422 for other programs).
#[allow(clippy::too_many_arguments)]
pub async fn refuse(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &actix_web::HttpRequest,
    row: HazardRow,
    form: &str,
    fields: Vec<(String, String)>,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let id = row.hazard.id;
    let site = forms::Site {
        form: form_key(id, form),
        page: format!("/hazards/{id}"),
        anchor: format!("form-{form}"),
    };
    let form = site.form.clone();
    forms::refuse_or(state, ctx, req, &site, fields, errors, |fields, errors| {
        let refused = Refused {
            form,
            fields,
            errors,
        };
        page(state, ctx, authed, row, Some(refused))
    })
    .await
}

pub async fn show(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let row = load_visible(&state, &authed, id.into_inner()).await?;
    let refused = forms::draft(&state, &ctx, q.draft.as_deref())
        .await?
        .map(Refused::from_draft);
    page(&state, &ctx, &authed, row, refused).await
}
