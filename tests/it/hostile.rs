//! The hostile input corpus and the probe that feeds it to the app: every value goes into
//! every field of every form and every parameter of every list (`hostile_*.rs`). Each answer is
//! a clean 4xx, or a 2xx/3xx whose page shows the value escaped; never a 500; and a refused
//! submission leaves every table as it was.

use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::StatusCode;
use serde::de::{self, Deserializer, Visitor};

use crate::helpers::{Browser, TestApp, location};

/// One hostile value: text the client encodes, or raw bytes put into the body or query as
/// they are (invalid UTF-8, a percent-encoded NUL).
#[derive(Clone, Debug)]
pub enum V {
    Text(String),
    Raw(&'static [u8]),
}

impl V {
    /// The value as the app should store it once accepted (trimmed, as every check trims).
    pub fn text(&self) -> Option<&str> {
        match self {
            V::Text(s) => Some(s.trim()),
            V::Raw(_) => None,
        }
    }

    /// As a query string's value: text encoded, raw bytes as they are (non-ASCII ones
    /// percent-encoded, since a URL cannot carry them otherwise).
    pub fn query(&self) -> String {
        match self {
            V::Text(s) => url::form_urlencoded::byte_serialize(s.as_bytes()).collect(),
            V::Raw(b) => b
                .iter()
                .map(|c| {
                    if c.is_ascii() {
                        (*c as char).to_string()
                    } else {
                        format!("%{c:02X}")
                    }
                })
                .collect(),
        }
    }

    /// For multipart parts and CSV cells.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            V::Text(s) => s.as_bytes().to_vec(),
            V::Raw(b) => percent_decoded(b),
        }
    }
}

fn percent_decoded(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(n)) => {
                out.push(n);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn t(s: impl Into<String>) -> V {
    V::Text(s.into())
}

/// The corpus: script injection, SQL metacharacters, over-long strings, control characters,
/// invalid UTF-8, odd dates and odd numbers.
pub fn corpus() -> Vec<V> {
    vec![
        t("<script>alert(1)</script>"),
        t("\"><img src=x onerror=alert(1)>"),
        t("'><svg onload=alert(1)>"),
        t("javascript:alert(1)"),
        t("{{7*7}}"),
        t("{% raw %}"),
        t("' OR 1=1 --"),
        t("\"; DROP TABLE hazards; --"),
        t("%"),
        t("_"),
        t("\\"),
        t("\\'; --"),
        t("长".repeat(10_000)),
        t("x".repeat(300_000)),
        t("a\u{0}b"),
        t("\u{0}"),
        t("line1\r\nline2"),
        t("\u{202E}gnp.exe"),
        t("\u{FEFF}bom"),
        t("\u{1b}[31m"),
        V::Raw(b"%FF%FE"),
        V::Raw(b"\xFF\xFE"),
        V::Raw(b"%C0%80"),
        V::Raw(b"%00"),
        t("2026-02-30"),
        t("0000-01-01"),
        t("99999-01-01"),
        t("2026-13-01"),
        t(""),
        t("  "),
        t("-1"),
        t("1e309"),
        t("9223372036854775808"),
        t("NaN"),
        t("0x10"),
        t("１２"),
    ]
}

/// What must never reach a page unescaped.
const MARKERS: [&str; 5] = [
    "<script>alert(1)",
    "<img src=x onerror",
    "<svg onload",
    "href=\"javascript:",
    "src=\"javascript:",
];

/// Every submission the corpus made, over all groups.
pub static SUBMISSIONS: AtomicUsize = AtomicUsize::new(0);

/// Prints what a group sent, and how many the groups that have finished sent in all.
pub fn report(group: &str, sent: usize, accepted: usize) {
    println!(
        "hostile corpus: {group}: {sent} submissions, {accepted} accepted ({} in all so far)",
        SUBMISSIONS.load(Ordering::Relaxed)
    );
}

/// The tables a form may write; a refused one must leave each as it was.
const TABLES: [&str; 28] = [
    "townships",
    "schools",
    "users",
    "settings",
    "events",
    "counters",
    "hazards",
    "attachments",
    "report_submissions",
    "report_snapshots",
    "notifications",
    "webhook_outbox",
    "buildings",
    "appraisals",
    "guards",
    "security_profiles",
    "alarm_tests",
    "bullying_cases",
    "bullying_parties",
    "bullying_measures",
    "bullying_notes",
    "bullying_screenings",
    "education_sessions",
    "legal_vps",
    "legal_vp_schools",
    "campaigns",
    "campaign_items",
    "campaign_marks",
];

/// The tables whose rows record when they were last changed.
const EDITED: [&str; 10] = [
    "schools",
    "users",
    "settings",
    "hazards",
    "buildings",
    "guards",
    "security_profiles",
    "bullying_cases",
    "legal_vps",
    "campaign_marks",
];

/// One answer, read whole.
pub struct Answer {
    /// Saved: a redirect that is not back to a kept draft, or the page that answers a saved
    /// form of a path in `created_by_200`.
    pub accepted: bool,
    pub status: StatusCode,
    pub location: String,
    /// The page a redirect led to (read and checked like the answer itself).
    pub page: String,
}

/// A logged-in browser sending the corpus, checking each answer as it comes.
pub struct Probe<'a> {
    pub app: &'a TestApp,
    pub b: &'a Browser,
    /// The browser's session on a fresh connection each request: a refused body the server
    /// did not read closes its connection, and a pooled one could be picked for the next
    /// probe before the close is seen (a send error that says nothing about the app).
    client: reqwest::Client,
    token: String,
    /// Tables a refused submission may still write by design (a failed login's event).
    exempt: Vec<&'static str>,
    ok_200: Vec<&'static str>,
    pub sent: usize,
    pub accepted: usize,
}

