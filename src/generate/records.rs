//! A generated school's years: hazards taken as far through their workflow as their age
//! allows, education sessions and drills, buildings appraised, the security profile and
//! guards; then the county's legal vice-principals. Each record through the store and its
//! form's checks.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::{GenerateError, Made, School, working_hours};
use crate::db::DbConn;
use crate::domain::attachments::Stage;
use crate::domain::buildings::input::{
    AppraisalDraft, BuildingDraft, validate_appraisal, validate_building,
};
use crate::domain::education::input::{SessionDraft, validate_session};
use crate::domain::hazards::HazardAction as A;
use crate::domain::hazards::input::{
    ReportDraft, TransitionDraft, validate_report, validate_transition,
};
use crate::domain::legal_vps::{VpDraft, validate as validate_vp};
use crate::domain::security::input::{GuardDraft, ProfileDraft, validate_guard, validate_profile};
use crate::domain::time;
use crate::domain::validate::FieldError;
use crate::store::files::{self, Saved};
use crate::store::hazards::photos::HAZARD_PHOTOS;
use crate::store::models::User;
use crate::store::{attachments, buildings, education, hazards, legal_vps, security};

const SURNAMES: [&str; 16] = [
    "张", "王", "李", "刘", "陈", "杨", "黄", "周", "吴", "向", "米", "舒", "瞿", "蒲", "谢", "唐",
];
const GIVEN: [&str; 16] = [
    "伟", "芳", "军", "丽", "强", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "霞",
];

/// An invented adult's name (staff, guards, officials; never a pupil's).
pub(crate) fn person(rng: &mut StdRng) -> String {
    format!(
        "{}{}{}",
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())]
    )
}

/// (source, category, title, location)
const HAZARDS: [(&str, &str, &str, &str); 16] = [
    ("campus", "fire", "灭火器过期未更换", "教学楼"),
    ("campus", "fire", "消防通道堆放杂物", "宿舍楼"),
    ("campus", "electrical", "配电箱电线老化裸露", "食堂后"),
    ("campus", "electrical", "教室插座松动", "3号楼"),
    ("campus", "building", "围墙出现裂缝", "东侧围墙"),
    ("campus", "building", "楼梯扶手松动", "教学楼二楼"),
    ("campus", "canteen", "食堂留样记录不全", "食堂"),
    ("campus", "canteen", "冷库温度计损坏", "食堂库房"),
    ("campus", "sports_equipment", "篮球架底座锈蚀", "操场"),
    ("campus", "security", "监控摄像头离线", "校门口"),
    ("periphery", "traffic", "校门口缺少减速带", "校门外"),
    ("periphery", "traffic", "乡道急弯处缺少学校区域警示", "乡道"),
    ("periphery", "vendors", "校门外流动摊贩占道", "南门"),
    ("periphery", "water", "学校附近山塘无防护栏", "后山山塘"),
    ("periphery", "water", "河边缺少防溺水警示牌", "河堤"),
    ("periphery", "entertainment", "网吧接纳未成年人", "镇街"),
];

/// (kind, topic, note) of the county's calendar, by month (index 0 is March).
const SESSIONS: [(u32, &str, &str, &str); 8] = [
    (3, "education", "traffic", "开学第一课：交通安全"),
    (3, "drill", "fire", "消防疏散演练"),
    (4, "education", "sexual_assault", "防性侵专题讲座"),
    (5, "drill", "earthquake", "防震减灾应急疏散演练"),
    (5, "education", "drowning", "防溺水“六不”专题教育"),
    (9, "education", "school_bus", "校车乘车安全教育"),
    (10, "education", "food", "食品安全宣传周"),
    (11, "drill", "fire", "“119”消防宣传月疏散演练"),
];

/// A generated input its form refused, named by what it was and the fields refused (a
/// generator defect, reported rather than written).
pub(crate) fn refused(what: &'static str) -> impl Fn(Vec<FieldError>) -> GenerateError {
    move |f| GenerateError::Refused(what, f.iter().map(|e| e.field).collect())
}

pub(crate) struct County {
    bureau: User,
    start: NaiveDateTime,
    now: NaiveDateTime,
    /// A few "after" photos, stored once (files are kept by their hash) and attached to every
    /// fix submitted: the form requires one.
    after: Vec<Saved>,
}

impl County {
    pub fn new(
        bureau: User,
        (start, now): (NaiveDateTime, NaiveDateTime),
        uploads: &Path,
    ) -> Result<County, GenerateError> {
        let mut after = Vec::new();
        for seed in 0..6u8 {
            let bytes = crate::demo::hazards::photo(seed.wrapping_mul(41), true);
            match files::save_photo(uploads, &bytes) {
                Ok(Ok(saved)) => after.push(saved),
                Ok(Err(e)) => return Err(GenerateError::Photo(e.to_string())),
                Err(e) => return Err(GenerateError::Photo(e.to_string())),
            }
        }
        Ok(County {
            bureau,
            start,
            now,
            after,
        })
    }

    fn days(&self) -> i64 {
        (self.now - self.start).num_days().max(1)
    }

