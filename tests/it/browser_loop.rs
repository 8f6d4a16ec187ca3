//! The loop on a phone (390 px, headless Chromium): a teacher's home leads with the report
//! button and the report form with the camera; the safety officer sends the fix and its
//! "after" photo in one step.

use std::time::Duration;

use fantoccini::Locator;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::role::Role;

use crate::browser::phone;
use crate::hazard_helpers::png;
use crate::hazard_journey::{log_in, submit, wait_for_path};
use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn on_a_phone_the_report_button_comes_first_and_a_fix_goes_with_its_photo_in_one_step() {
    let app = TestApp::spawn().await;
    let school = app.school("CX-0101");
    app.user("yucai.teacher", Role::Staff, Some("CX-0101"));
    app.user("yucai.admin", Role::SchoolAdmin, Some("CX-0101"));
    let id = app.report_hazard("yucai.admin", school, "general");
    app.act("yucai.admin", id, HazardAction::Register);
    app.act("yucai.admin", id, HazardAction::Assign);
    let photo = tempfile::Builder::new()
        .suffix(".png")
        .tempfile()
        .expect("a photo file");
    std::fs::write(photo.path(), png(7, 40, 30)).expect("write the photo");
    let (_driver, _profile, c) = phone().await;
    let base = app.base.clone();
    let photo_path = photo.path().display().to_string();
    let result = async {
        log_in(&c, &base, "yucai.teacher").await?;
        let button = c
            .execute(
                r#"const b = document.querySelector('.cta a.btn-big');
                   if (!b) return null;
                   const r = b.getBoundingClientRect();
                   return {top: r.top, bottom: r.bottom, width: r.width,
                           vw: document.documentElement.clientWidth, vh: window.innerHeight,
                           href: b.getAttribute('href')};"#,
                vec![],
            )
            .await?;
        submit(&c, ".cta a.btn-big").await.ok();
        wait_for_path(&c, "the report form", |p| p == "/hazards/new").await?;
        let first = c
            .execute(
                r#"const f = document.querySelector('#form-report input:not([type=hidden]), #form-report select, #form-report textarea');
                   return {type: f.type, capture: f.getAttribute('capture')};"#,
                vec![],
            )
            .await?;
        c.goto(&format!("{base}/logout")).await?;
        c.delete_all_cookies().await?;
        log_in(&c, &base, "yucai.admin").await?;
        c.goto(&format!("{base}/hazards/{id}")).await?;
        c.execute("document.querySelectorAll('details').forEach(d => d.open = true);", vec![])
            .await?;
        c.find(Locator::Css("#form-submit-measures"))
            .await?
            .send_keys("已更换灭火器并张贴检查卡")
            .await?;
        c.find(Locator::Css("#form-submit-file"))
            .await?
            .send_keys(&photo_path)
            .await?;
        submit(&c, "#form-submit button[type=submit]").await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let shot = c.screenshot().await?;
        let _ = std::fs::write(std::env::temp_dir().join("xiaoan-phone-fix.png"), shot);
        Ok::<_, fantoccini::error::CmdError>((button, first))
    }
    .await;
    let _ = c.close().await;
    let (button, first) = result.expect("browser journey");
    let n = |k: &str| button[k].as_f64().unwrap_or(-1.0);
    assert_eq!(button["href"], "/hazards/new", "{button}");
    assert!(n("bottom") <= n("vh"), "in the first screen: {button}");
    assert!(
        n("width") >= n("vw") * 0.8,
        "a large button across the phone: {button}"
    );
    assert_eq!(
        first["type"], "file",
        "the photo is the first field: {first}"
    );
    assert_eq!(first["capture"], "environment", "the camera opens: {first}");
    assert_eq!(
        app.hazard_state(id),
        "awaiting_acceptance",
        "sent in one step"
    );
    assert_eq!(
        app.count(&format!(
            "attachments WHERE record_id = {id} AND stage = 'after'"
        )),
        1,
        "with its after photo"
    );
}
