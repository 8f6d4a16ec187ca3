//! The demo county's hazards over the past twelve months: periphery leads and campus hazards
//! in every state, some overdue, some supervised, one returned once. Each is driven through
//! the real machine (store + rules), with dates in the past, so every page shows true data.

use std::path::Path;

use chrono::{Duration, NaiveDateTime};

use super::DemoError;
use crate::db::DbConn;
use crate::domain::attachments::Stage;
use crate::domain::hazards::HazardAction as A;
use crate::domain::hazards::input::{
    ReportDraft, SuperviseDraft, TransitionDraft, validate_report, validate_supervision,
    validate_transition,
};
use crate::domain::time;
use crate::store::hazards::{self, photos::HAZARD_PHOTOS};
use crate::store::{By, StoreError, attachments, files, schools, users};

/// One step of a hazard's history: days after it was found, who, what.
enum Step {
    Act(i64, &'static str, A, &'static str),
    Assign(i64, &'static str, i64, &'static str, &'static str),
    Submit(i64, &'static str, &'static str),
    Supervise(i64, i64),
}

/// (school, reporter, days ago found, source, category, level, title, location, steps)
type Scenario = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Vec<Step>,
);

fn scenarios() -> Vec<Scenario> {
    use Step::*;
    let fix = |d| Submit(d, "", "已整改完毕，现场复查无问题。");
    vec![
        (
            "CX-0101",
            "yucai.teacher",
            340,
            "periphery",
            "vendors",
            "general",
            "南门外流动摊贩占道",
            "南门",
            vec![
                Act(1, "yucai.admin", A::Register, ""),
                Assign(2, "yucai.admin", 20, "城管中队", "刘城管"),
                fix(15),
                Act(18, "bureau", A::Accept, "现场核查已清理。"),
            ],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            300,
            "campus",
            "fire",
            "general",
            "教学楼三楼灭火器过期",
            "教学楼三楼",
            vec![
                Act(0, "yucai.admin", A::Register, ""),
                Assign(1, "yucai.admin", 10, "总务处", "王强"),
                fix(6),
                Act(8, "bureau", A::Accept, ""),
            ],
        ),
        (
            "CX-0101",
            "yucai.admin",
            250,
            "campus",
            "electrical",
            "major",
            "食堂配电箱线路老化",
            "食堂后厨",
            vec![
                Act(0, "yucai.admin", A::Register, ""),
                Assign(1, "yucai.admin", 30, "总务处", "王强"),
                Supervise(3, 60),
                fix(25),
                Act(27, "bureau", A::Return, "照片看不清配电箱内部，请补充。"),
                fix(32),
                Act(34, "bureau", A::Accept, "复查合格。"),
            ],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            200,
            "periphery",
            "traffic",
            "major",
            "校门前路段无减速带和警示标志",
            "校门前县道",
            vec![Act(2, "yucai.admin", A::Refer, "交警大队")],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            120,
            "campus",
            "sports_equipment",
            "general",
            "操场篮球架底座松动",
            "操场东侧",
            vec![
                Act(1, "yucai.admin", A::Register, ""),
                Assign(2, "yucai.admin", 14, "体育组", "陈体育"),
                fix(10),
                Act(12, "bureau", A::Return, "螺栓未更换，请按规范整改。"),
            ],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            75,
            "campus",
            "building",
            "general",
            "宿舍楼二楼走廊护栏锈蚀",
            "男生宿舍二楼",
            vec![
                Act(1, "yucai.admin", A::Register, ""),
                Assign(2, "yucai.admin", 20, "总务处", "王强"),
            ],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            20,
            "campus",
            "canteen",
            "general",
            "食堂留样冰箱温度不达标",
            "食堂",
            vec![
                Act(1, "yucai.admin", A::Register, ""),
                Assign(1, "yucai.admin", 10, "食堂", "赵师傅"),
            ],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            6,
            "periphery",
            "entertainment",
            "general",
            "学校附近新开网吧疑似接纳未成年人",
            "东街 18 号",
            vec![],
        ),
        (
            "CX-0101",
            "yucai.teacher",
            3,
            "campus",
            "other",
            "general",
            "围墙外侧有人翻越痕迹",
            "北侧围墙",
            vec![],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            320,
            "periphery",
            "water",
            "major",
            "学校下游河段无防溺水警示牌",
            "辰水河火马冲段",
            vec![
                Act(0, "hmc.admin", A::Register, ""),
                Assign(1, "hmc.admin", 15, "镇政府", "舒镇长"),
                Supervise(2, 30),
                fix(12),
                Act(14, "bureau", A::Accept, "已设置警示牌和护栏。"),
            ],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            260,
            "campus",
            "security",
            "general",
            "门卫室一键报警按钮失灵",
            "门卫室",
            vec![
                Act(0, "hmc.admin", A::Register, ""),
                Assign(1, "hmc.admin", 7, "保卫处", "田保安"),
                fix(5),
                Act(6, "bureau", A::Accept, ""),
            ],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            180,
            "campus",
            "building",
            "general",
            "教室吊扇固定螺丝松动",
            "七年级二班",
            vec![
                Act(0, "hmc.admin", A::Register, ""),
                Assign(1, "hmc.admin", 7, "总务处", "米主任"),
                fix(4),
                Act(6, "bureau", A::Accept, ""),
                Act(90, "bureau", A::Reopen, "回头看发现同类问题复发。"),
            ],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            90,
            "periphery",
            "construction",
            "general",
            "校门旁工地围挡破损",
            "校门西侧工地",
            vec![
                Act(1, "hmc.admin", A::Register, ""),
                Assign(1, "hmc.admin", 20, "施工单位", "罗经理"),
            ],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            45,
            "campus",
            "fire",
            "general",
            "实验室消防通道堆放杂物",
            "实验楼一楼",
            vec![
                Act(0, "hmc.admin", A::Register, ""),
                Assign(0, "hmc.admin", 5, "实验室", "米主任"),
                fix(3),
            ],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            30,
            "campus",
            "fire",
            "general",
            "实验楼一楼通道杂物",
            "实验楼",
            vec![Act(1, "hmc.admin", A::MarkDuplicate, "")],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            12,
            "periphery",
            "vendors",
            "general",
            "校门口有人兜售三无食品",
            "校门口",
            vec![Act(1, "hmc.admin", A::Register, "")],
        ),
        (
            "CX-0201",
            "hmc.teacher",
            8,
            "campus",
            "other",
            "general",
            "操场边草丛有蛇出没传闻",
            "操场",
            vec![Act(1, "hmc.admin", A::Dismiss, "经查为谣传，已清理草丛。")],
        ),
        (
            "CX-0102",
            "bureau",
            280,
            "campus",
            "building",
            "major",
            "老教学楼墙体裂缝",
            "老教学楼",
            vec![
                Act(1, "bureau", A::Register, ""),
                Assign(2, "bureau", 90, "县二中", "周文斌"),
                Supervise(3, 120),
                Submit(80, "erzhong.admin", "已停用并完成加固，附检测报告。"),
                Act(85, "bureau", A::Accept, "加固工程验收合格。"),
            ],
        ),
        (
            "CX-0102",
            "bureau",
            150,
            "periphery",
            "public_order",
            "general",
            "晚自习放学时段校外人员聚集",
            "校门外广场",
            vec![Act(1, "bureau", A::Refer, "城郊派出所")],
        ),
        (
            "CX-0102",
            "erzhong.admin",
            60,
            "campus",
            "electrical",
            "general",
            "宿舍私拉电线",
            "女生宿舍",
            vec![
                Act(0, "erzhong.admin", A::Register, ""),
                Assign(1, "erzhong.admin", 10, "宿管", "向宿管"),
            ],
        ),
        (
            "CX-0401",
            "xuefeng.admin",
            210,
            "periphery",
            "water",
            "general",
            "学校旁山塘无围栏",
            "学校西侧山塘",
            vec![
                Act(0, "xuefeng.admin", A::Register, ""),
                Assign(1, "xuefeng.admin", 30, "村委会", "谢主任"),
                fix(20),
                Act(25, "bureau", A::Accept, ""),
            ],
        ),
        (
            "CX-0401",
            "xuefeng.admin",
            40,
            "campus",
            "building",
            "major",
            "教学点厕所后墙倾斜",
            "厕所",
            vec![
                Act(0, "xuefeng.admin", A::Register, ""),
                Assign(1, "xuefeng.admin", 20, "乡中心校", "谢春生"),
                Supervise(2, 25),
            ],
        ),
        (
            "CX-0401",
            "xuefeng.admin",
            15,
            "campus",
            "traffic",
            "general",
            "校车停靠点无遮雨棚和标线",
            "校车停靠点",
            vec![
                Act(0, "xuefeng.admin", A::Register, ""),
                Assign(1, "xuefeng.admin", 30, "乡中心校", "谢春生"),
                fix(10),
            ],
        ),
        (
            "CX-0301",
            "bureau",
            5,
            "periphery",
            "traffic",
            "general",
            "乡道急弯处缺少学校区域警示",
            "乡道 3 公里处",
            vec![],
        ),
    ]
}

