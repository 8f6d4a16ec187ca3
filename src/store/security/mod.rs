//! Security staffing: a school's guards, its profile and its alarm tests, each write with its
//! audit event (on the school's security record) and its notices in one transaction, and what
//! the four ticks of a school are read from. The rules come from `domain::security`.

pub mod models;
pub mod remind;
pub mod table;
pub mod trail;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::notifications::{self, About};
use super::{By, StoreError, StoreResult, settings};
use crate::db::schema::{alarm_tests, guards, hazards, schools, security_profiles};
use crate::db::{DbConn, write_tx};
use crate::domain::hazards::State as HazardState;
use crate::domain::security::compliance::{SchoolFacts, Tally, Ticks, ticks};
use crate::domain::security::guards::{AgeRange, Rule, required};
use crate::domain::security::input::{
    AlarmTest as NewAlarmTest, Guard as NewGuard, Profile as NewProfile,
};
use crate::domain::security::notify::{self as notices, SecurityNotice};
use crate::domain::security::{self as domain, Item, KIND, SecurityEvent, Settings, rules};
use crate::domain::validate::FieldError;
use models::{AlarmTest, Guard, Profile};

/// The county's settings for the module, defaults where unset or unreadable.
pub fn settings(conn: &mut DbConn) -> QueryResult<Settings> {
    let d = Settings::default();
    let number =
        |conn: &mut DbConn, key: &str, default: i64, range: std::ops::RangeInclusive<i64>| {
            Ok::<i64, diesel::result::Error>(
                settings::get(conn, key)?
                    .and_then(|v| v.parse::<i64>().ok())
                    .filter(|v| range.contains(v))
                    .unwrap_or(default),
            )
        };
    let rule = settings::get(conn, domain::SETTING_RULE)?
        .and_then(|v| Rule::parse(&v))
        .unwrap_or(d.rule);
    let min = number(
        conn,
        domain::SETTING_AGE_MIN,
        i64::from(d.ages.min),
        16..=70,
    )?;
    let max = number(
        conn,
        domain::SETTING_AGE_MAX,
        i64::from(d.ages.max),
        16..=80,
    )?;
    Ok(Settings {
        rule,
        ages: AgeRange {
            min: i32::try_from(min).unwrap_or(d.ages.min),
            max: i32::try_from(max.max(min)).unwrap_or(d.ages.max),
        },
        verification_days: number(
            conn,
            domain::SETTING_VERIFICATION_DAYS,
            d.verification_days,
            1..=3650,
        )?,
        alarm_test_days: number(
            conn,
            domain::SETTING_ALARM_TEST_DAYS,
            d.alarm_test_days,
            1..=365,
        )?,
    })
}

/// A school's guards in post, by hiring date.
pub fn guards_in_post(conn: &mut DbConn, school_id: i64) -> QueryResult<Vec<Guard>> {
    guards::table
        .filter(guards::school_id.eq(school_id))
        .filter(guards::left_on.is_null())
        .order((guards::hired_on.asc(), guards::id.asc()))
        .select(Guard::as_select())
        .load(conn)
}

