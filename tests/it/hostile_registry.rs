//! The corpus in the county's registries: schools and users, created, edited, imported,
//! (de)activated.

use xiaoan::domain::role::Role;
use xiaoan::domain::school::SchoolDraft;
use xiaoan::domain::user::UserDraft;
use xiaoan::store::import::{SCHOOL_COLUMNS, USER_COLUMNS};

use crate::helpers::*;
use crate::hostile::{Probe, V, corpus, escaped, fields_of, with};

fn school_form(code: &str) -> Vec<(&'static str, String)> {
    [
        ("code", code),
        ("name", "城南小学"),
        ("township", "辰阳镇"),
        ("kind", "primary"),
        ("pupils", "300"),
        ("boarders", "20"),
        ("staff", "25"),
        ("principal", "李校长"),
        ("phone", "0745-1234567"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

/// The stored column of a text field, to compare with what was typed.
fn school_column(field: &str) -> Option<&'static str> {
    match field {
        "code" => Some("s.code"),
        "name" => Some("s.name"),
        "principal" => Some("s.principal"),
        "phone" => Some("s.phone"),
        "township" => Some("t.name"),
        _ => None,
    }
}

fn check_school(app: &TestApp, page: &str, id: &str, field: &str, v: &V) {
    let (Some(col), Some(text)) = (school_column(field), v.text()) else {
        return;
    };
    let stored = app.text_of(&format!(
        "SELECT {col} AS v FROM schools s LEFT JOIN townships t ON t.id = s.township_id \
         WHERE s.id = {id}"
    ));
    assert_eq!(stored, text, "school {field} stored as typed");
    if !text.is_empty() {
        assert!(
            page.contains(&escaped(text)),
            "school {field} shown escaped"
        );
    }
}

#[tokio::test]
async fn hostile_school_forms_and_imports_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("h.root", Role::Admin, None).await;
    let mut p = Probe::new(&app, &b).await;
    let edited = app.school("HE-1");
    let mut n = 0;
    let fields = fields_of::<SchoolDraft>();
    for field in &fields {
        for (i, v) in corpus().into_iter().enumerate() {
            n += 1;
            let create = with(&school_form(&format!("HN-{n}")), field, &v);
            let a = p.post("/schools", &create, i % 2 == 0).await;
            if a.accepted {
                let id = a.location.trim_start_matches("/schools/").to_string();
                check_school(&app, &a.page, &id, field, &v);
            }
            let edit = with(&school_form(&format!("HE-{n}")), field, &v);
            let path = format!("/schools/{edited}");
            let a = p.post(&path, &edit, i % 2 == 1).await;
            if a.accepted {
                check_school(&app, &a.page, &edited.to_string(), field, &v);
            }
        }
    }
    for v in corpus() {
        let a = p
            .post(
                &format!("/schools/{edited}/active"),
                &[("active", v.clone())],
                false,
            )
            .await;
        assert!(!a.accepted, "only 1 or 0 (de)activates: {v:?}");
    }
    for col in SCHOOL_COLUMNS {
        for v in corpus() {
            n += 1;
            let row = school_form(&format!("HI-{n}"));
            let file = csv_file(&SCHOOL_COLUMNS, &row, col, &v);
            let a = import(&mut p, "/schools/import", "schools.csv", file).await;
            assert!(
                a.status.is_client_error() || a.accepted,
                "{col}: {}",
                a.status
            );
        }
    }
    hostile_files(&mut p, "/schools/import").await;
    crate::hostile::report("schools", p.sent, p.accepted);
}

fn user_form(username: &str) -> Vec<(&'static str, String)> {
    [
        ("username", username),
        ("display_name", "王老师"),
        ("role", "staff"),
        ("school", "HU-1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

#[tokio::test]
async fn hostile_user_forms_and_imports_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    app.school("HU-1");
    let b = app.logged_in("h.root", Role::Admin, None).await;
    let mut p = Probe::new(&app, &b).await;
    // A new account, or an imported file of them, answers with the temporary passwords.
    p.created_by_200(&["/users", "/users/import"]);
    let edited = app.user("h.edited", Role::Staff, Some("HU-1"));
    let mut n = 0;
    for field in fields_of::<UserDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            n += 1;
            let create = with(&user_form(&format!("h.new{n}")), field, &v);
            let a = p.post("/users", &create, i % 2 == 0).await;
            // A created account answers with its temporary password at once.
            if a.accepted
                && field == "display_name"
                && let Some(text) = v.text().filter(|t| !t.is_empty())
            {
                let stored = app.text_of(&format!(
                    "SELECT display_name AS v FROM users WHERE username = 'h.new{n}'"
                ));
                assert_eq!(stored, text, "display name stored as typed");
                let list = b.text("/users").await;
                assert!(list.contains(&escaped(text)), "display name shown escaped");
            }
            let edit = with(&user_form("h.edited"), field, &v);
            p.post(&format!("/users/{edited}"), &edit, i % 2 == 1).await;
        }
    }
    for v in corpus() {
        let a = p
            .post(
                &format!("/users/{edited}/active"),
                &[("active", v.clone())],
                false,
            )
            .await;
        assert!(!a.accepted, "only 1 or 0 (de)activates: {v:?}");
    }
    for col in USER_COLUMNS {
        for v in corpus() {
            n += 1;
            let row = user_form(&format!("h.imp{n}"));
            let file = csv_file(&USER_COLUMNS, &row, col, &v);
            let a = import(&mut p, "/users/import", "users.csv", file).await;
            assert!(
                a.status.is_client_error() || a.status == 200,
                "{col}: {}",
                a.status
            );
        }
    }
    hostile_files(&mut p, "/users/import").await;
    crate::hostile::report("users", p.sent, p.accepted);
}

/// A CSV of a header and one row, `column` holding the hostile value (raw bytes as they are).
fn csv_file(columns: &[&str], row: &[(&str, String)], column: &str, v: &V) -> Vec<u8> {
    let mut out = columns.join(",").into_bytes();
    out.push(b'\n');
    let cells: Vec<Vec<u8>> = columns
        .iter()
        .map(|c| {
            let cell = if *c == column {
                v.bytes()
            } else {
                row.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, s)| s.as_bytes().to_vec())
                    .unwrap_or_default()
            };
            // Quoted as a spreadsheet writes it, so a comma or newline stays in its cell.
            let mut q = vec![b'"'];
            for byte in cell {
                if byte == b'"' {
                    q.push(b'"');
                }
                q.push(byte);
            }
            q.push(b'"');
            q
        })
        .collect();
    out.extend(cells.join(&b","[..]));
    out.push(b'\n');
    out
}