    pub fn school(
        &mut self,
        conn: &mut DbConn,
        rng: &mut StdRng,
        s: &School,
        made: &mut Made,
    ) -> Result<(), GenerateError> {
        let years = (self.days() / 365).max(1);
        for _ in 0..years * rng.gen_range(10..=30) {
            self.hazard(conn, rng, s, made)?;
        }
        self.sessions(conn, rng, s, made)?;
        self.buildings(conn, rng, s, made)?;
        self.security(conn, rng, s, made)
    }

    /// One hazard, found on a day of the period and taken through its workflow while its
    /// steps' days have passed: most are closed, the recent ones still open.
    fn hazard(
        &self,
        conn: &mut DbConn,
        rng: &mut StdRng,
        s: &School,
        made: &mut Made,
    ) -> Result<(), GenerateError> {
        let (source, category, title, location) = HAZARDS[rng.gen_range(0..HAZARDS.len())];
        let found_at = working_hours(
            self.start + Duration::days(rng.gen_range(0..self.days())),
            rng,
        );
        let found_on = time::local_date(found_at);
        let draft = ReportDraft {
            source: source.into(),
            category: category.into(),
            title: title.into(),
            description: format!("{title}，{location}，需尽快处理。"),
            location: location.into(),
            level: if rng.gen_range(0..10) == 0 {
                "major"
            } else {
                "general"
            }
            .into(),
            how_found: if rng.gen_bool(0.7) {
                "daily"
            } else {
                "special"
            }
            .into(),
            found_on: found_on.to_string(),
            found_by: s.staff.display_name.clone(),
        };
        let report = validate_report(&draft, found_on).map_err(refused("hazard"))?;
        let (id, _) = hazards::report(conn, &School::by(&s.staff, found_at), s.id, &report, None)?;
        made.hazards += 1;
        // How far it goes: a dismissed lead, or the whole way to the bureau's acceptance.
        let dismissed = rng.gen_range(0..20) == 0;
        let within = rng.gen_range(7..45);
        let mut at = found_at;
        let mut steps: Vec<(A, &User, TransitionDraft)> = Vec::new();
        if dismissed {
            let d = TransitionDraft {
                comment: "经核实不属于安全隐患。".into(),
                ..Default::default()
            };
            steps.push((A::Dismiss, &s.officer, d));
        } else {
            steps.push((A::Register, &s.officer, TransitionDraft::default()));
            steps.push((
                A::Assign,
                &s.officer,
                TransitionDraft {
                    deadline: (found_on + Duration::days(within + 2)).to_string(),
                    responsible_unit: "总务处".into(),
                    responsible_person: s.officer.display_name.clone(),
                    interim_controls: "设置警示标识，专人看护。".into(),
                    funding: "学校公用经费".into(),
                    ..Default::default()
                },
            ));
            steps.push((
                A::Submit,
                &s.officer,
                TransitionDraft {
                    measures: "已整改完毕，现场复查无问题。".into(),
                    ..Default::default()
                },
            ));
            steps.push((A::Accept, &self.bureau, TransitionDraft::default()));
        }
        for (n, (action, who, d)) in steps.into_iter().enumerate() {
            let gap = match action {
                A::Submit => rng.gen_range(1..=within),
                _ => rng.gen_range(0..=3),
            };
            at = working_hours(at + Duration::days(gap), rng)
                .max(at + Duration::minutes(n as i64 + 1));
            if at >= self.now {
                break;
            }
            let t = validate_transition(action, &d, found_on, time::local_date(at))
                .map_err(refused("hazard step"))?;
            if action == A::Submit {
                let photo = &self.after[rng.gen_range(0..self.after.len())];
                let by = School::by(who, at);
                attachments::add(
                    conn,
                    &by,
                    &HAZARD_PHOTOS,
                    id,
                    Stage::After,
                    std::slice::from_ref(photo),
                )?;
            }
            hazards::transition(conn, &School::by(who, at), id, action, &t, None, None)?;
            made.steps += 1;
        }
        Ok(())
    }

    /// The calendar's sessions of each year, on a day of their month that has passed.
    fn sessions(
        &self,
        conn: &mut DbConn,
        rng: &mut StdRng,
        s: &School,
        made: &mut Made,
    ) -> Result<(), GenerateError> {
        let today = time::local_date(self.now);
        let first = time::local_date(self.start).year();
        for year in first..=today.year() {
            for (month, kind, topic, note) in SESSIONS {
                let day = rng.gen_range(3..=27);
                let Some(held_on) = NaiveDate::from_ymd_opt(year, month, day) else {
                    continue;
                };
                if held_on > today || held_on < time::local_date(self.start) {
                    continue;
                }
                let d = SessionDraft {
                    kind: kind.into(),
                    topic: topic.into(),
                    held_on: held_on.to_string(),
                    participants: (s.pupils * rng.gen_range(50..100) / 100)
                        .max(12)
                        .to_string(),
                    note: note.into(),
                };
                let session = validate_session(&d, today).map_err(refused("session"))?;
                let at = held_on
                    .and_hms_opt(9, 0, 0)
                    .unwrap_or(self.now)
                    .min(self.now);
                education::record(conn, &School::by(&s.officer, at), s.id, &session, None)?;
                made.sessions += 1;
            }
        }
        Ok(())
    }

