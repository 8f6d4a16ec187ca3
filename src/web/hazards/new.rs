//! GET /hazards/new and POST /hazards: a teacher reports a hazard from a phone in a minute,
//! optionally with photos. The form posts multipart (with the photos); plain form posts work
//! too, for other programs. A refused report keeps what was typed and the photos chosen.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::domain::attachments::MAX_PER_STAGE;
use crate::domain::attachments::Stage;
use crate::domain::hazards::input::{
    LOCATION_MAX, PERSON_MAX, ReportDraft, TEXT_MAX, TITLE_MAX, validate_report,
};
use crate::domain::hazards::{Category, HowFound, KIND, Level, Source, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::attachments::{self, Kept};
use crate::store::hazards as store;
use crate::web::attachments::{keep_photos, kept};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::listing;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State as AppStateData;

const FORM: &str = "hazards/new";

/// The report form as posted: the report itself, and the school (the bureau's choice).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct ReportForm {
    #[serde(flatten)]
    pub report: ReportDraft,
    pub school: String,
}

#[derive(Template)]
#[template(path = "hazards/new.html")]
struct NewPage {
    page: Page,
    fields: Vec<Field>,
    errors: FormErrors,
    kept: Vec<(i64, Option<(u32, u32)>)>,
}

fn fields(f: &ReportForm, e: &FormErrors, schools: Option<Vec<Choice>>, today: &str) -> Vec<Field> {
    let r = &f.report;
    let field = |name, label, kind| Field::new("report", name, label, kind).errors(e);
    // The photo first: on a phone the camera opens from it, and the rest is a few taps.
    let mut out =
        vec![field("photo", "hazards.photo_before", Kind::Photos).hint("hazards.photo_hint")];
    if let Some(schools) = schools {
        out.push(
            field("school", "field.school", Kind::Pick)
                .required(true)
                .value(f.school.clone())
                .choices(schools),
        );
    }
    out.extend([
        field("source", "field.source", Kind::Radio).choices(choices::<Source>(&r.source)),
        field("category", "field.category", Kind::Select)
            .required(true)
            .choices(choices::<Category>(&r.category)),
        field("title", "hazards.col.title", Kind::Text)
            .required(true)
            .max(TITLE_MAX)
            .value(&r.title)
            .hint("hazards.title_hint"),
        field("location", "hazards.col.location", Kind::Text)
            .max(LOCATION_MAX)
            .value(&r.location),
        field("level", "field.level", Kind::Radio).choices(choices::<Level>(&r.level)),
        field("description", "hazards.col.description", Kind::Textarea)
            .max(TEXT_MAX)
            .value(&r.description),
        field("found_on", "hazards.col.found_on", Kind::Date)
            .required(true)
            .value(&r.found_on)
            .max_date(today),
        field("how_found", "hazards.col.how_found", Kind::Select)
            .choices(choices::<HowFound>(&r.how_found)),
        field("found_by", "hazards.col.found_by", Kind::Text)
            .max(PERSON_MAX)
            .value(&r.found_by),
    ]);
    out
}

async fn form_page(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    f: ReportForm,
    errors: FormErrors,
    kept: Vec<(i64, Option<(u32, u32)>)>,
) -> Result<HttpResponse, AppError> {
    // School users always report for their own school; the bureau names one.
    // School users always report for their own school; the bureau names one.
    let schools = listing::school_choices(state, authed, &f.school).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = NewPage {
        page: Page::new(ctx, "hazards.new_title"),
        fields: fields(&f, &errors, schools, &state.today().to_string()),
        errors,
        kept,
    };
    render_status(&t, status)
}

pub async fn form(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    rules::may_report_somewhere(&authed.actor())?;
    if let Some(d) = forms::draft(&state, &ctx, q.draft.as_deref())
        .await?
        .filter(|d| d.form == FORM)
    {
        let errors = FormErrors::from_kept(&d.errors);
        return typed_again(&state, &ctx, &authed, &d.fields, errors).await;
    }
    let f = ReportForm {
        report: ReportDraft {
            source: Source::Campus.as_str().into(),
            level: Level::General.as_str().into(),
            how_found: HowFound::Daily.as_str().into(),
            found_on: state.today().to_string(),
            found_by: authed.user.display_name.clone(),
            ..Default::default()
        },
        school: String::new(),
    };
    form_page(&state, &ctx, &authed, f, FormErrors::default(), Vec::new()).await
}

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    rules::may_report_somewhere(&authed.actor())?;
    let posted = forms::read(&req, payload).await?;
    let mut f: ReportForm = posted.parse()?;
    let mut kept_ids = posted.ids("kept");
    let photos = posted.files("photo");
    let mut errors: Vec<FieldError> = Vec::new();
    if (kept_ids.len() + photos.len()) as i64 > MAX_PER_STAGE {
        // Not kept: more than a report takes, whichever the user meant to drop.
        errors.push(attachments::too_many_error("photo"));
    } else if !photos.is_empty() {
        match keep_photos(&state, &authed, FORM, KIND, Stage::Before, photos, "photo").await? {
            Ok(ids) => kept_ids.extend(ids),
            Err(e) => errors.push(e),
        }
    }
    // School users always add for their own school, whatever the form says.
    let school_id = match listing::school_for_new(&state, &authed, &f.school).await? {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(id) = school_id {
        rules::may_report(&authed.actor(), id)?;
    }
    if f.report.found_by.trim().is_empty() {
        f.report.found_by = authed.user.display_name.clone();
    }
    let report = match validate_report(&f.report, state.today()) {
        Ok(r) => Some(r),
        Err(fields) => {
            errors.extend(fields);
            None
        }
    };
    let (Some(school_id), Some(report), true) = (school_id, report, errors.is_empty()) else {
        return refuse(&state, &ctx, &authed, &req, &posted, kept_ids, errors).await;
    };
    let (by, session, ids) = (authed.by(state.now()), authed.session.id, kept_ids.clone());
    let reported = state
        .db(move |conn| {
            let photos = Kept {
                session_id: session,
                form: FORM,
                ids: &ids,
            };
            Ok(store::report(conn, &by, school_id, &report, Some(photos)))
        })
        .await?;
    let id = match reported {
        Ok((id, _)) => id,
        Err(StoreError::Invalid(fields)) => {
            return refuse(&state, &ctx, &authed, &req, &posted, kept_ids, fields).await;
        }
        Err(e) => return Err(e.into()),
    };
    forms::succeeded(&state, &ctx, FORM).await;
    Ok(flash_redirect(
        &format!("/hazards/{id}"),
        "hazards.flash.reported",
    ))
}

async fn refuse(
    state: &AppStateData,
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
        page: "/hazards/new".into(),
        anchor: "form-report".into(),
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

/// The form as it was refused: the values typed and the photos it keeps (422).
async fn typed_again(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    fields: &[(String, String)],
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let files = kept(state, authed, FORM, &forms::ids(fields, "kept")).await?;
    let shown = files.iter().map(|a| (a.id, a.thumb_size())).collect();
    let f = forms::restore_pairs::<ReportForm>(fields);
    form_page(state, ctx, authed, f, errors, shown).await
}
