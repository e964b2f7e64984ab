//! The search language of `/` and `list --search`, on a small store: each operator alone,
//! some together, and the message a malformed query gives.

mod common;

use chrono::{Duration, Utc};
use common::stored::{fetched, id_of};
use coopnews::model::Article;
use coopnews::store::{ListQuery, Scope, Store, StoreError, Subscription};

fn article(guid: &str, title: &str, text: &str, lang: &str, days_ago: i64) -> Article {
    Article {
        guid: guid.into(),
        title: title.into(),
        link: Some(format!("https://example.coop/{guid}")),
        published: Some(Utc::now() - Duration::days(days_ago)),
        language: Some(lang.into()),
        text: text.into(),
        ..Default::default()
    }
}

fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let ids = store
        .sync_subscriptions(&[
            Subscription {
                key: "https://cecop.example/feed".into(),
                title: Some("CECOP site".into()),
            },
            Subscription {
                key: "https://news.example/rss".into(),
                title: Some("Coop News".into()),
            },
        ])
        .unwrap();
    store
        .sync_orgs(&[(ids[0], Some("CECOP".into())), (ids[1], None)])
        .unwrap();
    let now = Utc::now();
    let site = vec![
        article(
            "1",
            "Worker owned factory reopens",
            "The workers own the factory now.",
            "en",
            1,
        ),
        article(
            "2",
            "Società cooperativa e lavoro",
            "Una cooperativa di lavoro.",
            "it",
            3,
        ),
        article(
            "3",
            "Annual bank report",
            "The cooperative bank grew.",
            "en",
            40,
        ),
    ];
    let news = vec![
        article(
            "4",
            "Coopératives d'habitants",
            "Le logement coopératif.",
            "fr",
            2,
        ),
        article(
            "5",
            "Owned by workers, run by workers",
            "A factory owned by its workers.",
            "en",
            400,
        ),
    ];
    store.record_fetched(ids[0], &fetched(site), now).unwrap();
    store.record_fetched(ids[1], &fetched(news), now).unwrap();
    let read = vec![
        id_of(&store, "Società cooperativa e lavoro"),
        id_of(&store, "Coopératives d'habitants"),
    ];
    store.set_read(&Scope::Ids(read), true).unwrap();
    let starred = vec![id_of(&store, "Annual bank report")];
    store.set_starred(&Scope::Ids(starred), true).unwrap();
    store
}

fn titles(store: &Store, search: &str) -> Vec<String> {
    let q = ListQuery {
        search: Some(search.into()),
        limit: 50,
        ..Default::default()
    };
    let mut titles: Vec<String> = store
        .list_rows(&q)
        .unwrap_or_else(|e| panic!("{search}: {e}"))
        .into_iter()
        .map(|r| r.title)
        .collect();
    titles.sort();
    titles
}

