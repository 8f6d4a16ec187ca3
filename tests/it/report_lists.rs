//! The lists behind the figures: the dashboard's and the report's "found" and "closed" open the
//! ledger filtered to the hazards they count.

use reqwest::StatusCode;

use crate::report_helpers::*;

/// The hazard ids a ledger page links to.
fn ids_on(page: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = page
        .split("href=\"/hazards/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[tokio::test]
async fn found_and_closed_link_to_the_hazards_they_count() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let h2 = march(&c).await;
    c.at("2026-04-05 09:00");
    let b = &c.bureau;

    let found = ids_on(&b.text("/hazards?found=2026-03").await);
    assert_eq!(found.len(), 3, "March's three reports: {found:?}");
    assert!(found.contains(&h2));
    let closed = ids_on(&b.text("/hazards?closed=2026-03").await);
    assert_eq!(closed.len(), 1, "the one accepted in March: {closed:?}");
    assert!(!closed.contains(&h2));
    let february = ids_on(&b.text("/hazards?found=2026-02").await);
    assert_eq!(february.len(), 1);
    assert!(!found.contains(&february[0]));

    // The same lists within a scope, and in the export.
    assert_eq!(
        ids_on(&b.text("/hazards?found=2026-03&school=R-2").await),
        Vec::<i64>::new()
    );
    let csv = b.text("/hazards.csv?closed=2026-03").await;
    assert_eq!(csv.lines().count(), 2, "a header and the one closed: {csv}");

    for bad in ["found=2026-13", "closed=march"] {
        assert_eq!(
            b.get(&format!("/hazards?{bad}")).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }

    let report = b.text("/reports/monthly?month=2026-03&school=R-1").await;
    assert!(
        report.contains("href=\"/hazards?found=2026-03&#38;school=R-1\""),
        "{report}"
    );
    assert!(report.contains("href=\"/hazards?closed=2026-03&#38;school=R-1\""));
    let home = b.text("/").await;
    assert!(home.contains("href=\"/hazards?found=2026-04\""), "{home}");
    assert!(home.contains("href=\"/hazards?closed=2026-04\""));
}
