//! GET /buildings/{id}: the building, its grade with what it means, its appraisals with their
//! report files, the hazards it raised, photos before and after, the timeline, and one form per
//! step this user may take now. A refused form comes back here (422), typed values kept.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::actions::{self, Defaults, Typed};
use super::{Item, load_visible};
use crate::domain::attachments::Stage;
use crate::domain::buildings::input::{AppraisalDraft, TransitionDraft};
use crate::domain::buildings::{BuildingAction, KIND, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::buildings::models::Appraisal;
use crate::store::buildings::{self as store, BuildingRow};
use crate::store::hazards::building as hazards;
use crate::store::hazards::models::Hazard;
use crate::store::models::Attachment;
use crate::store::{attachments, events};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{ActionForm, Field, Kind, choices_of};
use crate::web::forms::{self, DraftQuery, Refused};
use crate::web::page::{Page, render_status};
use crate::web::state::State as AppStateData;
use crate::web::timeline::{self, Entry};

/// The draft names of this page's forms.
pub fn form_key(id: i64, form: &str) -> String {
    format!("buildings/{id}/{form}")
}

/// An appraisal as the page lists it.
pub struct AppraisalLine {
    pub a: Appraisal,
    pub grade_key: &'static str,
    pub meaning_key: &'static str,
    /// The report file, and whether it is a PDF (a link) rather than an image (a thumbnail).
    pub file: Option<Attachment>,
}

#[derive(Template)]
#[template(path = "buildings/show.html")]
struct ShowPage {
    page: Page,
    row: BuildingRow,
    item: Item,
    appraisals: Vec<AppraisalLine>,
    hazards: Vec<Hazard>,
    before: Vec<Attachment>,
    after: Vec<Attachment>,
    timeline: Vec<Entry>,
    appraise: Option<ActionForm>,
    forms: Vec<ActionForm>,
    photo_form: Option<ActionForm>,
    /// The register's keepers may correct its details.
    may_edit: bool,
}

impl ShowPage {
    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

/// Draws the building; `refused` is the form that was just refused (422), if any.
pub async fn page(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    row: BuildingRow,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let id = row.building.id;
    let (files, trail, appraisals, hazards) = state
        .db(move |conn| {
            Ok((
                attachments::list(conn, KIND, id)?,
                events::timeline(conn, KIND, id)?,
                store::appraisals_of(conn, id)?,
                hazards::of_building(conn, id)?,
            ))
        })
        .await?;
    let who = authed.actor();
    let b = &row.building;
    let facts = b.facts();
    let today = state.today();
    let d = Defaults {
        id,
        version: b.version,
        today: today.to_string(),
        earliest_deadline: today.to_string(),
        may_add_after: rules::may_add_photo(&who, &facts, Stage::After).is_ok(),
    };
    let refused_here = |form: &str| refused.as_ref().filter(|r| r.form == form_key(id, form));
    let appraise = rules::may_appraise(&who, &facts).is_ok().then(|| {
        let r = refused_here("appraise");
        let values = r.map(|r| forms::restore_pairs::<AppraisalDraft>(&r.fields));
        let typed = values.as_ref().map(|values| Typed {
            values,
            version: r.and_then(|r| r.value("version")),
        });
        let errors = r.map(|r| r.errors.clone()).unwrap_or_default();
        actions::appraisal_form(&d, typed, errors, appraisals.is_empty())
    });
    let forms = rules::available(&who, &facts)
        .into_iter()
        .map(|a: BuildingAction| {
            let r = refused_here(a.as_str());
            let values = r.map(|r| forms::restore_pairs::<TransitionDraft>(&r.fields));
            let typed = values.as_ref().map(|values| Typed {
                values,
                version: r.and_then(|r| r.value("version")),
            });
            actions::step_form(
                a,
                &d,
                typed,
                r.map(|r| r.errors.clone()).unwrap_or_default(),
            )
        })
        .collect();
    let stages: Vec<Stage> = rules::PHOTO_STAGES
        .into_iter()
        .filter(|s| rules::may_add_photo(&who, &facts, *s).is_ok())
        .collect();
    let photo_form = (!stages.is_empty()).then(|| photo_form(id, &stages, refused_here("photos")));
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut reports = Vec::new();
    for f in files {
        match f.stage {
            Stage::Before => before.push(f),
            Stage::After => after.push(f),
            _ => reports.push(f),
        }
    }
    let appraisals = appraisals
        .into_iter()
        .map(|a| AppraisalLine {
            grade_key: a.grade.label(),
            meaning_key: a.grade.meaning(),
            file: a
                .file_id
                .and_then(|fid| reports.iter().find(|f| f.id == fid).cloned()),
            a,
        })
        .collect();
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = ShowPage {
        page: Page::new(ctx, "buildings.show_title"),
        item: Item::new(&row, today),
        row,
        appraisals,
        hazards,
        before,
        after,
        timeline: timeline::entries(KIND, &trail),
        appraise,
        forms,
        photo_form,
        may_edit: rules::may_edit(&who, &facts).is_ok(),
    };
    render_status(&t, status)
}

fn photo_form(id: i64, stages: &[Stage], refused: Option<&Refused>) -> ActionForm {
    let errors = refused.map(|r| r.errors.clone()).unwrap_or_default();
    // While the disposal is under way, the photo someone takes is of the work.
    let default = if stages.contains(&Stage::After) {
        Stage::After
    } else {
        Stage::Before
    };
    let chosen = refused
        .and_then(|r| r.value("stage"))
        .unwrap_or_else(|| default.as_str().to_string());
    let anchor = "form-photos".to_string();
    ActionForm {
        post_to: format!("/buildings/{id}/photos"),
        hidden: Vec::new(),
        title: None,
        hint: Some("buildings.photo_hint"),
        fields: vec![
            Field::new(&anchor, "stage", "attachments.stage_field", Kind::Select)
                .required(true)
                .choices(choices_of(stages, &chosen))
                .errors(&errors),
            Field::new(&anchor, "file", "buildings.photo", Kind::Photos)
                .required(true)
                .errors(&errors),
        ],
        anchor,
        button: "buildings.upload",
        style: "",
        folded: false,
        errors,
        kept: Vec::new(),
    }
}

/// One of this page's forms was refused: back to the page at that form, values kept (by a
/// redirect for a browser, at once with 422 for other programs).
#[allow(clippy::too_many_arguments)]
pub async fn refuse(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &actix_web::HttpRequest,
    row: BuildingRow,
    form: &str,
    fields: Vec<(String, String)>,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let id = row.building.id;
    let site = forms::Site {
        form: form_key(id, form),
        page: format!("/buildings/{id}"),
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
