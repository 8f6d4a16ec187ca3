use super::*;

fn day(s: &str) -> NaiveDate {
    crate::domain::validate::parse_date(s).unwrap_or_default()
}

fn fields(errors: &[FieldError]) -> Vec<(&'static str, &'static str)> {
    errors.iter().map(|e| (e.field, e.message)).collect()
}

/// An ID-shaped value built from 17 digits and its check character at run time.
fn id_shaped() -> String {
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first17 = "43122120120304002";
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize])
}

#[test]
fn a_case_needs_its_day_kind_and_summary() {
    let today = day("2026-03-10");
    let ok = CaseDraft {
        reported_on: "2026-03-09".into(),
        reporter_kind: "parent".into(),
        summary: " 课间在厕所被高年级学生推搡 ".into(),
        place: "教学楼二楼厕所".into(),
        ..Default::default()
    };
    let c = validate_case(&ok, today);
    assert_eq!(
        c.map(|c| (c.reporter_kind, c.summary)),
        Ok((
            ReporterKind::Parent,
            "课间在厕所被高年级学生推搡".to_string()
        ))
    );
    let bad = CaseDraft {
        reported_on: "2026-03-11".into(),
        reporter_kind: "neighbour".into(),
        ..Default::default()
    };
    assert_eq!(
        validate_case(&bad, today).map_err(|e| fields(&e)),
        Err(vec![
            ("reported_on", "error.not_future"),
            ("reporter_kind", "error.choice"),
            ("summary", "error.required"),
        ])
    );
}

#[test]
fn a_tip_is_anonymous_reported_today_and_keeps_the_day_it_happened() {
    let today = day("2026-03-10");
    let d = TipDraft {
        school: "CX-0101".into(),
        summary: "有同学每天放学被堵在校门口要钱".into(),
        place: "校门口".into(),
        happened_on: "2026-03-08".into(),
    };
    let c = validate_tip(&d, today);
    assert_eq!(
        c.map(|c| (c.reporter_kind, c.reported_on, c.happened_on)),
        Ok((ReporterKind::Anonymous, today, Some(day("2026-03-08"))))
    );
    let empty = TipDraft::default();
    assert_eq!(
        validate_tip(&empty, today).map_err(|e| fields(&e)),
        Err(vec![
            ("school", "error.required"),
            ("summary", "error.required")
        ])
    );
}

#[test]
fn a_party_has_a_role_and_a_name_and_an_age_in_range() {
    let d = PartyDraft {
        role: "victim".into(),
        name: "张小明".into(),
        grade_class: "五年级2班".into(),
        age: "11".into(),
    };
    assert_eq!(validate_party(&d).map(|p| p.age), Ok(Some(11)));
    for age in ["2", "26", "-1", "十一"] {
        let d = PartyDraft {
            age: age.into(),
            ..d.clone()
        };
        assert_eq!(
            validate_party(&d).map_err(|e| fields(&e)),
            Err(vec![("age", "bullying.error.age")]),
            "{age}"
        );
    }
    let blank_age = PartyDraft {
        age: String::new(),
        ..d
    };
    assert_eq!(validate_party(&blank_age).map(|p| p.age), Ok(None));
}

#[test]
fn no_field_takes_a_national_id_number() {
    let id = id_shaped();
    let party = PartyDraft {
        role: "alleged".into(),
        name: id.clone(),
        ..Default::default()
    };
    assert_eq!(
        validate_party(&party).map_err(|e| fields(&e)),
        Err(vec![("name", "error.national_id")])
    );
    let case = CaseDraft {
        reported_on: "2026-03-09".into(),
        reporter_kind: "teacher".into(),
        summary: id,
        ..Default::default()
    };
    assert_eq!(
        validate_case(&case, day("2026-03-10")).map_err(|e| fields(&e)),
        Err(vec![("summary", "error.national_id")])
    );
}

