//! What a campaign's forms hold: the campaign (a name, a period, one item per line), an item
//! marked done (the day, a note), and an item returned (the school, a comment).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::validate::{Errors, FieldError};

pub const NAME_MAX: usize = 100;
pub const ITEM_MAX: usize = 200;
pub const ITEMS_MAX: usize = 30;
pub const NOTE_MAX: usize = 1000;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CampaignDraft {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    /// One item per line.
    pub items: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCampaign {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub items: Vec<String>,
}

pub fn validate_campaign(d: &CampaignDraft) -> Result<NewCampaign, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = e.personal("name", &d.name, true, NAME_MAX);
    let starts_on = e.date("starts_on", &d.starts_on, true);
    let ends_on = e.date("ends_on", &d.ends_on, true);
    if let (Some(from), Some(to)) = (starts_on, ends_on)
        && to < from
    {
        e.add("ends_on", "campaigns.error.ends_before_start");
    }
    let items: Vec<String> = d
        .items
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if items.is_empty() {
        e.add("items", "error.required");
    } else if items.len() > ITEMS_MAX {
        e.0.push(FieldError {
            field: "items",
            message: "campaigns.error.too_many_items",
            arg: Some(ITEMS_MAX.to_string()),
        });
    } else if items.iter().any(|i| i.chars().count() > ITEM_MAX) {
        e.0.push(FieldError {
            field: "items",
            message: "campaigns.error.item_too_long",
            arg: Some(ITEM_MAX.to_string()),
        });
    } else if items
        .iter()
        .any(|i| crate::domain::validate::looks_like_national_id(i))
    {
        e.add("items", "error.national_id");
    }
    match (starts_on, ends_on) {
        (Some(starts_on), Some(ends_on)) if e.is_empty() => Ok(NewCampaign {
            name,
            starts_on,
            ends_on,
            items,
        }),
        _ => Err(e.0),
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DoneDraft {
    pub done_on: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    pub done_on: NaiveDate,
    pub note: String,
}

/// An item done: on a day from the campaign's start to today.
pub fn validate_done(
    d: &DoneDraft,
    starts_on: NaiveDate,
    today: NaiveDate,
) -> Result<Done, Vec<FieldError>> {
    let mut e = Errors::default();
    let done_on = e.past_date("done_on", &d.done_on, true, today);
    if done_on.is_some_and(|day| day < starts_on) {
        e.add("done_on", "campaigns.error.before_start");
    }
    let note = e.personal("note", &d.note, false, NOTE_MAX);
    match done_on {
        Some(done_on) if e.is_empty() => Ok(Done { done_on, note }),
        _ => Err(e.0),
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReturnDraft {
    pub school: String,
    pub comment: String,
}

/// A return says why: the comment is required.
pub fn validate_return(d: &ReturnDraft) -> Result<String, Vec<FieldError>> {
    let mut e = Errors::default();
    let comment = e.personal("comment", &d.comment, true, NOTE_MAX);
    e.into_result(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).unwrap_or_default()
    }

    fn fields<T>(r: Result<T, Vec<FieldError>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_campaigns_items_are_its_non_blank_lines_in_order() {
        let d = CampaignDraft {
            name: "“九个一”专项行动".into(),
            starts_on: "2022-03-01".into(),
            ends_on: "2022-06-30".into(),
            items: "召开一次专题会议\r\n\n  开展一次隐患排查  \n".into(),
        };
        assert_eq!(
            validate_campaign(&d).map(|c| c.items),
            Ok(vec!["召开一次专题会议".into(), "开展一次隐患排查".into()])
        );
    }

    #[test]
    fn a_campaign_needs_a_name_a_period_in_order_and_items() {
        assert_eq!(
            fields(validate_campaign(&CampaignDraft::default())),
            ["name", "starts_on", "ends_on", "items"]
        );
        let d = CampaignDraft {
            name: "x".into(),
            starts_on: "2022-03-01".into(),
            ends_on: "2022-02-01".into(),
            items: "a".into(),
        };
        assert_eq!(fields(validate_campaign(&d)), ["ends_on"]);
        let d = CampaignDraft {
            ends_on: "2022-04-01".into(),
            items: "a\n".repeat(ITEMS_MAX + 1),
            ..d
        };
        assert_eq!(fields(validate_campaign(&d)), ["items"]);
    }

    #[test]
    fn an_item_is_done_between_the_start_and_today() {
        let ok = DoneDraft {
            done_on: "2022-03-05".into(),
            note: "已召开".into(),
        };
        assert!(validate_done(&ok, day(3, 1), day(3, 10)).is_ok());
        for bad in ["2022-02-28", "2022-03-11", "", "5 March"] {
            let d = DoneDraft {
                done_on: bad.into(),
                ..ok.clone()
            };
            assert_eq!(
                fields(validate_done(&d, day(3, 1), day(3, 10))),
                ["done_on"],
                "{bad}"
            );
        }
    }

    #[test]
    fn a_return_says_why() {
        assert_eq!(
            fields(validate_return(&ReturnDraft::default())),
            ["comment"]
        );
        assert!(
            validate_return(&ReturnDraft {
                school: "S01".into(),
                comment: "缺少会议记录".into()
            })
            .is_ok()
        );
    }
}
