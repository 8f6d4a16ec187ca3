//! A record's timeline as pages show it, for every module: when, who (by name), what, and the
//! state it led to, in the user's language.

use crate::domain::audit::{self, RecordKind};
use crate::domain::time::local_minute;
use crate::store::events::Entry as Stored;

pub struct Entry {
    pub when: String,
    pub who: String,
    pub action_key: &'static str,
    pub to_key: Option<&'static str>,
    pub comment: Option<String>,
}

impl Entry {
    pub fn new(kind: RecordKind, e: &Stored) -> Entry {
        let ev = &e.event;
        Entry {
            when: local_minute(ev.at),
            // People by name; the trail's own name where the account is gone or was none.
            who: e.display_name.clone().unwrap_or_else(|| ev.actor.clone()),
            action_key: audit::event_label(kind, &ev.action).unwrap_or("event.other"),
            to_key: ev
                .to_state
                .as_deref()
                .and_then(|s| audit::state_label(kind, s)),
            comment: ev.comment.clone(),
        }
    }
}

/// A stored timeline as pages show it.
pub fn entries(kind: RecordKind, stored: &[Stored]) -> Vec<Entry> {
    stored.iter().map(|e| Entry::new(kind, e)).collect()
}
