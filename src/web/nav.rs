//! The main menu, drawn from the policies: each module offers its entries for an actor, and the
//! page shows what they return. A new module adds its `nav` function to [`MODULES`].

use crate::domain::access::Actor;

/// One entry: where it goes and its catalog key.
pub type Entry = (String, &'static str);

/// Each module's entries, in menu order.
const MODULES: &[fn(&Actor) -> Vec<Entry>] = &[
    home,
    super::hazards::nav,
    super::buildings::nav,
    super::security::nav,
    super::bullying::nav,
    super::education::nav,
    super::legal_vps::nav,
    super::campaigns::nav,
    super::reports::nav,
    super::schools::nav,
    super::users::nav,
    super::settings::nav,
    super::account::nav,
];

fn home(_: &Actor) -> Vec<Entry> {
    vec![("/".into(), "nav.home")]
}

/// The menu for this actor.
pub fn entries(actor: &Actor) -> Vec<Entry> {
    MODULES.iter().flat_map(|m| m(actor)).collect()
}
