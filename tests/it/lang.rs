//! The interface language: zh-CN first, en on request; no text outside the catalogs.

use xiaoan::domain::role::Role;

use crate::helpers::*;

#[tokio::test]
async fn chinese_is_the_default_and_lang_switches_and_is_remembered() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let page = b.text("/login").await;
    assert!(page.contains("lang=\"zh-CN\"") && page.contains("登录校安"));
    let page = b.text("/login?lang=en").await;
    assert!(page.contains("lang=\"en\"") && page.contains("Log in to xiaoan"));
    let page = b.text("/login").await;
    assert!(
        page.contains("Log in to xiaoan"),
        "the choice is remembered"
    );
    let page = b.text("/login?lang=zh-CN").await;
    assert!(page.contains("登录校安"));
}

#[tokio::test]
async fn a_browser_that_prefers_english_gets_english() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let res = b
        .client
        .get(b.url("/login"))
        .header("Accept-Language", "en-GB,en;q=0.9,zh;q=0.5")
        .send()
        .await;
    let page = match res {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => panic!("{e}"),
    };
    assert!(page.contains("Log in to xiaoan"));
    let res = b
        .client
        .get(b.url("/login"))
        .header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
        .send()
        .await;
    assert!(res.ok().map(|r| r.status().is_success()).unwrap_or(false));
}

#[tokio::test]
async fn signed_in_pages_speak_english_on_request() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("en.user", Role::Admin, None).await;
    let page = b.text("/schools?lang=en").await;
    assert!(page.contains("Schools") && page.contains("New school"));
    assert!(!page.contains("学校名册"));
}

fn templates() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap_or_default(),
                ));
            }
        }
    }
    assert!(out.len() > 5, "templates found");
    out
}

/// Removes `open … close` spans.
fn strip(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn templates_hold_no_untranslated_text() {
    // Language names in the switch are shown in their own language on purpose.
    let allowed = ["中文", "English", "—", "·"];
    for (path, source) in templates() {
        let mut text = strip(&source, "{#", "#}");
        text = strip(&text, "{%", "%}");
        text = strip(&text, "{{", "}}");
        text = strip(&text, "<", ">");
        for a in allowed {
            text = text.replace(a, "");
        }
        let words: String = text.chars().filter(|c| c.is_alphabetic()).collect();
        assert!(
            words.is_empty(),
            "{path} holds text outside the catalogs: {words:?}"
        );
    }
}

#[test]
fn every_key_the_templates_use_is_in_both_catalogs() {
    let zh = xiaoan::i18n::Lang::ZhCn.catalog();
    let en = xiaoan::i18n::Lang::En.catalog();
    let mut used = 0;
    for (path, source) in templates() {
        for part in source
            .split("page.t(\"")
            .skip(1)
            .chain(source.split("page.t1(\"").skip(1))
        {
            let key = &part[..part.find('"').unwrap_or(0)];
            used += 1;
            assert!(zh.has(key) && en.has(key), "{path}: {key} missing");
        }
    }
    assert!(used > 50);
}

#[test]
fn every_import_column_and_form_field_has_its_label() {
    let zh = xiaoan::i18n::Lang::ZhCn.catalog();
    let en = xiaoan::i18n::Lang::En.catalog();
    // The import page names each refused row's field as `field.<column>`.
    let columns = xiaoan::store::import::SCHOOL_COLUMNS
        .iter()
        .chain(xiaoan::store::import::USER_COLUMNS.iter())
        .chain(["file"].iter());
    for c in columns {
        let key = format!("field.{c}");
        assert!(zh.has(&key) && en.has(&key), "{key} missing");
    }
}
