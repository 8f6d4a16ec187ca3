//! Legal vice-principals over HTTP on both databases: the bureau appoints (several schools,
//! each once) and edits (a stale form is refused), the checks, who sees whom, the schools
//! without one, the term's end, and the exports.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

struct County {
    app: TestApp,
    officer: Browser,
    other: Browser,
    bureau: Browser,
    viewer: Browser,
}

async fn county() -> County {
    let app = TestApp::spawn().await;
    for code in ["LV-1", "LV-2", "LV-3"] {
        app.school(code);
    }
    let officer = app
        .logged_in("v.officer", Role::SchoolAdmin, Some("LV-1"))
        .await;
    let other = app
        .logged_in("v.other", Role::SchoolAdmin, Some("LV-3"))
        .await;
    let bureau = app.logged_in("v.bureau", Role::Bureau, None).await;
    let viewer = app.logged_in("v.viewer", Role::Viewer, None).await;
    County {
        app,
        officer,
        other,
        bureau,
        viewer,
    }
}

async fn appoint(b: &Browser, name: &str, schools: &[&str], ends: &str) -> reqwest::Response {
    let day = (today() - chrono::Duration::days(30)).to_string();
    let mut f = vec![
        ("name", name),
        ("unit_kind", "procuratorate"),
        ("unit_name", "县人民检察院未检科"),
        ("appointed_on", day.as_str()),
        ("term_ends_on", ends),
    ];
    for s in schools {
        f.push(("schools", s));
    }
    b.post("/legal-vps", &f).await
}

fn id_of(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/legal-vps/")
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
async fn the_bureau_appoints_a_vp_for_several_schools_and_the_rest_are_listed_without() {
    let c = county().await;
    let res = appoint(&c.bureau, "米红梅", &["LV-1", "LV-2", "LV-1"], "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = id_of(&res);
    assert_eq!(
        c.app.count(&format!("legal_vp_schools WHERE vp_id = {id}")),
        2,
        "each school once"
    );
    let list = c.viewer.text("/legal-vps").await;
    assert!(list.contains("米红梅"), "{list}");
    let without = list.split("id=\"without\"").nth(1).unwrap_or_default();
    assert!(
        without.contains("LV-3") && !without.contains("LV-1"),
        "{without}"
    );
    assert_eq!(
        c.officer.get(&format!("/legal-vps/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        c.other.get(&format!("/legal-vps/{id}")).await.status(),
        StatusCode::NOT_FOUND,
        "a school not served does not see the VP's page"
    );
    let found = c.viewer.text("/legal-vps?q=%E6%A3%80%E5%AF%9F").await;
    assert!(
        found.contains("米红梅"),
        "the unit's words find the VP: {found}"
    );
    let none = c.viewer.text("/legal-vps?q=100%25").await;
    assert!(!none.contains("米红梅"), "a typed % is literal: {none}");
    let theirs = c.other.text("/legal-vps").await;
    assert!(!theirs.contains("米红梅"), "{theirs}");
    let report: serde_json::Value = c
        .bureau
        .get(&format!(
            "/reports/monthly.json?month={}",
            &today().to_string()[..7]
        ))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(report["legal_vps"]["in_office"], 1);
    assert_eq!(report["legal_vps"]["schools_covered"], 2);
}

#[tokio::test]
async fn only_the_bureau_appoints_and_bad_fields_change_nothing() {
    let c = county().await;
    for b in [&c.officer, &c.viewer] {
        assert_eq!(
            appoint(b, "王警官", &["LV-1"], "").await.status(),
            StatusCode::FORBIDDEN
        );
    }
    let yesterday = (today() - chrono::Duration::days(40)).to_string();
    let res = appoint(&c.bureau, "", &[], &yesterday).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("请至少选择一所服务学校"), "{page}");
    assert!(page.contains("任期届满日期不能早于聘任日期"), "{page}");
    let res = appoint(&c.bureau, "王警官", &["NOPE"], "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.app.count("legal_vps"), 0);
    assert_eq!(c.app.count("events WHERE record_kind = 'legal_vp'"), 0);
}

#[tokio::test]
async fn an_edit_ends_the_term_and_a_stale_form_is_refused() {
    let c = county().await;
    let id = id_of(&appoint(&c.bureau, "向东平", &["LV-1"], "").await);
    let day = (today() - chrono::Duration::days(30)).to_string();
    let ended = (today() - chrono::Duration::days(1)).to_string();
    let edit = |version: &'static str| {
        let (day, ended) = (day.clone(), ended.clone());
        let bureau = &c.bureau;
        async move {
            bureau
                .post(
                    &format!("/legal-vps/{id}"),
                    &[
                        ("name", "向东平"),
                        ("unit_kind", "court"),
                        ("unit_name", "县人民法院"),
                        ("appointed_on", &day),
                        ("term_ends_on", &ended),
                        ("schools", "LV-1"),
                        ("schools", "LV-3"),
                        ("version", version),
                    ],
                )
                .await
        }
    };
    assert_eq!(edit("1").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        edit("1").await.status(),
        StatusCode::CONFLICT,
        "the form was drawn from version 1"
    );
    assert_eq!(
        c.app.count(&format!("legal_vp_schools WHERE vp_id = {id}")),
        2
    );
    let now_in_office = c.bureau.text("/legal-vps?in_office=1").await;
    assert!(
        !now_in_office.contains("向东平"),
        "the term is over: {now_in_office}"
    );
    let page = c.bureau.text(&format!("/legal-vps/{id}")).await;
    assert!(page.contains("县人民法院"), "{page}");
    let csv = c.bureau.text("/legal-vps.csv").await;
    assert!(csv.contains("向东平") && csv.contains("法院"), "{csv}");
    assert_eq!(
        c.app.count(&format!(
            "events WHERE record_kind = 'legal_vp' AND record_id = {id}"
        )),
        2
    );
}
