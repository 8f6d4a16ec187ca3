//! One integration test binary: the real app over HTTP, the CLI, and a headless browser.
//! Runs against SQLite by default and PostgreSQL when TEST_DATABASE_URL is set.

mod admin;
mod audit;
mod auth;
mod browser;
mod browser_loop;
mod cli;
mod cli_helpers;
mod csrf;
mod hazard_exports;
mod hazard_helpers;
mod hazard_journey;
mod hazard_loop;
mod hazard_photos;
mod hazards;
mod headers;
mod helpers;
mod housekeeping;
mod kit;
mod lang;
mod layers;
mod notification_helpers;
mod notification_webhook;
mod notifications;
mod report_forms;
mod report_helpers;
mod report_lists;
mod report_paths;
mod report_title;
mod reports;
mod schema;
mod scope;
mod trust_cli;
mod trust_disk;
mod trust_http;
mod upgrade;
