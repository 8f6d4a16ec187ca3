//! Turns the domain's access decision into the web's answer: 404 or 403.

use super::ctx::Authed;
use crate::domain::access::{self, Action, Decision, Target};
use crate::error::AppError;

pub fn require(a: &Authed, action: Action, target: Target) -> Result<(), AppError> {
    match access::decide(&a.actor(), action, target) {
        Decision::Allow => Ok(()),
        Decision::NotFound => Err(AppError::NotFound),
        Decision::Forbidden => Err(AppError::Forbidden),
    }
}