/// This demo user acting at `at`.
pub(super) fn by(conn: &mut DbConn, username: &str, at: NaiveDateTime) -> Result<By, DemoError> {
    let u = users::find_by_username(conn, username)?.ok_or(StoreError::NotFound)?;
    Ok(By {
        actor: u.event_actor(),
        who: u.actor(),
        at,
    })
}

/// A made-up photo: a gradient, a different colour per hazard and stage.
pub(crate) fn photo(seed: u8, after: bool) -> Vec<u8> {
    let img = image::RgbImage::from_fn(480, 360, |x, y| {
        let base = if after {
            [60u8, 150, 90]
        } else {
            [180u8, 80, 50]
        };
        image::Rgb([
            base[0].wrapping_add((x / 4) as u8).wrapping_add(seed),
            base[1].wrapping_add((y / 4) as u8),
            base[2].wrapping_add(seed.wrapping_mul(7)),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    match img.write_to(&mut out, image::ImageFormat::Png) {
        Ok(()) => out.into_inner(),
        Err(_) => Vec::new(),
    }
}

fn add_photo(
    conn: &mut DbConn,
    dir: &Path,
    who: &str,
    hazard_id: i64,
    (seed, stage): (u8, Stage),
    at: NaiveDateTime,
) -> Result<(), DemoError> {
    let bytes = photo(seed, stage == Stage::After);
    let saved = match files::save_photo(dir, &bytes) {
        Ok(Ok(s)) => s,
        // A demo without pictures is still a demo; the records matter more.
        _ => return Ok(()),
    };
    let by = by(conn, who, at)?;
    attachments::add(conn, &by, &HAZARD_PHOTOS, hazard_id, stage, &[saved])?;
    Ok(())
}

pub fn load(conn: &mut DbConn, uploads: &Path) -> Result<(), DemoError> {
    let now = time::now();
    let mut previous = String::new();
    for (n, (code, reporter, days_ago, source, category, level, title, location, steps)) in
        scenarios().into_iter().enumerate()
    {
        let seed = u8::try_from(n * 13 % 256).unwrap_or(0);
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        let found_at = now - Duration::days(days_ago) + Duration::hours(1);
        let found_on = time::local_date(found_at);
        let draft = ReportDraft {
            source: source.into(),
            category: category.into(),
            title: title.into(),
            description: format!("{title}，需尽快处理。"),
            location: location.into(),
            level: level.into(),
            how_found: if n % 3 == 0 {
                "special".into()
            } else {
                "daily".into()
            },
            found_on: found_on.to_string(),
            found_by: users::find_by_username(conn, reporter)?
                .map(|u| u.display_name)
                .unwrap_or_default(),
        };
        let report = validate_report(&draft, found_on).map_err(|_| StoreError::NotFound)?;
        let reporter_by = by(conn, reporter, found_at)?;
        let (id, ref_no) = hazards::report(conn, &reporter_by, school.id, &report, None)?;
        add_photo(conn, uploads, reporter, id, (seed, Stage::Before), found_at)?;
        let this_ref = ref_no;
        for step in steps {
            match step {
                Step::Act(day, who, action, comment) => {
                    let at = found_at + Duration::days(day) + Duration::hours(2);
                    let mut d = TransitionDraft {
                        comment: comment.into(),
                        ..Default::default()
                    };
                    match action {
                        A::Refer => d.department = comment.into(),
                        // The scenario before a duplicate is its original.
                        A::MarkDuplicate => d.duplicate_of = previous.clone(),
                        A::Reopen => {
                            d.deadline = time::local_date(at + Duration::days(20)).to_string()
                        }
                        _ => {}
                    }
                    if d.comment.is_empty()
                        && matches!(action, A::Refer | A::Dismiss | A::Return | A::Reopen)
                    {
                        d.comment = "见附件。".into();
                    }
                    transition(conn, who, id, action, &d, found_on, at)?;
                }
                Step::Assign(day, who, within, unit, person) => {
                    let at = found_at + Duration::days(day) + Duration::hours(3);
                    let d = TransitionDraft {
                        deadline: (found_on + Duration::days(day + within)).to_string(),
                        responsible_unit: unit.into(),
                        responsible_person: person.into(),
                        interim_controls: "设置警示标识，专人看护。".into(),
                        funding: "学校公用经费".into(),
                        ..Default::default()
                    };
                    transition(conn, who, id, A::Assign, &d, found_on, at)?;
                }
                Step::Submit(day, who, measures) => {
                    let at = found_at + Duration::days(day) + Duration::hours(4);
                    let who = if who.is_empty() { admin_of(code) } else { who };
                    add_photo(
                        conn,
                        uploads,
                        who,
                        id,
                        (seed.wrapping_add(day as u8), Stage::After),
                        at,
                    )?;
                    let d = TransitionDraft {
                        measures: measures.into(),
                        ..Default::default()
                    };
                    transition(conn, who, id, A::Submit, &d, found_on, at)?;
                }
                Step::Supervise(day, within) => {
                    let at = found_at + Duration::days(day) + Duration::hours(5);
                    let s = SuperviseDraft {
                        measures: "制定专项整改方案，限期完成。".into(),
                        responsible_person: "县教育局安全股".into(),
                        funding: "县级校舍安全专项资金".into(),
                        deadline: (found_on + Duration::days(within)).to_string(),
                        contingency_plan: "整改完成前停止使用相关区域，设置隔离。".into(),
                    };
                    let s = validate_supervision(&s, found_on, time::local_date(at))
                        .map_err(|_| StoreError::NotFound)?;
                    let bureau = by(conn, "bureau", at)?;
                    hazards::supervise(conn, &bureau, id, Some(&s), None)?;
                }
            }
        }
        previous = this_ref;
    }
    Ok(())
}

fn admin_of(code: &str) -> &'static str {
    match code {
        "CX-0101" => "yucai.admin",
        "CX-0201" => "hmc.admin",
        "CX-0102" => "erzhong.admin",
        _ => "xuefeng.admin",
    }
}

fn transition(
    conn: &mut DbConn,
    who: &str,
    id: i64,
    action: A,
    d: &TransitionDraft,
    found_on: chrono::NaiveDate,
    at: NaiveDateTime,
) -> Result<(), DemoError> {
    let t = validate_transition(action, d, found_on, time::local_date(at))
        .map_err(|_| StoreError::NotFound)?;
    let by = by(conn, who, at)?;
    hazards::transition(conn, &by, id, action, &t, None, None)?;
    Ok(())
}
