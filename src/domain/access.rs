//! The shape of every authorization answer, and the county's own registries' rules.
//!
//! Each module declares its policy in `domain/<module>/rules.rs` (who may take which action, in
//! which state, within which scope), and every policy answers with [`Decision`]: allowed, or a
//! [`Refusal`] that the web turns into 404, 403 or 409. Scope comes before role: a record of
//! another school does not exist for a school-scoped user (404), even when the action would be
//! forbidden anyway.

use super::role::Role;

/// Who is acting, as the session says (never a form field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub school_id: Option<i64>,
}

/// What a record or a page belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// County-level things: the school registry, the user list, settings, county figures.
    County,
    School(i64),
}

/// Why an action is not allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the actor's scope: answer as if it did not exist (404).
    NotFound,
    /// Visible, but this role (or this person) may not (403).
    Forbidden,
    /// The record's state does not allow it now (409).
    Conflict,
}

/// Every policy's answer.
pub type Decision<T = ()> = Result<T, Refusal>;

/// Allowed when `ok`, else forbidden: the role check of a policy.
pub fn allow_if(ok: bool) -> Decision {
    if ok { Ok(()) } else { Err(Refusal::Forbidden) }
}

impl Actor {
    /// True when the actor may see records of this school at all.
    pub fn sees_school(&self, school_id: i64) -> bool {
        !self.role.is_school_scoped() || self.school_id == Some(school_id)
    }

    /// Not found unless the target lies within the actor's scope.
    pub fn in_scope(&self, target: Target) -> Decision {
        match target {
            Target::School(id) if !self.sees_school(id) => Err(Refusal::NotFound),
            _ => Ok(()),
        }
    }

    /// A school user is limited to one school; county users see every school.
    pub fn is_school_scoped(&self) -> bool {
        self.role.is_school_scoped()
    }

    /// What the actor's own lists cover: their school, or the county.
    pub fn home(&self) -> Target {
        match self.school_id {
            Some(id) if self.is_school_scoped() => Target::School(id),
            _ => Target::County,
        }
    }

    /// The county's accounts, schools and settings are the admin's, and only the admin's.
    pub fn keeps_accounts(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The county registries: schools, users and settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read one school's record.
    ViewSchool,
    /// Read the list of all schools.
    ListSchools,
    /// Create, edit, (de)activate and import schools.
    ManageSchools,
    /// Create, edit, disable users and reset passwords.
    ManageUsers,
    /// Change settings of the county.
    ManageSettings,
}

pub fn decide(actor: &Actor, action: Action, target: Target) -> Decision {
    actor.in_scope(target)?;
    allow_if(match action {
        Action::ViewSchool => true,
        Action::ListSchools => !actor.is_school_scoped(),
        Action::ManageSchools | Action::ManageUsers | Action::ManageSettings => {
            actor.keeps_accounts()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn actor(role: Role, school: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            role,
            school_id: school,
        }
    }

    fn any(role: Role) -> Actor {
        actor(role, role.is_school_scoped().then_some(1))
    }

    #[test]
    fn a_school_user_cannot_see_another_school() {
        for role in [Role::Staff, Role::SchoolAdmin] {
            let a = actor(role, Some(1));
            assert_eq!(decide(&a, Action::ViewSchool, Target::School(1)), Ok(()));
            assert_eq!(
                decide(&a, Action::ViewSchool, Target::School(2)),
                Err(Refusal::NotFound)
            );
            // Even a forbidden action on another school reads as not found.
            assert_eq!(
                decide(&a, Action::ManageSchools, Target::School(2)),
                Err(Refusal::NotFound)
            );
            assert_eq!(
                decide(&a, Action::ManageSchools, Target::School(1)),
                Err(Refusal::Forbidden)
            );
            assert_eq!(a.home(), Target::School(1));
        }
    }

    #[test]
    fn county_roles_see_every_school() {
        for role in [Role::Bureau, Role::Viewer, Role::Admin] {
            let a = actor(role, None);
            assert_eq!(decide(&a, Action::ViewSchool, Target::School(7)), Ok(()));
            assert_eq!(decide(&a, Action::ListSchools, Target::County), Ok(()));
            assert_eq!(a.home(), Target::County);
        }
    }

    #[test]
    fn only_admin_manages_users_schools_and_settings() {
        for role in Role::ALL.iter().copied() {
            for action in [
                Action::ManageUsers,
                Action::ManageSchools,
                Action::ManageSettings,
            ] {
                let expected = allow_if(role == Role::Admin);
                assert_eq!(
                    decide(&any(role), action, Target::County),
                    expected,
                    "{role} {action:?}"
                );
            }
        }
    }

    #[test]
    fn school_users_may_not_list_all_schools() {
        let a = actor(Role::Staff, Some(1));
        assert_eq!(
            decide(&a, Action::ListSchools, Target::County),
            Err(Refusal::Forbidden)
        );
    }
}
