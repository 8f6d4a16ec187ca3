//! The demo county's safety education, legal vice-principals and campaign: a year of sessions
//! and drills at every school (drowning prevention before the summer at all but two), legal
//! vice-principals from the police, procuratorate, court and justice bureau for most schools,
//! and a "九个一" campaign under way — some schools done, some part way, one item returned and
//! one redone. Every record goes through the store at its own past time.

use chrono::{Datelike, Duration, NaiveDateTime};

use super::DemoError;
use super::hazards::by;
use crate::db::DbConn;
use crate::domain::campaigns::input::{
    CampaignDraft, DoneDraft, ReturnDraft, validate_campaign, validate_done, validate_return,
};
use crate::domain::education::input::{SessionDraft, validate_session};
use crate::domain::legal_vps::{VpDraft, validate};
use crate::domain::time;
use crate::domain::validate::FieldError;
use crate::store::{StoreError, campaigns, education, legal_vps, schools};

fn refused(what: &str, fields: Vec<FieldError>) -> DemoError {
    let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
    DemoError::Store(StoreError::Defect(format!(
        "demo education {what}: refused fields {names:?}"
    )))
}

/// Each school's officer (the demo accounts).
const OFFICERS: [(&str, &str); 12] = [
    ("CX-0101", "yucai.admin"),
    ("CX-0102", "erzhong.admin"),
    ("CX-0103", "kg.admin"),
    ("CX-0104", "zhiye.admin"),
    ("CX-0105", "tejiao.admin"),
    ("CX-0201", "hmc.admin"),
    ("CX-0202", "hmcxiao.admin"),
    ("CX-0301", "houtang.admin"),
    ("CX-0302", "daping.admin"),
    ("CX-0401", "xuefeng.admin"),
    ("CX-0402", "ltzhong.admin"),
    ("CX-0403", "ltyou.admin"),
];

/// (month, kind, topic, note): the county's calendar of sessions and drills.
const CALENDAR: [(u32, &str, &str, &str); 10] = [
    (3, "education", "traffic", "开学第一课：交通安全"),
    (3, "drill", "fire", "消防疏散演练"),
    (4, "education", "sexual_assault", "防性侵专题讲座"),
    (5, "drill", "earthquake", "防震减灾应急疏散演练"),
    (5, "education", "drowning", "防溺水“六不”专题教育"),
    (6, "education", "drowning", "暑假前防溺水家长会"),
    (9, "education", "school_bus", "校车乘车安全教育"),
    (10, "education", "food", "食品安全宣传周"),
    (11, "drill", "fire", "“119”消防宣传月疏散演练"),
    (12, "education", "other", "冬季安全与防一氧化碳中毒教育"),
];

/// Schools that held no drowning-prevention session this year: the overview lists them.
const NO_DROWNING: [&str; 2] = ["CX-0302", "CX-0403"];

pub fn load(conn: &mut DbConn) -> Result<(), DemoError> {
    let now = time::now();
    sessions(conn, now)?;
    vps(conn, now)?;
    campaign(conn, now)
}

/// The last twelve months' sessions, each on its day of the month, none in the future.
fn sessions(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DemoError> {
    let today = time::local_date(now);
    for (n, (code, officer)) in OFFICERS.iter().enumerate() {
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        for (i, (month, kind, topic, note)) in CALENDAR.iter().enumerate() {
            if *topic == "drowning" && NO_DROWNING.contains(code) {
                continue;
            }
            // This year's months up to now, last year's after it.
            let year = if *month <= today.month() {
                today.year()
            } else {
                today.year() - 1
            };
            let day = 3 + (n as u32 * 2 + i as u32) % 24;
            let Some(held_on) = chrono::NaiveDate::from_ymd_opt(year, *month, day) else {
                continue;
            };
            if held_on > today {
                continue;
            }
            let participants = (school.pupils.max(20) * (60 + (i as i32 * 7) % 40) / 100).max(12);
            let d = SessionDraft {
                kind: (*kind).into(),
                topic: (*topic).into(),
                held_on: held_on.to_string(),
                participants: participants.to_string(),
                note: (*note).into(),
            };
            let s = validate_session(&d, today).map_err(|f| refused("session", f))?;
            // Recorded the afternoon it was held (09:00 UTC is 17:00 in the county).
            let when = held_on.and_hms_opt(9, 0, 0).unwrap_or(now);
            let who = by(conn, officer, when.min(now))?;
            education::record(conn, &who, school.id, &s, None)?;
        }
    }
    Ok(())
}

/// (name, unit kind, unit, days ago appointed, term ends in days (None: open), schools)
type DemoVp = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    &'static [&'static str],
);

