//! Listing extraction on small inline pages: selectors, links, dates, errors, encodings.

use super::*;

fn spec(
    item: &str,
    title: &str,
    link: &str,
    date: Option<&str>,
    summary: Option<&str>,
) -> PageSpec {
    PageSpec {
        url: "https://example.org/news/".into(),
        item: Some(item.into()),
        item_title: Some(title.into()),
        item_link: Some(link.into()),
        item_date: date.map(Into::into),
        item_summary: summary.map(Into::into),
        full_text: false,
    }
}

fn page_url() -> Url {
    Url::parse("https://example.org/news/").unwrap()
}

const LISTING: &str = r#"<html lang="en"><head><title> News
 | Example </title></head><body>
<div class="item"><span class="date">16 March 2017</span><h3><a href="one">First &amp; best</a></h3>
  <p class="teaser">Teaser <b>one</b>.</p></div>
<div class="item"><span class="date">someday</span><h3><a href="/two">Second</a></h3></div>
<div class="item"><h3>No link here</h3></div>
<div class="item"><h3><a href="javascript:void(0)">Script link</a></h3></div>
<div class="item"><h3><a href="one">Repeated first</a></h3></div>
</body></html>"#;

#[test]
fn items_become_articles_with_absolute_links() {
    let s = spec(
        "div.item",
        "h3",
        "h3 a@href",
        Some("span.date"),
        Some("p.teaser"),
    );
    let got = extract(LISTING.as_bytes(), None, &s, &page_url()).unwrap();
    assert_eq!(got.meta.title.as_deref(), Some("News | Example"));
    assert_eq!(
        got.meta.site_link.as_deref(),
        Some("https://example.org/news/")
    );
    assert_eq!((got.skipped, got.duplicates), (2, 1));
    assert_eq!(got.notes(), ["2 items without a title or link skipped"]);
    let first = &got.items[0].article;
    assert_eq!(first.guid, "https://example.org/news/one");
    assert_eq!(first.title, "First & best");
    assert_eq!(first.link.as_deref(), Some("https://example.org/news/one"));
    assert_eq!(first.links, ["https://example.org/news/one"]);
    assert_eq!(first.text, "Teaser one.");
    assert_eq!(first.html.as_deref(), Some("Teaser <b>one</b>."));
    assert_eq!(first.language.as_deref(), Some("en"));
    assert_eq!(
        first.published.unwrap().to_rfc3339(),
        "2017-03-16T00:00:00+00:00"
    );
    let second = &got.items[1];
    assert_eq!(
        second.article.link.as_deref(),
        Some("https://example.org/two")
    );
    assert_eq!(second.article.published, None);
    assert_eq!(second.date_text.as_deref(), Some("someday"));
    assert_eq!(second.article.html, None);
}

#[test]
fn nothing_matched_is_a_clear_error() {
    let s = spec("article.news", "h3", "a@href", None, None);
    let err = extract(LISTING.as_bytes(), None, &s, &page_url()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the item selector `article.news` matched nothing on https://example.org/news/ — the site \
         may have changed its markup; `coopnews check-page` helps fix the selectors"
    );
    let s = spec("div.item", "h4", "a@href", None, None);
    let err = extract(LISTING.as_bytes(), None, &s, &page_url()).unwrap_err();
    assert!(err.to_string().contains("matched 5 elements"), "{err}");
}

#[test]
fn base_href_and_charsets_are_honoured() {
    let mut page = b"<html><head><meta charset=\"windows-1252\"><base href=\"https://cdn.example.org/it/\">\
        </head><body><article><h2><a href=\"notizia\">Perch\xe9 cooperare</a></h2></article></body></html>"
        .to_vec();
    let s = spec("article", "h2", "a", None, None);
    let got = extract(&page, None, &s, &page_url()).unwrap();
    assert_eq!(got.items[0].article.title, "Perché cooperare");
    assert_eq!(
        got.items[0].article.guid,
        "https://cdn.example.org/it/notizia"
    );
    // The header wins over the page's own declaration.
    page = "<article><h2><a href=/a>Perché</a></h2></article>"
        .as_bytes()
        .to_vec();
    let got = extract(&page, Some("text/html; charset=utf-8"), &s, &page_url()).unwrap();
    assert_eq!(got.items[0].article.title, "Perché");
}

#[test]
fn control_characters_never_survive() {
    let page = "<article><h2><a href=/a>Evil\u{1b}]0;title\u{7} \u{202e}news</a></h2><p>x\u{9b}y</p></article>";
    let s = spec("article", "h2", "a", None, Some("p"));
    let got = extract(page.as_bytes(), None, &s, &page_url()).unwrap();
    let a = &got.items[0].article;
    assert_eq!(a.title, "Evil]0;title news");
    assert_eq!(a.text, "xy");
}
