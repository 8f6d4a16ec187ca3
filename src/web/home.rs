//! GET /: what waits for this user (the queues their role works from), this month at a glance,
//! and what each module shows them.

use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDate;

use crate::domain::access::{Action, Actor, Target};
use crate::domain::buildings::rules as building_rules;
use crate::domain::buildings::today as building_today;
use crate::domain::bullying::rules as bullying_rules;
use crate::domain::hazards::queues::{self, Queue};
use crate::domain::hazards::{Level, State, rules};
use crate::domain::month::Month;
use crate::domain::reports::rules as report_rules;
use crate::domain::security::rules as security_rules;
use crate::domain::today::{Reason, Why, rank};
use crate::error::AppError;
use crate::report::charts::{Bar, HBAR_ROW, HBar, chart, hbars};
use crate::report::hazards::TrendPoint;
use crate::store::buildings::{list as building_list, today as buildings_today};
use crate::store::bullying::list as cases;
use crate::store::hazards::ledger::{self, Filter};
use crate::store::hazards::today;
use crate::store::security as security_store;
use crate::store::{schools, users};
use crate::web::authz::may;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::hazards::Item;
use crate::web::page::{Page, render};
use crate::web::security::tiles::{self, Tile};
use crate::web::state::State as AppState;

pub struct ModuleCard {
    pub title: &'static str,
    pub text: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    username: String,
    role_key: &'static str,
    role_text_key: &'static str,
    school: Option<String>,
    modules: Vec<ModuleCard>,
    schools_count: Option<i64>,
    users_count: Option<i64>,
    waiting: Vec<Waiting>,
    /// None for a user who acts on nothing (a teacher, a viewer, the admin).
    today: Option<Vec<TodayEntry>>,
    /// How many lines are folded below the first `TODAY_SHOWN`.
    today_more: usize,
    today_shown: usize,
    /// The "report a hazard" button leads the page (whoever reports: teachers first).
    reports_hazards: bool,
    my_reports: Vec<Item>,
    /// This month's figures for the user's scope, and the twelve-month chart.
    month: Option<Dashboard>,
    bars: Vec<Bar>,
    line: String,
    /// Campaigns running now, with their completion over the user's schools.
    campaigns: Vec<crate::web::campaigns::list::Line>,
}

/// The home page's figures: reported and closed per month, and open now.
pub struct Dashboard {
    pub month: String,
    pub trend: Vec<TrendPoint>,
    pub open_now: i64,
    pub open_by: Vec<HBar>,
    /// The catalog key of the bars' title.
    pub open_by_title: &'static str,
    /// Dangerous buildings not yet dealt with, in the user's scope; None for whoever does not
    /// read the register.
    pub dangerous_buildings: Option<i64>,
    /// The "4 × 100%": the county's rates, or the school's ticks; empty for whoever does not
    /// read the security records.
    pub security: Vec<Tile>,
    /// Bullying cases open and investigations overdue in the user's scope, for those who read
    /// cases (never a name: counts only).
    pub bullying: Option<(i64, i64)>,
}

