//! Legal vice-principals: the county's register (filters, exports) with the schools nobody
//! serves, appointing one (the bureau), and one VP's page with its edit form.

pub mod export;
pub mod list;
pub mod write;

use crate::domain::access::Actor;
use crate::domain::legal_vps::may_list;
use crate::web::nav::Entry;
use crate::web::routes::Routes;

pub fn routes(r: &mut Routes) {
    r.get("/legal-vps", list::show)
        .get("/legal-vps.csv", export::csv)
        .get("/legal-vps.xlsx", export::xlsx)
        .get("/legal-vps/new", write::new_form)
        .post("/legal-vps", write::create)
        .get("/legal-vps/{id}", write::show)
        .post("/legal-vps/{id}", write::edit);
}

pub fn nav(a: &Actor) -> Vec<Entry> {
    if may_list(a).is_ok() {
        vec![("/legal-vps".into(), "nav.legal_vps")]
    } else {
        Vec::new()
    }
}

pub fn labels() -> Vec<&'static str> {
    vec![
        "nav.legal_vps",
        "legal_vps.title",
        "legal_vps.new_title",
        "legal_vps.flash.created",
        "legal_vps.flash.edited",
        "legal_vps.sheet",
    ]
}
