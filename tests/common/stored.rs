//! Articles and fetches for the store's tests, without a network or a parser.

use chrono::{DateTime, TimeZone, Utc};
use coopnews::model::{Article, ParsedFeed};
use coopnews::sources::fetch::Fetched;
use coopnews::store::{Store, Subscription};

pub fn article(guid: &str, title: &str, published: DateTime<Utc>) -> Article {
    Article {
        guid: guid.into(),
        title: title.into(),
        link: Some(format!("https://example.coop/{guid}")),
        published: Some(published),
        text: format!("{title} body"),
        ..Default::default()
    }
}

pub fn fetched(articles: Vec<Article>) -> Fetched {
    Fetched {
        parsed: ParsedFeed {
            articles,
            ..Default::default()
        },
        validators: Default::default(),
        resolved: None,
        notes: vec![],
        still_listed: vec![],
    }
}

pub fn day(n: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, n, 12, 0, 0).unwrap()
}

pub fn store_with_feed() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let ids = store
        .sync_subscriptions(&[Subscription {
            key: "https://example.coop/feed".into(),
            title: Some("Example".into()),
        }])
        .unwrap();
    (store, ids[0])
}

/// The id the store gave the article with this title (ids follow the store's insertion
/// order, which tests should not assume).
pub fn id_of(store: &coopnews::store::Store, title: &str) -> i64 {
    (1..1000)
        .find(|&id| {
            store
                .article(id)
                .ok()
                .flatten()
                .is_some_and(|a| a.title == title)
        })
        .unwrap_or_else(|| panic!("no article titled {title:?}"))
}