/// Which modules' figures the dashboard shows this user.
#[derive(Clone, Copy)]
struct Reads {
    buildings: bool,
    security: bool,
    bullying: bool,
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

/// One line of the today list (今日待办): a record this user must act on now, and why.
pub struct TodayEntry {
    pub href: String,
    pub reference: String,
    pub title: String,
    pub school: String,
    pub reason_key: &'static str,
    /// Days overdue or left, for the reason's `{}`.
    pub days: Option<i64>,
    /// The bureau's words when it returned the work.
    pub return_reason: Option<String>,
    pub overdue: bool,
}

/// How many lines the home page shows open; the rest are folded below them.
const TODAY_SHOWN: usize = 10;

/// One count of work waiting for this user, with the page that lists it.
pub struct Waiting {
    pub label: &'static str,
    pub n: i64,
    pub href: &'static str,
    pub urgent: bool,
}

/// Which hazards fill a queue, and the page that lists them.
fn queue(q: Queue, who: &Actor, today: NaiveDate) -> (Filter, &'static str) {
    let base = Filter {
        school_id: match who.home() {
            Target::School(id) => Some(id),
            Target::County => None,
        },
        ..Default::default()
    };
    let state = |s| Filter {
        state: Some(s),
        ..base.clone()
    };
    match q {
        Queue::MyOpen => (
            Filter {
                reported_by: Some(who.user_id),
                open_only: true,
                ..base
            },
            "/hazards?open=1",
        ),
        Queue::ToRegister => (
            state(State::Reported),
            "/hazards?state=reported&sort=oldest",
        ),
        Queue::ToAssign => (
            state(State::Registered),
            "/hazards?state=registered&sort=oldest",
        ),
        Queue::ToFix => (
            state(State::Rectifying),
            "/hazards?state=rectifying&sort=deadline",
        ),
        Queue::Returned => (
            Filter {
                returned: true,
                ..base
            },
            "/hazards?returned=1",
        ),
        Queue::ToReview => (state(State::AwaitingAcceptance), "/hazards/review"),
        Queue::Overdue => (
            Filter {
                overdue_on: Some(today),
                ..base
            },
            "/hazards/overdue",
        ),
        Queue::Supervised => (
            Filter {
                supervised: true,
                open_only: true,
                ..base
            },
            "/hazards/supervised?open=1",
        ),
        Queue::Major => (
            Filter {
                level: Some(Level::Major),
                open_only: true,
                ..base
            },
            "/hazards?level=major&open=1",
        ),
    }
}

/// The modules a home page describes, with their name and what each shows this kind of user.
/// A module adds its card when it is built: no card promises what is not there yet.
const MODULES: [(&str, [&str; 3]); 8] = [
    (
        "module.hazards",
        [
            "home.module.hazards.school",
            "home.module.hazards.county",
            "home.module.hazards.admin",
        ],
    ),
    (
        "module.buildings",
        [
            "home.module.buildings.school",
            "home.module.buildings.county",
            "home.module.buildings.admin",
        ],
    ),
    (
        "module.security",
        [
            "home.module.security.school",
            "home.module.security.county",
            "home.module.security.admin",
        ],
    ),
    (
        "module.bullying",
        [
            "home.module.bullying.school",
            "home.module.bullying.county",
            "home.module.bullying.admin",
        ],
    ),
    (
        "module.education",
        [
            "home.module.education.school",
            "home.module.education.county",
            "home.module.education.admin",
        ],
    ),
    (
        "module.legal_vps",
        [
            "home.module.legal_vps.school",
            "home.module.legal_vps.county",
            "home.module.legal_vps.admin",
        ],
    ),
    (
        "module.campaigns",
        [
            "home.module.campaigns.school",
            "home.module.campaigns.county",
            "home.module.campaigns.admin",
        ],
    ),
    (
        "module.reports",
        [
            "home.module.reports.school",
            "home.module.reports.county",
            "home.module.reports.admin",
        ],
    ),
];

/// Every catalog key the home page names outside its template (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    MODULES
        .iter()
        .flat_map(|(title, texts)| std::iter::once(*title).chain(texts.iter().copied()))
        .collect()
}

pub async fn show(
    state: AppState,
    ctx: RequestCtx,
    authed: Authed,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    let (lists_schools, keeps_accounts) = (
        may(&authed, Action::ListSchools, Target::County),
        may(&authed, Action::ManageUsers, Target::County),
    );
    let today = state.today();
    let follows_own = rules::follows_own_reports(&who);
    let waits = queues::for_actor(&who);
    let keeps_today = queues::keeps_today(&who) || building_today::keeps_today(&who);
    let (schools_count, users_count, counts, mine, todo) = state
        .db(move |conn| {
            let schools_count = lists_schools
                .then(|| schools::count_active(conn))
                .transpose()?;
            let users_count = keeps_accounts.then(|| users::count(conn)).transpose()?;
            let mut counts = Vec::new();
            for w in &waits {
                let (f, href) = queue(w.queue, &who, today);
                counts.push((w.queue.label(), ledger::count(conn, &f)?, href, w.urgent));
            }
            let mine = if follows_own {
                // Only this school's: a teacher moved to another school sees no old records.
                let f = Filter {
                    reported_by: Some(who.user_id),
                    school_id: who.school_id,
                    ..Default::default()
                };
                ledger::page(conn, &f, 1)?.0.into_iter().take(10).collect()
            } else {
                Vec::new()
            };
            let todo = if keeps_today {
                Some((
                    today::list(conn, &who, today)?,
                    buildings_today::list(conn, &who, today)?,
                ))
            } else {
                None
            };
            Ok((schools_count, users_count, counts, mine, todo))
        })
        .await?;
    let today_list = todo.map(|(hazards, buildings)| today_lines(hazards, buildings));
    let today_more = today_list
        .as_ref()
        .map_or(0, |t| t.len().saturating_sub(TODAY_SHOWN));
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
    let month = if report_rules::may_view(&who, who.home()).is_ok() && !follows_own {
        let reads = Reads {
            buildings: building_rules::may_view(&who, who.home()).is_ok(),
            security: security_rules::may_view(&who, who.home()).is_ok(),
            bullying: bullying_rules::may_list(&who).is_ok(),
        };
        Some(
            dashboard(
                &state,
                &page,
                who.school_id.filter(|_| who.is_school_scoped()),
                reads,
            )
            .await?,
        )
    } else {
        None
    };
    let campaigns = if crate::domain::campaigns::rules::may_list(&who).is_ok() {
        crate::web::campaigns::list::lines(&state, &authed)
            .await?
            .into_iter()
            .filter(|l| l.running)
            .collect()
    } else {
        Vec::new()
    };
    let (bars, line) = month
        .as_ref()
        .map(|d| chart(&d.trend, false))
        .unwrap_or_default();
    let group = if who.is_school_scoped() {
        0
    } else if who.keeps_accounts() {
        2
    } else {
        1
    };
    // A card only for a module this user opens: a teacher is promised no register.
    let opens = |title: &str| match title {
        "module.education" => crate::domain::education::rules::may_list(&who).is_ok(),
        "module.legal_vps" => crate::domain::legal_vps::may_list(&who).is_ok(),
        "module.campaigns" => crate::domain::campaigns::rules::may_list(&who).is_ok(),
        _ => true,
    };
    let modules = MODULES
        .iter()
        .filter(|(title, _)| opens(title))
        .map(|(title, texts)| ModuleCard {
            title,
            text: texts[group],
        })
        .collect();
    let t = HomePage {
        username: authed.user.username.clone(),
        role_key: authed.role_label(),
        role_text_key: who.role.duty_label(),
        school: authed.school_name.clone(),
        modules,
        schools_count,
        users_count,
        waiting,
        today: today_list,
        today_more,
        today_shown: TODAY_SHOWN,
        reports_hazards: rules::may_report_somewhere(&who).is_ok() && who.is_school_scoped(),
        my_reports,
        month,
        bars,
        line,
        campaigns,
        page,
    };
    render(&t)
}