pub fn guard(conn: &mut DbConn, id: i64) -> StoreResult<Guard> {
    guards::table
        .find(id)
        .select(Guard::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

pub fn profile(conn: &mut DbConn, school_id: i64) -> QueryResult<Option<Profile>> {
    security_profiles::table
        .find(school_id)
        .select(Profile::as_select())
        .first(conn)
        .optional()
}

/// A school's alarm tests, the latest first.
pub fn alarm_tests_of(
    conn: &mut DbConn,
    school_id: i64,
    limit: i64,
) -> QueryResult<Vec<AlarmTest>> {
    alarm_tests::table
        .filter(alarm_tests::school_id.eq(school_id))
        .order((alarm_tests::tested_on.desc(), alarm_tests::id.desc()))
        .limit(limit)
        .select(AlarmTest::as_select())
        .load(conn)
}

/// What a school's four ticks are read from, and the ticks on `today`.
pub fn school_facts(
    conn: &mut DbConn,
    school_id: i64,
    s: &Settings,
    today: NaiveDate,
) -> StoreResult<(SchoolFacts, Ticks)> {
    let (pupils, boarders): (i32, i32) = schools::table
        .find(school_id)
        .select((schools::pupils, schools::boarders))
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let in_post: i64 = guards::table
        .filter(guards::school_id.eq(school_id))
        .filter(guards::left_on.is_null())
        .filter(guards::full_time.eq(true))
        .count()
        .get_result(conn)?;
    let p = profile(conn, school_id)?;
    let facts = SchoolFacts {
        guards_required: required(s.rule, i64::from(pupils), i64::from(boarders)).count,
        guards_in_post: in_post,
        closed_management: p.as_ref().map(Profile::closed).unwrap_or_default(),
        alarm_linked: p.as_ref().map(Profile::alarm).unwrap_or_default(),
        video_linked: p.as_ref().map(Profile::video).unwrap_or_default(),
        guard_post: p.as_ref().map(Profile::post).unwrap_or_default(),
    };
    let t = ticks(&facts, s.verification_days, today);
    Ok((facts, t))
}

/// What a home page shows of the "4 × 100%": the county's tally, or one school's ticks.
pub enum Standing {
    County(Tally),
    School { code: String, ticks: Ticks },
}

/// The standing of one school (by id), or of the county, on `today`.
pub fn standing(conn: &mut DbConn, school: Option<i64>, today: NaiveDate) -> StoreResult<Standing> {
    let s = settings(conn)?;
    if let Some(id) = school {
        let (_, ticks) = school_facts(conn, id, &s, today)?;
        let code = schools::table.find(id).select(schools::code).first(conn)?;
        return Ok(Standing::School { code, ticks });
    }
    let mut tally = Tally::default();
    for r in table::rows(conn, &s, today, None)? {
        tally.add(&r.facts, &r.ticks);
    }
    Ok(Standing::County(tally))
}

/// A school's security record as its notices name it: by the school's code and name.
fn about<'a>(school_id: i64, code: &'a str, name: &'a str) -> About<'a> {
    About {
        kind: KIND,
        record_id: school_id,
        school_id: Some(school_id),
        reference: code,
        title: name,
        path: notices::path(code),
    }
}

/// Tells whom a step concerns, if anyone, in the step's own transaction.
fn tell(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    notice: Option<SecurityNotice>,
) -> StoreResult<()> {
    let Some(n) = notice else { return Ok(()) };
    let (code, name): (String, String) = schools::table
        .find(school_id)
        .select((schools::code, schools::name))
        .first(conn)?;
    notifications::notify(conn, by, &about(school_id, &code, &name), &n.notice())?;
    Ok(())
}

fn event(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    e: SecurityEvent,
    changes: serde_json::Value,
) -> QueryResult<()> {
    events::append(
        conn,
        &by.actor,
        NewEvent::new(KIND, Some(school_id), e.as_str())
            .at(by.at)
            .school(Some(school_id))
            .changes(changes),
    )
}

/// Adds a guard in post. A licence number already held by a guard in post is refused at its
/// field (the unique index is the second line of defence, for two adding at once).
pub fn add_guard(conn: &mut DbConn, by: &By, school_id: i64, g: &NewGuard) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        rules::may_keep(&by.who, school_id)?;
        if let Some(l) = &g.licence_no {
            let taken: i64 = guards::table
                .filter(guards::licence_no.eq(l))
                .filter(guards::left_on.is_null())
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(StoreError::invalid(
                    "licence_no",
                    "security.error.licence_taken",
                ));
            }
        }
        let inserted = diesel::insert_into(guards::table)
            .values((
                guards::school_id.eq(school_id),
                guards::name.eq(&g.name),
                guards::licence_no.eq(&g.licence_no),
                guards::birth_year.eq(g.birth_year),
                guards::employer.eq(&g.employer),
                guards::full_time.eq(g.full_time),
                guards::hired_on.eq(g.hired_on),
                guards::insured.eq(g.insured),
                guards::trained_on.eq(g.trained_on),
                guards::created_by.eq(by.who.user_id),
                guards::created_at.eq(by.at),
                guards::updated_at.eq(by.at),
            ))
            .execute(conn);
        match inserted {
            Err(e) if super::is_unique_violation(&e) => {
                return Err(StoreError::invalid(
                    "licence_no",
                    "security.error.licence_taken",
                ));
            }
            other => other?,
        };
        let id: i64 = guards::table
            .filter(guards::school_id.eq(school_id))
            .filter(guards::created_by.eq(by.who.user_id))
            .filter(guards::created_at.eq(by.at))
            .order(guards::id.desc())
            .select(guards::id)
            .first(conn)?;
        // The trail names the guard by id: a name is personal data it need not copy.
        let changes = json!({
            "guard": id, "full_time": g.full_time, "insured": g.insured,
            "hired_on": g.hired_on.to_string(), "licence": g.licence_no.is_some(),
        });
        event(conn, by, school_id, SecurityEvent::AddGuard, changes)?;
        tell(conn, by, school_id, SecurityNotice::of_new_guard(g.insured))?;
        Ok(id)
    })
}

