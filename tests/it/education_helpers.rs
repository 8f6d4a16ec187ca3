//! Education sessions, legal vice-principals and campaigns for tests, through the real store
//! and rules (as the demo does).

use chrono::NaiveDate;
use xiaoan::domain::campaigns::input::{CampaignDraft, validate_campaign};
use xiaoan::domain::education::input::{SessionDraft, validate_session};
use xiaoan::domain::legal_vps::{VpDraft, validate};
use xiaoan::store::{campaigns, education, legal_vps};

use crate::helpers::{TestApp, today};

impl TestApp {
    /// A session recorded now by `officer` for `school_id`, held on `held_on`.
    pub fn record_session(
        &self,
        officer: &str,
        school_id: i64,
        (kind, topic): (&str, &str),
        held_on: NaiveDate,
        participants: i32,
    ) -> i64 {
        let d = SessionDraft {
            kind: kind.into(),
            topic: topic.into(),
            held_on: held_on.to_string(),
            participants: participants.to_string(),
            note: String::new(),
        };
        let s = validate_session(&d, today()).expect("a valid session");
        education::record(
            &mut self.conn(),
            &self.by_name(officer),
            school_id,
            &s,
            None,
        )
        .expect("recorded")
    }

    /// A legal vice-principal appointed by `bureau` for these school codes.
    pub fn appoint_vp(
        &self,
        bureau: &str,
        name: &str,
        codes: &[&str],
        appointed_on: NaiveDate,
    ) -> i64 {
        let d = VpDraft {
            name: name.into(),
            unit_kind: "police".into(),
            unit_name: "城关派出所".into(),
            appointed_on: appointed_on.to_string(),
            schools: codes.iter().map(|c| c.to_string()).collect(),
            ..VpDraft::default()
        };
        let v = validate(&d, today()).expect("a valid vp");
        legal_vps::create(&mut self.conn(), &self.by_name(bureau), &v).expect("appointed")
    }

    /// A campaign created by `bureau`, running from `starts_on` for a month: its id and items.
    pub fn create_campaign(
        &self,
        bureau: &str,
        name: &str,
        items: &[&str],
        starts_on: NaiveDate,
    ) -> (i64, Vec<i64>) {
        let d = CampaignDraft {
            name: name.into(),
            starts_on: starts_on.to_string(),
            ends_on: (starts_on + chrono::Duration::days(30)).to_string(),
            items: items.join("\n"),
        };
        let c = validate_campaign(&d).expect("a valid campaign");
        let id = campaigns::create(&mut self.conn(), &self.by_name(bureau), &c).expect("created");
        let items = campaigns::items(&mut self.conn(), id)
            .expect("items")
            .into_iter()
            .map(|i| i.id)
            .collect();
        (id, items)
    }
}
