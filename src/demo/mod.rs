//! The demo county: invented people in real-sounding places (the townships and schools of
//! the bureau's 2022 summary), one account of every role, and records in every module.

mod buildings;
mod bullying;
mod education;
pub(crate) mod hazards;
mod security;

use crate::auth::password::Hasher;
use crate::db::{DbConn, write_tx};
use crate::domain::role::Role;
use crate::domain::school::{SchoolInput, SchoolKind};
use crate::domain::user::UserInput;
use crate::store::{Actor, StoreError, StoreResult, schools, users};

/// Every demo account signs in with this password (README lists the accounts).
pub const DEMO_PASSWORD: &str = "xiaoan-demo-2026";

/// (code, name, township, kind, pupils, boarders, staff, principal)
type DemoSchool = (
    &'static str,
    &'static str,
    &'static str,
    SchoolKind,
    i32,
    i32,
    i32,
    &'static str,
);

const SCHOOLS: [DemoSchool; 12] = [
    (
        "CX-0101",
        "城南育才学校",
        "辰阳镇",
        SchoolKind::NineYear,
        3500,
        800,
        196,
        "陈立新",
    ),
    (
        "CX-0102",
        "辰溪县第二中学",
        "辰阳镇",
        SchoolKind::CompleteSecondary,
        2600,
        1400,
        180,
        "周文斌",
    ),
    (
        "CX-0103",
        "城南中心幼儿园",
        "辰阳镇",
        SchoolKind::Kindergarten,
        420,
        0,
        38,
        "杨晓梅",
    ),
    (
        "CX-0104",
        "辰溪县中等职业学校",
        "辰阳镇",
        SchoolKind::Vocational,
        2084,
        1600,
        188,
        "吴建华",
    ),
    (
        "CX-0105",
        "辰溪县特殊教育学校",
        "辰阳镇",
        SchoolKind::Special,
        86,
        40,
        22,
        "彭玉兰",
    ),
    (
        "CX-0201",
        "火马冲镇学校",
        "火马冲镇",
        SchoolKind::NineYear,
        1100,
        300,
        70,
        "舒国平",
    ),
    (
        "CX-0202",
        "火马冲镇中心小学",
        "火马冲镇",
        SchoolKind::Primary,
        640,
        120,
        38,
        "米红霞",
    ),
    (
        "CX-0301",
        "后塘瑶族乡学校",
        "后塘瑶族乡",
        SchoolKind::NineYear,
        520,
        380,
        45,
        "蒲志强",
    ),
    (
        "CX-0302",
        "后塘瑶族乡大坪教学点",
        "后塘瑶族乡",
        SchoolKind::TeachingPoint,
        18,
        0,
        2,
        "向永清",
    ),
    (
        "CX-0401",
        "龙头庵乡雪峰小学",
        "龙头庵乡",
        SchoolKind::Primary,
        95,
        20,
        9,
        "谢春生",
    ),
    (
        "CX-0402",
        "龙头庵乡中学",
        "龙头庵乡",
        SchoolKind::Junior,
        480,
        300,
        40,
        "唐海波",
    ),
    (
        "CX-0403",
        "龙头庵乡中心幼儿园",
        "龙头庵乡",
        SchoolKind::Kindergarten,
        150,
        0,
        14,
        "瞿丽君",
    ),
];

