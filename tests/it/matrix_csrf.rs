//! The CSRF matrix: every POST route of the router, sent by someone who may otherwise take it,
//! without a token, with a wrong one, with another session's, and with the right one from a
//! foreign origin: each is 403 and changes nothing.

use reqwest::StatusCode;

use crate::helpers::*;
use crate::matrix_authz::{changed, uncovered};
use crate::matrix_fixture::*;
use crate::matrix_table::table;

const FORGED: &str = "forged-token-forged-token-forged-token-1234";
const EVIL: &str = "http://evil.example";

/// The four ways a forged POST comes, given the session's own token and another session's.
fn variants<'a>(
    own: &'a str,
    other: &'a str,
) -> [(&'static str, Option<&'a str>, Option<&'a str>); 4] {
    [
        ("no token", None, None),
        ("a wrong token", Some(FORGED), None),
        ("another session's token", Some(other), None),
        ("a foreign Origin", Some(own), Some(EVIL)),
    ]
}

#[tokio::test]
async fn every_post_without_this_sessions_token_or_from_another_origin_is_refused() {
    let (missing, stale) = uncovered();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "{missing:?} {stale:?}"
    );
    let f = Fixture::build().await;
    let rows = table();
    let posts: Vec<&'static str> = xiaoan::web::route_table()
        .into_iter()
        .filter(|(m, _)| m.as_str() == "POST")
        .map(|(_, p)| p)
        .collect();
    let mut cases = 0usize;
    let mut failures = Vec::new();
    for pattern in &posts {
        let row = rows
            .iter()
            .find(|r| r.method == "POST" && r.pattern == *pattern)
            .expect("a row for every POST (checked above)");
        // Someone signed in whom the route lets through: a redirect or page first, else a 422.
        let allowed = |a: usize, want: &[&str]| want.contains(&row.expected(a, 0));
        let a = (1..f.actors.len())
            .find(|a| allowed(*a, &["200", "303", "L"]))
            .or_else(|| (1..f.actors.len()).find(|a| allowed(*a, &["422"])))
            .unwrap_or_else(|| panic!("{}: nobody may take it", row.name()));
        let actor = &f.actors[a];
        let other = &f.actors[if a == 1 { 2 } else { 1 }].token;
        let target = &f.targets(row.ids)[0];
        let (path, form) = (path(row.pattern, target), fill(row.form, target, &f.month));
        for (how, token, origin) in variants(&actor.token, other) {
            let own;
            let browser = if row.fresh {
                own = f.app.browser();
                own.login(actor.name, PASSWORD).await;
                &own
            } else {
                &actor.browser
            };
            // A fresh session has a token of its own: the foreign origin brings that one.
            let fresh_token;
            let token = match (row.fresh, origin) {
                (true, Some(_)) => {
                    fresh_token = browser.csrf().await;
                    Some(fresh_token.as_str())
                }
                _ => token,
            };
            let before = f.fingerprint();
            let res = Post {
                path: &path,
                form: &form,
                multipart: row.multipart,
                token,
                origin,
            }
            .send(browser)
            .await;
            cases += 1;
            let cell = format!("{} as {} with {how}", row.name(), actor.name);
            if res.status() != StatusCode::FORBIDDEN {
                failures.push(format!("{cell}: {}", res.status()));
            }
            let after = f.fingerprint();
            if after != before {
                failures.push(format!("{cell}: changed {:?}", changed(&before, &after)));
            }
        }
    }
    cases += anonymous_login(&f, &mut failures).await;
    println!(
        "CSRF matrix: {cases} cases over {} POST routes",
        posts.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases, 4 * posts.len() + 4, "every POST route, four ways");
    assert!(posts.len() >= 20, "the router's POST routes are read");
}

/// Signing in with the right password, forged: no session comes of it.
async fn anonymous_login(f: &Fixture, failures: &mut Vec<String>) -> usize {
    let stranger = f.app.browser();
    let other = stranger.csrf().await;
    let mut cases = 0;
    for (how, token, origin) in variants(&f.actors[0].token, &other) {
        let before = f.fingerprint();
        let res = Post {
            path: "/login",
            form: &format!("username=mx.viewer&password={PASSWORD}"),
            multipart: false,
            token,
            origin,
        }
        .send(&f.actors[0].browser)
        .await;
        cases += 1;
        if res.status() != StatusCode::FORBIDDEN {
            failures.push(format!(
                "anonymous POST /login with {how}: {}",
                res.status()
            ));
        }
        if f.fingerprint() != before || f.actors[0].browser.cookie("xiaoan_session").is_some() {
            failures.push(format!("anonymous POST /login with {how}: signed in"));
        }
    }
    cases
}
