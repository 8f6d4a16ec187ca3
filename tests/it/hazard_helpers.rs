//! Hazards for tests, driven through the real store and rules (as the demo does).

use xiaoan::domain::attachments::Stage as PhotoStage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::hazards::input::{
    ReportDraft, TransitionDraft, validate_report, validate_transition,
};
use xiaoan::domain::time;
use xiaoan::store::hazards::{self, photos::HAZARD_PHOTOS};
use xiaoan::store::{By, attachments, files, users};

use crate::helpers::{TestApp, today};

/// A small PNG, different for each seed.
pub fn png(seed: u8, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([seed, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// The fields each action needs, filled with valid values.
pub fn fields_for(action: HazardAction) -> Vec<(&'static str, String)> {
    let far = (today() + chrono::Duration::days(30)).to_string();
    match action {
        HazardAction::Assign => vec![
            ("deadline", far),
            ("responsible_unit", "总务处".into()),
            ("responsible_person", "王强".into()),
        ],
        HazardAction::Reopen => vec![("deadline", far), ("comment", "复发".into())],
        HazardAction::Submit => vec![("measures", "已更换".into())],
        HazardAction::Refer => vec![("department", "派出所".into()), ("comment", "移交".into())],
        HazardAction::Dismiss | HazardAction::Return => vec![("comment", "理由".into())],
        HazardAction::MarkDuplicate => vec![("duplicate_of", "YH-2000-0001".into())],
        HazardAction::Register | HazardAction::Accept => vec![],
    }
}

impl TestApp {
    /// This user acting now.
    pub fn by_name(&self, username: &str) -> By {
        let u = users::find_by_username(&mut self.conn(), username)
            .expect("query")
            .expect("user exists");
        By {
            actor: u.event_actor(),
            who: u.actor(),
            at: time::now(),
        }
    }

    /// Reports a hazard as `reporter` for `school_id` (the reporter's own school for school users).
    pub fn report_hazard(&self, reporter: &str, school_id: i64, level: &str) -> i64 {
        let draft = ReportDraft {
            source: "campus".into(),
            category: "fire".into(),
            title: "灭火器过期".into(),
            description: "三楼".into(),
            location: "教学楼".into(),
            level: level.into(),
            how_found: "daily".into(),
            found_on: today().to_string(),
            found_by: "测试".into(),
        };
        let r = validate_report(&draft, today()).expect("valid report");
        let by = self.by_name(reporter);
        hazards::report(&mut self.conn(), &by, school_id, &r, None)
            .expect("report")
            .0
    }

    /// Takes one action through the store as `username`, with valid fields.
    pub fn act(&self, username: &str, id: i64, action: HazardAction) {
        let mut d = TransitionDraft::default();
        for (k, v) in fields_for(action) {
            match k {
                "deadline" => d.deadline = v,
                "responsible_unit" => d.responsible_unit = v,
                "responsible_person" => d.responsible_person = v,
                "measures" => d.measures = v,
                "department" => d.department = v,
                "comment" => d.comment = v,
                "duplicate_of" => d.duplicate_of = v,
                _ => {}
            }
        }
        let found = hazards::get(&mut self.conn(), id)
            .expect("hazard")
            .hazard
            .found_on;
        let t = validate_transition(action, &d, found, found).expect("valid fields");
        let by = self.by_name(username);
        hazards::transition(&mut self.conn(), &by, id, action, &t, None, None)
            .unwrap_or_else(|e| panic!("{username} {action:?}: {e}"));
    }

    /// Adds a photo through the store as `username`.
    pub fn photo(&self, username: &str, id: i64, stage: PhotoStage, seed: u8) -> i64 {
        let saved = files::save_photo(&self.config.uploads_dir(), &png(seed, 64, 48))
            .expect("disk")
            .expect("image");
        let by = self.by_name(username);
        attachments::add(&mut self.conn(), &by, &HAZARD_PHOTOS, id, stage, &[saved]).expect("photo")
            [0]
    }

    pub fn hazard_state(&self, id: i64) -> String {
        hazards::get(&mut self.conn(), id)
            .expect("hazard")
            .hazard
            .state
            .as_str()
            .to_string()
    }
}
