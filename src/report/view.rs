//! What a section's HTML partial knows: the language, the report's scope and month (for links
//! to the lists behind the figures), and whether it shows a frozen submission.

use super::ScopeJson;
use crate::i18n::Catalog;

pub struct View<'a> {
    pub catalog: &'static Catalog,
    pub month: &'a str,
    pub scope: &'a ScopeJson,
    /// A frozen submission: figures as they were, no links to today's lists.
    pub frozen: bool,
}

impl View<'_> {
    /// The text for a catalog key.
    pub fn t(&self, key: impl AsRef<str>) -> String {
        self.catalog.get(key.as_ref()).to_string()
    }

    /// A text with one `{}` filled in (the argument is escaped by the template).
    pub fn t1(&self, key: &str, arg: &dyn std::fmt::Display) -> String {
        self.catalog.get(key).replacen("{}", &arg.to_string(), 1)
    }

    /// The query that keeps this report's scope, for links to its lists (`&school=…`).
    pub fn scope_query(&self) -> String {
        let mut enc = url::form_urlencoded::Serializer::new(String::new());
        match (&self.scope.code, &self.scope.name, self.scope.kind) {
            (Some(code), _, super::ScopeKind::School) => {
                enc.append_pair("school", code);
            }
            (_, Some(name), super::ScopeKind::Township) => {
                enc.append_pair("township", name);
            }
            _ => {}
        }
        enc.finish()
    }
}
