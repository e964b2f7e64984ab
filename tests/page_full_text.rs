//! Page subscriptions with `full_text`: each new item's own page is read once, its article
//! kept (the teaser when the page fails), and no more than twenty pages a refresh.

mod common;

use common::pages::{LISTING_PATH, articles, drupal_selectors, find, page_config, rfc3339};
use common::refresh::refresh;
use common::server::{Reply, Server};

const DRUPAL: &[u8] = include_bytes!("fixtures/pages/drupal-listing.html");
const ITEM_PAGE: &[u8] = include_bytes!("fixtures/pages/item-page.html");

#[test]
fn full_text_reads_new_item_pages_once_and_keeps_teasers_on_failure() {
    // The third item links to www.ilo.org; keep the test on loopback.
    let listing = String::from_utf8(DRUPAL.to_vec())
        .unwrap()
        .replace("https://www.ilo.org/meetings/", "/meetings/");
    let server = Server::start(move |req| match req.route() {
        LISTING_PATH => Reply::ok("text/html", listing.as_bytes()),
        "/resource/news/cooperatives-key-decent-work" => {
            Reply::ok("text/html; charset=utf-8", ITEM_PAGE)
        }
        "/resource/news/social-economy-resolution" => Reply::status(500),
        "/meetings/coop-week" => Reply::ok(
            "text/html",
            "<main><p>Cooperatives week programme.</p></main>",
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let selectors = format!("{}full_text = true\n", drupal_selectors());
    let config = page_config(&server.url(LISTING_PATH), &selectors, "");

    let first = refresh(&config, &db)
        .remove(0)
        .expect("full-text refresh works");
    assert_eq!(first.new, 3);
    assert!(
        first
            .notes
            .iter()
            .any(|n| n.starts_with("1 item page kept its teaser (") && n.contains("HTTP 500")),
        "{:?}",
        first.notes
    );
    let stored = articles(&db);
    let coops = find(
        &stored,
        "Cooperatives key to decent work in the platform economy",
    );
    // The body is the article's prose: the reader shows the title above it already.
    assert!(
        coops
            .text
            .starts_with("GENEVA (ILO News) – Worker cooperatives"),
        "{}",
        coops.text
    );
    assert!(
        coops
            .text
            .contains("looks at forty cooperatives in twelve countries."),
        "{}",
        coops.text
    );
    assert!(
        coops
            .text
            .contains("Ownership changes the terms of the work"),
        "{}",
        coops.text
    );
    for furniture in [
        "Home",
        "Share",
        "Related news",
        "©",
        "Subscribe",
        "not text",
    ] {
        assert!(
            !coops.text.contains(furniture),
            "{furniture} in {}",
            coops.text
        );
    }
    assert_eq!(
        coops.links,
        [
            server.url("/resource/news/cooperatives-key-decent-work"),
            server.url("/publications/platform-coops")
        ]
    );
    assert_eq!(
        rfc3339(coops),
        "2017-03-16T00:00:00Z",
        "the listing's date stays"
    );
    let sse = find(
        &stored,
        "Social and solidarity economy: one year after the resolution",
    );
    assert_eq!(
        sse.text,
        "Member States report progress.\n\nSecond paragraph of the teaser."
    );
    assert_eq!(
        find(&stored, "Cooperatives week").text,
        "Cooperatives week programme."
    );

    // Stored items are neither fetched again nor overwritten with their teaser.
    let second = refresh(&config, &db)
        .remove(0)
        .expect("second refresh works");
    assert_eq!((second.new, second.updated), (0, 0));
    assert_eq!(
        server
            .requests_to("/resource/news/cooperatives-key-decent-work")
            .len(),
        1
    );
    assert_eq!(
        server
            .requests_to("/resource/news/social-economy-resolution")
            .len(),
        1
    );
    let again = articles(&db);
    assert_eq!(find(&again, &coops.title).text, coops.text);
}

#[test]
fn full_text_reads_at_most_twenty_item_pages_per_refresh() {
    let mut listing = String::from("<html><body>");
    for n in 1..=23 {
        listing.push_str(&format!(
            "<article><h3><a href=\"/item/{n}\">Item {n}</a></h3></article>"
        ));
    }
    let server = Server::start(move |req| match req.route() {
        "/news" if req.header("If-None-Match").is_some() => Reply::status(304),
        "/news" => Reply::ok("text/html", listing.as_bytes()).header("ETag", "\"n1\""),
        path if path.starts_with("/item/") => Reply::ok(
            "text/html",
            format!("<article><p>Body of {path}</p></article>"),
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let config = page_config(
        &server.url("/news"),
        "item = \"article\"\nitem_title = \"h3\"\nitem_link = \"a\"\nfull_text = true\n",
        "",
    );

    let first = refresh(&config, &db).remove(0).unwrap();
    assert_eq!(first.new, 20);
    assert_eq!(
        first.notes,
        ["3 more items will be read on the next refresh"]
    );
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.route().starts_with("/item/"))
            .count(),
        20
    );
    // The listing's validators were not kept, so the rest is not hidden behind a 304.
    let second = refresh(&config, &db).remove(0).unwrap();
    assert_eq!((second.new, second.not_modified), (3, false));
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.route().starts_with("/item/"))
            .count(),
        23
    );
    assert_eq!(find(&articles(&db), "Item 23").text, "Body of /item/23");
    assert!(refresh(&config, &db)[0].as_ref().unwrap().not_modified);
}
