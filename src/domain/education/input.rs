//! What a session must hold: its kind and topic from the lists, a day not in the future, how
//! many took part, and a note without anyone's ID number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{SessionKind, Topic};
use crate::domain::validate::{Errors, FieldError};

pub const NOTE_MAX: usize = 1000;
/// More than a county's pupils in one session is a typing error.
pub const PARTICIPANTS_MAX: i32 = 100_000;

/// A session as typed (CONTRACT: kind, topic, held_on, participants, note).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SessionDraft {
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    pub participants: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub kind: SessionKind,
    pub topic: Topic,
    pub held_on: NaiveDate,
    pub participants: i32,
    pub note: String,
}

pub fn validate_session(d: &SessionDraft, today: NaiveDate) -> Result<NewSession, Vec<FieldError>> {
    let mut e = Errors::default();
    let kind = e.choice::<SessionKind>("kind", &d.kind);
    let topic = e.choice::<Topic>("topic", &d.topic);
    let held_on = e.past_date("held_on", &d.held_on, true, today);
    if d.participants.trim().is_empty() {
        e.add("participants", "error.required");
    }
    let participants = e.count("participants", &d.participants, PARTICIPANTS_MAX);
    let note = e.personal("note", &d.note, false, NOTE_MAX);
    match (kind, topic, held_on) {
        (Some(kind), Some(topic), Some(held_on)) if e.is_empty() => Ok(NewSession {
            kind,
            topic,
            held_on,
            participants,
            note,
        }),
        _ => Err(e.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 6, 15).unwrap_or_default()
    }

    fn draft() -> SessionDraft {
        SessionDraft {
            kind: "drill".into(),
            topic: "fire".into(),
            held_on: "2022-06-10".into(),
            participants: "420".into(),
            note: "全校疏散演练".into(),
        }
    }

    fn fields(d: &SessionDraft) -> Vec<&'static str> {
        validate_session(d, today())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_complete_session_is_taken_as_typed() {
        let s = validate_session(&draft(), today());
        assert_eq!(
            s.map(|s| (s.kind, s.topic, s.participants)),
            Ok((SessionKind::Drill, Topic::Fire, 420))
        );
    }

    #[test]
    fn kind_topic_day_and_participants_are_required() {
        assert_eq!(
            fields(&SessionDraft::default()),
            ["kind", "topic", "held_on", "participants"]
        );
    }

    #[test]
    fn a_future_day_an_unknown_topic_and_an_id_number_are_refused() {
        let d = SessionDraft {
            held_on: "2022-06-16".into(),
            topic: "swimming".into(),
            note: "11010519491231002X".into(),
            ..draft()
        };
        assert_eq!(fields(&d), ["topic", "held_on", "note"]);
    }

    #[test]
    fn participants_are_a_count_within_bounds() {
        for bad in ["-1", "many", "100001"] {
            let d = SessionDraft {
                participants: bad.into(),
                ..draft()
            };
            assert_eq!(fields(&d), ["participants"], "{bad}");
        }
    }
}

/// The module's setting as the settings form types it; absent leaves it as it is.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsDraft {
    pub education_drowning_due_month: Option<String>,
}

/// The settings to save (key, value), or what is wrong with them: the month is 1–12.
pub fn validate_settings(
    d: &SettingsDraft,
) -> Result<Vec<(&'static str, String)>, Vec<FieldError>> {
    let Some(v) = &d.education_drowning_due_month else {
        return Ok(Vec::new());
    };
    match v.trim().parse::<u32>() {
        Ok(m) if (1..=12).contains(&m) => {
            Ok(vec![(super::SETTING_DROWNING_DUE_MONTH, m.to_string())])
        }
        _ => Err(vec![FieldError {
            field: "education_drowning_due_month",
            message: "education.error.month",
            arg: None,
        }]),
    }
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn the_due_month_is_a_month_and_absent_leaves_it() {
        let d = |v: &str| SettingsDraft {
            education_drowning_due_month: Some(v.into()),
        };
        assert_eq!(
            validate_settings(&d(" 7 ")),
            Ok(vec![(
                crate::domain::education::SETTING_DROWNING_DUE_MONTH,
                "7".into()
            )])
        );
        for bad in ["0", "13", "June", ""] {
            assert!(validate_settings(&d(bad)).is_err(), "{bad}");
        }
        assert_eq!(validate_settings(&SettingsDraft::default()), Ok(Vec::new()));
    }
}
