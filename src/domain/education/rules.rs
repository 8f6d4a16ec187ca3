//! Who reads and records education sessions: everyone within scope but the staff and the admin
//! reads them; the school's safety officer records its own, the bureau any school's (a county
//! event held at a school). Photos follow the recording rule.

use crate::domain::access::{Actor, Decision, Target, allow_if};
use crate::domain::role::Role;

/// The register at all: the county roles and the school's officer.
pub fn may_list(actor: &Actor) -> Decision {
    allow_if(matches!(
        actor.role,
        Role::SchoolAdmin | Role::Bureau | Role::Viewer
    ))
}

/// One school's sessions: the list's roles, within scope (another school's is not found).
pub fn may_view(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    may_list(actor)
}

/// Whether the actor records sessions for some school (the form at all).
pub fn may_record_somewhere(actor: &Actor) -> Decision {
    allow_if(matches!(actor.role, Role::SchoolAdmin | Role::Bureau))
}

/// Recording a session, or adding its photos, for this school.
pub fn may_record(actor: &Actor, school_id: i64) -> Decision {
    actor.in_scope(Target::School(school_id))?;
    may_record_somewhere(actor)
}

/// Whether the actor reads a session's note: whoever records for its school. A note may name
/// people (a prevention session against bullying is in this register too), so viewers and
/// exports get the counts and topics only.
pub fn sees_note(actor: &Actor, school_id: i64) -> bool {
    may_record(actor, school_id).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Refusal;

    fn actor(role: Role, school: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            role,
            school_id: school,
        }
    }

    #[test]
    fn the_officer_records_for_the_own_school_and_the_bureau_for_any() {
        assert_eq!(may_record(&actor(Role::SchoolAdmin, Some(3)), 3), Ok(()));
        assert_eq!(
            may_record(&actor(Role::SchoolAdmin, Some(4)), 3),
            Err(Refusal::NotFound)
        );
        assert_eq!(may_record(&actor(Role::Bureau, None), 3), Ok(()));
        for (role, school) in [
            (Role::Staff, Some(3)),
            (Role::Viewer, None),
            (Role::Admin, None),
        ] {
            assert_eq!(
                may_record(&actor(role, school), 3),
                Err(Refusal::Forbidden),
                "{role:?}"
            );
        }
    }

    #[test]
    fn notes_are_read_by_whoever_records_for_the_school_only() {
        assert!(sees_note(&actor(Role::SchoolAdmin, Some(3)), 3));
        assert!(sees_note(&actor(Role::Bureau, None), 3));
        assert!(!sees_note(&actor(Role::Viewer, None), 3));
        assert!(!sees_note(&actor(Role::SchoolAdmin, Some(4)), 3));
    }

    #[test]
    fn staff_and_the_admin_read_no_register() {
        assert_eq!(
            may_view(&actor(Role::Staff, Some(3)), 3),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            may_view(&actor(Role::Admin, None), 3),
            Err(Refusal::Forbidden)
        );
        assert_eq!(may_view(&actor(Role::Viewer, None), 3), Ok(()));
        assert_eq!(
            may_view(&actor(Role::SchoolAdmin, Some(4)), 3),
            Err(Refusal::NotFound)
        );
    }
}
