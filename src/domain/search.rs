//! What the search index keeps of a record's texts, and what a typed query looks up.
//!
//! Chinese has no spaces, so words cannot be split by a tokenizer we could trust; instead each
//! run of CJK (any non-ASCII letter or digit) is cut into overlapping pairs of characters, the
//! standard bigram index: "灭火器" is kept as 灭火, 火器 and its last character 器 alone, so that
//! every character starts some term. ASCII letters and digits form words, lower-cased. A query
//! is cut the same way and each of its terms is looked up as a prefix: "电线" finds the pair
//! 电线, "火" every pair starting with 火, "xa" the word "xa2024". The pairs being present does
//! not prove the words are (灭火 … 火器 apart), so the store also checks each typed word against
//! the record's folded text: the index narrows, the text decides.

use std::collections::BTreeSet;

/// A query's typed text is cut to this many characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// At most this many terms are looked up in the index; the text check covers the rest.
pub const MAX_QUERY_TERMS: usize = 8;
/// ASCII words are kept to this many characters (a prefix looks up the rest).
const MAX_WORD: usize = 32;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Cjk,
    Break,
}

fn class(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        Class::Word
    } else if !c.is_ascii() && c.is_alphanumeric() {
        Class::Cjk
    } else {
        Class::Break
    }
}

/// A text as the index compares it: ASCII case folded, nothing else changed. Both databases
/// then compare the same bytes (PostgreSQL's LIKE is case-sensitive, SQLite's is not).
pub fn fold(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// The runs of a text: (class, characters), breaks dropped.
fn runs(text: &str) -> Vec<(Class, Vec<char>)> {
    let mut out: Vec<(Class, Vec<char>)> = Vec::new();
    for c in text.chars() {
        let k = class(c);
        if k == Class::Break {
            out.push((Class::Break, Vec::new()));
            continue;
        }
        match out.last_mut() {
            Some((last, chars)) if *last == k => chars.push(c.to_ascii_lowercase()),
            _ => out.push((k, vec![c.to_ascii_lowercase()])),
        }
    }
    out.retain(|(k, _)| *k != Class::Break);
    out
}

/// Every term of these texts, each once.
pub fn index_terms<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for text in texts {
        for (k, chars) in runs(text) {
            match k {
                Class::Word => {
                    terms.insert(chars.iter().take(MAX_WORD).collect());
                }
                _ => {
                    for pair in chars.windows(2) {
                        terms.insert(pair.iter().collect());
                    }
                    if let Some(last) = chars.last() {
                        terms.insert(last.to_string());
                    }
                }
            }
        }
    }
    terms
}

/// A typed search: the prefixes to look up and the words every hit contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
    /// The typed words (case folded), each found in a hit's text.
    pub words: Vec<String>,
    /// The words whose terms alone do not prove them (more than one term: 灭火 and 火器 may
    /// lie apart); the others are found by their one term, and need no look at the text.
    pub checked: Vec<String>,
}

/// The query of a typed text; None when nothing in it can be searched for. Words are the
/// typed text's pieces between spaces and punctuation ("3号楼" stays one word).
pub fn query(typed: &str) -> Option<Query> {
    let typed: String = typed.chars().take(MAX_QUERY_CHARS).collect();
    let mut terms: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    for piece in typed.split(|c| class(c) == Class::Break) {
        if piece.is_empty() {
            continue;
        }
        let word = fold(piece);
        if !words.contains(&word) {
            words.push(word.clone());
        }
        let before = terms.len();
        let mut own = 0;
        for (k, chars) in runs(piece) {
            let new: Vec<String> = match k {
                Class::Word => vec![chars.iter().take(MAX_WORD).collect()],
                _ if chars.len() == 1 => vec![chars[0].to_string()],
                _ => chars.windows(2).map(|p| p.iter().collect()).collect(),
            };
            own += new.len();
            for t in new {
                if !terms.contains(&t) {
                    terms.push(t);
                }
            }
        }
        // A word of one term (a pair, a character, an ASCII word) is proven by it, unless the
        // term was cut short or off by the limits.
        let cut = before >= MAX_QUERY_TERMS || word.chars().count() > MAX_WORD;
        if (own > 1 || cut) && !checked.contains(&word) {
            checked.push(word);
        }
    }
    if terms.is_empty() {
        return None;
    }
    terms.truncate(MAX_QUERY_TERMS);
    Some(Query {
        terms,
        words,
        checked,
    })
}

