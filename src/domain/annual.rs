//! The year-end summary's arithmetic (年度总结): a year is its months. What happens in a month
//! (leads found, buildings demolished, sessions held…) is summed over the year; what stands at
//! a month's end (guards in post, D-grade buildings, VPs in office…) is read at the year's last
//! month. So the summary agrees with the monthly reports of its months by construction. The
//! safety paragraph is drafted from the figures in the register of the county's own summary.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What happens within a month, summed over a year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flows {
    pub periphery_found: i64,
    pub periphery_closed: i64,
    pub campus_found: i64,
    pub campus_closed: i64,
    pub hazards_found: i64,
    pub hazards_closed: i64,
    pub buildings_demolished: i64,
    pub buildings_reinforced: i64,
    pub alarm_tests: i64,
    pub alarm_tests_failed: i64,
    pub education_sessions: i64,
    pub drills: i64,
    pub participants: i64,
    pub by_topic: BTreeMap<String, i64>,
    pub bullying_reported: i64,
    pub bullying_determined: i64,
    pub screenings: i64,
}

impl Flows {
    pub fn plus(&self, o: &Flows) -> Flows {
        let mut by_topic = self.by_topic.clone();
        for (k, n) in &o.by_topic {
            *by_topic.entry(k.clone()).or_insert(0) += n;
        }
        Flows {
            periphery_found: self.periphery_found + o.periphery_found,
            periphery_closed: self.periphery_closed + o.periphery_closed,
            campus_found: self.campus_found + o.campus_found,
            campus_closed: self.campus_closed + o.campus_closed,
            hazards_found: self.hazards_found + o.hazards_found,
            hazards_closed: self.hazards_closed + o.hazards_closed,
            buildings_demolished: self.buildings_demolished + o.buildings_demolished,
            buildings_reinforced: self.buildings_reinforced + o.buildings_reinforced,
            alarm_tests: self.alarm_tests + o.alarm_tests,
            alarm_tests_failed: self.alarm_tests_failed + o.alarm_tests_failed,
            education_sessions: self.education_sessions + o.education_sessions,
            drills: self.drills + o.drills,
            participants: self.participants + o.participants,
            by_topic,
            bullying_reported: self.bullying_reported + o.bullying_reported,
            bullying_determined: self.bullying_determined + o.bullying_determined,
            screenings: self.screenings + o.screenings,
        }
    }
}

/// What stands at a month's end; the year's is its last month's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stocks {
    pub hazards_open: i64,
    pub buildings: i64,
    pub d_grade: i64,
    pub schools: i64,
    pub guards_required: i64,
    pub guards_in_post: i64,
    pub schools_meeting_guards: i64,
    pub schools_alarm_linked: i64,
    pub schools_all_four: i64,
    pub vps_in_office: i64,
    pub vp_schools_covered: i64,
    pub vp_schools_without: i64,
    pub bullying_open: i64,
}

/// One month as the summary reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthFigures {
    pub flows: Flows,
    pub stocks: Stocks,
}

/// A year's figures: the months' flows summed, the last month's stocks, and the D-grade
/// buildings known in the year: those graded D at its end (a reinforced one keeps its grade
/// until it is appraised again) and those demolished in it (demolition is the disposal of a
/// D-grade building).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Year {
    pub months: usize,
    pub flows: Flows,
    pub stocks: Stocks,
    pub d_grade_in_year: i64,
}

pub fn year(months: &[MonthFigures]) -> Year {
    let flows = months
        .iter()
        .fold(Flows::default(), |acc, m| acc.plus(&m.flows));
    let stocks = months.last().map(|m| m.stocks.clone()).unwrap_or_default();
    Year {
        months: months.len(),
        d_grade_in_year: stocks.d_grade + flows.buildings_demolished,
        flows,
        stocks,
    }
}

