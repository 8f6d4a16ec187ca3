//! Who may do what with a school's security record: everyone within scope but the admin reads
//! it; the school's safety officer keeps its guards and alarm tests; the officer and the bureau
//! verify its profile; either may raise a gap as a hazard, once per open gap. Licence numbers
//! are shown in full only to those who keep or verify them.

use super::Item;
use super::compliance::Ticks;
use crate::domain::access::{Actor, Decision, Refusal, Target, allow_if};
use crate::domain::role::Role;

/// Who reads a school's security record: everyone within their scope but the admin.
pub fn may_view(actor: &Actor, target: Target) -> Decision {
    actor.in_scope(target)?;
    allow_if(actor.role != Role::Admin)
}

/// The county table of every school: the county roles (school users get their own page).
pub fn sees_county_table(actor: &Actor) -> bool {
    !actor.is_school_scoped() && actor.role != Role::Admin
}

/// Adding guards, their leaving, and alarm tests: the school's own safety officer.
pub fn may_keep(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    allow_if(actor.role == Role::SchoolAdmin)
}

/// Recording the profile with its verification: the school's officer or the bureau.
pub fn may_verify(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    allow_if(matches!(actor.role, Role::SchoolAdmin | Role::Bureau))
}

/// Raising a gap as a hazard (category security): the officer or the bureau, for an item not
/// met (409 when it is met) and not already raised (409 while a hazard for it is open).
pub fn may_raise_gap(
    actor: &Actor,
    school_id: i64,
    item: Item,
    ticks: &Ticks,
    open_for_item: bool,
) -> Decision {
    may_verify(actor, school_id)?;
    if ticks.get(item).is_ok() || open_for_item {
        return Err(Refusal::Conflict);
    }
    Ok(())
}

/// Whether this actor sees a school's licence numbers in full (else masked).
pub fn sees_licences(actor: &Actor, school_id: i64) -> bool {
    actor.sees_school(school_id) && matches!(actor.role, Role::SchoolAdmin | Role::Bureau)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::security::compliance::Gap;

    const SCHOOL: i64 = 3;

    fn actor(role: Role, school: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            role,
            school_id: school,
        }
    }

    fn everyone() -> Vec<Actor> {
        vec![
            actor(Role::Staff, Some(SCHOOL)),
            actor(Role::SchoolAdmin, Some(SCHOOL)),
            actor(Role::SchoolAdmin, Some(SCHOOL + 1)),
            actor(Role::Bureau, None),
            actor(Role::Viewer, None),
            actor(Role::Admin, None),
        ]
    }

    fn ticks(closed: Result<(), Gap>) -> Ticks {
        Ticks {
            guards: Ok(()),
            closed,
            alarm: Ok(()),
            post: Ok(()),
        }
    }

    #[test]
    fn who_reads_keeps_verifies_and_sees_licences() {
        use Refusal::{Forbidden as F, NotFound as N};
        // staff, own admin, other admin, bureau, viewer, admin
        let view = [Ok(()), Ok(()), Err(N), Ok(()), Ok(()), Err(F)];
        let keep = [Err(F), Ok(()), Err(N), Err(F), Err(F), Err(F)];
        let verify = [Err(F), Ok(()), Err(N), Ok(()), Err(F), Err(F)];
        let licences = [false, true, false, true, false, false];
        for (i, a) in everyone().iter().enumerate() {
            assert_eq!(
                may_view(a, Target::School(SCHOOL)),
                view[i],
                "{:?} view",
                a.role
            );
            assert_eq!(may_keep(a, SCHOOL), keep[i], "{:?} keep", a.role);
            assert_eq!(may_verify(a, SCHOOL), verify[i], "{:?} verify", a.role);
            assert_eq!(
                sees_licences(a, SCHOOL),
                licences[i],
                "{:?} licences",
                a.role
            );
        }
        assert!(sees_county_table(&actor(Role::Viewer, None)));
        assert!(!sees_county_table(&actor(Role::SchoolAdmin, Some(SCHOOL))));
        assert!(!sees_county_table(&actor(Role::Admin, None)));
    }

    #[test]
    fn a_gap_is_raised_once_and_only_when_it_is_a_gap() {
        let officer = actor(Role::SchoolAdmin, Some(SCHOOL));
        let gap = ticks(Err(Gap::Lapsed));
        assert_eq!(
            may_raise_gap(&officer, SCHOOL, Item::Closed, &gap, false),
            Ok(())
        );
        assert_eq!(
            may_raise_gap(&officer, SCHOOL, Item::Closed, &gap, true),
            Err(Refusal::Conflict),
            "an open hazard for the gap already exists"
        );
        assert_eq!(
            may_raise_gap(&officer, SCHOOL, Item::Guards, &gap, false),
            Err(Refusal::Conflict),
            "the guards item is met"
        );
        let staff = actor(Role::Staff, Some(SCHOOL));
        assert_eq!(
            may_raise_gap(&staff, SCHOOL, Item::Closed, &gap, false),
            Err(Refusal::Forbidden)
        );
        let other = actor(Role::SchoolAdmin, Some(SCHOOL + 1));
        assert_eq!(
            may_raise_gap(&other, SCHOOL, Item::Closed, &gap, false),
            Err(Refusal::NotFound)
        );
    }
}
