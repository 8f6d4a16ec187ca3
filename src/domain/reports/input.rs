//! What the bureau's return of a submission must hold.

use serde::{Deserialize, Serialize};

use crate::domain::validate::{Errors, FieldError};

pub const COMMENT_MAX: usize = 2000;

/// The return form as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReturnDraft {
    pub comment: String,
}

/// A return says why: a comment is required.
pub fn validate_return(d: &ReturnDraft) -> Result<String, Vec<FieldError>> {
    let mut e = Errors::default();
    let comment = e.text("comment", &d.comment, true, COMMENT_MAX);
    e.into_result(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_says_why_in_at_most_two_thousand_characters() {
        let d = |c: &str| ReturnDraft { comment: c.into() };
        assert_eq!(validate_return(&d(" 数据有误 ")), Ok("数据有误".into()));
        let empty = validate_return(&d("  ")).err().unwrap_or_default();
        assert_eq!(empty[0].message, "error.required");
        let long = validate_return(&d(&"字".repeat(2001)))
            .err()
            .unwrap_or_default();
        assert_eq!(long[0].arg.as_deref(), Some("2000"));
    }
}
