//! GET /: what waits for this user. Until the modules exist, it says who you are, your
//! school, and what each module will show you.

use actix_web::HttpResponse;
use askama::Template;

use crate::domain::report::Month;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::hazards::ledger::{self, Filter};
use crate::store::reports;
use crate::store::{schools, users};
use crate::web::charts::{HBAR_ROW, HBar, chart, hbars};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::hazards::Item;
use crate::web::page::{Page, render};
use crate::web::reports::build::TrendPoint;
use crate::web::state::State;

pub struct ModuleCard {
    pub title: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    username: String,
    role_key: String,
    role_text_key: String,
    school: Option<String>,
    modules: Vec<ModuleCard>,
    schools_count: Option<i64>,
    users_count: Option<i64>,
    waiting: Vec<Waiting>,
    my_reports: Vec<Item>,
    /// This month's figures for the user's scope, and the twelve-month chart.
    month: Option<Dashboard>,
    bars: Vec<crate::web::charts::Bar>,
    line: String,
}

/// The home page's figures: reported and closed per month, and open now.
pub struct Dashboard {
    pub month: String,
    pub trend: Vec<TrendPoint>,
    pub open_now: i64,
    pub open_by: Vec<HBar>,
    /// The catalog key of the bars' title.
    pub open_by_title: &'static str,
}

impl Dashboard {
    pub fn found(&self) -> i64 {
        self.trend.last().map(|p| p.found).unwrap_or(0)
    }

    pub fn closed(&self) -> i64 {
        self.trend.last().map(|p| p.closed).unwrap_or(0)
    }

    /// The bars chart's height in SVG units.
    pub fn open_by_height(&self) -> i64 {
        self.open_by.len() as i64 * HBAR_ROW
    }
}

/// One count of work waiting for this user, with the page that lists it.
pub struct Waiting {
    pub label: &'static str,
    pub n: i64,
    pub href: &'static str,
    pub urgent: bool,
}

/// What waits for each role, as (label, filter, link, urgent when non-zero).
fn queues(
    role: Role,
    school_id: Option<i64>,
    user_id: i64,
    today: chrono::NaiveDate,
) -> Vec<(&'static str, Filter, &'static str, bool)> {
    use crate::domain::hazard::State;
    let base = Filter {
        school_id,
        ..Default::default()
    };
    let state = |s| Filter {
        state: Some(s),
        ..base.clone()
    };
    match role {
        Role::Staff => vec![
            (
                "home.wait.my_open",
                Filter {
                    reported_by: Some(user_id),
                    open_only: true,
                    ..base.clone()
                },
                "/hazards?open=1",
                false,
            ),
            (
                "home.wait.overdue",
                Filter {
                    overdue_on: Some(today),
                    ..base.clone()
                },
                "/hazards/overdue",
                true,
            ),
        ],
        Role::SchoolAdmin => vec![
            (
                "home.wait.to_register",
                state(State::Reported),
                "/hazards?state=reported&sort=oldest",
                true,
            ),
            (
                "home.wait.to_assign",
                state(State::Registered),
                "/hazards?state=registered&sort=oldest",
                true,
            ),
            (
                "home.wait.to_fix",
                state(State::Rectifying),
                "/hazards?state=rectifying&sort=deadline",
                false,
            ),
            (
                "home.wait.returned",
                Filter {
                    returned: true,
                    ..base.clone()
                },
                "/hazards?returned=1",
                true,
            ),
            (
                "home.wait.overdue",
                Filter {
                    overdue_on: Some(today),
                    ..base.clone()
                },
                "/hazards/overdue",
                true,
            ),
        ],
        Role::Bureau | Role::Viewer => vec![
            (
                "home.wait.to_review",
                state(State::AwaitingAcceptance),
                "/hazards/review",
                true,
            ),
            (
                "home.wait.overdue",
                Filter {
                    overdue_on: Some(today),
                    ..base.clone()
                },
                "/hazards/overdue",
                true,
            ),
            (
                "home.wait.supervised",
                Filter {
                    supervised: true,
                    open_only: true,
                    ..base.clone()
                },
                "/hazards/supervised?open=1",
                false,
            ),
            (
                "home.wait.major",
                Filter {
                    level: Some("major".into()),
                    open_only: true,
                    ..base.clone()
                },
                "/hazards?level=major&open=1",
                true,
            ),
        ],
        Role::Admin => Vec::new(),
    }
}

const MODULES: [&str; 6] = [
    "hazards",
    "buildings",
    "security",
    "bullying",
    "education",
    "reports",
];

