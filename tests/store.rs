//! The store: idempotent upserts, read and starred state kept across refreshes, paging,
//! search, migrations and retention.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::stored::{article, day, fetched, store_with_feed};
use coopnews::model::Article;
use coopnews::store::{ListQuery, Position, Record, Scope, Store, Subscription};

#[test]
fn read_and_starred_survive_a_refresh_that_changes_the_articles() {
    let (mut store, feed) = store_with_feed();
    let first = vec![
        article("a", "Assemblea generale", day(1)),
        article("b", "Bilancio sociale", day(2)),
    ];
    let counts = store.record_fetched(feed, &fetched(first), day(3)).unwrap();
    assert_eq!((counts.new, counts.updated), (2, 0));

    let rows = store
        .list_rows(&ListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let (b, a) = (rows[0].id, rows[1].id);
    store.set_read(&Scope::Ids(vec![a]), true).unwrap();
    store.set_starred(&Scope::Ids(vec![b]), true).unwrap();

    // The same articles come back with new titles and text, plus one new article.
    let mut again = vec![
        article("a", "Assemblea generale (aggiornato)", day(1)),
        article("b", "Bilancio sociale 2026", day(2)),
        article("c", "Nuova cooperativa", day(3)),
    ];
    again[0].text = "testo nuovo".into();
    let counts = store.record_fetched(feed, &fetched(again), day(4)).unwrap();
    assert_eq!((counts.new, counts.updated, counts.unchanged), (1, 2, 0));

    let a = store.article(a).unwrap().unwrap();
    assert_eq!(a.title, "Assemblea generale (aggiornato)");
    assert!(a.read, "read survives the update");
    let b = store.article(b).unwrap().unwrap();
    assert!(
        b.starred && !b.read,
        "starred survives, unread stays unread"
    );
    // Search follows the new text.
    let found = store
        .list_rows(&ListQuery {
            search: Some("nuovo".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a.id]);
}

#[test]
fn an_identical_refresh_writes_nothing_new() {
    let (mut store, feed) = store_with_feed();
    let list = vec![article("a", "One", day(1))];
    store
        .record_fetched(feed, &fetched(list.clone()), day(2))
        .unwrap();
    let counts = store.record_fetched(feed, &fetched(list), day(3)).unwrap();
    assert_eq!((counts.new, counts.updated, counts.unchanged), (0, 0, 1));
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 1);
}

#[test]
fn missing_and_absurd_dates_fall_back_to_first_seen() {
    let (mut store, feed) = store_with_feed();
    let mut undated = article("u", "Undated", day(1));
    undated.published = None;
    let future = article(
        "f",
        "From the future",
        Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap(),
    );
    let old = article(
        "o",
        "Before 1970",
        Utc.with_ymd_and_hms(1965, 5, 1, 0, 0, 0).unwrap(),
    );
    store
        .record_fetched(feed, &fetched(vec![undated, future, old]), day(5))
        .unwrap();
    let rows = store
        .list_rows(&ListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let dates: Vec<_> = rows
        .iter()
        .map(|r| (r.title.as_str(), r.published))
        .collect();
    assert!(dates.contains(&("Undated", day(5))), "{dates:?}");
    assert!(dates.contains(&("From the future", day(5))), "{dates:?}");
    assert_eq!(rows.last().unwrap().title, "Before 1970");
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let (mut store, feed) = store_with_feed();
    // Several articles share a timestamp, so the id must break ties.
    let articles: Vec<Article> = (0..250)
        .map(|i| {
            article(
                &format!("g{i}"),
                &format!("Article {i}"),
                day(1) + Duration::hours(i / 3),
            )
        })
        .collect();
    store
        .record_fetched(feed, &fetched(articles), day(20))
        .unwrap();
    let mut seen = Vec::new();
    let mut after: Option<Position> = None;
    loop {
        let page = store
            .list_rows(&ListQuery {
                limit: 40,
                after,
                ..Default::default()
            })
            .unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(Position::from);
        seen.extend(page.into_iter().map(|r| (r.published, r.id)));
    }
    assert_eq!(seen.len(), 250);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, strictly");
}

#[test]
fn unread_starred_feed_and_search_filters() {
    let mut store = Store::open_in_memory().unwrap();
    let ids = store
        .sync_subscriptions(&[
            Subscription {
                key: "https://a.example/feed".into(),
                title: None,
            },
            Subscription {
                key: "https://b.example/feed".into(),
                title: Some("B".into()),
            },
        ])
        .unwrap();
    store
        .record_fetched(
            ids[0],
            &fetched(vec![article("1", "Società cooperativa", day(1))]),
            day(2),
        )
        .unwrap();
    store
        .record_fetched(
            ids[1],
            &fetched(vec![article("2", "Worker co-ops 🇪🇺", day(2))]),
            day(3),
        )
        .unwrap();
    let all = store
        .list_rows(&ListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    store.set_read(&Scope::Ids(vec![all[0].id]), true).unwrap();

    let unread = store
        .list_rows(&ListQuery {
            unread_only: true,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0].title, "Società cooperativa");
    let b_only = store
        .list_articles(&ListQuery {
            feeds: Some(vec![ids[1]]),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(b_only[0].feed, "B");
    // Accents are ignored and words match as prefixes.
    let found = store
        .list_rows(&ListQuery {
            search: Some("societa coop".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    // Search syntax typed by a user is taken as words, never as FTS operators.
    let odd = store.list_rows(&ListQuery {
        search: Some("\"co-ops\" OR *".into()),
        limit: 10,
        ..Default::default()
    });
    assert!(odd.is_ok(), "{odd:?}");

    let statuses = store.feed_statuses().unwrap();
    assert_eq!(
        statuses[0].title, "https://a.example/feed",
        "falls back to the key until the feed names itself"
    );
    assert_eq!((statuses[0].unread, statuses[0].total), (1, 1));
    assert_eq!((statuses[1].unread, statuses[1].total), (0, 1));

    assert_eq!(
        store.set_read(&Scope::Feeds(vec![ids[0]]), true).unwrap(),
        1
    );
    assert_eq!(
        store.set_read(&Scope::All, true).unwrap(),
        0,
        "nothing left to mark"
    );
}

#[test]
fn retention_forgets_only_read_articles_gone_from_their_feed() {
    let (mut store, feed) = store_with_feed();
    let old = vec![
        article("read-gone", "Read, gone", day(1)),
        article("unread-gone", "Unread, gone", day(1)),
    ];
    store.record_fetched(feed, &fetched(old), day(1)).unwrap();
    store
        .record_fetched(
            feed,
            &fetched(vec![article("read-kept", "Read, still in feed", day(1))]),
            day(1),
        )
        .unwrap();
    store.set_read(&Scope::All, true).unwrap();
    store
        .set_read(
            &Scope::Query(ListQuery {
                search: Some("Unread".into()),
                ..Default::default()
            }),
            false,
        )
        .unwrap();
    // Much later, only "read-kept" is still in the feed.
    let later = day(1) + Duration::days(200);
    store
        .record_fetched(
            feed,
            &fetched(vec![article("read-kept", "Read, still in feed", day(1))]),
            later,
        )
        .unwrap();
    let purged = store.purge_read(later - Duration::days(90)).unwrap();
    assert_eq!(purged, 1);
    let titles: Vec<String> = store
        .list_rows(&ListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(!titles.contains(&"Read, gone".to_string()));
    // The counts the feed list shows follow inserts, marks and purges.
    let status = &store.feed_statuses().unwrap()[0];
    assert_eq!((status.unread, status.total), (1, 2));
    store.set_read(&Scope::All, false).unwrap();
    store.set_read(&Scope::All, false).unwrap();
    let status = &store.feed_statuses().unwrap()[0];
    assert_eq!((status.unread, status.total), (2, 2));
}

#[test]
fn a_feed_unchanged_for_longer_than_the_retention_keeps_its_read_articles_read() {
    // A site that publishes twice a year answers 304 for months. Its articles are still in
    // the feed: forgetting them would bring them back as unread at its next post.
    let (mut store, feed) = store_with_feed();
    let listed = vec![article("spring", "Assemblea di primavera", day(1))];
    store
        .record_fetched(feed, &fetched(listed.clone()), day(1))
        .unwrap();
    store.set_read(&Scope::All, true).unwrap();
    let later = day(1) + Duration::days(200);
    store
        .record_batch(&[(feed, Record::NotModified)], later)
        .unwrap();
    assert_eq!(store.purge_read(later - Duration::days(90)).unwrap(), 0);
    let mut autumn = listed;
    autumn.push(article("autumn", "Assemblea d'autunno", later));
    let counts = store
        .record_fetched(feed, &fetched(autumn), later + Duration::days(1))
        .unwrap();
    assert_eq!(counts.new, 1);
    let status = &store.feed_statuses().unwrap()[0];
    assert_eq!((status.unread, status.total), (1, 2));
}

#[test]
fn an_unchanged_article_seen_again_the_same_day_is_not_written_again() {
    // A server without validators sends the whole feed at every refresh. Rewriting each
    // row to note the time it was seen doubled the bytes a refresh wrote.
    let (mut store, feed) = store_with_feed();
    let listed = vec![article("a", "Assemblea", day(1))];
    store
        .record_fetched(feed, &fetched(listed.clone()), day(1))
        .unwrap();
    let before = store.total_changes();
    store
        .record_fetched(feed, &fetched(listed.clone()), day(1) + Duration::hours(6))
        .unwrap();
    // The feed's own row is written; the article's is not.
    assert_eq!(store.total_changes() - before, 1);
    let before = store.total_changes();
    store
        .record_fetched(feed, &fetched(listed), day(3))
        .unwrap();
    assert_eq!(store.total_changes() - before, 2, "two days later it is");
}

#[test]
fn migrations_from_an_empty_file_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coopnews.db");
    std::fs::write(&path, b"").unwrap();
    {
        let mut store = Store::open(&path).unwrap();
        let ids = store
            .sync_subscriptions(&[Subscription {
                key: "k".into(),
                title: None,
            }])
            .unwrap();
        store
            .record_fetched(ids[0], &fetched(vec![article("a", "A", day(1))]), day(1))
            .unwrap();
        store.set_read(&Scope::All, true).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let rows = store
        .list_rows(&ListQuery {
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert!(rows[0].read);
}

#[test]
fn a_database_from_a_newer_version_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coopnews.db");
    bump_user_version(&path);
    let e = Store::open(&path).err().expect("refused");
    assert!(e.to_string().contains("newer coopnews"), "{e}");
}

/// Write user_version 999 straight into the file header (offset 60), as a newer coopnews would.
fn bump_user_version(path: &std::path::Path) {
    Store::open(path).unwrap();
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
}
