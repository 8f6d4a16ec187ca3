//! The school registry: everyone of the county reads it; only the admin changes it.

pub mod active;
pub mod edit;
pub mod import;
pub mod list;
pub mod new;
pub mod show;

use actix_web::web;

use crate::domain::access::{self, Action, Actor, Target};
use crate::web::nav::Entry;

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

/// The school list for county roles; a school user's own school.
pub fn nav(a: &Actor) -> Vec<Entry> {
    if access::decide(a, Action::ListSchools, Target::County).is_ok() {
        return vec![("/schools".into(), "nav.schools")];
    }
    match a.home() {
        Target::School(id) => vec![(format!("/schools/{id}"), "nav.my_school")],
        Target::County => Vec::new(),
    }
}
