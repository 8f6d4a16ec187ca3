//! Legal vice-principals (法治副校长): officers of the police, the procuratorate, the court or
//! the justice bureau appointed to serve one or more schools for a term. The bureau keeps the
//! register; the county sees who serves where and which schools have nobody. A VP is in office
//! on a day between the appointment and the term's end.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access::{Actor, Decision, Target, allow_if};
use super::audit::RecordKind;
use super::enums::str_enum;
use super::role::Role;
use super::validate::{Errors, FieldError};

str_enum!(pub UnitKind: "legal_vps.unit" {
    Police = "police",
    Procuratorate = "procuratorate",
    Court = "court",
    Justice = "justice",
});

str_enum!(pub LegalVpEvent: "legal_vps.event" {
    Create = "create",
    Edit = "edit",
});

pub const KIND: RecordKind = RecordKind::LegalVp;
pub const NAME_MAX: usize = 40;
pub const UNIT_MAX: usize = 80;
/// More schools than a county has is not one person's work.
pub const SCHOOLS_MAX: usize = 50;

/// The register: the county roles and a school's officer (who sees those serving the school).
pub fn may_list(actor: &Actor) -> Decision {
    allow_if(matches!(
        actor.role,
        Role::SchoolAdmin | Role::Bureau | Role::Viewer
    ))
}

/// One VP's page: a school user sees only those serving the own school (else not found).
pub fn may_view(actor: &Actor, schools: &[i64]) -> Decision {
    may_list(actor)?;
    match actor.home() {
        Target::County => Ok(()),
        Target::School(id) if schools.contains(&id) => Ok(()),
        Target::School(_) => Err(super::access::Refusal::NotFound),
    }
}

/// Appointing and editing: the bureau.
pub fn may_keep(actor: &Actor) -> Decision {
    allow_if(actor.role == Role::Bureau)
}

/// In office on `day`: appointed by then, the term not yet over.
pub fn in_office(appointed_on: NaiveDate, term_ends_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    appointed_on <= day && term_ends_on.is_none_or(|end| end >= day)
}

/// What the report counts of one VP as of an instant: the days and the schools served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub appointed_on: NaiveDate,
    pub term_ends_on: Option<NaiveDate>,
    pub schools: Vec<i64>,
}

/// CONTRACT's `legal_vps` keys: VPs in office on the day, and the schools (of the scope) at
/// least one of them serves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub in_office: i64,
    pub schools_covered: i64,
    /// Active schools of the scope that nobody serves.
    pub schools_without: i64,
}

/// The figures on `day` for the scope's schools (`scope`: the active schools counted).
pub fn figures<'a>(
    vps: impl IntoIterator<Item = &'a Standing>,
    scope: &[i64],
    day: NaiveDate,
) -> Figures {
    let mut covered = std::collections::BTreeSet::new();
    let mut in_office_n = 0;
    for v in vps {
        if !in_office(v.appointed_on, v.term_ends_on, day) {
            continue;
        }
        let mine: Vec<i64> = v
            .schools
            .iter()
            .copied()
            .filter(|s| scope.contains(s))
            .collect();
        if mine.is_empty() {
            continue;
        }
        in_office_n += 1;
        covered.extend(mine);
    }
    let covered = covered.len() as i64;
    Figures {
        in_office: in_office_n,
        schools_covered: covered,
        schools_without: scope.len() as i64 - covered,
    }
}

/// A VP as typed (CONTRACT: name, unit_kind, unit_name, appointed_on, schools as several
/// values; the term's end optional). `schools` is filled from the repeated field.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct VpDraft {
    pub name: String,
    pub unit_kind: String,
    pub unit_name: String,
    pub appointed_on: String,
    pub term_ends_on: String,
    pub version: String,
    #[serde(skip)]
    pub schools: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVp {
    pub name: String,
    pub unit_kind: UnitKind,
    pub unit_name: String,
    pub appointed_on: NaiveDate,
    pub term_ends_on: Option<NaiveDate>,
    /// School codes, each once, as typed.
    pub schools: Vec<String>,
}

