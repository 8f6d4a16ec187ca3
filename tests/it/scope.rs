//! Roles and school scope beyond the matrix (`matrix_authz`): nothing of another school leaks
//! into a page, ids that are no number, and the navigation per role.

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
