//! Turns the county registries' access decision into the web's answer: 404 or 403. Module
//! policies answer with the same `Decision`, which converts with `?`.

use super::ctx::Authed;
use crate::domain::access::{self, Action, Target};
use crate::error::AppError;

pub fn require(a: &Authed, action: Action, target: Target) -> Result<(), AppError> {
    Ok(access::decide(&a.actor(), action, target)?)
}

/// Whether the registries allow this (for what a page offers).
pub fn may(a: &Authed, action: Action, target: Target) -> bool {
    access::decide(&a.actor(), action, target).is_ok()
}
