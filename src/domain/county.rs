//! The county this installation serves. Its name heads the monthly report; while it is not set,
//! the report says "the county" (全县).

use super::validate::{Errors, FieldError};

/// The settings key of the county's name.
pub const SETTING_NAME: &str = "county_name";

/// A county name as typed: trimmed, one line, at most 40 characters. Empty means "not set".
pub fn parse_name(input: &str) -> Result<String, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = e.text("county_name", input, false, 40);
    if e.is_empty() && name.contains(['\n', '\r', '\t']) {
        e.add("county_name", "error.control_chars");
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
}
