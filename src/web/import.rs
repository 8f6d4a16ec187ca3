//! The CSV import page shared by schools and users: the expected columns, the upload form,
//! and the row-numbered reasons a file was refused.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::ctx::RequestCtx;
use super::page::{Page, render_status};
use crate::domain::school::SchoolKind;
use crate::error::AppError;
use crate::store::import::RowError;

/// The upload; 2 MB holds tens of thousands of rows.
#[derive(MultipartForm)]
pub struct Upload {
    #[multipart(limit = "2MB")]
    pub file: Option<FileBytes>,
}

/// One refused row in words.
pub struct RowMessage {
    pub line: usize,
    pub text: String,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    page: Page,
    action: &'static str,
    back: &'static str,
    columns: &'static [&'static str],
    example: &'static str,
    errors: Vec<RowMessage>,
    /// The school kinds' codes and names, for a file written by hand (the schools' page).
    kinds: Vec<(&'static str, &'static str)>,
}

pub struct ImportSpec {
    pub title: &'static str,
    pub action: &'static str,
    pub back: &'static str,
    pub columns: &'static [&'static str],
    pub example: &'static str,
}

pub fn page(
    ctx: &RequestCtx,
    spec: &ImportSpec,
    errors: &[RowError],
) -> Result<HttpResponse, AppError> {
    let page = Page::new(ctx, spec.title);
    let messages = errors
        .iter()
        .map(|e| RowMessage {
            line: e.line,
            text: e
                .fields
                .iter()
                .map(|f| {
                    let message = page.t(f.message);
                    let message = match &f.arg {
                        Some(arg) => message.replacen("{}", arg, 1),
                        None => message,
                    };
                    format!("{}: {message}", page.t(format!("field.{}", f.field)))
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect::<Vec<_>>();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = ImportPage {
        page,
        action: spec.action,
        back: spec.back,
        columns: spec.columns,
        example: spec.example,
        errors: messages,
        kinds: if spec.columns.contains(&"kind") {
            SchoolKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect()
        } else {
            Vec::new()
        },
    };
    render_status(&t, status)
}

/// The uploaded bytes, or a refusal on line 1 when no file came.
pub fn bytes(upload: Upload) -> Result<Vec<u8>, Vec<RowError>> {
    match upload.file {
        Some(f) if !f.data.is_empty() => Ok(f.data.to_vec()),
        _ => Err(vec![RowError {
            line: 1,
            fields: crate::domain::validate::FieldError::only("file", "error.no_file"),
        }]),
    }
}

impl ImportPage {
    fn field_key(&self, c: &str) -> String {
        format!("field.{c}")
    }
}
