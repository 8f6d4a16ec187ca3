use super::*;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
}

fn d(s: &str) -> NaiveDate {
    crate::domain::validate::parse_date(s).unwrap_or_default()
}

fn step(at: &str, status: Status) -> Step {
    Step {
        at: t(at),
        status,
        grade: None,
        due: None,
        appraisal: false,
    }
}

fn appraised(at: &str, status: Status, grade: Grade, due: Option<&str>) -> Step {
    Step {
        at: t(at),
        status,
        grade: Some(grade),
        due: due.map(d),
        appraisal: true,
    }
}

fn h(school_id: i64, steps: Vec<Step>) -> History {
    History { school_id, steps }
}

/// March 2026, as UTC bounds of the county's month.
fn march() -> ((NaiveDateTime, NaiveDateTime), NaiveDate) {
    (
        (t("2026-02-28 16:00"), t("2026-03-31 16:00")),
        d("2026-03-31"),
    )
}

#[test]
fn a_known_history_gives_every_figure() {
    let (w, last) = march();
    let hs = vec![
        // Never appraised.
        h(1, vec![step("2025-09-01 02:00", Status::InUse)]),
        // A, due long after.
        h(
            1,
            vec![
                step("2025-09-01 02:00", Status::InUse),
                appraised(
                    "2025-09-02 02:00",
                    Status::InUse,
                    Grade::A,
                    Some("2030-09-02"),
                ),
            ],
        ),
        // B whose next appraisal fell due in March: overdue on the 31st.
        h(
            2,
            vec![
                step("2020-01-01 02:00", Status::InUse),
                appraised(
                    "2021-03-10 02:00",
                    Status::InUse,
                    Grade::B,
                    Some("2026-03-10"),
                ),
            ],
        ),
        // C, restricted: dangerous and open.
        h(
            2,
            vec![
                step("2020-01-01 02:00", Status::InUse),
                appraised(
                    "2026-03-03 02:00",
                    Status::Restricted,
                    Grade::C,
                    Some("2027-03-03"),
                ),
            ],
        ),
        // D, closed, planned: dangerous and open.
        h(
            3,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised("2026-01-05 02:00", Status::Closed, Grade::D, None),
                step("2026-01-20 02:00", Status::DisposalPlanned),
            ],
        ),
        // D demolished in March: out of the total, counted as demolished.
        h(
            3,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised("2025-11-05 02:00", Status::Closed, Grade::D, None),
                step("2025-12-01 02:00", Status::DisposalPlanned),
                step("2026-03-01 02:00", Status::AwaitingAcceptance),
                step("2026-03-20 02:00", Status::Demolished),
            ],
        ),
        // D reinforced in March: still standing, graded D, no longer open.
        h(
            3,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised("2025-11-05 02:00", Status::Closed, Grade::D, None),
                step("2025-12-01 02:00", Status::DisposalPlanned),
                step("2026-03-02 02:00", Status::AwaitingAcceptance),
                step("2026-03-25 02:00", Status::Reinforced),
            ],
        ),
        // Registered after the month: not there yet.
        h(1, vec![step("2026-04-02 02:00", Status::InUse)]),
    ];
    let f = figures(&hs, w, last);
    assert_eq!(
        f,
        Figures {
            total: 6,
            by_grade: ByGrade {
                a: 1,
                b: 1,
                c: 1,
                d: 2,
                none: 1
            },
            dangerous_open: 2,
            demolished_in_month: 1,
            reinforced_in_month: 1,
            appraisals_overdue: 1,
        }
    );
    let by = by_unit(
        &hs,
        |s| format!("u{s}"),
        ["u1".into(), "u9".into()],
        w,
        last,
    );
    assert_eq!(
        by.len(),
        4,
        "every unit named, those with nothing too: {by:?}"
    );
    assert_eq!(by["u9"], Figures::default());
    assert_eq!(by["u1"].total, 2);
    assert_eq!(by["u3"].dangerous_open, 1);
    assert_eq!(by["u3"].demolished_in_month, 1);
}

#[test]
fn a_later_appraisal_sets_the_grade_and_other_steps_keep_it() {
    let b = h(
        1,
        vec![
            step("2024-01-01 02:00", Status::InUse),
            appraised("2025-01-01 02:00", Status::Closed, Grade::D, None),
            step("2025-02-01 02:00", Status::DisposalPlanned),
            step("2025-05-01 02:00", Status::AwaitingAcceptance),
            step("2025-06-01 02:00", Status::Reinforced),
            appraised(
                "2025-07-01 02:00",
                Status::InUse,
                Grade::B,
                Some("2030-07-01"),
            ),
        ],
    );
    assert_eq!(
        b.at(t("2024-01-01 02:00")),
        None,
        "nothing before it was registered"
    );
    let mid = b.at(t("2025-03-01 00:00")).map(|s| (s.status, s.grade));
    assert_eq!(mid, Some((Status::DisposalPlanned, Some(Grade::D))));
    let reinforced = b.at(t("2025-06-15 00:00")).map(|s| (s.status, s.grade));
    assert_eq!(reinforced, Some((Status::Reinforced, Some(Grade::D))));
    let now = b.at(t("2026-01-01 00:00"));
    assert_eq!(
        now.map(|s| (s.status, s.grade, s.due)),
        Some((Status::InUse, Some(Grade::B), Some(d("2030-07-01"))))
    );
}

