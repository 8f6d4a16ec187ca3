//! The interface language: zh-CN first, en second. Each module keeps its words in its own
//! file, `<lang>/<module>.json`, under its own prefix (`hazards.…`); `common.json` holds what
//! every page shares. All are compiled into the binary. Tests check that both languages hold
//! the same keys, that each file keeps to its prefix, and that every key the code names —
//! templates, enums (`domain::labels`), the pages' own (`web::labels`) — exists.

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

/// Each module's words: (file, zh-CN, en). A new module adds one line.
pub const FILES: &[(&str, &str, &str)] = &[
    (
        "common",
        include_str!("zh-CN/common.json"),
        include_str!("en/common.json"),
    ),
    (
        "account",
        include_str!("zh-CN/account.json"),
        include_str!("en/account.json"),
    ),
    (
        "home",
        include_str!("zh-CN/home.json"),
        include_str!("en/home.json"),
    ),
    (
        "hazards",
        include_str!("zh-CN/hazards.json"),
        include_str!("en/hazards.json"),
    ),
    (
        "bullying",
        include_str!("zh-CN/bullying.json"),
        include_str!("en/bullying.json"),
    ),
    (
        "buildings",
        include_str!("zh-CN/buildings.json"),
        include_str!("en/buildings.json"),
    ),
    (
        "security",
        include_str!("zh-CN/security.json"),
        include_str!("en/security.json"),
    ),
    (
        "reports",
        include_str!("zh-CN/reports.json"),
        include_str!("en/reports.json"),
    ),
    (
        "schools",
        include_str!("zh-CN/schools.json"),
        include_str!("en/schools.json"),
    ),
    (
        "users",
        include_str!("zh-CN/users.json"),
        include_str!("en/users.json"),
    ),
    (
        "settings",
        include_str!("zh-CN/settings.json"),
        include_str!("en/settings.json"),
    ),
    (
        "import",
        include_str!("zh-CN/import.json"),
        include_str!("en/import.json"),
    ),
    (
        "education",
        include_str!("zh-CN/education.json"),
        include_str!("en/education.json"),
    ),
    (
        "legal_vps",
        include_str!("zh-CN/legal_vps.json"),
        include_str!("en/legal_vps.json"),
    ),
    (
        "campaigns",
        include_str!("zh-CN/campaigns.json"),
        include_str!("en/campaigns.json"),
    ),
    (
        "annual",
        include_str!("zh-CN/annual.json"),
        include_str!("en/annual.json"),
    ),
    (
        "notifications",
        include_str!("zh-CN/notifications.json"),
        include_str!("en/notifications.json"),
    ),
];

/// The prefixes `common.json` may use: what every module's pages share.
pub const COMMON_PREFIXES: &[&str] = &[
    "action",
    "app",
    "attachments",
    "error",
    "event",
    "field",
    "form",
    "list",
    "module",
    "nav",
    "record",
    "role",
    "status",
    "timeline",
    "today",
    "value",
];

static ZH_CN: LazyLock<Catalog> = LazyLock::new(|| Catalog::merge(FILES.iter().map(|f| f.1)));
static EN: LazyLock<Catalog> = LazyLock::new(|| Catalog::merge(FILES.iter().map(|f| f.2)));

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

    /// One catalog of several files (a language's modules).
    pub fn merge<'a>(sources: impl Iterator<Item = &'a str>) -> Catalog {
        let mut entries = HashMap::new();
        for source in sources {
            entries.extend(Catalog::parse(source).entries);
        }
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

    fn keys(source: &str) -> BTreeSet<String> {
        let map: HashMap<String, String> = serde_json::from_str(source).unwrap_or_default();
        map.into_keys().collect()
    }

    #[test]
    fn every_file_parses_in_both_languages_with_the_same_keys() {
        for (file, zh, en) in FILES {
            let (zk, ek) = (keys(zh), keys(en));
            assert!(!zk.is_empty(), "{file}: zh-CN is missing or malformed");
            let only_zh: Vec<_> = zk.difference(&ek).collect();
            let only_en: Vec<_> = ek.difference(&zk).collect();
            assert!(
                only_zh.is_empty() && only_en.is_empty(),
                "{file}: only zh-CN: {only_zh:?}; only en: {only_en:?}"
            );
            for source in [zh, en] {
                let map: HashMap<String, String> = serde_json::from_str(source).unwrap_or_default();
                let empty: Vec<_> = map.iter().filter(|(_, v)| v.trim().is_empty()).collect();
                assert!(empty.is_empty(), "{file}: empty texts: {empty:?}");
            }
        }
    }

    #[test]
    fn each_file_keeps_to_its_own_prefix() {
        let mut seen = BTreeSet::new();
        for (file, zh, _) in FILES {
            for key in keys(zh) {
                let prefix = key.split('.').next().unwrap_or("");
                let ok = if *file == "common" {
                    COMMON_PREFIXES.contains(&prefix)
                } else {
                    prefix == *file
                };
                assert!(ok, "{file}.json holds {key}, outside its prefix");
                assert!(seen.insert(key.clone()), "{key} is in two files");
            }
        }
    }

    #[test]
    fn every_key_the_domain_and_the_pages_name_is_in_both_catalogs() {
        let names = crate::domain::labels()
            .into_iter()
            .chain(crate::web::labels());
        let mut n = 0;
        for key in names {
            n += 1;
            assert!(ZH_CN.has(key) && EN.has(key), "{key} is missing");
        }
        assert!(n > 100, "the enums' keys were walked ({n})");
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
