use super::*;

fn day(s: &str) -> NaiveDate {
    crate::domain::validate::parse_date(s).unwrap_or_default()
}

#[test]
fn the_default_rule_at_every_boundary() {
    let n = |pupils| required(Rule::Gbt29315, pupils, 0).count;
    for (pupils, want) in [
        (0, 1),
        (99, 1),
        (100, 2),
        (620, 2),
        (999, 2),
        (1000, 3),
        (1499, 3),
        (1500, 4),
        (1999, 4),
        (2000, 5),
        (4999, 10),
        (5000, 11),
    ] {
        assert_eq!(n(pupils), want, "{pupils} pupils");
    }
    assert_eq!(
        required(Rule::Gbt29315, 620, 0).words,
        "security.arith.middle"
    );
    assert_eq!(required(Rule::Gbt29315, 620, 0).args, vec![620]);
    assert_eq!(required(Rule::Gbt29315, 1600, 0).args, vec![1600, 1]);
    assert_eq!(n(-5), 1, "a negative count is no pupils");
}

#[test]
fn boarders_add_one_per_full_two_hundred_only_under_the_option() {
    let with = |pupils, boarders| required(Rule::Gbt29315Boarders, pupils, boarders).count;
    assert_eq!(with(620, 199), 2);
    assert_eq!(with(620, 200), 3);
    assert_eq!(with(620, 399), 3);
    assert_eq!(with(620, 400), 4);
    assert_eq!(with(99, 99), 1);
    assert_eq!(with(1500, 600), 7);
    assert_eq!(
        required(Rule::Gbt29315, 620, 400).count,
        2,
        "the default ignores boarders"
    );
    let r = required(Rule::Gbt29315Boarders, 620, 200);
    assert_eq!(
        (r.words, r.args),
        ("security.arith.middle_boarders", vec![620, 200, 1])
    );
    assert_eq!(
        with(150, 900),
        2,
        "no more boarders than pupils: 150 boarders at most"
    );
    for r in [Rule::Gbt29315, Rule::Gbt29315Boarders] {
        for p in [5, 500, 5000] {
            assert!(arith_labels().contains(&required(r, p, 300).words));
        }
    }
}

/// An 18-character value with the standard's check character, built here (no whole ID number
/// is written anywhere in the repository): weights 2^(17-i) mod 11, check "10X98765432".
fn with_check(first17: &str) -> String {
    let sum: u32 = first17
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap_or(0) * (2u32.pow(17 - i as u32) % 11))
        .sum();
    let check = "10X98765432"
        .chars()
        .nth((sum % 11) as usize)
        .unwrap_or('?');
    format!("{first17}{check}")
}

#[test]
fn a_national_id_number_is_recognised_by_its_check_digit() {
    for first17 in [
        "43122119800101001",
        "43120020050630123",
        "11000019991231999",
    ] {
        let id = with_check(first17);
        assert!(looks_like_national_id(&id), "{first17}…");
        assert!(
            looks_like_national_id(&id.to_lowercase()),
            "a lower-case x too"
        );
        assert!(
            looks_like_national_id(&format!(" {}-{} ", &id[..6], &id[6..])),
            "separators do not hide it"
        );
        let last = id.chars().last().unwrap_or('0');
        let wrong = if last == '1' { '2' } else { '1' };
        assert!(
            !looks_like_national_id(&format!("{first17}{wrong}")),
            "a wrong check character"
        );
    }
    assert!(
        !looks_like_national_id("43122119800101001"),
        "17 characters"
    );
    assert!(!looks_like_national_id("湘保1234567890123456"));
    assert!(!looks_like_national_id("4312000000000000AB"));
}

#[test]
fn staff_and_viewers_see_a_licence_masked() {
    assert_eq!(mask_licence("湘0123456789"), "湘0*******89");
    assert_eq!(mask_licence("ABCD"), "****");
    assert_eq!(mask_licence(""), "");
}

#[test]
fn a_guard_warns_of_no_licence_age_insurance_and_training() {
    let today = day("2026-06-01");
    let good = GuardFacts {
        licence_no: Some("湘0123456789".into()),
        birth_year: 1980,
        insured: true,
        trained_on: Some(day("2025-06-01")),
    };
    assert!(warnings(&good, AgeRange::default(), today).is_empty());
    let bad = GuardFacts {
        licence_no: Some(" ".into()),
        birth_year: 1960,
        insured: false,
        trained_on: Some(day("2025-05-31")),
    };
    assert_eq!(
        warnings(&bad, AgeRange::default(), today),
        vec![
            Warning::NoLicence,
            Warning::Age,
            Warning::NotInsured,
            Warning::NotTrained
        ]
    );
    let young = GuardFacts {
        birth_year: 2009,
        trained_on: None,
        ..good.clone()
    };
    assert_eq!(
        warnings(&young, AgeRange::default(), today),
        vec![Warning::Age, Warning::NotTrained]
    );
    assert!(
        warnings(
            &GuardFacts {
                birth_year: 2008,
                ..good.clone()
            },
            AgeRange::default(),
            today
        )
        .is_empty(),
        "18 this year"
    );
    assert!(
        warnings(
            &GuardFacts {
                birth_year: 1966,
                ..good
            },
            AgeRange::default(),
            today
        )
        .is_empty(),
        "60 this year"
    );
}
