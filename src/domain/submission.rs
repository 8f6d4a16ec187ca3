//! Schools submit their month (a frozen snapshot); the bureau may return a submission.

use super::access::Actor;
use super::hazard::Refusal;
use super::role::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmissionState {
    Submitted,
    Returned,
}

impl SubmissionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::Submitted => "submitted",
            SubmissionState::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<SubmissionState> {
        match s {
            "submitted" => Some(SubmissionState::Submitted),
            "returned" => Some(SubmissionState::Returned),
            _ => None,
        }
    }
}

/// A school's safety officer submits their own school's month, once, or again after the
/// bureau returned it.
pub fn may_submit(
    actor: &Actor,
    school_id: i64,
    current: Option<SubmissionState>,
) -> Result<(), Refusal> {
    if !actor.sees_school(school_id) {
        return Err(Refusal::NotFound);
    }
    if actor.role != Role::SchoolAdmin {
        return Err(Refusal::Forbidden);
    }
    match current {
        Some(SubmissionState::Submitted) => Err(Refusal::Conflict),
        None | Some(SubmissionState::Returned) => Ok(()),
    }
}

/// The bureau returns a submitted month, with a comment.
pub fn may_return(actor: &Actor, current: SubmissionState) -> Result<(), Refusal> {
    if actor.role != Role::Bureau {
        return Err(Refusal::Forbidden);
    }
    match current {
        SubmissionState::Submitted => Ok(()),
        SubmissionState::Returned => Err(Refusal::Conflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 1,
            role,
            school_id: role.is_school_scoped().then_some(7),
        }
    }

    #[test]
    fn only_the_schools_officer_submits_and_only_once_until_returned() {
        let officer = actor(Role::SchoolAdmin);
        assert_eq!(may_submit(&officer, 7, None), Ok(()));
        assert_eq!(
            may_submit(&officer, 7, Some(SubmissionState::Submitted)),
            Err(Refusal::Conflict)
        );
        assert_eq!(
            may_submit(&officer, 7, Some(SubmissionState::Returned)),
            Ok(())
        );
        assert_eq!(may_submit(&officer, 8, None), Err(Refusal::NotFound));
        for role in [Role::Staff, Role::Bureau, Role::Viewer, Role::Admin] {
            assert_eq!(
                may_submit(&actor(role), 7, None),
                Err(Refusal::Forbidden),
                "{role}"
            );
        }
    }

    #[test]
    fn only_the_bureau_returns_and_only_a_submitted_month() {
        assert_eq!(
            may_return(&actor(Role::Bureau), SubmissionState::Submitted),
            Ok(())
        );
        assert_eq!(
            may_return(&actor(Role::Bureau), SubmissionState::Returned),
            Err(Refusal::Conflict)
        );
        for role in [Role::Staff, Role::SchoolAdmin, Role::Viewer, Role::Admin] {
            assert_eq!(
                may_return(&actor(role), SubmissionState::Submitted),
                Err(Refusal::Forbidden)
            );
        }
    }
}
