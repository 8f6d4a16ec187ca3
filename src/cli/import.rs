//! `xiaoan school import FILE` and `xiaoan user import FILE`: the same CSV files, checks and
//! all-or-nothing rule as the admin's upload pages.

use std::path::Path;

use super::{Fail, open_or_create};
use crate::auth::password::Hasher;
use crate::auth::token::temporary_password;
use crate::config::Config;
use crate::i18n::Lang;
use crate::store::import::{RowError, parse_schools, parse_users};
use crate::store::{self, Actor, StoreError};

/// Every refused row in one line, as the contract asks of CLI errors.
fn refused(rows: &[RowError]) -> Fail {
    let en = Lang::En.catalog();
    let parts: Vec<String> = rows
        .iter()
        .map(|r| {
            let fields: Vec<String> = r
                .fields
                .iter()
                .map(|f| {
                    let message = en.get(f.message);
                    let message = match &f.arg {
                        Some(arg) => message.replacen("{}", arg, 1),
                        None => message.to_string(),
                    };
                    format!("{}: {message}", f.field)
                })
                .collect();
            format!("line {}: {}", r.line, fields.join(", "))
        })
        .collect();
    Fail(format!("nothing imported; {}", parts.join("; ")))
}

fn read(file: &Path) -> Result<Vec<u8>, Fail> {
    std::fs::read(file).map_err(|e| Fail(format!("cannot read {}: {e}", file.display())))
}

fn store_refused(e: StoreError) -> Fail {
    match e {
        StoreError::ImportRefused(rows) => refused(&rows),
        other => Fail(other.to_string()),
    }
}

pub fn schools(c: &Config, file: &Path) -> Result<(), Fail> {
    let parsed = parse_schools(&read(file)?).map_err(|e| refused(&e))?;
    let (pool, created) = open_or_create(c)?;
    let n = created.guard(pool, |pool| {
        store::schools::import(&mut *pool.get()?, &Actor::cli(), &parsed).map_err(store_refused)
    })?;
    println!("{n} schools imported");
    Ok(())
}

/// Prints each new user's temporary password (to be changed at first login), tab-separated.
pub fn users(c: &Config, file: &Path) -> Result<(), Fail> {
    let parsed = parse_users(&read(file)?).map_err(|e| refused(&e))?;
    let hasher = Hasher::new(c.argon2)?;
    let mut hashes = Vec::with_capacity(parsed.rows.len());
    let mut issued = Vec::with_capacity(parsed.rows.len());
    if parsed.errors.is_empty() {
        for (_, u) in &parsed.rows {
            let password = temporary_password();
            hashes.push(hasher.hash(&password)?);
            issued.push((u.username.clone(), password));
        }
    }
    let (pool, created) = open_or_create(c)?;
    created.guard(pool, |pool| {
        store::users::import(&mut *pool.get()?, &Actor::cli(), &parsed, &hashes)
            .map_err(store_refused)
    })?;
    for (username, password) in issued {
        println!("{username}\t{password}");
    }
    Ok(())
}
