//! Files attached to a record of any module: photos before and after a fix, a report, evidence.
//! Which record kinds take which stages, and who may add them, is the owning module's policy.

use super::enums::str_enum;

str_enum!(pub Stage: "attachments.stage" {
    Before = "before",
    After = "after",
    Report = "report",
    Evidence = "evidence",
});

/// Enough of each stage from several angles; counted per stage, so "before" photos can never
/// crowd out the "after" evidence a fix needs.
pub const MAX_PER_STAGE: i64 = 12;
