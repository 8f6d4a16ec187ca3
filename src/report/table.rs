//! A section's figures as tables, for the CSV (one after another) and the XLSX (a sheet each).

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

    /// The number a spreadsheet should hold, when the cell is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Days(d) => *d,
            Cell::Text(_) | Cell::Rate(_) => None,
        }
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
}
