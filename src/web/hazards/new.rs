//! GET /hazards/new and POST /hazards: a teacher reports a hazard from a phone in a minute,
//! optionally with a photo. The form posts multipart (with the photo); plain form posts work
//! too, for other programs.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::photos::{media_error_key, process_and_save};
use crate::domain::hazard::{self, Category, HowFound, PhotoStage};
use crate::domain::hazard_input::{ReportDraft, validate_report};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::hazards::{self as store, By, photos::NewPhoto};
use crate::store::schools::{self, SchoolRow};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State as AppStateData;

#[derive(Deserialize, Default, Clone)]
pub struct ReportFields {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub found_on: String,
    #[serde(default)]
    pub how_found: String,
    #[serde(default)]
    pub found_by: String,
    #[serde(default)]
    pub school: String,
}

#[derive(MultipartForm)]
pub struct ReportUpload {
    source: Option<Text<String>>,
    category: Option<Text<String>>,
    title: Option<Text<String>>,
    description: Option<Text<String>>,
    location: Option<Text<String>>,
    level: Option<Text<String>>,
    found_on: Option<Text<String>>,
    how_found: Option<Text<String>>,
    found_by: Option<Text<String>>,
    school: Option<Text<String>>,
    #[multipart(limit = "10MiB")]
    photo: Option<FileBytes>,
}

fn text(t: Option<Text<String>>) -> String {
    t.map(|t| t.into_inner()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "hazards/new.html")]
struct NewPage {
    page: Page,
    f: ReportFields,
    errors: FormErrors,
    schools: Vec<SchoolRow>,
    choose_school: bool,
    today: String,
}

impl NewPage {
    fn categories(&self) -> &'static [Category] {
        Category::ALL
    }

    fn category_key(&self, c: &Category) -> String {
        format!("hazard.category.{}", c.as_str())
    }

    fn ways(&self) -> &'static [HowFound] {
        HowFound::ALL
    }

    fn way_key(&self, w: &HowFound) -> String {
        format!("hazard.how_found.{}", w.as_str())
    }

    fn is(&self, value: &str, option: &str) -> bool {
        value == option
    }
}

async fn form_page(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    f: ReportFields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let choose_school = !authed.role().is_school_scoped();
    let schools = if choose_school {
        state.db(|conn| Ok(schools::list(conn, false)?)).await?
    } else {
        Vec::new()
    };
    let t = NewPage {
        page: Page::new(ctx, "hazards.new_title"),
        f,
        errors,
        schools,
        choose_school,
        today: state.today().to_string(),
    };
    render_status(&t, status)
}

fn may_report_somewhere(authed: &Authed) -> Result<(), AppError> {
    use crate::domain::role::Role;
    match authed.role() {
        Role::Staff | Role::SchoolAdmin | Role::Bureau => Ok(()),
        Role::Viewer | Role::Admin => Err(AppError::Forbidden),
    }
}

pub async fn form(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
) -> Result<HttpResponse, AppError> {
    may_report_somewhere(&authed)?;
    let f = ReportFields {
        source: "campus".into(),
        level: "general".into(),
        how_found: "daily".into(),
        found_on: state.today().to_string(),
        found_by: authed.user.display_name.clone(),
        ..Default::default()
    };
    form_page(
        &state,
        &ctx,
        &authed,
        f,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    may_report_somewhere(&authed)?;
    let mut payload = payload.into_inner();
    let multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("multipart/");
    let (f, photo) = if multipart {
        let MultipartForm(u) = MultipartForm::<ReportUpload>::from_request(&req, &mut payload)
            .await
            .map_err(|_| AppError::Invalid("err.file_too_big"))?;
        let f = ReportFields {
            source: text(u.source),
            category: text(u.category),
            title: text(u.title),
            description: text(u.description),
            location: text(u.location),
            level: text(u.level),
            found_on: text(u.found_on),
            how_found: text(u.how_found),
            found_by: text(u.found_by),
            school: text(u.school),
        };
        (
            f,
            u.photo.map(|p| p.data.to_vec()).filter(|p| !p.is_empty()),
        )
    } else {
        let f = web::Form::<ReportFields>::from_request(&req, &mut payload)
            .await
            .map_err(|_| AppError::Invalid("error.invalid"))?;
        (f.into_inner(), None)
    };
    let refuse = |f: ReportFields, fields: Vec<FieldError>| {
        let (state, ctx, authed) = (&state, &ctx, &authed);
        async move {
            form_page(
                state,
                ctx,
                authed,
                f,
                FormErrors::from_fields(&fields),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };

    // School users always report for their own school; the bureau names one.
    let school_id = match authed.user.school_id {
        Some(id) => id,
        None => {
            let code = f.school.trim().to_string();
            let found = state
                .db(move |conn| Ok(schools::find_by_code(conn, &code)?))
                .await?;
            match found {
                Some(s) if s.active => s.id,
                _ => {
                    return refuse(
                        f,
                        vec![FieldError {
                            field: "school",
                            message: "err.unknown_school",
                        }],
                    )
                    .await;
                }
            }
        }
    };
    hazard::may_report(&authed.actor(), school_id)
        .map_err(|r| super::refusal(r, hazard::State::Reported))?;
    let draft = ReportDraft {
        source: f.source.clone(),
        category: f.category.clone(),
        title: f.title.clone(),
        description: f.description.clone(),
        location: f.location.clone(),
        level: f.level.clone(),
        how_found: f.how_found.clone(),
        found_on: f.found_on.clone(),
        found_by: if f.found_by.trim().is_empty() {
            authed.user.display_name.clone()
        } else {
            f.found_by.clone()
        },
    };
    let report = match validate_report(&draft, state.today()) {
        Ok(r) => r,
        Err(fields) => return refuse(f, fields).await,
    };
    let saved = match photo {
        Some(bytes) => match process_and_save(&state, bytes).await? {
            Ok(saved) => Some(saved),
            Err(e) => {
                return refuse(
                    f,
                    vec![FieldError {
                        field: "photo",
                        message: media_error_key(&e),
                    }],
                )
                .await;
            }
        },
        None => None,
    };
    let actor = authed.event_actor();
    let who = authed.actor();
    let now = state.now();
    let (id, _) = state
        .db(move |conn| {
            let photo = saved.as_ref().map(|s| NewPhoto {
                stage: PhotoStage::Before,
                sha256: &s.sha256,
                bytes: s.bytes,
                width: s.width,
                height: s.height,
            });
            let by = By {
                actor: &actor,
                who: &who,
                at: now,
            };
            Ok(store::report(
                conn,
                &by,
                school_id,
                &report,
                photo.as_ref(),
            )?)
        })
        .await?;
    Ok(flash_redirect(
        &format!("/hazards/{id}"),
        "flash.hazard_reported",
    ))
}
