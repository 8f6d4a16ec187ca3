//! Appraisal reports and building photos over HTTP: which files are taken (a PDF as it is, an
//! image re-encoded), which are refused and leave nothing behind, and who may open them.

use reqwest::{StatusCode, header};
use xiaoan::domain::attachments::Stage;

use crate::building_helpers::appraisal_form;
use crate::buildings::County;
use crate::hazard_helpers::png;
use crate::helpers::*;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Posts an appraisal as the page's multipart form does, with a report file.
async fn appraise_with(
    b: &Browser,
    id: i64,
    grade: &str,
    file: (&str, Vec<u8>),
) -> reqwest::Response {
    let token = b.csrf().await;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in appraisal_form(grade, today()) {
        form = form.text(k, v);
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string()),
    );
    b.client
        .post(b.url(&format!("/buildings/{id}/appraisals?csrf_token={token}")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

fn report_file(app: &TestApp, building: i64) -> i64 {
    app.one(&format!(
        "SELECT CAST(COALESCE(MAX(file_id), 0) AS BIGINT) AS n FROM appraisals WHERE building_id = {building}"
    ))
}

#[tokio::test]
async fn an_appraisal_report_pdf_is_kept_as_it_is_and_served_only_to_those_who_see_the_building() {
    let c = County::new().await;
    let id = c.building("实验楼").await;
    let res = appraise_with(&c.officer, id, "B", ("鉴定报告.pdf", PDF.to_vec())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = report_file(&c.app, id);
    assert!(file > 0, "the appraisal names its report");
    let page = c.teacher.text(&format!("/buildings/{id}")).await;
    assert!(
        page.contains(&format!("/attachments/{file}")),
        "the page links the report"
    );
    for b in [&c.teacher, &c.officer, &c.bureau, &c.viewer] {
        let res = b.get(&format!("/attachments/{file}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(
            h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let disposition = h
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            disposition.starts_with("attachment;"),
            "a PDF is downloaded, never shown inline"
        );
        assert!(
            disposition.contains(&format!("JZ-{id}")),
            "named by the building, not the upload"
        );
        assert_eq!(
            res.bytes().await.unwrap_or_default().as_ref(),
            PDF,
            "kept byte for byte"
        );
    }
    assert_eq!(
        c.other.get(&format!("/attachments/{file}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.admin.get(&format!("/attachments/{file}")).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_image_report_is_re_encoded_like_a_photo() {
    let c = County::new().await;
    let id = c.building("实验楼").await;
    let res = appraise_with(&c.officer, id, "A", ("scan.png", png(7, 120, 90))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = report_file(&c.app, id);
    let res = c.officer.get(&format!("/attachments/{file}")).await;
    assert_eq!(
        res.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
    assert!(
        res.bytes()
            .await
            .unwrap_or_default()
            .starts_with(&[0xFF, 0xD8, 0xFF])
    );
}

#[tokio::test]
async fn a_report_that_is_not_a_plain_pdf_or_an_image_is_refused_and_nothing_is_written() {
    let c = County::new().await;
    let id = c.building("实验楼").await;
    let cases: [(&[u8], &str); 4] = [
        (b"just some text, renamed .pdf", "PDF 文件或 JPEG"),
        (
            b"%PDF-1.4\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n%%EOF\n",
            "含有脚本",
        ),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", "PDF 文件或 JPEG"),
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "PDF 文件或 JPEG",
        ),
    ];
    for (body, message) in cases {
        let res = appraise_with(&c.officer, id, "B", ("report.pdf", body.to_vec())).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap_or_default();
        assert!(page.contains(message), "{message} in the answer");
        assert!(
            page.contains("县房屋安全鉴定站"),
            "the appraisal typed is kept"
        );
    }
    assert_eq!(c.app.count("appraisals"), 0);
    assert_eq!(c.app.count("attachments"), 0);
    assert_eq!(c.app.building_status(id), "in_use");
    // A staff member cannot add one at all.
    let res = appraise_with(&c.teacher, id, "B", ("report.pdf", PDF.to_vec())).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn building_photos_are_seen_by_whoever_sees_the_building() {
    let c = County::new().await;
    let id = c.building("实验楼").await;
    let photo = c.app.building_photo("b.officer", id, Stage::Before, 3);
    let page = c.viewer.text(&format!("/buildings/{id}")).await;
    assert!(page.contains(&format!("/attachments/{photo}/thumb")));
    assert_eq!(
        c.teacher
            .get(&format!("/attachments/{photo}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        c.other.get(&format!("/attachments/{photo}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let inline = c.teacher.get(&format!("/attachments/{photo}")).await;
    let disposition = inline
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        disposition.starts_with("inline;"),
        "photos show in the page"
    );
}
