//! Roles and school scope: another school's record is 404, a forbidden action is 403.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

#[tokio::test]
async fn school_users_see_their_own_school_and_not_another() {
    let app = TestApp::spawn().await;
    let own = app.school("OWN-1");
    let other = app.school("OTHER-1");
    for (name, role) in [("t.staff", Role::Staff), ("t.admin", Role::SchoolAdmin)] {
        let b = app.logged_in(name, role, Some("OWN-1")).await;
        assert_eq!(
            b.get(&format!("/schools/{own}")).await.status(),
            StatusCode::OK,
            "{role}"
        );
        assert_eq!(
            b.get(&format!("/schools/{other}")).await.status(),
            StatusCode::NOT_FOUND,
            "{role}"
        );
        let page = b.text(&format!("/schools/{other}")).await;
        assert!(
            !page.contains("OTHER-1 学校"),
            "nothing of the other school leaks"
        );
    }
}

#[tokio::test]
async fn the_role_and_scope_matrix_for_schools_and_users() {
    let app = TestApp::spawn().await;
    let own = app.school("OWN-1");
    let other = app.school("OTHER-1");
    let cases: [(Role, &str, [StatusCode; 7]); 5] = [
        // list, other school, edit own, post own, post other, users, new school
        (
            Role::Staff,
            "m.staff",
            [403, 404, 403, 403, 404, 403, 403].map(code),
        ),
        (
            Role::SchoolAdmin,
            "m.sadmin",
            [403, 404, 403, 403, 404, 403, 403].map(code),
        ),
        (
            Role::Bureau,
            "m.bureau",
            [200, 200, 403, 403, 403, 403, 403].map(code),
        ),
        (
            Role::Viewer,
            "m.viewer",
            [200, 200, 403, 403, 403, 403, 403].map(code),
        ),
        (
            Role::Admin,
            "m.admin",
            [200, 200, 200, 303, 303, 200, 200].map(code),
        ),
    ];
    for (role, name, expected) in cases {
        let b = app.logged_in(name, role, role_school(role, "OWN-1")).await;
        let edit = [("code", "OWN-1"), ("name", "改名"), ("kind", "primary")];
        let edit_other = [("code", "OTHER-1"), ("name", "改名"), ("kind", "primary")];
        let got = [
            b.get("/schools").await.status(),
            b.get(&format!("/schools/{other}")).await.status(),
            b.get(&format!("/schools/{own}/edit")).await.status(),
            b.post(&format!("/schools/{own}"), &edit).await.status(),
            b.post(&format!("/schools/{other}"), &edit_other)
                .await
                .status(),
            b.get("/users").await.status(),
            b.get("/schools/new").await.status(),
        ];
        assert_eq!(got, expected, "{role}");
    }
}

fn code(n: u16) -> StatusCode {
    StatusCode::from_u16(n).unwrap_or(StatusCode::IM_A_TEAPOT)
}

#[tokio::test]
async fn a_forbidden_post_changes_nothing() {
    let app = TestApp::spawn().await;
    let own = app.school("OWN-1");
    let b = app
        .logged_in("nosy", Role::SchoolAdmin, Some("OWN-1"))
        .await;
    let res = b
        .post(&format!("/schools/{own}/active"), &[("active", "0")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = b
        .post("/users", &[("username", "sneaky"), ("role", "admin")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users"), 1);
    let page = b.text(&format!("/schools/{own}")).await;
    assert!(page.contains("OWN-1 学校"));
}

#[tokio::test]
async fn the_navigation_follows_the_role() {
    let app = TestApp::spawn().await;
    app.school("OWN-1");
    let staff = app
        .logged_in("nav.staff", Role::Staff, Some("OWN-1"))
        .await
        .text("/")
        .await;
    assert!(!staff.contains("href=\"/users\""));
    assert!(!staff.contains("href=\"/schools\""));
    assert!(staff.contains("本校"));
    let admin = app
        .logged_in("nav.admin", Role::Admin, None)
        .await
        .text("/")
        .await;
    assert!(admin.contains("href=\"/users\""));
    assert!(admin.contains("href=\"/schools\""));
}

#[tokio::test]
async fn a_missing_record_is_404_for_everyone() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("boss", Role::Admin, None).await;
    assert_eq!(
        b.get("/schools/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/users/999999/edit").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/schools/not-a-number").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_current_page_is_marked_once_in_the_navigation() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("nav.bureau", Role::Bureau, None).await;
    for (path, current) in [
        ("/", "/"),
        ("/hazards", "/hazards"),
        ("/hazards/review", "/hazards/review"),
        ("/hazards/new", "/hazards"),
    ] {
        let page = b.text(path).await;
        assert_eq!(page.matches("aria-current=\"page\"").count(), 1, "{path}");
        assert!(
            page.contains(&format!("href=\"{current}\" class=\"active\"")),
            "{path} marks {current}"
        );
    }
}
