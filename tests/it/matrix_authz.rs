//! The authorization matrix: every route the router has × every actor × own, other and missing
//! record, against the expectations of `matrix_table`. A refused POST changes nothing; a GET
//! answers HEAD alike, without a body.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::helpers::*;
use crate::matrix_fixture::*;
use crate::matrix_table::{Row, table};

/// Routes of the router without a row, and rows of routes the router no longer has.
pub fn uncovered() -> (Vec<String>, Vec<String>) {
    let routes: BTreeSet<(String, String)> = xiaoan::web::route_table()
        .into_iter()
        .map(|(m, p)| (m.as_str().to_string(), p.to_string()))
        .collect();
    let rows: BTreeSet<(String, String)> = table()
        .iter()
        .map(|r| (r.method.to_string(), r.pattern.to_string()))
        .collect();
    let name = |(m, p): &(String, String)| format!("{m} {p}");
    (
        routes.difference(&rows).map(name).collect(),
        rows.difference(&routes).map(name).collect(),
    )
}

#[test]
fn every_route_of_the_router_has_an_expectation_and_no_other() {
    let (missing, stale) = uncovered();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/it/matrix_table.rs: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for routes the router no longer has: {stale:?}"
    );
    assert!(xiaoan::web::route_table().len() >= 50, "the table is read");
}

/// What a cell's answer is, as the table writes it.
fn answer(status: StatusCode, location: &str) -> String {
    match status.as_u16() {
        303 if location.starts_with("/login") => "L".into(),
        n => n.to_string(),
    }
}

/// A refusal, after which nothing may have changed.
fn refused(expected: &str, actor: usize) -> bool {
    matches!(expected, "403" | "404" | "409" | "422") || (expected == "L" && actor == 0)
}

#[tokio::test]
async fn every_route_answers_every_actor_as_declared() {
    let (missing, stale) = uncovered();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "{missing:?} {stale:?}"
    );
    let f = Fixture::build().await;
    let rows = table();
    let (mut cases, mut heads) = (0usize, 0usize);
    let mut failures = Vec::new();
    for row in &rows {
        for (t, target) in f.targets(row.ids).iter().enumerate() {
            for (a, actor) in f.actors.iter().enumerate() {
                let expected = row.expected(a, t);
                let at = path(row.pattern, target);
                let form = fill(row.form, target, &f.month);
                let cell = format!("{} as {} on {target:?}", row.name(), actor.name);
                let got = if row.method == "GET" {
                    heads += 1;
                    get_cell(&actor.browser, &at, &form, &cell, &mut failures).await
                } else {
                    post_cell(&f, row, a, &at, &form, expected, &cell, &mut failures).await
                };
                cases += 1;
                if got != expected {
                    failures.push(format!("{cell}: expected {expected}, got {got}"));
                }
            }
        }
    }
    println!(
        "authorization matrix: {cases} cells ({heads} GET cells also sent as HEAD: {} requests) \
         over {} rows for {} routes",
        cases + heads,
        rows.len(),
        xiaoan::web::route_table().len()
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases >= 600, "the matrix ran {cases} cases");
}

/// GET, then HEAD: the same status, no body.
async fn get_cell(
    b: &Browser,
    path: &str,
    query: &str,
    cell: &str,
    failures: &mut Vec<String>,
) -> String {
    let url = if query.is_empty() {
        b.url(path)
    } else {
        b.url(&format!("{path}?{query}"))
    };
    let res = b.client.get(&url).send().await.expect("GET");
    let got = answer(res.status(), &location(&res));
    let head = b.client.head(&url).send().await.expect("HEAD");
    let status = head.status();
    let body = head.bytes().await.expect("HEAD body");
    if status != res.status() || !body.is_empty() {
        failures.push(format!(
            "{cell}: HEAD answered {status} with {} bytes, GET {got}",
            body.len()
        ));
    }
    got
}

#[allow(clippy::too_many_arguments)]
async fn post_cell(
    f: &Fixture,
    row: &Row,
    a: usize,
    path: &str,
    form: &str,
    expected: &str,
    cell: &str,
    failures: &mut Vec<String>,
) -> String {
    let actor = &f.actors[a];
    // A cell that ends its session runs in a session of its own.
    let own;
    let (browser, token) = if row.fresh && actor.role.is_some() {
        own = f.app.browser();
        own.login(actor.name, PASSWORD).await;
        let token = own.csrf().await;
        (&own, token)
    } else {
        (&actor.browser, actor.token.clone())
    };
    let before = f.fingerprint();
    let res = Post {
        path,
        form,
        multipart: row.multipart,
        token: Some(&token),
        origin: None,
    }
    .send(browser)
    .await;
    let got = answer(res.status(), &location(&res));
    if refused(expected, a) && got == expected {
        let after = f.fingerprint();
        if after != before {
            failures.push(format!(
                "{cell}: refused, yet changed {:?}",
                changed(&before, &after)
            ));
        }
    }
    got
}

pub fn changed(before: &[(String, i64)], after: &[(String, i64)]) -> Vec<String> {
    after
        .iter()
        .filter(|kv| !before.contains(kv))
        .map(|(k, v)| format!("{k} = {v}"))
        .collect()
}
