//! The page part of a section that is its tables, a heading and a note (education, legal
//! vice-principals, campaigns): one template for them all.

use askama::Template;

use super::{Table, View};

#[derive(Template)]
#[template(path = "partials/report_section_simple.html")]
pub struct Simple<'a> {
    pub page: &'a View<'a>,
    /// The heading's catalog key (the module's name).
    pub title: &'static str,
    pub tables: Vec<Table>,
    /// A catalog key for the note under the tables, or "".
    pub note: &'static str,
}

impl Simple<'_> {
    pub fn html(
        page: &View<'_>,
        title: &'static str,
        tables: Vec<Table>,
        note: &'static str,
    ) -> Result<String, askama::Error> {
        Simple {
            page,
            title,
            tables,
            note,
        }
        .render()
    }
}
