//! Campaign checklists: the list of campaigns with the bureau's form for a new one, a
//! campaign's page (completion per school × item, by pages of schools), and the two steps on
//! an item: done (the school's officer, with an optional evidence file) and returned (the
//! bureau, with a comment).

pub mod export;
pub mod grid;
pub mod list;
pub mod mark;
pub mod show;

use crate::domain::access::Actor;
use crate::domain::campaigns::rules;
use crate::web::nav::Entry;
use crate::web::routes::Routes;

pub fn routes(r: &mut Routes) {
    r.get("/campaigns", list::show)
        .post("/campaigns", list::create)
        .get("/campaigns/{id}", show::show)
        .get("/campaigns/{id}/completion.csv", export::csv)
        .post("/campaigns/{id}/items/{item_id}/done", mark::done)
        .post("/campaigns/{id}/items/{item_id}/return", mark::return_item);
}

pub fn nav(a: &Actor) -> Vec<Entry> {
    if rules::may_list(a).is_ok() {
        vec![("/campaigns".into(), "nav.campaigns")]
    } else {
        Vec::new()
    }
}

pub fn labels() -> Vec<&'static str> {
    vec![
        "nav.campaigns",
        "campaigns.title",
        "campaigns.flash.created",
        "campaigns.flash.done",
        "campaigns.flash.returned",
    ]
}
