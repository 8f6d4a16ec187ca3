//! The demo county's school buildings: every school's register (see `data`), their appraisals
//! over the years and the disposal of the dangerous ones, each step driven through the real
//! store and rules at its own past time — so the D grades raise their supervised hazards,
//! the trail, notices and photos are what the app itself would have written.

mod data;
mod rural;
mod town;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::hazards::{by, photo};
use super::{ACCOUNTS, DemoError};
use crate::db::DbConn;
use crate::domain::attachments::Stage;
use crate::domain::buildings::input::{
    AppraisalDraft, BuildingDraft, TransitionDraft, validate_appraisal, validate_building,
    validate_transition,
};
use crate::domain::buildings::{BuildingAction, Grade, Use};
use crate::domain::hazards::input::SuperviseDraft;
use crate::domain::role::Role;
use crate::domain::time;
use crate::domain::validate::FieldError;
use crate::store::buildings::{self, files::BUILDING_FILES};
use crate::store::files::{self, Saved};
use crate::store::models::School;
use crate::store::{StoreError, attachments, schools};
use data::{AGENCIES, DemoBuilding, Step};

/// How long a D grade's supervised hazard is given, from the appraisal.
const SUPERVISION_DAYS: i64 = 270;

/// The demo's times for one building: each step on its day, after the one before. The data
/// keeps every step at least a day back, so all of them lie before now.
struct Steps {
    now: NaiveDateTime,
    last: NaiveDateTime,
}

impl Steps {
    /// The instant of a step `days_ago`: that day, or just after the previous step when that
    /// lies later (an old appraisal entered from its paper report when the register began).
    fn at(&mut self, days_ago: i64) -> NaiveDateTime {
        let day = self.now - Duration::days(days_ago) + Duration::hours(2);
        self.last = day.max(self.last + Duration::minutes(1));
        self.last
    }
}

/// Who keeps a school's register: its safety officer's demo account, else the bureau.
fn keeper(code: &str) -> &'static str {
    ACCOUNTS
        .iter()
        .find(|(_, _, role, school)| *role == Role::SchoolAdmin && *school == Some(code))
        .map_or("bureau", |(username, ..)| *username)
}

/// A demo record the domain refused: the demo's own data is wrong.
fn refused(what: &str, fields: Vec<FieldError>) -> DemoError {
    let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
    DemoError::Store(StoreError::Defect(format!(
        "demo {what}: refused fields {names:?}"
    )))
}

/// A made-up photo or report scan, stored under the uploads as an upload would be.
fn stored(uploads: &Path, bytes: &[u8], document: bool) -> Result<Saved, DemoError> {
    let saved = if document {
        files::save_document(uploads, bytes)
    } else {
        files::save_photo(uploads, bytes)
    };
    match saved {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(StoreError::Defect(format!("demo photo refused: {e:?}")).into()),
        Err(e) => Err(StoreError::Defect(format!("demo photo not stored: {e}")).into()),
    }
}

/// What the hazard a D grade raises is to do meanwhile, by what the building is for.
fn contingency(usage: Use) -> &'static str {
    match usage {
        Use::Teaching => "学生转入校内其他教学用房上课，危房四周设置围挡，专人看守。",
        Use::Dormitory => "寄宿生临时安置到其他宿舍，危房四周设置围挡，专人看守。",
        _ => "相关功能临时调整到其他用房，危房四周设置围挡，专人看守。",
    }
}

