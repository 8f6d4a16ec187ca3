//! The building page's forms as tables: the appraisal (with the five supervision items a D
//! grade needs) and each disposal step, with the limits the rules check. The page draws the
//! forms the rules allow now, each with the kit's `action_form` macro.

use crate::domain::buildings::input::{
    AGENCY_MAX, AppraisalDraft, FUNDING_MAX, REPORT_NO_MAX, TEXT_MAX, TransitionDraft,
    comment_required,
};
use crate::domain::buildings::{BuildingAction, Grade, Method};
use crate::domain::hazards::input::{FUNDING_MAX as ITEM_FUNDING_MAX, PERSON_MAX};
use crate::web::fields::{ActionForm, Field, Kind, choices};
use crate::web::page::FormErrors;

/// What the forms start from when nobody has typed anything yet.
pub struct Defaults {
    pub id: i64,
    pub version: i32,
    pub today: String,
    /// The earliest deadline a plan may set: today.
    pub earliest_deadline: String,
    pub may_add_after: bool,
}

/// A refused try of a form: what was typed and the version it was drawn from.
pub struct Typed<'a, T> {
    pub values: &'a T,
    pub version: Option<String>,
}

fn version_of(d: &Defaults, typed: Option<String>) -> String {
    typed
        .filter(|v| v.trim().parse::<i32>().is_ok())
        .unwrap_or_else(|| d.version.to_string())
}

/// One field of a step: its name, label, widget, whether required, most characters.
struct Spec(&'static str, &'static str, Kind, bool, usize);

fn specs(action: BuildingAction) -> Vec<Spec> {
    use Kind::{Date, Photos, Radio, Text, Textarea};
    let comment = |label| {
        let required = comment_required(action);
        let kind = if required { Textarea } else { Text };
        Spec("comment", label, kind, required, TEXT_MAX)
    };
    match action {
        BuildingAction::Plan => vec![
            Spec("method", "buildings.col.method", Radio, true, 0),
            Spec("deadline", "field.deadline", Date, true, 0),
            Spec("funding", "field.funding", Text, true, FUNDING_MAX),
            comment("field.comment"),
        ],
        BuildingAction::ReportDone => vec![
            Spec("measures", "field.measures", Textarea, true, TEXT_MAX),
            Spec("file", "buildings.after_photos", Photos, false, 0),
            comment("field.comment"),
        ],
        BuildingAction::Accept => vec![comment("field.comment")],
        BuildingAction::Return => vec![comment("buildings.return_reason")],
    }
}

/// The names of the fields a step's form posts (besides `action` and `version`).
pub fn field_names(action: BuildingAction) -> Vec<&'static str> {
    specs(action).into_iter().map(|s| s.0).collect()
}

fn value_of<'a>(d: &'a TransitionDraft, field: &str) -> &'a str {
    match field {
        "method" => &d.method,
        "deadline" => &d.deadline,
        "funding" => &d.funding,
        "measures" => &d.measures,
        "comment" => &d.comment,
        _ => "",
    }
}

/// The form of one disposal step.
pub fn step_form(
    action: BuildingAction,
    d: &Defaults,
    typed: Option<Typed<'_, TransitionDraft>>,
    errors: FormErrors,
) -> ActionForm {
    let name = action.as_str();
    let anchor = format!("form-{name}");
    let start = TransitionDraft::default();
    let version = version_of(d, typed.as_ref().and_then(|t| t.version.clone()));
    let values = typed.map_or(&start, |t| t.values);
    let fields = specs(action)
        .into_iter()
        .filter(|s| s.2 != Kind::Photos || d.may_add_after)
        .map(|Spec(field, label, kind, required, max)| {
            let f = Field::new(&anchor, field, label, kind)
                .required(required)
                .max(max)
                .value(value_of(values, field))
                .errors(&errors);
            match field {
                "method" => f.choices(choices::<Method>(&values.method)),
                "deadline" => f.min(d.earliest_deadline.clone()),
                _ => f,
            }
        })
        .collect();
    let (title, style, folded) = match action {
        BuildingAction::Plan | BuildingAction::ReportDone => {
            (Some(action.label()), "btn-primary", false)
        }
        BuildingAction::Accept => (None, "btn-primary", false),
        BuildingAction::Return => (None, "btn-danger", true),
    };
    ActionForm {
        anchor,
        post_to: format!("/buildings/{}/transition", d.id),
        hidden: vec![("action", name.to_string()), ("version", version)],
        title,
        hint: match action {
            BuildingAction::Plan => Some("buildings.plan_hint"),
            BuildingAction::ReportDone => Some("buildings.report_done_hint"),
            _ => None,
        },
        fields,
        button: action.label(),
        style,
        folded,
        errors,
        kept: Vec::new(),
    }
}

