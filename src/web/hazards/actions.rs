//! The hazard page's action forms as a table: for each action, its fields (with the limits the
//! rules check), its button and how prominent it is. The page draws the forms of the actions the
//! rules allow now, each with the kit's `action_form` macro.

use super::show::Defaults;
use crate::domain::hazards::HazardAction;
use crate::domain::hazards::input::{
    DEPARTMENT_MAX, FUNDING_MAX, PERSON_MAX, REF_MAX, SuperviseDraft, TEXT_MAX, TransitionDraft,
    UNIT_MAX, comment_required,
};
use crate::web::fields::{ActionForm, Field, Kind};
use crate::web::page::FormErrors;

/// One field of an action: its name, label, widget, whether required, most characters.
struct Spec(&'static str, &'static str, Kind, bool, usize);

/// What each action asks for, in the order the form shows it.
fn specs(action: HazardAction) -> Vec<Spec> {
    use HazardAction as A;
    use Kind::{Date, Photos, Text, Textarea};
    let comment = |label| {
        let required = comment_required(action);
        let kind = if required { Textarea } else { Text };
        Spec("comment", label, kind, required, TEXT_MAX)
    };
    match action {
        A::Register | A::Accept => vec![comment("field.comment")],
        A::Assign => vec![
            Spec("deadline", "field.deadline", Date, true, 0),
            Spec(
                "responsible_unit",
                "field.responsible_unit",
                Text,
                true,
                UNIT_MAX,
            ),
            Spec(
                "responsible_person",
                "field.responsible_person",
                Text,
                true,
                PERSON_MAX,
            ),
            Spec("funding", "field.funding", Text, false, FUNDING_MAX),
            Spec(
                "interim_controls",
                "field.interim_controls",
                Textarea,
                false,
                TEXT_MAX,
            ),
            comment("field.comment"),
        ],
        A::Submit => vec![
            Spec("measures", "field.measures", Textarea, true, TEXT_MAX),
            Spec("file", "hazards.after_photos", Photos, false, 0),
            comment("field.comment"),
        ],
        A::Return => vec![comment("hazards.return_reason")],
        A::Reopen => vec![
            Spec("deadline", "field.deadline", Date, true, 0),
            Spec(
                "responsible_person",
                "field.responsible_person",
                Text,
                false,
                PERSON_MAX,
            ),
            comment("field.comment"),
        ],
        A::Refer => vec![
            Spec("department", "field.department", Text, true, DEPARTMENT_MAX),
            comment("field.comment"),
        ],
        A::MarkDuplicate => vec![
            Spec("duplicate_of", "field.duplicate_of", Text, true, REF_MAX),
            comment("field.comment"),
        ],
        A::Dismiss => vec![comment("hazards.dismiss_reason")],
    }
}

/// The names of the fields an action's form posts (besides `action` and `version`): what a
/// test feeds, so a field added here is probed at once.
pub fn field_names(action: HazardAction) -> Vec<&'static str> {
    specs(action).into_iter().map(|s| s.0).collect()
}

/// How an action's form looks: its heading (if any), its button's style, folded or not.
fn look(action: HazardAction) -> (Option<&'static str>, &'static str, bool) {
    use HazardAction as A;
    match action {
        A::Register | A::Accept => (None, "btn-primary", false),
        A::Assign | A::Submit => (Some(action.label()), "btn-primary", false),
        A::Return => (None, "btn-danger", false),
        A::Reopen => (Some(action.label()), "btn-danger", false),
        A::Refer | A::MarkDuplicate => (None, "", true),
        A::Dismiss => (None, "btn-danger", true),
    }
}

/// A refused try of a form: what was typed, the version of the hazard it was drawn from (so a
/// change made meanwhile is still caught), and its errors.
pub struct Typed<'a, T> {
    pub values: &'a T,
    pub version: Option<String>,
}

