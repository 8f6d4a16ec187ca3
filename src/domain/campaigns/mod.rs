//! Campaign checklists (专项行动, e.g. the nine-item "九个一"): the bureau defines a campaign —
//! a name, a period and its items, which are data the bureau enters, not code — and each school
//! marks each item done with a day, a note and optional evidence. The bureau may return a done
//! item with a comment; the school then does it again. `rules` is who may do which step,
//! `input` what each form holds, `completion` the arithmetic of the county's figures.

pub mod completion;
pub mod input;
pub mod rules;

use super::audit::RecordKind;
use super::enums::str_enum;
use super::notify::{Audience, Notice};

str_enum!(pub MarkState: "campaigns.state" {
    Done = "done",
    Returned = "returned",
});

str_enum!(pub CampaignEvent: "campaigns.event" {
    Create = "create",
    Done = "done",
    Returned = "returned",
    Evidence = "evidence",
});

str_enum!(pub CampaignNotice: "campaigns.notice" {
    Created = "created",
    Returned = "returned",
});

impl CampaignNotice {
    /// A new campaign tells every school's officers; a returned item tells its school's.
    pub fn notice(self) -> Notice {
        Notice {
            kind: KIND,
            event: self.as_str(),
            audience: vec![Audience::SchoolAdmins],
        }
    }
}

pub const KIND: RecordKind = RecordKind::Campaign;

/// A campaign's page: where its notices link.
pub fn path(id: i64) -> String {
    format!("/campaigns/{id}")
}

/// The reference a notice carries (专项 + the campaign's number).
pub fn reference(id: i64) -> String {
    format!("ZX-{id}")
}

pub fn labels() -> Vec<&'static str> {
    [
        MarkState::labels(),
        CampaignEvent::labels(),
        CampaignNotice::labels(),
    ]
    .concat()
}
