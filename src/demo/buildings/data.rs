//! The demo county's school buildings and what happened to them, in days before the demo's
//! "today". The register started `START` days ago: appraisals older than that were entered
//! from the paper reports when each school put its buildings on it.
//!
//! Four buildings were graded D in the past year (as in the county's 2022 survey, which found
//! four): one closed without a plan yet, one planned, one planned and past its deadline, one
//! demolished and awaiting the bureau's acceptance. Two earlier ones went the whole way: one
//! demolished and accepted, one reinforced and appraised B again.

use crate::domain::buildings::{Grade, Method};

/// Days ago the county's building register started.
pub const START: i64 = 1100;

/// (name, use, structure, floors, floor area m², year built), as the register form types them.
pub type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// One step of a building's history, each `.0` days ago.
pub enum Step {
    /// Appraised with this grade by agency n (see `AGENCIES`), with these notes.
    Appraise(i64, Grade, usize, &'static str),
    /// Disposal planned: how, due so many days after the plan, paid for by.
    Plan(i64, Method, i64, &'static str),
    /// Reported done (with an "after" photo), these measures.
    Done(i64, &'static str),
    /// The bureau sends it back, saying why.
    Return(i64, &'static str),
    Accept(i64),
}

pub struct DemoBuilding {
    pub spec: Spec,
    /// Days ago it was put on the register.
    pub registered: i64,
    pub steps: Vec<Step>,
}

/// Appraisal agencies (invented) and their report numbers' prefix.
pub const AGENCIES: [(&str, &str); 3] = [
    ("辰溪县房屋安全鉴定站", "辰房鉴"),
    ("湖南辰正建设工程检测有限公司", "辰正检"),
    ("怀化安居房屋安全鉴定有限公司", "安居鉴"),
];

pub const A_OK: &str = "主体结构完好，承重构件未见损伤，满足安全使用要求。";
pub const A_NEW: &str = "新建校舍竣工后首次安全鉴定，结构完好，满足安全使用要求。";
pub const B_MINOR: &str =
    "个别非承重墙体有轻微裂缝，屋面局部渗漏，不影响主体结构安全，建议定期观察。";
pub const B_AGED: &str = "建成年代较早，构件有一般性老化，主体结构基本安全，建议加强日常巡查。";

pub fn b(spec: Spec, registered: i64, steps: Vec<Step>) -> DemoBuilding {
    DemoBuilding {
        spec,
        registered,
        steps,
    }
}

/// The buildings of every demo school, by school code.
pub fn buildings() -> Vec<(&'static str, Vec<DemoBuilding>)> {
    let mut all = super::town::buildings();
    all.extend(super::rural::buildings());
    all
}
