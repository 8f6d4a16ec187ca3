//! The database layer: one connection type over SQLite and PostgreSQL, the pool, the
//! per-connection settings, migrations and the write-transaction helper.

mod lane;
pub mod schema;
pub mod storage;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Every query in the store takes this connection; the variant is chosen by the URL.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] ConnectionError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("migrations failed: {0}")]
    Migrate(String),
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
}

/// Which backend a URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// How long to wait for PostgreSQL: a server that accepts the connection and never answers
/// must not hang `serve` or a command for ever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// The whole connection set-up, TCP and login (libpq's `connect_timeout`).
    pub connect: Duration,
    /// Any one statement of the app's pooled connections; `None` for no limit. Migrations run
    /// on a connection of their own without it.
    pub statement: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(10),
            statement: Some(Duration::from_secs(30)),
        }
    }
}

/// Connects each backend itself (not by trial, as the derive's `establish` does), so a
/// wrong PostgreSQL password reports PostgreSQL's own error.
#[derive(Clone, Debug)]
pub struct Manager {
    url: String,
    timeouts: Timeouts,
}

impl Manager {
    pub fn new(url: &str, timeouts: Timeouts) -> Manager {
        Manager {
            url: url.to_string(),
            timeouts,
        }
    }
}

/// The URL with libpq's connect timeout and TCP keepalives added unless it sets them itself.
pub fn pg_url_with_timeouts(url: &str, connect: Duration) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    let present: Vec<String> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
    let secs = connect.as_secs().max(1).to_string();
    let wanted = [
        ("connect_timeout", secs.as_str()),
        ("keepalives", "1"),
        ("keepalives_idle", "30"),
    ];
    {
        let mut q = parsed.query_pairs_mut();
        for (k, v) in wanted {
            if !present.iter().any(|p| p == k) {
                q.append_pair(k, v);
            }
        }
    }
    parsed.to_string()
}

/// A connection with the default connect timeout and no statement limit (commands, migrations).
pub fn connect(url: &str) -> Result<DbConn, ConnectionError> {
    connect_with(
        url,
        Timeouts {
            statement: None,
            ..Timeouts::default()
        },
    )
}

pub fn connect_with(url: &str, timeouts: Timeouts) -> Result<DbConn, ConnectionError> {
    match Backend::of_url(url) {
        Backend::Postgres => {
            let mut conn = PgConnection::establish(&pg_url_with_timeouts(url, timeouts.connect))?;
            if let Some(limit) = timeouts.statement {
                conn.batch_execute(&format!("SET statement_timeout = {}", limit.as_millis()))
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
            }
            Ok(DbConn::Pg(conn))
        }
        Backend::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let mut conn = SqliteConnection::establish(path)?;
            // WAL lets readers run beside the one writer; FULL survives power loss. The busy
            // timeout comes first: switching a new file to WAL takes a lock that the pool's other
            // connections, opening at the same moment, must wait for rather than fail on. Temp
            // storage in memory: every store call is a savepoint, whose sub-journal otherwise
            // goes through a temporary file, a write call per page it changes.
            conn.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA temp_store = MEMORY;",
            )
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConn, ConnectionError> {
        connect_with(&self.url, self.timeouts)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    /// A connection handed back mid-transaction (a panicked task) would hold SQLite's write
    /// lock forever: drop it instead of reusing it.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        let depth = match conn {
            DbConn::Sqlite(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
            DbConn::Pg(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
        };
        !matches!(depth, Ok(None))
    }
}

/// Creates the directory of a SQLite file (the data dir) on first use.
pub fn ensure_sqlite_dir(url: &str) -> Result<(), DbError> {
    if Backend::of_url(url) == Backend::Sqlite {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| DbError::DataDir(dir.display().to_string(), e))?;
        }
    }
    Ok(())
}

/// Opens the pool, checking one connection first so a bad URL or password fails loudly.
pub fn open_pool(url: &str, max_size: u32, timeouts: Timeouts) -> Result<Pool, DbError> {
    ensure_sqlite_dir(url)?;
    let mut first = connect_with(
        url,
        Timeouts {
            statement: None,
            ..timeouts
        },
    )?;
    run_migrations(&mut first)?;
    drop(first);
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(timeouts.connect + Duration::from_secs(5))
        .build(Manager::new(url, timeouts))?;
    Ok(pool)
}