/// A guard leaves the school's service (`left_on` checked against the hiring by the caller's
/// domain check, and again here).
pub fn guard_leaves(conn: &mut DbConn, by: &By, id: i64, left_on: NaiveDate) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let g = guard(conn, id)?;
        rules::may_keep(&by.who, g.school_id)?;
        if g.left_on.is_some() {
            return Err(StoreError::Refused(
                crate::domain::access::Refusal::Conflict,
            ));
        }
        if left_on < g.hired_on {
            return Err(StoreError::Invalid(vec![FieldError {
                field: "left_on",
                message: "security.error.left_before_hired",
                arg: Some(g.hired_on.to_string()),
            }]));
        }
        let n = diesel::update(
            guards::table
                .filter(guards::id.eq(id))
                .filter(guards::left_on.is_null()),
        )
        .set((guards::left_on.eq(left_on), guards::updated_at.eq(by.at)))
        .execute(conn)?;
        if n != 1 {
            return Err(StoreError::Refused(
                crate::domain::access::Refusal::Conflict,
            ));
        }
        let changes = json!({ "guard": id, "left_on": left_on.to_string() });
        event(conn, by, g.school_id, SecurityEvent::GuardLeft, changes).map_err(StoreError::from)
    })
}

/// Records the profile: every provision as stated, verified on the day given by this user.
pub fn save_profile(conn: &mut DbConn, by: &By, school_id: i64, p: &NewProfile) -> StoreResult<()> {
    write_tx(conn, |conn| {
        rules::may_verify(&by.who, school_id)?;
        let (on, who) = (Some(p.verified_on), Some(by.who.user_id));
        let values = (
            security_profiles::closed_management.eq(p.closed_management),
            security_profiles::closed_verified_on.eq(on),
            security_profiles::closed_verified_by.eq(who),
            security_profiles::alarm_linked.eq(p.alarm_linked),
            security_profiles::alarm_verified_on.eq(on),
            security_profiles::alarm_verified_by.eq(who),
            security_profiles::video_linked.eq(p.video_linked),
            security_profiles::video_verified_on.eq(on),
            security_profiles::video_verified_by.eq(who),
            security_profiles::guard_post.eq(p.guard_post),
            security_profiles::post_verified_on.eq(on),
            security_profiles::post_verified_by.eq(who),
            security_profiles::updated_at.eq(by.at),
        );
        match profile(conn, school_id)? {
            Some(old) => {
                diesel::update(security_profiles::table.find(school_id))
                    .set((values, security_profiles::version.eq(old.version + 1)))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(security_profiles::table)
                    .values((
                        security_profiles::school_id.eq(school_id),
                        values,
                        security_profiles::version.eq(1),
                    ))
                    .execute(conn)?;
            }
        }
        let changes = json!({
            "closed_management": p.closed_management, "alarm_linked": p.alarm_linked,
            "video_linked": p.video_linked, "guard_post": p.guard_post,
            "verified_on": p.verified_on.to_string(),
        });
        event(conn, by, school_id, SecurityEvent::Profile, changes).map_err(StoreError::from)
    })
}

