//! The command line of CONTRACT.md. Arguments are checked before the database is touched;
//! any error is one line on stderr and a non-zero exit.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tokio::signal::unix::{SignalKind, signal};

mod generate;
mod import;

use crate::auth::password::{Cost, Hasher};
use crate::auth::token;
use crate::config::Config;
use crate::db::{self, Pool};
use crate::domain::role::Role;
use crate::domain::school::{self, SchoolDraft};
use crate::domain::user::{self, UserDraft};
use crate::startup::Application;
use crate::store::events::Verdict;
use crate::store::{self, Actor, StoreError};

#[derive(Parser)]
#[command(
    name = "xiaoan",
    version,
    about = "校安 xiaoan: school-safety records for a county education bureau"
)]
pub struct Cli {
    /// Where the SQLite database and uploads live.
    #[arg(long, global = true, env = "XIAOAN_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// postgres://… for PostgreSQL; default: the SQLite file DATA_DIR/xiaoan.db.
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Argon2id memory in KiB (OWASP minimum 19456).
    #[arg(long, global = true, env = "XIAOAN_ARGON2_M_KIB", default_value_t = Cost::OWASP.m_kib)]
    pub argon2_m_kib: u32,
    /// Argon2id passes.
    #[arg(long, global = true, env = "XIAOAN_ARGON2_T", default_value_t = Cost::OWASP.t)]
    pub argon2_t: u32,
    /// Seconds to wait for PostgreSQL to accept a connection and log in.
    #[arg(
        long,
        global = true,
        env = "XIAOAN_DB_CONNECT_TIMEOUT",
        default_value_t = 10
    )]
    pub db_connect_timeout: u64,
    /// Seconds any one statement of the server may run on PostgreSQL (0: no limit).
    #[arg(
        long,
        global = true,
        env = "XIAOAN_DB_STATEMENT_TIMEOUT",
        default_value_t = 30
    )]
    pub db_statement_timeout: u64,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web app.
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Manage schools.
    School {
        #[command(subcommand)]
        command: SchoolCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load the demo county into an empty database.
    Demo,
    /// Fill an empty database with invented schools and records of every kind, through the
    /// app's own rules (load tests and benchmarks). The same seed makes the same data.
    Generate {
        #[arg(long)]
        schools: usize,
        #[arg(long, default_value_t = 2)]
        years: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Copy the SQLite database consistently, while serving.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, env = "XIAOAN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Load the demo county first when the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Served behind TLS: Secure cookies and HSTS.
    #[arg(long, env = "XIAOAN_TLS")]
    pub tls: bool,
    /// Behind a reverse proxy that is the only way in: per-IP throttling uses X-Forwarded-For.
    #[arg(long, env = "XIAOAN_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// The address users open (`https://host[:port]`); a POST's Origin must match it.
    #[arg(long, env = "XIAOAN_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// `/readyz` says "storage full" when less than this many MiB are free in the data dir.
    #[arg(long, env = "XIAOAN_MIN_FREE_MB", default_value_t = 32)]
    pub min_free_mb: u64,
}

#[derive(Subcommand)]
pub enum SchoolCommand {
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        township: String,
        #[arg(long, default_value = "primary")]
        kind: String,
        #[arg(long, default_value = "0")]
        pupils: String,
        #[arg(long, default_value = "0")]
        boarders: String,
    },
    /// Import a CSV of schools (the columns of the upload page); all rows or none.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Reads the password as one line from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        school: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Import a CSV of users; prints each temporary password. All rows or none.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    Verify,
}

/// A failure to report in one line.
pub struct Fail(pub String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Fail {
        Fail(e.to_string())
    }
}

fn config(cli: &Cli) -> Config {
    let mut c = Config::new(cli.data_dir.clone(), cli.database_url.clone());
    c.argon2 = Cost {
        m_kib: cli.argon2_m_kib,
        t: cli.argon2_t,
        p: 1,
    };
    c.db_timeouts = db::Timeouts {
        connect: std::time::Duration::from_secs(cli.db_connect_timeout.max(1)),
        statement: (cli.db_statement_timeout > 0)
            .then(|| std::time::Duration::from_secs(cli.db_statement_timeout)),
    };
    c
}

/// Opens a database that must already exist: a mistyped `--data-dir` must not create an empty
/// one (and then report on it).
fn open_existing(c: &Config) -> Result<Pool, Fail> {
    if !db::exists(&c.database_url) {
        return Err(Fail(format!(
            "no database at {}; check --data-dir or --database-url",
            db::sqlite_path(&c.database_url)
        )));
    }
    Ok(db::open_pool(&c.database_url, c.pool_size, c.db_timeouts)?)
}

