//! Fetching against a loopback server: conditional GET, redirects, errors, limits,
//! discovery, encodings and formats, through the same refresh the CLI runs.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::refresh::{config_for, refresh};
use common::server::{Behaviour, Reply, Server};
use coopnews::store::{ListQuery, Store};

const RSS: &[u8] = include_bytes!("fixtures/feeds/coop.rss");
const RSS_1252: &[u8] = include_bytes!("fixtures/feeds/legacoop-1252.xml");
const JSON_FEED: &[u8] = include_bytes!("fixtures/feeds/coceta.json");
const SITE: &[u8] = include_bytes!("fixtures/feeds/site.html");

fn titles(db: &std::path::Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    store
        .list_rows(&ListQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect()
}

#[test]
fn first_refresh_stores_then_304_costs_nothing() {
    let server = Server::start(|req| {
        if req.header("If-None-Match") == Some("\"v1\"") {
            Reply::status(304).header("ETag", "\"v1\"")
        } else {
            Reply::ok("application/rss+xml", RSS)
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Fri, 20 Nov 2026 09:30:00 GMT")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = config_for(&[server.url("/feed")], "");

    let first = refresh(&config, &db);
    let report = first[0].as_ref().expect("first refresh works");
    assert_eq!((report.new, report.not_modified), (2, false));
    assert_eq!(
        titles(&db),
        [
            "Worker buyouts across Europe 🇪🇺",
            "Social economy action plan: what comes next"
        ]
    );

    let second = refresh(&config, &db);
    assert!(second[0].as_ref().unwrap().not_modified);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("If-None-Match"), Some("\"v1\""));
    assert_eq!(
        requests[1].header("If-Modified-Since"),
        Some("Fri, 20 Nov 2026 09:30:00 GMT")
    );
    let agent = requests[0].header("User-Agent").unwrap();
    assert!(
        agent.starts_with("coopnews/") && agent.contains("(+http"),
        "{agent}"
    );
    assert_eq!(titles(&db).len(), 2);
}

#[test]
fn redirects_are_followed_up_to_five() {
    let server = Server::start(|req| match req.route() {
        "/old" => Reply::redirect("/new"),
        "/new" => Reply::ok("application/rss+xml", RSS),
        "/loop-a" => Reply::redirect("/loop-b"),
        "/loop-b" => Reply::redirect("/loop-a"),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&[server.url("/old"), server.url("/loop-a")], "");
    let outcomes = refresh(&config, &dir.path().join("db"));
    assert_eq!(outcomes[0].as_ref().unwrap().new, 2);
    assert_eq!(
        outcomes[1].as_ref().unwrap_err(),
        "too many redirects (more than 5)"
    );
}

#[test]
fn http_errors_name_the_status_and_the_other_feeds_go_on() {
    let server = Server::start(|req| match req.route() {
        "/missing" => Reply::status(404),
        "/broken" => Reply::status(500),
        _ => Reply::ok("application/rss+xml", RSS),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = config_for(
        &[
            server.url("/missing"),
            server.url("/broken"),
            server.url("/feed"),
        ],
        "",
    );
    let outcomes = refresh(&config, &db);
    assert_eq!(
        outcomes[0].as_ref().unwrap_err(),
        "server answered HTTP 404 (Not Found)"
    );
    assert_eq!(
        outcomes[1].as_ref().unwrap_err(),
        "server answered HTTP 500 (Internal Server Error)"
    );
    assert_eq!(outcomes[2].as_ref().unwrap().new, 2);
    // The error is kept on the feed for `coopnews feeds` and the reader.
    let statuses = Store::open(&db).unwrap().feed_statuses().unwrap();
    assert_eq!(
        statuses[0].last_error.as_deref(),
        Some("server answered HTTP 404 (Not Found)")
    );
    assert_eq!(statuses[0].http_status, Some(404));
    assert!(statuses[2].last_error.is_none());
}

#[test]
fn a_slow_server_times_out_within_the_setting() {
    let server = Server::start(|req| match req.route() {
        "/slow" => Reply::ok("application/rss+xml", RSS)
            .behaviour(Behaviour::Delay(Duration::from_secs(5))),
        "/trickle" => Reply::ok("application/rss+xml", RSS)
            .behaviour(Behaviour::Trickle(Duration::from_millis(200))),
        _ => Reply::ok("application/rss+xml", RSS),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(
        &[
            server.url("/slow"),
            server.url("/trickle"),
            server.url("/fast"),
        ],
        "timeout = \"1s\"",
    );
    // The two errors are the proof: without the timeout the slow feed would have been read
    // after 5 s and the trickling one after minutes. No wall time is asserted.
    let outcomes = refresh(&config, &dir.path().join("db"));
    assert_eq!(outcomes[0].as_ref().unwrap_err(), "timed out after 1s");
    assert_eq!(outcomes[1].as_ref().unwrap_err(), "timed out after 1s");
    assert_eq!(outcomes[2].as_ref().unwrap().new, 2);
}

#[test]
fn bodies_past_the_limit_are_cut() {
    let big = {
        let mut body = RSS.to_vec();
        body.extend(std::iter::repeat_n(b' ', 64 * 1024));
        body
    };
    let server = Server::start(move |req| match req.route() {
        "/big" => Reply::ok("application/rss+xml", big.clone()),
        "/endless" => {
            Reply::ok("application/rss+xml", Vec::new()).behaviour(Behaviour::Endless(1 << 30))
        }
        _ => Reply::ok("application/rss+xml", RSS),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(
        &[
            server.url("/big"),
            server.url("/endless"),
            server.url("/small"),
        ],
        "max_body_size = \"16KiB\"",
    );
    let outcomes = refresh(&config, &dir.path().join("db"));
    assert_eq!(
        outcomes[0].as_ref().unwrap_err(),
        "response larger than the 16 KiB limit (max_body_size)"
    );
    assert_eq!(
        outcomes[1].as_ref().unwrap_err(),
        "response larger than the 16 KiB limit (max_body_size)"
    );
    assert_eq!(outcomes[2].as_ref().unwrap().new, 2);
}

#[test]
fn an_html_page_leads_to_its_feed_and_the_address_is_remembered() {
    let server = Server::start(|req| match req.route() {
        "/" => Reply::ok("text/html; charset=utf-8", SITE),
        "/feed/" => Reply::ok("application/rss+xml", RSS),
        "/comments/feed/" => Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>Comments</title></channel></rss>",
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = config_for(&[server.url("/")], "");
    assert_eq!(refresh(&config, &db)[0].as_ref().unwrap().new, 2);
    assert!(
        server.requests_to("/comments/feed/").is_empty(),
        "the main feed, not the comments"
    );
    let statuses = Store::open(&db).unwrap().feed_statuses().unwrap();
    assert_eq!(
        statuses[0].resolved.as_deref(),
        Some(server.url("/feed/").as_str())
    );
    assert_eq!(
        statuses[0].title, "CECOP news",
        "the feed's own title when none is configured"
    );

    refresh(&config, &db);
    assert_eq!(
        server.requests_to("/").len(),
        1,
        "the next refresh goes straight to the feed"
    );
    assert_eq!(server.requests_to("/feed/").len(), 2);
}

#[test]
fn a_site_without_feed_links_is_tried_at_the_usual_paths() {
    let server = Server::start(|req| match req.route() {
        "/" => Reply::ok(
            "text/html",
            "<!doctype html><html><head><title>x</title></head><body>hi</body></html>",
        ),
        "/rss.xml" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    let nothing = Server::start(|req| match req.route() {
        "/" => Reply::ok(
            "text/html",
            "<!doctype html><html><body>no feed here</body></html>",
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&[server.url("/"), nothing.url("/")], "");
    let outcomes = refresh(&config, &dir.path().join("db"));
    assert_eq!(outcomes[0].as_ref().unwrap().new, 2);
    let error = outcomes[1].as_ref().unwrap_err();
    assert!(
        error.starts_with(&format!("no feed found at {}: tried", nothing.url("/"))),
        "{error}"
    );
}

#[test]
fn windows_1252_italian_text_decodes_exactly() {
    let server = Server::start(|_| Reply::ok("application/rss+xml", RSS_1252));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    refresh(&config_for(&[server.url("/feed")], ""), &db)
        .remove(0)
        .unwrap();
    let store = Store::open(&db).unwrap();
    let article = store
        .list_articles(&ListQuery {
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(
        article.title,
        "Perché le cooperative crescono: è già così – «un’economia giusta»"
    );
    assert_eq!(
        article.text,
        "Più lavoro, più qualità: l’80% dei soci è d’accordo. Costo: 5 €."
    );
    assert_eq!(article.feed, "Legacoop – Notizie");
}

#[test]
fn json_feed_articles_are_stored() {
    let server = Server::start(|_| Reply::ok("application/feed+json", JSON_FEED));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    refresh(&config_for(&[server.url("/feed.json")], ""), &db)
        .remove(0)
        .unwrap();
    let article = Store::open(&db)
        .unwrap()
        .list_articles(&ListQuery {
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(article.title, "Asamblea general de COCETA en Valladolid 🇪🇸");
    assert_eq!(article.author.as_deref(), Some("Comunicación COCETA"));
    assert_eq!(article.links, ["https://www.coceta.coop/asamblea"]);
    assert_eq!(article.published.to_rfc3339(), "2026-11-17T11:00:00+00:00");
}

#[test]
fn rate_limits_are_honoured_until_they_expire() {
    let server = Server::start(|_| Reply::status(429).header("Retry-After", "3600"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = config_for(&[server.url("/feed")], "");
    let message = refresh(&config, &db).remove(0).unwrap_err();
    assert!(message.starts_with("rate limited until "), "{message}");
    // The next refresh does not knock again before the time the server gave.
    let again = refresh(&config, &db).remove(0).unwrap_err();
    assert_eq!(again, message);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn per_host_and_global_limits_hold() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (f, p) = (Arc::clone(&in_flight), Arc::clone(&peak));
    let server = Server::start(move |_| {
        let now = f.fetch_add(1, Ordering::SeqCst) + 1;
        p.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(150));
        f.fetch_sub(1, Ordering::SeqCst);
        Reply::ok("application/rss+xml", RSS)
    });
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/feed{i}"))).collect();
    let outcomes = refresh(
        &config_for(&urls, "per_host_concurrency = 2"),
        &dir.path().join("db"),
    );
    assert!(outcomes.iter().all(|o| o.is_ok()));
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "two at once from one host, not fewer, not more"
    );

    peak.store(0, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    refresh(
        &config_for(&urls, "per_host_concurrency = 8\nconcurrency = 3"),
        &dir.path().join("db"),
    );
    assert_eq!(peak.load(Ordering::SeqCst), 3);
}

#[test]
fn rss_authors_written_as_email_and_name_show_the_name() {
    let rss = r#"<rss version="2.0"><channel><title>t</title>
<item><title>a</title><guid>1</guid><author>redazione@legacoop.coop (Redazione)</author></item>
<item><title>b</title><guid>2</guid><author>info@coceta.coop</author></item>
</channel></rss>"#;
    let server = Server::start(move |_| Reply::ok("application/rss+xml", rss));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    refresh(&config_for(&[server.url("/feed")], ""), &db)
        .remove(0)
        .unwrap();
    let store = Store::open(&db).unwrap();
    let mut authors: Vec<Option<String>> = store
        .list_articles(&ListQuery {
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|a| a.author)
        .collect();
    authors.sort();
    assert_eq!(
        authors,
        [
            Some("Redazione".to_string()),
            Some("info@coceta.coop".to_string())
        ]
    );
}
