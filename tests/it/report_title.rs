//! The report's title block, as on a paper 月报表: the county's name (an admin setting), the
//! month, the reporting unit, who made it and when.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::report_helpers::*;

#[tokio::test]
async fn the_county_named_in_the_settings_heads_the_report_in_every_format() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-05 09:00");
    let admin = app.logged_in("r.admin", Role::Admin, None).await;
    let save = |name: &'static str| {
        let admin = &admin;
        async move { admin.post("/settings", &[("county_name", name)]).await }
    };
    assert_eq!(save(" 辰溪县 ").await.status(), StatusCode::SEE_OTHER);
    assert!(admin.text("/settings").await.contains("value=\"辰溪县\""));

    let long =
        save("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一")
            .await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = long.text().await.unwrap_or_default();
    assert!(
        page.contains("最多 40 个字") && page.contains("一二三四五六七八九十一"),
        "{page}"
    );
    let two_lines = save("辰溪县\n教育局").await;
    assert_eq!(two_lines.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        admin.text("/settings").await.contains("value=\"辰溪县\""),
        "a refused form changes nothing"
    );
    assert_eq!(
        app.count("events WHERE record_kind = 'setting'"),
        1,
        "one change, one event"
    );
    let without_name = admin
        .post("/settings", &[("schools_accept_general", "1")])
        .await;
    assert_eq!(without_name.status(), StatusCode::SEE_OTHER);
    assert!(
        admin.text("/settings").await.contains("value=\"辰溪县\""),
        "a form without the field leaves the name"
    );

    let b = &c.bureau;
    let html = b.text("/reports/monthly?month=2026-03").await;
    assert!(
        html.contains("<h1>辰溪县 2026-03 学校安全工作月报</h1>"),
        "{html}"
    );
    assert!(html.contains("制表 r.bureau 名") && html.contains("生成于 2026-04-05 09:00"));
    let json = b
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    assert_eq!(json["county"], "辰溪县");

    let res = b
        .get("/reports/monthly.xlsx?month=2026-03&school=R-1")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("<mergeCell ref=\"A1:I1\"/>"),
        "the title spans the table: {sheet}"
    );
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    for s in [
        "辰溪县 2026-03 学校安全工作月报",
        "填报单位：R-1 学校",
        "单位：项",
        "制表 r.bureau 名    生成于 2026-04-05 09:00",
    ] {
        assert!(strings.contains(s), "{s} in {strings}");
    }
}
