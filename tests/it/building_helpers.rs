//! Buildings for tests, driven through the real store and rules (as the demo does) at the app's
//! clock, and the forms a browser posts for them.

use chrono::NaiveDate;
use xiaoan::domain::attachments::Stage;
use xiaoan::domain::buildings::BuildingAction;
use xiaoan::domain::buildings::input::{
    AppraisalDraft, BuildingDraft, TransitionDraft, validate_appraisal, validate_building,
    validate_transition,
};
use xiaoan::domain::hazards::input::SuperviseDraft;
use xiaoan::store::buildings::{self, appraise::Recorded, files::BUILDING_FILES};
use xiaoan::store::{attachments, files};

use crate::hazard_helpers::png;
use crate::helpers::{TestApp, today};

/// The register form's fields for a building built in `year`.
pub fn building_form(name: &str, year: i32) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_string()),
        ("use", "teaching".into()),
        ("structure", "brick_concrete".into()),
        ("floors", "3".into()),
        ("floor_area", "1260.5".into()),
        ("year_built", year.to_string()),
    ]
}

/// The five supervision items a D appraisal asks for, valid from `on`.
pub fn five_items() -> Vec<(&'static str, String)> {
    vec![
        ("measures", "立即停止使用，设置围挡和警示标志".into()),
        ("responsible_person", "王强".into()),
        ("funding", "县财政 80 万元".into()),
        (
            "deadline",
            (today() + chrono::Duration::days(90)).to_string(),
        ),
        ("contingency_plan", "学生转入2号楼上课".into()),
    ]
}

/// An appraisal form's fields (the five items too for a D).
pub fn appraisal_form(grade: &str, on: NaiveDate) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("appraised_on", on.to_string()),
        ("agency", "县房屋安全鉴定站".into()),
        ("report_no", format!("JD-{on}")),
        ("grade", grade.into()),
        ("notes", "承重墙体开裂".into()),
    ];
    if grade == "D" {
        f.extend(five_items());
    }
    f
}

fn draft<T: serde::de::DeserializeOwned + Default>(fields: &[(&'static str, String)]) -> T {
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    xiaoan::web::forms::restore_pairs(&pairs)
}

impl TestApp {
    /// `username` acting at the app's clock: the system's, or the instant a test set.
    pub fn by_clock(&self, username: &str) -> xiaoan::store::By {
        xiaoan::store::By {
            at: self.config.clock.now(),
            ..self.by_name(username)
        }
    }

    /// Registers a building built in 1998 as `username` for `school_id`.
    pub fn register_building(&self, username: &str, school_id: i64, name: &str) -> i64 {
        let d: BuildingDraft = draft(&building_form(name, 1998));
        let b = validate_building(&d, today()).expect("valid building");
        buildings::register(&mut self.conn(), &self.by_clock(username), school_id, &b)
            .expect("register")
    }

    /// Records an appraisal of `grade` dated `on` as `username`.
    pub fn appraise_building(
        &self,
        username: &str,
        id: i64,
        grade: &str,
        on: NaiveDate,
    ) -> Recorded {
        let mut d: AppraisalDraft = draft(&appraisal_form(grade, on));
        if grade != "D" {
            d.supervision = SuperviseDraft::default();
        }
        let a = validate_appraisal(&d, 1998, today()).expect("valid appraisal");
        buildings::appraise(
            &mut self.conn(),
            &self.by_clock(username),
            id,
            &a,
            None,
            None,
        )
        .unwrap_or_else(|e| panic!("{username} appraises {grade}: {e}"))
    }

    /// Takes one disposal step through the store as `username`, with valid fields; a
    /// `report_done` first adds an "after" photo.
    pub fn building_step(&self, username: &str, id: i64, action: BuildingAction, method: &str) {
        let d = TransitionDraft {
            method: method.into(),
            deadline: (today() + chrono::Duration::days(60)).to_string(),
            funding: "县财政".into(),
            measures: "已拆除并清运".into(),
            comment: "请补充照片".into(),
        };
        let t = validate_transition(action, &d, today()).expect("valid step");
        let photos = if action == BuildingAction::ReportDone {
            vec![self.saved_photo(9)]
        } else {
            Vec::new()
        };
        buildings::transition(
            &mut self.conn(),
            &self.by_clock(username),
            id,
            action,
            &t,
            None,
            &photos,
        )
        .unwrap_or_else(|e| panic!("{username} {action}: {e}"));
    }

    /// A photo stored under the uploads, not yet attached.
    pub fn saved_photo(&self, seed: u8) -> files::Saved {
        files::save_photo(&self.config.uploads_dir(), &png(seed, 64, 48))
            .expect("disk")
            .expect("image")
    }

    /// Adds a photo to a building through the store as `username`.
    pub fn building_photo(&self, username: &str, id: i64, stage: Stage, seed: u8) -> i64 {
        let saved = self.saved_photo(seed);
        attachments::add(
            &mut self.conn(),
            &self.by_clock(username),
            &BUILDING_FILES,
            id,
            stage,
            &[saved],
        )
        .expect("photo")[0]
    }

    pub fn building_status(&self, id: i64) -> String {
        buildings::get(&mut self.conn(), id)
            .expect("building")
            .building
            .status
            .as_str()
            .to_string()
    }
}
