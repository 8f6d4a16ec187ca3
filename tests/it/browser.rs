//! A real headless Chromium (Debian's chromium + chromium-driver) logs in through the form.
//! `.ci/run` installs both; without them this test fails rather than pretending to pass.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use xiaoan::domain::role::Role;

use crate::hazard_journey::log_in;
use crate::helpers::*;

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) async fn start_driver() -> (Driver, String) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver runs (apt-get install chromium chromium-driver; .ci/run does it)");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (driver, format!("http://127.0.0.1:{port}"))
}

/// A headless Chromium on a phone-sized window, with its driver and profile (both dropped
/// with the test).
pub(crate) async fn phone() -> (Driver, tempfile::TempDir, fantoccini::Client) {
    let (driver, url) = start_driver().await;
    let profile = tempfile::tempdir().expect("profile dir");
    let c = ClientBuilder::native()
        .capabilities(chrome_caps(profile.path()))
        .connect(&url)
        .await
        .expect("connect to chromedriver");
    (driver, profile, c)
}

/// Headless Chromium with a phone-sized window and its own profile directory.
pub(crate) fn chrome_caps(profile_dir: &Path) -> serde_json::Map<String, serde_json::Value> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=390,844", format!("--user-data-dir={}", profile_dir.display()),
            ]
        }),
    );
    caps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn a_user_logs_in_through_the_real_form_in_headless_chromium() {
    let app = TestApp::spawn().await;
    app.school("CX-0101");
    app.user("yucai.admin", Role::SchoolAdmin, Some("CX-0101"));
    let (_driver, _profile, c) = phone().await;
    let result = async {
        c.goto(&format!("{}/", app.base)).await?;
        assert!(
            c.current_url().await?.path().ends_with("/login"),
            "sent to the login page"
        );
        // Chromium asks for English by default; the county's language is one click away.
        c.goto(&format!("{}/login?lang=zh-CN", app.base)).await?;
        c.find(Locator::Css("#username"))
            .await?
            .send_keys("yucai.admin")
            .await?;
        c.find(Locator::Css("#password"))
            .await?
            .send_keys(PASSWORD)
            .await?;
        c.find(Locator::Css("form[action='/login'] button[type=submit]"))
            .await?
            .click()
            .await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while c.current_url().await?.path() != "/" {
            assert!(Instant::now() < deadline, "did not reach the home page");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let heading = c.find(Locator::Css("main h1")).await?.text().await?;
        let source = c.source().await?;
        // The stylesheet loaded under the CSP: the header is laid out, not raw.
        let header_color = c
            .execute(
                "return getComputedStyle(document.querySelector('.topbar')).backgroundColor;",
                vec![],
            )
            .await?;
        Ok::<_, fantoccini::error::CmdError>((heading, source, header_color))
    }
    .await;
    let _ = c.close().await;
    let (heading, source, header_color) = result.expect("browser journey");
    assert_eq!(heading, "工作台");
    assert!(source.contains("CX-0101 学校"), "home shows the school");
    assert_ne!(
        header_color.as_str().unwrap_or(""),
        "rgba(0, 0, 0, 0)",
        "app.css applied"
    );
}

/// On a phone: every menu entry in view (nothing scrolled off to the side), the header's first
/// row one line, the ledger as cards with its state words whole; and a refused form comes back
/// at its form with what was typed, at a URL a reload only shows again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn on_a_phone_the_menu_shows_every_entry_lists_are_cards_and_a_refused_form_keeps_its_values()
{
    let app = TestApp::spawn().await;
    let school = app.school("CX-0201");
    app.user("hmc.admin", Role::SchoolAdmin, Some("CX-0201"));
    let id = app.report_hazard("hmc.admin", school, "general");
    app.act(
        "hmc.admin",
        id,
        xiaoan::domain::hazards::HazardAction::Register,
    );
    app.user("bureau.phone", Role::Bureau, None);
    let (_driver, _profile, c) = phone().await;
    let base = app.base.clone();
    let result = async {
        log_in(&c, &base, "bureau.phone").await?;
        c.goto(&format!("{base}/hazards")).await?;
        let layout = c
            .execute(
                r#"
                const vw = document.documentElement.clientWidth;
                const links = [...document.querySelectorAll('.mainnav a')];
                const hidden = links.filter(a => {
                  const r = a.getBoundingClientRect();
                  return r.width === 0 || r.left < 0 || r.right > vw + 1;
                }).map(a => a.textContent);
                const top = el => document.querySelector(el).getBoundingClientRect();
                const rows = new Set(['.brand', '.userbox', '.lang-switch'].map(s => Math.round(top(s).top / 10)));
                const row = document.querySelector('table.cards tbody tr');
                const state = row.querySelector('td:nth-last-child(4)');
                const line = parseFloat(getComputedStyle(state).lineHeight) || 20;
                return {
                  links: links.length, hidden, header_rows: rows.size,
                  row_display: getComputedStyle(row).display,
                  head_display: getComputedStyle(document.querySelector('table.cards thead')).display,
                  state_lines: Math.round(state.getBoundingClientRect().height / line),
                };
                "#,
                vec![],
            )
            .await?;
        let shot = c.screenshot().await?;
        let _ = std::fs::write(std::env::temp_dir().join("xiaoan-phone-ledger.png"), shot);
        // As the school's officer: a refused assign, then a reload.
        c.goto(&format!("{base}/logout")).await?;
        c.delete_all_cookies().await?;
        log_in(&c, &base, "hmc.admin").await?;
        c.goto(&format!("{base}/hazards/{id}")).await?;
        c.find(Locator::Css("#form-assign-responsible_unit"))
            .await?
            .send_keys("总务处")
            .await?;
        c.execute(
            "const d = document.getElementById('form-assign-deadline'); d.removeAttribute('required'); \
             document.getElementById('form-assign-responsible_person').removeAttribute('required');",
            vec![],
        )
        .await?;
        c.find(Locator::Css("#form-assign button[type=submit]"))
            .await?
            .click()
            .await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while c.current_url().await?.query().is_none_or(|q| !q.starts_with("draft=")) {
            assert!(Instant::now() < deadline, "did not come back to the record");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let back = c.current_url().await?;
        c.refresh().await?;
        let after_reload = c.current_url().await?;
        let kept = c
            .find(Locator::Css("#form-assign-responsible_unit"))
            .await?
            .prop("value")
            .await?;
        let focused = c
            .execute("return document.activeElement && document.activeElement.id;", vec![])
            .await?;
        Ok::<_, fantoccini::error::CmdError>((layout, back, after_reload, kept, focused))
    }
    .await;
    let _ = c.close().await;
    let (layout, back, after_reload, kept, focused) = result.expect("browser journey");
    assert!(layout["links"].as_u64().unwrap_or(0) >= 6, "{layout}");
    assert_eq!(
        layout["hidden"],
        serde_json::json!([]),
        "every entry in view: {layout}"
    );
    assert_eq!(
        layout["header_rows"], 1,
        "brand, user and language on one line: {layout}"
    );
    assert_eq!(layout["row_display"], "block", "rows are cards: {layout}");
    assert_eq!(layout["head_display"], "none", "{layout}");
    assert_eq!(
        layout["state_lines"], 1,
        "the state word stays whole: {layout}"
    );
    assert_eq!(back.path(), format!("/hazards/{id}"));
    assert_eq!(back.fragment(), Some("form-assign"), "at the form");
    assert_eq!(
        after_reload.as_str(),
        back.as_str(),
        "a reload shows it again"
    );
    assert_eq!(kept.as_deref(), Some("总务处"), "the typed unit is kept");
    assert_eq!(
        focused.as_str(),
        Some("form-assign-deadline"),
        "the wrong field has the cursor"
    );
    assert_eq!(
        app.count(&format!(
            "events WHERE record_id = {id} AND action = 'assign'"
        )),
        0,
        "nothing was assigned"
    );
}
