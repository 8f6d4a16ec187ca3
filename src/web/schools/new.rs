//! GET /schools/new and POST /schools: the admin registers a school. A refused form keeps what
//! was typed (the kit's drafts).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::access::{Action, Target};
use crate::domain::school::{
    self, CODE_MAX, NAME_MAX, PHONE_MAX, PRINCIPAL_MAX, PUPILS_MAX, STAFF_MAX, SchoolDraft,
    SchoolKind, TOWNSHIP_MAX,
};
use crate::error::AppError;
use crate::store::{StoreError, schools};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

const FORM: &str = "schools/new";

#[derive(Template)]
#[template(path = "schools/form.html")]
pub struct SchoolFormPage {
    pub page: Page,
    pub action: String,
    pub f: SchoolDraft,
    pub errors: FormErrors,
    pub is_new: bool,
}

impl SchoolFormPage {
    /// The form's fields, with the limits the rules check.
    fn fields(&self) -> Vec<Field> {
        let (f, e) = (&self.f, &self.errors);
        let field = |name, label, kind, max: usize, value: &String| {
            Field::new("school", name, label, kind)
                .max(max)
                .value(value.clone())
                .errors(e)
        };
        let count = |name, label, max: i32, value: &String| {
            field(name, label, Kind::Text, max.to_string().len(), value).inputmode("numeric")
        };
        vec![
            field("code", "field.code", Kind::Text, CODE_MAX, &f.code)
                .required(true)
                .hint("schools.code_hint"),
            field("name", "field.name", Kind::Text, NAME_MAX, &f.name).required(true),
            field(
                "township",
                "field.township",
                Kind::Text,
                TOWNSHIP_MAX,
                &f.township,
            ),
            field("kind", "field.kind", Kind::Select, 0, &f.kind)
                .required(true)
                .choices(choices::<SchoolKind>(&f.kind)),
            count("pupils", "field.pupils", PUPILS_MAX, &f.pupils),
            count("boarders", "field.boarders", PUPILS_MAX, &f.boarders),
            count("staff", "field.staff", STAFF_MAX, &f.staff),
            field(
                "principal",
                "field.principal",
                Kind::Text,
                PRINCIPAL_MAX,
                &f.principal,
            ),
            field("phone", "field.phone", Kind::Text, PHONE_MAX, &f.phone).inputmode("tel"),
        ]
    }
}

/// The school form, new or of school `id`, with a refused try's values and errors (422).
pub fn page(
    ctx: &RequestCtx,
    id: Option<i64>,
    f: SchoolDraft,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (title, action) = match id {
        Some(id) => ("schools.edit_title", format!("/schools/{id}")),
        None => ("schools.new_title", "/schools".into()),
    };
    render_status(
        &SchoolFormPage {
            page: Page::new(ctx, title),
            action,
            f,
            errors,
            is_new: id.is_none(),
        },
        status,
    )
}

/// Where a refused school form comes back to.
pub fn site(id: Option<i64>) -> Site {
    let (form, page) = match id {
        Some(id) => (format!("schools/{id}/edit"), format!("/schools/{id}/edit")),
        None => (FORM.into(), "/schools/new".into()),
    };
    Site {
        form,
        page,
        anchor: "form-school".into(),
    }
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSchools, Target::County)?;
    if let Some((f, errors)) = forms::kept(&state, &ctx, q.draft.as_deref(), FORM).await? {
        return page(&ctx, None, f, errors);
    }
    let f = SchoolDraft {
        kind: SchoolKind::Primary.as_str().into(),
        ..Default::default()
    };
    page(&ctx, None, f, FormErrors::default())
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    form: web::Form<SchoolDraft>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSchools, Target::County)?;
    let f = form.into_inner();
    let errors = match school::validate(&f) {
        Ok(input) => {
            let actor = authed.event_actor();
            let result = state
                .db(move |conn| Ok(schools::create(conn, &actor, &input)))
                .await?;
            match result {
                Ok(id) => {
                    forms::succeeded(&state, &ctx, FORM).await;
                    return Ok(flash_redirect(
                        &format!("/schools/{id}"),
                        "schools.flash.created",
                    ));
                }
                Err(StoreError::Invalid(fields)) => fields,
                Err(e) => return Err(e.into()),
            }
        }
        Err(fields) => fields,
    };
    let fields = forms::pairs(&f);
    forms::refuse_or(
        &state,
        &ctx,
        &req,
        &site(None),
        fields,
        &errors,
        |_, e| async { page(&ctx, None, f, e) },
    )
    .await
}
