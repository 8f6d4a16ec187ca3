//! The demo county's bullying cases: every state there, invented pupils only on the case
//! pages, tips and screenings, and the trail still verifies.

use xiaoan::domain::bullying::State;
use xiaoan::store::bullying::list::{self, Filter};
use xiaoan::store::events::{Verdict, verify};

use crate::helpers::*;

#[tokio::test]
async fn the_demo_county_has_cases_in_every_state_and_tips_and_screenings() {
    let app = TestApp::spawn_demo().await;
    let all = list::all(&mut app.conn(), &Filter::default()).expect("cases");
    for s in State::ALL {
        assert!(all.iter().any(|r| r.case.state == *s), "a case {s:?}");
    }
    let overdue = Filter {
        overdue_on: Some(today()),
        ..Default::default()
    };
    assert_eq!(
        list::count(&mut app.conn(), &overdue).expect("count"),
        1,
        "one overdue"
    );
    assert_eq!(
        app.count("bullying_cases WHERE reporter_kind = 'anonymous'"),
        2
    );
    assert!(app.count("bullying_screenings") >= 6);
    assert!(app.count("education_sessions WHERE topic = 'bullying'") >= 6);
    // Lists hold masked names only.
    assert!(
        all.iter()
            .flat_map(|r| &r.parties)
            .all(|(_, n)| n.ends_with('*'))
    );
    let verdict = verify(&mut app.conn()).expect("verify");
    assert!(
        matches!(verdict, Verdict::Intact { .. }),
        "the chains verify"
    );
    let mut names = Vec::new();
    for r in &all {
        names.extend(
            xiaoan::store::bullying::details::parties(&mut app.conn(), r.case.id).expect("parties"),
        );
    }
    assert!(names.len() >= 10, "the demo's invented pupils");
    for p in names {
        let like = format!(
            "events WHERE changes LIKE '%{0}%' OR comment LIKE '%{0}%'",
            p.name
        );
        assert_eq!(app.count(&like), 0, "{} in the trail", p.name);
        let told = format!("notifications WHERE title LIKE '%{}%'", p.name);
        assert_eq!(app.count(&told), 0, "{} in a notice", p.name);
    }
}