/// The appraisal form: the appraisal, its report file, and the five items a D grade needs.
pub fn appraisal_form(
    d: &Defaults,
    typed: Option<Typed<'_, AppraisalDraft>>,
    errors: FormErrors,
    first: bool,
) -> ActionForm {
    let anchor = "form-appraise".to_string();
    let start = AppraisalDraft {
        appraised_on: d.today.clone(),
        ..Default::default()
    };
    let version = version_of(d, typed.as_ref().and_then(|t| t.version.clone()));
    let v = typed.map_or(&start, |t| t.values);
    let s = &v.supervision;
    let field = |name, label, kind, required, max, value: &str| {
        Field::new(&anchor, name, label, kind)
            .required(required)
            .max(max)
            .value(value)
            .errors(&errors)
    };
    let fields = vec![
        field(
            "appraised_on",
            "buildings.col.appraised_on",
            Kind::Date,
            true,
            0,
            &v.appraised_on,
        )
        .max_date(d.today.clone()),
        field(
            "agency",
            "buildings.col.agency",
            Kind::Text,
            true,
            AGENCY_MAX,
            &v.agency,
        ),
        field(
            "report_no",
            "buildings.col.report_no",
            Kind::Text,
            true,
            REPORT_NO_MAX,
            &v.report_no,
        ),
        field("grade", "buildings.col.grade", Kind::Radio, true, 0, "")
            .choices(grade_choices(&v.grade))
            .hint("buildings.grade_hint"),
        field(
            "notes",
            "buildings.col.notes",
            Kind::Textarea,
            false,
            TEXT_MAX,
            &v.notes,
        ),
        field(
            "file",
            "buildings.report_file",
            Kind::Document,
            false,
            0,
            "",
        )
        .hint("buildings.report_file_hint"),
        // A D grade raises a supervised hazard: its five items, asked here (CONTRACT).
        field(
            "measures",
            "field.measures",
            Kind::Textarea,
            false,
            TEXT_MAX,
            &s.measures,
        )
        .hint("buildings.d_items_hint"),
        field(
            "responsible_person",
            "field.responsible_person",
            Kind::Text,
            false,
            PERSON_MAX,
            &s.responsible_person,
        ),
        field(
            "funding",
            "field.funding",
            Kind::Text,
            false,
            ITEM_FUNDING_MAX,
            &s.funding,
        ),
        field(
            "deadline",
            "field.deadline",
            Kind::Date,
            false,
            0,
            &s.deadline,
        )
        .min(d.earliest_deadline.clone()),
        field(
            "contingency_plan",
            "field.contingency_plan",
            Kind::Textarea,
            false,
            TEXT_MAX,
            &s.contingency_plan,
        ),
    ];
    ActionForm {
        post_to: format!("/buildings/{}/appraisals", d.id),
        anchor,
        hidden: vec![("version", version)],
        title: Some("buildings.appraise_title"),
        hint: Some("buildings.appraise_hint"),
        fields,
        button: "buildings.appraise",
        style: "btn-primary",
        // The first appraisal is what a new building needs; later ones are rarer.
        folded: !first,
        errors,
        kept: Vec::new(),
    }
}

/// The grades as choices, each with its JGJ 125-2016 meaning.
fn grade_choices(selected: &str) -> Vec<crate::web::fields::Choice> {
    Grade::ALL
        .iter()
        .map(|g| crate::web::fields::Choice {
            value: g.as_str().to_string(),
            label: g.meaning().to_string(),
            keyed: true,
            selected: g.as_str() == selected,
        })
        .collect()
}
