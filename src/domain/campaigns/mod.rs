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
    Redone = "redone",
});

impl CampaignNotice {
    /// A new campaign tells every school's officers (about the campaign); a returned item
    /// tells its school's, and the item redone tells the bureau that returned it (about the
    /// school's mark).
    pub fn notice(self) -> Notice {
        let (kind, audience) = match self {
            CampaignNotice::Created => (KIND, Audience::SchoolAdmins),
            CampaignNotice::Returned => (RecordKind::CampaignMark, Audience::SchoolAdmins),
            CampaignNotice::Redone => (RecordKind::CampaignMark, Audience::Bureau),
        };
        Notice {
            kind,
            event: self.as_str(),
            audience: vec![audience],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_notice_tells_whom_it_should() {
        assert_eq!(
            CampaignNotice::Created.notice().audience,
            vec![Audience::SchoolAdmins]
        );
        assert_eq!(
            CampaignNotice::Returned.notice().audience,
            vec![Audience::SchoolAdmins]
        );
        assert_eq!(
            CampaignNotice::Redone.notice().audience,
            vec![Audience::Bureau]
        );
        assert_eq!(
            CampaignNotice::Redone.notice().kind,
            RecordKind::CampaignMark
        );
        assert_eq!(path(3), "/campaigns/3");
    }
}
