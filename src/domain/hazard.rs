//! The hazard closed loop (发现→核实→交办→整改→验收→销号) as a pure state machine: states,
//! actions, who may take each, and what each needs. The web shows only what `available`
//! returns; the store applies only what `decide` allows.

use chrono::NaiveDate;

use super::access::Actor;
use super::role::Role;

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

str_enum!(State {
    Reported = "reported",
    Registered = "registered",
    Dismissed = "dismissed",
    Duplicate = "duplicate",
    Referred = "referred",
    Rectifying = "rectifying",
    AwaitingAcceptance = "awaiting_acceptance",
    Closed = "closed",
});

str_enum!(HazardAction {
    Register = "register",
    Dismiss = "dismiss",
    MarkDuplicate = "mark_duplicate",
    Refer = "refer",
    Assign = "assign",
    Submit = "submit",
    Accept = "accept",
    Return = "return",
    Reopen = "reopen",
});

str_enum!(Level { General = "general", Major = "major" });

str_enum!(Source { Periphery = "periphery", Campus = "campus" });

str_enum!(Category {
    Building = "building",
    Fire = "fire",
    Electrical = "electrical",
    SportsEquipment = "sports_equipment",
    Canteen = "canteen",
    Traffic = "traffic",
    Water = "water",
    Vendors = "vendors",
    Entertainment = "entertainment",
    Construction = "construction",
    PublicOrder = "public_order",
    Security = "security",
    Other = "other",
});

str_enum!(HowFound { Daily = "daily", Special = "special", Joint = "joint" });

str_enum!(PhotoStage { Before = "before", After = "after" });

impl State {
    /// Open hazards still need work; closed, dismissed, duplicate and referred ones do not.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            State::Reported | State::Registered | State::Rectifying | State::AwaitingAcceptance
        )
    }
}

/// The county's choices that change who may do what.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Schools may accept (and return) their own general, unsupervised hazards. Off by default:
    /// the bureau reviews every fix.
    pub schools_accept_general: bool,
}

pub const SETTING_SCHOOLS_ACCEPT_GENERAL: &str = "hazards.schools_accept_general";

/// What the rules need to know about a hazard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub school_id: i64,
    pub state: State,
    pub level: Level,
    pub supervised: bool,
    /// Who submitted the fix now awaiting acceptance.
    pub submitted_by: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the actor's scope: 404.
    NotFound,
    /// The role (or this person) may not: 403.
    Forbidden,
    /// The state does not allow it now: 409.
    Conflict,
}

/// Where an action leads from a state, if it is allowed there at all.
pub fn next_state(from: State, action: HazardAction) -> Option<State> {
    use HazardAction as A;
    use State as S;
    match (from, action) {
        (S::Reported, A::Register) => Some(S::Registered),
        (S::Reported, A::Dismiss) => Some(S::Dismissed),
        (S::Reported, A::MarkDuplicate) => Some(S::Duplicate),
        (S::Reported | S::Registered, A::Refer) => Some(S::Referred),
        (S::Registered, A::Assign) => Some(S::Rectifying),
        (S::Rectifying, A::Submit) => Some(S::AwaitingAcceptance),
        (S::AwaitingAcceptance, A::Accept) => Some(S::Closed),
        (S::AwaitingAcceptance, A::Return) => Some(S::Rectifying),
        (S::Closed, A::Reopen) => Some(S::Rectifying),
        _ => None,
    }
}

/// Who may report a hazard for a school.
pub fn may_report(actor: &Actor, school_id: i64) -> Result<(), Refusal> {
    if !actor.sees_school(school_id) {
        return Err(Refusal::NotFound);
    }
    match actor.role {
        Role::Staff | Role::SchoolAdmin | Role::Bureau => Ok(()),
        Role::Viewer | Role::Admin => Err(Refusal::Forbidden),
    }
}

/// May this role take this action on this hazard at all, whatever its state?
fn role_may(actor: &Actor, action: HazardAction, f: &Facts, policy: Policy) -> bool {
    use HazardAction as A;
    match action {
        A::Register | A::Dismiss | A::MarkDuplicate | A::Refer | A::Assign => {
            matches!(actor.role, Role::SchoolAdmin | Role::Bureau)
        }
        A::Submit => actor.role == Role::SchoolAdmin,
        A::Accept | A::Return => {
            actor.role == Role::Bureau
                || (actor.role == Role::SchoolAdmin
                    && policy.schools_accept_general
                    && f.level == Level::General
                    && !f.supervised)
        }
        A::Reopen => actor.role == Role::Bureau,
    }
}

/// The one answer to "may this actor take this action on this hazard now": the new state,
/// or why not. Scope first (404), then role (403), then state (409), then the person (403:
/// whoever submitted a fix does not accept it).
pub fn decide(
    actor: &Actor,
    action: HazardAction,
    f: &Facts,
    policy: Policy,
) -> Result<State, Refusal> {
    if !actor.sees_school(f.school_id) {
        return Err(Refusal::NotFound);
    }
    if !role_may(actor, action, f, policy) {
        return Err(Refusal::Forbidden);
    }
    let to = next_state(f.state, action).ok_or(Refusal::Conflict)?;
    if action == HazardAction::Accept && f.submitted_by == Some(actor.user_id) {
        return Err(Refusal::Forbidden);
    }
    Ok(to)
}

/// The actions this actor may take now, in the order the page offers them.
pub fn available(actor: &Actor, f: &Facts, policy: Policy) -> Vec<HazardAction> {
    HazardAction::ALL
        .iter()
        .copied()
        .filter(|a| decide(actor, *a, f, policy).is_ok())
        .collect()
}

/// May the actor set or clear supervision (挂牌督办)? Bureau only, open hazards only.
pub fn may_supervise(actor: &Actor, f: &Facts) -> Result<(), Refusal> {
    if !actor.sees_school(f.school_id) {
        return Err(Refusal::NotFound);
    }
    if actor.role != Role::Bureau {
        return Err(Refusal::Forbidden);
    }
    if !f.state.is_open() {
        return Err(Refusal::Conflict);
    }
    Ok(())
}

/// May the actor add a photo of this stage now? "Before" photos: whoever may report, while the
/// hazard is open. "After" photos: the school's safety officer or the bureau, while it is being
/// fixed — once submitted, the evidence under review stays as it was.
pub fn may_add_photo(actor: &Actor, f: &Facts, stage: PhotoStage) -> Result<(), Refusal> {
    may_report(actor, f.school_id)?;
    let role_ok = match stage {
        PhotoStage::Before => true,
        PhotoStage::After => matches!(actor.role, Role::SchoolAdmin | Role::Bureau),
    };
    if !role_ok {
        return Err(Refusal::Forbidden);
    }
    let state_ok = match stage {
        PhotoStage::Before => f.state.is_open() && f.state != State::AwaitingAcceptance,
        PhotoStage::After => f.state == State::Rectifying,
    };
    if state_ok {
        Ok(())
    } else {
        Err(Refusal::Conflict)
    }
}

/// Overdue (逾期): the deadline has passed and the hazard is still open. Computed, never stored.
pub fn is_overdue(state: State, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    state.is_open() && deadline.is_some_and(|d| d < today)
}

#[cfg(test)]
#[path = "hazard_tests.rs"]
mod tests;
