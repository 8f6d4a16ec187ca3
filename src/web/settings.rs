//! GET/POST /settings: the county's choices, for the admin. Each change is an audit event.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::domain::access::{Action, Actor, Target};
use crate::domain::buildings as building_rules;
use crate::domain::bullying::input::{
    SettingsDraft as BullyingDraft, validate_settings as validate_bullying,
};
use crate::domain::county;
use crate::domain::education::input::{
    SettingsDraft as EducationDraft, validate_settings as validate_education,
};
use crate::domain::hazards::SETTING_SCHOOLS_ACCEPT_GENERAL;
use crate::domain::notify;
use crate::domain::security::guards::Rule;
use crate::domain::security::input::{
    SettingsDraft as SecurityDraft, validate_settings as validate_security,
};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::{buildings, bullying, education, hazards, security, settings};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, choices};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::nav::Entry;
use crate::web::page::{FormErrors, Page, render, render_status};
use crate::web::state::State;

/// The county's settings are the admin's.
pub fn nav(a: &Actor) -> Vec<Entry> {
    crate::domain::access::decide(a, Action::ManageSettings, Target::County)
        .map(|_| vec![("/settings".into(), "nav.settings")])
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    county_name: String,
    bureau_name: String,
    schools_accept_general: bool,
    webhook_url: String,
    reappraise_ab_years: String,
    reappraise_c_years: String,
    security: SecurityDraft,
    rules: Vec<Choice>,
    bullying: BullyingDraft,
    education: EducationDraft,
    errors: FormErrors,
}

const FORM: &str = "settings";

/// The settings form as typed: a refused one is kept and shown again.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    /// Absent (an older form, another client): the name is left as it is.
    county_name: Option<String>,
    /// Likewise: absent leaves the bureau's name as it is.
    bureau_name: Option<String>,
    /// A checkbox: present ("1") when ticked.
    schools_accept_general: Option<String>,
    /// Where notifications are also POSTed; empty turns it off, absent leaves it as it is.
    webhook_url: Option<String>,
    /// Years until an A or B building is appraised again; absent leaves it as it is.
    reappraise_ab_years: Option<String>,
    /// Years until a C building is appraised again; absent leaves it as it is.
    reappraise_c_years: Option<String>,
    /// The security module's: each absent leaves it as it is.
    security_rule: Option<String>,
    guard_age_min: Option<String>,
    guard_age_max: Option<String>,
    verification_days: Option<String>,
    alarm_test_days: Option<String>,
    /// The bullying module's: each absent leaves it as it is.
    bullying_investigation_days: Option<String>,
    bullying_tips_per_school_hour: Option<String>,
    /// Education's: the month the drowning-prevention session is due by.
    education_drowning_due_month: Option<String>,
}

impl SettingsForm {
    fn bullying(&self) -> BullyingDraft {
        BullyingDraft {
            bullying_investigation_days: self.bullying_investigation_days.clone(),
            bullying_tips_per_school_hour: self.bullying_tips_per_school_hour.clone(),
        }
    }

    fn education(&self) -> EducationDraft {
        EducationDraft {
            education_drowning_due_month: self.education_drowning_due_month.clone(),
        }
    }

    fn security(&self) -> SecurityDraft {
        SecurityDraft {
            security_rule: self.security_rule.clone(),
            guard_age_min: self.guard_age_min.clone(),
            guard_age_max: self.guard_age_max.clone(),
            verification_days: self.verification_days.clone(),
            alarm_test_days: self.alarm_test_days.clone(),
        }
    }
}

impl SettingsPage {
    /// The bullying module's number fields: name, label, value.
    fn bullying_fields(&self) -> Vec<(&'static str, &'static str, String)> {
        let b = &self.bullying;
        let v = |x: &Option<String>| x.clone().unwrap_or_default();
        vec![
            (
                "bullying_investigation_days",
                "settings.bullying_investigation_days",
                v(&b.bullying_investigation_days),
            ),
            (
                "bullying_tips_per_school_hour",
                "settings.bullying_tips_per_school_hour",
                v(&b.bullying_tips_per_school_hour),
            ),
        ]
    }

