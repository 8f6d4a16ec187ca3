//! The audit trail: what appends events, and that the hash chains hold under concurrency.

use diesel::prelude::*;
use reqwest::StatusCode;
use xiaoan::auth::password::Hasher;
use xiaoan::db::DbConn;
use xiaoan::db::schema::events;
use xiaoan::domain::role::Role;
use xiaoan::domain::school::SchoolInput;
use xiaoan::domain::user::UserInput;
use xiaoan::store::events::{Verdict, verify};
use xiaoan::store::models::Event;
use xiaoan::store::{self, Actor};

use crate::helpers::*;

fn all_events(app: &TestApp) -> Vec<Event> {
    events::table
        .order(events::id)
        .select(Event::as_select())
        .load(&mut *app.conn() as &mut DbConn)
        .expect("events")
}

fn user_events(app: &TestApp, action: &str) -> Vec<Event> {
    all_events(app)
        .into_iter()
        .filter(|e| e.record_kind == "user" && e.action == action)
        .collect()
}

fn school_input(code: &str, township: &str) -> SchoolInput {
    SchoolInput {
        code: code.into(),
        name: format!("{code} 学校"),
        township: Some(township.into()),
        kind: xiaoan::domain::school::SchoolKind::Primary,
        pupils: 100,
        boarders: 0,
        staff: 10,
        principal: "校长".into(),
        phone: "0745-1234567".into(),
    }
}

