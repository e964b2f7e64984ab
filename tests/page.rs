//! Page subscriptions against a loopback server: listings modelled on real Drupal, WordPress
//! and older Italian sites, markup that changed, 304s; then the real binary: `refresh` +
//! `list --json`, and `check-page`. Full text from item pages: `page_full_text.rs`.

mod common;

use common::cli::{coopnews, setup};
use common::pages::{LISTING_PATH, articles, drupal_selectors, find, page_config, rfc3339};
use common::refresh::refresh;
use common::server::{Reply, Server};
use coopnews::config::Config;
use coopnews::store::Store;

const DRUPAL: &[u8] = include_bytes!("fixtures/pages/drupal-listing.html");
const DRUPAL_CHANGED: &[u8] = include_bytes!("fixtures/pages/drupal-listing-changed.html");
const WORDPRESS: &[u8] = include_bytes!("fixtures/pages/wordpress-archive.html");
const ITALIAN: &[u8] = include_bytes!("fixtures/pages/italian-listing.html");

#[test]
fn drupal_listing_items_become_articles_then_304_costs_nothing() {
    let server = Server::start(|req| match req.route() {
        LISTING_PATH if req.header("If-None-Match") == Some("\"d1\"") => {
            Reply::status(304).header("ETag", "\"d1\"")
        }
        LISTING_PATH => Reply::ok("text/html; charset=utf-8", DRUPAL).header("ETag", "\"d1\""),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = page_config(&server.url(LISTING_PATH), drupal_selectors(), "");
    let before = chrono::Utc::now();

    let first = refresh(&config, &db);
    let report = first[0].as_ref().expect("the listing is read");
    assert_eq!((report.new, report.not_modified), (3, false));
    assert_eq!(report.notes, ["1 item without a title or link skipped"]);

    let stored = articles(&db);
    assert_eq!(stored.len(), 3);
    let coops = find(
        &stored,
        "Cooperatives key to decent work in the platform economy",
    );
    assert_eq!(
        coops.link.as_deref(),
        Some(
            server
                .url("/resource/news/cooperatives-key-decent-work")
                .as_str()
        )
    );
    assert_eq!(rfc3339(coops), "2017-03-16T00:00:00Z");
    // The teaser only: not the type label, the date line or "Read more".
    assert_eq!(
        coops.text,
        "Worker cooperatives can give platform workers a voice, a new ILO report finds."
    );
    assert_eq!(
        coops.links,
        [server.url("/resource/news/cooperatives-key-decent-work")]
    );
    assert_eq!(coops.feed, "ILO");

    // A link relative to the listing's own address, and a date inside a longer line.
    let sse = find(
        &stored,
        "Social and solidarity economy: one year after the resolution",
    );
    assert_eq!(
        sse.link.as_deref(),
        Some(
            server
                .url("/resource/news/social-economy-resolution")
                .as_str()
        )
    );
    assert_eq!(rfc3339(sse), "2024-02-02T00:00:00Z");
    assert_eq!(
        sse.text,
        "Member States report progress.\n\nSecond paragraph of the teaser."
    );

    // "Forthcoming" is no date: first-seen time stands in.
    let week = find(&stored, "Cooperatives week");
    assert_eq!(
        week.link.as_deref(),
        Some("https://www.ilo.org/meetings/coop-week")
    );
    assert!(
        week.published >= before - chrono::Duration::seconds(2),
        "{}",
        week.published
    );
    assert_eq!(week.text, "");

    let second = refresh(&config, &db);
    assert!(second[0].as_ref().unwrap().not_modified);
    let requests = server.requests_to(LISTING_PATH);
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("If-None-Match"), Some("\"d1\""));
    assert!(
        requests[0]
            .header("Accept")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(articles(&db).len(), 3);
}

#[test]
fn wordpress_archive_with_datetime_attributes() {
    let server = Server::start(|req| match req.route() {
        "/category/news/" => Reply::ok("text/html; charset=UTF-8", WORDPRESS),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let selectors = "item = \"article.post\"\nitem_title = \"h2.entry-title\"\n\
                     item_link = \"h2.entry-title a@href\"\nitem_date = \"time.entry-date@datetime\"\n\
                     item_summary = \".entry-summary\"\n";
    let config = page_config(&server.url("/category/news/"), selectors, "");
    let report = refresh(&config, &db)
        .remove(0)
        .expect("the archive is read");
    assert_eq!((report.new, report.notes.len()), (2, 0));
    let stored = articles(&db);
    let buyouts = find(&stored, "Worker buyouts – a toolkit");
    assert_eq!(
        buyouts.link.as_deref(),
        Some("https://example.coop/2021/03/05/worker-buyouts/")
    );
    // The published time, not the updated one, in UTC.
    assert_eq!(rfc3339(buyouts), "2021-03-05T08:30:00Z");
    assert_eq!(
        buyouts.text,
        "A practical guide for workers taking over their company.\u{a0}[…]"
    );
    let housing = find(&stored, "Housing co-ops in the recovery");
    assert_eq!(
        housing.link.as_deref(),
        Some(server.url("/2021/02/12/housing-coops/").as_str())
    );
    assert_eq!(rfc3339(housing), "2021-02-12T16:05:00Z");
    assert_eq!(
        stored[0].title, "Worker buyouts – a toolkit",
        "newest first"
    );
}

#[test]
fn changed_markup_is_a_clear_error_and_the_stored_items_stay() {
    let changed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&changed);
    let server = Server::start(move |req| match req.route() {
        LISTING_PATH if flag.load(std::sync::atomic::Ordering::SeqCst) => {
            Reply::ok("text/html", DRUPAL_CHANGED)
        }
        LISTING_PATH => Reply::ok("text/html", DRUPAL),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let url = server.url(LISTING_PATH);
    let config = page_config(&url, drupal_selectors(), "");
    assert_eq!(refresh(&config, &db)[0].as_ref().unwrap().new, 3);

    changed.store(true, std::sync::atomic::Ordering::SeqCst);
    let error = refresh(&config, &db).remove(0).unwrap_err();
    assert_eq!(
        error,
        format!(
            "the item selector `article.node--view-mode-teaser` matched nothing on {url} — the site may \
             have changed its markup; `coopnews check-page` helps fix the selectors"
        )
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.feed_statuses().unwrap()[0].last_error.as_deref(),
        Some(error.as_str())
    );
    assert_eq!(articles(&db).len(), 3);
}

#[test]
fn italian_latin1_listing_with_relative_links_and_italian_dates() {
    let server = Server::start(|req| match req.route() {
        // No charset in the header: the page's <meta http-equiv> says Latin-1.
        "/it/index.html" => Reply::ok("text/html", ITALIAN),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let selectors = "item = \".notizia\"\nitem_title = \"h4\"\nitem_link = \"h4 a\"\n\
                     item_date = \".data\"\nitem_summary = \".abstract\"\n";
    let config = page_config(&server.url("/it/index.html"), selectors, "");
    assert_eq!(refresh(&config, &db)[0].as_ref().unwrap().new, 3);
    let stored = articles(&db);
    let assembly = find(
        &stored,
        "Assemblea nazionale: le cooperative per la ripartenza",
    );
    assert_eq!(
        assembly.link.as_deref(),
        Some(server.url("/it/notizie/assemblea-nazionale.html").as_str())
    );
    assert_eq!(rfc3339(assembly), "2020-12-17T00:00:00Z");
    let welfare = find(&stored, "Più welfare nelle imprese cooperative");
    assert_eq!(
        welfare.link.as_deref(),
        Some(server.url("/archivio/welfare.html").as_str())
    );
    assert_eq!(rfc3339(welfare), "2021-09-03T10:15:00Z");
    let report = find(&stored, "Bilancio sociale 2021");
    assert_eq!(
        report.link.as_deref(),
        Some(server.url("/notizie/bilancio.html?id=7&lang=it").as_str())
    );
    assert_eq!(rfc3339(report), "2022-02-01T00:00:00Z");
}

#[test]
fn bad_selectors_fail_when_the_configuration_is_read() {
    let text = "[[feeds]]\npage = \"https://www.ilo.org/news\"\nitem = \"article\"\n\
                item_title = \"h3[\"\nitem_link = \"a\"\n";
    let error = Config::parse(text, "test.toml").unwrap_err().to_string();
    assert!(
        error.starts_with("test.toml:1:1: invalid selector `h3[` in item_title:"),
        "{error}"
    );
}

// --- The binary -------------------------------------------------------------------------

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn listing_server() -> Server {
    Server::start(|req| match req.route() {
        LISTING_PATH => Reply::ok("text/html", DRUPAL),
        "/it/index.html" => Reply::ok("text/html", ITALIAN),
        _ => Reply::status(404),
    })
}

#[test]
fn cli_refresh_then_list_json_shows_absolute_links_and_dates() {
    let server = listing_server();
    let s = setup(&format!(
        "[[feeds]]\npage = \"{}\"\ntitle = \"ILO\"\n{}",
        server.url(LISTING_PATH),
        drupal_selectors()
    ));
    let refresh = coopnews(&s, &["refresh"]);
    let log = text(&refresh.stderr);
    assert!(refresh.status.success(), "{log}");
    assert!(
        log.contains("ILO: 3 new (1 item without a title or link skipped)"),
        "{log}"
    );

    let list = coopnews(&s, &["list", "--json"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 3);
    let by_title = |title: &str| {
        items
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("{title}"))
    };
    let coops = by_title("Cooperatives key to decent work in the platform economy");
    assert_eq!(
        coops["link"],
        server.url("/resource/news/cooperatives-key-decent-work")
    );
    assert_eq!(coops["published"], "2017-03-16T00:00:00Z");
    assert_eq!(coops["feed"], "ILO");
    let sse = by_title("Social and solidarity economy: one year after the resolution");
    assert_eq!(
        sse["link"],
        server.url("/resource/news/social-economy-resolution")
    );
    assert_eq!(sse["published"], "2024-02-02T00:00:00Z");
}

#[test]
fn cli_check_page_prints_what_the_selectors_extract() {
    let server = listing_server();
    let s = setup("");
    let url = server.url("/it/index.html");
    let out = coopnews(
        &s,
        &[
            "check-page",
            &url,
            "--item",
            ".notizia",
            "--item-title",
            "h4",
            "--item-date",
            ".data",
            "--item-summary",
            "p",
        ],
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = format!(
        "Page: Notizie - Cooperative italiane\n\n\
         1. Assemblea nazionale: le cooperative per la ripartenza\n   link:    {}\n   \
         date:    2020-12-17 00:00 UTC (read from '17 Dicembre 2020')\n   \
         summary: Oltre 500 delegati hanno approvato il documento finale.\n",
        server.url("/it/notizie/assemblea-nazionale.html")
    );
    assert!(stdout.starts_with(&expected), "{stdout}");
    assert!(
        stdout.contains("2. Più welfare nelle imprese cooperative\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("3 items, 0 skipped (no title or link)\n"),
        "{stdout}"
    );
    assert!(
        !s.data.join("coopnews.db").exists(),
        "check-page stores nothing"
    );

    // Unreadable dates and skipped items are shown as such.
    let out = coopnews(
        &s,
        &[
            "check-page",
            &server.url(LISTING_PATH),
            "--item",
            "article",
            "--item-title",
            "h3",
            "--item-date",
            ".field--name-field-publication-date",
        ],
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("   date:    date not understood: 'Forthcoming'\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("3 items, 1 skipped (no title or link)\n"),
        "{stdout}"
    );

    // Markup that matches nothing fails with the explanation, exit status 1.
    let out = coopnews(
        &s,
        &[
            "check-page",
            &url,
            "--item",
            "article.gone",
            "--item-title",
            "h3",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the item selector `article.gone` matched nothing"),
        "{}",
        text(&out.stderr)
    );
    // Bad syntax is a usage error.
    let out = coopnews(
        &s,
        &["check-page", &url, "--item", "div >", "--item-title", "h3"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid selector `div >` in item:"),
        "{}",
        text(&out.stderr)
    );
}
