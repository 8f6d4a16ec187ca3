//! Notifications, shared by every module: who must act on an event (an [`Audience`]), what a
//! module's notices are called, the webhook's address and retry schedule, and when a deadline
//! is near enough to remind anyone.
//!
//! A module declares its notices in `domain/<m>/notify.rs` (see docs/MODULES.md): a `str_enum!`
//! of what it tells (`<m>.notice.…`), which of its events sends which, and the audience of each.
//! The store resolves an audience to people inside the step's own transaction.

use chrono::{Duration, NaiveDate};

use super::audit::RecordKind;
use super::validate::{Errors, FieldError};

/// Who is told, as the design's roles name them: within the record's school, or county-wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The safety officers (`school_admin`) of the record's school.
    SchoolAdmins,
    /// The bureau's safety desk (`bureau`).
    Bureau,
    /// One person, such as whoever reported the record.
    User(i64),
}

/// What a notice says happened to a record, and who must act on it. Whoever acted is never
/// told of their own step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: RecordKind,
    /// The module's word for it (`assigned`): stored, sent, and named by [`label`].
    pub event: &'static str,
    pub audience: Vec<Audience>,
}

/// The catalog key of a stored notice, for the list; None for a word no version writes. A new
/// module adds its arm (the compiler asks for it with its `RecordKind`).
pub fn label(kind: RecordKind, event: &str) -> Option<&'static str> {
    match kind {
        RecordKind::Hazard => super::hazards::notify::HazardNotice::parse(event).map(|n| n.label()),
        RecordKind::Security => {
            super::security::notify::SecurityNotice::parse(event).map(|n| n.label())
        }
        RecordKind::Building => {
            super::buildings::notify::BuildingNotice::parse(event).map(|n| n.label())
        }
        RecordKind::Bullying => {
            super::bullying::notify::BullyingNotice::parse(event).map(|n| n.label())
        }
        RecordKind::Education => super::education::EducationNotice::parse(event).map(|n| n.label()),
        RecordKind::Campaign | RecordKind::CampaignMark => {
            super::campaigns::CampaignNotice::parse(event).map(|n| n.label())
        }
        RecordKind::User
        | RecordKind::School
        | RecordKind::Setting
        | RecordKind::Report
        | RecordKind::LegalVp => None,
    }
}

/// The `event` of a webhook's body: the record kind and the notice (`hazard.assigned`).
pub fn webhook_event(kind: RecordKind, event: &str) -> String {
    format!("{}.{event}", kind.as_str())
}

/// The settings key of the county's webhook address; empty means off.
pub const SETTING_WEBHOOK_URL: &str = "notifications.webhook_url";

/// The longest address taken (group-bot URLs with their keys are about 120 characters).
pub const WEBHOOK_URL_MAX: usize = 500;

/// A webhook address as typed: empty (off), or an absolute http(s) URL with a host.
pub fn parse_webhook_url(input: &str) -> Result<String, Vec<FieldError>> {
    let mut e = Errors::default();
    let v = e.text("webhook_url", input, false, WEBHOOK_URL_MAX);
    if !e.is_empty() || v.is_empty() {
        return e.into_result(v);
    }
    let ok = url::Url::parse(&v).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    });
    if !ok || v.contains(char::is_whitespace) {
        e.add("webhook_url", "notifications.error.webhook_url");
    }
    e.into_result(v)
}

/// A webhook address as the audit trail keeps it: without what usually holds a group bot's key
/// (the query, a user and password), so the trail can be read without handing the key out.
pub fn redacted_webhook_url(input: &str) -> String {
    match url::Url::parse(input) {
        Ok(mut u) => {
            let hidden = u.query().is_some() || !u.username().is_empty() || u.password().is_some();
            u.set_query(None);
            u.set_fragment(None);
            let _ = u.set_username("");
            let _ = u.set_password(None);
            let mut shown = u.to_string();
            if hidden {
                shown.push_str("?…");
            }
            shown
        }
        Err(_) => String::new(),
    }
}

/// How long after each failed delivery the next try waits; after the last, it is given up.
pub const RETRY_AFTER: [Duration; 5] = [
    Duration::minutes(1),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(12),
];

