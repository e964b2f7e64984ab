//! The shipped configuration, checked offline: every subscription is refreshed against a
//! loopback copy of its site (each host rewritten to a local server) and takes the route the
//! configuration's comments promise: the feed discovery finds, the page's detected items,
//! or Bluesky.

mod common;

use std::collections::BTreeMap;

use common::cli::{coopnews, json, setup};
use common::listings;
use common::server::{Reply, Server};
use coopnews::config::{Config, DEFAULT_CONFIG};
use coopnews::model::Source;

const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>A story</title><link>https://example.org/1</link><guid>1</guid></item>
</channel></rss>"#;

/// A WordPress home page that announces its feed.
const ANNOUNCING: &str = r#"<!doctype html><html><head><title>Home</title>
<link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" href="/feed/">
<link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed" href="/comments/feed/">
</head><body><p>Welcome</p></body></html>"#;

/// How each site answers, as far as the routes depend on it.
fn site(host: &str) -> Server {
    let cecop = listings::load("cecop-custom").html;
    let ilo = listings::load("ilo-cards").html;
    let ica_news = listings::load("drupal-views").html;
    match host {
        "www.cecop.coop" => Server::start(move |req| match req.route() {
            "/works2/0" => Reply::ok("text/html", cecop.clone()),
            _ => Reply::status(404),
        }),
        "www.ilo.org" => Server::start(move |req| match req.route() {
            "/resource/news/all-news-recent" => Reply::ok("text/html", ilo.clone()),
            _ => Reply::status(404),
        }),
        "ica.coop" => Server::start(move |req| match req.route() {
            "/en" => Reply::ok("text/html", "<html><body>Welcome</body></html>"),
            "/en/rss.xml" => Reply::ok("application/rss+xml", RSS),
            "/en/newsroom/news" => Reply::ok("text/html", ica_news.clone()),
            _ => Reply::status(404),
        }),
        // Its theme prints no <link rel="alternate">.
        "platform.coop" => Server::start(|req| match req.route() {
            "/" => Reply::ok("text/html", "<html><body>Platform co-ops</body></html>"),
            "/feed/" => Reply::ok("application/rss+xml", RSS),
            _ => Reply::status(404),
        }),
        _ => Server::start(|req| match req.route() {
            "/" => Reply::ok("text/html", ANNOUNCING),
            "/feed/" => Reply::ok("application/rss+xml", RSS),
            _ => Reply::status(404),
        }),
    }
}

#[test]
fn every_default_subscription_takes_its_route() {
    let config = Config::parse(DEFAULT_CONFIG, "default").unwrap();
    let mut servers: BTreeMap<String, Server> = BTreeMap::new();
    for feed in &config.feeds {
        let url = match &feed.source {
            Source::Feed { url } => url,
            Source::Page(spec) => &spec.url,
            Source::Bluesky(_) => continue,
        };
        let host = url::Url::parse(url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
        servers.entry(host.clone()).or_insert_with(|| site(&host));
    }
    // The addresses the issue names, exactly.
    for host in [
        "www.lps.coop",
        "coceta.coop",
        "ica.coop",
        "www.ilo.org",
        "platform.coop",
    ] {
        assert!(servers.contains_key(host), "{host} in {:?}", servers.keys());
    }
    let api = Server::start(|_| Reply::status(404));
    let mut text = DEFAULT_CONFIG.replace("https://public.api.bsky.app", &api.base());
    for (host, server) in &servers {
        text = text.replace(&format!("https://{host}"), &server.base());
    }
    let s = setup(&text);
    let refresh = coopnews(&s, &["refresh"]);
    assert!(refresh.status.success());
    let feeds = json(&coopnews(&s, &["feeds", "--json"]));
    let feed_at = |host: &str, path: &str| format!("feed {}", servers[host].url(path));
    let expected: BTreeMap<&str, String> = [
        ("CECOP", "page (detected)".to_string()),
        ("CECOP on Bluesky", "bluesky".into()),
        ("CICOPA", feed_at("www.cicopa.coop", "/feed/")),
        ("ICA", feed_at("ica.coop", "/en/rss.xml")),
        ("ICA newsroom", "page (detected)".into()),
        ("ILO news", "page (detected)".into()),
        ("Co-op News", feed_at("www.thenews.coop", "/feed/")),
        ("Co-op News on Bluesky", "bluesky".into()),
        (
            "Platform Cooperativism Consortium",
            feed_at("platform.coop", "/feed/"),
        ),
        ("Legacoop", feed_at("www.legacoop.coop", "/feed/")),
        (
            "Legacoop Produzione e Servizi",
            feed_at("www.lps.coop", "/feed/"),
        ),
        ("COCETA", feed_at("coceta.coop", "/feed/")),
        ("Coopaname", feed_at("www.coopaname.coop", "/feed/")),
        ("workers.coop", feed_at("www.workers.coop", "/feed/")),
    ]
    .into_iter()
    .collect();
    let feeds = feeds.as_array().unwrap();
    assert_eq!(
        feeds.len(),
        expected.len(),
        "every subscription has a route here"
    );
    for feed in feeds {
        let title = feed["title"].as_str().unwrap();
        let want = expected
            .get(title)
            .unwrap_or_else(|| panic!("{title} has no expected route"));
        assert_eq!(feed["route"].as_str().unwrap(), want, "{title}");
        if feed["route"] != "bluesky" {
            assert!(
                feed["last_error"].is_null(),
                "{title}: {}",
                feed["last_error"]
            );
            assert!(feed["total"].as_i64().unwrap() > 0, "{title}");
        }
        // One tag per subscription: its organisation.
        assert_eq!(feed["tags"].as_array().unwrap().len(), 1, "{title}");
    }
    let count = |title: &str| {
        feeds.iter().find(|f| f["title"] == title).unwrap()["total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(count("ILO news"), 6, "news cards only, promotions left out");
    assert_eq!(count("CECOP"), 5);
}
