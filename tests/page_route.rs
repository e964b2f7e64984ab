//! No dead end: a `url` subscription to a site without a feed reads the page's news; the
//! route each subscription takes, as `coopnews feeds` reports it; discovery's probes next to
//! the address, at the root, and through links in the page; `coopnews check`.

mod common;

use common::cli::{coopnews, json, setup, stdout};
use common::listings;
use common::refresh::{config_for, refresh};
use common::server::{Reply, Server};
use coopnews::store::{ListQuery, Store};

const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Site news</title>
<item><title>First story</title><link>https://example.org/1</link><guid>1</guid></item>
<item><title>Second story</title><link>https://example.org/2</link><guid>2</guid></item>
</channel></rss>"#;

fn listing(name: &str) -> Vec<u8> {
    listings::load(name).html
}

fn titles(db: &std::path::Path) -> Vec<String> {
    Store::open(db)
        .unwrap()
        .list_articles(&ListQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect()
}

#[test]
fn a_site_without_a_feed_is_read_as_a_page_in_page_order_and_only_once() {
    let page = listing("no-dates");
    let server = Server::start(move |req| match req.route() {
        "/news" => Reply::ok("text/html; charset=utf-8", page.clone()).header("ETag", "\"v1\""),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = config_for(&[server.url("/news")], "");
    let first = refresh(&config, &db).remove(0).expect("read as a page");
    assert_eq!(first.new, 11);
    // Undated items keep the page's order: the first on the page is the newest.
    let expected: Vec<String> = listings::load("no-dates")
        .expected
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(titles(&db), expected);
    let probes = server.requests().len();
    assert!(
        probes > 5,
        "the usual paths were tried first ({probes} requests)"
    );

    let second = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((second.new, second.updated), (0, 0));
    assert_eq!(titles(&db), expected, "the second refresh adds nothing");
    let later: Vec<String> = server.requests()[probes..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(later, ["/news"], "no probing again once no feed was found");

    let statuses = Store::open(&db).unwrap().feed_statuses().unwrap();
    assert_eq!(statuses[0].resolved.as_deref(), Some("page (detected)"));
}

#[test]
fn nothing_to_read_says_what_was_tried() {
    let server = Server::start(|req| match req.route() {
        "/" => Reply::ok(
            "text/html",
            "<html><body><p>Under construction</p></body></html>",
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&[server.url("/")], "");
    let error = refresh(&config, &dir.path().join("db"))
        .remove(0)
        .unwrap_err();
    assert!(
        error.starts_with(&format!("no feed found at {}", server.url("/"))),
        "{error}"
    );
    assert!(
        error.contains("tried 7 addresses (/feed/, /rss.xml"),
        "{error}"
    );
    assert!(error.contains("no list of news items"), "{error}");
}

#[test]
fn discovery_probes_next_to_the_address_then_follows_feed_links() {
    // ICA: /en → /en/rss.xml.
    let ica = Server::start(|req| match req.route() {
        "/en" => Reply::ok("text/html", "<html><body>Welcome</body></html>"),
        "/en/rss.xml" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    // A site whose page links to its feed in the body only.
    let linked = Server::start(|req| match req.route() {
        "/" => Reply::ok(
            "text/html",
            "<html><body><a href=\"/comments/rss\">Comments RSS</a> <a href=\"/news/rss\">RSS</a></body></html>",
        ),
        "/news/rss" => Reply::ok("application/rss+xml", RSS),
        "/comments/rss" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    // WordPress without pretty links.
    let plain = Server::start(|req| match req.path.as_str() {
        "/" => Reply::ok("text/html", "<html><body>Blog</body></html>"),
        "/?feed=rss2" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let urls = [ica.url("/en"), linked.url("/"), plain.url("/")];
    let outcomes = refresh(&config_for(&urls, ""), &db);
    for outcome in &outcomes {
        assert_eq!(outcome.as_ref().unwrap().new, 2);
    }
    let resolved: Vec<Option<String>> = Store::open(&db)
        .unwrap()
        .feed_statuses()
        .unwrap()
        .into_iter()
        .map(|s| s.resolved)
        .collect();
    assert_eq!(
        resolved,
        [
            Some(ica.url("/en/rss.xml")),
            Some(linked.url("/news/rss")),
            Some(plain.url("/?feed=rss2"))
        ]
    );
    assert!(linked.requests_to("/comments/rss").is_empty());
}

#[test]
fn feeds_says_the_route_of_every_subscription() {
    let page = listing("cecop-custom");
    let server = Server::start(move |req| match req.route() {
        "/works2/0" => Reply::ok("text/html", page.clone()),
        "/feed/" => Reply::ok("application/rss+xml", RSS),
        "/blog" => Reply::ok("text/html", "<html><body>x</body></html>"),
        _ => Reply::status(404),
    });
    let s = setup(&format!(
        "bluesky_api = \"{api}\"\n\n\
         [[feeds]]\nurl = \"{works}\"\ntitle = \"A\"\n\n\
         [[feeds]]\nurl = \"{blog}\"\ntitle = \"B\"\n\n\
         [[feeds]]\npage = \"{works}\"\ntitle = \"C\"\n\n\
         [[feeds]]\npage = \"{works}?page=0\"\ntitle = \"D\"\nitem = \"div.box\"\n\n\
         [[feeds]]\nbluesky = \"coopnews.bsky.social\"\ntitle = \"E\"\n",
        works = server.url("/works2/0"),
        blog = server.url("/blog"),
        api = server.url("/"),
    ));
    let before = json(&coopnews(&s, &["feeds", "--json"]));
    assert_eq!(
        before[0]["route"],
        format!("feed {}", server.url("/works2/0"))
    );
    // The Bluesky account fails (this server is no AppView); its route is still Bluesky.
    let _ = coopnews(&s, &["refresh"]);
    let feeds = json(&coopnews(&s, &["feeds", "--json"]));
    let routes: Vec<&str> = feeds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["route"].as_str().unwrap())
        .collect();
    let feed = format!("feed {}", server.url("/feed/"));
    // The CECOP-like page has no feed of its own next to it, but the root's /feed/ is one.
    assert_eq!(
        routes,
        [
            feed.as_str(),
            feed.as_str(),
            "page (detected)",
            "page (selectors)",
            "bluesky"
        ]
    );
    let text = stdout(&coopnews(&s, &["feeds"]));
    assert!(text.contains("page (selectors)"), "{text}");
}

#[test]
fn check_prints_the_detected_items_and_selectors_without_storing() {
    let page = listing("ilo-cards");
    let server = Server::start(move |req| match req.route() {
        "/resource/news/all-news-recent" => Reply::ok("text/html", page.clone()),
        _ => Reply::status(404),
    });
    let s = setup("");
    let url = server.url("/resource/news/all-news-recent");
    let out = coopnews(&s, &["check", &url]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Route:   page (detected)"), "{text}");
    assert!(text.contains("Feed discovery tried 17 addresses"), "{text}");
    assert!(
        text.contains("1. Global unemployment holds steady as job quality lags, new report finds"),
        "{text}"
    );
    assert!(
        text.contains("   date:   2026-07-31T12:00:00Z (read from '1785499200')"),
        "{text}"
    );
    assert!(text.contains("(3 promotional cards left out)"), "{text}");
    assert!(text.contains("item = \"div.ilo--card\""), "{text}");
    assert!(
        text.contains("item_date = \"time.ilo--card--date@datetime\""),
        "{text}"
    );
    assert!(!s.data.exists(), "nothing stored");

    let report = json(&coopnews(&s, &["check", "--json", &url]));
    assert_eq!(report["route"], "page (detected)");
    assert_eq!(report["items"].as_array().unwrap().len(), 6);
    assert_eq!(report["items"][0]["date"], "2026-07-31T12:00:00Z");
    assert_eq!(
        report["items"][0]["link"],
        server.url("/resource/news/global-unemployment-holds-steady")
    );
    assert_eq!(report["selectors"]["item"], "div.ilo--card");
    assert_eq!(report["tried"][0]["why"], "probed");
}

#[test]
fn check_of_a_site_with_a_feed_names_the_feed() {
    let server = Server::start(|req| match req.route() {
        "/" => Reply::ok(
            "text/html",
            "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed/\"></head></html>",
        ),
        "/feed/" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    let s = setup("");
    let report = json(&coopnews(&s, &["check", "--json", &server.url("/")]));
    assert_eq!(report["route"], format!("feed {}", server.url("/feed/")));
    assert_eq!(report["title"], "Site news");
    assert_eq!(report["items"][1]["title"], "Second story");
    assert_eq!(report["tried"][0]["why"], "announced");
    assert!(report["selectors"].is_null());
}
