//! Who may read a case, and the case's machine. Privacy comes first: a case exists only for its
//! school's safety officer (`school_admin`) and the bureau; every other role is refused every
//! case (403), and another school's case does not exist for an officer (404) — a teacher may
//! report, and is then told only that the report was received.

use super::{Action, Determination, Facts, State};
use crate::domain::access::{Actor, Decision, Refusal, Target, allow_if};
use crate::domain::role::Role;

/// The roles that ever read a case.
fn reads_cases(actor: &Actor) -> bool {
    matches!(actor.role, Role::SchoolAdmin | Role::Bureau)
}

/// Who reads this school's cases (their list, pages, parties, measures, exports). Here the
/// role comes first (CONTRACT: every other role is refused every case route, 403, whatever the
/// school), then the scope: another school's case does not exist for its officer (404).
pub fn may_read(actor: &Actor, school_id: i64) -> Decision {
    allow_if(reads_cases(actor))?;
    actor.in_scope(Target::School(school_id))
}

/// Who reads the case list and the module's pages at all (their own school's, or the county's).
pub fn may_list(actor: &Actor) -> Decision {
    allow_if(reads_cases(actor))
}

/// Who may report a case at this school: its staff, its officer, the bureau (for any school).
pub fn may_report(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    may_report_somewhere(actor)
}

pub fn may_report_somewhere(actor: &Actor) -> Decision {
    allow_if(matches!(
        actor.role,
        Role::Staff | Role::SchoolAdmin | Role::Bureau
    ))
}

/// A reporter who does not read cases is sent to a page that only says it was received.
pub fn sees_case_after_reporting(actor: &Actor) -> bool {
    reads_cases(actor)
}

/// Parties and measures are added by those who read the case, while it is open.
pub fn may_add_detail(actor: &Actor, f: &Facts) -> Decision {
    may_read(actor, f.school_id)?;
    if f.state.is_open() {
        Ok(())
    } else {
        Err(Refusal::Conflict)
    }
}

/// Who opened a case page, when: the bureau's to read (it watches the watchers).
pub fn may_read_access_log(actor: &Actor, school_id: i64) -> Decision {
    may_read(actor, school_id)?;
    allow_if(actor.role == Role::Bureau)
}

/// Screenings and prevention sessions are recorded by the school's own officer.
pub fn may_record_activity(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    allow_if(actor.role == Role::SchoolAdmin)
}

/// Where a step leads from a state, if it is allowed there at all. A determination of
/// bullying is followed up before the case closes; one of no bullying (or horseplay) may close
/// at once. The appeal goes to the county, whose re-examination leads back to a determination.
pub fn next_state(
    from: State,
    action: Action,
    determination: Option<Determination>,
) -> Option<State> {
    use Action as A;
    use State as S;
    match (from, action) {
        (S::Reported, A::Accept) => Some(S::Investigating),
        (S::Investigating, A::Determine) => Some(S::Determined),
        (S::Determined | S::FollowUp, A::FollowUp) => Some(S::FollowUp),
        (S::FollowUp | S::Referred, A::Close) => Some(S::Closed),
        (S::Determined, A::Close) if determination != Some(Determination::Bullying) => {
            Some(S::Closed)
        }
        (S::Determined | S::FollowUp, A::Appeal) => Some(S::Appealed),
        (S::Appealed, A::Reexamine) => Some(S::Determined),
        (
            S::Reported | S::Investigating | S::Determined | S::FollowUp | S::Appealed,
            A::ReferPolice,
        ) => Some(S::Referred),
        _ => None,
    }
}

/// May this role take this step at all? The re-examination is the county's; every other step
/// is the school officer's or the bureau's.
fn role_may(actor: &Actor, action: Action) -> bool {
    match action {
        Action::Reexamine => actor.role == Role::Bureau,
        _ => reads_cases(actor),
    }
}

/// The one answer to "may this actor take this step on this case now": the new state, or why
/// not. Scope (404), then who reads cases (403), then the role for the step (403), then the
/// state (409).
pub fn decide(actor: &Actor, action: Action, f: &Facts) -> Decision<State> {
    may_read(actor, f.school_id)?;
    allow_if(role_may(actor, action))?;
    next_state(f.state, action, f.determination).ok_or(Refusal::Conflict)
}

/// The steps this actor may take now, in the order the page offers them.
pub fn available(actor: &Actor, f: &Facts) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| decide(actor, *a, f).is_ok())
        .collect()
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
