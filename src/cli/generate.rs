//! `xiaoan generate --schools N --years Y [--seed S]`: fills an empty database with invented
//! records (see `crate::generate`), drawing a progress bar on a terminal.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use super::{Fail, open_or_create};
use crate::auth::password::Hasher;
use crate::config::Config;
use crate::generate::{self, Plan};

pub fn run(c: &Config, plan: Plan) -> Result<(), Fail> {
    let hasher = Hasher::new(c.argon2)?;
    let (pool, created) = open_or_create(c)?;
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let mut shown = 0;
    let mut progress = |done: usize, all: usize| {
        let tenth = done * 10 / all.max(1);
        if terminal {
            let filled = done * 30 / all.max(1);
            eprint!(
                "\r[{}{}] {done}/{all} schools, {:.0} s",
                "#".repeat(filled),
                "-".repeat(30 - filled),
                started.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
        } else if tenth > shown {
            shown = tenth;
            eprintln!(
                "{done}/{all} schools, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    };
    let made = created.guard(pool, |pool| {
        let mut conn = pool.get()?;
        Ok(generate::generate(
            &mut conn,
            &hasher,
            &c.uploads_dir(),
            plan,
            &mut progress,
        )?)
    })?;
    if terminal {
        eprintln!();
    }
    println!(
        "generated in {:.1} s: {} schools, {} users, {} hazards ({} workflow steps), {} buildings, \
         {} education sessions, {} guards, {} legal vice-principals, {} bullying cases, {} \
         semesters of screenings and prevention sessions, {} campaigns ({} items done); every \
         account's password is {}",
        started.elapsed().as_secs_f64(),
        made.schools,
        made.users,
        made.hazards,
        made.steps,
        made.buildings,
        made.sessions,
        made.guards,
        made.legal_vps,
        made.cases,
        made.screenings,
        made.campaigns,
        made.campaign_marks,
        generate::PASSWORD
    );
    Ok(())
}