pub async fn show(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    let role = authed.role();
    let is_admin = role == Role::Admin;
    let (schools_count, users_count) = if role.is_school_scoped() {
        (None, None)
    } else {
        state
            .db(move |conn| {
                let users = if is_admin {
                    Some(users::count(conn)?)
                } else {
                    None
                };
                Ok((Some(schools::count_active(conn)?), users))
            })
            .await?
    };
    let (school_id, user_id) = (authed.user.school_id, authed.user.id);
    let today = state.today();
    let (counts, mine) = state
        .db(move |conn| {
            let mut counts = Vec::new();
            for (label, f, href, urgent) in queues(role, school_id, user_id, today) {
                counts.push((label, ledger::count(conn, &f)?, href, urgent));
            }
            let mine = if role == Role::Staff {
                // Only this school's: a teacher moved to another school sees no old records.
                let f = Filter {
                    reported_by: Some(user_id),
                    school_id,
                    ..Default::default()
                };
                ledger::page(conn, &f, 1)?.0.into_iter().take(10).collect()
            } else {
                Vec::new()
            };
            Ok((counts, mine))
        })
        .await?;
    let today = state.today();
    let waiting = counts
        .into_iter()
        .map(|(label, n, href, urgent)| Waiting {
            label,
            n,
            href,
            urgent: urgent && n > 0,
        })
        .collect();
    let my_reports = mine.iter().map(|r| Item::new(r, today)).collect();
    let page = Page::new(&ctx, "home.title");
    let month = if role == Role::Admin || role == Role::Staff {
        None
    } else {
        Some(dashboard(&state, &page, school_id).await?)
    };
    let (bars, line) = month
        .as_ref()
        .map(|d| chart(&d.trend, false))
        .unwrap_or_default();
    let group = if role.is_school_scoped() {
        "school"
    } else if role == Role::Admin {
        "admin"
    } else {
        "county"
    };
    // Pupils' cases are not for staff, viewers or admins: their cards say so.
    let modules = MODULES
        .iter()
        .map(|m| ModuleCard {
            title: module_title(m),
            text: page.t(format!("home.module.{m}.{group}")),
        })
        .collect();
    let t = HomePage {
        username: authed.user.username.clone(),
        role_key: format!("role.{}", role.as_str()),
        role_text_key: format!("home.role_text.{}", role.as_str()),
        school: authed.school_name.clone(),
        modules,
        schools_count,
        users_count,
        waiting,
        my_reports,
        month,
        bars,
        line,
        page,
    };
    render(&t)
}

fn module_title(m: &str) -> &'static str {
    match m {
        "hazards" => "module.hazards",
        "buildings" => "module.buildings",
        "security" => "module.security",
        "bullying" => "module.bullying",
        "education" => "module.education",
        _ => "module.reports",
    }
}

/// This month's figures, the twelve-month chart and the open hazards by township (county) or
/// by category (a school). The dashboard counts in the database; the full as-of report is one
/// click away.
async fn dashboard(
    state: &State,
    page: &Page,
    school_id: Option<i64>,
) -> Result<Dashboard, AppError> {
    let months = Month::of(state.today()).last_twelve();
    let scope = school_id.map(|id| vec![id]);
    let open = Filter {
        school_id,
        open_only: true,
        ..Default::default()
    };
    let (counts, open_now, by) = {
        let months = months.clone();
        state
            .db(move |conn| {
                let by = match school_id {
                    Some(id) => ledger::open_by_category(conn, Some(id))?,
                    None => ledger::open_by_township(conn)?,
                };
                Ok((
                    reports::found_and_closed(conn, scope.as_deref(), &months)?,
                    ledger::count(conn, &open)?,
                    by,
                ))
            })
            .await?
    };
    let trend: Vec<TrendPoint> = months
        .iter()
        .zip(counts)
        .map(|(m, (found, closed))| TrendPoint {
            month: m.label(),
            found,
            closed,
            open_at_month_end: 0,
        })
        .collect();
    let rows = by
        .into_iter()
        .map(|(key, n)| {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("open", "1");
            if school_id.is_some() {
                q.append_pair("category", &key);
                (
                    page.t(format!("hazard.category.{key}")),
                    n,
                    format!("/hazards?{}", q.finish()),
                )
            } else {
                q.append_pair("township", &key);
                (key, n, format!("/hazards?{}", q.finish()))
            }
        })
        .collect();
    Ok(Dashboard {
        month: months.last().map(|m| m.label()).unwrap_or_default(),
        trend,
        open_now,
        open_by: hbars(rows),
        open_by_title: if school_id.is_some() {
            "home.open_by_category"
        } else {
            "home.open_by_township"
        },
    })
}
