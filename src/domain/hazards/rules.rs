//! The hazard loop as a pure state machine and its policy: who may take which action, in which
//! state, within which scope, and what each step leads to. Pages show only what `available`
//! returns; the store applies only what `decide` allows, inside its write transaction.

use chrono::NaiveDate;

use super::{Facts, HazardAction, Level, Policy, State};
use crate::domain::access::{Actor, Decision, Refusal, Target, allow_if};
use crate::domain::attachments::Stage;
use crate::domain::role::Role;

/// Where an action leads from a state, if it is allowed there at all.
pub fn next_state(from: State, action: HazardAction) -> Option<State> {
    use HazardAction as A;
    use State as S;
    match (from, action) {
        (S::Reported, A::Register) => Some(S::Registered),
        (S::Reported, A::Dismiss) => Some(S::Dismissed),
        (S::Reported, A::MarkDuplicate) => Some(S::Duplicate),
        (S::Reported | S::Registered, A::Refer) => Some(S::Referred),
        (S::Registered, A::Assign) => Some(S::Rectifying),
        (S::Rectifying, A::Submit) => Some(S::AwaitingAcceptance),
        (S::AwaitingAcceptance, A::Accept) => Some(S::Closed),
        (S::AwaitingAcceptance, A::Return) => Some(S::Rectifying),
        (S::Closed, A::Reopen) => Some(S::Rectifying),
        _ => None,
    }
}

/// Who reads hazards: everyone within their scope but the admin, who keeps accounts, not the
/// safety ledgers. Photos, exports and the review queue follow the same rule.
pub fn may_view(actor: &Actor, target: Target) -> Decision {
    actor.in_scope(target)?;
    allow_if(actor.role != Role::Admin)
}

/// The printable rectification notice (整改通知书): whoever may see the hazard, once it has been
/// assigned (a deadline and someone responsible); before that there is nothing to notify.
pub fn notice(actor: &Actor, f: &Facts) -> Decision {
    may_view(actor, Target::School(f.school_id))?;
    match f.state {
        State::Rectifying | State::AwaitingAcceptance | State::Closed => Ok(()),
        _ => Err(Refusal::Conflict),
    }
}

/// Whether this role reports hazards anywhere at all (the "report" button and form).
pub fn may_report_somewhere(actor: &Actor) -> Decision {
    allow_if(matches!(
        actor.role,
        Role::Staff | Role::SchoolAdmin | Role::Bureau
    ))
}

/// Who may report a hazard for a school.
pub fn may_report(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    may_report_somewhere(actor)
}

/// The review queue (fixes awaiting acceptance) is the bureau's desk.
pub fn may_review(actor: &Actor) -> Decision {
    allow_if(actor.role == Role::Bureau)
}

/// Someone who reports but does not handle hazards follows their own reports (a teacher).
pub fn follows_own_reports(actor: &Actor) -> bool {
    actor.role == Role::Staff
}

/// Whether the school's own officers accept this hazard's fix: where the county allows it,
/// for general hazards not under supervision.
pub fn school_accepts(f: &Facts, policy: Policy) -> bool {
    policy.schools_accept_general && f.level == Level::General && !f.supervised
}

/// May this role take this action on this hazard at all, whatever its state?
fn role_may(actor: &Actor, action: HazardAction, f: &Facts, policy: Policy) -> bool {
    use HazardAction as A;
    match action {
        A::Register | A::Dismiss | A::MarkDuplicate | A::Refer | A::Assign => {
            matches!(actor.role, Role::SchoolAdmin | Role::Bureau)
        }
        A::Submit => actor.role == Role::SchoolAdmin,
        A::Accept | A::Return => {
            actor.role == Role::Bureau
                || (actor.role == Role::SchoolAdmin && school_accepts(f, policy))
        }
        A::Reopen => actor.role == Role::Bureau,
    }
}

/// The one answer to "may this actor take this action on this hazard now": the new state,
/// or why not. Scope first (404), then role (403), then state (409), then the person (403:
/// whoever submitted a fix does not accept it).
pub fn decide(actor: &Actor, action: HazardAction, f: &Facts, policy: Policy) -> Decision<State> {
    may_view(actor, Target::School(f.school_id))?;
    allow_if(role_may(actor, action, f, policy))?;
    let to = next_state(f.state, action).ok_or(Refusal::Conflict)?;
    if f.from_building && matches!(action, HazardAction::Submit | HazardAction::Reopen) {
        // The building's disposal is the fix: its acceptance closes this hazard.
        return Err(Refusal::Conflict);
    }
    if action == HazardAction::Accept && f.submitted_by == Some(actor.user_id) {
        return Err(Refusal::Forbidden);
    }
    Ok(to)
}

/// The actions this actor may take now, in the order the page offers them.
pub fn available(actor: &Actor, f: &Facts, policy: Policy) -> Vec<HazardAction> {
    HazardAction::ALL
        .iter()
        .copied()
        .filter(|a| decide(actor, *a, f, policy).is_ok())
        .collect()
}

/// May the actor set or clear supervision (挂牌督办)? Bureau only, open hazards only.
pub fn may_supervise(actor: &Actor, f: &Facts) -> Decision {
    actor.in_scope(Target::School(f.school_id))?;
    allow_if(actor.role == Role::Bureau)?;
    if f.state.is_open() {
        Ok(())
    } else {
        Err(Refusal::Conflict)
    }
}

/// May the actor lift supervision? As `may_supervise`, except on a building's hazard: a D
/// building stays under supervision until its disposal is accepted.
pub fn may_lift_supervision(actor: &Actor, f: &Facts) -> Decision {
    may_supervise(actor, f)?;
    if f.from_building {
        Err(Refusal::Conflict)
    } else {
        Ok(())
    }
}

/// The stages of a hazard's photos.
pub const PHOTO_STAGES: [Stage; 2] = [Stage::Before, Stage::After];

/// May the actor add a photo of this stage now? "Before" photos: whoever may report, while the
/// hazard is open. "After" photos: the school's safety officer or the bureau, while it is being
/// fixed — once submitted, the evidence under review stays as it was.
pub fn may_add_photo(actor: &Actor, f: &Facts, stage: Stage) -> Decision {
    may_report(actor, f.school_id)?;
    let (role_ok, state_ok) = match stage {
        Stage::Before => (
            true,
            f.state.is_open() && f.state != State::AwaitingAcceptance,
        ),
        Stage::After => (
            matches!(actor.role, Role::SchoolAdmin | Role::Bureau),
            f.state == State::Rectifying,
        ),
        Stage::Report | Stage::Evidence => (false, false),
    };
    allow_if(role_ok)?;
    if state_ok {
        Ok(())
    } else {
        Err(Refusal::Conflict)
    }
}

/// Overdue (逾期): the deadline has passed and the hazard is still open. Computed, never stored.
pub fn is_overdue(state: State, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    state.is_open() && deadline.is_some_and(|d| d < today)
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "rules_props.rs"]
mod props;