/// Every module's lines of the user's today list, in the list's one order.
fn today_lines(
    hazards: Vec<today::TodayRow>,
    buildings: Vec<buildings_today::TodayRow>,
) -> Vec<TodayEntry> {
    let line = |why: Why, href, reference, title, school| TodayEntry {
        href,
        reference,
        title,
        school,
        reason_key: why.reason.label(),
        days: why.days,
        return_reason: None,
        overdue: why.reason == Reason::Overdue,
    };
    let mut lines: Vec<(Why, TodayEntry)> = Vec::new();
    for t in hazards {
        let h = &t.row.hazard;
        let mut e = line(
            t.why,
            format!("/hazards/{}", h.id),
            h.ref_no.clone(),
            h.title.clone(),
            t.row.school_name.clone(),
        );
        e.return_reason = t.return_reason;
        lines.push((t.why, e));
    }
    for t in buildings {
        let b = &t.row.building;
        let e = line(
            t.why,
            format!("/buildings/{}", b.id),
            b.reference(),
            b.name.clone(),
            t.row.school_name.clone(),
        );
        lines.push((t.why, e));
    }
    // Stable: within a rank each module keeps its own order.
    lines.sort_by_key(|(why, _)| rank(why));
    lines.into_iter().map(|(_, e)| e).collect()
}

/// This month's figures, the twelve-month chart, the open hazards by township (county) or by
/// category (a school) and the dangerous buildings open. The dashboard counts in the database;
/// the full as-of report is one click away.
async fn dashboard(
    state: &AppState,
    page: &Page,
    school_id: Option<i64>,
    reads: Reads,
) -> Result<Dashboard, AppError> {
    let today = state.today();
    let months = Month::of(today).last_twelve();
    let scope = school_id.map(|id| vec![id]);
    let open = Filter {
        school_id,
        open_only: true,
        ..Default::default()
    };
    let (counts, open_now, by, dangerous_buildings, security, bullying) = {
        let months = months.clone();
        state
            .db(move |conn| {
                let by: Vec<(String, String, i64)> = match school_id {
                    Some(id) => ledger::open_by_category(conn, Some(id))?
                        .into_iter()
                        .map(|(c, n)| (c.as_str().to_string(), c.label().to_string(), n))
                        .collect(),
                    None => ledger::open_by_township(conn)?
                        .into_iter()
                        .map(|(t, n)| (t.clone(), t, n))
                        .collect(),
                };
                let dangerous = reads
                    .buildings
                    .then(|| building_list::dangerous_open(conn, school_id))
                    .transpose()?;
                let security = reads
                    .security
                    .then(|| security_store::standing(conn, school_id, today))
                    .transpose()?;
                let bullying = if reads.bullying {
                    let open = cases::Filter {
                        school_id,
                        ..Default::default()
                    };
                    let overdue = cases::Filter {
                        school_id,
                        overdue_on: Some(today),
                        ..Default::default()
                    };
                    let closed = cases::Filter {
                        school_id,
                        state: Some(crate::domain::bullying::State::Closed),
                        ..Default::default()
                    };
                    let all = cases::count(conn, &open)?;
                    Some((
                        all - cases::count(conn, &closed)?,
                        cases::count(conn, &overdue)?,
                    ))
                } else {
                    None
                };
                Ok((
                    crate::store::hazards::rollup::flows(conn, scope.as_deref(), &months)?,
                    ledger::count(conn, &open)?,
                    by,
                    dangerous,
                    security,
                    bullying,
                ))
            })
            .await?
    };
    let security = security.as_ref().map(tiles::tiles).unwrap_or_default();
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
        .map(|(key, label, n)| {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("open", "1");
            if school_id.is_some() {
                q.append_pair("category", &key);
                (page.t(label), n, format!("/hazards?{}", q.finish()))
            } else {
                q.append_pair("township", &key);
                (label, n, format!("/hazards?{}", q.finish()))
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
        dangerous_buildings,
        security,
        bullying,
    })
}
