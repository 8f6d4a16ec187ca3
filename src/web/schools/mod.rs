//! The school registry: everyone of the county reads it; only the admin changes it.

pub mod active;
pub mod edit;
pub mod import;
pub mod list;
pub mod lookup;
pub mod new;
pub mod show;

use crate::web::routes::Routes;

use crate::domain::access::{self, Action, Actor, Target};
use crate::web::nav::Entry;

pub fn routes(r: &mut Routes) {
    r.get("/schools", list::show)
        .post("/schools", new::submit)
        .get("/schools/new", new::form)
        .get("/schools/import", import::form)
        .get("/schools/lookup", lookup::show)
        .post("/schools/import", import::submit)
        .get("/schools/{id}", show::show)
        .post("/schools/{id}", edit::submit)
        .get("/schools/{id}/edit", edit::form)
        .post("/schools/{id}/active", active::submit);
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
