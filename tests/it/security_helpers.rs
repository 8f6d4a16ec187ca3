//! Security staffing for tests, through the real store and rules, and the forms a browser posts.

use xiaoan::domain::security::input::{
    AlarmTestDraft, GuardDraft, ProfileDraft, validate_alarm_test, validate_guard, validate_profile,
};
use xiaoan::store::security;

use crate::helpers::{TestApp, today};

/// A guard form's fields: full-time, insured, trained this year, licence `licence`.
pub fn guard_form(name: &str, licence: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_string()),
        ("licence_no", licence.to_string()),
        ("birth_year", "1978".into()),
        ("employer", "辰溪县保安服务公司".into()),
        ("full_time", "1".into()),
        (
            "hired_on",
            (today() - chrono::Duration::days(200)).to_string(),
        ),
        ("insured", "1".into()),
        (
            "trained_on",
            (today() - chrono::Duration::days(30)).to_string(),
        ),
    ]
}

/// A profile form: every provision in place, verified `days_ago`.
pub fn profile_form(days_ago: i64) -> Vec<(&'static str, String)> {
    vec![
        ("closed_management", "1".into()),
        ("alarm_linked", "1".into()),
        ("video_linked", "1".into()),
        ("guard_post", "1".into()),
        (
            "verified_on",
            (today() - chrono::Duration::days(days_ago)).to_string(),
        ),
    ]
}

fn draft<T: serde::de::DeserializeOwned + Default>(fields: &[(&'static str, String)]) -> T {
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    xiaoan::web::forms::restore_pairs(&pairs)
}

impl TestApp {
    pub fn add_guard(&self, username: &str, school_id: i64, name: &str, licence: &str) -> i64 {
        let d: GuardDraft = draft(&guard_form(name, licence));
        let g = validate_guard(&d, today()).expect("valid guard");
        security::add_guard(&mut self.conn(), &self.by_name(username), school_id, &g)
            .expect("guard")
    }

    pub fn verify_profile(&self, username: &str, school_id: i64, days_ago: i64) {
        let d: ProfileDraft = draft(&profile_form(days_ago));
        let p = validate_profile(&d, today()).expect("valid profile");
        security::save_profile(&mut self.conn(), &self.by_name(username), school_id, &p)
            .expect("profile");
    }

    pub fn alarm_test(&self, username: &str, school_id: i64, result: &str, days_ago: i64) {
        let d = AlarmTestDraft {
            tested_on: (today() - chrono::Duration::days(days_ago)).to_string(),
            result: result.into(),
            response_seconds: "40".into(),
            note: String::new(),
        };
        let t = validate_alarm_test(&d, today()).expect("valid test");
        security::record_alarm_test(&mut self.conn(), &self.by_name(username), school_id, &t)
            .expect("test");
    }
}