/// The upper bound of a prefix's range: every term starting with `prefix` sorts below it
/// (byte order, which is code point order in UTF-8).
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// A text cut into parts, each marked when it is one of the words (ASCII case ignored), for
/// highlighting hits. Overlapping words mark their union.
pub fn highlight(text: &str, words: &[String]) -> Vec<(String, bool)> {
    let folded = fold(text);
    let mut marked = vec![false; text.len()];
    for w in words.iter().filter(|w| !w.is_empty()) {
        let mut from = 0;
        while let Some(at) = folded[from..].find(w.as_str()) {
            let start = from + at;
            marked[start..start + w.len()]
                .iter_mut()
                .for_each(|m| *m = true);
            from = start + w.len();
        }
    }
    let mut parts: Vec<(String, bool)> = Vec::new();
    for (i, c) in text.char_indices() {
        let m = marked[i];
        match parts.last_mut() {
            Some((s, last)) if *last == m => s.push(c),
            _ => parts.push((c.to_string(), m)),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(texts: &[&str]) -> Vec<String> {
        index_terms(texts.iter().copied()).into_iter().collect()
    }

    #[test]
    fn chinese_is_kept_as_pairs_and_the_last_character_of_each_run() {
        assert_eq!(terms(&["灭火器"]), ["器", "火器", "灭火"]);
        assert_eq!(terms(&["电"]), ["电"]);
    }

    #[test]
    fn ascii_words_are_folded_and_split_from_chinese() {
        assert_eq!(
            terms(&["3号楼 Room-12B"]),
            ["12b", "3", "room", "号楼", "楼"]
        );
    }

    #[test]
    fn punctuation_breaks_runs() {
        assert_eq!(terms(&["电线，老化"]), ["化", "电线", "线", "老化"]);
    }

    #[test]
    fn a_two_character_query_is_its_pair() {
        let q = query("电线").unwrap();
        assert_eq!(q.terms, ["电线"]);
        assert_eq!(q.words, ["电线"]);
        assert!(q.checked.is_empty(), "the pair proves the word");
    }

    #[test]
    fn a_mixed_query_looks_up_its_word_and_pairs() {
        let q = query("3号楼").unwrap();
        assert_eq!(q.terms, ["3", "号楼"]);
        assert_eq!(q.words, ["3号楼"]);
        assert_eq!(q.checked, ["3号楼"], "3 and 号楼 may lie apart");
    }

    #[test]
    fn every_query_term_is_a_prefix_of_some_term_of_a_text_containing_it() {
        let text = "教学楼3号楼二楼走廊灭火器过期 XA-2024";
        let kept = index_terms([text]);
        for typed in ["灭火器", "楼", "3号楼", "过期", "xa", "2024", "走"] {
            let q = query(typed).unwrap();
            for t in &q.terms {
                assert!(
                    kept.iter().any(|k| k.starts_with(t.as_str())),
                    "{typed}: {t} not found"
                );
            }
        }
    }

    #[test]
    fn punctuation_and_spaces_separate_words() {
        let q = query("灭火器，过期 XA-2024").unwrap();
        assert_eq!(q.words, ["灭火器", "过期", "xa", "2024"]);
        assert_eq!(q.terms, ["灭火", "火器", "过期", "xa", "2024"]);
    }

    #[test]
    fn nothing_searchable_is_no_query() {
        assert_eq!(query("  ，。%_ "), None);
        assert_eq!(query(""), None);
    }

    #[test]
    fn long_queries_are_bounded() {
        let q = query(&"长江大桥".repeat(100)).unwrap();
        assert!(q.terms.len() <= MAX_QUERY_TERMS);
        assert!(q.words.iter().all(|w| w.chars().count() <= MAX_QUERY_CHARS));
    }

    #[test]
    fn the_prefix_end_sorts_after_every_extension() {
        let end = prefix_end("火");
        for t in ["火", "火器", "火\u{10FFFE}"] {
            assert!(t < end.as_str());
        }
        assert!(!("灭" >= "火" && "灭" < end.as_str()));
    }

    #[test]
    fn highlight_marks_each_word_found_case_folded() {
        let parts = highlight("XA 灭火器过期", &["xa".into(), "灭火".into()]);
        assert_eq!(
            parts,
            [
                ("XA".to_string(), true),
                (" ".to_string(), false),
                ("灭火".to_string(), true),
                ("器过期".to_string(), false),
            ]
        );
        assert_eq!(highlight("abc", &[]), [("abc".to_string(), false)]);
    }
}
