//! The five roles of DESIGN.md and what scope each one has.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Staff,
    SchoolAdmin,
    Bureau,
    Viewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Staff,
        Role::SchoolAdmin,
        Role::Bureau,
        Role::Viewer,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::SchoolAdmin => "school_admin",
            Role::Bureau => "bureau",
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }

    /// School roles see their own school only; the others see the whole county.
    pub fn is_school_scoped(self) -> bool {
        matches!(self, Role::Staff | Role::SchoolAdmin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(s: &str) -> Result<Role, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
        assert!("Staff".parse::<Role>().is_err());
    }

    #[test]
    fn only_staff_and_school_admin_are_school_scoped() {
        let scoped: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.is_school_scoped())
            .collect();
        assert_eq!(scoped, vec![Role::Staff, Role::SchoolAdmin]);
    }
}
