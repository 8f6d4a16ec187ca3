//! Who may do what with a campaign: the bureau defines it and returns items; a school's
//! officer marks its own school's items done (again, once returned); the county roles and the
//! officers read it — an officer only the own school's line.

use chrono::NaiveDate;

use super::MarkState;
use crate::domain::access::{Actor, Decision, Refusal, Target, allow_if};
use crate::domain::role::Role;

pub fn may_list(actor: &Actor) -> Decision {
    allow_if(matches!(
        actor.role,
        Role::SchoolAdmin | Role::Bureau | Role::Viewer
    ))
}

pub fn may_create(actor: &Actor) -> Decision {
    allow_if(actor.role == Role::Bureau)
}

/// Whether the actor is a school's officer, who marks the own school's items.
pub fn marks_own_school(actor: &Actor) -> bool {
    actor.role == Role::SchoolAdmin && actor.is_school_scoped()
}

/// Marking an item done for a school: its officer, while the item is not done (new, or
/// returned), and not before the campaign starts.
pub fn may_mark_done(
    actor: &Actor,
    school_id: i64,
    state: Option<MarkState>,
    starts_on: NaiveDate,
    today: NaiveDate,
) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    may_list(actor)?;
    allow_if(actor.role == Role::SchoolAdmin)?;
    if state == Some(MarkState::Done) || today < starts_on {
        return Err(Refusal::Conflict);
    }
    Ok(())
}

/// Returning a school's item: the bureau, once the item is done.
pub fn may_return(actor: &Actor, state: Option<MarkState>) -> Decision {
    may_create(actor)?;
    if state != Some(MarkState::Done) {
        return Err(Refusal::Conflict);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, school: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            role,
            school_id: school,
        }
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).unwrap_or_default()
    }

    #[test]
    fn the_officer_marks_an_open_or_returned_item_of_the_own_school() {
        let officer = actor(Role::SchoolAdmin, Some(3));
        let start = day(3, 1);
        assert_eq!(may_mark_done(&officer, 3, None, start, day(3, 2)), Ok(()));
        assert_eq!(
            may_mark_done(&officer, 3, Some(MarkState::Returned), start, day(3, 2)),
            Ok(())
        );
        assert_eq!(
            may_mark_done(&officer, 3, Some(MarkState::Done), start, day(3, 2)),
            Err(Refusal::Conflict)
        );
        assert_eq!(
            may_mark_done(&officer, 3, None, start, day(2, 28)),
            Err(Refusal::Conflict),
            "not before the campaign starts"
        );
        assert_eq!(
            may_mark_done(&officer, 4, None, start, day(3, 2)),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn nobody_but_the_officer_marks_items_done() {
        for a in [
            actor(Role::Staff, Some(3)),
            actor(Role::Bureau, None),
            actor(Role::Viewer, None),
            actor(Role::Admin, None),
        ] {
            assert_eq!(
                may_mark_done(&a, 3, None, day(1, 1), day(3, 2)),
                Err(Refusal::Forbidden),
                "{:?}",
                a.role
            );
        }
    }

    #[test]
    fn only_the_bureau_returns_and_only_a_done_item() {
        let bureau = actor(Role::Bureau, None);
        assert_eq!(may_return(&bureau, Some(MarkState::Done)), Ok(()));
        assert_eq!(may_return(&bureau, None), Err(Refusal::Conflict));
        assert_eq!(
            may_return(&bureau, Some(MarkState::Returned)),
            Err(Refusal::Conflict)
        );
        for a in [
            actor(Role::SchoolAdmin, Some(3)),
            actor(Role::Viewer, None),
            actor(Role::Admin, None),
        ] {
            assert_eq!(
                may_return(&a, Some(MarkState::Done)),
                Err(Refusal::Forbidden)
            );
        }
    }

    #[test]
    fn only_a_schools_officer_marks_the_own_school() {
        assert!(marks_own_school(&actor(Role::SchoolAdmin, Some(3))));
        assert!(!marks_own_school(&actor(Role::Bureau, None)));
        assert!(!marks_own_school(&actor(Role::Staff, Some(3))));
        assert_eq!(
            may_create(&actor(Role::Viewer, None)),
            Err(Refusal::Forbidden)
        );
    }
}