/// Opens (and on first use creates) the database for a command that writes. When the command
/// fails on a database it created, the new file goes again: a failed command leaves nothing.
pub(super) fn open_or_create(c: &Config) -> Result<(Pool, NewDb), Fail> {
    let created = NewDb::before(c);
    let pool = db::open_pool(&c.database_url, c.pool_size, c.db_timeouts).inspect_err(|_| {
        created.remove();
    })?;
    Ok((pool, created))
}

/// The SQLite files (and data dir) a command is about to create, to remove if it fails.
pub(super) struct NewDb {
    files: Vec<PathBuf>,
    dir: Option<PathBuf>,
}

impl NewDb {
    fn before(c: &Config) -> NewDb {
        if !c.is_sqlite() || db::exists(&c.database_url) {
            return NewDb {
                files: Vec::new(),
                dir: None,
            };
        }
        let main = PathBuf::from(db::sqlite_path(&c.database_url));
        let files = ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|s| PathBuf::from(format!("{}{s}", main.display())))
            .collect();
        let dir = main
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(PathBuf::from);
        NewDb { files, dir }
    }

    /// Removes what this command created. The pool must be dropped first.
    fn remove(&self) {
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
        if let Some(d) = &self.dir {
            // Only if empty: the uploads of someone else's data dir are never touched.
            let _ = std::fs::remove_dir(d.join("uploads"));
            let _ = std::fs::remove_dir(d);
        }
    }

    /// Runs the command's work; if it fails, undoes the database it created.
    pub(super) fn guard<T>(
        self,
        pool: Pool,
        work: impl FnOnce(&Pool) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let result = work(&pool);
        if result.is_err() {
            drop(pool);
            self.remove();
        }
        result
    }
}

fn field_errors(errors: &[crate::domain::validate::FieldError]) -> Fail {
    let en = crate::i18n::Lang::En.catalog();
    let parts: Vec<String> = errors
        .iter()
        .map(|e| format!("--{}: {}", e.field.replace('_', "-"), en.get(e.message)))
        .collect();
    Fail(parts.join("; "))
}

fn store_fail(e: StoreError) -> Fail {
    match e {
        StoreError::Invalid(fields) => field_errors(&fields),
        other => Fail(other.to_string()),
    }
}

pub async fn run(cli: Cli) -> Result<(), Fail> {
    let mut c = config(&cli);
    match cli.command {
        Command::Serve(args) => {
            c.bind = args.bind;
            c.tls = args.tls;
            c.trust_proxy = args.trust_proxy;
            c.public_origin = args.public_origin.filter(|o| !o.trim().is_empty());
            c.min_free_bytes = args.min_free_mb.saturating_mul(1024 * 1024);
            serve(c, args.demo).await
        }
        Command::Migrate => {
            db::ensure_sqlite_dir(&c.database_url)?;
            let mut conn = db::connect(&c.database_url)?;
            let n = db::run_migrations(&mut conn)?;
            println!("migrations applied: {n}");
            Ok(())
        }
        Command::School {
            command:
                SchoolCommand::Add {
                    code,
                    name,
                    township,
                    kind,
                    pupils,
                    boarders,
                },
        } => {
            let draft = SchoolDraft {
                code,
                name,
                township,
                kind,
                pupils,
                boarders,
                ..Default::default()
            };
            let input = school::validate(&draft).map_err(|e| field_errors(&e))?;
            let (pool, created) = open_or_create(&c)?;
            let id = created.guard(pool, |pool| {
                let mut conn = pool.get()?;
                store::schools::create(&mut conn, &Actor::cli(), &input).map_err(store_fail)
            })?;
            println!("school {} added (id {id})", input.code);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    school,
                    display_name,
                },
        } => {
            let draft = UserDraft {
                username,
                display_name: display_name.unwrap_or_default(),
                role,
                school: school.unwrap_or_default(),
            };
            let input = user::validate(&draft).map_err(|e| field_errors(&e))?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let password = line.trim_end_matches(['\n', '\r']).to_string();
            if password.is_empty() {
                return Err(Fail("no password on standard input".into()));
            }
            user::check_password(&input.username, &password).map_err(|k| {
                Fail(format!(
                    "password: {}",
                    crate::i18n::Lang::En.catalog().get(k)
                ))
            })?;
            let hasher = Hasher::new(c.argon2)?;
            let hash = hasher.hash(&password)?;
            let (pool, created) = open_or_create(&c)?;
            let id = created.guard(pool, |pool| {
                let mut conn = pool.get()?;
                store::users::create(&mut conn, &Actor::cli(), &input, &hash, false)
                    .map_err(store_fail)
            })?;
            println!("user {} added as {} (id {id})", input.username, input.role);
            Ok(())
        }
        Command::School {
            command: SchoolCommand::Import { file },
        } => import::schools(&c, &file),
        Command::User {
            command: UserCommand::Import { file },
        } => import::users(&c, &file),
        Command::Demo => {
            let hasher = Hasher::new(c.argon2)?;
            let (pool, created) = open_or_create(&c)?;
            created.guard(pool, |pool| {
                let mut conn = pool.get()?;
                Ok(crate::demo::load(&mut conn, &hasher, &c.uploads_dir())?)
            })?;
            println!(
                "demo county loaded; every demo account's password is {}",
                crate::demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Command::Generate {
            schools,
            years,
            seed,
        } => generate::run(
            &c,
            crate::generate::Plan {
                schools,
                years,
                seed,
            },
        ),
        Command::Backup { out } => backup(&c, &out),
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let pool = open_existing(&c)?;
            let mut conn = pool.get()?;
            match store::events::verify(&mut conn)? {
                Verdict::Intact { events, chains } => {
                    println!("audit trail intact: {events} events in {chains} chains");
                    Ok(())
                }
                Verdict::Fault(f) => Err(Fail(match f {
                    crate::domain::audit::ChainFault::Altered { id } => {
                        format!("audit trail broken: event {id} was altered")
                    }
                    crate::domain::audit::ChainFault::Broken { id } => {
                        format!(
                            "audit trail broken: event {id} does not follow the event before it"
                        )
                    }
                })),
            }
        }
    }
}