#[test]
fn each_step_asks_for_what_it_needs() {
    let step = |action: &str, determination: &str, outcome: &str, comment: &str| {
        validate_step(&StepDraft {
            action: action.into(),
            determination: determination.into(),
            outcome: outcome.into(),
            comment: comment.into(),
        })
        .map_err(|e| fields(&e))
    };
    assert_eq!(
        step("determine", "", "", ""),
        Err(vec![("determination", "error.choice")])
    );
    assert_eq!(
        step("determine", "horseplay", "", "").map(|s| s.determination),
        Ok(Some(Determination::Horseplay))
    );
    assert_eq!(
        step("appeal", "", "", ""),
        Err(vec![("comment", "error.required")])
    );
    assert_eq!(
        step("reexamine", "", "", ""),
        Err(vec![("outcome", "error.choice")])
    );
    assert_eq!(
        step("reexamine", "", "upheld", "").map(|s| (s.outcome, s.determination)),
        Ok((Some(Outcome::Upheld), None)),
        "upheld keeps the determination"
    );
    assert_eq!(
        step("reexamine", "", "changed", ""),
        Err(vec![("determination", "error.choice")])
    );
    assert_eq!(
        step("accept", "bullying", "", "").map(|s| s.determination),
        Ok(None),
        "a determination belongs to determine"
    );
    assert_eq!(
        step("bogus", "", "", ""),
        Err(vec![("action", "error.choice")])
    );
}

#[test]
fn a_measure_and_a_screening_are_dated_not_in_the_future() {
    let today = day("2026-03-10");
    let m = MeasureDraft {
        kind: "warning_talk".into(),
        taken_on: "2026-03-11".into(),
        note: String::new(),
    };
    assert_eq!(
        validate_measure(&m, today).map_err(|e| fields(&e)),
        Err(vec![("taken_on", "error.not_future")])
    );
    let s = ScreeningDraft {
        held_on: "2026-03-01".into(),
        classes: "三至六年级".into(),
        pupils_covered: "-4".into(),
        findings: String::new(),
    };
    assert_eq!(
        validate_screening(&s, today).map_err(|e| fields(&e)),
        Err(vec![("pupils_covered", "error.number_range")])
    );
    let blank = ScreeningDraft {
        pupils_covered: String::new(),
        ..s
    };
    assert_eq!(
        validate_screening(&blank, today).map_err(|e| fields(&e)),
        Err(vec![("pupils_covered", "error.required")])
    );
}

#[test]
fn the_settings_are_whole_numbers_in_range_and_an_absent_one_is_left_alone() {
    let d = SettingsDraft {
        bullying_investigation_days: Some(" 7 ".into()),
        bullying_tips_per_school_hour: None,
    };
    assert_eq!(
        validate_settings(&d),
        Ok(vec![("bullying.investigation_days", "7".to_string())])
    );
    let bad = SettingsDraft {
        bullying_investigation_days: Some("0".into()),
        bullying_tips_per_school_hour: Some("500".into()),
    };
    assert_eq!(
        validate_settings(&bad).map_err(|e| fields(&e)),
        Err(vec![
            ("bullying_investigation_days", "bullying.error.between"),
            ("bullying_tips_per_school_hour", "bullying.error.between"),
        ])
    );
}

#[test]
fn a_session_has_a_day_and_its_participants() {
    let today = day("2026-03-10");
    let d = SessionDraft {
        session_held_on: "2026-03-09".into(),
        participants: "260".into(),
        session_note: "主题班会".into(),
    };
    assert_eq!(validate_session(&d, today).map(|s| s.participants), Ok(260));
    let bad = SessionDraft {
        session_held_on: "2026-03-11".into(),
        participants: String::new(),
        ..d
    };
    assert_eq!(
        validate_session(&bad, today).map_err(|e| fields(&e)),
        Err(vec![
            ("session_held_on", "error.not_future"),
            ("participants", "error.required"),
        ])
    );
}