    /// The education module's number field: name, label, value.
    fn education_fields(&self) -> Vec<(&'static str, &'static str, String)> {
        vec![(
            "education_drowning_due_month",
            "settings.education_drowning_due_month",
            self.education
                .education_drowning_due_month
                .clone()
                .unwrap_or_default(),
        )]
    }

    /// The security module's number fields: name, label, value.
    fn security_fields(&self) -> Vec<(&'static str, &'static str, String)> {
        let s = &self.security;
        let v = |x: &Option<String>| x.clone().unwrap_or_default();
        vec![
            (
                "guard_age_min",
                "settings.guard_age_min",
                v(&s.guard_age_min),
            ),
            (
                "guard_age_max",
                "settings.guard_age_max",
                v(&s.guard_age_max),
            ),
            (
                "verification_days",
                "settings.verification_days",
                v(&s.verification_days),
            ),
            (
                "alarm_test_days",
                "settings.alarm_test_days",
                v(&s.alarm_test_days),
            ),
        ]
    }
}

/// The rule choices, the one in force (or typed) marked.
fn rule_choices(selected: &Option<String>) -> Vec<Choice> {
    choices::<Rule>(selected.as_deref().unwrap_or(""))
}

/// The security settings in force, as the form shows them.
fn security_shown(s: &crate::domain::security::Settings) -> SecurityDraft {
    SecurityDraft {
        security_rule: Some(s.rule.as_str().to_string()),
        guard_age_min: Some(s.ages.min.to_string()),
        guard_age_max: Some(s.ages.max.to_string()),
        verification_days: Some(s.verification_days.to_string()),
        alarm_test_days: Some(s.alarm_test_days.to_string()),
    }
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSettings, Target::County)?;
    if let Some((f, errors)) =
        forms::kept::<SettingsForm>(&state, &ctx, q.draft.as_deref(), FORM).await?
    {
        let (security, rules) = (f.security(), rule_choices(&f.security_rule));
        let (bullying, education) = (f.bullying(), f.education());
        let page = SettingsPage {
            page: Page::new(&ctx, "settings.title"),
            county_name: f.county_name.unwrap_or_default(),
            bureau_name: f.bureau_name.unwrap_or_default(),
            schools_accept_general: f.schools_accept_general.as_deref() == Some("1"),
            webhook_url: f.webhook_url.unwrap_or_default(),
            rules,
            security,
            reappraise_ab_years: f.reappraise_ab_years.unwrap_or_default(),
            reappraise_c_years: f.reappraise_c_years.unwrap_or_default(),
            bullying,
            education,
            errors,
        };
        return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (policy, county_name, bureau_name, webhook_url, reappraisal, secure, bullied, due) = state
        .db(|conn| {
            Ok((
                hazards::policy(conn)?,
                settings::get(conn, county::SETTING_NAME)?.unwrap_or_default(),
                settings::get(conn, county::SETTING_BUREAU)?.unwrap_or_default(),
                settings::get(conn, notify::SETTING_WEBHOOK_URL)?.unwrap_or_default(),
                buildings::reappraisal(conn)?,
                security::settings(conn)?,
                bullying::settings(conn)?,
                education::remind::due_month(conn)?,
            ))
        })
        .await?;
    render(&SettingsPage {
        page: Page::new(&ctx, "settings.title"),
        county_name,
        bureau_name,
        schools_accept_general: policy.schools_accept_general,
        webhook_url,
        reappraise_ab_years: reappraisal.ab_years.to_string(),
        reappraise_c_years: reappraisal.c_years.to_string(),
        rules: rule_choices(&Some(secure.rule.as_str().to_string())),
        security: security_shown(&secure),
        bullying: BullyingDraft {
            bullying_investigation_days: Some(bullied.investigation_days.to_string()),
            bullying_tips_per_school_hour: Some(bullied.tips_per_school_hour.to_string()),
        },
        education: EducationDraft {
            education_drowning_due_month: Some(due.to_string()),
        },
        errors: FormErrors::default(),
    })
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSettings, Target::County)?;
    let on = match form.schools_accept_general.as_deref() {
        None => false,
        Some("1") => true,
        Some(_) => return Err(AppError::Invalid("error.invalid")),
    };
    let name = form.county_name.as_deref().map(county::parse_name);
    let bureau = form.bureau_name.as_deref().map(county::parse_bureau);
    let webhook = form.webhook_url.as_deref().map(notify::parse_webhook_url);
    let years = |field: &'static str, v: &Option<String>| {
        v.as_deref()
            .map(|v| building_rules::parse_years(field, v))
            .transpose()
    };
    let ab = years("reappraise_ab_years", &form.reappraise_ab_years);
    let c = years("reappraise_c_years", &form.reappraise_c_years);
    let secured = validate_security(&form.security());
    let bullied = validate_bullying(&form.bullying());
    let educated = validate_education(&form.education());
    let checked = (
        name.transpose(),
        bureau.transpose(),
        webhook.transpose(),
        ab,
        c,
        secured,
        bullied,
        educated,
    );
    let (name, bureau, webhook, ab, c, secured, bullied, educated) = match checked {
        (Ok(name), Ok(bureau), Ok(webhook), Ok(ab), Ok(c), Ok(s), Ok(b), Ok(e)) => {
            (name, bureau, webhook, ab, c, s, b, e)
        }
        (name, bureau, webhook, ab, c, secured, bullied, educated) => {
            let fields: Vec<FieldError> = [
                name.err(),
                bureau.err(),
                webhook.err(),
                ab.err(),
                c.err(),
                secured.err(),
                bullied.err(),
                educated.err(),
            ]
            .into_iter()
            .flatten()
            .flatten()
            .collect();
            let site = Site {
                form: FORM.into(),
                page: "/settings".into(),
                anchor: "form-settings".into(),
            };
            let typed = forms::pairs(&*form);
            return forms::refuse_or(
                &state,
                &ctx,
                &req,
                &site,
                typed,
                &fields,
                |_, errors| async {
                    let page = SettingsPage {
                        page: Page::new(&ctx, "settings.title"),
                        county_name: form.county_name.clone().unwrap_or_default(),
                        bureau_name: form.bureau_name.clone().unwrap_or_default(),
                        schools_accept_general: on,
                        webhook_url: form.webhook_url.clone().unwrap_or_default(),
                        reappraise_ab_years: form.reappraise_ab_years.clone().unwrap_or_default(),
                        reappraise_c_years: form.reappraise_c_years.clone().unwrap_or_default(),
                        rules: rule_choices(&form.security_rule),
                        security: form.security(),
                        bullying: form.bullying(),
                        education: form.education(),
                        errors,
                    };
                    render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
                },
            )
            .await;
        }
    };
    let actor = authed.event_actor();
    let mut values = vec![(
        SETTING_SCHOOLS_ACCEPT_GENERAL,
        if on { "true" } else { "false" }.to_string(),
    )];
    if let Some(name) = name {
        values.push((county::SETTING_NAME, name));
    }
    if let Some(bureau) = bureau {
        values.push((county::SETTING_BUREAU, bureau));
    }
    if let Some(url) = webhook {
        values.push((notify::SETTING_WEBHOOK_URL, url));
    }
    if let Some(y) = ab {
        values.push((building_rules::SETTING_REAPPRAISE_AB_YEARS, y.to_string()));
    }
    if let Some(y) = c {
        values.push((building_rules::SETTING_REAPPRAISE_C_YEARS, y.to_string()));
    }
    values.extend(secured);
    values.extend(bullied);
    values.extend(educated);
    state
        .db(move |conn| Ok(settings::save(conn, &actor, &values)?))
        .await?;
    forms::succeeded(&state, &ctx, FORM).await;
    Ok(flash_redirect("/settings", "settings.flash.saved"))
}
