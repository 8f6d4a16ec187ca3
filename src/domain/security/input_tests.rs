use super::*;

fn day(s: &str) -> NaiveDate {
    crate::domain::validate::parse_date(s).unwrap_or_default()
}

fn fields<T: std::fmt::Debug>(r: Result<T, Vec<FieldError>>) -> Vec<(&'static str, &'static str)> {
    r.err()
        .unwrap_or_default()
        .iter()
        .map(|f| (f.field, f.message))
        .collect()
}

fn guard() -> GuardDraft {
    GuardDraft {
        name: "刘建国".into(),
        licence_no: "湘0123456789".into(),
        birth_year: "1975".into(),
        employer: "辰溪县保安服务公司".into(),
        full_time: "1".into(),
        hired_on: "2024-09-01".into(),
        insured: "1".into(),
        trained_on: "2026-03-10".into(),
    }
}

/// An ID-shaped value, built with its check character (no whole ID number in the repository).
fn id_shaped() -> String {
    let first17 = "43122119750101001";
    let sum: u32 = first17
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap_or(0) * (2u32.pow(17 - i as u32) % 11))
        .sum();
    format!(
        "{first17}{}",
        "10X98765432"
            .chars()
            .nth((sum % 11) as usize)
            .unwrap_or('?')
    )
}

#[test]
fn a_complete_guard_passes() {
    let g = validate_guard(&guard(), day("2026-06-01")).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(g.full_time && g.insured);
    assert_eq!(g.licence_no.as_deref(), Some("湘0123456789"));
    assert_eq!(g.birth_year, 1975);
}

#[test]
fn a_guard_needs_a_name_a_real_birth_year_and_a_hiring_date() {
    let today = day("2026-06-01");
    assert_eq!(
        fields(validate_guard(&GuardDraft::default(), today)),
        vec![
            ("name", "error.required"),
            ("birth_year", "error.required"),
            ("hired_on", "error.required")
        ]
    );
    let mut d = guard();
    d.birth_year = "2027".into();
    d.hired_on = "2026-06-02".into();
    d.full_time = "yes".into();
    assert_eq!(
        fields(validate_guard(&d, today)),
        vec![
            ("birth_year", "security.error.birth_year"),
            ("full_time", "error.choice"),
            ("hired_on", "error.not_future"),
        ]
    );
    let mut d = guard();
    d.licence_no = String::new();
    assert_eq!(
        validate_guard(&d, today).map(|g| g.licence_no),
        Ok(None),
        "no licence is a warning"
    );
}

#[test]
fn an_id_number_in_any_field_is_refused() {
    let today = day("2026-06-01");
    let id = id_shaped();
    for field in ["name", "licence_no", "employer"] {
        let mut d = guard();
        match field {
            "name" => d.name = id.clone(),
            "licence_no" => d.licence_no = id.clone(),
            _ => d.employer = id.clone(),
        }
        assert_eq!(
            fields(validate_guard(&d, today)),
            vec![(field, "error.national_id")],
            "{field}"
        );
    }
    let t = AlarmTestDraft {
        tested_on: "2026-05-01".into(),
        result: "pass".into(),
        response_seconds: "45".into(),
        note: id,
    };
    assert_eq!(
        fields(validate_alarm_test(&t, today)),
        vec![("note", "error.national_id")]
    );
}

#[test]
fn a_guard_leaves_after_being_hired_and_not_in_the_future() {
    let (hired, today) = (day("2024-09-01"), day("2026-06-01"));
    assert_eq!(
        validate_leave("2026-05-31", hired, today),
        Ok(day("2026-05-31"))
    );
    assert_eq!(
        fields(validate_leave("2024-08-31", hired, today)),
        vec![("left_on", "security.error.left_before_hired")]
    );
    assert_eq!(
        fields(validate_leave("2026-06-02", hired, today)),
        vec![("left_on", "error.not_future")]
    );
    assert_eq!(
        fields(validate_leave("", hired, today)),
        vec![("left_on", "error.required")]
    );
}

#[test]
fn the_profile_takes_four_flags_and_a_verification_day() {
    let today = day("2026-06-01");
    let d = ProfileDraft {
        closed_management: "1".into(),
        alarm_linked: "1".into(),
        video_linked: "0".into(),
        guard_post: String::new(),
        verified_on: "2026-05-20".into(),
    };
    let p = validate_profile(&d, today).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(p.closed_management && p.alarm_linked && !p.video_linked && !p.guard_post);
    let bad = ProfileDraft {
        alarm_linked: "2".into(),
        verified_on: "2026-06-02".into(),
        ..d
    };
    assert_eq!(
        fields(validate_profile(&bad, today)),
        vec![
            ("alarm_linked", "error.choice"),
            ("verified_on", "error.not_future")
        ]
    );
}

#[test]
fn an_alarm_test_needs_its_day_and_result_and_a_sane_response_time() {
    let today = day("2026-06-01");
    assert_eq!(
        fields(validate_alarm_test(&AlarmTestDraft::default(), today)),
        vec![("tested_on", "error.required"), ("result", "error.choice")]
    );
    let d = AlarmTestDraft {
        tested_on: "2026-05-01".into(),
        result: "fail".into(),
        response_seconds: "-1".into(),
        note: String::new(),
    };
    assert_eq!(
        fields(validate_alarm_test(&d, today)),
        vec![("response_seconds", "security.error.response_seconds")]
    );
    let ok = AlarmTestDraft {
        response_seconds: String::new(),
        ..d
    };
    let t = validate_alarm_test(&ok, today).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((t.result, t.response_seconds), (AlarmResult::Fail, None));
}
