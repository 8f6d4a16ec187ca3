//! The building's consequences and disposal run as a pure machine and its policy: what a grade
//! does to a building, who may take which disposal step in which status, within which scope.
//! Pages show only what `available` returns; the store applies only what `decide` allows,
//! inside its write transaction.

use chrono::NaiveDate;

use super::{BuildingAction, Facts, Grade, Method, Status};
use crate::domain::access::{Actor, Decision, Refusal, Target, allow_if};
use crate::domain::attachments::Stage;
use crate::domain::role::Role;

/// Who reads the register: everyone within their scope but the admin, who keeps accounts, not
/// the safety ledgers. Photos, appraisal reports and exports follow the same rule.
pub fn may_view(actor: &Actor, target: Target) -> Decision {
    actor.in_scope(target)?;
    allow_if(actor.role != Role::Admin)
}

/// Whether this role keeps a register at all (the "add a building" button and form): a
/// school's safety officer for their school, the bureau for any.
pub fn may_register_somewhere(actor: &Actor) -> Decision {
    allow_if(matches!(actor.role, Role::SchoolAdmin | Role::Bureau))
}

/// Who may add a building to this school's register.
pub fn may_register(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    may_register_somewhere(actor)
}

/// Who may correct a building's details (name, use, structure, size, year): the register's
/// keepers, while it stands.
pub fn may_edit(actor: &Actor, f: &Facts) -> Decision {
    may_register(actor, f.school_id)?;
    if f.status == Status::Demolished {
        Err(Refusal::Conflict)
    } else {
        Ok(())
    }
}

/// Who may record an appraisal, and when: the register's keepers, on a building that still
/// stands and is not being disposed of (the disposal ends first: demolished, or reinforced and
/// then appraised) — except a C building under reinforcement, which a new appraisal may find
/// whole-building dangerous (see `may_record`).
pub fn may_appraise(actor: &Actor, f: &Facts) -> Decision {
    may_register(actor, f.school_id)?;
    let escalating = f.status.in_disposal() && f.grade == Some(Grade::C);
    if f.status == Status::Demolished || (f.status.in_disposal() && !escalating) {
        Err(Refusal::Conflict)
    } else {
        Ok(())
    }
}

/// May this appraisal, of this grade, be recorded now? During a C building's reinforcement
/// only a D: the danger grew, the building closes and its hazard is raised; any other grade
/// waits for the reinforcement's acceptance.
pub fn may_record(actor: &Actor, f: &Facts, grade: Grade) -> Decision {
    may_appraise(actor, f)?;
    if f.status.in_disposal() && grade != Grade::D {
        Err(Refusal::Conflict)
    } else {
        Ok(())
    }
}

/// What an appraisal of this grade makes of the building: A and B put it (back) in use, C
/// restricts its use until it is reinforced, D closes it at once (停止使用).
pub fn status_after(grade: Grade) -> Status {
    match grade {
        Grade::A | Grade::B => Status::InUse,
        Grade::C => Status::Restricted,
        Grade::D => Status::Closed,
    }
}

/// A D grade raises one major, supervised hazard linked to the building, in the same
/// transaction as the appraisal.
pub fn raises_hazard(grade: Grade) -> bool {
    grade == Grade::D
}

/// Where a disposal step leads from a status, if it is allowed there at all. Acceptance ends
/// in what was planned.
pub fn next_state(from: Status, action: BuildingAction, method: Option<Method>) -> Option<Status> {
    use BuildingAction as A;
    use Status as S;
    match (from, action) {
        (S::Closed | S::Restricted, A::Plan) => Some(S::DisposalPlanned),
        (S::DisposalPlanned, A::ReportDone) => Some(S::AwaitingAcceptance),
        (S::AwaitingAcceptance, A::Accept) => match method? {
            Method::Demolish => Some(S::Demolished),
            Method::Reinforce => Some(S::Reinforced),
        },
        (S::AwaitingAcceptance, A::Return) => Some(S::DisposalPlanned),
        _ => None,
    }
}

/// May this role take this step at all, whatever the status?
fn role_may(actor: &Actor, action: BuildingAction) -> bool {
    match action {
        BuildingAction::Plan | BuildingAction::ReportDone => {
            matches!(actor.role, Role::SchoolAdmin | Role::Bureau)
        }
        BuildingAction::Accept | BuildingAction::Return => actor.role == Role::Bureau,
    }
}

/// The one answer to "may this actor take this step on this building now": the new status,
/// or why not. Scope first (404), then role (403), then status (409), then the person (403:
/// whoever reported the disposal done does not accept it).
pub fn decide(actor: &Actor, action: BuildingAction, f: &Facts) -> Decision<Status> {
    may_view(actor, Target::School(f.school_id))?;
    allow_if(role_may(actor, action))?;
    let to = next_state(f.status, action, f.method).ok_or(Refusal::Conflict)?;
    if action == BuildingAction::Accept && f.reported_done_by == Some(actor.user_id) {
        return Err(Refusal::Forbidden);
    }
    Ok(to)
}

/// The steps this actor may take now, in the order the page offers them.
pub fn available(actor: &Actor, f: &Facts) -> Vec<BuildingAction> {
    BuildingAction::ALL
        .iter()
        .copied()
        .filter(|a| decide(actor, *a, f).is_ok())
        .collect()
}

/// The stages of a building's photos (its appraisal reports are files of stage `report`,
/// added only with their appraisal).
pub const PHOTO_STAGES: [Stage; 2] = [Stage::Before, Stage::After];

/// May the actor add a photo of this stage now? "Before" photos: the register's keepers, while
/// the building stands. "After" photos: while the disposal is under way — once reported done,
/// the evidence under review stays as it was.
pub fn may_add_photo(actor: &Actor, f: &Facts, stage: Stage) -> Decision {
    may_register(actor, f.school_id)?;
    let state_ok = match stage {
        Stage::Before => f.status != Status::Demolished,
        Stage::After => f.status == Status::DisposalPlanned,
        Stage::Report | Stage::Evidence => return Err(Refusal::Forbidden),
    };
    if state_ok {
        Ok(())
    } else {
        Err(Refusal::Conflict)
    }
}

/// A disposal is overdue when its deadline has passed and nobody has reported it done.
/// Computed, never stored.
pub fn disposal_overdue(status: Status, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    status == Status::DisposalPlanned && deadline.is_some_and(|d| d < today)
}

/// A dangerous building without a disposal plan yet: a D closed, a C restricted.
pub fn needs_plan(status: Status) -> bool {
    matches!(status, Status::Closed | Status::Restricted)
}

/// Dangerous and not yet dealt with (CONTRACT's `dangerous_open`): graded C or D, neither
/// demolished nor reinforced.
pub fn dangerous_open(grade: Option<Grade>, status: Status) -> bool {
    grade.is_some_and(Grade::is_dangerous) && !status.is_disposed()
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "rules_props.rs"]
mod props;
