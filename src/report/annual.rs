//! The year-end summary (年度总结) of the county: each month of the year is the county's
//! monthly report (kept months read from their snapshots, the current one from the rows), and
//! the year is their sum (`domain::annual`): flows added, stocks read at the last month. So
//! the summary agrees with the monthly reports by construction, and reads off the same trail.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime};
use serde_json::json;

use super::buildings::BuildingSection;
use super::bullying::BullyingSection;
use super::campaigns::{CampaignLine, CampaignSection};
use super::education::EducationSection;
use super::hazards::HazardSection;
use super::legal_vps::LegalVpSection;
use super::security::SecuritySection;
use super::{Ask, MonthlyReport, Scope, build};
use crate::db::DbConn;
use crate::domain::annual::{Flows, MonthFigures, Stocks, Year, year};
use crate::domain::county;
use crate::domain::month::Month;
use crate::domain::time;
use crate::store::{StoreError, StoreResult, settings};

/// A year's summary: its figures, the months they cover, and every campaign that ran.
pub struct Annual {
    pub year: i32,
    pub county: Option<String>,
    pub bureau: Option<String>,
    /// The months read, `YYYY-MM` (to the current month in the current year).
    pub months: Vec<String>,
    pub figures: Year,
    /// Each campaign as it stood at the last month it ran in the year.
    pub campaigns: Vec<CampaignLine>,
    pub generated_at: String,
}

