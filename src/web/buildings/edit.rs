//! GET /buildings/{id}/edit and POST /buildings/{id}: the register's keepers correct a
//! building's details. A refused form keeps what was typed; a form drawn before someone else's
//! change is a conflict (409), not an overwrite.

use actix_web::{HttpRequest, HttpResponse, web};

use super::load_visible;
use super::new::{BuildingForm, Mode, form_page};
use crate::domain::buildings::input::{BuildingDraft, validate_building};
use crate::domain::buildings::{KIND, rules};
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::buildings::{self as store, BuildingRow};
use crate::web::buildings::area_text;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::page::FormErrors;
use crate::web::state::State as AppStateData;

fn form_key(id: i64) -> String {
    format!("buildings/{id}/edit")
}

/// Loads the building and checks the user may correct it (404, 403, 409 for a demolished one).
async fn editable(state: &AppStateData, a: &Authed, id: i64) -> Result<BuildingRow, AppError> {
    let row = load_visible(state, a, id).await?;
    rules::may_edit(&a.actor(), &row.building.facts())
        .map_err(|r| StoreError::refused(r, KIND, row.building.status))?;
    Ok(row)
}

pub async fn form(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = editable(&state, &authed, id).await?;
    let version = row.building.version.to_string();
    if let Some(d) = forms::draft(&state, &ctx, q.draft.as_deref())
        .await?
        .filter(|d| d.form == form_key(id))
    {
        let kept_version = forms::Refused::from_draft(d.clone()).value("version");
        let f = forms::restore_pairs::<BuildingForm>(&d.fields);
        let errors = FormErrors::from_kept(&d.errors);
        let version = kept_version.unwrap_or(version);
        return form_page(&state, &ctx, &authed, f, errors, Mode::Edit { id, version }).await;
    }
    let b = &row.building;
    let f = BuildingForm {
        building: BuildingDraft {
            name: b.name.clone(),
            usage: b.usage.as_str().into(),
            structure: b.structure.as_str().into(),
            floors: b.floors.to_string(),
            floor_area: area_text(b.floor_area),
            year_built: b.year_built.to_string(),
        },
        school: row.school_code.clone(),
    };
    form_page(
        &state,
        &ctx,
        &authed,
        f,
        FormErrors::default(),
        Mode::Edit { id, version },
    )
    .await
}

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    editable(&state, &authed, id).await?;
    let posted = forms::read(&req, payload).await?;
    let f: BuildingForm = posted.parse()?;
    let version_typed = posted.get("version").trim().to_string();
    let version = version_typed.parse::<i32>().ok();
    let result = match validate_building(&f.building, state.today()) {
        Ok(details) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::edit::edit(conn, &by, id, &details, version)))
                .await?
        }
        Err(fields) => Err(StoreError::Invalid(fields)),
    };
    match result {
        Ok(_) => {
            forms::succeeded(&state, &ctx, &form_key(id)).await;
            Ok(flash_redirect(
                &format!("/buildings/{id}"),
                "buildings.flash.edited",
            ))
        }
        Err(StoreError::Invalid(errors)) => {
            let site = Site {
                form: form_key(id),
                page: format!("/buildings/{id}/edit"),
                anchor: "form-building".into(),
            };
            let (state, ctx, authed) = (&state, &ctx, &authed);
            forms::refuse_or(
                state,
                ctx,
                &req,
                &site,
                posted.typed(),
                &errors,
                |fields, e| async move {
                    let f = forms::restore_pairs::<BuildingForm>(&fields);
                    let mode = Mode::Edit {
                        id,
                        version: version_typed,
                    };
                    form_page(state, ctx, authed, f, e, mode).await
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
