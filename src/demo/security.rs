//! The demo county's security staffing: every school's guards, profile and monthly alarm tests
//! over the past eight months, at different levels of compliance — schools meeting all four,
//! too few full-time guards, a missing gate post, a verification that has lapsed, an alarm test
//! that failed and one overdue — each step driven through the real store and rules at its own
//! past time, so the trail, the notices and the monthly reports are what the app would hold.

use chrono::Duration;

use super::DemoError;
use super::hazards::by;
use crate::db::DbConn;
use crate::domain::security::Item;
use crate::domain::security::input::{
    AlarmTestDraft, GuardDraft, ProfileDraft, validate_alarm_test, validate_guard, validate_leave,
    validate_profile,
};
use crate::domain::time;
use crate::domain::validate::FieldError;
use crate::store::security;
use crate::store::{StoreError, schools};

/// When the county began keeping the register: guards hired before were entered that day.
const REGISTER_BEGAN: i64 = 240;

const EMPLOYERS: [&str; 3] = [
    "辰溪县保安服务有限公司",
    "怀化市振安保安服务有限公司",
    "湖南中安保安服务有限公司辰溪分公司",
];

/// (name, birth year, employer, full-time, hired days ago, insured, trained days ago)
type DemoGuard = (&'static str, i32, usize, bool, i64, bool, Option<i64>);

/// One school's security: its guards (a guard with licence `None` has none yet), the guards who
/// left (index, days ago), the profile's recordings (days ago, the four provisions, by the
/// bureau), the alarm tests' last day and whether it keeps them up monthly, and a gap the
/// bureau raised as a hazard (item, days ago).
struct DemoSchool {
    code: &'static str,
    keeper: &'static str,
    guards: &'static [(DemoGuard, bool)],
    left: &'static [(usize, i64)],
    profiles: &'static [(i64, [bool; 4], bool)],
    last_test: i64,
    failed_test: Option<i64>,
    gap: Option<(Item, i64)>,
}

const ALL: [bool; 4] = [true, true, true, true];

/// A guard with a licence.
const fn g(name: &'static str, born: i32, employer: usize, hired: i64) -> (DemoGuard, bool) {
    ((name, born, employer, true, hired, true, Some(60)), true)
}

const SCHOOLS: [DemoSchool; 12] = [
    DemoSchool {
        code: "CX-0101",
        keeper: "yucai.admin",
        guards: &[
            g("向国庆", 1972, 0, 1500),
            g("米建军", 1980, 0, 1300),
            g("舒长青", 1985, 0, 1200),
            g("张卫东", 1976, 0, 1100),
            g("谭志刚", 1988, 0, 900),
            g("李小勇", 1990, 0, 700),
            g("覃德明", 1964, 0, 2000),
            g("滕学文", 1983, 0, 400),
        ],
        left: &[],
        profiles: &[(230, ALL, false), (40, ALL, true)],
        last_test: 6,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0102",
        keeper: "erzhong.admin",
        guards: &[
            g("杨保平", 1975, 1, 1600),
            g("陈光荣", 1979, 1, 1400),
            g("刘志远", 1982, 1, 1000),
            g("吴海军", 1986, 1, 800),
            (("丁永红", 1984, 1, true, 300, false, Some(200)), true),
            (("彭春林", 1970, 1, false, 500, true, Some(90)), true),
        ],
        left: &[],
        profiles: &[(230, ALL, false), (70, ALL, false)],
        last_test: 12,
        failed_test: Some(75),
        gap: None,
    },
    DemoSchool {
        code: "CX-0103",
        keeper: "kg.admin",
        guards: &[g("黄桂英", 1978, 0, 1000), g("伍红梅", 1981, 0, 600)],
        left: &[],
        profiles: &[(230, ALL, false), (30, ALL, false)],
        last_test: 9,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0104",
        keeper: "zhiye.admin",
        guards: &[
            g("邓建华", 1974, 2, 1800),
            g("石方明", 1977, 2, 1500),
            g("瞿云飞", 1983, 2, 1200),
            g("龙再兴", 1987, 2, 1000),
            g("向红军", 1968, 2, 1700),
            g("姚金平", 1991, 2, 95),
        ],
        left: &[(4, 100)],
        profiles: &[(230, ALL, false), (50, ALL, true)],
        last_test: 15,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0105",
        keeper: "tejiao.admin",
        guards: &[(("曾庆华", 1973, 0, true, 1100, true, None), true)],
        left: &[],
        profiles: &[(230, ALL, false), (90, ALL, false)],
        last_test: 20,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0201",
        keeper: "hmc.admin",
        guards: &[
            g("舒明亮", 1979, 1, 1300),
            g("田承忠", 1984, 1, 1000),
            g("米振华", 1989, 1, 500),
        ],
        left: &[],
        profiles: &[(230, ALL, false), (20, ALL, false)],
        last_test: 4,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0202",
        keeper: "hmcxiao.admin",
        guards: &[g("龚德胜", 1971, 1, 900)],
        left: &[],
        profiles: &[
            (230, [true, true, true, false], false),
            (35, [true, true, true, false], true),
        ],
        last_test: 18,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0301",
        keeper: "houtang.admin",
        guards: &[
            g("蒲正清", 1976, 2, 1200),
            (("盘石林", 1993, 2, true, 150, true, Some(120)), false),
        ],
        left: &[],
        profiles: &[(230, ALL, false), (110, ALL, true)],
        last_test: 25,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0302",
        keeper: "daping.admin",
        guards: &[],
        left: &[],
        profiles: &[(60, [false, true, false, false], true)],
        last_test: 45,
        failed_test: None,
        gap: Some((Item::Guards, 10)),
    },
    DemoSchool {
        code: "CX-0401",
        keeper: "xuefeng.admin",
        guards: &[g("谢永福", 1969, 0, 1400)],
        left: &[],
        profiles: &[(230, ALL, false), (15, ALL, true)],
        last_test: 8,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0402",
        keeper: "ltzhong.admin",
        guards: &[g("唐国栋", 1975, 0, 1000), g("瞿志勇", 1982, 0, 800)],
        left: &[],
        profiles: &[(200, ALL, true)],
        last_test: 11,
        failed_test: None,
        gap: None,
    },
    DemoSchool {
        code: "CX-0403",
        keeper: "ltyou.admin",
        guards: &[(("瞿桂兰", 1966, 0, false, 700, true, Some(100)), true)],
        left: &[],
        profiles: &[
            (230, [true, true, false, true], false),
            (80, [true, true, false, true], false),
        ],
        last_test: 14,
        failed_test: None,
        gap: None,
    },
];

/// One step of a school's demo history.
enum Step {
    Guard(usize),
    Left(usize),
    Profile([bool; 4], bool),
    Test(bool),
    Gap(Item),
}

/// A demo record the domain refused: the demo's own data is wrong.
fn refused(what: &str, fields: Vec<FieldError>) -> DemoError {
    let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
    DemoError::Store(StoreError::Defect(format!(
        "demo security {what}: refused fields {names:?}"
    )))
}

fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.into()
}