/// The months of `year` up to the current one; none for a year to come.
pub fn months_of(year: i32, now: NaiveDateTime) -> Vec<Month> {
    let current = Month::at(now);
    let Some(mut m) = Month::parse(&format!("{year:04}-01")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while m.first_day().year() == year && m <= current {
        out.push(m);
        m = m.next();
    }
    out
}

/// The figures of one county month, as the summary reads them.
fn month_figures(r: &MonthlyReport) -> MonthFigures {
    let mut flows = Flows::default();
    let mut stocks = Stocks::default();
    if let Some(h) = r.section::<HazardSection>() {
        flows.hazards_found = h.totals.found;
        flows.hazards_closed = h.totals.closed;
        stocks.hazards_open = h.totals.open_at_month_end;
        for l in &h.by_source {
            match l.key.as_str() {
                "periphery" => {
                    flows.periphery_found = l.counts.found;
                    flows.periphery_closed = l.counts.closed;
                }
                "campus" => {
                    flows.campus_found = l.counts.found;
                    flows.campus_closed = l.counts.closed;
                }
                _ => {}
            }
        }
    }
    if let Some(b) = r.section::<BuildingSection>() {
        flows.buildings_demolished = b.totals.demolished_in_month;
        flows.buildings_reinforced = b.totals.reinforced_in_month;
        stocks.buildings = b.totals.total;
        stocks.d_grade = b.totals.by_grade.d;
    }
    if let Some(s) = r.section::<SecuritySection>() {
        let t = &s.totals.tally;
        flows.alarm_tests = s.totals.alarm_tests_in_month;
        flows.alarm_tests_failed = s.totals.alarm_tests_failed_in_month;
        stocks.schools = t.schools;
        stocks.guards_required = t.guards_required;
        stocks.guards_in_post = t.guards_in_post;
        stocks.schools_meeting_guards = t.meet_guards;
        stocks.schools_alarm_linked = t.meet_alarm_video;
        stocks.schools_all_four = t.meet_all_four;
    }
    if let Some(v) = r.section::<LegalVpSection>() {
        stocks.vps_in_office = v.totals.in_office;
        stocks.vp_schools_covered = v.totals.schools_covered;
        stocks.vp_schools_without = v.totals.schools_without;
    }
    if let Some(e) = r.section::<EducationSection>() {
        flows.education_sessions = e.totals.sessions_in_month;
        flows.drills = e.totals.drills_in_month;
        flows.participants = e.totals.participants_in_month;
        flows.by_topic = e.totals.by_topic.clone();
    }
    if let Some(b) = r.section::<BullyingSection>() {
        flows.bullying_reported = b.totals.reported_in_month;
        flows.bullying_determined = b.totals.determined_bullying_in_month;
        flows.screenings = b.totals.screenings_in_month;
        stocks.bullying_open = b.totals.open;
    }
    MonthFigures { flows, stocks }
}

/// The county's summary of `year`, as of `now`. A year to come is invalid.
pub fn annual(conn: &mut DbConn, year_n: i32, now: NaiveDateTime, by: &str) -> StoreResult<Annual> {
    let months = months_of(year_n, now);
    if months.is_empty() {
        return Err(StoreError::invalid("year", "annual.error.year"));
    }
    let mut figures = Vec::with_capacity(months.len());
    let mut campaigns: BTreeMap<i64, CampaignLine> = BTreeMap::new();
    for &month in &months {
        let ask = Ask {
            scope: Scope::county(),
            month,
            now,
        };
        let r = build(conn, &ask, by)?;
        figures.push(month_figures(&r));
        if let Some(CampaignSection(lines)) = r.section::<CampaignSection>() {
            for l in lines {
                campaigns.insert(l.id, l.clone());
            }
        }
    }
    let mut campaigns: Vec<CampaignLine> = campaigns.into_values().collect();
    campaigns.sort_by(|a, b| a.starts_on.cmp(&b.starts_on));
    Ok(Annual {
        year: year_n,
        county: settings::get(conn, county::SETTING_NAME)?.filter(|n| !n.is_empty()),
        bureau: settings::get(conn, county::SETTING_BUREAU)?.filter(|n| !n.is_empty()),
        months: months.iter().map(|m| m.label()).collect(),
        figures: year(&figures),
        campaigns,
        generated_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    })
}

impl Annual {
    /// A summary with nothing in it (the names of its figures, for the i18n test).
    pub fn empty() -> Annual {
        Annual {
            year: 2000,
            county: None,
            bureau: None,
            months: Vec::new(),
            figures: Year::default(),
            campaigns: Vec::new(),
            generated_at: String::new(),
        }
    }

    /// The summary as JSON: the year, then one object per module (CONTRACT).
    pub fn json(&self) -> serde_json::Value {
        let f = &self.figures.flows;
        let s = &self.figures.stocks;
        json!({
            "year": self.year,
            "county": self.county,
            "bureau": self.bureau,
            "months": self.months,
            "generated_at": self.generated_at,
            "hazards": {
                "found": f.hazards_found, "closed": f.hazards_closed,
                "periphery_found": f.periphery_found, "periphery_closed": f.periphery_closed,
                "campus_found": f.campus_found, "campus_closed": f.campus_closed,
                "open_at_year_end": s.hazards_open,
            },
            "buildings": {
                "total": s.buildings, "d_grade_at_year_end": s.d_grade,
                "d_grade_in_year": self.figures.d_grade_in_year,
                "demolished": f.buildings_demolished, "reinforced": f.buildings_reinforced,
            },
            "security": {
                "schools": s.schools, "guards_required": s.guards_required,
                "guards_in_post": s.guards_in_post,
                "schools_meeting_guards": s.schools_meeting_guards,
                "schools_alarm_linked": s.schools_alarm_linked,
                "schools_meeting_all_four": s.schools_all_four,
                "alarm_tests": f.alarm_tests, "alarm_tests_failed": f.alarm_tests_failed,
            },
            "legal_vps": {
                "in_office": s.vps_in_office, "schools_covered": s.vp_schools_covered,
                "schools_without": s.vp_schools_without,
            },
            "education": {
                "sessions": f.education_sessions, "drills": f.drills,
                "participants": f.participants, "by_topic": f.by_topic,
            },
            "bullying": {
                "reported": f.bullying_reported, "determined_bullying": f.bullying_determined,
                "open_at_year_end": s.bullying_open, "screenings": f.screenings,
            },
            "campaigns": self.campaigns,
        })
    }

    /// When it was generated, in the county's time.
    pub fn generated_local(&self) -> String {
        NaiveDateTime::parse_from_str(&self.generated_at, "%Y-%m-%dT%H:%M:%SZ")
            .map(time::local_minute)
            .unwrap_or_else(|_| self.generated_at.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn a_past_year_has_twelve_months_the_current_one_to_now_and_a_future_one_none() {
        let now = at("2022-07-15 04:00");
        assert_eq!(months_of(2021, now).len(), 12);
        let this = months_of(2022, now);
        assert_eq!(this.first().map(|m| m.label()), Some("2022-01".into()));
        assert_eq!(this.last().map(|m| m.label()), Some("2022-07".into()));
        assert!(months_of(2023, now).is_empty());
    }
}
