//! The text search's index on this run's database: Chinese pairs and mixed terms found, the
//! pairs alone not enough, title hits first, highlighted, rebuilt for records it never saw,
//! and the hits of a random corpus equal to the rule computed in Rust (run on SQLite and on
//! PostgreSQL in CI, so both backends give the same hits).

use rand::{Rng, SeedableRng, rngs::StdRng};
use xiaoan::domain::hazards::input::{ReportDraft, validate_report};
use xiaoan::domain::role::Role;
use xiaoan::domain::search;
use xiaoan::store::hazards::{self, ledger};

use crate::helpers::{TestApp, today};

impl TestApp {
    /// Reports a hazard with these texts through the store; its id.
    fn hazard_with(&self, school: i64, title: &str, description: &str, location: &str) -> i64 {
        let draft = ReportDraft {
            source: "campus".into(),
            category: "fire".into(),
            title: title.into(),
            description: description.into(),
            location: location.into(),
            level: "general".into(),
            how_found: "daily".into(),
            found_on: today().to_string(),
            found_by: "测试".into(),
        };
        let r = validate_report(&draft, today()).expect("valid report");
        let by = self.by_name("searcher");
        hazards::report(&mut self.conn(), &by, school, &r, None)
            .expect("report")
            .0
    }

    /// The ledger's hits for a text, in its order.
    fn hits(&self, text: &str) -> Vec<i64> {
        let f = ledger::Filter {
            text: Some(text.into()),
            ..Default::default()
        };
        ledger::ids(&mut self.conn(), &f).expect("search")
    }

    /// The same hits as the ledger's pages show them (every page in turn), with the total and
    /// the counts per state of the page's header.
    fn paged_hits(&self, text: &str) -> (Vec<i64>, i64, i64) {
        let f = ledger::Filter {
            text: Some(text.into()),
            ..Default::default()
        };
        let (mut ids, mut total, mut per_state) = (Vec::new(), 0, 0);
        for page in 1.. {
            let (rows, t, counts) =
                ledger::page_with_counts(&mut self.conn(), &f, page).expect("page");
            (total, per_state) = (t, counts.iter().map(|(_, n)| n).sum());
            if rows.is_empty() {
                break;
            }
            ids.extend(rows.iter().map(|r| r.hazard.id));
        }
        (ids, total, per_state)
    }
}

async fn app_with_searcher() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let school = app.school("SS-1");
    app.user("searcher", Role::Bureau, None);
    (app, school)
}

#[tokio::test]
async fn two_character_chinese_terms_and_mixed_terms_are_found() {
    let (app, s) = app_with_searcher().await;
    let wire = app.hazard_with(s, "配电箱电线老化", "裸露", "3号楼");
    let extinguisher = app.hazard_with(s, "灭火器过期", "二楼走廊", "教学楼");
    let wall = app.hazard_with(s, "围墙裂缝", "东侧 Room-12B", "13号楼后");
    assert_eq!(app.hits("电线"), [wire]);
    assert_eq!(
        app.hits("3号楼"),
        [wire],
        "13号楼 does not start the word 3"
    );
    assert_eq!(app.hits("号楼"), [wall, wire]);
    assert_eq!(
        app.hits("火"),
        [extinguisher],
        "one character finds its pairs"
    );
    assert_eq!(app.hits("灭火器 走廊"), [extinguisher]);
    assert_eq!(app.hits("room-12b"), [wall], "ASCII case is folded");
    assert_eq!(app.hits("ROOM"), [wall]);
    assert!(app.hits("电梯").is_empty());
    assert!(
        app.hits("%%").is_empty(),
        "nothing searchable finds nothing"
    );
}

#[tokio::test]
async fn the_pairs_alone_do_not_make_a_hit() {
    let (app, s) = app_with_searcher().await;
    let apart = app.hazard_with(s, "灭火毯缺失", "防火器材不足", "食堂");
    let together = app.hazard_with(s, "灭火器缺失", "", "食堂");
    assert_eq!(app.hits("灭火器"), [together]);
    assert_eq!(app.hits("火器"), [together, apart]);
}

