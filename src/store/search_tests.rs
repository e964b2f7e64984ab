//! The search's pages against the list's: many hits, exclusions, one or two letters.

use chrono::{Duration, TimeZone, Utc};

use crate::model::{Article, ArticleRow};
use crate::sources::fetch::Fetched;
use crate::store::candidates::LOOKUP_MAX;
use crate::store::{ListQuery, Position, Scope, Store, Subscription};

/// More articles than are looked up one by one, in one subscription: `article(i, total)`
/// makes each, all fetched at the start of 2026.
fn store_of(article: impl Fn(usize, usize) -> Article) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let feed = store
        .sync_subscriptions(&[Subscription {
            key: "https://example.coop/feed".into(),
            title: None,
        }])
        .unwrap()[0];
    let total = 3 * LOOKUP_MAX;
    let mut fetched = Fetched::default();
    fetched.parsed.articles = (0..total).map(|i| article(i, total)).collect();
    store.record_fetched(feed, &fetched, start()).unwrap();
    store
}

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

/// More hits than are looked up one by one, dated out of id order, some read.
fn store_with_many_hits() -> Store {
    let mut store = store_of(|i, total| Article {
        guid: i.to_string(),
        title: if i % 3 == 0 {
            "Assemblea"
        } else {
            "Cooperativa sociale"
        }
        .into(),
        // A few share a date, so the order by id breaks ties.
        published: Some(start() + Duration::minutes((i * 7919 % total / 2) as i64)),
        text: format!("articolo {i}"),
        ..Default::default()
    });
    let total = 3 * LOOKUP_MAX;
    let every_fifth = (1..=total as i64).filter(|id| id % 5 == 0).collect();
    store.set_read(&Scope::Ids(every_fifth), true).unwrap();
    store
}

/// Which titles a search keeps.
type Keep = dyn Fn(&str) -> bool;

/// The page a search must give: the list without it, filtered by title here.
fn expected(store: &Store, q: &ListQuery, keep: impl Fn(&str) -> bool) -> Vec<ArticleRow> {
    let everything = ListQuery {
        search: None,
        limit: usize::MAX >> 1,
        ..q.clone()
    };
    let rows = store.list_rows(&everything).unwrap();
    rows.into_iter()
        .filter(|r| keep(&r.title.to_lowercase()))
        .take(q.limit)
        .collect()
}

#[test]
fn a_search_with_many_hits_pages_like_the_list() {
    let store = store_with_many_hits();
    let coop = |t: &str| t.contains("coop");
    let cases: [(&str, &Keep, bool); 10] = [
        ("coop", &coop, false),
        ("COOPERATIVA soc", &|t| t.contains("cooperativa soc"), true),
        // Exclusions, alone and with words; one or two letters, tested row by row.
        ("-assemblea", &coop, false),
        ("articolo -assemblea", &coop, true),
        ("c", &coop, false),
        ("co -assemblea", &coop, true),
        ("as", &|t| t.contains("assemblea"), false),
        ("-cooperativa", &|t| t.contains("assemblea"), true),
        // Nothing to meet: the row-by-row walk gives up and the hits are listed.
        ("zz", &|_| false, false),
        ("a -articolo", &|_| false, false),
    ];
    for (search, keep, unread_only) in cases {
        let mut q = ListQuery {
            search: Some(search.into()),
            unread_only,
            limit: 50,
            ..Default::default()
        };
        let first = store.list_rows(&q).unwrap();
        assert_eq!(first, expected(&store, &q, keep), "{search}");
        assert_eq!(
            store.count(&q).unwrap() as usize,
            expected(
                &store,
                &ListQuery {
                    limit: usize::MAX >> 1,
                    ..q.clone()
                },
                keep
            )
            .len(),
            "{search}, count"
        );
        q.after = first.last().map(Position::from);
        let second = store.list_rows(&q).unwrap();
        assert_eq!(second, expected(&store, &q, keep), "{search}, page 2");
        let articles = store.list_articles(&q).unwrap();
        let ids: Vec<_> = articles.iter().map(|a| a.id).collect();
        let expected_ids: Vec<_> = second.iter().map(|r| r.id).collect();
        assert_eq!(ids, expected_ids, "{search}, whole articles");
    }
}

/// Words too rare to fill a page among the newest articles, which the search tests one
/// by one: then the index is asked about the rarest word.
fn store_with_rare_words() -> Store {
    store_of(|i, total| {
        let mut words = vec!["Notizia"];
        if i % 40 == 0 {
            words.push("rara"); // 150 hits, a few among the newest
        }
        if i < total - 500 && i % 2 == 0 {
            words.push("tardiva"); // more hits than are looked up, none of the newest
        }
        if i % 50 != 0 {
            words.push("comune");
        }
        if i % 500 != 0 {
            words.push("ovunque"); // all but 12: excluded, it leaves fewer than a page
        }
        Article {
            guid: i.to_string(),
            title: words.join(" "),
            published: Some(start() + Duration::minutes(i as i64)),
            text: format!("articolo {i}"),
            ..Default::default()
        }
    })
}

#[test]
fn rare_words_are_found_past_the_articles_tested_one_by_one() {
    let store = store_with_rare_words();
    let cases: [(&str, &Keep); 12] = [
        ("rara", &|t| t.contains("rara")),
        ("rara comune", &|t| {
            t.contains("rara") && t.contains("comune")
        }),
        ("tardiva", &|t| t.contains("tardiva")),
        ("tardiva rara", &|t| {
            t.contains("tardiva") && t.contains("rara")
        }),
        ("comune -tardiva -rara", &|t| {
            t.contains("comune") && !t.contains("tardiva") && !t.contains("rara")
        }),
        ("-comune", &|t| !t.contains("comune")),
        ("-ovunque", &|t| !t.contains("ovunque")),
        ("title:notizia -ovunque", &|t| !t.contains("ovunque")),
        // A word of the text alone (`articolo {i}`) beside a listed exclusion: the text is read.
        ("articolo -ovunque", &|t| !t.contains("ovunque")),
        ("rara -ovunque", &|t| {
            t.contains("rara") && !t.contains("ovunque")
        }),
        // An excluded word is whole: no article has the word `comun`.
        ("-comun", &|_| true),
        ("\"notizia rara\" title:tard", &|t| {
            t.contains("notizia rara") && t.contains("tardiva")
        }),
    ];
    for (search, keep) in cases {
        let mut q = ListQuery {
            search: Some(search.into()),
            limit: 50,
            ..Default::default()
        };
        let first = store.list_rows(&q).unwrap();
        assert!(!first.is_empty(), "{search}");
        assert_eq!(first, expected(&store, &q, keep), "{search}");
        q.after = first.last().map(Position::from);
        let second = store.list_rows(&q).unwrap();
        assert_eq!(second, expected(&store, &q, keep), "{search}, page 2");
    }
}
