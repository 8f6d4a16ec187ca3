//! The home page's security tiles: for the county the share of schools meeting each item of
//! the "4 × 100%" and all four, for a school its own four ticks with the reason one is missing.
//! Each tile leads to the table or page behind it.

use crate::domain::security::Item;
use crate::report::Cell;
use crate::store::security::Standing;

/// One tile: what it counts, its value (a rate, or a catalog key), where it leads, and
/// whether it meets the target.
pub struct Tile {
    pub label: &'static str,
    pub value: Value,
    pub href: String,
    pub met: bool,
}

pub enum Value {
    /// A share of schools, shown as a percentage ("—" with no schools).
    Rate(String),
    /// Words from the catalog: met, or why not.
    Words(&'static str),
}

/// A school's four ticks, or the county's rates and all four's.
pub fn tiles(standing: &Standing) -> Vec<Tile> {
    let tally = match standing {
        Standing::School { code, ticks } => {
            let href = format!("/security/schools/{code}");
            return Item::ALL
                .iter()
                .map(|i| {
                    let tick = ticks.get(*i);
                    Tile {
                        label: i.label(),
                        value: Value::Words(tick.err().map_or("security.met", |g| g.label())),
                        href: href.clone(),
                        met: tick.is_ok(),
                    }
                })
                .collect();
        }
        Standing::County(tally) => tally,
    };
    let rate = |r: Option<f64>, label, gap: &str| Tile {
        label,
        value: Value::Rate(Cell::Rate(r).shown()),
        href: format!("/security?gap={gap}"),
        met: r == Some(1.0),
    };
    let mut out: Vec<Tile> = Item::ALL
        .iter()
        .map(|i| rate(tally.rate(*i), i.label(), i.as_str()))
        .collect();
    out.push(rate(
        tally.rate_all_four(),
        "security.report.col.all_four",
        "any",
    ));
    out
}