#[tokio::test]
async fn every_login_logout_and_failed_login_appends_an_event() {
    let app = TestApp::spawn().await;
    app.school("CX-1");
    let staff = app.user("t.staff", Role::Staff, Some("CX-1"));
    let school = store::schools::find_by_code(&mut app.conn(), "CX-1")
        .expect("query")
        .expect("school")
        .id;
    let count = |action: &str| user_events(&app, action).len();
    assert_eq!(
        (count("login"), count("logout"), count("login_failed")),
        (0, 0, 0)
    );

    let b = app.browser();
    assert_eq!(
        b.login("t.staff", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        (count("login"), count("logout"), count("login_failed")),
        (1, 0, 0)
    );
    let login = user_events(&app, "login").remove(0);
    assert_eq!(
        (
            login.record_id,
            login.actor_id,
            login.actor.as_str(),
            login.school_id
        ),
        (Some(staff), Some(staff), "t.staff", Some(school))
    );

    assert_eq!(b.logout().await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        (count("login"), count("logout"), count("login_failed")),
        (1, 1, 0)
    );
    let logout = user_events(&app, "logout").remove(0);
    assert_eq!(
        (logout.record_id, logout.actor_id, logout.school_id),
        (Some(staff), Some(staff), Some(school))
    );

    // A wrong password for a real account: the account's event, no actor id.
    let res = b.login("t.staff", "not the password").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        (count("login"), count("logout"), count("login_failed")),
        (1, 1, 1)
    );
    let failed = user_events(&app, "login_failed").remove(0);
    assert_eq!(
        (
            failed.record_id,
            failed.actor_id,
            failed.actor.as_str(),
            failed.school_id
        ),
        (Some(staff), None, "t.staff", Some(school))
    );

    // An unknown account: an event too, for no record.
    let res = b.login("nobody", "not the password").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        (count("login"), count("logout"), count("login_failed")),
        (1, 1, 2)
    );
    let failed = user_events(&app, "login_failed").remove(1);
    assert_eq!(
        (
            failed.record_id,
            failed.actor_id,
            failed.actor.as_str(),
            failed.school_id
        ),
        (None, None, "nobody", None)
    );

    // A second successful login is a second event.
    assert_eq!(
        b.login("t.staff", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        (count("login"), count("logout"), count("login_failed")),
        (2, 1, 2)
    );

    assert!(matches!(
        verify(&mut app.conn()),
        Ok(Verdict::Intact { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_still_verifies_after_concurrent_writes() {
    const N: usize = 10;
    let app = TestApp::spawn().await;
    // The township exists already, so the tasks race only on the audit chains.
    app.school("CX-0");
    let shared = store::schools::find_by_code(&mut app.conn(), "CX-0")
        .expect("query")
        .expect("school")
        .id;
    let hash = Hasher::new(CHEAP)
        .and_then(|h| h.hash(PASSWORD))
        .expect("hash");

    let mut tasks = Vec::new();
    for i in 0..N {
        let pool = app.pool.clone();
        let hash = hash.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("pooled connection");
            let actor = Actor::cli();
            // Its own school chain…
            store::schools::create(
                &mut conn,
                &actor,
                &school_input(&format!("CX-{}", i + 1), "辰阳镇"),
            )
            .expect("create school");
            // …the county chain every task shares…
            let bureau = UserInput {
                username: format!("t.bureau{i}"),
                display_name: format!("局 {i}"),
                role: Role::Bureau,
                school: None,
            };
            store::users::create(&mut conn, &actor, &bureau, &hash, false)
                .expect("create bureau user");
            // …and the chain of the one shared school.
            let staff = UserInput {
                username: format!("t.staff{i}"),
                display_name: format!("教师 {i}"),
                role: Role::Staff,
                school: Some("CX-0".into()),
            };
            store::users::create(&mut conn, &actor, &staff, &hash, false)
                .expect("create staff user");
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }

    assert_eq!(app.count("schools"), N as i64 + 1);
    assert_eq!(app.count("users"), 2 * N as i64);
    let all = all_events(&app);
    assert_eq!(all.len(), 1 + 3 * N);
    // Chains: the shared school's, one per new school, and the county's.
    assert_eq!(
        verify(&mut app.conn()).expect("verify"),
        Verdict::Intact {
            events: 1 + 3 * N,
            chains: N + 2
        }
    );
    let shared_chain = format!("school:{shared}");
    assert_eq!(
        all.iter().filter(|e| e.chain == shared_chain).count(),
        1 + N
    );
    assert_eq!(all.iter().filter(|e| e.chain == "county").count(), N);
    // No two events of a chain point at the same predecessor: no fork.
    let mut links: Vec<(&str, &str)> = all
        .iter()
        .map(|e| (e.chain.as_str(), e.prev_hash.as_str()))
        .collect();
    links.sort();
    let before = links.len();
    links.dedup();
    assert_eq!(links.len(), before, "two events share a predecessor");
}

#[tokio::test]
async fn events_of_different_schools_form_separate_chains() {
    let app = TestApp::spawn().await;
    let a = app.school("CX-A1");
    let b = app.school("CX-B1");
    let a_user = app.user("t.a", Role::SchoolAdmin, Some("CX-A1"));
    let county_user = app.user("t.bureau", Role::Bureau, None);
    let b_user = app.user("t.b", Role::Staff, Some("CX-B1"));
    let browser = app.browser();
    assert_eq!(
        browser.login("t.a", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    let all = all_events(&app);
    let find = |kind: &str, id: i64, action: &str| -> &Event {
        all.iter()
            .find(|e| e.record_kind == kind && e.record_id == Some(id) && e.action == action)
            .unwrap_or_else(|| panic!("a {action} event for {kind} {id}: {all:#?}"))
    };
    let (chain_a, chain_b) = (format!("school:{a}"), format!("school:{b}"));

    let a_created = find("school", a, "create");
    let b_created = find("school", b, "create");
    let a_user_created = find("user", a_user, "create");
    let b_user_created = find("user", b_user, "create");
    let county_created = find("user", county_user, "create");
    let a_login = find("user", a_user, "login");
    assert_eq!(a_created.chain, chain_a);
    assert_eq!(b_created.chain, chain_b);
    assert_eq!(a_user_created.chain, chain_a);
    assert_eq!(a_login.chain, chain_a);
    assert_eq!(b_user_created.chain, chain_b);
    assert_eq!(county_created.chain, "county");
    assert_eq!(county_created.school_id, None);

    // Each chain starts afresh and links only to its own previous event.
    assert_eq!(a_created.prev_hash, "");
    assert_eq!(
        b_created.prev_hash, "",
        "school B's chain does not continue school A's"
    );
    assert_eq!(county_created.prev_hash, "");
    assert_eq!(a_user_created.prev_hash, a_created.hash);
    assert_eq!(
        b_user_created.prev_hash, b_created.hash,
        "skipping the county event in between"
    );
    assert_eq!(a_login.prev_hash, a_user_created.hash);

    assert_eq!(
        verify(&mut app.conn()).expect("verify"),
        Verdict::Intact {
            events: 6,
            chains: 3
        }
    );

    // Breaking school B's chain is reported in B's chain, not A's.
    app.exec(&format!(
        "UPDATE events SET actor = 'someone' WHERE id = {}",
        b_user_created.id
    ));
    assert_eq!(
        verify(&mut app.conn()).expect("verify"),
        Verdict::Fault(xiaoan::domain::audit::ChainFault::Altered {
            id: b_user_created.id
        })
    );
}
