//! A list's text filter as the registers without an index use it (issue 15 brings the indexed
//! search): the words as typed, matched anywhere, case-folded for ASCII on both databases,
//! the user's `%` and `_` taken literally.

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

pub use lower as lower_text;

/// The LIKE pattern of a search (escape character `\`), at most 100 characters of it.
pub fn pattern(text: &str) -> String {
    let text: String = text.trim().chars().take(100).collect();
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_typed_are_literal_and_case_is_folded() {
        assert_eq!(pattern(" 50%_Off "), "%50\\%\\_off%");
        assert_eq!(pattern("派出所"), "%派出所%");
        assert_eq!(pattern(&"长".repeat(300)).chars().count(), 102);
    }
}