/// (username, display name, role, school code)
pub const ACCOUNTS: [(&str, &str, Role, Option<&str>); 17] = [
    ("admin", "系统管理员", Role::Admin, None),
    ("bureau", "王建国（局安全股）", Role::Bureau, None),
    ("viewer", "刘芳（督导室）", Role::Viewer, None),
    (
        "yucai.admin",
        "李明（育才学校安全专干）",
        Role::SchoolAdmin,
        Some("CX-0101"),
    ),
    (
        "yucai.teacher",
        "张丽（育才学校教师）",
        Role::Staff,
        Some("CX-0101"),
    ),
    (
        "hmc.admin",
        "舒晓东（火马冲镇学校安全专干）",
        Role::SchoolAdmin,
        Some("CX-0201"),
    ),
    (
        "hmc.teacher",
        "田雨（火马冲镇学校教师）",
        Role::Staff,
        Some("CX-0201"),
    ),
    (
        "erzhong.admin",
        "向东（县二中安全专干）",
        Role::SchoolAdmin,
        Some("CX-0102"),
    ),
    (
        "xuefeng.admin",
        "谢文（雪峰小学校长）",
        Role::SchoolAdmin,
        Some("CX-0401"),
    ),
    // Every other school's safety officer, who keeps its guards and alarm tests.
    (
        "kg.admin",
        "杨丽（城南中心幼儿园安全专干）",
        Role::SchoolAdmin,
        Some("CX-0103"),
    ),
    (
        "zhiye.admin",
        "吴斌（县中职学校安全专干）",
        Role::SchoolAdmin,
        Some("CX-0104"),
    ),
    (
        "tejiao.admin",
        "彭静（特殊教育学校安全专干）",
        Role::SchoolAdmin,
        Some("CX-0105"),
    ),
    (
        "hmcxiao.admin",
        "米兰（火马冲镇中心小学安全专干）",
        Role::SchoolAdmin,
        Some("CX-0202"),
    ),
    (
        "houtang.admin",
        "蒲军（后塘瑶族乡学校安全专干）",
        Role::SchoolAdmin,
        Some("CX-0301"),
    ),
    (
        "daping.admin",
        "向清（大坪教学点负责人）",
        Role::SchoolAdmin,
        Some("CX-0302"),
    ),
    (
        "ltzhong.admin",
        "唐波（龙头庵乡中学安全专干）",
        Role::SchoolAdmin,
        Some("CX-0402"),
    ),
    (
        "ltyou.admin",
        "瞿君（龙头庵乡中心幼儿园安全专干）",
        Role::SchoolAdmin,
        Some("CX-0403"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already holds schools or users; the demo loads into an empty database only"
    )]
    NotEmpty,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Hash(#[from] crate::auth::password::HashError),
}

/// The demo county (its townships and schools are in the bureau's 2022 summary).
pub const COUNTY: &str = "辰溪县";
pub const BUREAU: &str = "辰溪县教育局";

pub fn is_empty(conn: &mut DbConn) -> StoreResult<bool> {
    Ok(users::count(conn)? == 0 && schools::list(conn, true)?.is_empty())
}

/// Loads the demo county in one transaction; photos go under `uploads`.
pub fn load(
    conn: &mut DbConn,
    hasher: &Hasher,
    uploads: &std::path::Path,
) -> Result<(), DemoError> {
    if !is_empty(conn)? {
        return Err(DemoError::NotEmpty);
    }
    let hash = hasher.hash(DEMO_PASSWORD)?;
    let actor = Actor {
        id: None,
        name: "demo".into(),
    };
    // The registry predates every record the demo holds: its months count the schools.
    let registered = crate::domain::time::now() - chrono::Duration::days(3 * 365);
    write_tx(conn, |conn| {
        for (code, name, township, kind, pupils, boarders, staff, principal) in SCHOOLS {
            let s = SchoolInput {
                code: code.into(),
                name: name.into(),
                township: Some(township.into()),
                kind,
                pupils,
                boarders,
                staff,
                principal: principal.into(),
                phone: format!("0745-52{}", &code[3..]),
            };
            schools::create_at(conn, &actor, &s, registered)?;
        }
        for (username, display_name, role, school) in ACCOUNTS {
            let u = UserInput {
                username: username.into(),
                display_name: display_name.into(),
                role,
                school: school.map(str::to_string),
            };
            users::create(conn, &actor, &u, &hash, false)?;
        }
        crate::store::settings::set(conn, crate::domain::county::SETTING_NAME, COUNTY)?;
        crate::store::settings::set(conn, crate::domain::county::SETTING_BUREAU, BUREAU)?;
        hazards::load(conn, uploads)?;
        buildings::load(conn, uploads)?;
        security::load(conn)?;
        bullying::load(conn)?;
        education::load(conn)?;
        // The demo's trail lies in the past: no month may be read from a snapshot kept before.
        crate::store::reports::snapshots::clear(conn)?;
        Ok::<_, DemoError>(())
    })
}

impl From<diesel::result::Error> for DemoError {
    fn from(e: diesel::result::Error) -> DemoError {
        DemoError::Store(StoreError::Db(e))
    }
}
