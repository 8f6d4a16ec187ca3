//! A generated school's bullying work and the county's campaigns: a few cases a year taken as
//! far as their age allows (accepted, determined, followed up, closed; the recent ones still
//! under investigation), a screening and a prevention session each semester, and every
//! school's progress on the bureau's campaigns. Each record through the store and its form's
//! checks, as `records` does for the other modules.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::records::{person, refused};
use super::{GenerateError, Made, School, working_hours};
use crate::db::DbConn;
use crate::domain::bullying::input::{
    CaseDraft, MeasureDraft, PartyDraft, ScreeningDraft, SessionDraft, StepDraft, validate_case,
    validate_measure, validate_party, validate_screening, validate_session, validate_step,
};
use crate::domain::campaigns::input::{CampaignDraft, DoneDraft, validate_campaign, validate_done};
use crate::domain::time;
use crate::store::bullying::{self, activities, details, step};
use crate::store::campaigns;
use crate::store::models::User;

const SUMMARIES: [(&str, &str, &str); 6] = [
    (
        "parent",
        "家长反映孩子放学路上被同校学生拦下索要零花钱。",
        "学校东门外",
    ),
    (
        "teacher",
        "班主任发现一名学生在班级群里被多人起侮辱性绰号。",
        "班级微信群",
    ),
    (
        "pupil",
        "课间有学生在走廊被推搡，书本被扔在地上。",
        "教学楼走廊",
    ),
    (
        "screening",
        "问卷排查发现一名学生长期被同宿舍同学孤立。",
        "学生宿舍",
    ),
    ("parent", "家长反映孩子在校车上多次被同学抢走文具。", "校车"),
    ("teacher", "体育课后一名学生被几名同学围住嘲笑。", "操场"),
];

const NINE: [&str; 9] = [
    "开展一次安全隐患大排查",
    "组织一次应急疏散演练",
    "上好一堂安全教育课",
    "召开一次家长安全会",
    "签订一份安全责任书",
    "检查一次消防设施",
    "落实一次周边环境整治",
    "排查一次学生欺凌线索",
    "完善一套安全管理台账",
];

/// A campaign as the schools work on it.
pub(crate) struct Campaign {
    id: i64,
    starts: NaiveDateTime,
    ends: NaiveDateTime,
    items: Vec<i64>,
}

/// The bureau's campaigns: one a year, three months long, the latest still running.
pub(crate) fn campaigns(
    conn: &mut DbConn,
    bureau: &User,
    (start, now): (NaiveDateTime, NaiveDateTime),
    made: &mut Made,
) -> Result<Vec<Campaign>, GenerateError> {
    let years = ((now - start).num_days() / 365).max(1);
    let mut all = Vec::new();
    for y in (0..years).rev() {
        let starts = now - Duration::days(60 + 365 * y);
        let ends = starts + Duration::days(90);
        let d = CampaignDraft {
            name: format!("校园安全“九个一”专项行动（第{}轮）", years - y),
            starts_on: time::local_date(starts).to_string(),
            ends_on: time::local_date(ends).to_string(),
            items: NINE.join("\n"),
        };
        let c = validate_campaign(&d).map_err(refused("campaign"))?;
        let id = campaigns::create(conn, &School::by(bureau, starts), &c)?;
        let items = campaigns::items(conn, id)?
            .into_iter()
            .map(|i| i.id)
            .collect();
        all.push(Campaign {
            id,
            starts,
            ends,
            items,
        });
        made.campaigns += 1;
    }
    Ok(all)
}

/// A school's marks on the campaigns: some of the items done, each on a day of the campaign
/// that has passed.
pub(crate) fn marks(
    conn: &mut DbConn,
    rng: &mut StdRng,
    s: &School,
    all: &[Campaign],
    now: NaiveDateTime,
    made: &mut Made,
) -> Result<(), GenerateError> {
    for c in all {
        let last = c.ends.min(now);
        let span = (last - c.starts).num_days().max(1);
        let done = rng.gen_range(0..=c.items.len());
        for item in c.items.iter().take(done) {
            let at = working_hours(c.starts + Duration::days(rng.gen_range(0..span)), rng);
            let at = at.min(now);
            let today = time::local_date(at);
            let d = DoneDraft {
                done_on: today.to_string(),
                note: "已按要求完成，记录存档。".into(),
            };
            let m = validate_done(&d, time::local_date(c.starts), today)
                .map_err(refused("campaign item done"))?;
            let by = School::by(&s.officer, at);
            campaigns::mark_done(conn, &by, (c.id, *item, s.id), &m, None, today)?;
            made.campaign_marks += 1;
        }
    }
    Ok(())
}

/// A pupil's invented name (stored as the school would, shown masked to those who may not
/// read it).
fn pupil(rng: &mut StdRng) -> String {
    let full = person(rng);
    let mut chars = full.chars();
    let surname = chars.next().unwrap_or('李');
    format!("{surname}小{}", chars.last().unwrap_or('明'))
}

