//! Issue 10's storage faults on real file systems: a data dir mounted read-only, and one that
//! fills up while serving. They mount a tmpfs, so they need root: plain `cargo test` lists
//! them as ignored, `.ci/run` (root) runs them with `--include-ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::cli_helpers::*;
use crate::hazard_helpers::png;
use crate::helpers::*;

/// A tmpfs of `size` mounted on a fresh folder; unmounted when dropped.
struct Mount {
    path: PathBuf,
    _parent: tempfile::TempDir,
}

impl Mount {
    fn tmpfs(size: &str) -> Mount {
        let parent = tempfile::tempdir().expect("temp dir");
        let path = parent.path().join("data");
        std::fs::create_dir(&path).expect("mount point");
        mount(
            &["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"],
            &path,
        );
        Mount {
            path,
            _parent: parent,
        }
    }

    fn remount_read_only(&self) {
        mount(&["-o", "remount,ro"], &self.path);
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

fn mount(args: &[&str], at: &Path) {
    let ok = Command::new("mount")
        .args(args)
        .arg(at)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mount {args:?} {at:?} (needs root)");
}

#[test]
#[ignore = "mounts a tmpfs: needs root; .ci/run runs it"]
fn serve_refuses_to_start_on_a_read_only_data_dir() {
    let m = Mount::tmpfs("16m");
    run_in(&m.path, None, &["migrate"], None).assert_ok();
    m.remount_read_only();
    let line = run_in(&m.path, None, &["serve", "--bind", "127.0.0.1:0"], None).one_line_error();
    assert!(
        line.contains("not writable") || line.contains("read-only") || line.contains("readonly"),
        "serve says why it will not start: {line}"
    );
}

/// Fills the file system under `dir` with a file of its own; returns the file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    path
}

fn temporaries(uploads: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for folder in std::fs::read_dir(uploads).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(folder.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if f.file_name().to_string_lossy().contains(".tmp-") {
                found.push(f.path());
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "mounts a tmpfs: needs root; .ci/run runs it"]
async fn a_full_disk_says_storage_full_leaves_no_partial_file_and_recovers_once_freed() {
    let m = Mount::tmpfs("24m");
    let on_tmpfs = m.path.clone();
    let app = TestApp::spawn_with(move |c| {
        if c.is_sqlite() {
            c.database_url = on_tmpfs.join("xiaoan.db").display().to_string();
        }
        c.data_dir = on_tmpfs;
        c.min_free_bytes = 1024 * 1024;
    })
    .await;
    let school = app.school("CX-0101");
    let officer = app
        .logged_in("yucai.admin", Role::SchoolAdmin, Some("CX-0101"))
        .await;
    let id = app.report_hazard("yucai.admin", school, "general");
    let anon = Browser::new(&app.base);
    assert_eq!(anon.get("/readyz").await.status(), StatusCode::OK);

    let filler = fill(&m.path);
    let body = anon.get("/readyz").await.text().await.unwrap_or_default();
    assert!(body.starts_with("not ready: storage full"), "{body}");

    // A photo cannot be stored: the user is told so, and no partial file stays.
    let upload = |seed: u8| {
        let b = &officer;
        async move {
            let token = b.csrf().await;
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .text("stage", "before")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(png(seed, 900, 700)).file_name("p.png"),
                );
            b.client
                .post(b.url(&format!("/hazards/{id}/photos")))
                .multipart(form)
                .send()
                .await
                .expect("upload")
        }
    };
    let res = upload(1).await;
    assert_eq!(res.status(), StatusCode::INSUFFICIENT_STORAGE);
    let page = res.text().await.unwrap_or_default();
    assert!(
        page.contains("存储空间已满"),
        "the page says storage is full"
    );
    assert!(
        temporaries(&app.config.uploads_dir()).is_empty(),
        "no .tmp file stays"
    );
    assert_eq!(app.count("attachments"), 0);

    if app.is_sqlite_on_tmpfs() {
        // Reports fill the database until it cannot grow: each answer a 303 or a 507.
        let mut statuses = Vec::new();
        for i in 0..300 {
            let fields = [
                ("source", "campus".to_string()),
                ("category", "fire".to_string()),
                ("title", format!("灭火器过期 {i}")),
                ("description", "描".repeat(1900)),
                ("location", "教学楼".to_string()),
                ("level", "general".to_string()),
                ("found_on", today().to_string()),
            ];
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let status = officer.post("/hazards", &borrowed).await.status();
            statuses.push(status);
            if status == StatusCode::INSUFFICIENT_STORAGE {
                break;
            }
        }
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::INSUFFICIENT_STORAGE),
            "{statuses:?}"
        );
        assert_eq!(
            statuses.last(),
            Some(&StatusCode::INSUFFICIENT_STORAGE),
            "the disk filled"
        );
    }

    std::fs::remove_file(filler).expect("free the space");
    assert_eq!(anon.get("/readyz").await.status(), StatusCode::OK);
    assert_eq!(
        upload(2).await.status(),
        StatusCode::SEE_OTHER,
        "works again, no restart"
    );
}
