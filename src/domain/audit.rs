//! The audit trail's hash chain: each event holds the hash of the one before it in its
//! chain, and its own hash covers every field, so editing or removing a row is detectable.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::enums::str_enum;

str_enum!(
    /// What an event is about: every module's records, the registries, settings.
    pub RecordKind: "record" {
        User = "user",
        School = "school",
        Setting = "setting",
        Hazard = "hazard",
        Building = "building",
        /// A school's security record: its guards, profile and alarm tests.
        Security = "security",
        /// A bullying case (its events never carry a pupil's name).
        Bullying = "bullying",
        /// An education session or drill.
        Education = "education",
        /// A legal vice-principal.
        LegalVp = "legal_vp",
        /// A campaign checklist; its marks' events are on the campaign.
        Campaign = "campaign",
        /// One school's mark on one item of a campaign (done, returned, its evidence).
        CampaignMark = "campaign_mark",
        /// A school's monthly report submission.
        Report = "report",
    }
);

str_enum!(
    /// What happens to accounts, schools and settings.
    pub RegistryEvent: "event" {
        Create = "create",
        Edit = "edit",
        Activate = "activate",
        Deactivate = "deactivate",
        Login = "login",
        LoginFailed = "login_failed",
        Logout = "logout",
        ChangePassword = "change_password",
        ResetPassword = "reset_password",
    }
);

/// The catalog key naming what an event of this kind did, for timelines; None for a word no
/// version of the app writes.
pub fn event_label(kind: RecordKind, action: &str) -> Option<&'static str> {
    match kind {
        RecordKind::User | RecordKind::School | RecordKind::Setting => {
            RegistryEvent::parse(action).map(RegistryEvent::label)
        }
        RecordKind::Hazard => super::hazards::HazardEvent::parse(action).map(|e| e.label()),
        RecordKind::Building => super::buildings::BuildingEvent::parse(action).map(|e| e.label()),
        RecordKind::Security => super::security::SecurityEvent::parse(action).map(|e| e.label()),
        RecordKind::Report => super::reports::SubmissionEvent::parse(action).map(|e| e.label()),
        RecordKind::Bullying => super::bullying::BullyingEvent::parse(action).map(|e| e.label()),
        RecordKind::Education => super::education::EducationEvent::parse(action).map(|e| e.label()),
        RecordKind::LegalVp => super::legal_vps::LegalVpEvent::parse(action).map(|e| e.label()),
        RecordKind::Campaign | RecordKind::CampaignMark => {
            super::campaigns::CampaignEvent::parse(action).map(|e| e.label())
        }
    }
}

/// The catalog key of a state a record of this kind moved to, for timelines.
pub fn state_label(kind: RecordKind, state: &str) -> Option<&'static str> {
    match kind {
        RecordKind::Hazard => super::hazards::State::parse(state).map(|s| s.label()),
        RecordKind::Building => super::buildings::Status::parse(state).map(|s| s.label()),
        RecordKind::Report => super::reports::SubmissionState::parse(state).map(|s| s.label()),
        RecordKind::Bullying => super::bullying::State::parse(state).map(|s| s.label()),
        RecordKind::CampaignMark => super::campaigns::MarkState::parse(state).map(|s| s.label()),
        RecordKind::User
        | RecordKind::School
        | RecordKind::Setting
        | RecordKind::Security
        | RecordKind::Education
        | RecordKind::LegalVp
        | RecordKind::Campaign => None,
    }
}

/// The chain for county-level events; each school has its own (`school:ID`), so at province
/// scale writers of different schools do not queue behind each other.
pub const COUNTY_CHAIN: &str = "county";

pub fn chain_for(school_id: Option<i64>) -> String {
    match school_id {
        Some(id) => format!("school:{id}"),
        None => COUNTY_CHAIN.to_string(),
    }
}

/// Everything an event says; the hash is computed over all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventBody {
    pub chain: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub school_id: Option<i64>,
    pub record_kind: String,
    pub record_id: Option<i64>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
    pub changes: Option<String>,
}

