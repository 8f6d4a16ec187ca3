//! A section's figures as tables, for the CSV (one after another) and the XLSX (a sheet each).

use crate::i18n::Catalog;

/// One cell: words, a count, or a measure that may have nothing to measure.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// A share in 0..=1, shown as a percentage with one decimal.
    Rate(Option<f64>),
    /// Days, with one decimal.
    Days(Option<f64>),
}

impl Cell {
    /// The cell as the CSV writes it: blank where there is nothing to measure.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Rate(r) => r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_default(),
            Cell::Days(d) => d.map(|d| format!("{d:.1}")).unwrap_or_default(),
        }
    }

    /// The number a spreadsheet should hold, when the cell is one (a rate as its share, to be
    /// shown with a percent format).
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Days(d) => *d,
            Cell::Rate(r) => r.map(|r| (r * 1000.0).round() / 1000.0),
            Cell::Text(_) => None,
        }
    }

    /// The cell as a page shows it: "—" where there is nothing to measure.
    pub fn shown(&self) -> String {
        match self {
            Cell::Rate(None) | Cell::Days(None) => "—".into(),
            other => other.text(),
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self, Cell::Text(_))
    }
}

#[derive(Clone, Debug)]
pub struct Table {
    /// The sheet's name in the workbook.
    pub sheet: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// The first row is the totals (合计) row, set in bold.
    pub totals_first: bool,
    /// The last row is a totals row, set in bold.
    pub totals_last: bool,
    /// The CSV holds this table (the XLSX holds every table).
    pub in_csv: bool,
    /// The first column names each row's group (合计, 按来源…): a page shows it once per group.
    pub grouped: bool,
}

/// One row of a table as a page draws it: the group's label on its first row, with the number
/// of rows it spans, then the other cells.
pub struct HtmlRow<'a> {
    pub group: Option<(&'a str, usize)>,
    pub cells: &'a [Cell],
    pub bold: bool,
}

/// A section's lines: the totals and one per unit (a township's or school's name, blank for
/// the schools entered without a township), each made into its cells by one function.
pub struct PerUnit<'a, F> {
    pub totals: &'a F,
    pub units: Vec<(&'a str, &'a F)>,
}

impl<'a, F> PerUnit<'a, F> {
    /// The totals and a section's lines per unit.
    pub fn of(totals: &'a F, lines: &'a [super::UnitLine<F>]) -> PerUnit<'a, F> {
        PerUnit {
            totals,
            units: lines.iter().map(|l| (l.key.as_str(), &l.figures)).collect(),
        }
    }
}

impl Table {
    /// The totals row (本月 合计) then a row per unit (按乡镇/学校), under the group and item
    /// columns and `columns` (catalog keys), on the sheet named by `sheet`.
    pub fn per_unit<F>(
        cat: &Catalog,
        sheet: &str,
        columns: &[&str],
        lines: PerUnit<'_, F>,
        cells: impl Fn(&F) -> Vec<Cell>,
    ) -> Table {
        let line = |group: &str, item: String, f: &F| {
            let mut row = vec![Cell::Text(group.to_string()), Cell::Text(item)];
            row.extend(cells(f));
            row
        };
        let mut rows = vec![line(
            cat.get("reports.section.total"),
            cat.get("reports.all").to_string(),
            lines.totals,
        )];
        for (key, f) in lines.units {
            // Schools entered without a township are counted together, named so.
            let item = if key.is_empty() {
                cat.get("reports.no_township").to_string()
            } else {
                key.to_string()
            };
            rows.push(line(cat.get("reports.section.unit"), item, f));
        }
        let header = ["reports.col.section", "reports.col.item"]
            .iter()
            .chain(columns.iter())
            .map(|k| cat.get(k).to_string())
            .collect();
        Table {
            sheet: cat.get(sheet).to_string(),
            header,
            rows,
            totals_first: true,
            totals_last: false,
            in_csv: true,
            grouped: true,
        }
    }

    /// The catalog keys `per_unit` names besides its columns (for the i18n test).
    pub const PER_UNIT_LABELS: [&'static str; 5] = [
        "reports.col.section",
        "reports.col.item",
        "reports.section.total",
        "reports.section.unit",
        "reports.no_township",
    ];

    /// The rows for a page; the same columns as the CSV and the sheet.
    pub fn html_rows(&self) -> Vec<HtmlRow<'_>> {
        let last = self.rows.len().saturating_sub(1);
        fn label(r: &[Cell]) -> &str {
            match r.first() {
                Some(Cell::Text(t)) => t.as_str(),
                _ => "",
            }
        }
        let mut out = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            let bold = (self.totals_first && i == 0) || (self.totals_last && i == last);
            if !self.grouped || row.is_empty() {
                out.push(HtmlRow {
                    group: None,
                    cells: row,
                    bold,
                });
                continue;
            }
            let first = i == 0 || label(&self.rows[i - 1]) != label(row);
            let span = self.rows[i..]
                .iter()
                .take_while(|r| label(r) == label(row))
                .count();
            out.push(HtmlRow {
                group: first.then_some((label(row), span)),
                cells: &row[1..],
                bold,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn a_grouped_table_labels_each_group_once_over_its_rows() {
        let table = Table {
            sheet: "s".into(),
            header: vec!["group".into(), "item".into(), "n".into()],
            rows: vec![
                vec![t("合计"), t("全部"), Cell::Count(3)],
                vec![t("按来源"), t("周边"), Cell::Count(1)],
                vec![t("按来源"), t("校内"), Cell::Count(2)],
            ],
            totals_first: true,
            totals_last: false,
            in_csv: true,
            grouped: true,
        };
        let rows = table.html_rows();
        let groups: Vec<_> = rows.iter().map(|r| r.group).collect();
        assert_eq!(groups, vec![Some(("合计", 1)), Some(("按来源", 2)), None]);
        assert!(rows[0].bold && !rows[1].bold);
        assert_eq!(rows[2].cells, &[t("校内"), Cell::Count(2)][..]);
    }

    #[test]
    fn a_page_shows_a_dash_where_the_csv_leaves_a_blank() {
        assert_eq!(Cell::Rate(None).shown(), "—");
        assert_eq!(Cell::Rate(None).text(), "");
        assert_eq!(Cell::Rate(Some(0.3333)).shown(), "33.3%");
        assert_eq!(Cell::Rate(Some(0.3333)).number(), Some(0.333));
    }
}