async fn serve(c: Config, demo: bool) -> Result<(), Fail> {
    crate::startup::check_dirs(&c)?;
    let pool = db::open_pool(&c.database_url, c.pool_size, c.db_timeouts)?;
    crate::startup::check_writable(&c, &pool)?;
    let hasher = Hasher::new(c.argon2)?;
    {
        let mut conn = pool.get()?;
        if demo && crate::demo::is_empty(&mut conn).map_err(store_fail)? {
            crate::demo::load(&mut conn, &hasher, &c.uploads_dir())?;
            tracing::info!(
                "demo county loaded; demo password: {}",
                crate::demo::DEMO_PASSWORD
            );
        }
        if store::users::count(&mut conn)? == 0 {
            let password = token::temporary_password();
            let input = user::UserInput {
                username: "admin".into(),
                display_name: "admin".into(),
                role: Role::Admin,
                school: None,
            };
            store::users::create(
                &mut conn,
                &Actor::cli(),
                &input,
                &hasher.hash(&password)?,
                true,
            )
            .map_err(store_fail)?;
            // Printed once, to the operator's terminal only; it must be changed at first login.
            println!("created the first account: admin / {password} (change it at first login)");
        }
    }
    let app = Application::build(c.clone(), pool.clone())?;
    crate::housekeeping::spawn(pool.clone(), c.clone());
    crate::webhook::spawn(pool, c.clone());
    // Handlers are in place before the ready line, so a SIGTERM right after it still stops
    // the server gracefully: in-flight requests finish, then the process exits 0.
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let handle = app.handle();
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        tracing::info!("stopping: finishing in-flight requests");
        handle.stop(true).await;
    });
    tracing::info!(
        "xiaoan listening on http://{}",
        display_addr(&c.bind, app.port())
    );
    app.run_until_stopped().await?;
    tracing::info!("xiaoan stopped");
    Ok(())
}

fn display_addr(bind: &str, port: u16) -> String {
    match bind.rsplit_once(':') {
        Some((host, _)) => format!("{host}:{port}"),
        None => bind.to_string(),
    }
}

fn backup(c: &Config, out: &std::path::Path) -> Result<(), Fail> {
    if !c.is_sqlite() {
        return Err(Fail(
            "backup copies the SQLite database; for PostgreSQL use pg_dump".into(),
        ));
    }
    if out.exists() {
        return Err(Fail(format!(
            "{} already exists; choose a new file",
            out.display()
        )));
    }
    // A mistyped --data-dir must not back up a new, empty database.
    let source = c
        .database_url
        .strip_prefix("sqlite://")
        .unwrap_or(&c.database_url);
    if !std::path::Path::new(source).is_file() {
        return Err(Fail(format!(
            "no database at {source}; check --data-dir or --database-url"
        )));
    }
    let mut conn = db::connect(&c.database_url)?;
    let path = out
        .to_str()
        .ok_or_else(|| Fail("the backup path is not valid UTF-8".into()))?;
    use diesel::RunQueryDsl;
    // VACUUM INTO writes a consistent snapshot while other connections keep working.
    diesel::sql_query(format!("VACUUM INTO '{}'", path.replace('\'', "''"))).execute(&mut conn)?;
    println!("backup written to {}", out.display());
    Ok(())
}