const VPS: [DemoVp; 7] = [
    (
        "舒建军",
        "police",
        "辰溪县公安局城郊派出所",
        400,
        None,
        &["CX-0101", "CX-0103"],
    ),
    (
        "米红梅",
        "procuratorate",
        "辰溪县人民检察院未检科",
        380,
        None,
        &["CX-0102", "CX-0104"],
    ),
    (
        "向东平",
        "court",
        "辰溪县人民法院少年庭",
        360,
        None,
        &["CX-0105"],
    ),
    (
        "谢国庆",
        "justice",
        "辰溪县司法局火马冲司法所",
        300,
        Some(400),
        &["CX-0201", "CX-0202"],
    ),
    (
        "蒲小勇",
        "police",
        "辰溪县公安局后塘派出所",
        280,
        None,
        &["CX-0301"],
    ),
    (
        "唐立志",
        "police",
        "辰溪县公安局龙头庵派出所",
        250,
        None,
        &["CX-0401", "CX-0402"],
    ),
    (
        "瞿德明",
        "justice",
        "辰溪县司法局龙头庵司法所",
        700,
        Some(-20),
        &["CX-0403"],
    ),
];

fn vps(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DemoError> {
    for (name, kind, unit, ago, ends, served) in VPS {
        let when = now - Duration::days(ago);
        let d = VpDraft {
            name: name.into(),
            unit_kind: kind.into(),
            unit_name: unit.into(),
            appointed_on: time::local_date(when).to_string(),
            term_ends_on: ends
                .map(|e| time::local_date(now + Duration::days(e)).to_string())
                .unwrap_or_default(),
            version: String::new(),
            schools: served.iter().map(|s| s.to_string()).collect(),
        };
        let v = validate(&d, time::local_date(when)).map_err(|f| refused("vp", f))?;
        let who = by(conn, "bureau", when)?;
        legal_vps::create(conn, &who, &v)?;
    }
    Ok(())
}

const NINE: [&str; 9] = [
    "召开一次安全工作专题会议",
    "开展一次校园安全隐患大排查",
    "上好一堂安全教育课",
    "组织一次应急疏散演练",
    "发放一封致家长的安全告知书",
    "开展一次防溺水家访",
    "落实一次校园周边环境整治",
    "排查一次学生欺凌线索",
    "完善一套安全管理台账",
];

/// The campaign, two months in, a month to go: how many items each school has done.
const DONE: [(&str, &str, usize); 8] = [
    ("CX-0101", "yucai.admin", 9),
    ("CX-0102", "erzhong.admin", 9),
    ("CX-0103", "kg.admin", 7),
    ("CX-0104", "zhiye.admin", 5),
    ("CX-0201", "hmc.admin", 9),
    ("CX-0202", "hmcxiao.admin", 3),
    ("CX-0301", "houtang.admin", 6),
    ("CX-0401", "xuefeng.admin", 8),
];

fn campaign(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DemoError> {
    let start = now - Duration::days(60);
    let d = CampaignDraft {
        name: "校园安全“九个一”专项行动".into(),
        starts_on: time::local_date(start).to_string(),
        ends_on: time::local_date(now + Duration::days(30)).to_string(),
        items: NINE.join("\n"),
    };
    let c = validate_campaign(&d).map_err(|f| refused("campaign", f))?;
    let bureau = by(conn, "bureau", start)?;
    let id = campaigns::create(conn, &bureau, &c)?;
    let items = campaigns::items(conn, id)?;
    for (n, (code, officer, done)) in DONE.iter().enumerate() {
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        for (i, item) in items.iter().take(*done).enumerate() {
            let when = start + Duration::days(3 + (i as i64) * 5 + n as i64);
            let today = time::local_date(when);
            let m = validate_done(
                &DoneDraft {
                    done_on: today.to_string(),
                    note: format!("已完成：{}", item.title),
                },
                c.starts_on,
                today,
            )
            .map_err(|f| refused("done", f))?;
            let who = by(conn, officer, when)?;
            campaigns::mark_done(conn, &who, (id, item.id, school.id), &m, None, today)?;
        }
    }
    // The bureau returns two items; one school redoes its item, the other has not yet.
    for (code, officer, item, redo) in [
        ("CX-0104", "zhiye.admin", 1, true),
        ("CX-0202", "hmcxiao.admin", 2, false),
    ] {
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        let Some(item) = items.get(item) else {
            continue;
        };
        let comment = validate_return(&ReturnDraft {
            school: code.into(),
            comment: "排查记录不完整，请补充隐患清单和整改照片。".into(),
        })
        .map_err(|f| refused("return", f))?;
        let who = by(conn, "bureau", now - Duration::days(10))?;
        campaigns::return_item(conn, &who, (id, item.id, school.id), &comment)?;
        if redo {
            let when = now - Duration::days(5);
            let today = time::local_date(when);
            let m = validate_done(
                &DoneDraft {
                    done_on: today.to_string(),
                    note: "已补充隐患清单和整改照片。".into(),
                },
                c.starts_on,
                today,
            )
            .map_err(|f| refused("redo", f))?;
            let who = by(conn, officer, when)?;
            campaigns::mark_done(conn, &who, (id, item.id, school.id), &m, None, today)?;
        }
    }
    Ok(())
}
