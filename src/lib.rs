//! xiaoan (校安): school-safety records for a county education bureau and its schools.
//!
//! Layers, imported one way only: `web` → `report` → `store` → `db`, and each of them → `domain`.
//! `domain` is pure Rust: rules and workflow machines, no HTTP and no SQL. `report` assembles the
//! monthly report from every module's section, without HTTP.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod generate;
pub mod housekeeping;
pub mod i18n;
pub mod media;
pub mod report;
pub mod startup;
pub mod store;
pub mod web;
pub mod webhook;
