use super::*;

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap_or_default()
}

fn fields<T: std::fmt::Debug>(r: Result<T, Vec<FieldError>>) -> Vec<(&'static str, &'static str)> {
    r.err()
        .unwrap_or_default()
        .iter()
        .map(|f| (f.field, f.message))
        .collect()
}

fn building() -> BuildingDraft {
    BuildingDraft {
        name: "1号教学楼".into(),
        usage: "teaching".into(),
        structure: "brick_concrete".into(),
        floors: "4".into(),
        floor_area: "2360.5".into(),
        year_built: "1998".into(),
    }
}

fn appraisal(grade: &str) -> AppraisalDraft {
    AppraisalDraft {
        appraised_on: "2026-03-02".into(),
        agency: "县房屋安全鉴定站".into(),
        report_no: "JD-2026-031".into(),
        grade: grade.into(),
        notes: String::new(),
        supervision: SuperviseDraft::default(),
    }
}

fn five_items() -> SuperviseDraft {
    SuperviseDraft {
        measures: "立即停止使用，设置围挡".into(),
        responsible_person: "王强".into(),
        funding: "县财政 80 万元".into(),
        deadline: "2026-08-31".into(),
        contingency_plan: "学生转入2号楼上课".into(),
    }
}

#[test]
fn a_complete_building_passes_with_its_numbers() {
    let b = validate_building(&building(), day("2026-03-05")).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (b.usage, b.structure),
        (Use::Teaching, Structure::BrickConcrete)
    );
    assert_eq!((b.floors, b.year_built), (4, 1998));
    assert!((b.floor_area - 2360.5).abs() < 1e-9);
}

#[test]
fn a_building_needs_its_fields_and_sane_numbers() {
    let empty = BuildingDraft::default();
    assert_eq!(
        fields(validate_building(&empty, day("2026-03-05"))),
        vec![
            ("name", "error.required"),
            ("use", "error.choice"),
            ("structure", "error.choice"),
            ("floors", "error.required"),
            ("floor_area", "error.required"),
            ("year_built", "error.required"),
        ]
    );
    let mut d = building();
    d.floors = "0".into();
    d.floor_area = "-3".into();
    d.year_built = "2027".into();
    assert_eq!(
        fields(validate_building(&d, day("2026-03-05"))),
        vec![
            ("floors", "buildings.error.between"),
            ("floor_area", "buildings.error.area"),
            ("year_built", "buildings.error.between"),
        ]
    );
    for bad in ["1e3", "12.345", "NaN", "inf", "1,000", "0"] {
        let mut d = building();
        d.floor_area = bad.into();
        assert_eq!(
            fields(validate_building(&d, day("2026-03-05"))),
            vec![("floor_area", "buildings.error.area")],
            "{bad}"
        );
    }
    let mut d = building();
    d.year_built = "2026".into();
    assert!(
        validate_building(&d, day("2026-03-05")).is_ok(),
        "this year is fine"
    );
}

#[test]
fn an_appraisal_is_neither_in_the_future_nor_before_the_building() {
    let today = day("2026-03-05");
    assert!(validate_appraisal(&appraisal("B"), 1998, today).is_ok());
    let mut d = appraisal("B");
    d.appraised_on = "2026-03-06".into();
    assert_eq!(
        fields(validate_appraisal(&d, 1998, today)),
        vec![("appraised_on", "buildings.error.appraised_future")]
    );
    d.appraised_on = "2010-05-01".into();
    let refused = validate_appraisal(&d, 2012, today)
        .err()
        .unwrap_or_default();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].message, "buildings.error.before_built");
    assert_eq!(refused[0].arg.as_deref(), Some("2012"));
    d.appraised_on = "2012-01-01".into();
    assert!(
        validate_appraisal(&d, 2012, today).is_ok(),
        "the year it was built is fine"
    );
}

#[test]
fn an_appraisal_needs_its_date_agency_report_and_a_grade() {
    let empty = AppraisalDraft::default();
    assert_eq!(
        fields(validate_appraisal(&empty, 1998, day("2026-03-05"))),
        vec![
            ("appraised_on", "error.required"),
            ("agency", "error.required"),
            ("report_no", "error.required"),
            ("grade", "error.choice"),
        ]
    );
    assert_eq!(
        fields(validate_appraisal(&appraisal("E"), 1998, day("2026-03-05"))),
        vec![("grade", "error.choice")]
    );
}

#[test]
fn a_d_grade_needs_the_five_supervision_items_and_others_ignore_them() {
    let today = day("2026-03-05");
    let refused = fields(validate_appraisal(&appraisal("D"), 1998, today));
    assert_eq!(
        refused,
        vec![
            ("measures", "error.required"),
            ("responsible_person", "error.required"),
            ("funding", "error.required"),
            ("contingency_plan", "error.required"),
            ("deadline", "error.required"),
        ]
    );
    let mut d = appraisal("D");
    d.supervision = five_items();
    let a = validate_appraisal(&d, 1998, today).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.supervision.map(|s| s.deadline), Some(day("2026-08-31")));
    let mut c = appraisal("C");
    c.supervision = five_items();
    assert_eq!(
        validate_appraisal(&c, 1998, today).map(|a| a.supervision),
        Ok(None)
    );
    d.supervision.deadline = "2026-03-03".into();
    assert_eq!(
        fields(validate_appraisal(&d, 1998, today)),
        vec![("deadline", "hazards.error.deadline_past")]
    );
    d.supervision.deadline = "2026-03-01".into();
    assert_eq!(
        fields(validate_appraisal(&d, 1998, today)),
        vec![("deadline", "hazards.error.deadline_before_found")],
        "not before the appraisal that found the danger"
    );
}

#[test]
fn each_disposal_step_needs_its_own_fields() {
    let today = day("2026-03-05");
    let empty = TransitionDraft::default();
    assert_eq!(
        fields(validate_transition(BuildingAction::Plan, &empty, today)),
        vec![
            ("method", "error.choice"),
            ("deadline", "error.required"),
            ("funding", "error.required"),
        ]
    );
    assert_eq!(
        fields(validate_transition(
            BuildingAction::ReportDone,
            &empty,
            today
        )),
        vec![("measures", "error.required")]
    );
    assert_eq!(
        fields(validate_transition(BuildingAction::Return, &empty, today)),
        vec![("comment", "error.required")]
    );
    assert!(validate_transition(BuildingAction::Accept, &empty, today).is_ok());
    let plan = TransitionDraft {
        method: "demolish".into(),
        deadline: "2026-03-04".into(),
        funding: "县财政".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(validate_transition(BuildingAction::Plan, &plan, today)),
        vec![("deadline", "hazards.error.deadline_past")]
    );
    let ok = TransitionDraft {
        deadline: "2026-03-05".into(),
        ..plan
    };
    assert_eq!(
        validate_transition(BuildingAction::Plan, &ok, today).map(|t| (t.method, t.deadline)),
        Ok((Some(Method::Demolish), Some(today)))
    );
}