async fn import(
    p: &mut Probe<'_>,
    path: &str,
    name: &str,
    file: Vec<u8>,
) -> crate::hostile::Answer {
    p.multipart(path, vec![("file", Some(name.to_string()), file)])
        .await
}

/// Files no import reads: odd names, odd bodies, too big.
async fn hostile_files(p: &mut Probe<'_>, path: &str) {
    let names = [
        "<script>alert(1)</script>.csv",
        "../../../etc/passwd",
        "a\u{202E}vsc.exe",
        "'; DROP TABLE schools; --.csv",
        "",
    ];
    for name in names {
        let a = import(p, path, name, b"code,name\n".to_vec()).await;
        assert!(a.status.is_client_error(), "{name:?}: {}", a.status);
    }
    let long = "n".repeat(10_000);
    import(p, path, &long, b"x".to_vec()).await;
    let bodies: [Vec<u8>; 6] = [
        Vec::new(),
        b"\x00\x01\x02\xFF\xFE".to_vec(),
        b"<html><script>alert(1)</script></html>".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        vec![b'a'; 3 * 1024 * 1024],
        "code\n".repeat(200_000).into_bytes(),
    ];
    for body in bodies {
        let a = import(p, path, "x.csv", body).await;
        assert!(a.status.is_client_error(), "{path}: {}", a.status);
    }
}
