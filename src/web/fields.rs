//! What the form macros (`templates/partials/forms.html`) draw: a field with its label, value,
//! limits and error; a whole action form; the option lists of a select, drawn from an enum's
//! `ALL` so a form never offers a word the rules do not know.

use super::page::{FormErrors, ShownError};
use crate::domain::enums::StrEnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Textarea,
    Date,
    Select,
    /// A typed value with suggestions (`<datalist>`): a school among thousands, the choices
    /// being a bounded few and the lookup filling in the rest as one types.
    Pick,
    /// One of a few choices, all in view.
    Radio,
    /// Several of the choices (checkboxes posting the name once per value).
    Checks,
    /// Photos: JPEG, PNG or WebP, opened from the camera on a phone.
    Photos,
    /// One report file: a PDF, or a photo of the paper report.
    Document,
}

/// One option of a select.
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    /// The option's words, a catalog key (`keyed`) or already words (a school's name).
    pub label: String,
    pub keyed: bool,
    pub selected: bool,
}

/// Every value of an enum as options, `selected` marked.
pub fn choices<E: StrEnum>(selected: &str) -> Vec<Choice> {
    choices_of(E::all(), selected)
}

/// These values of an enum as options, `selected` marked.
pub fn choices_of<E: StrEnum>(values: &[E], selected: &str) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: v.as_str().to_string(),
            label: v.label().to_string(),
            keyed: true,
            selected: v.as_str() == selected,
        })
        .collect()
}

/// A field of a form, ready to draw.
#[derive(Clone, Debug)]
pub struct Field {
    /// Unique on the page: forms of several actions sit on one record page.
    pub id: String,
    pub name: &'static str,
    /// Catalog key of the label.
    pub label: &'static str,
    pub kind: Kind,
    pub value: String,
    pub required: bool,
    /// Most characters (0: no limit stated).
    pub max: usize,
    /// Earliest and latest dates, for date fields.
    pub min: String,
    pub max_date: String,
    /// Catalog key of a placeholder or hint under the field.
    pub hint: Option<&'static str>,
    pub choices: Vec<Choice>,
    pub error: Option<ShownError>,
    /// The first field with an error takes the cursor, so the page opens there.
    pub autofocus: bool,
    /// The keyboard a phone shows (`numeric`, `tel`), if not text.
    pub inputmode: &'static str,
    /// Shown but fixed (a username once made).
    pub readonly: bool,
    /// Catalog key of a select's empty choice.
    pub blank: &'static str,
}

impl Field {
    pub fn new(form: &str, name: &'static str, label: &'static str, kind: Kind) -> Field {
        Field {
            id: format!("{form}-{name}"),
            name,
            label,
            kind,
            value: String::new(),
            required: false,
            max: 0,
            min: String::new(),
            max_date: String::new(),
            hint: None,
            choices: Vec::new(),
            error: None,
            autofocus: false,
            inputmode: "",
            readonly: false,
            blank: "form.choose",
        }
    }

    pub fn inputmode(mut self, mode: &'static str) -> Field {
        self.inputmode = mode;
        self
    }

    pub fn readonly(mut self, yes: bool) -> Field {
        self.readonly = yes;
        self
    }

    /// The words of a select's empty choice.
    pub fn blank(mut self, key: &'static str) -> Field {
        self.blank = key;
        self
    }

    pub fn required(mut self, yes: bool) -> Field {
        self.required = yes;
        self
    }

    pub fn max(mut self, max: usize) -> Field {
        self.max = max;
        self
    }

    pub fn min(mut self, min: impl ToString) -> Field {
        self.min = min.to_string();
        self
    }

    pub fn max_date(mut self, max: impl ToString) -> Field {
        self.max_date = max.to_string();
        self
    }

    pub fn hint(mut self, key: &'static str) -> Field {
        self.hint = Some(key);
        self
    }

    pub fn value(mut self, v: impl Into<String>) -> Field {
        self.value = v.into();
        self
    }

    pub fn choices(mut self, c: Vec<Choice>) -> Field {
        self.choices = c;
        self
    }

    /// Takes this field's error from a refused form's errors.
    pub fn errors(mut self, e: &FormErrors) -> Field {
        self.error = e.get(self.name).cloned();
        self.autofocus = e.first() == Some(self.name);
        self
    }

    pub fn rows(&self) -> u8 {
        if self.max > 500 { 3 } else { 2 }
    }

    pub fn is_textarea(&self) -> bool {
        self.kind == Kind::Textarea
    }

    pub fn is_date(&self) -> bool {
        self.kind == Kind::Date
    }

    pub fn is_select(&self) -> bool {
        self.kind == Kind::Select
    }

    pub fn is_pick(&self) -> bool {
        self.kind == Kind::Pick
    }

    pub fn is_checks(&self) -> bool {
        self.kind == Kind::Checks
    }

    pub fn is_radio(&self) -> bool {
        self.kind == Kind::Radio
    }

    pub fn is_photos(&self) -> bool {
        self.kind == Kind::Photos
    }

    pub fn is_document(&self) -> bool {
        self.kind == Kind::Document
    }
}

/// A form that takes one action on a record: its fields, its button, where it posts.
#[derive(Clone, Debug)]
pub struct ActionForm {
    /// The anchor of the form on its page (`form-assign`).
    pub anchor: String,
    pub post_to: String,
    /// Hidden fields: the action, the record's version.
    pub hidden: Vec<(&'static str, String)>,
    /// Catalog keys of its heading and hint, if it has them.
    pub title: Option<&'static str>,
    pub hint: Option<&'static str>,
    pub fields: Vec<Field>,
    pub button: &'static str,
    /// `btn-primary`, `btn-danger` or plain.
    pub style: &'static str,
    /// Shown folded (rarer actions) unless it was just refused.
    pub folded: bool,
    pub errors: FormErrors,
    /// Files it already keeps from an earlier, refused try: (id, thumbnail size).
    pub kept: Vec<(i64, Option<(u32, u32)>)>,
}

impl ActionForm {
    /// A file field needs a multipart body.
    pub fn multipart(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.kind, Kind::Photos | Kind::Document))
    }

    /// Open when unfolded or refused.
    pub fn open(&self) -> bool {
        !self.folded || self.errors.any()
    }

    /// Errors of no field of this form (a photo the step needs, say): shown at its top only.
    pub fn other_errors(&self) -> Vec<&ShownError> {
        self.errors
            .all()
            .into_iter()
            .filter(|(name, _)| !self.fields.iter().any(|f| f.name == *name))
            .map(|(_, e)| e)
            .collect()
    }
}
