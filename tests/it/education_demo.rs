//! The demo county's education, legal vice-principals and campaign: a year of sessions with two
//! schools owing drowning prevention, most schools served by a VP (one term lapsed), the
//! "九个一" campaign part done with a returned item, and a year-end summary that reads like a
//! county's.

use chrono::Datelike;
use xiaoan::domain::role::Role;
use xiaoan::store::events::{Verdict, verify};

use crate::helpers::*;

#[tokio::test]
async fn the_demo_year_holds_sessions_vps_and_a_campaign_under_way() {
    let app = TestApp::spawn_demo().await;
    assert!(matches!(
        verify(&mut app.conn()).expect("verify"),
        Verdict::Intact { .. }
    ));
    assert!(
        app.count("education_sessions WHERE topic <> 'bullying'") > 80,
        "a year at 12 schools"
    );
    let bureau = app.logged_in("demo.check", Role::Bureau, None).await;
    let overview = bureau.text("/education/overview").await;
    let owing = overview.split("owing-drowning").nth(1).unwrap_or_default();
    if today().month() >= 6 {
        assert!(
            owing.contains("CX-0302") && owing.contains("CX-0403"),
            "{owing}"
        );
        assert!(!owing.contains("CX-0101"), "{owing}");
    }
    let vps = bureau.text("/legal-vps").await;
    let without = vps.split("id=\"without\"").nth(1).unwrap_or_default();
    assert!(without.contains("CX-0302"), "no VP: {without}");
    assert!(
        without.contains("CX-0403"),
        "the VP's term is over: {without}"
    );
    assert!(!without.contains("CX-0101"), "{without}");
    let campaigns = bureau.text("/campaigns").await;
    assert!(campaigns.contains("九个一"), "{campaigns}");
    assert_eq!(
        app.count("campaign_marks WHERE state = 'returned'"),
        1,
        "one still to redo"
    );
    let y = bureau
        .text(&format!("/reports/annual?year={}", today().year()))
        .await;
    for clause in [
        "全面排查、消除校园周边环境安全隐患线索",
        "聘任法治副校长",
        "专题教育",
        "九个一",
    ] {
        assert!(y.contains(clause), "{clause}: {y}");
    }
    let json: serde_json::Value = bureau
        .get(&format!("/reports/annual.json?year={}", today().year()))
        .await
        .json()
        .await
        .expect("json");
    assert!(
        json["education"]["sessions"].as_i64().unwrap_or(0) > 0,
        "{json}"
    );
    assert!(
        json["legal_vps"]["in_office"].as_i64().unwrap_or(0) >= 6,
        "{json}"
    );
    assert!(
        json["hazards"]["periphery_found"].as_i64().unwrap_or(0) > 0,
        "{json}"
    );
}
