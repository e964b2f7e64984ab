//! The fold of stories stored twice before folding existed (schema 8's backfill).

use chrono::{TimeZone, Utc};

use super::backfill::folds as backfill_folds;
use super::{ListQuery, Store, Subscription};
use crate::model::Article;
use crate::sources::fetch::Fetched;

fn story(guid: &str, link: &str) -> Fetched {
    let mut fetched = Fetched::default();
    fetched.parsed.articles = vec![Article {
        guid: guid.into(),
        title: "The same story".into(),
        link: Some(link.into()),
        text: "text".into(),
        ..Default::default()
    }];
    fetched
}

#[test]
fn stories_stored_twice_before_folding_are_folded_once() {
    let mut store = Store::open_in_memory().unwrap();
    let feeds = store
        .sync_subscriptions(&[
            Subscription {
                key: "https://coop.example/feed".into(),
                title: None,
            },
            Subscription {
                key: "https://outlet.example/feed".into(),
                title: None,
            },
        ])
        .unwrap();
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let first = story("a", "https://coop.example/story");
    let copy = story("b", "https://www.coop.example/story/?utm_source=outlet");
    store.record_fetched(feeds[0], &first, now).unwrap();
    store.record_fetched(feeds[1], &copy, now).unwrap();
    // As a store from before folding left them: two rows of their own.
    store
        .conn
        .execute_batch(
            "UPDATE articles SET folded_into = NULL;
             INSERT INTO pending_backfill VALUES ('fold');",
        )
        .unwrap();
    let q = ListQuery {
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.list_rows(&q).unwrap().len(), 2);

    backfill_folds(&mut store.conn).unwrap();
    let rows = store.list_rows(&q).unwrap();
    assert_eq!(rows.len(), 1, "one row for the story");
    let also = store.also(rows[0].id).unwrap();
    assert_eq!(also.len(), 1);
    assert_eq!(also[0].feed_id, feeds[1]);

    // Once: the pending mark is gone, a later unfolded copy stays as it is.
    store
        .conn
        .execute("UPDATE articles SET folded_into = NULL", [])
        .unwrap();
    backfill_folds(&mut store.conn).unwrap();
    assert_eq!(store.list_rows(&q).unwrap().len(), 2);
}
