//! Schools: kinds and the checks every school record passes, from a form or a CSV row.

use super::enums::str_enum;
use super::validate::{Errors, FieldError};

str_enum!(pub SchoolKind: "schools.kind" {
    Kindergarten = "kindergarten",
    Primary = "primary",
    Junior = "junior",
    Senior = "senior",
    NineYear = "nine_year",
    CompleteSecondary = "complete_secondary",
    Vocational = "vocational",
    Special = "special",
    TeachingPoint = "teaching_point",
});

pub const CODE_MAX: usize = 32;
pub const NAME_MAX: usize = 100;
pub const TOWNSHIP_MAX: usize = 50;
pub const PRINCIPAL_MAX: usize = 50;
pub const PHONE_MAX: usize = 32;
pub const PUPILS_MAX: i32 = 100_000;
pub const STAFF_MAX: i32 = 10_000;

/// What a form or an import row says about a school, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SchoolDraft {
    pub code: String,
    pub name: String,
    pub township: String,
    pub kind: String,
    pub pupils: String,
    pub boarders: String,
    pub staff: String,
    pub principal: String,
    pub phone: String,
}

/// A school that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolInput {
    pub code: String,
    pub name: String,
    pub township: Option<String>,
    pub kind: SchoolKind,
    pub pupils: i32,
    pub boarders: i32,
    pub staff: i32,
    pub principal: String,
    pub phone: String,
}

pub fn valid_code(code: &str) -> bool {
    (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub fn validate(d: &SchoolDraft) -> Result<SchoolInput, Vec<FieldError>> {
    let mut e = Errors::default();
    let code = e.text("code", &d.code, true, CODE_MAX);
    if !code.is_empty() && !valid_code(&code) {
        e.add("code", "schools.error.code_format");
    }
    let name = e.text("name", &d.name, true, NAME_MAX);
    let township = e.text("township", &d.township, false, TOWNSHIP_MAX);
    let kind = e.choice::<SchoolKind>("kind", &d.kind);
    let pupils = e.count("pupils", &d.pupils, PUPILS_MAX);
    let boarders = e.count("boarders", &d.boarders, PUPILS_MAX);
    if boarders > pupils {
        e.add("boarders", "schools.error.boarders_exceed_pupils");
    }
    let staff = e.count("staff", &d.staff, STAFF_MAX);
    let principal = e.text("principal", &d.principal, false, PRINCIPAL_MAX);
    let phone = e.text("phone", &d.phone, false, PHONE_MAX);
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " -+()".contains(c))
    {
        e.add("phone", "schools.error.phone_format");
    }
    let Some(kind) = kind else {
        return Err(e.0);
    };
    e.into_result(SchoolInput {
        code,
        name,
        township: (!township.is_empty()).then_some(township),
        kind,
        pupils,
        boarders,
        staff,
        principal,
        phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SchoolDraft {
        SchoolDraft {
            code: "CX-001".into(),
            name: "城南育才学校".into(),
            township: "辰阳镇".into(),
            kind: "nine_year".into(),
            pupils: "3500".into(),
            boarders: "800".into(),
            staff: "160".into(),
            principal: "李华".into(),
            phone: "0745-5221234".into(),
        }
    }

    #[test]
    fn a_complete_school_passes() {
        let s = validate(&draft()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s.township.as_deref(), Some("辰阳镇"));
        assert_eq!((s.pupils, s.boarders, s.staff), (3500, 800, 160));
    }

    #[test]
    fn bad_fields_are_each_named() {
        let mut d = draft();
        d.code = "城南 1".into();
        d.kind = "university".into();
        d.boarders = "4000".into();
        d.phone = "call me".into();
        let fields: Vec<_> = validate(&d)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["code", "kind", "boarders", "phone"]);
    }

    #[test]
    fn a_blank_township_is_none() {
        let mut d = draft();
        d.township = "  ".into();
        assert_eq!(validate(&d).ok().and_then(|s| s.township), None);
    }
}
