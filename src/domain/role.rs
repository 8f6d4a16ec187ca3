//! The five roles of DESIGN.md and what scope each one has.

use std::str::FromStr;

use super::enums::str_enum;

str_enum!(pub Role: "role" {
    Staff = "staff",
    SchoolAdmin = "school_admin",
    Bureau = "bureau",
    Viewer = "viewer",
    Admin = "admin",
});

impl Role {
    /// The catalog key of what the role does, as a home page tells its user.
    pub fn duty_label(self) -> &'static str {
        match self {
            Role::Staff => "home.role_text.staff",
            Role::SchoolAdmin => "home.role_text.school_admin",
            Role::Bureau => "home.role_text.bureau",
            Role::Viewer => "home.role_text.viewer",
            Role::Admin => "home.role_text.admin",
        }
    }

    /// School roles see their own school only; the others see the whole county.
    pub fn is_school_scoped(self) -> bool {
        matches!(self, Role::Staff | Role::SchoolAdmin)
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(s: &str) -> Result<Role, ()> {
        Role::parse(s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        assert!("root".parse::<Role>().is_err());
        assert!("Staff".parse::<Role>().is_err());
    }

    #[test]
    fn only_staff_and_school_admin_are_school_scoped() {
        let scoped: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.is_school_scoped())
            .collect();
        assert_eq!(scoped, vec![Role::Staff, Role::SchoolAdmin]);
    }
}
