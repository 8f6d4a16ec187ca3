//! The school registry: everyone of the county reads it; only the admin changes it.

pub mod active;
pub mod edit;
pub mod import;
pub mod list;
pub mod new;
pub mod show;

use actix_web::web;
use serde::Deserialize;

use crate::domain::school::{KINDS, SchoolDraft};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/schools", web::get().to(list::show))
        .route("/schools", web::post().to(new::submit))
        .route("/schools/new", web::get().to(new::form))
        .route("/schools/import", web::get().to(import::form))
        .route("/schools/import", web::post().to(import::submit))
        .route("/schools/{id}", web::get().to(show::show))
        .route("/schools/{id}", web::post().to(edit::submit))
        .route("/schools/{id}/edit", web::get().to(edit::form))
        .route("/schools/{id}/active", web::post().to(active::submit));
}

/// The school form's fields, as posted.
#[derive(Deserialize, Default)]
pub struct SchoolFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub pupils: String,
    #[serde(default)]
    pub boarders: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub principal: String,
    #[serde(default)]
    pub phone: String,
}

impl SchoolFields {
    pub fn draft(&self) -> SchoolDraft {
        SchoolDraft {
            code: self.code.clone(),
            name: self.name.clone(),
            township: self.township.clone(),
            kind: self.kind.clone(),
            pupils: self.pupils.clone(),
            boarders: self.boarders.clone(),
            staff: self.staff.clone(),
            principal: self.principal.clone(),
            phone: self.phone.clone(),
        }
    }
}

pub fn kind_key(kind: &str) -> String {
    format!("school.kind.{kind}")
}

pub fn kinds() -> &'static [&'static str] {
    &KINDS
}