pub fn load(conn: &mut DbConn) -> Result<(), DemoError> {
    let now = time::now();
    let mut licence = 0;
    for s in &SCHOOLS {
        let school = schools::find_by_code(conn, s.code)?.ok_or(StoreError::NotFound)?;
        let mut steps: Vec<(i64, Step)> = Vec::new();
        for (i, ((_, _, _, _, hired, _, _), _)) in s.guards.iter().enumerate() {
            steps.push(((*hired).min(REGISTER_BEGAN), Step::Guard(i)));
        }
        steps.extend(s.left.iter().map(|(i, d)| (*d, Step::Left(*i))));
        steps.extend(
            s.profiles
                .iter()
                .map(|(d, p, b)| (*d, Step::Profile(*p, *b))),
        );
        // Monthly tests back to the register's start; the failed one retried a week later.
        let mut d = s.last_test;
        while d <= REGISTER_BEGAN - 10 {
            steps.push((d, Step::Test(false)));
            d += 30;
        }
        if let Some(f) = s.failed_test {
            steps.push((f, Step::Test(true)));
            steps.push((f - 7, Step::Test(false)));
        }
        if let Some((item, d)) = s.gap {
            steps.push((d, Step::Gap(item)));
        }
        // Oldest first; the same day in the order listed, a minute apart.
        steps.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
        for (n, (days, step)) in steps.into_iter().enumerate() {
            let minute = i64::try_from(n).unwrap_or(0);
            let at = now - Duration::days(days) + Duration::hours(1) + Duration::minutes(minute);
            let on = time::local_date(at);
            match step {
                Step::Guard(i) => {
                    let ((name, born, employer, full_time, hired, insured, trained), has) =
                        s.guards[i];
                    licence += 1;
                    let d = GuardDraft {
                        name: name.into(),
                        licence_no: if has {
                            format!("湘保{}{licence:04}", 2016 + licence % 9)
                        } else {
                            String::new()
                        },
                        birth_year: born.to_string(),
                        employer: EMPLOYERS[employer].into(),
                        full_time: flag(full_time),
                        hired_on: time::local_date(now - Duration::days(hired)).to_string(),
                        insured: flag(insured),
                        trained_on: trained
                            .map(|t| time::local_date(now - Duration::days(t)).min(on))
                            .map(|t| t.to_string())
                            .unwrap_or_default(),
                    };
                    let guard = validate_guard(&d, on).map_err(|f| refused(name, f))?;
                    let who = by(conn, s.keeper, at)?;
                    security::add_guard(conn, &who, school.id, &guard)?;
                }
                Step::Left(i) => {
                    let name = s.guards[i].0.0;
                    let id = guard_named(conn, school.id, name)?;
                    let g = security::guard(conn, id)?;
                    let left_on = validate_leave(&on.to_string(), g.hired_on, on)
                        .map_err(|f| refused(name, f))?;
                    let who = by(conn, s.keeper, at)?;
                    security::guard_leaves(conn, &who, id, left_on)?;
                }
                Step::Profile([closed, alarm, video, post], bureau) => {
                    let d = ProfileDraft {
                        closed_management: flag(closed),
                        alarm_linked: flag(alarm),
                        video_linked: flag(video),
                        guard_post: flag(post),
                        verified_on: on.to_string(),
                    };
                    let p = validate_profile(&d, on).map_err(|f| refused("profile", f))?;
                    let who = if bureau { "bureau" } else { s.keeper };
                    let who = by(conn, who, at)?;
                    security::save_profile(conn, &who, school.id, &p)?;
                }
                Step::Test(failed) => {
                    let d = AlarmTestDraft {
                        tested_on: on.to_string(),
                        result: if failed { "fail" } else { "pass" }.into(),
                        response_seconds: if failed {
                            String::new()
                        } else {
                            (35 + (days * 7 + minute) % 50).to_string()
                        },
                        note: if failed {
                            "按下报警按钮后派出所未收到信号，已报修，一周后复测。".into()
                        } else {
                            String::new()
                        },
                    };
                    let t = validate_alarm_test(&d, on).map_err(|f| refused("alarm test", f))?;
                    let who = by(conn, s.keeper, at)?;
                    security::record_alarm_test(conn, &who, school.id, &t)?;
                }
                Step::Gap(item) => {
                    let who = by(conn, "bureau", at)?;
                    security::raise_gap(conn, &who, school.id, item)?;
                }
            }
        }
    }
    Ok(())
}

/// The id of the guard of this name at this school.
fn guard_named(conn: &mut DbConn, school_id: i64, name: &str) -> Result<i64, DemoError> {
    security::guards_in_post(conn, school_id)?
        .into_iter()
        .find(|g| g.name == name)
        .map(|g| g.id)
        .ok_or(DemoError::Store(StoreError::NotFound))
}
