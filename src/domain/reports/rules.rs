//! Who reads reports, and how a month is submitted: a school's safety officer submits their own
//! school's month (a frozen snapshot), once, or again after the bureau returned it.

use super::SubmissionState;
use crate::domain::access::{Actor, Decision, Refusal, Target, allow_if};
use crate::domain::role::Role;

/// Everyone but the admin reads reports: a school user their own school's, county roles any.
pub fn may_view(actor: &Actor, target: Target) -> Decision {
    actor.in_scope(target)?;
    allow_if(actor.role != Role::Admin)
}

/// Figures of a township hold other schools': county roles only.
pub fn may_view_township(actor: &Actor) -> Decision {
    may_view(actor, Target::County)?;
    allow_if(!actor.is_school_scoped())
}

/// The bureau's overview of which schools have submitted (and the viewers').
pub fn may_list_submissions(actor: &Actor) -> Decision {
    allow_if(matches!(actor.role, Role::Bureau | Role::Viewer))
}

/// Whether this user submits a month at all (the button's place on the page).
pub fn submits(actor: &Actor) -> bool {
    actor.role == Role::SchoolAdmin && actor.school_id.is_some()
}

pub fn may_submit(actor: &Actor, school_id: i64, current: Option<SubmissionState>) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    allow_if(actor.role == Role::SchoolAdmin && actor.school_id == Some(school_id))?;
    match current {
        Some(SubmissionState::Submitted) => Err(Refusal::Conflict),
        None | Some(SubmissionState::Returned) => Ok(()),
    }
}

/// The bureau returns a submitted month, with a comment.
pub fn may_return(actor: &Actor, current: SubmissionState) -> Decision {
    allow_if(actor.role == Role::Bureau)?;
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
        assert!(submits(&officer));
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
            assert!(!submits(&actor(role)), "{role}");
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

    #[test]
    fn reports_are_read_within_scope_by_all_but_the_admin() {
        assert_eq!(may_view(&actor(Role::Staff), Target::School(7)), Ok(()));
        assert_eq!(
            may_view(&actor(Role::Staff), Target::School(8)),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            may_view(&actor(Role::Admin), Target::County),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            may_view_township(&actor(Role::SchoolAdmin)),
            Err(Refusal::Forbidden)
        );
        assert_eq!(may_view_township(&actor(Role::Viewer)), Ok(()));
        assert_eq!(may_list_submissions(&actor(Role::Viewer)), Ok(()));
        assert_eq!(
            may_list_submissions(&actor(Role::SchoolAdmin)),
            Err(Refusal::Forbidden)
        );
    }
}
