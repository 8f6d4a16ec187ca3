//! GET /bullying/new and POST /bullying: a case is reported. A school's staff and officer
//! report for their own school, the bureau names the school. Whoever does not read cases (a
//! teacher) is sent to a page that only says the report was received.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::domain::bullying::input::{CaseDraft, PLACE_MAX, SUMMARY_MAX, validate_case};
use crate::domain::bullying::{ReporterKind, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::bullying as store;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, Field, Kind, choices};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::listing;
use crate::web::page::{FormErrors, Page, render, render_status};
use crate::web::state::State;

const FORM: &str = "bullying/new";

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct CaseForm {
    #[serde(flatten)]
    pub case: CaseDraft,
}

#[derive(Template)]
#[template(path = "bullying/new.html")]
struct NewPage {
    page: Page,
    fields: Vec<Field>,
    errors: FormErrors,
}

fn fields(f: &CaseDraft, e: &FormErrors, schools: Option<Vec<Choice>>) -> Vec<Field> {
    let field = |name, label, kind| Field::new("case", name, label, kind).errors(e);
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
        field("reported_on", "bullying.col.reported_on", Kind::Date)
            .required(true)
            .value(&f.reported_on),
        field("reporter_kind", "bullying.col.reporter", Kind::Select)
            .required(true)
            .choices(choices::<ReporterKind>(&f.reporter_kind)),
        field("summary", "bullying.col.summary", Kind::Textarea)
            .required(true)
            .max(SUMMARY_MAX)
            .value(&f.summary)
            .hint("bullying.summary_hint"),
        field("place", "bullying.col.place", Kind::Text)
            .max(PLACE_MAX)
            .value(&f.place),
    ]);
    out
}

async fn form_page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    f: CaseDraft,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let schools = listing::school_choices(state, authed, &f.school).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = NewPage {
        page: Page::new(ctx, "bullying.new_title"),
        fields: fields(&f, &errors, schools),
        errors,
    };
    render_status(&t, status)
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    rules::may_report_somewhere(&authed.actor())?;
    if let Some((f, errors)) =
        forms::kept::<CaseForm>(&state, &ctx, q.draft.as_deref(), FORM).await?
    {
        return form_page(&state, &ctx, &authed, f.case, errors).await;
    }
    let f = CaseDraft {
        reported_on: state.today().to_string(),
        ..Default::default()
    };
    form_page(&state, &ctx, &authed, f, FormErrors::default()).await
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    rules::may_report_somewhere(&who)?;
    let posted = forms::read(&req, payload).await?;
    let f: CaseForm = posted.parse()?;
    let mut errors: Vec<FieldError> = Vec::new();
    let school_id = match listing::school_for_new(&state, &authed, &f.case.school).await? {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(id) = school_id {
        rules::may_report(&who, id)?;
    }
    let case = match validate_case(&f.case, state.today()) {
        Ok(c) => Some(c),
        Err(fields) => {
            errors.extend(fields);
            None
        }
    };
    let (Some(school_id), Some(case), true) = (school_id, case, errors.is_empty()) else {
        let site = Site {
            form: FORM.into(),
            page: "/bullying/new".into(),
            anchor: "form-case".into(),
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
                let f = forms::restore_pairs::<CaseForm>(&fields);
                form_page(state, ctx, authed, f.case, e).await
            },
        )
        .await;
    };
    let by = authed.by(state.now());
    let c = state
        .db(move |conn| Ok(store::report(conn, &by, school_id, &case)?))
        .await?;
    forms::succeeded(&state, &ctx, FORM).await;
    if rules::sees_case_after_reporting(&who) {
        Ok(flash_redirect(
            &format!("/bullying/{}", c.id),
            "bullying.flash.reported",
        ))
    } else {
        Ok(flash_redirect(
            "/bullying/received",
            "bullying.flash.reported",
        ))
    }
}

#[derive(Template)]
#[template(path = "bullying/received.html")]
struct ReceivedPage {
    page: Page,
}

/// What a reporter who reads no case sees: that it was received, and nothing of the case.
pub async fn received(ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    rules::may_report_somewhere(&authed.actor())?;
    render(&ReceivedPage {
        page: Page::new(&ctx, "bullying.received_title"),
    })
}
