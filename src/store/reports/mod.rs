//! What the monthly report keeps: settled months' sections, and schools' submissions.

pub mod snapshots;
pub mod submissions;
