//! The report reaches a month's figures three ways, and they agree: the trail replayed, the
//! hazard rows as they stand (the current month), and a kept snapshot (a settled month).

use chrono::Duration;
use reqwest::StatusCode;
use xiaoan::domain::hazards::report::{self, Keys};
use xiaoan::domain::month::Month;
use xiaoan::domain::role::Role;
use xiaoan::domain::time;
use xiaoan::store::hazards::trail as reports;

use crate::helpers::*;
use crate::report_helpers::*;

/// How a breakdown groups hazards.
type KeyOf = fn(&Keys) -> String;

#[tokio::test]
async fn the_rows_as_they_stand_give_the_trails_figures_over_the_demo_county() {
    let app = TestApp::spawn_demo().await;
    let now = time::now() + Duration::microseconds(1);
    let month = Month::of(time::local_date(now));
    let (month_start, _) = month.bounds_utc();
    let (year_start, _) = Month {
        year: month.year,
        month: 1,
    }
    .bounds_utc();
    let mut scopes: Vec<Option<Vec<i64>>> = vec![None];
    for (id, _, _) in xiaoan::store::schools::units(&mut app.conn(), None).expect("schools") {
        scopes.push(Some(vec![id]));
    }
    for scope in scopes {
        let scope = scope.as_deref();
        let trails = reports::hazard_histories(&mut app.conn(), scope, now).expect("trails");
        // The month's rows: only the hazards it can count, with the same figures.
        let rows = reports::hazards_now(&mut app.conn(), scope, month_start).expect("rows");
        assert!(rows.len() <= trails.len(), "{scope:?}");
        same_figures(&rows, &trails, month_start, now);
        // The year's three counts, as the trail gives them.
        let year = reports::counts_since(&mut app.conn(), scope, year_start).expect("year");
        let by_trail = report::figures(&trails, year_start, now);
        assert_eq!((year.found, year.closed), (by_trail.found, by_trail.closed));
        assert_eq!(
            report::closure_rate(year.closed_and_stayed, by_trail.open_at_end),
            by_trail.closure_rate,
            "{scope:?}"
        );
    }
    let rows = reports::hazards_now(&mut app.conn(), None, month_start).expect("rows");
    let open = report::figures(&rows, month_start, now).open_at_end;
    assert!(open > 0, "the demo has open hazards to compare");
    let year = reports::counts_since(&mut app.conn(), None, year_start).expect("year");
    assert!(year.found > 0, "the demo has hazards this year");
}

/// The rows and the trails give the same figures and breakdowns over a window ending `now`;
/// a group with nothing to count in it may be missing from the rows.
fn same_figures(
    rows: &[report::Current],
    trails: &[report::History],
    from: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
) {
    let keys: [(&str, KeyOf); 4] = [
        ("source", |k| k.source.to_string()),
        ("category", |k| k.category.to_string()),
        ("level", |k| k.level.to_string()),
        ("school", |k| k.school_id.to_string()),
    ];
    let counted = |lines: Vec<(String, report::Figures)>| -> Vec<(String, report::Figures)> {
        lines
            .into_iter()
            .filter(|(_, f)| *f != report::Figures::default())
            .collect()
    };
    assert_eq!(
        report::figures(rows, from, now),
        report::figures(trails, from, now)
    );
    for (name, key) in keys {
        assert_eq!(
            counted(report::breakdown(rows, key, from, now)),
            counted(report::breakdown(trails, key, from, now)),
            "by {name} from {from}"
        );
    }
}

#[tokio::test]
async fn a_month_reads_the_same_during_it_in_its_first_hour_after_and_from_its_snapshot() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    let get = |q: &'static str| {
        let b = &c.bureau;
        async move {
            b.get(&format!("/reports/monthly.json?{q}"))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap_or_default()
        }
    };
    // The hazards' kept months (the buildings' section keeps its own).
    let kept = |month: &str| {
        app.count(&format!(
            "report_snapshots WHERE module LIKE 'hazards/%' AND scope = 'county' AND month = '{month}'"
        ))
    };

    // During March: read from the rows; the eleven months before it are kept for the trend.
    c.at("2026-03-27 09:00");
    let during = get("month=2026-03").await;
    assert_eq!(hazards_json(&during), (3, 1, 2, 1, 1));
    assert_eq!(kept("2026-03"), 0, "a month is not kept while it runs");
    assert_eq!(kept("2026-02"), 1);
    assert_eq!(app.count("report_snapshots"), 11);

    // In the first hour of April, March is replayed but not yet kept.
    c.at("2026-04-01 00:30");
    let first_hour = get("month=2026-03").await;
    assert_eq!(first_hour["hazards"], during["hazards"]);
    assert_eq!(kept("2026-03"), 0);

    // Later it is settled: replayed once, kept, and read from the snapshot after that.
    c.at("2026-04-05 09:00");
    let settled = get("month=2026-03").await;
    assert_eq!(settled["hazards"], during["hazards"]);
    assert_eq!(kept("2026-03"), 1);
    app.exec(
        "UPDATE report_snapshots SET section = REPLACE(section, '\"found\":3,', '\"found\":99,') \
         WHERE scope = 'county' AND month = '2026-03'",
    );
    assert_eq!(
        get("month=2026-03").await["hazards"]["found"],
        99,
        "the kept section is what is read"
    );
    app.exec(
        "UPDATE report_snapshots SET section = 'not json' \
         WHERE scope = 'county' AND month = '2026-03'",
    );
    assert_eq!(
        get("month=2026-03").await["hazards"],
        during["hazards"],
        "a section that no longer reads is recomputed"
    );
    assert_eq!(
        app.count(
            "report_snapshots WHERE module LIKE 'hazards/%' AND scope = 'county' \
             AND month = '2026-03' AND section LIKE '{%'"
        ),
        1,
        "and kept again"
    );

    // A township's months are kept under its own scope; a school's, cheap to replay, are not.
    let school = get("month=2026-03&school=R-1").await;
    assert_eq!(hazards_json(&school), (3, 1, 2, 1, 1));
    get("month=2026-03&township=辰阳镇").await;
    assert_eq!(
        app.count("report_snapshots WHERE month = '2026-03' AND scope LIKE 'township:%'") as usize,
        xiaoan::report::SECTIONS.len(),
        "one a section"
    );
    assert_eq!(app.count("report_snapshots WHERE scope LIKE 'school:%'"), 0);
}

#[tokio::test]
async fn a_school_moved_to_another_township_is_counted_there_in_kept_months_too() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-05 09:00");
    let units = |v: &serde_json::Value| -> Vec<String> {
        v["hazards"]["by_unit"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l["key"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let march_json = || async {
        c.bureau
            .get("/reports/monthly.json?month=2026-03")
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap_or_default()
    };
    assert_eq!(units(&march_json().await), ["辰阳镇"]);
    assert!(app.count("report_snapshots") > 0);

    let admin = app.logged_in("r.admin", Role::Admin, None).await;
    let r1 = xiaoan::store::schools::find_by_code(&mut app.conn(), "R-1")
        .expect("query")
        .expect("school")
        .id;
    let moved = admin
        .post(
            &format!("/schools/{r1}"),
            &[
                ("code", "R-1"),
                ("name", "R-1 学校"),
                ("township", "潭湾镇"),
                ("kind", "primary"),
            ],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("report_snapshots"),
        0,
        "the kept months are let go"
    );
    let after = march_json().await;
    assert!(units(&after).contains(&"潭湾镇".to_string()), "{after}");
    assert_eq!(hazards_json(&after), (3, 1, 2, 1, 1), "the totals stay");
}
