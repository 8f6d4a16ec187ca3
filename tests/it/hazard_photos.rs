//! Photo evidence over HTTP: which uploads are accepted and which refused (and that a refused
//! one leaves nothing behind), what a served photo looks like, and who may see or add photos.

use std::io::Cursor;
use std::path::Path;

use reqwest::{Response, StatusCode, header};
use sha2::{Digest, Sha256};
use xiaoan::domain::attachments::Stage as PhotoStage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::role::Role;
use xiaoan::store::hazards;

use crate::hazard_helpers::png;
use crate::helpers::*;

/// Uploads as the app's photo form does: `stage` and `file` fields, the token in the query.
async fn upload_photo(
    b: &Browser,
    hazard: i64,
    stage: Option<&str>,
    file: Option<(&str, &str, Vec<u8>)>,
) -> Response {
    let token = b.csrf().await;
    let mut form = reqwest::multipart::Form::new();
    if let Some(stage) = stage {
        form = form.text("stage", stage.to_string());
    }
    if let Some((name, mime, bytes)) = file {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .expect("mime");
        form = form.part("file", part);
    }
    b.client
        .post(b.url(&format!("/hazards/{hazard}/photos?csrf_token={token}")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn upload_before(b: &Browser, hazard: i64, name: &str, bytes: Vec<u8>) -> Response {
    upload_photo(b, hazard, Some("before"), Some((name, "image/jpeg", bytes))).await
}

fn encoded(format: image::ImageFormat, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([seed, x as u8 * 6, y as u8 * 8]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// A JPEG carrying an APP1 "Exif" segment (right after SOI) with a GPSLatitude tag name in it.
fn jpeg_with_gps() -> Vec<u8> {
    let plain = encoded(image::ImageFormat::Jpeg, 7);
    // IFD0 with a GPSInfo pointer to a stub GPS IFD that is mostly the ASCII tag name.
    let mut tiff = b"II*\0\x08\0\0\0\x01\0\x25\x88\x04\0\x01\0\0\0\x1A\0\0\0\0\0\0\0".to_vec();
    tiff.extend_from_slice(b"GPSLatitude\0N\0\x1F\0\0\0\x01\0\0\0");
    let len = u16::try_from(tiff.len() + 8).expect("short").to_be_bytes();
    let app1 = [&[0xFF, 0xE1][..], &len, b"Exif\0\0", &tiff].concat();
    [&plain[..2], &app1, &plain[2..]].concat()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every file under `dir`, recursively (none if it does not exist yet).
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn stored_files(app: &TestApp) -> usize {
    files_under(&app.config.uploads_dir()).len()
}

fn photos_of(app: &TestApp, hazard: i64) -> i64 {
    app.count(&format!(
        "attachments WHERE record_kind = 'hazard' AND record_id = {hazard}"
    ))
}

fn photo_list(app: &TestApp, hazard: i64) -> Vec<xiaoan::store::models::Attachment> {
    xiaoan::store::attachments::list(&mut app.conn(), xiaoan::domain::hazards::KIND, hazard)
        .expect("photos")
}

fn ref_no(app: &TestApp, hazard: i64) -> String {
    hazards::get(&mut app.conn(), hazard)
        .expect("hazard")
        .hazard
        .ref_no
}

fn assert_added(res: &Response, hazard: i64, what: &str) {
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{what}");
    assert_eq!(location(res), format!("/hazards/{hazard}#photos"), "{what}");
}

#[tokio::test]
async fn jpeg_png_and_webp_are_accepted() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-OK");
    let b = app.logged_in("pok.staff", Role::Staff, Some("PH-OK")).await;
    let id = app.report_hazard("pok.staff", school, "general");
    let cases = [
        ("a.jpg", "image/jpeg", image::ImageFormat::Jpeg),
        ("b.png", "image/png", image::ImageFormat::Png),
        ("c.webp", "image/webp", image::ImageFormat::WebP),
    ];
    for (i, (name, mime, format)) in cases.into_iter().enumerate() {
        let bytes = encoded(format, i as u8 * 40);
        let res = upload_photo(&b, id, Some("before"), Some((name, mime, bytes))).await;
        assert_added(&res, id, name);
        assert_eq!(photos_of(&app, id), i as i64 + 1, "{name} recorded");
    }
    let photos = photo_list(&app, id);
    assert!(photos.iter().all(|p| p.stage == PhotoStage::Before));
    // Each photo and its thumbnail are on disk.
    assert_eq!(stored_files(&app), 6);
    for p in &photos {
        let res = b.get(&format!("/attachments/{}", p.id)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.bytes().await.expect("body");
        assert!(body.starts_with(&[0xFF, 0xD8, 0xFF]), "served as JPEG");
    }
}

#[tokio::test]
async fn non_images_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-BAD");
    let b = app
        .logged_in("pbad.admin", Role::SchoolAdmin, Some("PH-BAD"))
        .await;
    let id = app.report_hazard("pbad.admin", school, "general");
    let good_png = png(3, 64, 64);
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "photo.jpg",
            "image/jpeg",
            b"just some notes, not a photo\n".to_vec(),
        ),
        (
            "photo.html",
            "text/html",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec(),
        ),
        ("photo.gif", "image/gif", gif.to_vec()),
        (
            "photo.svg",
            "image/svg+xml",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
        ),
        // Looks like a PNG but is cut off half way.
        (
            "cut.png",
            "image/png",
            good_png[..good_png.len() / 2].to_vec(),
        ),
    ];
    for (name, mime, bytes) in cases {
        let res = upload_photo(&b, id, Some("before"), Some((name, mime, bytes))).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
    assert_eq!(photos_of(&app, id), 0);
    assert_eq!(app.count("attachments"), 0);
    assert_eq!(
        stored_files(&app),
        0,
        "{:?}",
        files_under(&app.config.uploads_dir())
    );
}

#[tokio::test]
async fn a_file_over_10_mib_is_refused() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-BIG");
    let b = app
        .logged_in("pbig.staff", Role::Staff, Some("PH-BIG"))
        .await;
    let id = app.report_hazard("pbig.staff", school, "general");
    let mut big = vec![0u8; 10 * 1024 * 1024 + 1024];
    big[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    let res = upload_before(&b, id, "big.png", big).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(photos_of(&app, id), 0);
    assert_eq!(stored_files(&app), 0);
    // The same browser can still upload a normal photo afterwards.
    let res = upload_before(&b, id, "ok.png", png(1, 32, 32)).await;
    assert_added(&res, id, "normal photo after the big one");
}

#[tokio::test]
async fn exif_and_gps_are_gone_from_the_served_photo() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-GPS");
    let b = app
        .logged_in("pgps.staff", Role::Staff, Some("PH-GPS"))
        .await;
    let id = app.report_hazard("pgps.staff", school, "general");
    let input = jpeg_with_gps();
    assert!(contains(&input, b"Exif") && contains(&input, b"GPSLatitude"));
    assert!(
        image::load_from_memory(&input).is_ok(),
        "the test JPEG itself decodes"
    );
    let res = upload_before(&b, id, "IMG_0001.jpg", input).await;
    assert_added(&res, id, "jpeg with exif");
    let photos = photo_list(&app, id);
    assert_eq!(photos.len(), 1);
    for suffix in ["", "/thumb"] {
        let res = b
            .get(&format!("/attachments/{}{suffix}", photos[0].id))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{suffix}");
        let body = res.bytes().await.expect("body");
        assert!(body.starts_with(&[0xFF, 0xD8, 0xFF]), "{suffix}");
        assert!(!contains(&body, b"Exif"), "Exif left in{suffix}");
        assert!(!contains(&body, b"GPS"), "GPS left in{suffix}");
    }
}

#[tokio::test]
async fn the_stored_file_is_named_by_the_sha256_of_the_served_bytes() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-SHA");
    let b = app
        .logged_in("psha.staff", Role::Staff, Some("PH-SHA"))
        .await;
    let id = app.report_hazard("psha.staff", school, "general");
    let client_name = "my-evidence-photo.png";
    let res = upload_photo(
        &b,
        id,
        Some("before"),
        Some((client_name, "image/png", png(9, 80, 60))),
    )
    .await;
    assert_added(&res, id, "png");
    let photo = photo_list(&app, id).remove(0);
    let body = b
        .get(&format!("/attachments/{}", photo.id))
        .await
        .bytes()
        .await
        .expect("body");
    let sha = hex::encode(Sha256::digest(&body));
    assert_eq!(photo.sha256, sha, "the record holds the served bytes' hash");
    let dir = app.config.uploads_dir();
    let expected = dir.join(&sha[..2]).join(format!("{sha}.jpg"));
    assert!(expected.is_file(), "{expected:?} missing");
    assert_eq!(std::fs::read(&expected).expect("read"), body.to_vec());
    for f in files_under(&dir) {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(!name.contains("evidence"), "client name used: {f:?}");
        assert!(name.starts_with(&sha), "unexpected file {f:?}");
    }
}

#[tokio::test]
async fn a_served_photo_is_jpeg_nosniff_and_named_by_reference_number() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-HDR");
    let b = app
        .logged_in("phdr.staff", Role::Staff, Some("PH-HDR"))
        .await;
    let id = app.report_hazard("phdr.staff", school, "general");
    let photo = app.photo("phdr.staff", id, PhotoStage::Before, 5);
    let ref_no = ref_no(&app, id);
    for suffix in ["", "/thumb"] {
        let res = b.get(&format!("/attachments/{photo}{suffix}")).await;
        assert_eq!(res.status(), StatusCode::OK, "{suffix}");
        let h = |name: header::HeaderName| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(h(header::CONTENT_TYPE), "image/jpeg", "{suffix}");
        assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{suffix}");
        let cd = h(header::CONTENT_DISPOSITION);
        assert!(cd.starts_with("inline"), "{suffix}: {cd}");
        assert!(cd.contains(&ref_no), "{suffix}: {cd} lacks {ref_no}");
    }
}

#[tokio::test]
async fn another_school_gets_404_for_photos_thumbs_and_uploads() {
    let app = TestApp::spawn().await;
    let own = app.school("PH-OWN");
    app.school("PH-OTH");
    app.user("pcross.owner", Role::Staff, Some("PH-OWN"));
    let id = app.report_hazard("pcross.owner", own, "general");
    let photo = app.photo("pcross.owner", id, PhotoStage::Before, 11);
    let owner = app.browser();
    owner.login("pcross.owner", PASSWORD).await;
    assert_eq!(
        owner.get(&format!("/attachments/{photo}")).await.status(),
        StatusCode::OK
    );
    for (name, role) in [
        ("pcross.staff", Role::Staff),
        ("pcross.sadmin", Role::SchoolAdmin),
    ] {
        let b = app.logged_in(name, role, Some("PH-OTH")).await;
        for suffix in ["", "/thumb"] {
            let res = b.get(&format!("/attachments/{photo}{suffix}")).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{role}{suffix}");
            let body = res.bytes().await.expect("body");
            assert!(
                !body.starts_with(&[0xFF, 0xD8]),
                "{role}{suffix}: image leaked"
            );
        }
        let res = upload_before(&b, id, "x.png", png(12, 16, 16)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{role} upload");
    }
    assert_eq!(photos_of(&app, id), 1, "no photo added by the other school");
    assert_eq!(
        stored_files(&app),
        2,
        "only the first photo and its thumbnail"
    );
}

#[tokio::test]
async fn a_viewer_can_view_photos_but_not_upload() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-VW");
    app.user("pview.staff", Role::Staff, Some("PH-VW"));
    let id = app.report_hazard("pview.staff", school, "general");
    let photo = app.photo("pview.staff", id, PhotoStage::Before, 21);
    let b = app.logged_in("pview.viewer", Role::Viewer, None).await;
    for suffix in ["", "/thumb"] {
        let res = b.get(&format!("/attachments/{photo}{suffix}")).await;
        assert_eq!(res.status(), StatusCode::OK, "{suffix}");
    }
    let files = stored_files(&app);
    let res = upload_before(&b, id, "v.png", png(22, 16, 16)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(photos_of(&app, id), 1);
    assert_eq!(stored_files(&app), files);
}

#[tokio::test]
async fn staff_may_not_add_an_after_photo() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-AFT");
    let b = app
        .logged_in("paft.staff", Role::Staff, Some("PH-AFT"))
        .await;
    app.user("paft.sadmin", Role::SchoolAdmin, Some("PH-AFT"));
    let id = app.report_hazard("paft.staff", school, "general");
    app.act("paft.sadmin", id, HazardAction::Register);
    app.act("paft.sadmin", id, HazardAction::Assign);
    assert_eq!(app.hazard_state(id), "rectifying");
    let res = upload_photo(
        &b,
        id,
        Some("after"),
        Some(("after.png", "image/png", png(30, 16, 16))),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(photos_of(&app, id), 0);
    assert_eq!(stored_files(&app), 0);
    // The school admin may, in this state.
    let a = app.browser();
    a.login("paft.sadmin", PASSWORD).await;
    let res = upload_photo(
        &a,
        id,
        Some("after"),
        Some(("after.png", "image/png", png(30, 16, 16))),
    )
    .await;
    assert_added(&res, id, "school admin's after photo");
    assert_eq!(photo_list(&app, id)[0].stage, PhotoStage::After);
}

#[tokio::test]
async fn an_after_photo_on_a_reported_hazard_is_a_conflict() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-409");
    let b = app
        .logged_in("p409.sadmin", Role::SchoolAdmin, Some("PH-409"))
        .await;
    let id = app.report_hazard("p409.sadmin", school, "general");
    assert_eq!(app.hazard_state(id), "reported");
    let res = upload_photo(
        &b,
        id,
        Some("after"),
        Some(("after.png", "image/png", png(40, 16, 16))),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(photos_of(&app, id), 0);
    assert_eq!(stored_files(&app), 0);
}

#[tokio::test]
async fn the_13th_photo_is_refused() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-13");
    let b = app.logged_in("p13.staff", Role::Staff, Some("PH-13")).await;
    let id = app.report_hazard("p13.staff", school, "general");
    for seed in 0..11 {
        app.photo("p13.staff", id, PhotoStage::Before, seed);
    }
    let res = upload_before(&b, id, "12.png", png(100, 16, 16)).await;
    assert_added(&res, id, "the 12th photo");
    assert_eq!(photos_of(&app, id), 12);
    let files = stored_files(&app);
    let res = upload_before(&b, id, "13.png", png(101, 16, 16)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(photos_of(&app, id), 12);
    assert_eq!(
        stored_files(&app),
        files,
        "a refused photo leaves no file behind"
    );
}

#[tokio::test]
async fn a_missing_file_or_a_missing_or_unknown_stage_is_refused() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-MISS");
    let b = app
        .logged_in("pmiss.staff", Role::Staff, Some("PH-MISS"))
        .await;
    let id = app.report_hazard("pmiss.staff", school, "general");
    let file = || Some(("p.png", "image/png", png(50, 16, 16)));
    let cases = [
        ("no file", upload_photo(&b, id, Some("before"), None).await),
        (
            "empty file",
            upload_photo(
                &b,
                id,
                Some("before"),
                Some(("p.png", "image/png", Vec::new())),
            )
            .await,
        ),
        ("no stage", upload_photo(&b, id, None, file()).await),
        (
            "the helper's upload, without stage",
            b.upload(&format!("/hazards/{id}/photos"), "p.png", png(51, 16, 16))
                .await,
        ),
        ("empty stage", upload_photo(&b, id, Some(""), file()).await),
        (
            "unknown stage",
            upload_photo(&b, id, Some("during"), file()).await,
        ),
        (
            "stage in capitals",
            upload_photo(&b, id, Some("BEFORE"), file()).await,
        ),
    ];
    for (what, res) in cases {
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let page = res.text().await.unwrap_or_default();
        assert!(
            page.contains("id=\"form-photos\""),
            "{what}: back at the form"
        );
        if what.contains("stage") {
            assert!(
                page.contains("请重新选择照片"),
                "{what}: the page says the photo must be chosen again"
            );
        }
    }
    assert_eq!(photos_of(&app, id), 0);
    assert_eq!(stored_files(&app), 0);
    // The same form with both fields is fine.
    let res = upload_photo(&b, id, Some("before"), file()).await;
    assert_added(&res, id, "complete form");
}

#[tokio::test]
async fn before_photos_never_crowd_out_the_after_evidence() {
    let app = TestApp::spawn().await;
    let school = app.school("PH-CAP");
    let officer = app
        .logged_in("pcap.officer", Role::SchoolAdmin, Some("PH-CAP"))
        .await;
    let id = app.report_hazard("pcap.officer", school, "general");
    for seed in 0..12 {
        app.photo("pcap.officer", id, PhotoStage::Before, seed);
    }
    app.act(
        "pcap.officer",
        id,
        xiaoan::domain::hazards::HazardAction::Register,
    );
    app.act(
        "pcap.officer",
        id,
        xiaoan::domain::hazards::HazardAction::Assign,
    );
    let res = upload_photo(
        &officer,
        id,
        Some("after"),
        Some(("a.png", "image/png", png(77, 16, 16))),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "after photos have their own allowance"
    );
}
