//! Writes around a refresh: its results stored together (one transaction for whatever has
//! arrived, each landing on its own feed), and the subscriptions synced before it.

mod common;

use common::stored::{article, day, fetched};
use coopnews::sources::FetchError;
use coopnews::store::{ListQuery, Record, Store, Subscription};

fn store_with_feeds(n: usize) -> (Store, Vec<i64>) {
    let mut store = Store::open_in_memory().unwrap();
    let subs: Vec<Subscription> = (0..n)
        .map(|i| Subscription {
            key: format!("https://example{i}.coop/feed"),
            title: Some(format!("Feed {i}")),
        })
        .collect();
    let ids = store.sync_subscriptions(&subs).unwrap();
    (store, ids)
}

#[test]
fn a_fetch_a_304_and_an_error_in_one_batch_each_land_on_their_feed() {
    let (mut store, ids) = store_with_feeds(4);
    let news = fetched(vec![
        article("a", "Assemblea delle cooperative sociali", day(1)),
        article("b", "Bilancio di sostenibilità", day(2)),
    ]);
    let more = fetched(vec![article("c", "Cooperativas de trabajo", day(3))]);
    let gone = FetchError::Status {
        code: 404,
        reason: "Not Found".into(),
    };
    let counts = store
        .record_batch(
            &[
                (ids[0], Record::Fetched(&news)),
                (ids[1], Record::NotModified),
                (ids[2], Record::Failed(&gone)),
                (ids[3], Record::Fetched(&more)),
            ],
            day(4),
        )
        .unwrap();
    let new: Vec<usize> = counts.iter().map(|c| c.new).collect();
    assert_eq!(new, [2, 0, 0, 1]);

    let statuses = store.feed_statuses().unwrap();
    let status = |id: i64| statuses.iter().find(|s| s.id == id).unwrap();
    assert_eq!((status(ids[0]).unread, status(ids[0]).total), (2, 2));
    assert_eq!(status(ids[0]).http_status, Some(200));
    assert_eq!(status(ids[1]).http_status, Some(304));
    assert_eq!(status(ids[1]).last_success, Some(day(4)));
    assert_eq!(status(ids[2]).http_status, Some(404));
    assert!(
        status(ids[2])
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("404")),
        "{:?}",
        status(ids[2]).last_error
    );
    assert_eq!((status(ids[3]).unread, status(ids[3]).total), (1, 1));

    // Every new article of the batch is searchable once it is committed.
    for (word, title) in [
        ("sostenibilita", "Bilancio di sostenibilità"),
        ("trabajo", "Cooperativas de trabajo"),
    ] {
        let rows = store
            .list_rows(&ListQuery {
                search: Some(word.into()),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, [title], "searching {word}");
    }
}

#[test]
fn a_second_batch_with_the_same_articles_adds_nothing() {
    let (mut store, ids) = store_with_feeds(2);
    let one = fetched(vec![article("a", "Legacoop", day(1))]);
    let two = fetched(vec![article("a", "Legacoop", day(1))]);
    let batch = [
        (ids[0], Record::Fetched(&one)),
        (ids[1], Record::Fetched(&two)),
    ];
    store.record_batch(&batch, day(2)).unwrap();
    let again = store.record_batch(&batch, day(3)).unwrap();
    assert!(again.iter().all(|c| c.new == 0 && c.unchanged == 1));
    // The same link in two subscriptions is one story: one row of the list.
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 1);
    let statuses = store.feed_statuses().unwrap();
    assert!(statuses.iter().all(|s| s.total == 1));
}

#[test]
fn subscriptions_keep_their_ids_and_take_new_titles_across_config_changes() {
    let (mut store, ids) = store_with_feeds(3);
    let sub = |i: usize, title: &str| Subscription {
        key: format!("https://example{i}.coop/feed"),
        title: Some(title.into()),
    };
    // Unchanged: the same ids (this path only reads).
    let again = store
        .sync_subscriptions(&[sub(0, "Feed 0"), sub(1, "Feed 1"), sub(2, "Feed 2")])
        .unwrap();
    assert_eq!(again, ids);
    // Reordered, one renamed, one dropped, one new.
    let changed = store
        .sync_subscriptions(&[sub(2, "Feed 2"), sub(0, "CECOP"), sub(9, "New")])
        .unwrap();
    assert_eq!(&changed[..2], &[ids[2], ids[0]]);
    assert!(!ids.contains(&changed[2]));
    let titles: Vec<(i64, String)> = store
        .feed_statuses()
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect();
    assert!(titles.contains(&(ids[0], "CECOP".into())), "{titles:?}");
    // A dropped subscription keeps its row, and its id when it comes back.
    let back = store.sync_subscriptions(&[sub(1, "Feed 1")]).unwrap();
    assert_eq!(back, [ids[1]]);
}

#[test]
fn in_one_batch_the_earliest_copy_of_a_story_leads_it_and_undated_items_keep_their_order() {
    let (mut store, ids) = store_with_feeds(3);
    // The same link in two subscriptions, the later copy arriving first.
    let mut echo = article("story", "A week later, the same news", day(8));
    echo.link = Some("https://example.coop/news/assembly".into());
    let mut original = article("story", "Assembly of worker cooperatives", day(1));
    original.link = echo.link.clone();
    let late = fetched(vec![echo, article("x", "Cooperative week", day(6))]);
    let early = fetched(vec![original, article("y", "Social cooperatives", day(3))]);
    // A source with no dates: its first item is its newest.
    let undated = |guid: &str, title: &str| coopnews::model::Article {
        published: None,
        ..article(guid, title, day(1))
    };
    let plain = fetched(vec![
        undated("p1", "Newest undated"),
        undated("p2", "Middle undated"),
        undated("p3", "Oldest undated"),
    ]);
    let counts = store
        .record_batch(
            &[
                (ids[0], Record::Fetched(&late)),
                (ids[1], Record::Fetched(&early)),
                (ids[2], Record::Fetched(&plain)),
            ],
            day(10),
        )
        .unwrap();
    let new: Vec<usize> = counts.iter().map(|c| c.new).collect();
    assert_eq!(new, [2, 2, 3]);

    let rows = store
        .list_rows(&ListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Newest undated",
            "Middle undated",
            "Oldest undated",
            "Cooperative week",
            "Social cooperatives",
            "Assembly of worker cooperatives",
        ]
    );
    let story = rows.last().unwrap();
    assert_eq!(story.feed_id, ids[1], "the first published copy leads");
}
