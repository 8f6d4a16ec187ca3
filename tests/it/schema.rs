//! The two migration sets (SQLite and PostgreSQL) describe the same tables and columns, and
//! the live database of either backend matches the other backend's files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::helpers::*;

type Columns = BTreeSet<(String, String)>;

const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

fn migrations_dir(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
}

/// The migration folders of one backend, in the order they run.
fn migration_folders(backend: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(migrations_dir(backend))
        .expect("read the migrations dir")
        .map(|e| e.expect("dir entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Removes `-- …` comments (outside quoted text).
fn strip_comments(sql: &str) -> String {
    let mut out = String::new();
    for line in sql.lines() {
        let mut quoted = false;
        let mut cut = line.len();
        let bytes = line.as_bytes();
        for i in 0..bytes.len() {
            match bytes[i] {
                b'\'' => quoted = !quoted,
                b'-' if !quoted && bytes.get(i + 1) == Some(&b'-') => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// Splits at `sep` where it is outside parentheses and quotes.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let (mut depth, mut quoted) = (0i32, false);
    let mut parts = vec![String::new()];
    for c in text.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == sep && !quoted && depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().expect("a part").push(c);
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn ident(word: &str) -> String {
    word.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']')
        .to_lowercase()
}

fn words(stmt: &str) -> Vec<String> {
    stmt.split_whitespace().map(str::to_string).collect()
}

fn upper(words: &[String], n: usize) -> Vec<String> {
    words.iter().take(n).map(|w| w.to_uppercase()).collect()
}

const CONSTRAINTS: [&str; 6] = [
    "PRIMARY",
    "UNIQUE",
    "FOREIGN",
    "CHECK",
    "CONSTRAINT",
    "EXCLUDE",
];

/// Applies one statement's effect on tables and columns.
fn apply(stmt: &str, tables: &mut Columns, file: &Path) {
    let w = words(stmt);
    let head = upper(&w, 6);
    let h: Vec<&str> = head.iter().map(String::as_str).collect();
    match h.as_slice() {
        ["CREATE", "TABLE", ..] => {
            let mut i = 2;
            if h.get(2..5) == Some(&["IF", "NOT", "EXISTS"][..]) {
                i = 5;
            }
            let open = stmt
                .find('(')
                .unwrap_or_else(|| panic!("{}: no column list in {stmt}", file.display()));
            let close = stmt.rfind(')').expect("a closing parenthesis");
            let name = ident(w[i].split('(').next().expect("a table name"));
            assert!(
                !tables.iter().any(|(t, _)| *t == name),
                "{}: table {name} created twice",
                file.display()
            );
            for item in split_top(&stmt[open + 1..close], ',') {
                let first = item.split_whitespace().next().expect("a word");
                if CONSTRAINTS.contains(&first.to_uppercase().as_str()) {
                    continue;
                }
                tables.insert((name.clone(), ident(first)));
            }
        }
        ["DROP", "TABLE", ..] => {
            let i = if h.get(2..4) == Some(&["IF", "EXISTS"][..]) {
                4
            } else {
                2
            };
            let name = ident(&w[i]);
            tables.retain(|(t, _)| *t != name);
        }
        ["ALTER", "TABLE", ..] => {
            let name = ident(&w[2]);
            let rest = upper(&w[3..], 3);
            let r: Vec<&str> = rest.iter().map(String::as_str).collect();
            match r.as_slice() {
                ["ADD", "COLUMN", ..] => {
                    tables.insert((name, ident(&w[5])));
                }
                ["ADD", first, ..] if !CONSTRAINTS.contains(first) => {
                    tables.insert((name, ident(&w[4])));
                }
                ["DROP", "COLUMN", ..] => {
                    let col = ident(&w[5]);
                    tables.retain(|(t, c)| !(*t == name && *c == col));
                }
                ["RENAME", "TO", ..] => {
                    let to = ident(&w[5]);
                    let moved: Vec<(String, String)> =
                        tables.iter().filter(|(t, _)| *t == name).cloned().collect();
                    for (t, c) in moved {
                        tables.remove(&(t, c.clone()));
                        tables.insert((to.clone(), c));
                    }
                }
                ["RENAME", "COLUMN", ..] => {
                    let (from, to) = (ident(&w[5]), ident(&w[7]));
                    assert!(
                        tables.remove(&(name.clone(), from)),
                        "{}: renames a missing column",
                        file.display()
                    );
                    tables.insert((name, to));
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Every (table, column) the up.sql files of one backend leave behind, run in order.
fn parse_backend(backend: &str) -> Columns {
    let mut tables = Columns::new();
    for folder in migration_folders(backend) {
        let file = migrations_dir(backend).join(&folder).join("up.sql");
        let sql = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for stmt in split_top(&strip_comments(&sql), ';') {
            apply(&stmt, &mut tables, &file);
        }
    }
    tables.retain(|(t, _)| t != MIGRATIONS_TABLE);
    tables
}

fn table_names(cols: &Columns) -> BTreeSet<&str> {
    cols.iter().map(|(t, _)| t.as_str()).collect()
}

/// What one side has that the other lacks, for a readable failure.
fn difference(left: &Columns, right: &Columns) -> (Vec<String>, Vec<String>) {
    let show = |s: &(String, String)| format!("{}.{}", s.0, s.1);
    (
        left.difference(right).map(show).collect(),
        right.difference(left).map(show).collect(),
    )
}

#[test]
fn the_parser_reads_tables_columns_and_skips_constraints() {
    let mut t = Columns::new();
    let sql = "-- a comment; with a semicolon\nCREATE TABLE IF NOT EXISTS \"a\" (\n id INTEGER PRIMARY KEY,\n \
               n NUMERIC(10, 2) NOT NULL, -- trailing\n b TEXT CHECK (b IN ('x,y', 'z')),\n \
               PRIMARY KEY (id, n),\n CONSTRAINT u UNIQUE (b),\n FOREIGN KEY (n) REFERENCES c(id)\n);\n\
               ALTER TABLE a ADD COLUMN d TEXT; ALTER TABLE a DROP COLUMN b;";
    for stmt in split_top(&strip_comments(sql), ';') {
        apply(&stmt, &mut t, Path::new("test.sql"));
    }
    let got: Vec<String> = t.iter().map(|(a, b)| format!("{a}.{b}")).collect();
    assert_eq!(got, ["a.d", "a.id", "a.n"]);
}

#[test]
fn both_migration_sets_define_the_same_tables_and_columns() {
    let sqlite_folders = migration_folders("sqlite");
    let pg_folders = migration_folders("postgres");
    assert!(!sqlite_folders.is_empty(), "no SQLite migrations found");
    assert_eq!(
        sqlite_folders, pg_folders,
        "the same migration folders for both backends"
    );
    for backend in ["sqlite", "postgres"] {
        for folder in migration_folders(backend) {
            let dir = migrations_dir(backend).join(&folder);
            assert!(
                dir.join("up.sql").is_file(),
                "{} has an up.sql",
                dir.display()
            );
            assert!(
                dir.join("down.sql").is_file(),
                "{} has a down.sql",
                dir.display()
            );
        }
    }

    let sqlite = parse_backend("sqlite");
    let pg = parse_backend("postgres");
    assert!(
        table_names(&sqlite).len() >= 5,
        "the parser found the tables: {sqlite:?}"
    );
    assert!(
        sqlite.contains(&("events".into(), "prev_hash".into())),
        "{sqlite:?}"
    );
    let (only_sqlite, only_pg) = difference(&sqlite, &pg);
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "migrations differ: only in sqlite {only_sqlite:?}; only in postgres {only_pg:?}"
    );
}

#[tokio::test]
async fn the_live_schema_matches_the_migrations() {
    let app = TestApp::spawn().await;
    let live: Columns = xiaoan::db::table_columns(&mut app.conn())
        .expect("table columns")
        .into_iter()
        .map(|(t, c)| (t.to_lowercase(), c.to_lowercase()))
        .filter(|(t, _)| t != MIGRATIONS_TABLE)
        .collect();
    // Compared with the other backend's files: the live schema proves this backend's files
    // ran as parsed, and the other set is what it must agree with.
    let other = if app.is_postgres() {
        "sqlite"
    } else {
        "postgres"
    };
    let expected = parse_backend(other);
    assert!(!live.is_empty(), "the live database has tables");
    let (only_live, only_files) = difference(&live, &expected);
    assert!(
        only_live.is_empty() && only_files.is_empty(),
        "live schema vs {other} migrations: only live {only_live:?}; only in files {only_files:?}"
    );
}
