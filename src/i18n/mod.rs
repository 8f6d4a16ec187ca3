//! The interface language: zh-CN first, en second. Catalogs are flat JSON maps compiled into
//! the binary; a test checks that both hold the same keys.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" | "zh-cn" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// English only when the browser prefers it to Chinese; zh-CN otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut bits = part.trim().split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .find_map(|b| {
                    b.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::ZhCn
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::ZhCn)
    }

    pub fn catalog(self) -> &'static Catalog {
        match self {
            Lang::ZhCn => &ZH_CN,
            Lang::En => &EN,
        }
    }
}

pub struct Catalog {
    entries: HashMap<String, String>,
}

pub const ZH_CN_SOURCE: &str = include_str!("zh-CN.json");
pub const EN_SOURCE: &str = include_str!("en.json");

static ZH_CN: LazyLock<Catalog> = LazyLock::new(|| Catalog::parse(ZH_CN_SOURCE));
static EN: LazyLock<Catalog> = LazyLock::new(|| Catalog::parse(EN_SOURCE));

impl Catalog {
    /// A malformed catalog is a build defect the tests catch; at run time it reads as empty
    /// and every key shows as itself rather than taking the server down.
    pub fn parse(source: &str) -> Catalog {
        let entries = serde_json::from_str(source).unwrap_or_else(|e| {
            tracing::error!("i18n catalog does not parse: {e}");
            HashMap::new()
        });
        Catalog { entries }
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.keys()
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The text for `key`; the key itself when missing, so a gap is visible, not blank.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.entries.get(key).map(String::as_str).unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_catalogs_parse_and_hold_the_same_keys() {
        let zh: HashMap<String, String> = serde_json::from_str(ZH_CN_SOURCE).unwrap_or_default();
        let en: HashMap<String, String> = serde_json::from_str(EN_SOURCE).unwrap_or_default();
        assert!(zh.len() > 50, "zh-CN catalog is missing or malformed");
        let zk: BTreeSet<_> = zh.keys().collect();
        let ek: BTreeSet<_> = en.keys().collect();
        let only_zh: Vec<_> = zk.difference(&ek).collect();
        let only_en: Vec<_> = ek.difference(&zk).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "only zh-CN: {only_zh:?}; only en: {only_en:?}"
        );
        let empty: Vec<_> = zh
            .iter()
            .chain(en.iter())
            .filter(|(_, v)| v.trim().is_empty())
            .collect();
        assert!(empty.is_empty(), "empty texts: {empty:?}");
    }

    #[test]
    fn english_is_chosen_only_when_preferred() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(""), Lang::ZhCn);
    }
}
