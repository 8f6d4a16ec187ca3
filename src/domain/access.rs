//! The one place that answers "may this user do this to this record".
//! Scope is checked before role: a record of another school does not exist for a
//! school-scoped user (404), even when the action would be forbidden anyway.

use super::role::Role;

/// Who is acting, as the session says (never a form field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub school_id: Option<i64>,
}

/// What the record belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// County-level things: the school registry, the user list, settings.
    County,
    School(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read one school's record and what belongs to it.
    ViewSchool,
    /// Read the list of all schools.
    ListSchools,
    /// Create, edit, (de)activate and import schools.
    ManageSchools,
    /// Create, edit, disable users and reset passwords.
    ManageUsers,
    /// Change settings of the county.
    ManageSettings,
    /// Read hazards (of the schools in scope), their photos and exports.
    ViewHazards,
    /// Read monthly reports (a school's own; county roles any scope).
    ViewReports,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// The target is outside the actor's scope: answer as if it did not exist.
    NotFound,
    /// The target is visible but the role may not take this action.
    Forbidden,
}

impl Actor {
    /// True when the actor may see records of this school at all.
    pub fn sees_school(&self, school_id: i64) -> bool {
        !self.role.is_school_scoped() || self.school_id == Some(school_id)
    }
}

pub fn decide(actor: &Actor, action: Action, target: Target) -> Decision {
    if let Target::School(id) = target
        && !actor.sees_school(id)
    {
        return Decision::NotFound;
    }
    let allowed = match action {
        Action::ViewSchool => true,
        Action::ListSchools => !actor.role.is_school_scoped(),
        // The admin keeps accounts, not the safety ledgers.
        Action::ViewHazards | Action::ViewReports => actor.role != Role::Admin,
        Action::ManageSchools | Action::ManageUsers | Action::ManageSettings => {
            actor.role == Role::Admin
        }
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
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

    #[test]
    fn a_school_user_cannot_see_another_school() {
        for role in [Role::Staff, Role::SchoolAdmin] {
            let a = actor(role, Some(1));
            assert_eq!(
                decide(&a, Action::ViewSchool, Target::School(1)),
                Decision::Allow
            );
            assert_eq!(
                decide(&a, Action::ViewSchool, Target::School(2)),
                Decision::NotFound
            );
            // Even a forbidden action on another school reads as not found.
            assert_eq!(
                decide(&a, Action::ManageSchools, Target::School(2)),
                Decision::NotFound
            );
            assert_eq!(
                decide(&a, Action::ManageSchools, Target::School(1)),
                Decision::Forbidden
            );
        }
    }

    #[test]
    fn county_roles_see_every_school() {
        for role in [Role::Bureau, Role::Viewer, Role::Admin] {
            let a = actor(role, None);
            assert_eq!(
                decide(&a, Action::ViewSchool, Target::School(7)),
                Decision::Allow
            );
            assert_eq!(
                decide(&a, Action::ListSchools, Target::County),
                Decision::Allow
            );
        }
    }

    #[test]
    fn only_admin_manages_users_schools_and_settings() {
        for role in Role::ALL {
            let a = actor(
                role,
                if role.is_school_scoped() {
                    Some(1)
                } else {
                    None
                },
            );
            for action in [
                Action::ManageUsers,
                Action::ManageSchools,
                Action::ManageSettings,
            ] {
                let expected = if role == Role::Admin {
                    Decision::Allow
                } else {
                    Decision::Forbidden
                };
                assert_eq!(
                    decide(&a, action, Target::County),
                    expected,
                    "{role} {action:?}"
                );
            }
        }
    }

    #[test]
    fn everyone_but_the_admin_reads_hazards_within_scope() {
        for role in Role::ALL {
            let a = actor(
                role,
                if role.is_school_scoped() {
                    Some(1)
                } else {
                    None
                },
            );
            let want = if role == Role::Admin {
                Decision::Forbidden
            } else {
                Decision::Allow
            };
            assert_eq!(
                decide(&a, Action::ViewHazards, Target::School(1)),
                want,
                "{role}"
            );
        }
        let a = actor(Role::Staff, Some(1));
        assert_eq!(
            decide(&a, Action::ViewHazards, Target::School(2)),
            Decision::NotFound
        );
    }

    #[test]
    fn school_users_may_not_list_all_schools() {
        let a = actor(Role::Staff, Some(1));
        assert_eq!(
            decide(&a, Action::ListSchools, Target::County),
            Decision::Forbidden
        );
    }
}
