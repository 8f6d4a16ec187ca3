//! Users: the checks on accounts and passwords.

use super::role::Role;
use super::validate::{Errors, FieldError};

/// The roles an account may have, in the order the form offers them.
pub const ROLES: &[Role] = Role::ALL;

pub const USERNAME_MAX: usize = 32;
pub const DISPLAY_NAME_MAX: usize = 50;
pub const PASSWORD_MIN: usize = 10;
/// Long enough for any pass phrase, short enough that hashing it costs nothing extra.
pub const PASSWORD_MAX: usize = 128;

#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct UserDraft {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub school: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A school code; present exactly when the role is school-scoped.
    pub school: Option<String>,
}

pub fn valid_username(u: &str) -> bool {
    (3..=USERNAME_MAX).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

pub fn validate(d: &UserDraft) -> Result<UserInput, Vec<FieldError>> {
    let mut e = Errors::default();
    let username = d.username.trim().to_string();
    if username.is_empty() {
        e.add("username", "error.required");
    } else if !valid_username(&username) {
        e.add("username", "users.error.username_format");
    }
    let mut display_name = e.text("display_name", &d.display_name, false, DISPLAY_NAME_MAX);
    if display_name.is_empty() {
        display_name = username.clone();
    }
    let role = d.role.trim().parse::<Role>();
    // The code is looked up next (an import's rows before any write): checked like any text,
    // so a control character is refused here rather than sent to the database.
    let school = e.text("school", &d.school, false, super::school::CODE_MAX);
    match role {
        Err(()) => e.add("role", "error.choice"),
        Ok(r) if r.is_school_scoped() && school.is_empty() => {
            e.add("school", "users.error.school_required")
        }
        Ok(r) if !r.is_school_scoped() && !school.is_empty() => {
            e.add("school", "users.error.school_not_allowed")
        }
        Ok(_) => {}
    }
    let Ok(role) = role else {
        return Err(e.0);
    };
    e.into_result(UserInput {
        username,
        display_name,
        role,
        school: (!school.is_empty()).then_some(school),
    })
}

/// Nobody changes their own role: an admin would lock themselves out of the accounts.
pub fn check_role_change(
    editor: i64,
    user: i64,
    current: Role,
    new: Role,
) -> Result<(), Vec<FieldError>> {
    if editor == user && current != new {
        return Err(FieldError::only("role", "users.error.own_role"));
    }
    Ok(())
}

/// A new password's checks: length, and not the user name.
pub fn check_password(username: &str, password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Err("account.error.password_short")
    } else if n > PASSWORD_MAX {
        Err("account.error.password_long")
    } else if password.to_lowercase().contains(&username.to_lowercase()) {
        Err("account.error.password_has_username")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(role: &str, school: &str) -> UserDraft {
        UserDraft {
            username: "zhang.wei".into(),
            display_name: "张伟".into(),
            role: role.into(),
            school: school.into(),
        }
    }

    #[test]
    fn school_roles_need_a_school_and_county_roles_refuse_one() {
        assert!(validate(&draft("staff", "CX-001")).is_ok());
        assert!(validate(&draft("bureau", "")).is_ok());
        let e = validate(&draft("staff", "")).err().unwrap_or_default();
        assert_eq!(e[0].message, "users.error.school_required");
        let e = validate(&draft("viewer", "CX-001"))
            .err()
            .unwrap_or_default();
        assert_eq!(e[0].message, "users.error.school_not_allowed");
    }

    #[test]
    fn a_school_code_with_control_characters_or_too_long_is_refused() {
        for code in ["CX\u{0}1", "CX\u{1b}1", &"C".repeat(33)] {
            let errors = validate(&draft("staff", code)).err().unwrap_or_default();
            assert_eq!(errors.len(), 1, "{code:?}");
            assert_eq!(errors[0].field, "school");
        }
    }

    #[test]
    fn nobody_changes_their_own_role() {
        assert!(check_role_change(1, 1, Role::Admin, Role::Viewer).is_err());
        assert!(check_role_change(1, 1, Role::Admin, Role::Admin).is_ok());
        assert!(check_role_change(1, 2, Role::Admin, Role::Viewer).is_ok());
    }

    #[test]
    fn usernames_are_lowercase_ascii() {
        assert!(valid_username("li_na-2"));
        assert!(!valid_username("Li"));
        assert!(!valid_username("张三"));
        assert!(!valid_username("a b"));
    }

    #[test]
    fn passwords_are_long_enough_and_not_the_username() {
        assert_eq!(
            check_password("wang", "short"),
            Err("account.error.password_short")
        );
        assert_eq!(
            check_password("wang", "my-WANG-password"),
            Err("account.error.password_has_username")
        );
        assert_eq!(
            check_password("wang", &"x".repeat(129)),
            Err("account.error.password_long")
        );
        assert_eq!(check_password("wang", "绿水青山就是金山银山"), Ok(()));
    }

    #[test]
    fn a_blank_display_name_falls_back_to_the_username() {
        let mut d = draft("bureau", "");
        d.display_name = " ".into();
        assert_eq!(
            validate(&d).map(|u| u.display_name),
            Ok("zhang.wei".to_string())
        );
    }
}
