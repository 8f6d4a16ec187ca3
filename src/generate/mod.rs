//! `xiaoan generate`: a county or a province of invented schools and every module's records,
//! for load tests and benchmarks. Everything goes through the store's own functions and the
//! forms' checks, as the demo does (events, notifications, search entries and all), with dates
//! spread over the past years and none in the future; the same seed makes the same database.

mod cases;
mod records;

use chrono::{Duration, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::password::Hasher;
use crate::db::{DbConn, write_tx};
use crate::domain::role::Role;
use crate::domain::school::{SchoolInput, SchoolKind};
use crate::domain::time;
use crate::domain::user::UserInput;
use crate::store::models::User;
use crate::store::{Actor, By, StoreError, schools, users};

/// What to make.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub schools: usize,
    pub years: u32,
    pub seed: u64,
}

/// What was made.
#[derive(Debug, Default)]
pub struct Made {
    pub schools: usize,
    pub users: usize,
    pub hazards: usize,
    pub steps: usize,
    pub buildings: usize,
    pub sessions: usize,
    pub guards: usize,
    pub legal_vps: usize,
    pub cases: usize,
    /// Semesters with a bullying screening and a prevention session.
    pub screenings: usize,
    pub campaigns: usize,
    pub campaign_marks: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("the database already holds schools or users; generate fills an empty one only")]
    NotEmpty,
    #[error("nothing to make: --schools and --years must be at least 1")]
    Nothing,
    /// A store error; the fields of a refused input are named (a generator's defect).
    #[error("{}", described(.0))]
    Store(#[from] StoreError),
    #[error("{0}")]
    Hash(#[from] crate::auth::password::HashError),
    #[error("could not store the generated photos: {0}")]
    Photo(String),
    #[error("generated {0} refused by its form: {1:?}")]
    Refused(&'static str, Vec<&'static str>),
}

fn described(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(fields) => {
            let named: Vec<_> = fields.iter().map(|f| (f.field, f.message)).collect();
            format!("invalid input: {named:?}")
        }
        e => e.to_string(),
    }
}

impl From<diesel::result::Error> for GenerateError {
    fn from(e: diesel::result::Error) -> GenerateError {
        GenerateError::Store(StoreError::Db(e))
    }
}

/// Every generated account signs in with this password.
pub const PASSWORD: &str = "xiaoan-generated";
/// About this many schools share a township (a county of 300 has 18, a province ~1,500).
const SCHOOLS_PER_TOWNSHIP: usize = 17;
const FIRST: [&str; 15] = [
    "辰", "溪", "麻", "阳", "沅", "陵", "泸", "黔", "芷", "江", "会", "同", "靖", "通", "洪",
];
const SECOND: [&str; 15] = [
    "山", "水", "田", "林", "桥", "口", "坪", "岭", "塘", "冲", "湾", "溪", "市", "坊", "铺",
];

fn township_name(k: usize) -> String {
    let n = FIRST.len() * SECOND.len();
    let round = if k >= n {
        (k / n).to_string()
    } else {
        String::new()
    };
    let kind = if k % 4 == 3 { "乡" } else { "镇" };
    format!(
        "{}{}{round}{kind}",
        FIRST[k % FIRST.len()],
        SECOND[(k / FIRST.len()) % SECOND.len()]
    )
}

fn school_kind(rng: &mut StdRng) -> (SchoolKind, &'static str, i32) {
    match rng.gen_range(0..10) {
        0..=3 => (SchoolKind::Primary, "小学", 600),
        4..=5 => (SchoolKind::Kindergarten, "幼儿园", 200),
        6..=7 => (SchoolKind::Junior, "中学", 900),
        8 => (SchoolKind::NineYear, "学校", 1200),
        _ => (SchoolKind::CompleteSecondary, "高级中学", 2000),
    }
}

/// A school's people as the records name them.
pub(crate) struct School {
    pub id: i64,
    pub code: String,
    pub pupils: i32,
    pub officer: User,
    pub staff: User,
}

impl School {
    fn by(u: &User, at: NaiveDateTime) -> By {
        By {
            actor: u.event_actor(),
            who: u.actor(),
            at,
        }
    }
}