#[tokio::test]
async fn hits_in_the_title_come_first_and_are_marked() {
    let (app, s) = app_with_searcher().await;
    let in_title = app.hazard_with(s, "消防通道堵塞", "", "操场");
    let in_text = app.hazard_with(s, "杂物堆放", "堵住了消防通道", "操场");
    assert_eq!(app.hits("消防通道"), [in_title, in_text]);
    let bureau = app.browser();
    bureau.login("searcher", crate::helpers::PASSWORD).await;
    let page = bureau.text("/hazards?q=%E6%B6%88%E9%98%B2").await;
    assert!(page.contains("共 2 条"), "{page}");
    assert!(page.contains("<mark>消防</mark>通道堵塞"), "{page}");
    let first = page.find("消防</mark>通道堵塞").expect("title hit");
    let second = page.find("杂物堆放").expect("text hit");
    assert!(first < second, "ranked");
    let sorted = bureau
        .text("/hazards?q=%E6%B6%88%E9%98%B2&sort=oldest")
        .await;
    assert!(sorted.contains("共 2 条"));
}

#[tokio::test]
async fn records_written_before_the_index_are_found_once_it_is_built() {
    let (app, s) = app_with_searcher().await;
    let id = app.hazard_with(s, "电线老化", "", "宿舍");
    app.exec("DELETE FROM search_terms");
    app.exec("DELETE FROM search_docs");
    app.exec("DELETE FROM settings WHERE key = 'search_index_version'");
    assert!(app.hits("电线").is_empty());
    let built = xiaoan::store::search::ensure_index(&mut app.conn()).expect("index");
    assert!(built >= 2, "the hazard and the school: {built}");
    assert_eq!(app.hits("电线"), [id]);
    assert_eq!(
        xiaoan::store::search::ensure_index(&mut app.conn()).expect("again"),
        0,
        "built once"
    );
}

/// What the index promises, computed from the texts alone: every term a prefix of one of the
/// record's terms and every word in its (folded) title or other texts.
fn oracle(texts: &[(i64, [String; 3])], typed: &str) -> Vec<i64> {
    let Some(q) = search::query(typed) else {
        return Vec::new();
    };
    let mut hits: Vec<(bool, i64)> = texts
        .iter()
        .filter(|(_, t)| {
            let kept = search::index_terms(t.iter().map(String::as_str));
            let head = search::fold(&t[0]);
            let body = search::fold(&t[1..].join("\n"));
            q.terms
                .iter()
                .all(|term| kept.iter().any(|k| k.starts_with(term.as_str())))
                && q.words
                    .iter()
                    .all(|w| head.contains(w.as_str()) || body.contains(w.as_str()))
        })
        .map(|(id, t)| (search::fold(&t[0]).contains(q.words[0].as_str()), *id))
        .collect();
    // Title hits first, then the newest (the highest id: all were reported in order).
    hits.sort_by(|a, b| b.cmp(a));
    hits.into_iter().map(|(_, id)| id).collect()
}

#[tokio::test]
async fn hits_of_a_random_corpus_are_those_the_rule_computes() {
    let (app, s) = app_with_searcher().await;
    let parts = [
        "灭火器",
        "过期",
        "电线",
        "老化",
        "3号楼",
        "教学楼",
        "宿舍",
        "火",
        "器",
        "XA",
        "2024",
        "围墙",
        "裂缝",
        "消防通道",
        "堵塞",
        "Room",
        "b2",
        "楼梯",
        "扶手",
        "松动",
    ];
    let seps = ["", "", " ", "，", "-", "、"];
    let mut rng = StdRng::seed_from_u64(15);
    let mut pick = |n: usize| -> String {
        (0..n)
            .map(|_| {
                let p = parts[rng.gen_range(0..parts.len())];
                format!("{p}{}", seps[rng.gen_range(0..seps.len())])
            })
            .collect()
    };
    let mut texts: Vec<(i64, [String; 3])> = Vec::new();
    for _ in 0..60 {
        let t = [pick(2), pick(4), pick(1)];
        let id = app.hazard_with(s, t[0].trim_end(), &t[1], &t[2]);
        let kept = [t[0].trim_end().to_string(), t[1].clone(), t[2].clone()];
        texts.push((id, kept));
    }
    let queries = [
        "灭火器",
        "火器",
        "火",
        "电线",
        "3号楼",
        "号楼",
        "xa",
        "XA 2024",
        "楼 宿舍",
        "灭火 器",
        "room",
        "b2",
        "消防",
        "通道堵塞",
        "过期老化",
        "器过",
        "2024-",
        "楼梯扶手 松动",
    ];
    for typed in queries {
        // No query matches a reference number (YH-2026-NNNN), which the index also keeps.
        let want = oracle(&texts, typed);
        assert_eq!(app.hits(typed), want, "{typed}");
        let n = want.len() as i64;
        assert_eq!(app.paged_hits(typed), (want, n, n), "{typed}, page by page");
    }
}
