//! Safety education and drills: the register (list, filters, exports), recording a session with
//! its photos, one session's page, and the county's view of topics per month with the schools
//! that still owe a drowning-prevention session. Every route asks `domain::education::rules`.

pub mod export;
pub mod list;
pub mod new;
pub mod overview;
pub mod show;

use crate::domain::access::Actor;
use crate::domain::education::rules;
use crate::web::nav::Entry;
use crate::web::routes::Routes;

pub fn routes(r: &mut Routes) {
    r.get("/education", list::show)
        .get("/education.csv", export::csv)
        .get("/education.xlsx", export::xlsx)
        .get("/education/new", new::form)
        .post("/education", new::submit)
        .get("/education/overview", overview::show)
        .get("/education/{id}", show::show)
        .post("/education/{id}/photos", show::photos);
}

pub fn nav(a: &Actor) -> Vec<Entry> {
    if rules::may_list(a).is_ok() {
        vec![("/education".into(), "nav.education")]
    } else {
        Vec::new()
    }
}

pub fn labels() -> Vec<&'static str> {
    vec![
        "nav.education",
        "education.title",
        "education.new_title",
        "education.overview_title",
        "education.flash.recorded",
        "education.sheet",
    ]
}