/// Fills an empty database; `progress` hears (schools done, schools in all) as it goes.
pub fn generate(
    conn: &mut DbConn,
    hasher: &Hasher,
    uploads: &std::path::Path,
    plan: Plan,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Made, GenerateError> {
    if plan.schools == 0 || plan.years == 0 {
        return Err(GenerateError::Nothing);
    }
    if !crate::demo::is_empty(conn)? {
        return Err(GenerateError::NotEmpty);
    }
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let now = time::now();
    let start = now - Duration::days(365 * i64::from(plan.years));
    let hash = hasher.hash(PASSWORD)?;
    let actor = Actor {
        id: None,
        name: "generate".into(),
    };
    let mut made = Made::default();
    // The county's own accounts.
    write_tx(conn, |conn| {
        for (username, name, role) in [
            ("bureau", "县教育局安全股", Role::Bureau),
            ("viewer", "县教育局领导", Role::Viewer),
            ("admin", "系统管理员", Role::Admin),
        ] {
            let u = UserInput {
                username: username.into(),
                display_name: name.into(),
                role,
                school: None,
            };
            users::create(conn, &actor, &u, &hash, false)?;
        }
        crate::store::settings::set(conn, crate::domain::county::SETTING_NAME, "辰溪县")?;
        crate::store::settings::set(conn, crate::domain::county::SETTING_BUREAU, "辰溪县教育局")?;
        Ok::<_, GenerateError>(())
    })?;
    made.users = 3;
    let bureau = users::find_by_username(conn, "bureau")?.ok_or(StoreError::NotFound)?;
    let campaigns = cases::campaigns(conn, &bureau, (start, now), &mut made)?;
    let mut county = records::County::new(bureau, (start, now), uploads)?;
    let mut registered: Vec<(i64, String)> = Vec::with_capacity(plan.schools);
    for k in 0..plan.schools {
        let school = register(conn, &mut rng, (&actor, &hash), k, start)?;
        made.schools += 1;
        made.users += 2;
        registered.push((school.id, school.code.clone()));
        // One school's years in one transaction: its records and their events commit at once.
        write_tx(conn, |conn| {
            county.school(conn, &mut rng, &school, &mut made)?;
            cases::cases(conn, &mut rng, &school, (start, now), &mut made)?;
            cases::activities(conn, &mut rng, &school, (start, now), &mut made)?;
            cases::marks(conn, &mut rng, &school, &campaigns, now, &mut made)
        })?;
        progress(k + 1, plan.schools);
    }
    write_tx(conn, |conn| {
        county.legal_vps(conn, &mut rng, &registered, &mut made)
    })?;
    // The generated trail lies in the past: no month may be read from a snapshot kept before.
    crate::store::reports::snapshots::clear(conn)?;
    Ok(made)
}

/// The `k`th school, its township, its officer and a member of staff, registered at `at`.
fn register(
    conn: &mut DbConn,
    rng: &mut StdRng,
    (actor, hash): (&Actor, &str),
    k: usize,
    at: NaiveDateTime,
) -> Result<School, GenerateError> {
    let township = township_name(k / SCHOOLS_PER_TOWNSHIP);
    let (kind, word, size) = school_kind(rng);
    let code = format!("GS-{k:05}");
    let place = township.trim_end_matches(['镇', '乡']);
    let s = SchoolInput {
        code: code.clone(),
        name: format!("{place}第{}{word}", k % SCHOOLS_PER_TOWNSHIP + 1),
        township: Some(township.clone()),
        kind,
        pupils: size / 2 + rng.gen_range(0..size),
        boarders: if kind == SchoolKind::Kindergarten {
            0
        } else {
            rng.gen_range(0..size / 3)
        },
        staff: size / 15 + rng.gen_range(5..30),
        principal: records::person(rng),
        phone: format!("0745-{:07}", 5_200_000 + k),
    };
    write_tx(conn, |conn| {
        let id = schools::create_at(conn, actor, &s, at)?;
        for (prefix, role, what) in [
            ("o", Role::SchoolAdmin, "安全专干"),
            ("t", Role::Staff, "教师"),
        ] {
            let u = UserInput {
                username: format!("{prefix}{k:05}"),
                display_name: format!("{}（{}{what}）", records::person(rng), s.name),
                role,
                school: Some(code.clone()),
            };
            users::create(conn, actor, &u, hash, false)?;
        }
        let officer = users::find_by_username(conn, &format!("o{k:05}"))?;
        let staff = users::find_by_username(conn, &format!("t{k:05}"))?;
        match (officer, staff) {
            (Some(officer), Some(staff)) => Ok(School {
                id,
                code: code.clone(),
                pupils: s.pupils,
                officer,
                staff,
            }),
            _ => Err(GenerateError::Store(StoreError::NotFound)),
        }
    })
}

/// A day's instant in the county's working hours (UTC+8 09:00–17:00).
pub(crate) fn working_hours(day: NaiveDateTime, rng: &mut StdRng) -> NaiveDateTime {
    let midnight = day.date().and_hms_opt(1, 0, 0).unwrap_or(day);
    midnight + Duration::minutes(rng.gen_range(0..480))
}
