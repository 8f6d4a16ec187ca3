//! The test app: the real server on 127.0.0.1:0 over a temp SQLite file, or over a fresh
//! PostgreSQL database when TEST_DATABASE_URL is set; browsers with cookies and CSRF handling.

use std::sync::Arc;

use diesel::RunQueryDsl;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Response, StatusCode, Url, redirect};
use xiaoan::auth::password::{Cost, Hasher};
use xiaoan::config::Config;
use xiaoan::db::{self, DbConn, Pool};
use xiaoan::domain::role::Role;
use xiaoan::domain::school::SchoolInput;
use xiaoan::domain::user::UserInput;
use xiaoan::startup::Application;
use xiaoan::store::{self, Actor};

pub const PASSWORD: &str = "correct horse battery";
pub const CHEAP: Cost = Cost {
    m_kib: 64,
    t: 1,
    p: 1,
};

pub struct TestApp {
    pub base: String,
    pub pool: Pool,
    pub config: Config,
    pub database_url: String,
    pub dir: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
    pg_drop: Option<(String, String)>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::spawn_from(adjust, |_, _| {}).await
    }

    /// An app over a database that `prepare` filled first, before the app's own migrations ran
    /// (a database an earlier release left, say): it gets the fresh connection and the data dir.
    pub async fn spawn_from(
        adjust: impl FnOnce(&mut Config),
        prepare: impl FnOnce(&mut DbConn, &std::path::Path),
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_drop) = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!(
                    "xiaoan_t_{}",
                    xiaoan::auth::token::random_token()[..12]
                        .to_lowercase()
                        .replace('-', "_")
                );
                let mut admin = db::connect(&admin_url).expect("connect to TEST_DATABASE_URL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                // A test database need not outlive a crash of the server: commits do not wait
                // for the disk (several times faster on a busy machine).
                diesel::sql_query(format!(
                    "ALTER DATABASE {name} SET synchronous_commit = off"
                ))
                .execute(&mut admin)
                .expect("tune test database");
                let mut url = Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                (url.to_string(), Some((admin_url, name)))
            }
            _ => (dir.path().join("xiaoan.db").display().to_string(), None),
        };
        let mut config = Config::new(dir.path().to_path_buf(), Some(database_url.clone()));
        config.bind = "127.0.0.1:0".into();
        config.argon2 = CHEAP;
        config.pool_size = 6;
        adjust(&mut config);
        let mut first = db::connect(&config.database_url).expect("connect to prepare");
        prepare(&mut first, dir.path());
        drop(first);
        let pool = db::open_pool(&config.database_url, config.pool_size, config.db_timeouts)
            .expect("open pool");
        let app = Application::build(config.clone(), pool.clone()).expect("build app");
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            pool,
            config,
            database_url,
            dir,
            handle,
            pg_drop,
        }
    }

    /// A second app instance over the same database (a scale-out sibling).
    pub async fn sibling(&self) -> String {
        let app =
            Application::build(self.config.clone(), self.pool.clone()).expect("build sibling");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }

    pub fn conn(&self) -> r2d2::PooledConnection<db::Manager> {
        self.pool.get().expect("pooled connection")
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// SQLite whose file lives under the app's data dir (not the suite's temp dir).
    pub fn is_sqlite_on_tmpfs(&self) -> bool {
        !self.is_postgres()
            && self
                .config
                .database_url
                .starts_with(&*self.config.data_dir.to_string_lossy())
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// A school with this code (name and township derived from it).
    pub fn school(&self, code: &str) -> i64 {
        let s = SchoolInput {
            code: code.into(),
            name: format!("{code} 学校"),
            township: Some("辰阳镇".into()),
            kind: xiaoan::domain::school::SchoolKind::Primary,
            pupils: 300,
            boarders: 20,
            staff: 25,
            principal: "校长".into(),
            phone: "0745-1234567".into(),
        };
        // Registered as of the app's clock: a test building last month's history has its
        // schools from the start.
        let at = self.config.clock.now();
        store::schools::create_at(&mut self.conn(), &Actor::cli(), &s, at).expect("create school")
    }

    /// An app holding the demo county, loaded through the store as `xiaoan demo` does.
    pub async fn spawn_demo() -> TestApp {
        let app = TestApp::spawn().await;
        xiaoan::demo::load(
            &mut app.conn() as &mut DbConn,
            &Hasher::new(CHEAP).expect("hasher"),
            &app.config.uploads_dir(),
        )
        .expect("load the demo");
        app
    }

    /// A user with the test password.
    pub fn user(&self, username: &str, role: Role, school: Option<&str>) -> i64 {
        let hash = Hasher::new(CHEAP)
            .and_then(|h| h.hash(PASSWORD))
            .expect("hash");
        let u = UserInput {
            username: username.into(),
            display_name: format!("{username} 名"),
            role,
            school: school.map(str::to_string),
        };
        store::users::create(&mut self.conn(), &Actor::cli(), &u, &hash, false)
            .expect("create user")
    }

    /// A browser already logged in as a new user of this role.
    pub async fn logged_in(&self, username: &str, role: Role, school: Option<&str>) -> Browser {
        self.user(username, role, school);
        let b = self.browser();
        let res = b.login(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login of {username}");
        b
    }

    pub fn count(&self, sql_table: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let rows: Vec<N> = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {sql_table}"))
            .load(&mut *self.conn() as &mut DbConn)
            .expect("count");
        rows[0].n
    }

    pub fn exec(&self, sql: &str) -> usize {
        diesel::sql_query(sql)
            .execute(&mut *self.conn() as &mut DbConn)
            .expect("exec")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        drop(handle.stop(false));
        if let Some((admin_url, name)) = self.pg_drop.take() {
            // Connections of the pool may still be open: FORCE ends them.
            if let Ok(mut admin) = db::connect(&admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

/// One browser: its own cookies, no automatic redirects, CSRF tokens read from pages.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(redirect::Policy::none())
            .build()
            .expect("client");
        Browser {
            base: base.to_string(),
            client,
            jar,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("body")
    }

    /// The CSRF token the app puts in this browser's forms.
    pub async fn csrf(&self) -> String {
        let page = self.text("/login").await;
        let page = if page.contains("csrf_token") {
            page
        } else {
            self.text("/account/password").await
        };
        extract_csrf(&page).expect("a csrf token on the page")
    }

    /// POSTs a form with this browser's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// POSTs a form exactly as given: no token added.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Uploads a file as multipart, the token in the query as the app's forms do.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: Vec<u8>) -> Response {
        let token = self.csrf().await;
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.client
            .post(self.url(&format!("{path}?csrf_token={token}")))
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post("/login", &[("username", username), ("password", password)])
            .await
    }

    pub async fn logout(&self) -> Response {
        self.post("/logout", &[]).await
    }

    /// The value of one of this browser's cookies.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = Url::parse(&self.base).ok()?;
        let header = self.jar.cookies(&url)?;
        let all = header.to_str().ok()?.to_string();
        all.split("; ")
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
    }
}

pub fn extract_csrf(page: &str) -> Option<String> {
    let start = page.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let rest = &page[start..];
    Some(rest[..rest.find('"')?].to_string())
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Every role with the school it needs (school roles at `school`).
pub fn role_school(role: Role, school: &str) -> Option<&str> {
    role.is_school_scoped().then_some(school)
}

/// Today in the county, by the system clock (what a test app without a manual clock uses).
pub fn today() -> chrono::NaiveDate {
    xiaoan::domain::time::local_date(xiaoan::domain::time::now())
}