/// The school's cases over the period: zero to two a year.
pub(crate) fn cases(
    conn: &mut DbConn,
    rng: &mut StdRng,
    s: &School,
    (start, now): (NaiveDateTime, NaiveDateTime),
    made: &mut Made,
) -> Result<(), GenerateError> {
    let days = (now - start).num_days().max(1);
    let years = (days / 365).max(1);
    for _ in 0..years * rng.gen_range(0..=2) {
        let at = working_hours(start + Duration::days(rng.gen_range(0..days)), rng);
        case(conn, rng, s, at, now)?;
        made.cases += 1;
    }
    Ok(())
}

/// One case reported at `at`, taken through the steps whose days have passed by `now`.
fn case(
    conn: &mut DbConn,
    rng: &mut StdRng,
    s: &School,
    at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), GenerateError> {
    let (kind, summary, place) = SUMMARIES[rng.gen_range(0..SUMMARIES.len())];
    let d = CaseDraft {
        reported_on: time::local_date(at).to_string(),
        reporter_kind: kind.into(),
        summary: summary.into(),
        place: place.into(),
        ..Default::default()
    };
    let c = validate_case(&d, time::local_date(at)).map_err(refused("bullying case"))?;
    let by = |at| School::by(&s.officer, at);
    let case = bullying::report(conn, &by(at), s.id, &c)?;
    let age = rng.gen_range(8..16).to_string();
    for role in ["victim", "alleged"] {
        let p = validate_party(&PartyDraft {
            role: role.into(),
            name: pupil(rng),
            grade_class: "七年级2班".into(),
            age: age.clone(),
        })
        .map_err(refused("bullying party"))?;
        details::add_party(conn, &by(at), case.id, &p)?;
    }
    // Days after the report: accepted the next, determined within a week, followed up and
    // closed within the month; each only once its day has come.
    let when = |d: i64| Some(at + Duration::days(d)).filter(|t| *t <= now);
    let take = |conn: &mut DbConn, action: &str, determination: &str, t| {
        let st = validate_step(&StepDraft {
            action: action.into(),
            determination: determination.into(),
            comment: String::new(),
            ..Default::default()
        })
        .map_err(refused("bullying step"))?;
        step::step(conn, &by(t), case.id, &st, None)?;
        Ok::<_, GenerateError>(())
    };
    let Some(t) = when(1) else { return Ok(()) };
    take(conn, "accept", "", t)?;
    let Some(t) = when(rng.gen_range(3..8)) else {
        return Ok(());
    };
    let determination = ["bullying", "bullying", "horseplay", "not_bullying"][rng.gen_range(0..4)];
    take(conn, "determine", determination, t)?;
    if determination == "bullying" {
        let day: NaiveDate = time::local_date(t);
        let m = validate_measure(
            &MeasureDraft {
                kind: ["education", "warning_talk", "parent_meeting", "counselling"]
                    [rng.gen_range(0..4)]
                .into(),
                taken_on: day.to_string(),
                note: "学校按规定处置并记录。".into(),
            },
            day,
        )
        .map_err(refused("bullying measure"))?;
        details::add_measure(conn, &by(t), case.id, &m)?;
        let Some(t) = when(20) else { return Ok(()) };
        take(conn, "follow_up", "", t)?;
    }
    if let Some(t) = when(30) {
        take(conn, "close", "", t)?;
    }
    Ok(())
}

/// A screening and a prevention session each semester of the period.
pub(crate) fn activities(
    conn: &mut DbConn,
    rng: &mut StdRng,
    s: &School,
    (start, now): (NaiveDateTime, NaiveDateTime),
    made: &mut Made,
) -> Result<(), GenerateError> {
    let semesters = ((now - start).num_days() / 182).max(1);
    for k in 0..semesters {
        let base = start + Duration::days(182 * k + rng.gen_range(10..60));
        let at = working_hours(base, rng).min(now);
        let day = time::local_date(at);
        let by = School::by(&s.officer, at);
        let sc = validate_screening(
            &ScreeningDraft {
                held_on: day.to_string(),
                classes: "全校各年级".into(),
                pupils_covered: s.pupils.min(1200).to_string(),
                findings: "问卷未发现新的欺凌线索。".into(),
            },
            day,
        )
        .map_err(refused("bullying screening"))?;
        activities::record_screening(conn, &by, s.id, &sc)?;
        let se = validate_session(
            &SessionDraft {
                session_held_on: day.to_string(),
                participants: s.pupils.min(1500).to_string(),
                session_note: "防欺凌主题班会".into(),
            },
            day,
        )
        .map_err(refused("bullying session"))?;
        activities::record_session(conn, &by, s.id, &se)?;
        made.screenings += 1;
    }
    Ok(())
}
