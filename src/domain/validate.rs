//! Field checks shared by every form. An error names the field, a catalog key and, where the
//! message needs one, a value to put in it (a limit); the web turns them into words.

use chrono::{Datelike, NaiveDate};

use super::enums::StrEnum;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    /// An i18n key such as `error.required`.
    pub message: &'static str,
    /// What the message's `{}` says, e.g. the most characters a field takes.
    pub arg: Option<String>,
}

impl FieldError {
    pub fn new(field: &'static str, message: &'static str) -> FieldError {
        FieldError {
            field,
            message,
            arg: None,
        }
    }

    /// The error as a one-field list, as stores and handlers return it.
    pub fn only(field: &'static str, message: &'static str) -> Vec<FieldError> {
        vec![FieldError::new(field, message)]
    }
}

/// A resident identity number (GB 11643): 17 digits and a check character (0–9 or X) that
/// ISO 7064 MOD 11-2 confirms. The app never stores one: a field holding such a value is
/// refused, whatever it was meant to be (`Errors::personal`).
pub fn looks_like_national_id(value: &str) -> bool {
    let v: Vec<char> = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if v.len() != 18 || !v[..17].iter().all(char::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = v[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK[(sum % 11) as usize] == v[17].to_ascii_uppercase()
}

#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

/// `YYYY-MM-DD` between 2000 and 2100.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    (2000..=2100).contains(&d.year()).then_some(d)
}

impl Errors {
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Trims `value`, then checks it is present (when `required`) and at most `max` chars.
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        let v = value.trim();
        if required && v.is_empty() {
            self.add(field, "error.required");
        } else if v.chars().count() > max {
            self.0.push(FieldError {
                field,
                message: "error.too_long",
                arg: Some(max.to_string()),
            });
        } else if v
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.add(field, "error.control_chars");
        }
        v.to_string()
    }

    /// Like `text`, and refused when it looks like a national ID number: the fields of the
    /// modules that hold people's details never take one.
    pub fn personal(
        &mut self,
        field: &'static str,
        value: &str,
        required: bool,
        max: usize,
    ) -> String {
        let v = self.text(field, value, required, max);
        if looks_like_national_id(&v) {
            self.add(field, "error.national_id");
        }
        v
    }

    /// A date not after `today`.
    pub fn past_date(
        &mut self,
        field: &'static str,
        value: &str,
        required: bool,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        match self.date(field, value, required) {
            Some(d) if d > today => {
                self.add(field, "error.not_future");
                None
            }
            d => d,
        }
    }

    /// Like `text`, but absent when blank.
    pub fn optional(
        &mut self,
        field: &'static str,
        value: &str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        let v = self.text(field, value, required, max);
        (!v.is_empty()).then_some(v)
    }

    /// One of an enum's words; anything else is "choose from the list".
    pub fn choice<E: StrEnum>(&mut self, field: &'static str, value: &str) -> Option<E> {
        let v = E::parse(value.trim());
        if v.is_none() {
            self.add(field, "error.choice");
        }
        v
    }

    /// A date; blank is "required" when `required`, else absent.
    pub fn date(&mut self, field: &'static str, value: &str, required: bool) -> Option<NaiveDate> {
        match parse_date(value) {
            Some(d) => Some(d),
            None if value.trim().is_empty() => {
                if required {
                    self.add(field, "error.required");
                }
                None
            }
            None => {
                self.add(field, "error.date_format");
                None
            }
        }
    }

    /// Parses a whole number in `0..=max`; blank is zero.
    pub fn count(&mut self, field: &'static str, value: &str, max: i32) -> i32 {
        let v = value.trim();
        if v.is_empty() {
            return 0;
        }
        match v.parse::<i32>() {
            Ok(n) if (0..=max).contains(&n) => n,
            _ => {
                self.add(field, "error.number_range");
                0
            }
        }
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_and_the_bound_is_named() {
        let mut e = Errors::default();
        assert_eq!(e.text("name", "  城南小学 ", true, 10), "城南小学");
        assert!(e.is_empty());
        e.text("name", "   ", true, 10);
        e.text("title", "一二三四五六七八九十十一", true, 10);
        e.text("note", "a\u{0}b", false, 10);
        let fields: Vec<_> = e.0.iter().map(|f| (f.field, f.message)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", "error.required"),
                ("title", "error.too_long"),
                ("note", "error.control_chars")
            ]
        );
        assert_eq!(e.0[1].arg.as_deref(), Some("10"));
    }

    #[test]
    fn counts_refuse_negatives_and_words() {
        let mut e = Errors::default();
        assert_eq!(e.count("pupils", "", 100), 0);
        assert_eq!(e.count("pupils", " 42 ", 100), 42);
        e.count("pupils", "-1", 100);
        e.count("pupils", "many", 100);
        e.count("pupils", "101", 100);
        assert_eq!(e.0.len(), 3);
    }

    #[test]
    fn dates_are_real_days_of_this_century() {
        let mut e = Errors::default();
        assert!(e.date("d", "2026-02-28", true).is_some());
        assert!(e.date("d", "", false).is_none());
        assert!(e.is_empty(), "blank and optional is fine");
        e.date("d", "2026-02-30", true);
        e.date("d", "", true);
        e.date("d", "1999-12-31", true);
        let messages: Vec<_> = e.0.iter().map(|f| f.message).collect();
        assert_eq!(
            messages,
            ["error.date_format", "error.required", "error.date_format"]
        );
    }
}
