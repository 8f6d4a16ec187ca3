//! An appraisal: recorded with its report file, it sets the building's grade, status and next
//! due date; a D grade also raises the building's supervised hazard — all in one transaction,
//! so a failure anywhere leaves neither the appraisal nor the hazard.

use diesel::prelude::*;
use serde_json::json;

use super::files::BUILDING_FILES;
use super::models::AppraisalInsertForm;
use super::{building, changed_meanwhile, reappraisal, refused, tell};
use crate::db::schema::{appraisals, buildings};
use crate::db::{DbConn, write_tx};
use crate::domain::attachments::Stage;
use crate::domain::buildings::input::Appraisal;
use crate::domain::buildings::notify::BuildingNotice;
use crate::domain::buildings::{BuildingEvent, KIND, Status, rules};
use crate::domain::validate::FieldError;
use crate::i18n::Lang;
use crate::store::events::{self, NewEvent};
use crate::store::files::Saved;
use crate::store::hazards::building::{self as hazard, ForBuilding};
use crate::store::{By, StoreError, StoreResult, attachments};

/// What an appraisal did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub status: Status,
    /// The hazard a D grade raised: its id and reference number.
    pub hazard: Option<(i64, String)>,
}

/// Records an appraisal. `file` is the report, already checked and stored. A D grade's hazard
/// is named in the county's words (zh-CN, whatever language the recorder's pages speak: the
/// ledger is the county's): the building and the appraisal that found it.
pub fn appraise(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    a: &Appraisal,
    file: Option<&Saved>,
    expected_version: Option<i32>,
) -> StoreResult<Recorded> {
    let now = by.at;
    write_tx(conn, |conn| {
        let b = building(conn, id)?;
        rules::may_record(&by.who, &b.facts(), a.grade).map_err(|r| refused(r, &b))?;
        if expected_version.is_some_and(|v| v != b.version) {
            return Err(StoreError::state_conflict(KIND, b.status));
        }
        if let Some(latest) = b.appraised_on.filter(|d| a.appraised_on < *d) {
            // The latest appraisal sets the grade: an older one cannot come after it.
            return Err(StoreError::Invalid(vec![FieldError {
                field: "appraised_on",
                message: "buildings.error.before_latest",
                arg: Some(latest.to_string()),
            }]));
        }
        let accepted = b.accepted_at.map(crate::domain::time::local_date);
        if let Some(accepted) =
            accepted.filter(|d| b.status == Status::Reinforced && a.appraised_on < *d)
        {
            // What returns a reinforced building to use is an appraisal of the work accepted.
            return Err(StoreError::Invalid(vec![FieldError {
                field: "appraised_on",
                message: "buildings.error.before_acceptance",
                arg: Some(accepted.to_string()),
            }]));
        }
        let file_id = match file {
            Some(f) => attachments::add(
                conn,
                by,
                &BUILDING_FILES,
                id,
                Stage::Report,
                std::slice::from_ref(f),
            )?
            .first()
            .copied(),
            None => None,
        };
        diesel::insert_into(appraisals::table)
            .values(AppraisalInsertForm {
                building_id: id,
                appraised_on: a.appraised_on,
                agency: &a.agency,
                report_no: &a.report_no,
                grade: a.grade,
                notes: &a.notes,
                file_id,
                recorded_by: by.who.user_id,
                recorded_at: now,
            })
            .execute(conn)?;
        let to = rules::status_after(a.grade);
        let due = reappraisal(conn)?.next_due(a.grade, a.appraised_on);
        let raised = match (&a.supervision, rules::raises_hazard(a.grade)) {
            (Some(s), true) => {
                let words = Lang::ZhCn.catalog();
                let title = words
                    .get("buildings.hazard_title")
                    .replacen("{}", &b.name, 1);
                let description = words
                    .get("buildings.hazard_description")
                    .replacen("{}", &a.agency, 1)
                    .replacen("{}", &a.report_no, 1);
                let found = ForBuilding {
                    school_id: b.school_id,
                    building_id: id,
                    title: &title,
                    description: &description,
                    location: &b.name,
                    found_on: a.appraised_on,
                    found_by: &a.agency,
                    supervision: s,
                };
                Some(hazard::raise(conn, by, &found)?)
            }
            (None, true) => {
                return Err(StoreError::Defect(
                    "a D appraisal reached the store without its supervision".into(),
                ));
            }
            _ => None,
        };
        let updated = diesel::update(
            buildings::table
                .filter(buildings::id.eq(id))
                .filter(buildings::version.eq(b.version)),
        )
        .set((
            buildings::status.eq(to),
            buildings::grade.eq(a.grade),
            buildings::appraised_on.eq(a.appraised_on),
            buildings::appraisal_due.eq(due),
            buildings::hazard_id.eq(raised.as_ref().map(|h| h.0).or(b.hazard_id)),
            // A new appraisal opens a new chapter: any earlier disposal is in the trail.
            buildings::disposal_method.eq(None::<crate::domain::buildings::Method>),
            buildings::disposal_deadline.eq(None::<chrono::NaiveDate>),
            buildings::disposal_funding.eq(None::<String>),
            buildings::disposal_measures.eq(None::<String>),
            buildings::reported_done_by.eq(None::<i64>),
            buildings::reported_done_at.eq(None::<chrono::NaiveDateTime>),
            buildings::version.eq(b.version + 1),
            buildings::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(changed_meanwhile(conn, id));
        }
        let changes = json!({
            "grade": a.grade.as_str(), "appraised_on": a.appraised_on.to_string(),
            "agency": a.agency, "report_no": a.report_no,
            "due": due.map(|d| d.to_string()), "file": file_id,
            "hazard": raised.as_ref().map(|h| h.1.clone()),
        });
        events::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), BuildingEvent::Appraise.as_str())
                .at(now)
                .school(Some(b.school_id))
                .moves(Some(b.status.as_str()), Some(to.as_str()))
                .changes(changes),
        )?;
        tell(
            conn,
            by,
            &b,
            BuildingNotice::of(BuildingEvent::Appraise, Some(a.grade)),
        )?;
        Ok(Recorded {
            status: to,
            hazard: raised,
        })
    })
}
