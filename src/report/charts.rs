//! Charts drawn on the server as SVG (no script, prints as drawn): the twelve-month trend, and
//! horizontal bars of counts, each bar a link to the list behind it.

use super::hazards::TrendPoint;

/// One month of the trend chart, in SVG units (the chart is 600 × 200).
pub struct Bar {
    pub x: i64,
    pub found_y: i64,
    pub found_h: i64,
    pub closed_y: i64,
    pub closed_h: i64,
    pub label: String,
}

const CHART_H: i64 = 180;

/// Bars of found and closed per month, and (when `with_line`) the open-at-month-end line.
pub fn chart(trend: &[TrendPoint], with_line: bool) -> (Vec<Bar>, String) {
    let max = trend
        .iter()
        .map(|p| p.found.max(p.closed).max(p.open_at_month_end))
        .max()
        .unwrap_or(0)
        .max(1);
    // The tallest bar or point stops short of the top edge.
    let scale = |v: i64| v * (CHART_H - 10) / max;
    let bars = trend
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = 20 + i as i64 * 48;
            Bar {
                x,
                found_y: CHART_H - scale(p.found),
                found_h: scale(p.found),
                closed_y: CHART_H - scale(p.closed),
                closed_h: scale(p.closed),
                label: p.month.get(5..).unwrap_or(&p.month).to_string(),
            }
        })
        .collect();
    if !with_line {
        return (bars, String::new());
    }
    let line = trend
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{},{}",
                36 + i as i64 * 48,
                CHART_H - scale(p.open_at_month_end)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    (bars, line)
}

/// One bar of a horizontal bar chart, in SVG units (the chart is 420 wide, 40 a row: the label
/// on its own line, so long names fit, then the bar and its count).
pub struct HBar {
    pub label: String,
    pub n: i64,
    pub y: i64,
    pub width: i64,
    pub href: String,
}

const HBAR_MAX_W: i64 = 370;
pub const HBAR_ROW: i64 = 40;

/// Bars for (label, count, link) rows, largest first, scaled to the largest.
pub fn hbars(mut rows: Vec<(String, i64, String)>) -> Vec<HBar> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.into_iter()
        .enumerate()
        .map(|(i, (label, n, href))| HBar {
            label,
            n,
            y: i as i64 * HBAR_ROW,
            // A visible sliver even for one against hundreds.
            width: (n * HBAR_MAX_W / max).max(2),
            href,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_scales_to_its_largest_figure_below_the_top_edge() {
        let point = |month: &str, found, closed, open| TrendPoint {
            month: month.into(),
            found,
            closed,
            open_at_month_end: open,
        };
        let trend = [point("2026-01", 10, 0, 4), point("2026-02", 5, 2, 3)];
        let (bars, line) = chart(&trend, true);
        let got: Vec<(i64, i64, i64, i64, &str)> = bars
            .iter()
            .map(|b| {
                (
                    b.found_y,
                    b.found_h,
                    b.closed_y,
                    b.closed_h,
                    b.label.as_str(),
                )
            })
            .collect();
        assert_eq!(got, vec![(10, 170, 180, 0, "01"), (95, 85, 146, 34, "02")]);
        assert_eq!(line, "36,112 84,129");
        assert_eq!(chart(&trend, false).1, "", "no line asked for");
    }

    #[test]
    fn bars_run_largest_first_scaled_to_the_largest() {
        let bars = hbars(vec![
            ("甲".into(), 1, "/a".into()),
            ("乙".into(), 4, "/b".into()),
            ("丙".into(), 2, "/c".into()),
        ]);
        let got: Vec<(&str, i64, i64, i64)> = bars
            .iter()
            .map(|b| (b.label.as_str(), b.n, b.y, b.width))
            .collect();
        assert_eq!(
            got,
            vec![("乙", 4, 0, 370), ("丙", 2, 40, 185), ("甲", 1, 80, 92)]
        );
    }
}
