//! The buildings of the township schools (火马冲镇, 后塘瑶族乡, 龙头庵乡).

use super::data::{A_NEW, A_OK, B_AGED, B_MINOR, DemoBuilding, START, Step, b};
use crate::domain::buildings::{Grade, Method};

/// Their buildings, by school code.
pub fn buildings() -> Vec<(&'static str, Vec<DemoBuilding>)> {
    use Grade::{A, B, C, D};
    use Method::{Demolish, Reinforce};
    use Step::*;
    vec![
        (
            "CX-0201",
            vec![
                b(
                    (
                        "旧宿舍楼",
                        "dormitory",
                        "brick_concrete",
                        "4",
                        "2240.00",
                        "1986",
                    ),
                    START,
                    vec![
                        Appraise(3000, B, 0, B_AGED),
                        Appraise(1150, C, 0, "北侧外纵墙出现竖向裂缝，属局部危房，限制使用。"),
                        Appraise(
                            950,
                            D,
                            1,
                            "地基不均匀沉降加剧，外纵墙裂缝贯通，整幢危险，应立即停止使用。",
                        ),
                        Plan(940, Reinforce, 240, "薄改与能力提升项目资金"),
                        Done(
                            720,
                            "完成基础注浆加固、墙体钢筋网水泥砂浆面层加固，增设圈梁和构造柱。",
                        ),
                        Accept(710),
                        Appraise(
                            700,
                            B,
                            1,
                            "加固后复鉴：主体结构基本安全，可恢复使用，建议每年观测沉降。",
                        ),
                    ],
                ),
                b(
                    (
                        "教学楼",
                        "teaching",
                        "brick_concrete",
                        "4",
                        "3360.00",
                        "1999",
                    ),
                    START,
                    vec![Appraise(3200, B, 0, B_AGED), Appraise(1400, B, 0, B_MINOR)],
                ),
                b(
                    ("食堂", "canteen", "brick_concrete", "2", "860.00", "2002"),
                    START,
                    vec![Appraise(2500, A, 0, A_OK), Appraise(1300, B, 0, B_MINOR)],
                ),
                b(
                    ("综合楼", "office", "frame", "4", "1980.00", "2012"),
                    START,
                    vec![Appraise(1250, A, 0, A_OK)],
                ),
            ],
        ),
        (
            "CX-0202",
            vec![
                b(
                    (
                        "教学楼",
                        "teaching",
                        "brick_concrete",
                        "3",
                        "1860.00",
                        "1991",
                    ),
                    START,
                    vec![
                        Appraise(3100, B, 0, B_AGED),
                        Appraise(
                            120,
                            C,
                            0,
                            "三层楼面预制板局部下挠、板缝开裂，属局部危房，三层停止使用。",
                        ),
                    ],
                ),
                b(
                    ("综合楼", "office", "brick_concrete", "3", "960.00", "2007"),
                    START,
                    vec![Appraise(1700, B, 0, B_MINOR)],
                ),
            ],
        ),
        (
            "CX-0301",
            vec![
                b(
                    ("老综合楼", "office", "brick_wood", "2", "640.00", "1979"),
                    START,
                    vec![
                        Appraise(3400, B, 0, B_AGED),
                        Appraise(
                            1200,
                            C,
                            0,
                            "木屋架局部腐朽，二层楼面变形，属局部危房，限制使用。",
                        ),
                        Appraise(
                            210,
                            D,
                            2,
                            "木屋架多处腐朽断裂，砖墙严重开裂外闪，整幢危险，应立即停止使用。",
                        ),
                        Plan(200, Demolish, 90, "乡财政与县级危改资金"),
                    ],
                ),
                b(
                    ("教学楼", "teaching", "frame", "4", "2860.00", "2011"),
                    START,
                    vec![Appraise(1500, A, 0, A_OK)],
                ),
                b(
                    ("学生宿舍楼", "dormitory", "frame", "5", "3150.00", "2020"),
                    START,
                    vec![Appraise(1450, A, 1, A_NEW)],
                ),
                b(
                    ("学生食堂", "canteen", "frame", "1", "680.00", "2020"),
                    START,
                    vec![Appraise(1450, A, 1, A_NEW)],
                ),
            ],
        ),
        (
            "CX-0302",
            vec![
                b(
                    (
                        "教学点旧校舍",
                        "teaching",
                        "brick_wood",
                        "1",
                        "210.00",
                        "1975",
                    ),
                    START,
                    vec![
                        Appraise(3500, B, 0, B_AGED),
                        Appraise(
                            380,
                            C,
                            0,
                            "后墙局部外闪，屋面檩条腐朽，属局部危房，限制使用。",
                        ),
                        Appraise(
                            20,
                            D,
                            0,
                            "后墙外闪加剧，屋架失稳，整幢危险，应立即停止使用。",
                        ),
                    ],
                ),
                b(
                    (
                        "新教学楼",
                        "teaching",
                        "brick_concrete",
                        "2",
                        "360.00",
                        "2015",
                    ),
                    START,
                    vec![Appraise(1300, A, 0, A_OK)],
                ),
                b(
                    (
                        "教师周转房",
                        "other",
                        "brick_concrete",
                        "2",
                        "240.00",
                        "2017",
                    ),
                    START,
                    vec![],
                ),
            ],
        ),
        (
            "CX-0401",
            vec![
                b(
                    ("老教学楼", "teaching", "brick_wood", "2", "540.00", "1976"),
                    START,
                    vec![
                        Appraise(3400, B, 0, B_AGED),
                        Appraise(
                            1150,
                            C,
                            0,
                            "二层木楼面松动，局部墙体开裂，属局部危房，限制使用。",
                        ),
                        Appraise(
                            240,
                            D,
                            2,
                            "墙体多处贯通裂缝，木楼面严重变形，整幢危险，应立即停止使用。",
                        ),
                        Plan(228, Demolish, 210, "县级校舍安全专项资金"),
                        Done(45, "已整体拆除，场地已围挡。"),
                        Return(38, "拆除后的建筑垃圾未清运、场地未平整，请清运后补充照片。"),
                        Done(22, "建筑垃圾已全部清运，场地平整硬化，附清运后照片。"),
                    ],
                ),
                b(
                    ("教学综合楼", "teaching", "frame", "3", "1320.00", "2019"),
                    START,
                    vec![Appraise(1350, A, 1, A_NEW)],
                ),
                b(
                    (
                        "学生宿舍",
                        "dormitory",
                        "brick_concrete",
                        "2",
                        "480.00",
                        "2008",
                    ),
                    START,
                    vec![Appraise(2400, B, 0, B_MINOR), Appraise(650, B, 0, B_MINOR)],
                ),
            ],
        ),
        (
            "CX-0402",
            vec![
                b(
                    (
                        "旧学生宿舍",
                        "dormitory",
                        "brick_concrete",
                        "3",
                        "1420.00",
                        "1984",
                    ),
                    START,
                    vec![
                        Appraise(3300, B, 0, B_AGED),
                        Appraise(
                            900,
                            C,
                            0,
                            "底层墙体受潮酥碱，楼梯间墙体开裂，属局部危房，限制使用。",
                        ),
                        Appraise(
                            150,
                            D,
                            1,
                            "底层承重墙体严重风化开裂，承载力不足，整幢危险，应立即停止使用。",
                        ),
                        Plan(140, Reinforce, 200, "县财政与薄改项目资金"),
                    ],
                ),
                b(
                    (
                        "教学楼",
                        "teaching",
                        "brick_concrete",
                        "4",
                        "2980.00",
                        "2001",
                    ),
                    START,
                    vec![Appraise(2800, B, 0, B_AGED), Appraise(1000, B, 0, B_MINOR)],
                ),
                b(
                    ("新学生宿舍", "dormitory", "frame", "5", "2650.00", "2018"),
                    START,
                    vec![Appraise(1800, A, 1, A_NEW)],
                ),
                // Last appraised more than five years ago: overdue.
                b(
                    ("食堂", "canteen", "brick_concrete", "1", "720.00", "1997"),
                    START,
                    vec![Appraise(2000, B, 0, B_AGED)],
                ),
            ],
        ),
        (
            "CX-0403",
            vec![
                // Both last appraised more than five years ago: overdue.
                b(
                    (
                        "保育楼",
                        "teaching",
                        "brick_concrete",
                        "2",
                        "860.00",
                        "2006",
                    ),
                    START,
                    vec![Appraise(3600, B, 0, B_MINOR), Appraise(2050, B, 0, B_MINOR)],
                ),
                b(
                    ("厨房", "canteen", "brick_concrete", "1", "120.00", "2006"),
                    START,
                    vec![Appraise(2050, B, 0, B_AGED)],
                ),
            ],
        ),
    ]
}