/// Tries in all: the first and one per entry of [`RETRY_AFTER`].
pub const MAX_ATTEMPTS: i32 = RETRY_AFTER.len() as i32 + 1;

/// The wait before the next try after `failed` tries have failed; None: give up.
pub fn retry_after(failed: i32) -> Option<Duration> {
    usize::try_from(failed - 1)
        .ok()
        .and_then(|i| RETRY_AFTER.get(i).copied())
}

/// A deadline this near (in days) is reminded of daily: the today list's "due soon".
pub use super::today::DUE_SOON_DAYS;

/// Where a deadline stands for the daily reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deadline {
    /// Today or within the next [`DUE_SOON_DAYS`] days.
    Due,
    /// Before today: overdue.
    Passed,
}

/// Whether a deadline is near or passed on the county's `today`; None when it is further off.
/// The same rule as the today list's, so a reminder and the list never disagree.
pub fn deadline(deadline: NaiveDate, today: NaiveDate) -> Option<Deadline> {
    super::today::by_deadline(Some(deadline), today).map(|w| match w.reason {
        super::today::Reason::Overdue => Deadline::Passed,
        _ => Deadline::Due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_deadline_is_due_from_three_days_ahead_and_passed_from_the_day_after() {
        let today = day("2026-12-02");
        assert_eq!(deadline(day("2026-12-06"), today), None, "four days ahead");
        assert_eq!(deadline(day("2026-12-05"), today), Some(Deadline::Due));
        assert_eq!(deadline(day("2026-12-03"), today), Some(Deadline::Due));
        assert_eq!(
            deadline(today, today),
            Some(Deadline::Due),
            "due today is not yet overdue"
        );
        assert_eq!(deadline(day("2026-12-01"), today), Some(Deadline::Passed));
        assert_eq!(deadline(day("2025-01-01"), today), Some(Deadline::Passed));
    }

    #[test]
    fn deliveries_back_off_then_give_up() {
        let waits: Vec<_> = (1..=MAX_ATTEMPTS).map(retry_after).collect();
        assert_eq!(
            waits,
            vec![
                Some(Duration::minutes(1)),
                Some(Duration::minutes(5)),
                Some(Duration::minutes(30)),
                Some(Duration::hours(2)),
                Some(Duration::hours(12)),
                None,
            ]
        );
        assert_eq!(MAX_ATTEMPTS, 6);
        assert_eq!(retry_after(0), None, "nothing failed yet: no retry to time");
        assert_eq!(retry_after(-1), None);
    }

    #[test]
    fn a_webhook_address_is_empty_or_an_http_url_with_a_host() {
        assert_eq!(parse_webhook_url("  "), Ok(String::new()));
        for ok in [
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123",
            "http://10.0.0.5:8080/hooks/xiaoan",
            " https://oapi.dingtalk.com/robot/send?access_token=x ",
        ] {
            assert_eq!(parse_webhook_url(ok), Ok(ok.trim().to_string()), "{ok}");
        }
        for bad in [
            "qyapi.weixin.qq.com/cgi-bin",
            "ftp://example.org/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://",
            "https://exa mple.org/",
        ] {
            let e = parse_webhook_url(bad).map_err(|e| e[0].message);
            assert_eq!(e, Err("notifications.error.webhook_url"), "{bad}");
        }
        let long = format!("https://example.org/{}", "a".repeat(WEBHOOK_URL_MAX));
        let e = parse_webhook_url(&long).map_err(|e| (e[0].message, e[0].arg.clone()));
        assert_eq!(e, Err(("error.too_long", Some("500".into()))));
    }

    #[test]
    fn the_trail_keeps_a_webhook_address_without_its_key() {
        assert_eq!(
            redacted_webhook_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…"
        );
        assert_eq!(
            redacted_webhook_url("http://bot:pw@10.0.0.5:8080/hook"),
            "http://10.0.0.5:8080/hook?…"
        );
        assert_eq!(
            redacted_webhook_url("http://10.0.0.5/hook"),
            "http://10.0.0.5/hook"
        );
        assert_eq!(redacted_webhook_url(""), "", "turned off");
    }

    #[test]
    fn a_webhook_event_names_the_record_kind() {
        assert_eq!(
            webhook_event(RecordKind::Hazard, "assigned"),
            "hazard.assigned"
        );
    }
}
