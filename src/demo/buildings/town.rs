//! The buildings of the county town's schools (辰阳镇, CX-01xx).

use super::data::{A_NEW, A_OK, B_AGED, B_MINOR, DemoBuilding, START, Step, b};
use crate::domain::buildings::{Grade, Method};

/// Their buildings, by school code.
pub fn buildings() -> Vec<(&'static str, Vec<DemoBuilding>)> {
    use Grade::{A, B, C, D};
    use Method::{Demolish, Reinforce};
    use Step::*;
    vec![
        (
            "CX-0101",
            vec![
                b(
                    ("1号教学楼", "teaching", "frame", "5", "6820.00", "2020"),
                    START,
                    vec![Appraise(1580, A, 1, A_NEW)],
                ),
                b(
                    ("2号教学楼", "teaching", "frame", "5", "4136.80", "2020"),
                    START,
                    vec![Appraise(1580, A, 1, A_NEW)],
                ),
                b(
                    ("学生宿舍楼", "dormitory", "frame", "6", "5460.00", "2020"),
                    START,
                    vec![Appraise(1578, A, 1, A_NEW)],
                ),
                b(
                    ("学生食堂", "canteen", "frame", "2", "2150.00", "2020"),
                    START,
                    vec![Appraise(1578, A, 1, A_NEW)],
                ),
                b(
                    ("风雨操场", "gym", "steel", "1", "1685.40", "2020"),
                    START,
                    vec![Appraise(
                        1575,
                        A,
                        1,
                        "钢结构网架节点及支座完好，满足安全使用要求。",
                    )],
                ),
            ],
        ),
        (
            "CX-0102",
            vec![
                b(
                    (
                        "初中部老教学楼",
                        "teaching",
                        "brick_concrete",
                        "4",
                        "3120.00",
                        "1978",
                    ),
                    START,
                    vec![
                        Appraise(3300, B, 0, B_AGED),
                        Appraise(
                            1500,
                            C,
                            0,
                            "二、三层多处纵墙出现斜向裂缝，预制楼板板缝开裂，属局部危房，限制使用。",
                        ),
                        Appraise(
                            1000,
                            D,
                            1,
                            "承重墙体多处贯通裂缝，基础不均匀沉降明显，整幢危险，应立即停止使用。",
                        ),
                        Plan(990, Demolish, 150, "县民生实事项目资金"),
                        Done(
                            905,
                            "已整体拆除，建筑垃圾清运完毕，场地平整后移交初中部新教学楼建设。",
                        ),
                        Accept(895),
                    ],
                ),
                b(
                    (
                        "高中部教学楼",
                        "teaching",
                        "brick_concrete",
                        "5",
                        "4680.00",
                        "1992",
                    ),
                    START,
                    vec![
                        Appraise(3100, B, 0, B_MINOR),
                        Appraise(
                            300,
                            C,
                            0,
                            "三层走廊梁底出现竖向裂缝，东侧山墙开裂，属局部危房，三层停止上课。",
                        ),
                        Plan(290, Reinforce, 90, "县级校舍安全专项资金"),
                        Done(
                            200,
                            "已完成梁底粘钢加固和山墙钢筋网片加固，附加固施工记录。",
                        ),
                        Accept(195),
                    ],
                ),
                b(
                    (
                        "女生宿舍楼",
                        "dormitory",
                        "brick_concrete",
                        "6",
                        "3890.00",
                        "2005",
                    ),
                    START,
                    vec![Appraise(2600, B, 0, B_MINOR), Appraise(900, B, 2, B_MINOR)],
                ),
                b(
                    ("学生食堂", "canteen", "frame", "2", "1960.00", "2010"),
                    START,
                    vec![Appraise(2200, A, 0, A_OK), Appraise(400, A, 2, A_OK)],
                ),
            ],
        ),
        (
            "CX-0103",
            vec![
                b(
                    ("教学保育楼", "teaching", "frame", "3", "3260.00", "2020"),
                    START,
                    vec![Appraise(1560, A, 1, A_NEW)],
                ),
                b(
                    ("综合活动楼", "gym", "frame", "2", "1280.00", "2020"),
                    START,
                    vec![Appraise(1560, A, 1, A_NEW)],
                ),
                // Put on the register lately; not appraised yet.
                b(
                    (
                        "后勤辅助用房",
                        "other",
                        "brick_concrete",
                        "1",
                        "186.50",
                        "2020",
                    ),
                    60,
                    vec![],
                ),
            ],
        ),
        (
            "CX-0104",
            vec![
                b(
                    ("教学楼", "teaching", "frame", "5", "5320.00", "1998"),
                    START,
                    vec![Appraise(2900, B, 0, B_AGED), Appraise(1200, B, 0, B_AGED)],
                ),
                // Restricted for more than a year: its reappraisal is overdue.
                b(
                    ("实训楼", "other", "frame", "3", "3840.00", "1995"),
                    START,
                    vec![
                        Appraise(2950, B, 0, B_AGED),
                        Appraise(
                            420,
                            C,
                            2,
                            "二层实训车间楼面局部开裂，设备荷载超过设计值，属局部危房，限制使用。",
                        ),
                    ],
                ),
                b(
                    (
                        "学生公寓",
                        "dormitory",
                        "brick_concrete",
                        "6",
                        "6120.00",
                        "2003",
                    ),
                    START,
                    vec![
                        Appraise(2700, B, 0, B_MINOR),
                        Appraise(600, A, 2, "屋面防水和外墙改造完成后复鉴，结构完好。"),
                    ],
                ),
                b(
                    ("学生食堂", "canteen", "frame", "2", "2400.00", "2008"),
                    START,
                    vec![Appraise(1300, A, 0, A_OK)],
                ),
            ],
        ),
        (
            "CX-0105",
            vec![
                b(
                    (
                        "教学康复楼",
                        "teaching",
                        "brick_concrete",
                        "3",
                        "1860.00",
                        "1996",
                    ),
                    START,
                    vec![
                        Appraise(2800, B, 0, B_AGED),
                        Appraise(
                            150,
                            C,
                            2,
                            "一层康复训练室墙体受潮酥碱，圈梁局部露筋，属局部危房，限制使用。",
                        ),
                        Plan(140, Reinforce, 180, "省特殊教育专项资金"),
                    ],
                ),
                b(
                    (
                        "学生宿舍",
                        "dormitory",
                        "brick_concrete",
                        "3",
                        "980.00",
                        "2009",
                    ),
                    START,
                    vec![Appraise(1400, A, 0, A_OK)],
                ),
            ],
        ),
    ]
}
