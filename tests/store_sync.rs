//! The store's side of sync: server ids, the outbox of marks (set or clear, never a toggle,
//! written with the mark), and the rule when both sides changed.

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use coopnews::model::Article;
use coopnews::sources::sync::{Flag, RemoteState};
use coopnews::store::{ListQuery, Scope, Store, SyncedFeed, SyncedItem};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// A store with one server feed and items "1", "2", "3" (ids in `ids` order).
fn synced_store(store: &mut Store) -> Vec<i64> {
    let feeds = store
        .sync_feeds(&[SyncedFeed {
            remote_id: "feed/1".into(),
            key: "https://coop.example/feed.xml".into(),
            title: Some("Co-op".into()),
            site_link: None,
            groups: vec!["Cooperatives".into()],
        }])
        .unwrap();
    let feed = feeds["feed/1"];
    let items: Vec<SyncedItem> = (1..=3)
        .map(|n| SyncedItem {
            feed,
            remote_id: n.to_string(),
            article: Article {
                title: format!("Item {n}"),
                link: Some(format!("https://coop.example/{n}")),
                published: Some(now() - chrono::Duration::hours(n)),
                text: "text".into(),
                ..Article::default()
            },
        })
        .collect();
    assert_eq!(store.sync_store_items(&items, now()).unwrap(), 3);
    let rows = store
        .list_rows(&ListQuery {
            limit: 10,
            ..ListQuery::default()
        })
        .unwrap();
    rows.iter().map(|r| r.id).collect()
}

#[test]
fn a_mark_is_queued_with_the_wanted_value_never_a_toggle() {
    let mut store = Store::open_in_memory().unwrap();
    let ids = synced_store(&mut store);
    store.set_read(&Scope::Ids(vec![ids[0]]), true).unwrap();
    store.set_read(&Scope::Ids(vec![ids[0]]), true).unwrap();
    let outbox = store.sync_outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        (outbox[0].remote_id.as_str(), outbox[0].flag, outbox[0].on),
        ("1", Flag::Read, true)
    );
    // Changing one's mind replaces the wanted value.
    store.set_read(&Scope::Ids(vec![ids[0]]), false).unwrap();
    let outbox = store.sync_outbox().unwrap();
    assert_eq!((outbox.len(), outbox[0].on), (1, false));
    store.set_starred(&Scope::Ids(vec![ids[1]]), true).unwrap();
    assert_eq!(store.sync_waiting().unwrap(), 2);
    // Marking everything queues only what changes.
    store.set_read(&Scope::All, true).unwrap();
    assert_eq!(store.sync_waiting().unwrap(), 4);
}

#[test]
fn articles_the_server_does_not_know_queue_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .sync_subscriptions(&[coopnews::store::Subscription {
            key: "https://a.example/feed".into(),
            title: None,
        }])
        .unwrap();
    store.set_read(&Scope::All, true).unwrap();
    assert_eq!(store.sync_waiting().unwrap(), 0);
}

#[test]
fn a_mark_changed_while_it_was_sent_stays_queued() {
    let mut store = Store::open_in_memory().unwrap();
    let ids = synced_store(&mut store);
    store
        .set_read(&Scope::Ids(vec![ids[0], ids[1]]), true)
        .unwrap();
    let sending = store.sync_outbox().unwrap();
    // Meanwhile the reader marks the first one unread again.
    store.set_read(&Scope::Ids(vec![ids[0]]), false).unwrap();
    store.sync_sent(&sending).unwrap();
    let left = store.sync_outbox().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].remote_id.as_str(), left[0].on), ("1", false));
}

#[test]
fn a_queued_mark_wins_once_then_the_server_does() {
    let mut store = Store::open_in_memory().unwrap();
    let ids = synced_store(&mut store);
    store.set_read(&Scope::Ids(vec![ids[0]]), true).unwrap();
    // The server still says unread (the mark was not sent yet) and starred item 2.
    let state = RemoteState {
        unread: HashSet::from(["1".to_string(), "2".to_string(), "3".to_string()]),
        starred: HashSet::from(["2".to_string()]),
    };
    assert_eq!(store.sync_apply_state(&state).unwrap(), 1);
    let article = store.article(ids[0]).unwrap().unwrap();
    assert!(article.read, "the queued mark wins");
    assert!(store.article(ids[1]).unwrap().unwrap().starred);
    // Once sent, the server's state is taken as it is.
    let sent = store.sync_outbox().unwrap();
    store.sync_sent(&sent).unwrap();
    store.sync_apply_state(&state).unwrap();
    assert!(!store.article(ids[0]).unwrap().unwrap().read);
    // Following the server queues nothing to send back.
    assert_eq!(store.sync_waiting().unwrap(), 0);
}

#[test]
fn the_queue_survives_closing_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coopnews.db");
    {
        let mut store = Store::open(&path).unwrap();
        let ids = synced_store(&mut store);
        store.set_starred(&Scope::Ids(vec![ids[2]]), true).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let outbox = store.sync_outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!((outbox[0].flag, outbox[0].on), (Flag::Starred, true));
    assert_eq!(
        store.synced_feeds().unwrap().into_values().next().unwrap(),
        vec!["Cooperatives"]
    );
}

#[test]
fn an_item_already_stored_under_its_link_is_not_doubled() {
    let mut store = Store::open_in_memory().unwrap();
    synced_store(&mut store);
    let feed = store.synced_feeds().unwrap().into_keys().next().unwrap();
    let again = SyncedItem {
        feed,
        remote_id: "99".into(),
        article: Article {
            title: "Item 1, edited".into(),
            link: Some("https://coop.example/1".into()),
            text: "text".into(),
            ..Article::default()
        },
    };
    assert_eq!(store.sync_store_items(&[again], now()).unwrap(), 0);
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 3);
    assert!(store.sync_known_items().unwrap().contains("99"));
}

#[test]
fn reading_a_story_queues_every_row_of_it() {
    let mut store = Store::open_in_memory().unwrap();
    let feeds = store
        .sync_feeds(&[
            SyncedFeed {
                remote_id: "feed/1".into(),
                key: "https://coop.example/feed.xml".into(),
                title: Some("Co-op".into()),
                site_link: None,
                groups: vec![],
            },
            SyncedFeed {
                remote_id: "feed/2".into(),
                key: "https://outlet.example/feed.xml".into(),
                title: Some("Outlet".into()),
                site_link: None,
                groups: vec![],
            },
        ])
        .unwrap();
    // The same story from two subscriptions: the outlet's copy folds into the first.
    let story = |feed: &str, remote: &str| SyncedItem {
        feed: feeds[feed],
        remote_id: remote.into(),
        article: Article {
            title: "The same story".into(),
            link: Some("https://coop.example/story?utm_source=outlet".into()),
            published: Some(now()),
            text: "text".into(),
            ..Article::default()
        },
    };
    store
        .sync_store_items(&[story("feed/1", "10")], now())
        .unwrap();
    store
        .sync_store_items(&[story("feed/2", "20")], now())
        .unwrap();
    let rows = store
        .list_rows(&ListQuery {
            limit: 10,
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 1, "one row for the story");
    store.set_read(&Scope::Ids(vec![rows[0].id]), true).unwrap();
    let queued: HashSet<(String, bool)> = store
        .sync_outbox()
        .unwrap()
        .into_iter()
        .filter(|m| m.flag == Flag::Read)
        .map(|m| (m.remote_id, m.on))
        .collect();
    assert_eq!(
        queued,
        HashSet::from([("10".to_string(), true), ("20".to_string(), true)])
    );
}
