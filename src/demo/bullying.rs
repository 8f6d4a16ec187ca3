//! The demo county's bullying cases, in every state, with invented pupils: a tip just in, an
//! investigation in time and one overdue, a horseplay closed at once, a bullying followed up,
//! one appealed, one referred to the police, one closed last semester; and the schools'
//! screenings and prevention sessions. Each step goes through the store at its own past time.

use chrono::{Duration, NaiveDateTime};

use super::DemoError;
use super::hazards::by;
use crate::auth::token;
use crate::db::DbConn;
use crate::domain::bullying::input::{
    CaseDraft, MeasureDraft, PartyDraft, ScreeningDraft, SessionDraft, StepDraft, TipDraft,
    validate_case, validate_measure, validate_party, validate_screening, validate_session,
    validate_step, validate_tip,
};
use crate::domain::time;
use crate::domain::validate::FieldError;
use crate::store::bullying::{self, activities, details, step};
use crate::store::{StoreError, schools};

/// A step of a demo case: days ago, then what.
enum Do {
    Party(&'static str, &'static str, &'static str, &'static str),
    Step(&'static str, &'static str, &'static str),
    Measure(&'static str, &'static str),
}

/// (school, its officer, days ago reported, reporter kind, summary, place, steps)
type DemoCase = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static [(i64, Do)],
);

const CASES: [DemoCase; 8] = [
    (
        "CX-0101",
        "yucai.admin",
        3,
        "parent",
        "家长反映孩子近两周放学路上被同校学生拦下索要零花钱。",
        "学校东门外小路",
        &[
            (3, Do::Party("victim", "李*明", "四年级3班", "10")),
            (2, Do::Step("accept", "", "")),
        ],
    ),
    (
        "CX-0102",
        "erzhong.admin",
        20,
        "teacher",
        "班主任发现一名学生在班级群里被多人起侮辱性绰号。",
        "班级微信群",
        &[
            (20, Do::Party("victim", "张*雯", "初二(5)班", "13")),
            (20, Do::Party("alleged", "王*涛", "初二(5)班", "14")),
            (19, Do::Step("accept", "", "")),
        ],
    ),
    (
        "CX-0201",
        "hmc.admin",
        40,
        "pupil",
        "课间两名学生在走廊追逐推搡，一人摔倒擦伤。",
        "二楼走廊",
        &[
            (40, Do::Party("victim", "田*乐", "五年级1班", "11")),
            (40, Do::Party("alleged", "舒*宇", "五年级1班", "11")),
            (39, Do::Step("accept", "", "")),
            (
                34,
                Do::Step("determine", "horseplay", "双方系玩耍中失手，已互相道歉。"),
            ),
            (33, Do::Step("close", "", "")),
        ],
    ),
    (
        "CX-0101",
        "yucai.admin",
        60,
        "screening",
        "问卷排查发现一名学生长期被同宿舍同学孤立、藏匿物品。",
        "男生宿舍",
        &[
            (60, Do::Party("victim", "陈*", "六年级2班", "12")),
            (60, Do::Party("alleged", "刘*杰", "六年级2班", "12")),
            (59, Do::Step("accept", "", "")),
            (
                52,
                Do::Step(
                    "determine",
                    "bullying",
                    "学校学生欺凌治理委员会认定构成欺凌。",
                ),
            ),
            (51, Do::Measure("warning_talk", "对涉事学生进行警示谈话。")),
            (50, Do::Measure("parent_meeting", "约谈双方家长。")),
            (48, Do::Measure("counselling", "心理老师每周辅导一次。")),
            (
                30,
                Do::Step("follow_up", "", "回访：受欺凌学生情绪好转，宿舍关系正常。"),
            ),
        ],
    ),
    (
        "CX-0401",
        "xuefeng.admin",
        50,
        "parent",
        "家长反映孩子被高年级学生多次殴打。",
        "学校操场",
        &[
            (50, Do::Party("victim", "谢*", "三年级1班", "9")),
            (50, Do::Party("alleged", "龙*", "六年级1班", "12")),
            (49, Do::Step("accept", "", "")),
            (
                42,
                Do::Step("determine", "not_bullying", "调查认为属同学间偶发冲突。"),
            ),
            (
                40,
                Do::Step("appeal", "", "家长不认可认定结果，向县教育局申诉。"),
            ),
        ],
    ),
    (
        "CX-0104",
        "zhiye.admin",
        25,
        "teacher",
        "一名学生被校外人员纠集同学围堵殴打，伤情较重。",
        "学校北门外",
        &[
            (25, Do::Party("victim", "吴*辉", "汽修2301班", "16")),
            (24, Do::Step("accept", "", "")),
            (
                24,
                Do::Step(
                    "refer_police",
                    "",
                    "涉及校外人员且伤情较重，已移送辖区派出所。",
                ),
            ),
        ],
    ),
    (
        "CX-0403",
        "ltyou.admin",
        12,
        "teacher",
        "大班一名幼儿多次被同伴故意推倒、抢玩具。",
        "幼儿园户外活动区",
        &[
            (12, Do::Party("victim", "瞿*", "大班(1)班", "5")),
            (12, Do::Party("alleged", "唐*", "大班(1)班", "6")),
            (11, Do::Step("accept", "", "")),
            (
                6,
                Do::Step("determine", "bullying", "认定构成欺凌，将约谈家长并跟踪。"),
            ),
        ],
    ),
    (
        "CX-0202",
        "hmcxiao.admin",
        150,
        "parent",
        "家长反映孩子在校车上被同学抢走文具。",
        "校车",
        &[
            (150, Do::Party("victim", "米*", "二年级2班", "8")),
            (149, Do::Step("accept", "", "")),
            (143, Do::Step("determine", "bullying", "认定构成欺凌。")),
            (
                142,
                Do::Measure("education", "对涉事学生批评教育，归还文具。"),
            ),
            (120, Do::Step("follow_up", "", "回访：未再发生。")),
            (119, Do::Step("close", "", "")),
        ],
    ),
];

