//! A real headless Chromium (Debian's chromium + chromium-driver) logs in through the form.
//! `.ci/run` installs both; without them this test fails rather than pretending to pass.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use xiaoan::domain::role::Role;

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
async fn a_user_logs_in_through_the_real_form_in_headless_chromium() {
    let app = TestApp::spawn().await;
    app.school("CX-0101");
    app.user("yucai.admin", Role::SchoolAdmin, Some("CX-0101"));
    let (_driver, url) = start_driver().await;
    let profile = tempfile::tempdir().expect("profile dir");
    let c = ClientBuilder::native()
        .capabilities(chrome_caps(profile.path()))
        .connect(&url)
        .await
        .expect("connect to chromedriver");
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