pub fn validate(d: &VpDraft, today: NaiveDate) -> Result<NewVp, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = e.personal("name", &d.name, true, NAME_MAX);
    let unit_kind = e.choice::<UnitKind>("unit_kind", &d.unit_kind);
    let unit_name = e.personal("unit_name", &d.unit_name, true, UNIT_MAX);
    let appointed_on = e.past_date("appointed_on", &d.appointed_on, true, today);
    let term_ends_on = e.date("term_ends_on", &d.term_ends_on, false);
    if let (Some(from), Some(to)) = (appointed_on, term_ends_on)
        && to < from
    {
        e.add("term_ends_on", "legal_vps.error.term_before_appointment");
    }
    let mut schools: Vec<String> = Vec::new();
    for s in d.schools.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !schools.iter().any(|x| x == s) {
            schools.push(s.to_string());
        }
    }
    if schools.is_empty() {
        e.add("schools", "legal_vps.error.no_school");
    } else if schools.len() > SCHOOLS_MAX {
        e.0.push(FieldError {
            field: "schools",
            message: "legal_vps.error.too_many_schools",
            arg: Some(SCHOOLS_MAX.to_string()),
        });
    }
    match (unit_kind, appointed_on) {
        (Some(unit_kind), Some(appointed_on)) if e.is_empty() => Ok(NewVp {
            name,
            unit_kind,
            unit_name,
            appointed_on,
            term_ends_on,
            schools,
        }),
        _ => Err(e.0),
    }
}

pub fn labels() -> Vec<&'static str> {
    [UnitKind::labels(), LegalVpEvent::labels()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn vp(from: NaiveDate, to: Option<NaiveDate>, schools: &[i64]) -> Standing {
        Standing {
            appointed_on: from,
            term_ends_on: to,
            schools: schools.to_vec(),
        }
    }

    #[test]
    fn a_vp_is_in_office_from_appointment_to_the_terms_last_day() {
        let (from, to) = (day(2021, 9, 1), Some(day(2022, 8, 31)));
        assert!(!in_office(from, to, day(2021, 8, 31)));
        assert!(in_office(from, to, day(2021, 9, 1)));
        assert!(in_office(from, to, day(2022, 8, 31)));
        assert!(!in_office(from, to, day(2022, 9, 1)));
        assert!(in_office(from, None, day(2030, 1, 1)));
    }

    #[test]
    fn schools_served_by_several_count_once_and_those_outside_the_scope_not_at_all() {
        let vps = [
            vp(day(2022, 1, 1), None, &[1, 2]),
            vp(day(2022, 1, 1), None, &[2, 3]),
            vp(day(2022, 1, 1), Some(day(2022, 3, 1)), &[4]),
            vp(day(2022, 1, 1), None, &[9]),
        ];
        let f = figures(&vps, &[1, 2, 3, 4, 5], day(2022, 12, 31));
        assert_eq!(
            f,
            Figures {
                in_office: 2,
                schools_covered: 3,
                schools_without: 2
            }
        );
        let f = figures(&vps, &[1, 2, 3, 4, 5], day(2022, 2, 1));
        assert_eq!((f.in_office, f.schools_covered), (3, 4));
    }

    fn draft() -> VpDraft {
        VpDraft {
            name: "王建国".into(),
            unit_kind: "police".into(),
            unit_name: "县公安局城关派出所".into(),
            appointed_on: "2022-03-01".into(),
            schools: vec!["S01".into(), " S01 ".into(), "S02".into()],
            ..VpDraft::default()
        }
    }

    fn errors(d: &VpDraft) -> Vec<&'static str> {
        validate(d, day(2022, 6, 1))
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_vp_serves_each_school_named_once() {
        let v = validate(&draft(), day(2022, 6, 1));
        assert_eq!(v.map(|v| v.schools), Ok(vec!["S01".into(), "S02".into()]));
    }

    #[test]
    fn a_vp_needs_a_name_a_unit_a_day_and_a_school() {
        assert_eq!(
            errors(&VpDraft::default()),
            ["name", "unit_kind", "unit_name", "appointed_on", "schools"]
        );
        let d = VpDraft {
            term_ends_on: "2022-02-01".into(),
            appointed_on: "2022-07-01".into(),
            ..draft()
        };
        assert_eq!(errors(&d), ["appointed_on"]);
        let d = VpDraft {
            term_ends_on: "2022-02-01".into(),
            ..draft()
        };
        assert_eq!(errors(&d), ["term_ends_on"]);
    }
}