#[test]
fn the_month_is_read_as_of_its_last_instant() {
    let (w, last) = march();
    // Demolished a minute after the month ended (county time): still standing in March.
    let b = h(
        1,
        vec![
            step("2024-01-01 02:00", Status::InUse),
            appraised("2026-01-05 02:00", Status::Closed, Grade::D, None),
            step("2026-01-20 02:00", Status::DisposalPlanned),
            step("2026-03-10 02:00", Status::AwaitingAcceptance),
            step("2026-03-31 16:01", Status::Demolished),
        ],
    );
    let f = figures([&b], w, last);
    assert_eq!(
        (f.total, f.dangerous_open, f.demolished_in_month),
        (1, 1, 0)
    );
    // An appraisal due on the last day is not yet overdue.
    let due = h(
        1,
        vec![
            step("2020-01-01 02:00", Status::InUse),
            appraised(
                "2021-03-31 02:00",
                Status::InUse,
                Grade::A,
                Some("2026-03-31"),
            ),
        ],
    );
    assert_eq!(figures([&due], w, last).appraisals_overdue, 0);
}

/// What the store reads for the current month: the row as it stands and the period's
/// acceptances.
fn as_row(b: &History, from: NaiveDateTime, now: NaiveDateTime) -> Option<Current> {
    let standing = b.at(now + chrono::Duration::microseconds(1))?;
    Some(Current {
        school_id: b.school_id,
        standing,
        accepted: b
            .steps
            .iter()
            .filter(|s| s.at >= from && s.status.is_disposed() && !s.appraisal)
            .map(|s| (s.at, s.status))
            .collect(),
    })
}

#[test]
fn the_rows_as_they_stand_give_the_figures_the_trail_gives() {
    let ((from, _), _) = march();
    let now = t("2026-03-28 03:00");
    let to = now + chrono::Duration::microseconds(1);
    let today = d("2026-03-28");
    let hs = vec![
        h(1, vec![step("2025-09-01 02:00", Status::InUse)]),
        // Demolished this month: gone from the total, counted once.
        h(
            1,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised("2025-11-05 02:00", Status::Closed, Grade::D, None),
                step("2025-12-01 02:00", Status::DisposalPlanned),
                step("2026-03-01 02:00", Status::AwaitingAcceptance),
                step("2026-03-20 02:00", Status::Demolished),
            ],
        ),
        // Reinforced this month, then appraised B: in use, no longer dangerous.
        h(
            2,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised("2025-11-05 02:00", Status::Closed, Grade::D, None),
                step("2025-12-01 02:00", Status::DisposalPlanned),
                step("2026-03-02 02:00", Status::AwaitingAcceptance),
                step("2026-03-10 02:00", Status::Reinforced),
                appraised(
                    "2026-03-15 02:00",
                    Status::InUse,
                    Grade::B,
                    Some("2031-03-15"),
                ),
            ],
        ),
        // Reinforced last month: not this month's.
        h(
            2,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised(
                    "2025-11-05 02:00",
                    Status::Restricted,
                    Grade::C,
                    Some("2026-11-05"),
                ),
                step("2025-12-01 02:00", Status::DisposalPlanned),
                step("2026-02-02 02:00", Status::AwaitingAcceptance),
                step("2026-02-10 02:00", Status::Reinforced),
            ],
        ),
        // Overdue since the 20th.
        h(
            3,
            vec![
                step("2020-01-01 02:00", Status::InUse),
                appraised(
                    "2021-03-20 02:00",
                    Status::InUse,
                    Grade::A,
                    Some("2026-03-20"),
                ),
            ],
        ),
        // Closed, D: dangerous and open.
        h(
            3,
            vec![
                step("2024-01-01 02:00", Status::InUse),
                appraised("2026-03-05 02:00", Status::Closed, Grade::D, None),
            ],
        ),
    ];
    let replayed = figures(&hs, (from, to), today);
    let rows: Vec<History> = hs
        .iter()
        .filter_map(|b| as_row(b, from, now))
        .map(|c| c.history(now))
        .collect();
    assert_eq!(figures(&rows, (from, to), today), replayed);
    assert_eq!(
        replayed,
        Figures {
            total: 5,
            by_grade: ByGrade {
                a: 1,
                b: 1,
                c: 1,
                d: 1,
                none: 1
            },
            dangerous_open: 1,
            demolished_in_month: 1,
            reinforced_in_month: 1,
            appraisals_overdue: 1,
        }
    );
}
