//! A dangerous building's whole run in a real headless Chromium with a phone-sized window: the
//! school's safety officer registers a building and records a D appraisal with its report and
//! the five supervision items, sees the building closed and its supervised hazard raised, plans
//! the demolition and reports it done with an "after" photo; the bureau finds it among the
//! dangerous buildings and accepts it; the month's report counts it.

use std::path::PathBuf;

use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;
use xiaoan::domain::role::Role;
use xiaoan::store::events::{self, Verdict};

use crate::browser::phone;
use crate::hazard_helpers::png;
use crate::hazard_journey::{absolute, action_button, log_in, log_out, submit, wait_for_path};
use crate::helpers::*;

const OFFICER: &str = "wang.anquan";
const BUREAU: &str = "zhao.jiaoyuju";

type Res<T> = Result<T, CmdError>;

struct Journey {
    base: String,
    report_pdf: PathBuf,
    after_png: PathBuf,
    today: String,
    deadline: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn a_school_records_a_d_grade_and_the_bureau_accepts_the_demolition() {
    let app = TestApp::spawn().await;
    app.school("CX-0201");
    app.user(OFFICER, Role::SchoolAdmin, Some("CX-0201"));
    app.user(BUREAU, Role::Bureau, None);
    let files = tempfile::tempdir().expect("file dir");
    let report_pdf = files.path().join("report.pdf");
    let after_png = files.path().join("after.png");
    std::fs::write(
        &report_pdf,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .expect("write report.pdf");
    std::fs::write(&after_png, png(120, 320, 240)).expect("write after.png");
    let journey = Journey {
        base: app.base.clone(),
        report_pdf,
        after_png,
        today: today().to_string(),
        deadline: (today() + chrono::Duration::days(90)).to_string(),
    };
    let (_driver, _profile, c) = phone().await;
    let outcome = tokio::spawn(run(c.clone(), journey)).await;
    if !matches!(outcome, Ok(Ok(_))) {
        let shot = std::env::temp_dir().join("building_journey-failure.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
            eprintln!("the page at the failure: {}", shot.display());
        }
    }
    let _ = c.close().await;
    let id = match outcome {
        Ok(Ok(id)) => id,
        Ok(Err(e)) => panic!("webdriver: {e}"),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    assert_eq!(app.building_status(id), "demolished");
    let hazard = app.one(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM hazards WHERE building_id = {id}"
    ));
    assert_eq!(app.hazard_state(hazard), "closed");
    let verdict = events::verify(&mut app.conn()).expect("verify the event chains");
    assert!(
        matches!(verdict, Verdict::Intact { .. }),
        "the event chains are intact"
    );
}

pub(crate) async fn set_date(c: &Client, id: &str, value: &str) -> Res<()> {
    let set = c
        .execute(
            "const d = document.getElementById(arguments[0]); d.value = arguments[1]; return d.value;",
            vec![Value::String(id.into()), Value::String(value.into())],
        )
        .await?;
    assert_eq!(
        set.as_str(),
        Some(value),
        "the date input {id} took {value}"
    );
    Ok(())
}

pub(crate) async fn type_into(c: &Client, css: &str, text: &str) -> Res<()> {
    c.find(Locator::Css(css)).await?.send_keys(text).await
}

async fn badges(c: &Client) -> Res<String> {
    c.find(Locator::Css("main .page-head + p"))
        .await?
        .text()
        .await
}

async fn run(c: Client, j: Journey) -> Res<i64> {
    let base = j.base.as_str();

    // 1. The school's safety officer registers the building.
    log_in(&c, base, OFFICER).await?;
    c.goto(&format!("{base}/buildings/new")).await?;
    type_into(&c, "#building-name", "老宿舍楼").await?;
    c.find(Locator::Css("#building-use"))
        .await?
        .select_by_value("dormitory")
        .await?;
    c.find(Locator::Css("#building-structure"))
        .await?
        .select_by_value("brick_wood")
        .await?;
    type_into(&c, "#building-floors", "3").await?;
    type_into(&c, "#building-floor_area", "860.5").await?;
    type_into(&c, "#building-year_built", "1986").await?;
    submit(&c, "form#form-building button[type=submit]").await?;
    let path = wait_for_path(&c, "the new building's page", |p| {
        p.strip_prefix("/buildings/")
            .is_some_and(|id| id.parse::<i64>().is_ok())
    })
    .await?;
    let id: i64 = path["/buildings/".len()..].parse().expect("a building id");
    assert!(badges(&c).await?.contains("正常使用"));

    // 2. A D appraisal, with its report and the five supervision items.
    set_date(&c, "form-appraise-appraised_on", &j.today).await?;
    type_into(&c, "#form-appraise-agency", "县房屋安全鉴定站").await?;
    type_into(&c, "#form-appraise-report_no", "CXJD-2026-007").await?;
    c.find(Locator::Css("#form-appraise-grade input[value=D]"))
        .await?
        .click()
        .await?;
    type_into(
        &c,
        "#form-appraise-notes",
        "承重墙体多处贯通裂缝，屋面木构件腐朽。",
    )
    .await?;
    c.find(Locator::Css("#form-appraise-file"))
        .await?
        .send_keys(&absolute(&j.report_pdf))
        .await?;
    type_into(
        &c,
        "#form-appraise-measures",
        "立即停止使用，设置围挡和警示标志",
    )
    .await?;
    type_into(&c, "#form-appraise-responsible_person", "王强").await?;
    type_into(&c, "#form-appraise-funding", "县财政 80 万元").await?;
    set_date(&c, "form-appraise-deadline", &j.deadline).await?;
    type_into(&c, "#form-appraise-contingency_plan", "学生转入2号楼住宿").await?;
    submit(&c, "form#form-appraise button[type=submit]").await?;
    let shown = badges(&c).await?;
    assert!(
        shown.contains("停止使用") && shown.contains("D级"),
        "closed and graded D: {shown:?}"
    );
    let page = c.source().await?;
    assert!(page.contains("整幢危房"), "the grade's meaning is shown");
    assert!(page.contains("查看报告"), "the report is linked");
    let hazard_link = c
        .find(Locator::Css("#hazards a[href^='/hazards/']"))
        .await?;
    assert!(
        c.find(Locator::Css("#hazards .badge-danger")).await.is_ok(),
        "the hazard is supervised"
    );
    hazard_link.click().await?;
    wait_for_path(&c, "the raised hazard", |p| p.starts_with("/hazards/")).await?;
    let hazard_page = c.source().await?;
    assert!(hazard_page.contains("老宿舍楼") && hazard_page.contains("挂牌督办"));
    assert!(
        hazard_page.contains(&format!("/buildings/{id}")),
        "the hazard shows its building"
    );

    // 3. The demolition is planned, carried out and reported done with an "after" photo.
    c.goto(&format!("{base}/buildings/{id}")).await?;
    c.find(Locator::Css("#form-plan-method input[value=demolish]"))
        .await?
        .click()
        .await?;
    set_date(&c, "form-plan-deadline", &j.deadline).await?;
    type_into(&c, "#form-plan-funding", "县财政 80 万元").await?;
    submit(&c, &action_button("plan")).await?;
    assert!(badges(&c).await?.contains("处置中"));
    c.find(Locator::Css("#form-photos-stage"))
        .await?
        .select_by_value("after")
        .await?;
    c.find(Locator::Css("#form-photos-file"))
        .await?
        .send_keys(&absolute(&j.after_png))
        .await?;
    submit(
        &c,
        &format!("form[action^='/buildings/{id}/photos'] button[type=submit]"),
    )
    .await?;
    type_into(
        &c,
        "#form-report_done-measures",
        "已整体拆除并清运，场地围挡平整。",
    )
    .await?;
    submit(&c, &action_button("report_done")).await?;
    assert!(badges(&c).await?.contains("待验收"));
    log_out(&c).await?;

    // 4. The bureau finds it among the dangerous buildings and accepts the demolition.
    log_in(&c, base, BUREAU).await?;
    c.goto(&format!("{base}/buildings/dangerous")).await?;
    let row = c
        .find(Locator::Css(&format!("a[href='/buildings/{id}']")))
        .await?;
    assert_eq!(row.text().await?, "老宿舍楼");
    row.click().await?;
    wait_for_path(&c, "the building from the list", |p| {
        p == format!("/buildings/{id}")
    })
    .await?;
    submit(&c, &action_button("accept")).await?;
    assert!(
        badges(&c).await?.contains("已拆除"),
        "accepted and demolished"
    );
    let mut steps = Vec::new();
    for e in c.find_all(Locator::Css(".timeline .what")).await? {
        steps.push(e.text().await?);
    }
    let expected = [
        "登记校舍",
        "录入鉴定",
        "制定处置方案",
        "报告处置完成",
        "验收通过",
    ];
    let mut rest = steps.iter();
    for want in expected {
        assert!(
            rest.any(|s| s == want),
            "the timeline lists {expected:?} in order: {steps:?}"
        );
    }

    // 5. The month's report counts the demolition.
    let month = &j.today[..7];
    c.goto(&format!("{base}/reports/monthly.json?month={month}"))
        .await?;
    let body = c.find(Locator::Css("body")).await?.text().await?;
    let report: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    assert_eq!(report["buildings"]["demolished_in_month"], 1, "{body}");
    assert_eq!(report["buildings"]["dangerous_open"], 0);
    c.goto(&format!("{base}/reports/monthly?month={month}"))
        .await?;
    let html = c.source().await?;
    assert!(
        html.contains("校舍"),
        "the report page has the buildings section"
    );
    log_out(&c).await?;
    Ok(id)
}
