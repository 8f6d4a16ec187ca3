//! The anonymous tip (匿名举报), no account needed: GET /tip?school=CODE draws the short form,
//! POST /tip files it as a case in `reported` and answers with a receipt code shown once,
//! GET /tip/status?code=… shows only that case's state. Throttled per address and per school;
//! the address is kept only hashed inside the throttle's key, which expires within the hour.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::token;
use crate::domain::bullying::input::{PLACE_MAX, SUMMARY_MAX, TipDraft, validate_tip};
use crate::error::AppError;
use crate::store::{StoreError, bullying as store};
use crate::web::ctx::RequestCtx;
use crate::web::fields::{Field, Kind};
use crate::web::forms;
use crate::web::page::{FormErrors, Page, render, render_status};
use crate::web::state::State;

#[derive(Deserialize, Default)]
pub struct TipQuery {
    pub school: Option<String>,
}

#[derive(Template)]
#[template(path = "bullying/tip.html")]
struct TipPage {
    page: Page,
    fields: Vec<Field>,
    errors: FormErrors,
    message: Option<String>,
}

fn fields(d: &TipDraft, e: &FormErrors, today: chrono::NaiveDate) -> Vec<Field> {
    let field = |name, label, kind| Field::new("tip", name, label, kind).errors(e);
    vec![
        field("school", "bullying.tip.school", Kind::Text)
            .required(true)
            .max(32)
            .value(&d.school)
            .hint("bullying.tip.school_hint"),
        field("summary", "bullying.tip.summary", Kind::Textarea)
            .required(true)
            .max(SUMMARY_MAX)
            .value(&d.summary)
            .hint("bullying.tip.summary_hint"),
        field("place", "bullying.col.place", Kind::Text)
            .max(PLACE_MAX)
            .value(&d.place),
        field("happened_on", "bullying.col.happened_on", Kind::Date)
            .value(&d.happened_on)
            .max_date(today.to_string()),
    ]
}

fn tip_page(
    ctx: &RequestCtx,
    state: &State,
    d: &TipDraft,
    errors: FormErrors,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let t = TipPage {
        page: Page::new(ctx, "bullying.tip_title"),
        fields: fields(d, &errors, state.today()),
        errors,
        message,
    };
    render_status(&t, status)
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    q: web::Query<TipQuery>,
) -> Result<HttpResponse, AppError> {
    let d = TipDraft {
        school: q.school.clone().unwrap_or_default(),
        ..Default::default()
    };
    tip_page(
        &ctx,
        &state,
        &d,
        FormErrors::default(),
        None,
        StatusCode::OK,
    )
}

/// The throttle's keys: the address hashed (never stored as it is), and the school.
fn keys(ip: &str, school: &str) -> (String, String) {
    (
        format!("tip-ip:{}", &token::token_hash(ip)[..16]),
        format!("tip-school:{}", school.trim().to_uppercase()),
    )
}

#[derive(Template)]
#[template(path = "bullying/tip_receipt.html")]
struct ReceiptPage {
    page: Page,
    code: String,
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let posted = forms::read(&req, payload).await?;
    let d: TipDraft = posted.parse()?;
    let now = state.now();
    let (ip_key, school_key) = keys(&ctx.ip, &d.school);
    let wait = {
        let (i, s) = (ip_key.clone(), school_key.clone());
        state
            .db(move |conn| Ok(store::tip_wait(conn, (&i, &s), now)?))
            .await?
    };
    if wait.is_some() {
        let message = ctx.lang.catalog().get("bullying.tip.throttled").to_string();
        return tip_page(
            &ctx,
            &state,
            &d,
            FormErrors::default(),
            Some(message),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let tip = match validate_tip(&d, state.today()) {
        Ok(t) => t,
        Err(e) => {
            let errors = FormErrors::from_fields(&e);
            return tip_page(
                &ctx,
                &state,
                &d,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let code = token::receipt_code();
    let hash = token::token_hash(&code);
    let school = d.school.trim().to_uppercase();
    let filed = state
        .db(move |conn| {
            Ok(store::tip(
                conn,
                (&school, &tip),
                &hash,
                now,
                (&ip_key, &school_key),
            ))
        })
        .await?;
    match filed {
        Ok(_) => render(&ReceiptPage {
            page: Page::new(&ctx, "bullying.tip_receipt_title"),
            code,
        }),
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::from_fields(&e);
            tip_page(
                &ctx,
                &state,
                &d,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct StatusQuery {
    pub code: Option<String>,
}

#[derive(Template)]
#[template(path = "bullying/tip_status.html")]
struct StatusPage {
    page: Page,
    code: String,
    /// The case's state, when the code was given and is known.
    state_key: Option<&'static str>,
    asked: bool,
}

/// A receipt's case state, and nothing else: a wrong code reads like no code at all.
pub async fn status(
    state: State,
    ctx: RequestCtx,
    q: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let code: String = q
        .code
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_uppercase()
        .chars()
        .take(20)
        .collect();
    let asked = !code.is_empty();
    let found = if asked {
        let hash = token::token_hash(&code);
        state
            .db(move |conn| Ok(store::state_by_receipt(conn, &hash)?))
            .await?
    } else {
        None
    };
    render(&StatusPage {
        page: Page::new(&ctx, "bullying.tip_status_title"),
        code,
        state_key: found.map(|s| s.label()),
        asked,
    })
}