/// A made-up scan of an appraisal report: dark lines of "text" on paper.
fn scan(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(420, 594, |x, y| {
        let line = y > 60 && y % 24 < 3 && x > 40 && x < 380 - u32::from(seed % 40);
        if line {
            image::Rgb([70, 70, 80])
        } else {
            image::Rgb([244, 242, 236])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    match img.write_to(&mut out, image::ImageFormat::Png) {
        Ok(()) => out.into_inner(),
        Err(_) => Vec::new(),
    }
}

/// What every building's loading shares: now, the uploads, the report numbers given so far.
struct County<'a> {
    now: NaiveDateTime,
    uploads: &'a Path,
    report_nos: BTreeMap<(usize, i32), u32>,
}

pub fn load(conn: &mut DbConn, uploads: &Path) -> Result<(), DemoError> {
    let mut county = County {
        now: time::now(),
        uploads,
        report_nos: BTreeMap::new(),
    };
    let mut n: u32 = 0;
    for (code, list) in data::buildings() {
        let school = schools::find_by_code(conn, code)?.ok_or(StoreError::NotFound)?;
        for building in list {
            n += 1;
            county.building(conn, &school, n, building)?;
        }
    }
    Ok(())
}

impl County<'_> {
    /// Registers the `n`th demo building and takes it through its history.
    fn building(
        &mut self,
        conn: &mut DbConn,
        school: &School,
        n: u32,
        b: DemoBuilding,
    ) -> Result<(), DemoError> {
        let keeper = keeper(&school.code);
        let (name, usage, structure, floors, floor_area, year_built) = b.spec;
        let registered_at = self.now - Duration::days(b.registered) + Duration::hours(1);
        let mut clock = Steps {
            now: self.now,
            last: registered_at + Duration::minutes(i64::from(n)),
        };
        let draft = BuildingDraft {
            name: name.into(),
            usage: usage.into(),
            structure: structure.into(),
            floors: floors.into(),
            floor_area: floor_area.into(),
            year_built: year_built.into(),
        };
        let building = validate_building(&draft, time::local_date(clock.last))
            .map_err(|f| refused(name, f))?;
        let who = by(conn, keeper, clock.last)?;
        let id = buildings::register(conn, &who, school.id, &building)?;
        let seed = u8::try_from(n * 17 % 256).unwrap_or(0);
        for s in b.steps {
            match s {
                Step::Appraise(days, grade, agency, notes) => {
                    let at = clock.at(days);
                    let on = time::local_date(self.now - Duration::days(days));
                    let (agency_name, prefix) = AGENCIES[agency % AGENCIES.len()];
                    let no = self.report_nos.entry((agency, on.year())).or_default();
                    *no += 1;
                    let mut d = AppraisalDraft {
                        appraised_on: on.to_string(),
                        agency: agency_name.into(),
                        report_no: format!("{prefix}〔{}〕{:03}号", on.year(), *no),
                        grade: grade.as_str().into(),
                        notes: notes.into(),
                        ..Default::default()
                    };
                    if grade == Grade::D {
                        d.supervision = supervision(&school.principal, building.usage, on);
                    }
                    let a = validate_appraisal(&d, building.year_built, time::local_date(at))
                        .map_err(|f| refused(name, f))?;
                    // The dangerous grades come with the report's scan.
                    let file = if grade.is_dangerous() {
                        Some(stored(self.uploads, &scan(seed), true)?)
                    } else {
                        None
                    };
                    let who = by(conn, keeper, at)?;
                    buildings::appraise(conn, &who, id, &a, file.as_ref(), None)?;
                    if grade == Grade::D {
                        let at = clock.at(days);
                        let before = stored(self.uploads, &photo(seed, false), false)?;
                        let who = by(conn, keeper, at)?;
                        attachments::add(
                            conn,
                            &who,
                            &BUILDING_FILES,
                            id,
                            Stage::Before,
                            &[before],
                        )?;
                    }
                }
                Step::Plan(days, method, within, funding) => {
                    let at = clock.at(days);
                    let d = TransitionDraft {
                        method: method.as_str().into(),
                        deadline: (time::local_date(at) + Duration::days(within)).to_string(),
                        funding: funding.into(),
                        ..Default::default()
                    };
                    step(conn, (keeper, at), id, BuildingAction::Plan, &d, &[])?;
                }
                Step::Done(days, measures) => {
                    let at = clock.at(days);
                    let shade = seed.wrapping_add(u8::try_from(days % 256).unwrap_or(0));
                    let after = stored(self.uploads, &photo(shade, true), false)?;
                    let d = TransitionDraft {
                        measures: measures.into(),
                        ..Default::default()
                    };
                    step(
                        conn,
                        (keeper, at),
                        id,
                        BuildingAction::ReportDone,
                        &d,
                        &[after],
                    )?;
                }
                Step::Return(days, comment) => {
                    let at = clock.at(days);
                    let d = TransitionDraft {
                        comment: comment.into(),
                        ..Default::default()
                    };
                    step(conn, ("bureau", at), id, BuildingAction::Return, &d, &[])?;
                }
                Step::Accept(days) => {
                    let at = clock.at(days);
                    let d = TransitionDraft {
                        comment: "现场核查合格，同意验收。".into(),
                        ..Default::default()
                    };
                    step(conn, ("bureau", at), id, BuildingAction::Accept, &d, &[])?;
                }
            }
        }
        Ok(())
    }
}

/// The five items of a D grade's supervised hazard.
fn supervision(principal: &str, usage: Use, on: NaiveDate) -> SuperviseDraft {
    SuperviseDraft {
        measures: "立即停止使用，设置围挡和警示标志，委托编制拆除或加固方案。".into(),
        responsible_person: format!("{principal}（校长）"),
        funding: "县级校舍安全专项资金".into(),
        deadline: (on + Duration::days(SUPERVISION_DAYS)).to_string(),
        contingency_plan: contingency(usage).into(),
    }
}

/// One disposal step, checked as the form would be on the day it was taken.
fn step(
    conn: &mut DbConn,
    (who, at): (&str, NaiveDateTime),
    id: i64,
    action: BuildingAction,
    d: &TransitionDraft,
    after: &[Saved],
) -> Result<(), DemoError> {
    let t = validate_transition(action, d, time::local_date(at))
        .map_err(|f| refused(action.as_str(), f))?;
    let by = by(conn, who, at)?;
    buildings::transition(conn, &by, id, action, &t, None, after)?;
    Ok(())
}
