//! Guards (保安员): how many a school needs (the county's rule, in words), the warnings a guard
//! in post raises, the licence number as staff and viewers see it, and why a value that looks
//! like a national ID number is never taken.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::enums::str_enum;

str_enum!(
    /// The rule that says how many full-time guards a school needs (a county setting).
    pub Rule: "security.rule" {
    /// GB/T 29315-2022 as commonly cited: < 100 pupils → 1; 100–999 → 2; ≥ 1000 → 3 plus 1
    /// for each full further 500.
    Gbt29315 = "gbt29315",
    /// The same, plus 1 for each full 200 boarders (a provincial option).
    Gbt29315Boarders = "gbt29315_boarders",
}
);

/// How many guards a school needs, and the arithmetic in words (catalog key and its numbers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Required {
    pub count: i64,
    /// `security.arith.small` ("{pupils} pupils → 1"), `.middle`, `.large`, each with
    /// `+boarders` when boarders count.
    pub words: &'static str,
    /// The numbers the words name, in order: pupils, (further 500s), (boarders, their 200s).
    pub args: Vec<i64>,
}

/// The full-time guards a school of `pupils` (of whom `boarders` board) needs under `rule`.
pub fn required(rule: Rule, pupils: i64, boarders: i64) -> Required {
    let pupils = pupils.max(0);
    let boarders = boarders.clamp(0, pupils);
    let (base, words, mut args) = if pupils < 100 {
        (1, "security.arith.small", vec![pupils])
    } else if pupils < 1000 {
        (2, "security.arith.middle", vec![pupils])
    } else {
        let further = (pupils - 1000) / 500;
        (3 + further, "security.arith.large", vec![pupils, further])
    };
    match rule {
        Rule::Gbt29315 => Required {
            count: base,
            words,
            args,
        },
        Rule::Gbt29315Boarders => {
            let extra = boarders / 200;
            args.extend([boarders, extra]);
            Required {
                count: base + extra,
                words: match words {
                    "security.arith.small" => "security.arith.small_boarders",
                    "security.arith.middle" => "security.arith.middle_boarders",
                    _ => "security.arith.large_boarders",
                },
                args,
            }
        }
    }
}

/// Every catalog key `required` may give.
pub fn arith_labels() -> Vec<&'static str> {
    vec![
        "security.arith.small",
        "security.arith.middle",
        "security.arith.large",
        "security.arith.small_boarders",
        "security.arith.middle_boarders",
        "security.arith.large_boarders",
    ]
}

pub use crate::domain::validate::looks_like_national_id;

/// A licence number as staff and viewers see it: the first two and the last two characters,
/// the rest starred (short ones wholly starred).
pub fn mask_licence(licence: &str) -> String {
    let chars: Vec<char> = licence.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (&chars[..2], &chars[chars.len() - 2..]);
    format!(
        "{}{}{}",
        head.iter().collect::<String>(),
        "*".repeat(chars.len() - 4),
        tail.iter().collect::<String>()
    )
}

str_enum!(
    /// What is wrong with a guard in post, as the school's page and the county table warn.
    pub Warning: "security.warning" {
    NoLicence = "no_licence",
    Age = "age",
    NotInsured = "not_insured",
    NotTrained = "not_trained",
}
);

/// The age range a guard in post may have (a county setting; default 18–60).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgeRange {
    pub min: i32,
    pub max: i32,
}

impl Default for AgeRange {
    fn default() -> AgeRange {
        AgeRange { min: 18, max: 60 }
    }
}

/// What a guard's warnings are read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardFacts {
    pub licence_no: Option<String>,
    pub birth_year: i32,
    pub insured: bool,
    pub trained_on: Option<NaiveDate>,
}

/// A guard's warnings on `today`: no licence, an age (this year minus the birth year) outside
/// the range, not insured, not trained in the last 12 months.
pub fn warnings(g: &GuardFacts, ages: AgeRange, today: NaiveDate) -> Vec<Warning> {
    let mut out = Vec::new();
    if g.licence_no.as_deref().is_none_or(|l| l.trim().is_empty()) {
        out.push(Warning::NoLicence);
    }
    let age = today.year() - g.birth_year;
    if age < ages.min || age > ages.max {
        out.push(Warning::Age);
    }
    if !g.insured {
        out.push(Warning::NotInsured);
    }
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    if g.trained_on.is_none_or(|t| t < year_ago) {
        out.push(Warning::NotTrained);
    }
    out
}

#[cfg(test)]
#[path = "guards_tests.rs"]
mod tests;