impl<'a> Probe<'a> {
    pub async fn new(app: &'a TestApp, b: &'a Browser) -> Probe<'a> {
        let token = b.csrf().await;
        let client = reqwest::Client::builder()
            .cookie_provider(b.jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("client");
        Probe {
            app,
            b,
            client,
            token,
            exempt: Vec::new(),
            ok_200: Vec::new(),
            sent: 0,
            accepted: 0,
        }
    }

    /// After a login or a password change the session, and so its token, is new.
    pub async fn renew_token(&mut self) {
        self.token = self.b.csrf().await;
    }

    pub fn created_by_200(&mut self, paths: &[&'static str]) {
        self.ok_200.extend_from_slice(paths);
    }

    pub fn may_write(&mut self, tables: &[&'static str]) {
        self.exempt.extend_from_slice(tables);
    }

    /// How many rows each table has, and when its records last changed: a refused form
    /// changes neither (an edit half-saved shows in the second).
    pub fn rows(&self) -> String {
        let counts = TABLES
            .iter()
            .filter(|t| !self.exempt.contains(t))
            .map(|t| format!("(SELECT COUNT(*) FROM {t})"));
        let changed = EDITED
            .iter()
            .map(|t| format!("(SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '-') FROM {t})"));
        let versions = "(SELECT COALESCE(SUM(version), 0) FROM hazards) || ',' || \
                        (SELECT COALESCE(SUM(version), 0) FROM buildings)"
            .to_string();
        let sql = counts
            .chain(changed)
            .chain([versions])
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        self.app.text_of(&format!("SELECT {sql} AS v"))
    }

    /// POSTs url-encoded fields (and the token); `navigate` posts as a person's browser does,
    /// so a refusal keeps the draft and redirects to it.
    pub async fn post(&mut self, path: &str, fields: &[(&str, V)], navigate: bool) -> Answer {
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(k.as_bytes());
            body.push(b'=');
            match v {
                V::Text(s) => body.extend(
                    url::form_urlencoded::byte_serialize(s.as_bytes()).flat_map(str::bytes),
                ),
                V::Raw(b) => body.extend_from_slice(b),
            }
            body.push(b'&');
        }
        body.extend_from_slice(format!("csrf_token={}", self.token).as_bytes());
        let mut req = self
            .client
            .post(self.b.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if navigate {
            req = req.header("sec-fetch-mode", "navigate");
        }
        let what = format!("POST {path} {}", describe(fields));
        self.send(req, path, &what).await
    }

    /// POSTs multipart parts: (name, file name if a file, bytes); the token in the query.
    pub async fn multipart(
        &mut self,
        path: &str,
        parts: Vec<(&str, Option<String>, Vec<u8>)>,
    ) -> Answer {
        let what = format!(
            "POST {path} multipart {:?}",
            parts
                .iter()
                .map(|(n, f, b)| format!("{n}:{}:{}", short(f.as_deref().unwrap_or("")), b.len()))
                .collect::<Vec<_>>()
        );
        let mut form = reqwest::multipart::Form::new();
        for (name, file, bytes) in parts {
            let part = reqwest::multipart::Part::bytes(bytes);
            let part = match file {
                Some(f) => part.file_name(f),
                None => part,
            };
            form = form.part(name.to_string(), part);
        }
        let req = self
            .client
            .post(self.b.url(&format!("{path}?csrf_token={}", self.token)))
            .multipart(form);
        self.send(req, path, &what).await
    }

    async fn send(&mut self, req: reqwest::RequestBuilder, path: &str, what: &str) -> Answer {
        let before = self.rows();
        let res = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut a = read(res, what).await;
        a.accepted = (a.status.is_redirection() && !a.location.contains("draft="))
            || (a.status == StatusCode::OK && self.ok_200.contains(&path));
        self.sent += 1;
        SUBMISSIONS.fetch_add(1, Ordering::Relaxed);
        let after = self.rows();
        if a.accepted {
            self.accepted += 1;
        } else {
            assert_eq!(
                after, before,
                "{what}: refused ({}) but rows changed",
                a.status
            );
        }
        if a.status.is_redirection() && a.location.starts_with('/') && a.location != "/login" {
            // The page it leads to shows what was kept or saved, escaped.
            let next = self.b.get(&a.location).await;
            a.page = read(next, &format!("{what} -> GET {}", a.location))
                .await
                .page;
        }
        a
    }

    /// GETs pages and exports a few at a time; the app may write nothing for any of them.
    pub async fn get_all(&mut self, paths: Vec<String>) {
        use futures_util::StreamExt;
        let before = self.rows();
        let n = paths.len();
        let b = self.b;
        futures_util::stream::iter(paths)
            .map(|path| async move {
                let res = b
                    .client
                    .get(b.url(&path))
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("GET {}: {e}", short(&path)));
                read(res, &format!("GET {}", short(&path))).await;
            })
            .buffer_unordered(4)
            .collect::<Vec<()>>()
            .await;
        self.sent += n;
        SUBMISSIONS.fetch_add(n, Ordering::Relaxed);
        assert_eq!(self.rows(), before, "a GET wrote");
    }
}

/// Reads an answer and checks it: no server error, and an HTML page holds no raw payload.
async fn read(res: reqwest::Response, what: &str) -> Answer {
    let status = res.status();
    let html = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let location = location(&res);
    let body = if html {
        res.text().await.unwrap_or_default()
    } else {
        drop(res.bytes().await);
        String::new()
    };
    assert!(
        !status.is_server_error(),
        "{what}: {status}\n{}",
        short(&body)
    );
    for m in MARKERS {
        assert!(!body.contains(m), "{what}: the page holds a raw {m:?}");
    }
    Answer {
        accepted: false,
        status,
        location,
        page: body,
    }
}

fn describe(fields: &[(&str, V)]) -> String {
    fields
        .iter()
        .map(|(k, v)| match v {
            V::Text(s) => format!("{k}={}", short(s)),
            V::Raw(b) => format!("{k}=raw{b:?}"),
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn short(s: &str) -> String {
    let n = s.chars().count();
    if n > 60 {
        format!("{}…({n} chars)", s.chars().take(40).collect::<String>())
    } else {
        format!("{s:?}")
    }
}

/// `value` as the templates escape it, to find it on a page.
pub fn escaped(value: &str) -> String {
    value
        .replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// `fields` with `name` set to `v` (added when absent).
pub fn with<'n>(fields: &[(&'static str, String)], name: &'n str, v: &V) -> Vec<(&'n str, V)> {
    let mut out: Vec<(&'n str, V)> = fields
        .iter()
        .filter(|(k, _)| *k != name)
        .map(|(k, s)| (*k, V::Text(s.clone())))
        .collect();
    out.push((name, v.clone()));
    out
}

/// The field names a form struct reads, from its `Deserialize` (so a new field is probed as
/// soon as it exists).
pub fn fields_of<T: de::DeserializeOwned>() -> Vec<&'static str> {
    let mut c = Catcher(&[]);
    let _ = T::deserialize(&mut c);
    assert!(
        !c.0.is_empty(),
        "{} names no fields",
        std::any::type_name::<T>()
    );
    c.0.to_vec()
}

/// A deserializer that answers nothing but notes the fields a struct asks for.
struct Catcher(&'static [&'static str]);

impl<'de> Deserializer<'de> for &mut Catcher {
    type Error = de::value::Error;

    fn deserialize_any<W: Visitor<'de>>(self, _: W) -> Result<W::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<W: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: W,
    ) -> Result<W::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("noted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

impl TestApp {
    /// One text value a query selects (as `v`), "" when none.
    pub fn text_of(&self, sql: &str) -> String {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct R {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            v: Option<String>,
        }
        let rows: Vec<R> = diesel::sql_query(sql)
            .load(&mut *self.conn() as &mut xiaoan::db::DbConn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter()
            .next()
            .and_then(|r| r.v)
            .unwrap_or_default()
    }
}
