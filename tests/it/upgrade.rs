//! A database the previous release made upgrades without loss: its demo county (as that
//! release wrote it, `tests/fixtures/release-0.1-demo.sql`) under its own migrations, then this
//! release's migrations as `serve` runs them. Every photo moves to the attachments with its id
//! and still serves; the audit trail still verifies.

use diesel::RunQueryDsl;
use reqwest::StatusCode;
use xiaoan::db::DbConn;
use xiaoan::store::events::{self, Verdict};

use crate::helpers::*;

/// The first migration this release added: the database below is the one before it.
const FIRST_NEW: &str = "2026-12-02-000008";
const FIXTURE: &str = include_str!("../fixtures/release-0.1-demo.sql");
/// The tables the fixture fills that have an identity column (PostgreSQL's sequences go on
/// after the ids the fixture wrote).
const WITH_IDS: [&str; 7] = [
    "townships",
    "schools",
    "users",
    "hazards",
    "hazard_photos",
    "events",
    "report_submissions",
];

/// (id, hazard, stage, sha256) of each photo row of the fixture.
fn fixture_photos() -> Vec<(i64, i64, String, String)> {
    FIXTURE
        .lines()
        .filter_map(|l| l.strip_prefix("INSERT INTO hazard_photos "))
        .map(|l| {
            let values = l.split("VALUES (").nth(1).unwrap_or("");
            let v: Vec<&str> = values.split(", ").collect();
            let text = |s: &str| s.trim_matches('\'').to_string();
            (
                v[0].parse().unwrap_or(0),
                v[1].parse().unwrap_or(0),
                text(v[2]),
                text(v[3]),
            )
        })
        .collect()
}

/// The file bytes this test writes for a stored hash (the content is the test's own; what
/// matters is that each row still finds its file).
fn bytes_of(sha: &str, thumb: bool) -> Vec<u8> {
    format!("{}{sha}", if thumb { "thumb " } else { "photo " }).into_bytes()
}

fn previous_release(conn: &mut DbConn, dir: &std::path::Path) {
    let applied = xiaoan::db::migrate_before(conn, FIRST_NEW).expect("the old migrations");
    assert_eq!(applied, 7, "the previous release had seven migrations");
    for line in FIXTURE.lines().filter(|l| l.starts_with("INSERT")) {
        diesel::sql_query(line)
            .execute(conn)
            .unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    if conn.backend() == xiaoan::db::Backend::Postgres {
        for t in WITH_IDS {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
            ))
            .execute(conn)
            .expect("move the sequence on");
        }
    }
    let uploads = dir.join("uploads");
    for (_, _, _, sha) in fixture_photos() {
        for thumb in [false, true] {
            let path = xiaoan::store::files::photo_path(&uploads, &sha, thumb);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(&path, bytes_of(&sha, thumb)).expect("write a photo");
        }
    }
}

#[tokio::test]
async fn a_database_of_the_previous_release_upgrades_and_every_photo_still_serves() {
    let app = TestApp::spawn_from(|_| {}, previous_release).await;
    let photos = fixture_photos();
    assert_eq!(photos.len(), 36, "the fixture's photos");
    assert_eq!(app.count("attachments"), 36, "each photo moved over");
    for (id, hazard, stage, sha) in &photos {
        assert_eq!(
            app.count(&format!(
                "attachments WHERE id = {id} AND record_kind = 'hazard' AND record_id = {hazard} \
                 AND stage = '{stage}' AND sha256 = '{sha}' AND pending_session IS NULL"
            )),
            1,
            "photo {id} keeps its id, hazard, stage and file"
        );
    }
    assert_eq!(
        app.count(
            "attachments a JOIN hazards h ON h.id = a.record_id WHERE a.school_id <> h.school_id"
        ),
        0,
        "each knows its school"
    );
    assert_eq!(
        app.count("hazards WHERE supervised AND supervised_at IS NULL"),
        0,
        "supervision keeps when it began"
    );
    assert!(app.count("hazards WHERE supervised") > 0);
    app.rollups_agree()
        .expect("the rollups are filled from the release's rows");
    let indexed = app.count("search_docs WHERE record_kind = 'hazard'");
    assert_eq!(
        indexed,
        app.count("hazards"),
        "start-up indexed every hazard"
    );

    // The demo's bureau signs in with the release's own password hash.
    let b = app.browser();
    let res = b.login("bureau", xiaoan::demo::DEMO_PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "the demo's bureau signs in"
    );
    for (id, hazard, _, sha) in &photos {
        for (suffix, thumb) in [("", false), ("/thumb", true)] {
            let res = b.get(&format!("/attachments/{id}{suffix}")).await;
            assert_eq!(res.status(), StatusCode::OK, "photo {id}{suffix}");
            let body = res.bytes().await.unwrap_or_default();
            assert_eq!(body.as_ref(), bytes_of(sha, thumb), "photo {id}{suffix}");
        }
        let page = b.text(&format!("/hazards/{hazard}")).await;
        assert!(
            page.contains(&format!("/attachments/{id}/thumb")),
            "on its hazard's page"
        );
    }
    let verdict = events::verify(&mut app.conn()).expect("verify");
    assert!(
        matches!(verdict, Verdict::Intact { events, .. } if events > 145),
        "the release's 145 events and the login since: {verdict:?}"
    );
    // New photos number on after the old ones.
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let open: Vec<Id> = diesel::sql_query(
        "SELECT id FROM hazards WHERE state IN ('reported', 'registered', 'rectifying') LIMIT 1",
    )
    .load(&mut *app.conn() as &mut DbConn)
    .expect("an open hazard");
    let newest = app.photo(
        "bureau",
        open[0].id,
        xiaoan::domain::attachments::Stage::Before,
        1,
    );
    let old_max = photos.iter().map(|p| p.0).max().unwrap_or(0);
    assert!(newest > old_max, "{newest} after {old_max}");
}