/// Which list a figure of the paragraph opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behind {
    /// The ledger's hazards of this source (None: all) found in the year.
    HazardsFound(Option<&'static str>),
    HazardsClosed(Option<&'static str>),
    /// The building register's D-grade buildings.
    DangerousBuildings,
    /// The security table.
    Security,
    LegalVps,
    /// The education register of the year (a topic, or every one).
    Education(Option<&'static str>),
    Bullying,
    Campaigns,
}

/// One clause of the paragraph: a catalog key with one `{}`, its number and the list behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clause {
    pub key: &'static str,
    pub n: i64,
    pub behind: Behind,
}

/// The draft of the safety paragraph, clause by clause, in the order the county writes it.
/// Clauses about nothing (no campaign, no bullying case) are left out rather than written as
/// zero, as a bureau would; the periphery and sweep figures always stand.
pub fn paragraph(y: &Year) -> Vec<Clause> {
    let f = &y.flows;
    let s = &y.stocks;
    let c = |key, n, behind| Clause { key, n, behind };
    let mut out = vec![
        c(
            "annual.p.periphery",
            f.periphery_found,
            Behind::HazardsFound(Some("periphery")),
        ),
        c(
            "annual.p.periphery_closed",
            f.periphery_closed,
            Behind::HazardsClosed(Some("periphery")),
        ),
        c(
            "annual.p.campus",
            f.campus_found,
            Behind::HazardsFound(Some("campus")),
        ),
        c(
            "annual.p.campus_closed",
            f.campus_closed,
            Behind::HazardsClosed(Some("campus")),
        ),
        c(
            "annual.p.d_grade",
            y.d_grade_in_year,
            Behind::DangerousBuildings,
        ),
    ];
    if f.buildings_demolished > 0 {
        out.push(c(
            "annual.p.demolished",
            f.buildings_demolished,
            Behind::DangerousBuildings,
        ));
    }
    out.extend([
        c("annual.p.guards", s.guards_in_post, Behind::Security),
        c(
            "annual.p.guard_schools",
            s.schools_meeting_guards,
            Behind::Security,
        ),
        c(
            "annual.p.alarm_linked",
            s.schools_alarm_linked,
            Behind::Security,
        ),
        c("annual.p.legal_vps", s.vps_in_office, Behind::LegalVps),
        c(
            "annual.p.education",
            f.education_sessions,
            Behind::Education(None),
        ),
        c(
            "annual.p.drowning",
            topic(f, "drowning"),
            Behind::Education(Some("drowning")),
        ),
        c("annual.p.drills", f.drills, Behind::Education(None)),
    ]);
    if f.screenings > 0 || f.bullying_reported > 0 {
        out.push(c("annual.p.screenings", f.screenings, Behind::Bullying));
        out.push(c(
            "annual.p.bullying",
            f.bullying_reported,
            Behind::Bullying,
        ));
    }
    out
}

fn topic(f: &Flows, t: &str) -> i64 {
    f.by_topic.get(t).copied().unwrap_or(0)
}

/// Every clause key (for the i18n test).
pub const CLAUSES: [&str; 15] = [
    "annual.p.periphery",
    "annual.p.periphery_closed",
    "annual.p.campus",
    "annual.p.campus_closed",
    "annual.p.d_grade",
    "annual.p.demolished",
    "annual.p.guards",
    "annual.p.guard_schools",
    "annual.p.alarm_linked",
    "annual.p.legal_vps",
    "annual.p.education",
    "annual.p.drills",
    "annual.p.drowning",
    "annual.p.screenings",
    "annual.p.bullying",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn month(found: i64, demolished: i64, guards: i64, d: i64) -> MonthFigures {
        MonthFigures {
            flows: Flows {
                periphery_found: found,
                hazards_found: found,
                buildings_demolished: demolished,
                by_topic: [("drowning".to_string(), 1)].into_iter().collect(),
                ..Flows::default()
            },
            stocks: Stocks {
                guards_in_post: guards,
                d_grade: d,
                ..Stocks::default()
            },
        }
    }

    #[test]
    fn flows_are_summed_and_stocks_read_at_the_years_last_month() {
        let y = year(&[month(10, 1, 18, 3), month(21, 2, 20, 1)]);
        assert_eq!(y.months, 2);
        assert_eq!(y.flows.periphery_found, 31);
        assert_eq!(y.flows.buildings_demolished, 3);
        assert_eq!(y.flows.by_topic.get("drowning"), Some(&2));
        assert_eq!(y.stocks.guards_in_post, 20, "December's, not a sum");
        assert_eq!(
            y.d_grade_in_year,
            1 + 3,
            "standing at the end and demolished in the year"
        );
        let mut reinforced = month(0, 0, 0, 2);
        reinforced.flows.buildings_reinforced = 2;
        assert_eq!(
            year(&[reinforced]).d_grade_in_year,
            2,
            "a reinforced building is still D at the end: counted once"
        );
    }

    #[test]
    fn an_empty_year_is_all_zeros() {
        assert_eq!(year(&[]), Year::default());
    }

    #[test]
    fn the_paragraph_leads_with_the_periphery_and_names_each_figure_once() {
        let y = year(&[month(31, 4, 20, 0)]);
        let p = paragraph(&y);
        assert_eq!(p[0].key, "annual.p.periphery");
        assert_eq!(p[0].n, 31);
        assert_eq!(p[0].behind, Behind::HazardsFound(Some("periphery")));
        let demolished = p.iter().find(|c| c.key == "annual.p.demolished");
        assert_eq!(demolished.map(|c| c.n), Some(4));
        let mut keys: Vec<&str> = p.iter().map(|c| c.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), p.len());
        assert!(p.iter().all(|c| CLAUSES.contains(&c.key)));
    }

    #[test]
    fn clauses_about_nothing_are_left_out() {
        let p = paragraph(&year(&[month(0, 0, 0, 0)]));
        assert!(p.iter().all(|c| c.key != "annual.p.demolished"));
        assert!(p.iter().all(|c| c.key != "annual.p.bullying"));
        assert_eq!(p[0].n, 0, "the periphery figure always stands");
    }
}