fn refused(what: &str, fields: Vec<FieldError>) -> DemoError {
    let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
    DemoError::Store(StoreError::Defect(format!(
        "demo bullying {what}: refused fields {names:?}"
    )))
}

fn at(now: NaiveDateTime, days: i64, n: i64) -> NaiveDateTime {
    now - Duration::days(days) + Duration::hours(1) + Duration::minutes(n)
}

pub fn load(conn: &mut DbConn) -> Result<(), DemoError> {
    let now = time::now();
    for (code, officer, days, kind, summary, place, steps) in CASES {
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        let when = at(now, days, 0);
        let d = CaseDraft {
            reported_on: time::local_date(when).to_string(),
            reporter_kind: kind.into(),
            summary: summary.into(),
            place: place.into(),
            ..Default::default()
        };
        let c = validate_case(&d, time::local_date(when)).map_err(|f| refused("case", f))?;
        let who = by(conn, officer, when)?;
        let case = bullying::report(conn, &who, school.id, &c)?;
        for (n, (days, what)) in steps.iter().enumerate() {
            let when = at(now, *days, 1 + i64::try_from(n).unwrap_or(0));
            let today = time::local_date(when);
            match what {
                Do::Party(role, name, class, age) => {
                    let p = validate_party(&PartyDraft {
                        role: (*role).into(),
                        name: name.replace('*', "小"),
                        grade_class: (*class).into(),
                        age: (*age).into(),
                    })
                    .map_err(|f| refused("party", f))?;
                    let who = by(conn, officer, when)?;
                    details::add_party(conn, &who, case.id, &p)?;
                }
                Do::Step(action, determination, comment) => {
                    let s = validate_step(&StepDraft {
                        action: (*action).into(),
                        determination: (*determination).into(),
                        comment: (*comment).into(),
                        ..Default::default()
                    })
                    .map_err(|f| refused(action, f))?;
                    let who = by(conn, officer, when)?;
                    step::step(conn, &who, case.id, &s, None)?;
                }
                Do::Measure(kind, note) => {
                    let m = validate_measure(
                        &MeasureDraft {
                            kind: (*kind).into(),
                            taken_on: today.to_string(),
                            note: (*note).into(),
                        },
                        today,
                    )
                    .map_err(|f| refused("measure", f))?;
                    let who = by(conn, officer, when)?;
                    details::add_measure(conn, &who, case.id, &m)?;
                }
            }
        }
    }
    tips(conn, now)?;
    activities(conn, now)
}

/// Two anonymous tips, one of them taken in by the school since.
fn tips(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DemoError> {
    for (n, (code, days, summary)) in [
        ("CX-0102", 1, "有同学在厕所被几个人围着骂，还被拍视频。"),
        ("CX-0301", 6, "宿舍里有人每天被逼着给别人打饭。"),
    ]
    .into_iter()
    .enumerate()
    {
        let when = at(now, days, 0);
        let d = TipDraft {
            school: code.into(),
            summary: summary.into(),
            place: String::new(),
            happened_on: String::new(),
        };
        let t = validate_tip(&d, time::local_date(when)).map_err(|f| refused("tip", f))?;
        let hash = token::token_hash(&token::receipt_code());
        let keys = (format!("tip-ip:demo{n}"), format!("tip-school:demo{n}"));
        let case = bullying::tip(conn, (code, &t), &hash, when, (&keys.0, &keys.1))?;
        if code == "CX-0301" {
            let s = validate_step(&StepDraft {
                action: "accept".into(),
                ..Default::default()
            })
            .map_err(|f| refused("tip accept", f))?;
            let who = by(conn, "houtang.admin", at(now, days - 1, 0))?;
            step::step(conn, &who, case.id, &s, None)?;
        }
    }
    Ok(())
}

/// Screenings and prevention sessions: most schools this semester, a few only the last.
fn activities(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DemoError> {
    for (officer, code, screened, session) in [
        ("yucai.admin", "CX-0101", Some(30), Some(45)),
        ("erzhong.admin", "CX-0102", Some(25), Some(60)),
        ("kg.admin", "CX-0103", None, Some(40)),
        ("zhiye.admin", "CX-0104", Some(35), None),
        ("hmc.admin", "CX-0201", Some(28), Some(28)),
        ("houtang.admin", "CX-0301", Some(160), Some(50)),
        ("xuefeng.admin", "CX-0401", Some(20), Some(22)),
        ("ltzhong.admin", "CX-0402", Some(40), Some(41)),
    ] {
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        if let Some(days) = screened {
            let when = at(now, days, 30);
            let s = validate_screening(
                &ScreeningDraft {
                    held_on: time::local_date(when).to_string(),
                    classes: "全校各年级".into(),
                    pupils_covered: (school.pupils.min(1200)).to_string(),
                    findings: "问卷未发现新的欺凌线索。".into(),
                },
                time::local_date(when),
            )
            .map_err(|f| refused("screening", f))?;
            let who = by(conn, officer, when)?;
            activities::record_screening(conn, &who, school.id, &s)?;
        }
        if let Some(days) = session {
            let when = at(now, days, 40);
            let who = by(conn, officer, when)?;
            let d = SessionDraft {
                session_held_on: time::local_date(when).to_string(),
                participants: school.pupils.min(1500).to_string(),
                session_note: "防欺凌主题班会".into(),
            };
            let v =
                validate_session(&d, time::local_date(when)).map_err(|f| refused("session", f))?;
            activities::record_session(conn, &who, school.id, &v)?;
        }
    }
    Ok(())
}
