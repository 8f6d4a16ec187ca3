//! Pure rules of the product: no HTTP, no SQL. Workflow machines, access rules, validation and
//! report arithmetic live here and are unit-tested hard. Each module is one folder
//! (`hazards/`, `reports/`, …: its words, `rules`, `input`, `report`); what every module shares
//! sits beside them.

pub mod access;
pub mod annual;
pub mod attachments;
pub mod audit;
pub mod buildings;
pub mod bullying;
pub mod campaigns;
pub mod county;
pub mod education;
pub mod enums;
pub mod hazards;
pub mod legal_vps;
pub mod month;
pub mod notify;
pub mod reports;
pub mod role;
pub mod school;
pub mod school_history;
pub mod search;
pub mod security;
pub mod throttle;
pub mod time;
pub mod today;
pub mod user;
pub mod validate;

/// Every catalog key the domain's enums name (roles, states, actions, kinds…): a test checks
/// both catalogs hold each. A new module adds its `labels()` here.
pub fn labels() -> Vec<&'static str> {
    [
        role::Role::labels(),
        role::Role::ALL.iter().map(|r| r.duty_label()).collect(),
        school::SchoolKind::labels(),
        audit::RecordKind::labels(),
        audit::RegistryEvent::labels(),
        attachments::Stage::labels(),
        hazards::labels(),
        buildings::labels(),
        security::labels(),
        bullying::labels(),
        education::labels(),
        legal_vps::labels(),
        campaigns::labels(),
        reports::labels(),
        today::labels(),
    ]
    .concat()
}
