//! The county this installation serves. Its name heads the monthly report; while it is not set,
//! the report says "the county" (全县).

use super::validate::{Errors, FieldError};

/// The settings key of the county's name.
pub const SETTING_NAME: &str = "county_name";

/// The settings key of the bureau's name: the reporting unit (填报单位) of the county's report.
pub const SETTING_BUREAU: &str = "bureau_name";
pub const NAME_MAX: usize = 40;
pub const BUREAU_MAX: usize = 60;

/// A county name as typed: trimmed, one line, at most 40 characters. Empty means "not set".
pub fn parse_name(input: &str) -> Result<String, Vec<FieldError>> {
    one_line("county_name", input, NAME_MAX)
}

/// The bureau's name as typed (辰溪县教育局), one line; empty means "not set".
pub fn parse_bureau(input: &str) -> Result<String, Vec<FieldError>> {
    one_line("bureau_name", input, BUREAU_MAX)
}

fn one_line(field: &'static str, input: &str, max: usize) -> Result<String, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = e.text(field, input, false, max);
    if e.is_empty() && name.contains(['\n', '\r', '\t']) {
        e.add(field, "error.control_chars");
    }
    e.into_result(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_name_is_trimmed_and_may_be_left_empty() {
        assert_eq!(parse_name("  辰溪县 "), Ok("辰溪县".to_string()));
        assert_eq!(parse_name("   "), Ok(String::new()));
    }

    #[test]
    fn a_county_name_is_one_short_line() {
        let long = "县".repeat(41);
        assert_eq!(
            parse_name(&long).map_err(|e| e[0].message),
            Err("error.too_long")
        );
        assert_eq!(
            parse_name("辰溪\n县").map_err(|e| e[0].message),
            Err("error.control_chars")
        );
        assert!(parse_name(&"县".repeat(40)).is_ok());
    }

    #[test]
    fn a_bureau_name_is_one_line_of_at_most_60() {
        assert_eq!(
            parse_bureau(" 辰溪县教育局 "),
            Ok("辰溪县教育局".to_string())
        );
        assert!(parse_bureau(&"局".repeat(61)).is_err());
        assert_eq!(
            parse_bureau("教育\t局").map_err(|e| e[0].field),
            Err("bureau_name")
        );
    }
}
