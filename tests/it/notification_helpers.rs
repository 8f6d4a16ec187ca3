//! A county to notify, what each person was told, and a local HTTP receiver for the webhook.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use diesel::RunQueryDsl;
use xiaoan::db::DbConn;
use xiaoan::domain::attachments::Stage as PhotoStage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::role::Role;

use crate::helpers::*;

pub const SCHOOL: &str = "NT-1";
pub const TEACHER: &str = "n.teacher";
pub const ADMIN1: &str = "n.admin1";
pub const ADMIN2: &str = "n.admin2";
pub const BUREAU: &str = "n.bureau";
pub const BUREAU2: &str = "n.bureau2";
/// The safety officer of another school, told of nothing here.
pub const ELSEWHERE: &str = "n.elsewhere";
pub const ADMIN: &str = "n.root";

/// One school with a teacher and two safety officers, the bureau's two, another school's
/// officer and the county's admin; returns the school's id.
pub fn county(app: &TestApp) -> i64 {
    let school = app.school(SCHOOL);
    app.school("NT-2");
    app.user(TEACHER, Role::Staff, Some(SCHOOL));
    app.user(ADMIN1, Role::SchoolAdmin, Some(SCHOOL));
    app.user(ADMIN2, Role::SchoolAdmin, Some(SCHOOL));
    app.user(BUREAU, Role::Bureau, None);
    app.user(BUREAU2, Role::Bureau, None);
    app.user(ELSEWHERE, Role::SchoolAdmin, Some("NT-2"));
    app.user(ADMIN, Role::Admin, None);
    school
}

/// Everyone `county` made.
pub const EVERYONE: [&str; 7] = [TEACHER, ADMIN1, ADMIN2, BUREAU, BUREAU2, ELSEWHERE, ADMIN];

impl TestApp {
    /// The words of what `username` was told, oldest first.
    pub fn told(&self, username: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct E {
            #[diesel(sql_type = diesel::sql_types::Text)]
            event: String,
        }
        let rows: Vec<E> = diesel::sql_query(format!(
            "SELECT n.event AS event FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE u.username = '{username}' ORDER BY n.id"
        ))
        .load(&mut *self.conn() as &mut DbConn)
        .expect("notifications");
        rows.into_iter().map(|e| e.event).collect()
    }

    /// Who was told anything, with what, for every person of the county.
    pub fn told_everyone(&self) -> Vec<(&'static str, Vec<String>)> {
        EVERYONE
            .iter()
            .map(|u| (*u, self.told(u)))
            .filter(|(_, t)| !t.is_empty())
            .collect()
    }

    pub fn forget_notifications(&self) {
        self.exec("DELETE FROM notifications");
    }

    /// A hazard the teacher reported, registered and assigned (being fixed now).
    pub fn rectifying(&self, school: i64) -> i64 {
        let id = self.report_hazard(TEACHER, school, "general");
        self.act(ADMIN1, id, HazardAction::Register);
        self.act(BUREAU, id, HazardAction::Assign);
        id
    }

    /// A hazard whose fix awaits the bureau's acceptance.
    pub fn awaiting_acceptance(&self, school: i64) -> i64 {
        let id = self.rectifying(school);
        self.photo(ADMIN1, id, PhotoStage::After, 3);
        self.act(ADMIN1, id, HazardAction::Submit);
        id
    }
}

/// A single-word list, for comparing what people were told.
pub fn once(word: &str) -> Vec<String> {
    vec![word.to_string()]
}

/// A local HTTP receiver: answers each POST with the next status of its script (then 200) and
/// keeps every body.
pub struct Receiver {
    pub url: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    pub fn start(script: &[u16]) -> Receiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a receiver");
        let url = format!(
            "http://{}/hooks/xiaoan?key=secret-key",
            listener.local_addr().expect("address")
        );
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.to_vec()));
        let kept = bodies.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let status = {
                    let mut s = script.lock().expect("script");
                    if s.is_empty() { 200 } else { s.remove(0) }
                };
                answer(stream, status, &kept);
            }
        });
        Receiver { url, bodies }
    }

    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.bodies
            .lock()
            .expect("bodies")
            .iter()
            .map(|b| serde_json::from_str(b).expect("a JSON body"))
            .collect()
    }

    pub fn count(&self) -> usize {
        self.bodies.lock().expect("bodies").len()
    }
}

/// Reads one request (headers, then Content-Length bytes), keeps its body, then answers with
/// `status` — in that order, so a sender that has its answer finds the body already kept.
fn answer(mut stream: std::net::TcpStream, status: u16, kept: &Mutex<Vec<String>>) -> Option<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (i + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    kept.lock()
        .ok()?
        .push(String::from_utf8_lossy(&buf[head_end..]).into_owned());
    let reply =
        format!("HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = stream.write_all(reply.as_bytes());
    Some(())
}
