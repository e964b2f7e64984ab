//! A server that sends the same bytes again: without validators, or with validators that
//! change while the feed does not. The second answer costs what a 304 costs; any change
//! is read, and a page subscription, whose selectors may change, is always read again.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::pages::{LISTING_PATH, articles, drupal_selectors, page_config};
use common::refresh::{config_for, refresh};
use common::server::{Reply, Server};
use common::stored::id_of;
use coopnews::store::{ListQuery, Scope, Store};

const RSS: &str = include_str!("fixtures/feeds/coop.rss");
const DRUPAL: &[u8] = include_bytes!("fixtures/pages/drupal-listing.html");

const NEW_ITEM: &str = "<item>
      <title>A third story</title>
      <link>https://www.cecop.coop/works/third</link>
      <guid isPermaLink=\"false\">cecop-2026-11-27-third</guid>
      <pubDate>Fri, 27 Nov 2026 09:00:00 +0000</pubDate>
      <description>Something new.</description>
    </item>
    <item>";

fn unread_titles(db: &std::path::Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    let query = ListQuery {
        limit: 100,
        unread_only: true,
        ..Default::default()
    };
    let rows = store.list_rows(&query).unwrap();
    rows.into_iter().map(|r| r.title).collect()
}

#[test]
fn a_feed_sent_again_byte_for_byte_is_not_read_again() {
    // Each answer has a new ETag, as from a server that makes one per response, and the
    // server never answers 304: only the bytes say whether the feed changed.
    let answers = Arc::new(AtomicUsize::new(0));
    let changed = Arc::new(AtomicUsize::new(0));
    let server = Server::start({
        let (answers, changed) = (Arc::clone(&answers), Arc::clone(&changed));
        move |_| {
            let n = answers.fetch_add(1, Ordering::SeqCst);
            let body = if changed.load(Ordering::SeqCst) == 0 {
                RSS.to_string()
            } else {
                RSS.replacen("<item>", NEW_ITEM, 1)
            };
            Reply::ok("application/rss+xml", body).header("ETag", &format!("\"{n}\""))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = config_for(&[server.url("/feed")], "");

    let first = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((first.new, first.not_modified), (2, false));
    let worker_buyouts = "Worker buyouts across Europe 🇪🇺";
    let mut store = Store::open(&db).unwrap();
    let id = id_of(&store, worker_buyouts);
    store.set_read(&Scope::Ids(vec![id]), true).unwrap();
    drop(store);

    let second = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((second.new, second.not_modified), (0, true));
    assert_eq!(
        unread_titles(&db),
        ["Social economy action plan: what comes next"]
    );

    changed.store(1, Ordering::SeqCst);
    let third = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((third.new, third.not_modified), (1, false));
    assert_eq!(
        unread_titles(&db),
        [
            "A third story",
            "Social economy action plan: what comes next"
        ]
    );

    let fourth = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((fourth.new, fourth.not_modified), (0, true));
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_page_sent_again_is_read_again_with_the_selectors_it_now_has() {
    let server = Server::start(|_| Reply::ok("text/html; charset=utf-8", DRUPAL));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let url = server.url(LISTING_PATH);
    // At first the selectors pick only the first item; then the user widens them.
    let narrow = drupal_selectors().replace(
        "article.node--view-mode-teaser",
        ".views-row:first-child article.node--view-mode-teaser",
    );
    let first = refresh(&page_config(&url, &narrow, ""), &db)
        .remove(0)
        .unwrap();
    assert_eq!(first.new, 1);

    let config = page_config(&url, drupal_selectors(), "");
    let second = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((second.new, second.not_modified), (2, false));
    assert_eq!(articles(&db).len(), 3);
}
