//! The store's plans: a list page walks a date index down to its rows, and never sorts the
//! table, whatever the statistics a large store has gathered; the purge reads read rows only.

mod common;

use common::stored::{article, day, fetched, store_with_feed};
use coopnews::store::{ListQuery, Position, Store, Subscription};

#[test]
fn list_queries_walk_an_index_instead_of_sorting_the_table() {
    let (store, feed) = store_with_feed();
    let queries = [
        ListQuery {
            limit: 50,
            ..Default::default()
        },
        ListQuery {
            unread_only: true,
            limit: 50,
            ..Default::default()
        },
        ListQuery {
            starred_only: true,
            limit: 50,
            ..Default::default()
        },
        ListQuery {
            feeds: Some(vec![feed]),
            limit: 50,
            ..Default::default()
        },
        ListQuery {
            limit: 50,
            after: Some(Position {
                published: 1,
                id: 1,
            }),
            ..Default::default()
        },
    ];
    for q in queries {
        let plan = store.query_plan(&q).unwrap().join(" | ");
        assert!(!plan.contains("TEMP B-TREE"), "{q:?} sorts: {plan}");
        assert!(
            plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
            "{q:?}: {plan}"
        );
    }
}

#[test]
fn the_list_walks_its_date_index_with_the_statistics_of_a_large_store() {
    // The statistics `optimize` gathered after a first refresh of 500 subscriptions and
    // 100,000 articles (copied from that store's sqlite_stat1) once made the planner go
    // through every subscription and sort all their articles for one page of the list.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coopnews.db");
    let mut store = Store::open(&path).unwrap();
    let ids = store
        .sync_subscriptions(&[Subscription {
            key: "https://example.coop/feed".into(),
            title: None,
        }])
        .unwrap();
    let articles = (0..8)
        .map(|n| article(&format!("a{n}"), "Notizia", day(1 + n)))
        .collect();
    store
        .record_fetched(ids[0], &fetched(articles), day(20))
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "ANALYZE;
         DELETE FROM sqlite_stat1;
         INSERT INTO sqlite_stat1 VALUES
             ('feeds', 'sqlite_autoindex_feeds_1', '500 1'),
             ('articles', 'articles_unread_by_date', '100000 3 1 1'),
             ('articles', 'articles_by_date', '100000 3 1 1'),
             ('articles', 'articles_folded_by_feed', '0 0 0'),
             ('articles', 'articles_by_language', '100000 1334 2 1'),
             ('articles', 'articles_starred_by_date', '0 0 0'),
             ('articles', 'articles_folded', '0 0'),
             ('articles', 'articles_read_by_date', '0 0'),
             ('articles', 'articles_by_canonical', '100000 1'),
             ('articles', 'articles_by_feed_date', '100000 182 1 1'),
             ('articles', 'sqlite_autoindex_articles_1', '100000 182 1');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    for unread_only in [false, true] {
        let q = ListQuery {
            unread_only,
            limit: 1,
            ..Default::default()
        };
        // `list --limit 1`: the smallest page is where the planner went wrong.
        let plan = store.query_plan(&q).unwrap().join(" | ");
        assert!(plan.starts_with("SCAN a USING INDEX"), "{q:?}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{q:?} sorts: {plan}");
    }
    let plan = store.purge_plan().unwrap().join(" | ");
    assert!(plan.contains("USING INDEX articles_read_by_date"), "{plan}");
}

#[test]
fn the_purge_after_a_refresh_reads_only_read_articles() {
    // Every refresh ends with the purge. With no index of its own it read the row of every
    // article older than the retention, read or not: the whole table of an older store.
    let (store, _) = store_with_feed();
    let plan = store.purge_plan().unwrap().join(" | ");
    assert!(plan.contains("USING INDEX articles_read_by_date"), "{plan}");
}
