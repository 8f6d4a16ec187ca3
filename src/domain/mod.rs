//! Pure rules of the product: no HTTP, no SQL. Workflow machines, access rules, validation and
//! report arithmetic live here and are unit-tested hard.

pub mod access;
pub mod audit;
pub mod county;
pub mod hazard;
pub mod hazard_input;
pub mod report;
pub mod role;
pub mod school;
pub mod submission;
pub mod throttle;
pub mod time;
pub mod user;
pub mod validate;
