//! The layers import one way (web → report → store → db, each → domain), and what the module
//! kit moved into one place stays there: the web decides nothing from a role, and writes
//! nothing itself. These read the source, so a new file cannot slip past.

use std::path::{Path, PathBuf};

fn sources(folder: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push((p, text));
            }
        }
    }
    assert!(!out.is_empty(), "sources of {folder} found");
    out
}

/// Every line of `folder` (but `except`) that holds one of `words`, outside `//` comments.
fn offending(folder: &str, except: &[&str], words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources(folder) {
        if except.iter().any(|e| path.ends_with(e)) {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if words.iter().any(|w| code.contains(w)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_web_looks_at_no_role_outside_the_one_place_that_maps_a_session_to_an_actor() {
    let found = offending("web", &["web/ctx.rs"], &["Role::", "role()"]);
    assert!(
        found.is_empty(),
        "decide from the policies instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_web_opens_no_transaction_appends_no_event_and_reaches_no_database() {
    let found = offending(
        "web",
        &[],
        &["write_tx", "events::append", "crate::db", "diesel::"],
    );
    assert!(found.is_empty(), "the store writes:\n{}", found.join("\n"));
}

#[test]
fn the_domain_is_pure_rust() {
    let found = offending(
        "domain",
        &[],
        &[
            "actix",
            "diesel",
            "askama",
            "crate::store",
            "crate::web",
            "crate::report",
            "crate::db",
        ],
    );
    assert!(found.is_empty(), "no HTTP, no SQL:\n{}", found.join("\n"));
}

#[test]
fn the_report_service_knows_no_http() {
    let found = offending("report", &[], &["actix", "crate::web"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_store_knows_neither_the_web_nor_the_report() {
    let found = offending(
        "store",
        &[],
        &["actix", "crate::web", "crate::report", "askama"],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}
