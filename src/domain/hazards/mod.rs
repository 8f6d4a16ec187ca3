//! Hazards (隐患): one ledger for campus-periphery leads and on-campus hazards, run as a closed
//! loop (发现→核实→交办→整改→验收→销号). The words of the module live here; `rules` is the machine
//! and the policy, `input` what each form must hold, `report` the monthly arithmetic, `queues`
//! what waits for whom, `notify` whom each step tells.

pub mod input;
pub mod notify;
pub mod queues;
pub mod report;
pub mod rules;

use super::audit::RecordKind;
use super::enums::str_enum;

str_enum!(pub State: "hazards.state" {
    Reported = "reported",
    Registered = "registered",
    Dismissed = "dismissed",
    Duplicate = "duplicate",
    Referred = "referred",
    Rectifying = "rectifying",
    AwaitingAcceptance = "awaiting_acceptance",
    Closed = "closed",
});

str_enum!(pub HazardAction: "hazards.action" {
    Register = "register",
    Dismiss = "dismiss",
    MarkDuplicate = "mark_duplicate",
    Refer = "refer",
    Assign = "assign",
    Submit = "submit",
    Accept = "accept",
    Return = "return",
    Reopen = "reopen",
});

str_enum!(
    /// What a hazard's events in the audit trail say happened: the actions of the loop, plus
    /// the report itself, photos and supervision.
    pub HazardEvent: "hazards.event" {
    Report = "report",
    Register = "register",
    Dismiss = "dismiss",
    MarkDuplicate = "mark_duplicate",
    Refer = "refer",
    Assign = "assign",
    Submit = "submit",
    Accept = "accept",
    Return = "return",
    Reopen = "reopen",
    Photo = "photo",
    Supervise = "supervise",
    Unsupervise = "unsupervise",
}
);

str_enum!(pub Level: "hazards.level" { General = "general", Major = "major" });

str_enum!(pub Source: "hazards.source" { Periphery = "periphery", Campus = "campus" });

str_enum!(pub Category: "hazards.category" {
    Building = "building",
    Fire = "fire",
    Electrical = "electrical",
    SportsEquipment = "sports_equipment",
    Canteen = "canteen",
    Traffic = "traffic",
    Water = "water",
    Vendors = "vendors",
    Entertainment = "entertainment",
    Construction = "construction",
    PublicOrder = "public_order",
    Security = "security",
    Other = "other",
});

str_enum!(pub HowFound: "hazards.how_found" { Daily = "daily", Special = "special", Joint = "joint" });

str_enum!(
    /// How the ledger is ordered.
    pub Sort: "hazards.sort" {
        /// Newest report first.
        Newest = "newest",
        /// Longest untouched first (the review queue).
        Oldest = "oldest",
        /// Nearest deadline first.
        Deadline = "deadline",
    }
);

/// The record kind of hazards in the audit trail and among attachments.
pub const KIND: RecordKind = RecordKind::Hazard;

impl State {
    /// Open hazards still need work; closed, dismissed, duplicate and referred ones do not.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            State::Reported | State::Registered | State::Rectifying | State::AwaitingAcceptance
        )
    }

    /// Every open state, for queries.
    pub fn open() -> Vec<State> {
        State::ALL.iter().copied().filter(|s| s.is_open()).collect()
    }
}

impl From<HazardAction> for HazardEvent {
    fn from(a: HazardAction) -> HazardEvent {
        use HazardAction as A;
        match a {
            A::Register => HazardEvent::Register,
            A::Dismiss => HazardEvent::Dismiss,
            A::MarkDuplicate => HazardEvent::MarkDuplicate,
            A::Refer => HazardEvent::Refer,
            A::Assign => HazardEvent::Assign,
            A::Submit => HazardEvent::Submit,
            A::Accept => HazardEvent::Accept,
            A::Return => HazardEvent::Return,
            A::Reopen => HazardEvent::Reopen,
        }
    }
}

/// The county's choices that change who may do what.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Schools may accept (and return) their own general, unsupervised hazards. Off by default:
    /// the bureau reviews every fix.
    pub schools_accept_general: bool,
}

pub const SETTING_SCHOOLS_ACCEPT_GENERAL: &str = "hazards.schools_accept_general";

/// What the rules need to know about a hazard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub school_id: i64,
    pub state: State,
    pub level: Level,
    pub supervised: bool,
    /// Who submitted the fix now awaiting acceptance.
    pub submitted_by: Option<i64>,
    /// Raised by a building's D grade: closed by the bureau's acceptance of the building's
    /// disposal, not through the loop's own submit.
    pub from_building: bool,
}

/// Every catalog key the module's words need (checked against both catalogs by a test).
pub fn labels() -> Vec<&'static str> {
    [
        State::labels(),
        HazardAction::labels(),
        HazardEvent::labels(),
        Level::labels(),
        Source::labels(),
        Category::labels(),
        HowFound::labels(),
        Sort::labels(),
        queues::Queue::labels(),
        notify::HazardNotice::labels(),
    ]
    .concat()
}
