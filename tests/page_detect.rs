//! Page items found without selectors, on listings modelled on real sites (see
//! `fixtures/pages/listings/README.md`): every expected item, in page order, with its
//! title, link and day; selectors that override detection; the selectors `check` suggests
//! pick the same items.

mod common;

use common::listings::{self, Entry, Listing};
use coopnews::model::PageSpec;
use coopnews::sources::page;

fn show(entries: &[Entry]) -> String {
    entries
        .iter()
        .map(|e| format!("  {:?} | {} | {:?}\n", e.title, e.link, e.date))
        .collect()
}

fn assert_detects(listing: &Listing) {
    let found = listings::detect(listing).unwrap_or_else(|e| panic!("{}: {e}", listing.name));
    assert!(
        found == listing.expected,
        "{}: found\n{}expected\n{}",
        listing.name,
        show(&found),
        show(&listing.expected)
    );
}

#[test]
fn wordpress_archive() {
    assert_detects(&listings::load("wordpress"));
}

#[test]
fn drupal_views_rows() {
    assert_detects(&listings::load("drupal-views"));
}

#[test]
fn ilo_cards_with_unix_dates_and_promotions_left_out() {
    assert_detects(&listings::load("ilo-cards"));
}

#[test]
fn italian_dates_in_an_elementor_grid() {
    assert_detects(&listings::load("italian-elementor"));
}

#[test]
fn listing_without_dates() {
    assert_detects(&listings::load("no-dates"));
}

#[test]
fn promotional_cards_and_share_buttons_left_out() {
    assert_detects(&listings::load("promo-cards"));
}

#[test]
fn plain_list_entries_with_a_date_beside_them() {
    assert_detects(&listings::load("plain-list"));
}

#[test]
fn custom_markup_with_a_date_line_and_read_more() {
    assert_detects(&listings::load("cecop-custom"));
}

#[test]
fn unix_timestamps_in_seconds_and_milliseconds() {
    assert_detects(&listings::load("unix-timestamps"));
}

#[test]
fn unreadable_datetime_attribute_falls_back_to_the_text() {
    assert_detects(&listings::load("unreadable-attribute"));
}

#[test]
fn dates_only_in_the_addresses() {
    assert_detects(&listings::load("url-dates"));
}

#[test]
fn relative_dates_against_the_fetch_time() {
    assert_detects(&listings::load("relative-dates"));
}

#[test]
fn every_fixture_has_an_expectation() {
    let all = listings::all();
    assert!(all.len() >= 12, "{} fixtures", all.len());
    for listing in &all {
        assert!(!listing.expected.is_empty(), "{}", listing.name);
    }
}

/// The selectors detection suggests (as `coopnews check` prints them) read the same items.
#[test]
fn suggested_selectors_reproduce_the_items() {
    for listing in listings::all() {
        let detected = page::extract_at(
            &listing.html,
            None,
            &page::detected_spec(listing.url.as_str()),
            &listing.url,
            Some(listing.now),
        )
        .unwrap();
        let s = detected.detected.clone().expect("detected");
        let spec = PageSpec {
            url: listing.url.to_string(),
            item: Some(s.item.clone()),
            item_title: s.item_title.clone(),
            item_link: s.item_link.clone(),
            item_date: s.item_date.clone(),
            item_summary: s.item_summary.clone(),
            full_text: false,
        };
        let selected =
            page::extract_at(&listing.html, None, &spec, &listing.url, Some(listing.now))
                .unwrap_or_else(|e| panic!("{}: {s:?}: {e}", listing.name));
        let key = |e: &page::PageExtract| -> Vec<(String, Option<String>, Option<String>)> {
            e.items
                .iter()
                .map(|i| {
                    (
                        i.article.title.clone(),
                        i.article.link.clone(),
                        i.article.published.map(|d| d.to_rfc3339()),
                    )
                })
                .collect()
        };
        // Promotions are left out by detection only; the selectors pick every card.
        let mut picked = key(&selected);
        let wanted = key(&detected);
        picked.retain(|p| wanted.iter().any(|w| w.1 == p.1));
        assert_eq!(picked, wanted, "{}: {s:?}", listing.name);
    }
}

/// Each selector given wins over detection: here the title comes from the eyebrow.
#[test]
fn a_given_selector_overrides_what_detection_reads() {
    let listing = listings::load("ilo-cards");
    let mut spec = page::detected_spec(listing.url.as_str());
    spec.item = Some("div.ilo--card".into());
    spec.item_title = Some("p.ilo--card--eyebrow".into());
    spec.item_date = Some("time@datetime".into());
    let extract =
        page::extract_at(&listing.html, None, &spec, &listing.url, Some(listing.now)).unwrap();
    let first = &extract.items[0].article;
    assert_eq!(first.title, "News");
    assert_eq!(
        first.link.as_deref(),
        Some("https://www.ilo.org/resource/news/global-unemployment-holds-steady")
    );
    assert_eq!(
        first.published.map(|d| d.to_rfc3339()),
        Some("2026-07-31T12:00:00+00:00".into())
    );
    // With selectors, promotions are the user's call: all nine cards are items.
    assert_eq!(extract.items.len(), 9);
}

/// `time@datetime` whose attribute no one can read: the element's text is the date.
#[test]
fn an_unreadable_attribute_selector_reads_the_text() {
    let listing = listings::load("unreadable-attribute");
    let mut spec = page::detected_spec(listing.url.as_str());
    spec.item = Some("article.teaser".into());
    spec.item_date = Some("time@datetime".into());
    let extract = page::extract(&listing.html, None, &spec, &listing.url).unwrap();
    let days: Vec<String> = extract
        .items
        .iter()
        .map(|i| i.article.published.unwrap().format("%Y-%m-%d").to_string())
        .collect();
    assert_eq!(days, ["2025-03-05", "2025-02-27", "2025-02-14"]);
    assert_eq!(extract.items[0].date_text.as_deref(), Some("5 March 2025"));
}

#[test]
fn a_page_without_a_news_list_is_a_clear_error() {
    let url = url::Url::parse("https://example.org/about").unwrap();
    let html = b"<html><body><h1>About us</h1><p>We are a cooperative.</p>\
        <nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/contact\">Contact</a></li></ul></nav></body></html>";
    let err = page::extract(html, None, &page::detected_spec(url.as_str()), &url).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no news items found on https://example.org/about"),
        "{err}"
    );
}