#[test]
fn each_operator_on_a_small_store() {
    let s = store();
    let cases: &[(&str, &[&str])] = &[
        // Words: prefixes, accents and case ignored, all must be there.
        ("societa", &["Società cooperativa e lavoro"]),
        (
            "COOP",
            &[
                "Annual bank report",
                "Coopératives d'habitants",
                "Società cooperativa e lavoro",
            ],
        ),
        (
            "work fact",
            &[
                "Owned by workers, run by workers",
                "Worker owned factory reopens",
            ],
        ),
        // A phrase: these words in this order.
        ("\"owned by\"", &["Owned by workers, run by workers"]),
        ("\"factory owned\"", &["Owned by workers, run by workers"]),
        // Excluded words.
        ("work -reopens", &["Owned by workers, run by workers"]),
        // Whole words, accents ignored: `-coop` keeps the cooperatives.
        (
            "-cooperative -cooperativa -cooperatif",
            &[
                "Owned by workers, run by workers",
                "Worker owned factory reopens",
            ],
        ),
        (
            "-coop",
            &[
                "Annual bank report",
                "Coopératives d'habitants",
                "Owned by workers, run by workers",
                "Società cooperativa e lavoro",
                "Worker owned factory reopens",
            ],
        ),
        // In the title only.
        ("title:factory", &["Worker owned factory reopens"]),
        ("title:bank", &["Annual bank report"]),
        // Organisation (the configured one, else the title) and subscription.
        (
            "org:cecop",
            &[
                "Annual bank report",
                "Società cooperativa e lavoro",
                "Worker owned factory reopens",
            ],
        ),
        (
            "org:\"coop news\"",
            &[
                "Coopératives d'habitants",
                "Owned by workers, run by workers",
            ],
        ),
        (
            "feed:news",
            &[
                "Coopératives d'habitants",
                "Owned by workers, run by workers",
            ],
        ),
        (
            "feed:cecop.example",
            &[
                "Annual bank report",
                "Società cooperativa e lavoro",
                "Worker owned factory reopens",
            ],
        ),
        // Language.
        ("lang:it", &["Società cooperativa e lavoro"]),
        ("lang:fr", &["Coopératives d'habitants"]),
        // Read and starred.
        (
            "is:unread org:cecop",
            &["Annual bank report", "Worker owned factory reopens"],
        ),
        ("is:starred", &["Annual bank report"]),
        // Dates.
        (
            "newer:7d",
            &[
                "Coopératives d'habitants",
                "Società cooperativa e lavoro",
                "Worker owned factory reopens",
            ],
        ),
        ("newer:36h", &["Worker owned factory reopens"]),
        ("before:2000-01-01", &[]),
        ("after:2000-01-01 lang:en -workers", &["Annual bank report"]),
    ];
    for (search, expected) in cases {
        assert_eq!(titles(&s, search), *expected, "search {search}");
    }
    let before = (Utc::now() - Duration::days(100))
        .format("before:%Y-%m-%d")
        .to_string();
    assert_eq!(titles(&s, &before), ["Owned by workers, run by workers"]);
    let after = (Utc::now() - Duration::days(100))
        .format("after:%Y-%m-%d")
        .to_string();
    assert_eq!(titles(&s, &after).len(), 4);
}

#[test]
fn a_malformed_query_gives_its_message() {
    let s = store();
    for (search, message) in [
        ("\"open phrase", "closing `\"`"),
        ("after:last-week", "YYYY-MM-DD"),
        ("newer:ages", "12h, 7d or 2w"),
        ("colour:red", "not a search operator"),
        ("org:nobody", "no organisation is called \"nobody\""),
        ("feed:nowhere", "no subscription is called \"nowhere\""),
    ] {
        let q = ListQuery {
            search: Some(search.into()),
            limit: 50,
            ..Default::default()
        };
        match s.list_rows(&q) {
            Err(e @ StoreError::BadQuery(_)) => {
                let text = e.to_string();
                assert!(text.starts_with("search: "), "{text}");
                assert!(text.contains(message), "{search}: {text}");
            }
            other => panic!("{search}: {other:?}"),
        }
        assert!(s.count(&q).is_err(), "{search}: counted");
    }
}

/// The index knows which words an article has, not where: "factory owned" is in one
/// article, and its two words (in the other order) in a second. Counting and marking a
/// search act on the first only, as the list shows it.
#[test]
fn a_phrase_counts_and_marks_only_articles_with_its_words_in_order() {
    let mut s = store();
    let q = ListQuery {
        search: Some("\"factory owned\"".into()),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(
        titles(&s, "\"factory owned\""),
        ["Owned by workers, run by workers"]
    );
    assert_eq!(s.count(&q).unwrap(), 1);
    assert_eq!(s.set_read(&Scope::Query(q), true).unwrap(), 1);
    let unread = ListQuery {
        unread_only: true,
        limit: 50,
        ..Default::default()
    };
    let unread: Vec<String> = s
        .list_rows(&unread)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert!(unread.contains(&"Worker owned factory reopens".to_string()));
    assert!(!unread.contains(&"Owned by workers, run by workers".to_string()));
}