/// Records an alarm test; a failed one tells the school and the bureau.
pub fn record_alarm_test(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    t: &NewAlarmTest,
) -> StoreResult<()> {
    write_tx(conn, |conn| {
        rules::may_keep(&by.who, school_id)?;
        diesel::insert_into(alarm_tests::table)
            .values((
                alarm_tests::school_id.eq(school_id),
                alarm_tests::tested_on.eq(t.tested_on),
                alarm_tests::result.eq(t.result),
                alarm_tests::response_seconds.eq(t.response_seconds),
                alarm_tests::note.eq(&t.note),
                alarm_tests::recorded_by.eq(by.who.user_id),
                alarm_tests::recorded_at.eq(by.at),
            ))
            .execute(conn)?;
        let changes = json!({
            "tested_on": t.tested_on.to_string(), "result": t.result.as_str(),
            "response_seconds": t.response_seconds,
        });
        event(conn, by, school_id, SecurityEvent::AlarmTest, changes)?;
        tell(conn, by, school_id, SecurityNotice::of_alarm_test(t.result))
    })
}

/// Whether a hazard raised for this item of this school is still open.
pub fn open_gap_hazard(conn: &mut DbConn, school_id: i64, item: Item) -> QueryResult<Option<i64>> {
    hazards::table
        .filter(hazards::school_id.eq(school_id))
        .filter(hazards::security_item.eq(item))
        .filter(hazards::state.eq_any(HazardState::open()))
        .select(hazards::id)
        .first(conn)
        .optional()
}

/// Raises a gap of the four as a hazard (category security), linked both ways: the hazard
/// names its item, the school's trail the hazard. Refused (409) while the item is met or an
/// open hazard for it exists; decided on the school as it stands inside the transaction.
pub fn raise_gap(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    item: Item,
) -> StoreResult<(i64, String)> {
    write_tx(conn, |conn| {
        let s = settings(conn)?;
        let today = crate::domain::time::local_date(by.at);
        let (_, t) = school_facts(conn, school_id, &s, today)?;
        let open = open_gap_hazard(conn, school_id, item)?.is_some();
        rules::may_raise_gap(&by.who, school_id, item, &t, open)?;
        let gap = t.get(item).err().map(|g| g.label()).unwrap_or_default();
        let (name,): (String,) = schools::table
            .find(school_id)
            .select((schools::name,))
            .first(conn)?;
        // In the county's words (zh-CN), whatever language the raiser's pages speak.
        let words = crate::i18n::Lang::ZhCn.catalog();
        let title = words
            .get("security.hazard_title")
            .replacen("{}", &name, 1)
            .replacen("{}", words.get(item.label()), 1);
        let description =
            words
                .get("security.hazard_description")
                .replacen("{}", words.get(gap), 1);
        let raised =
            crate::store::hazards::gap::raise(conn, by, school_id, item, &title, &description)?;
        let changes = json!({ "item": item.as_str(), "hazard": raised.1 });
        event(conn, by, school_id, SecurityEvent::RaiseGap, changes)?;
        Ok(raised)
    })
}

/// The display names of these users (who verified what), by id.
pub fn names(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    use crate::db::schema::users;
    Ok(users::table
        .filter(users::id.eq_any(ids.to_vec()))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}