pub fn event_hash(prev_hash: &str, e: &EventBody) -> String {
    fn opt_i(v: Option<i64>) -> String {
        v.map(|n| n.to_string()).unwrap_or_else(|| "-".into())
    }
    fn opt_s(v: &Option<String>) -> String {
        // Length-prefixed, so no choice of text can imitate another field layout.
        v.as_ref()
            .map(|s| format!("{}:{s}", s.len()))
            .unwrap_or_else(|| "-".into())
    }
    let fields = [
        format!("{}:{}", e.chain.len(), e.chain),
        prev_hash.to_string(),
        e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        opt_i(e.actor_id),
        format!("{}:{}", e.actor.len(), e.actor),
        opt_i(e.school_id),
        format!("{}:{}", e.record_kind.len(), e.record_kind),
        opt_i(e.record_id),
        format!("{}:{}", e.action.len(), e.action),
        opt_s(&e.from_state),
        opt_s(&e.to_state),
        opt_s(&e.comment),
        opt_s(&e.changes),
    ];
    let mut h = Sha256::new();
    for f in &fields {
        h.update(f.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// One stored event as the verifier sees it.
pub struct StoredEvent {
    pub id: i64,
    pub prev_hash: String,
    pub hash: String,
    pub body: EventBody,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChainFault {
    /// The event's hash does not match its contents: the row was edited.
    Altered { id: i64 },
    /// The event does not point at the one before it: a row was removed or inserted.
    Broken { id: i64 },
}

/// Checks (a stretch of) one chain, given in id order, whose first event should point at
/// `start` (empty for the chain's first event). Returns the number checked or the first fault.
pub fn verify_chain(start: &str, events: &[StoredEvent]) -> Result<usize, ChainFault> {
    let mut prev = start.to_string();
    let mut n = 0;
    for e in events {
        if e.prev_hash != prev {
            return Err(ChainFault::Broken { id: e.id });
        }
        if event_hash(&e.prev_hash, &e.body) != e.hash {
            return Err(ChainFault::Altered { id: e.id });
        }
        prev = e.hash.clone();
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(action: &str) -> EventBody {
        EventBody {
            chain: COUNTY_CHAIN.into(),
            at: chrono::DateTime::from_timestamp(1_700_000_000, 0)
                .map(|d| d.naive_utc())
                .unwrap_or_default(),
            actor_id: Some(1),
            actor: "admin".into(),
            school_id: None,
            record_kind: "user".into(),
            record_id: Some(2),
            action: action.into(),
            from_state: None,
            to_state: None,
            comment: None,
            changes: None,
        }
    }

    fn chain(actions: &[&str]) -> Vec<StoredEvent> {
        let mut prev = String::new();
        let mut out = Vec::new();
        for (i, a) in actions.iter().enumerate() {
            let b = body(a);
            let hash = event_hash(&prev, &b);
            out.push(StoredEvent {
                id: i as i64 + 1,
                prev_hash: prev.clone(),
                hash: hash.clone(),
                body: b,
            });
            prev = hash;
        }
        out
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(
            verify_chain("", &chain(&["create", "edit", "login"])),
            Ok(3)
        );
    }

    #[test]
    fn an_edited_event_is_named() {
        let mut c = chain(&["create", "edit", "login"]);
        c[1].body.comment = Some("changed later".into());
        assert_eq!(verify_chain("", &c), Err(ChainFault::Altered { id: 2 }));
    }

    #[test]
    fn a_removed_event_breaks_the_link_of_the_next() {
        let mut c = chain(&["create", "edit", "login"]);
        c.remove(1);
        assert_eq!(verify_chain("", &c), Err(ChainFault::Broken { id: 3 }));
    }

    #[test]
    fn an_absent_and_an_empty_comment_hash_differently() {
        let mut a = body("x");
        let h1 = event_hash("", &a);
        a.comment = Some(String::new());
        assert_ne!(h1, event_hash("", &a));
    }
}