/// The form of one action. `typed` holds a refused try of this very form, with its `errors`;
/// otherwise the fields start from what the hazard already says.
pub fn form(
    action: HazardAction,
    d: &Defaults,
    typed: Option<Typed<'_, TransitionDraft>>,
    errors: FormErrors,
    kept: Vec<(i64, Option<(u32, u32)>)>,
) -> ActionForm {
    let name = action.as_str();
    let anchor = format!("form-{name}");
    let start = TransitionDraft {
        responsible_unit: d.responsible_unit.clone(),
        responsible_person: d.responsible_person.clone(),
        measures: d.measures.clone(),
        ..Default::default()
    };
    let version = version_of(d, typed.as_ref().and_then(|t| t.version.clone()));
    let values = typed.map_or(&start, |t| t.values);
    let fields = specs(action)
        .into_iter()
        // "After" photos go with the submit only where this user may add them now.
        .filter(|s| s.2 != Kind::Photos || d.may_add_after)
        .map(|Spec(field, label, kind, required, max)| {
            Field::new(&anchor, field, label, kind)
                .required(required)
                .max(max)
                .min(if kind == Kind::Date {
                    d.earliest_deadline.clone()
                } else {
                    String::new()
                })
                .value(value_of(values, field))
                .errors(&errors)
        })
        .map(|f| match f.name {
            "department" => f.hint("hazards.department_hint"),
            "duplicate_of" => f.hint("hazards.duplicate_hint"),
            _ => f,
        })
        .collect();
    let (title, style, folded) = look(action);
    ActionForm {
        anchor,
        post_to: format!("/hazards/{}/transition", d.id),
        hidden: vec![("action", name.to_string()), ("version", version)],
        title,
        hint: (action == HazardAction::Submit).then_some("hazards.submit_hint"),
        fields,
        button: action.label(),
        style,
        folded,
        errors,
        kept,
    }
}

/// The version a form carries: the refused try's, else the hazard's as it is.
fn version_of(d: &Defaults, typed: Option<String>) -> String {
    typed
        .filter(|v| v.trim().parse::<i32>().is_ok())
        .unwrap_or_else(|| d.version.to_string())
}

fn value_of(d: &TransitionDraft, field: &str) -> String {
    match field {
        "comment" => &d.comment,
        "deadline" => &d.deadline,
        "responsible_unit" => &d.responsible_unit,
        "responsible_person" => &d.responsible_person,
        "measures" => &d.measures,
        "interim_controls" => &d.interim_controls,
        "funding" => &d.funding,
        "department" => &d.department,
        "duplicate_of" => &d.duplicate_of,
        _ => "",
    }
    .to_string()
}

/// The supervision form (挂牌督办): the five items, from a refused try or from the hazard.
pub fn supervise_form(
    d: &Defaults,
    typed: Option<Typed<'_, SuperviseDraft>>,
    errors: FormErrors,
) -> ActionForm {
    let anchor = "form-supervise".to_string();
    let start = SuperviseDraft {
        measures: d.measures.clone(),
        responsible_person: d.responsible_person.clone(),
        funding: d.funding.clone(),
        deadline: d.deadline.clone(),
        contingency_plan: d.contingency_plan.clone(),
    };
    let version = version_of(d, typed.as_ref().and_then(|t| t.version.clone()));
    let v = typed.map_or(&start, |t| t.values);
    let field = |name, label, kind, max, value: &String| {
        Field::new(&anchor, name, label, kind)
            .required(true)
            .max(max)
            .value(value.clone())
            .errors(&errors)
    };
    let fields = vec![
        field(
            "measures",
            "field.measures",
            Kind::Textarea,
            TEXT_MAX,
            &v.measures,
        ),
        field(
            "responsible_person",
            "field.responsible_person",
            Kind::Text,
            PERSON_MAX,
            &v.responsible_person,
        ),
        field(
            "funding",
            "field.funding",
            Kind::Text,
            FUNDING_MAX,
            &v.funding,
        ),
        field("deadline", "field.deadline", Kind::Date, 0, &v.deadline)
            .min(d.earliest_deadline.clone()),
        field(
            "contingency_plan",
            "field.contingency_plan",
            Kind::Textarea,
            TEXT_MAX,
            &v.contingency_plan,
        ),
    ];
    ActionForm {
        post_to: format!("/hazards/{}/supervise", d.id),
        anchor,
        hidden: vec![("on", "1".into()), ("version", version)],
        title: None,
        hint: Some("hazards.supervise_hint"),
        fields,
        button: if d.supervised {
            "hazards.supervise_edit"
        } else {
            "hazards.supervise"
        },
        style: "btn-danger",
        folded: true,
        errors,
        kept: Vec::new(),
    }
}
