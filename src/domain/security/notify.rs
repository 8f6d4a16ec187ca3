//! What the security module tells, and whom: a failed alarm test, an alarm test overdue, a
//! verification that lapsed and a guard in post without insurance tell the school's safety
//! officers and the bureau alike (CONTRACT "Notifications").

use super::{AlarmResult, KIND};
use crate::domain::enums::str_enum;
use crate::domain::notify::{Audience, Notice};

str_enum!(pub SecurityNotice: "security.notice" {
    AlarmFailed = "alarm_failed",
    AlarmOverdue = "alarm_overdue",
    VerificationLapsed = "verification_lapsed",
    NotInsured = "not_insured",
});

impl SecurityNotice {
    /// An alarm test's notice: only a failed one tells anyone.
    pub fn of_alarm_test(result: AlarmResult) -> Option<SecurityNotice> {
        (result == AlarmResult::Fail).then_some(SecurityNotice::AlarmFailed)
    }

    /// A guard added without insurance tells at once.
    pub fn of_new_guard(insured: bool) -> Option<SecurityNotice> {
        (!insured).then_some(SecurityNotice::NotInsured)
    }

    pub fn audience(self) -> Vec<Audience> {
        vec![Audience::SchoolAdmins, Audience::Bureau]
    }

    pub fn notice(self) -> Notice {
        Notice {
            kind: KIND,
            event: self.as_str(),
            audience: self.audience(),
        }
    }
}

/// A school's security page: where its notices link.
pub fn path(school_code: &str) -> String {
    format!("/security/schools/{school_code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_and_lapses_tell_the_school_and_the_bureau() {
        assert_eq!(
            SecurityNotice::of_alarm_test(AlarmResult::Fail),
            Some(SecurityNotice::AlarmFailed)
        );
        assert_eq!(SecurityNotice::of_alarm_test(AlarmResult::Pass), None);
        assert_eq!(
            SecurityNotice::of_new_guard(false),
            Some(SecurityNotice::NotInsured)
        );
        assert_eq!(SecurityNotice::of_new_guard(true), None);
        for n in SecurityNotice::ALL {
            assert_eq!(
                n.audience(),
                vec![Audience::SchoolAdmins, Audience::Bureau],
                "{n}"
            );
        }
        assert_eq!(path("CX-01"), "/security/schools/CX-01");
    }
}