    /// A few buildings, registered at the start and appraised A or B soon after.
    fn buildings(
        &self,
        conn: &mut DbConn,
        rng: &mut StdRng,
        s: &School,
        made: &mut Made,
    ) -> Result<(), GenerateError> {
        let names = [
            ("教学楼", "teaching"),
            ("学生宿舍", "dormitory"),
            ("食堂", "canteen"),
            ("综合楼", "office"),
        ];
        for (n, (name, usage)) in names.iter().take(rng.gen_range(1..=4)).enumerate() {
            let at = working_hours(self.start + Duration::days(n as i64), rng);
            let year_built = rng.gen_range(1985..2020);
            let draft = BuildingDraft {
                name: format!("{name}{}", n + 1),
                usage: (*usage).into(),
                structure: "frame".into(),
                floors: rng.gen_range(2..6).to_string(),
                floor_area: rng.gen_range(800..5000).to_string(),
                year_built: year_built.to_string(),
            };
            let b = validate_building(&draft, time::local_date(at)).map_err(refused("building"))?;
            let id = buildings::register(conn, &School::by(&s.officer, at), s.id, &b)?;
            let on = time::local_date(at + Duration::days(10));
            let d = AppraisalDraft {
                appraised_on: on.to_string(),
                agency: "怀化市房屋安全鉴定所".into(),
                report_no: format!("怀房鉴〔{}〕{}号", on.year(), s.id * 10 + n as i64),
                grade: if rng.gen_bool(0.6) { "A" } else { "B" }.into(),
                ..Default::default()
            };
            let later = at + Duration::days(11);
            let a = validate_appraisal(&d, year_built, time::local_date(later))
                .map_err(refused("appraisal"))?;
            buildings::appraise(conn, &School::by(&s.officer, later), id, &a, None, None)?;
            made.buildings += 1;
        }
        Ok(())
    }

    /// The school's security profile and one to three guards.
    fn security(
        &self,
        conn: &mut DbConn,
        rng: &mut StdRng,
        s: &School,
        made: &mut Made,
    ) -> Result<(), GenerateError> {
        let at = working_hours(self.start + Duration::days(5), rng);
        let on = time::local_date(at);
        let flag = |b: bool| if b { "1" } else { "0" }.to_string();
        for g in 0..rng.gen_range(1..=3) {
            let d = GuardDraft {
                name: person(rng),
                licence_no: format!("湘保{}{:05}", 2016 + g, s.id),
                birth_year: rng.gen_range(1965..1995).to_string(),
                employer: "辰溪县保安服务公司".into(),
                full_time: flag(rng.gen_bool(0.8)),
                hired_on: (on - Duration::days(rng.gen_range(30..900))).to_string(),
                insured: flag(rng.gen_bool(0.9)),
                trained_on: (on - Duration::days(rng.gen_range(1..30))).to_string(),
            };
            let guard = validate_guard(&d, on).map_err(refused("guard"))?;
            security::add_guard(conn, &School::by(&s.officer, at), s.id, &guard)?;
            made.guards += 1;
        }
        let d = ProfileDraft {
            closed_management: flag(rng.gen_bool(0.95)),
            alarm_linked: flag(rng.gen_bool(0.9)),
            video_linked: flag(rng.gen_bool(0.9)),
            guard_post: flag(rng.gen_bool(0.9)),
            verified_on: on.to_string(),
        };
        let p = validate_profile(&d, on).map_err(refused("profile"))?;
        security::save_profile(conn, &School::by(&s.officer, at), s.id, &p)?;
        Ok(())
    }

    /// One legal vice-principal for every three schools, appointed by the bureau.
    pub fn legal_vps(
        &self,
        conn: &mut DbConn,
        rng: &mut StdRng,
        schools: &[(i64, String)],
        made: &mut Made,
    ) -> Result<(), GenerateError> {
        let units = [
            ("police", "派出所"),
            ("procuratorate", "人民检察院未检科"),
            ("court", "人民法院少年庭"),
            ("justice", "司法所"),
        ];
        for (n, group) in schools.chunks(3).enumerate() {
            let (kind, unit) = units[n % units.len()];
            let at = working_hours(self.start + Duration::days(20), rng);
            let today = time::local_date(at);
            let d = VpDraft {
                name: person(rng),
                unit_kind: kind.into(),
                unit_name: format!("辰溪县{unit}"),
                appointed_on: today.to_string(),
                term_ends_on: String::new(),
                version: String::new(),
                schools: group.iter().map(|(_, code)| code.clone()).collect(),
            };
            let v = validate_vp(&d, today).map_err(refused("legal vice-principal"))?;
            legal_vps::create(conn, &School::by(&self.bureau, at), &v)?;
            made.legal_vps += 1;
        }
        Ok(())
    }
}