/// Whether the SQLite file of `url` exists (PostgreSQL: always, the server decides). Commands
/// that read a database refuse a missing one rather than create it empty.
pub fn exists(url: &str) -> bool {
    match Backend::of_url(url) {
        Backend::Postgres => true,
        Backend::Sqlite => std::path::Path::new(sqlite_path(url)).is_file(),
    }
}

pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

pub fn run_migrations(conn: &mut DbConn) -> Result<usize, DbError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConn::Pg(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied.map_err(|e| DbError::Migrate(e.to_string()))
}

/// Applies only the migrations whose folder names sort before `before` (such as
/// `2026-12-02-000008`): the schema an earlier release left, for the test that upgrades one.
pub fn migrate_before(conn: &mut DbConn, before: &str) -> Result<usize, DbError> {
    fn run<C, DB>(
        c: &mut C,
        source: fn() -> EmbeddedMigrations,
        before: &str,
    ) -> Result<usize, DbError>
    where
        C: MigrationHarness<DB>,
        DB: diesel::backend::Backend,
    {
        let fail = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migrate(e.to_string());
        let mut applied = 0;
        loop {
            let pending = c.pending_migrations(source()).map_err(fail)?;
            let Some(next) = pending
                .first()
                .filter(|m| m.name().to_string().as_str() < before)
            else {
                return Ok(applied);
            };
            c.run_migration(next.as_ref()).map_err(fail)?;
            applied += 1;
        }
    }
    match conn {
        DbConn::Sqlite(c) => run(c, || SQLITE_MIGRATIONS, before),
        DbConn::Pg(c) => run(c, || POSTGRES_MIGRATIONS, before),
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Runs `f` in one write transaction. On SQLite it begins with `BEGIN IMMEDIATE`, taking the
/// write lock up front so two writers never deadlock upgrading a read lock, after waiting its
/// turn in the process's writer lane (`lane`): writers go in the order they came.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Pg(_) => conn.transaction(f),
        DbConn::Sqlite(inner) => {
            let nested = AnsiTransactionManager::transaction_manager_status_mut(inner)
                .transaction_depth()?
                .is_some();
            if nested {
                // Already inside a write transaction: a savepoint.
                return conn.transaction(f);
            }
            // Held until the transaction has ended, whichever way.
            let _turn = lane::writer_turn();
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    commit_sqlite(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    rollback_sqlite(conn)?;
                    Err(e)
                }
            }
        }
    }
}

/// Runs several reads against one snapshot of the database, so no write lands between them
/// (rows read, then their events, must agree). SQLite: a deferred transaction, whose snapshot is
/// fixed at its first read. PostgreSQL: REPEATABLE READ, read only.
pub fn read_snapshot<T, F>(conn: &mut DbConn, f: F) -> QueryResult<T>
where
    F: FnOnce(&mut DbConn) -> QueryResult<T>,
{
    let nested = match conn {
        DbConn::Pg(pg) => AnsiTransactionManager::transaction_manager_status_mut(pg),
        DbConn::Sqlite(lite) => AnsiTransactionManager::transaction_manager_status_mut(lite),
    }
    .transaction_depth()?
    .is_some();
    if nested {
        // Inside a transaction already: its isolation is the caller's to choose.
        return f(conn);
    }
    conn.transaction(|conn| {
        if let DbConn::Pg(pg) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(pg)?;
        }
        f(conn)
    })
}

fn commit_sqlite(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(inner) => AnsiTransactionManager::commit_transaction(inner),
        DbConn::Pg(inner) => AnsiTransactionManager::commit_transaction(inner),
    }
}

fn rollback_sqlite(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(inner) => AnsiTransactionManager::rollback_transaction(inner),
        DbConn::Pg(inner) => AnsiTransactionManager::rollback_transaction(inner),
    }
}

/// The column names of every table, for the test that both migration sets agree.
pub fn table_columns(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    #[derive(QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        c: String,
    }
    let sql = match conn.backend() {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
             ORDER BY t, c"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
             ORDER BY t, c"
        }
    };
    let cols: Vec<Col> = diesel::sql_query(sql).load(conn)?;
    Ok(cols.into_iter().map(|c| (c.t, c.c)).collect())
}
