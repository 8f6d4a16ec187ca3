//! GET /education/new and POST /education: a session or drill is recorded, with photos. The
//! school's officer records for the own school, the bureau names the school. A refused form
//! keeps what was typed and the photos chosen.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::domain::attachments::{MAX_PER_STAGE, Stage};
use crate::domain::education::input::{NOTE_MAX, SessionDraft, validate_session};
use crate::domain::education::{KIND, SessionKind, Topic, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::attachments::{self, Kept};
use crate::store::education as store;
use crate::web::attachments::{keep_photos, kept};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::listing;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

const FORM: &str = "education/new";

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct SessionForm {
    #[serde(flatten)]
    pub session: SessionDraft,
    pub school: String,
}

#[derive(Template)]
#[template(path = "education/new.html")]
struct NewPage {
    page: Page,
    fields: Vec<Field>,
    errors: FormErrors,
    kept: Vec<(i64, Option<(u32, u32)>)>,
}

fn fields(
    f: &SessionForm,
    e: &FormErrors,
    schools: Option<Vec<Choice>>,
    today: &str,
) -> Vec<Field> {
    let s = &f.session;
    let field = |name, label, kind| Field::new("session", name, label, kind).errors(e);
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
        field("kind", "education.col.kind", Kind::Radio).choices(choices::<SessionKind>(&s.kind)),
        field("topic", "education.col.topic", Kind::Select)
            .required(true)
            .choices(choices::<Topic>(&s.topic)),
        field("held_on", "education.col.held_on", Kind::Date)
            .required(true)
            .value(&s.held_on)
            .max_date(today),
        field("participants", "education.col.participants", Kind::Text)
            .required(true)
            .inputmode("numeric")
            .value(&s.participants),
        field("note", "education.col.note", Kind::Textarea)
            .max(NOTE_MAX)
            .value(&s.note),
        field("photo", "education.photos", Kind::Photos).hint("education.photo_hint"),
    ]);
    out
}

async fn form_page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    f: SessionForm,
    errors: FormErrors,
    kept: Vec<(i64, Option<(u32, u32)>)>,
) -> Result<HttpResponse, AppError> {
    let schools = listing::school_choices(state, authed, &f.school).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = NewPage {
        page: Page::new(ctx, "education.new_title"),
        fields: fields(&f, &errors, schools, &state.today().to_string()),
        errors,
        kept,
    };
    render_status(&t, status)
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    rules::may_record_somewhere(&authed.actor())?;
    if let Some(d) = forms::draft(&state, &ctx, q.draft.as_deref())
        .await?
        .filter(|d| d.form == FORM)
    {
        let errors = FormErrors::from_kept(&d.errors);
        return typed_again(&state, &ctx, &authed, &d.fields, errors).await;
    }
    let f = SessionForm {
        session: SessionDraft {
            kind: SessionKind::Education.as_str().into(),
            held_on: state.today().to_string(),
            ..Default::default()
        },
        school: String::new(),
    };
    form_page(&state, &ctx, &authed, f, FormErrors::default(), Vec::new()).await
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    rules::may_record_somewhere(&authed.actor())?;
    let posted = forms::read(&req, payload).await?;
    let f: SessionForm = posted.parse()?;
    let mut kept_ids = posted.ids("kept");
    let photos = posted.files("photo");
    let mut errors: Vec<FieldError> = Vec::new();
    if (kept_ids.len() + photos.len()) as i64 > MAX_PER_STAGE {
        errors.push(attachments::too_many_error("photo"));
    } else if !photos.is_empty() {
        match keep_photos(
            &state,
            &authed,
            FORM,
            KIND,
            Stage::Evidence,
            photos,
            "photo",
        )
        .await?
        {
            Ok(ids) => kept_ids.extend(ids),
            Err(e) => errors.push(e),
        }
    }
    let school_id = match listing::school_for_new(&state, &authed, &f.school).await? {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(id) = school_id {
        rules::may_record(&authed.actor(), id)?;
    }
    let session = match validate_session(&f.session, state.today()) {
        Ok(s) => Some(s),
        Err(fields) => {
            errors.extend(fields);
            None
        }
    };
    let (Some(school_id), Some(session), true) = (school_id, session, errors.is_empty()) else {
        return refuse(&state, &ctx, &authed, &req, &posted, kept_ids, errors).await;
    };
    let (by, sid, ids) = (authed.by(state.now()), authed.session.id, kept_ids.clone());
    let recorded = state
        .db(move |conn| {
            let photos = Kept {
                session_id: sid,
                form: FORM,
                ids: &ids,
            };
            Ok(store::record(conn, &by, school_id, &session, Some(photos)))
        })
        .await?;
    let id = match recorded {
        Ok(id) => id,
        Err(StoreError::Invalid(fields)) => {
            return refuse(&state, &ctx, &authed, &req, &posted, kept_ids, fields).await;
        }
        Err(e) => return Err(e.into()),
    };
    forms::succeeded(&state, &ctx, FORM).await;
    Ok(flash_redirect(
        &format!("/education/{id}"),
        "education.flash.recorded",
    ))
}

async fn refuse(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    posted: &forms::Posted,
    kept_ids: Vec<i64>,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, AppError> {
    let mut fields = posted.typed();
    fields.extend(kept_ids.iter().map(|k| ("kept".to_string(), k.to_string())));
    let site = Site {
        form: FORM.into(),
        page: "/education/new".into(),
        anchor: "form-session".into(),
    };
    forms::refuse_or(
        state,
        ctx,
        req,
        &site,
        fields,
        &errors,
        |fields, e| async move { typed_again(state, ctx, authed, &fields, e).await },
    )
    .await
}

async fn typed_again(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    fields: &[(String, String)],
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let files = kept(state, authed, FORM, &forms::ids(fields, "kept")).await?;
    let shown = files.iter().map(|a| (a.id, a.thumb_size())).collect();
    let f = forms::restore_pairs::<SessionForm>(fields);
    form_page(state, ctx, authed, f, errors, shown).await
}
