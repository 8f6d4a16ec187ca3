//! Field checks shared by every form. An error names the field and a catalog key; the web
//! layer turns both into words in the user's language.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    /// An i18n key such as `err.required`.
    pub message: &'static str,
}

#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError { field, message });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Trims `value`, then checks it is present (when `required`) and at most `max` chars.
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        let v = value.trim();
        if required && v.is_empty() {
            self.add(field, "err.required");
        } else if v.chars().count() > max {
            self.add(field, "err.too_long");
        } else if v
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.add(field, "err.control_chars");
        }
        v.to_string()
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
                self.add(field, "err.number_range");
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
    fn text_is_trimmed_and_bounded() {
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
                ("name", "err.required"),
                ("title", "err.too_long"),
                ("note", "err.control_chars")
            ]
        );
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
}
