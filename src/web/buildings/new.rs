//! GET /buildings/new and POST /buildings: a building joins a school's register. School
//! admins add to their own school's; the bureau names the school. A refused form keeps what
//! was typed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::domain::buildings::input::{BuildingDraft, FLOORS_MAX, NAME_MAX, validate_building};
use crate::domain::buildings::{Structure, Use, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::buildings as store;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::listing;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State as AppStateData;

const FORM: &str = "buildings/new";

/// The form as posted: the building, and the school (the bureau's choice).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct BuildingForm {
    #[serde(flatten)]
    pub building: BuildingDraft,
    pub school: String,
}

#[derive(Template)]
#[template(path = "buildings/new.html")]
struct NewPage {
    page: Page,
    fields: Vec<Field>,
    errors: FormErrors,
    /// Where the form posts, and the page a cancel returns to.
    post_to: String,
    cancel: String,
    button: &'static str,
    /// The building's version the form was drawn from (editing only).
    version: Option<String>,
}

/// Which form the page draws: a new building's, or an existing one's details.
pub enum Mode {
    New,
    Edit { id: i64, version: String },
}

fn fields(f: &BuildingForm, e: &FormErrors, schools: Option<Vec<Choice>>) -> Vec<Field> {
    let b = &f.building;
    let field = |name, label, kind| Field::new("building", name, label, kind).errors(e);
    let mut out = Vec::new();
    if let Some(schools) = schools {
        out.push(
            field("school", "field.school", Kind::Pick)
                .required(true)
                .value(f.school.clone())
                .choices(schools),
        );
    }
    out.extend([
        field("name", "buildings.col.name", Kind::Text)
            .required(true)
            .max(NAME_MAX)
            .value(&b.name)
            .hint("buildings.name_hint"),
        field("use", "buildings.col.use", Kind::Select)
            .required(true)
            .choices(choices::<Use>(&b.usage)),
        field("structure", "buildings.col.structure", Kind::Select)
            .required(true)
            .choices(choices::<Structure>(&b.structure)),
        field("floors", "buildings.col.floors", Kind::Text)
            .required(true)
            .inputmode("numeric")
            .max(FLOORS_MAX.to_string().len())
            .value(&b.floors),
        field("floor_area", "buildings.col.floor_area", Kind::Text)
            .required(true)
            .inputmode("decimal")
            .max(12)
            .value(&b.floor_area)
            .hint("buildings.floor_area_hint"),
        field("year_built", "buildings.col.year_built", Kind::Text)
            .required(true)
            .inputmode("numeric")
            .max(4)
            .value(&b.year_built)
            .hint("buildings.year_hint"),
    ]);
    out
}

/// The register form, new or editing (no school to choose then: a building stays where it is).
pub async fn form_page(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    f: BuildingForm,
    errors: FormErrors,
    mode: Mode,
) -> Result<HttpResponse, AppError> {
    let schools = match mode {
        Mode::Edit { .. } => None,
        Mode::New => listing::school_choices(state, authed, &f.school).await?,
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (title, post_to, cancel, button, version) = match mode {
        Mode::New => (
            "buildings.new_title",
            "/buildings".to_string(),
            "/buildings".to_string(),
            "buildings.register",
            None,
        ),
        Mode::Edit { id, version } => (
            "buildings.edit_title",
            format!("/buildings/{id}"),
            format!("/buildings/{id}"),
            "action.save",
            Some(version),
        ),
    };
    let t = NewPage {
        page: Page::new(ctx, title),
        fields: fields(&f, &errors, schools),
        errors,
        post_to,
        cancel,
        button,
        version,
    };
    render_status(&t, status)
}

pub async fn form(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    rules::may_register_somewhere(&authed.actor())?;
    if let Some((f, errors)) =
        forms::kept::<BuildingForm>(&state, &ctx, q.draft.as_deref(), FORM).await?
    {
        return form_page(&state, &ctx, &authed, f, errors, Mode::New).await;
    }
    let f = BuildingForm::default();
    form_page(&state, &ctx, &authed, f, FormErrors::default(), Mode::New).await
}

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    rules::may_register_somewhere(&authed.actor())?;
    let posted = forms::read(&req, payload).await?;
    let f: BuildingForm = posted.parse()?;
    let mut errors: Vec<FieldError> = Vec::new();
    // School users always add for their own school, whatever the form says.
    let school_id = match listing::school_for_new(&state, &authed, &f.school).await? {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(id) = school_id {
        rules::may_register(&authed.actor(), id)?;
    }
    let building = match validate_building(&f.building, state.today()) {
        Ok(b) => Some(b),
        Err(fields) => {
            errors.extend(fields);
            None
        }
    };
    let (Some(school_id), Some(building), true) = (school_id, building, errors.is_empty()) else {
        let site = Site {
            form: FORM.into(),
            page: "/buildings/new".into(),
            anchor: "form-building".into(),
        };
        let (state, ctx, authed) = (&state, &ctx, &authed);
        return forms::refuse_or(
            state,
            ctx,
            &req,
            &site,
            posted.typed(),
            &errors,
            |fields, e| async move {
                let f = forms::restore_pairs::<BuildingForm>(&fields);
                form_page(state, ctx, authed, f, e, Mode::New).await
            },
        )
        .await;
    };
    let by = authed.by(state.now());
    let id = state
        .db(move |conn| Ok(store::register(conn, &by, school_id, &building)?))
        .await?;
    forms::succeeded(&state, &ctx, FORM).await;
    Ok(flash_redirect(
        &format!("/buildings/{id}"),
        "buildings.flash.registered",
    ))
}
