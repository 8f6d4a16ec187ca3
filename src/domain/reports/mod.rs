//! The monthly report's rules: who reads which scope, and the submissions schools make of their
//! month. The figures themselves are each module's (`domain::<module>::report`), assembled by the
//! report service (`crate::report`).

pub mod input;
pub mod rules;

use super::enums::str_enum;

str_enum!(pub SubmissionState: "reports.submissions.state" {
    Submitted = "submitted",
    Returned = "returned",
});

str_enum!(
    /// What a submission's events say happened.
    pub SubmissionEvent: "reports.event" { Submit = "submit", Return = "return" }
);

/// Every catalog key the module's words need.
pub fn labels() -> Vec<&'static str> {
    [SubmissionState::labels(), SubmissionEvent::labels()].concat()
}
