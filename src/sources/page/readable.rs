//! The main text of an article page, for `full_text`: bytes in, a cleaned body out.
//!
//! The article is found by `dom_smoothie` (a port of Mozilla's Readability.js); what it
//! keeps that is not the article's prose is pruned (figures, image captions and credits,
//! lists that are all links: galleries, "related" and "more" blocks); the rest goes
//! through [`extract::clean`], the sanitiser every body passes, so only formatting tags,
//! absolute http(s) links and safe characters reach the reader. A page Readability cannot
//! read falls back to [`extract::main_text`]. `examples/eval_full_text.rs` scores this
//! function on a public benchmark.

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::extract::{self, Body};

/// Pages with more elements than this are left to the simpler extractor: Readability
/// scores every element, and a refresh must not stall on a giant page.
const MAX_ELEMENTS: usize = 50_000;

/// Pages nested deeper than this are left to the simpler extractor too.
const MAX_DEPTH: usize = 200;

/// The main text of the page at `page_url`, or None when it has none. `content_type` is
/// the HTTP header (its charset counts).
pub fn article_body(html: &[u8], content_type: Option<&str>, page_url: &Url) -> Option<Body> {
    let text = super::decode(html, content_type);
    let document = Html::parse_document(&text);
    if !nested_deeper_than(&document, MAX_DEPTH)
        && let Some(body) = readability(&text, page_url)
    {
        return Some(body);
    }
    extract::main_text(&document, page_url)
}

/// Whether any node sits more than `limit` elements deep. Readability's scoring slows down
/// sharply with depth (3,000 nested `div`s take seconds); real pages stay far below the limit.
fn nested_deeper_than(document: &Html, limit: usize) -> bool {
    document
        .tree
        .nodes()
        .filter(|node| !node.has_children())
        .any(|leaf| leaf.ancestors().nth(limit).is_some())
}

/// The extractor `full_text` used alone before: the `article`/`main` (else the block of
/// paragraphs) with the most text, furniture dropped. Kept as the fallback, and public so
/// the evaluation and the tests can compare.
pub fn previous_body(html: &[u8], content_type: Option<&str>, page_url: &Url) -> Option<Body> {
    densest_block(&super::decode(html, content_type), page_url)
}

fn densest_block(text: &str, page_url: &Url) -> Option<Body> {
    extract::main_text(&Html::parse_document(text), page_url)
}

fn readability(text: &str, page_url: &Url) -> Option<Body> {
    let config = dom_smoothie::Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    let mut reader =
        dom_smoothie::Readability::new(text, Some(page_url.as_str()), Some(config)).ok()?;
    let article = reader.parse().ok()?;
    let mut fragment = Html::parse_fragment(&article.content);
    prune(&mut fragment);
    let body = extract::clean(fragment.root_element(), page_url);
    (!body.text.is_empty()).then_some(body)
}

/// Drop figures and images (their captions, credits and alternative texts repeat or
/// annotate the prose) and lists made almost only of links.
fn prune(fragment: &mut Html) {
    let doomed: Vec<_> = fragment
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|el| match el.value().name() {
            "figure" | "figcaption" | "img" | "picture" => true,
            "ul" | "ol" => mostly_links(*el),
            _ => false,
        })
        .map(|el| el.id())
        .collect();
    for id in doomed {
        if let Some(mut node) = fragment.tree.get_mut(id) {
            node.detach();
        }
    }
}

/// At least four fifths of the list's text is link text.
fn mostly_links(list: ElementRef<'_>) -> bool {
    let chars = |el: ElementRef<'_>| -> usize { el.text().map(|t| t.trim().chars().count()).sum() };
    let Ok(links) = Selector::parse("a") else {
        return false;
    };
    let all = chars(list);
    let linked: usize = list.select(&links).map(chars).sum();
    all > 0 && linked * 5 >= all * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> Body {
        let url = Url::parse("https://coop.example/news/item").unwrap();
        article_body(html.as_bytes(), Some("text/html; charset=utf-8"), &url).unwrap()
    }

    #[test]
    fn captions_galleries_and_link_lists_are_pruned() {
        let prose = "Members of the cooperative voted to open a second bakery in the old \
                     station building, after a year of planning with the town council. ";
        let page = format!(
            "<html><body><nav><a href=/>Home</a></nav><article><h1>Bakery</h1>\
             <p>{prose}{prose}</p>\
             <figure><img src=/a.jpg alt=\"The bakery\"><figcaption>Photo: the bakery</figcaption></figure>\
             <p>{prose}</p><p>Read the <a href=/plan>plan</a> and the \u{1b}[31mnotes.</p>\
             <ul><li><a href=/x>Another story</a></li><li><a href=/y>And another</a></li></ul>\
             </article><footer>© Coop</footer></body></html>"
        );
        let body = body(&page);
        assert!(
            body.text.contains("second bakery in the old station"),
            "{}",
            body.text
        );
        for gone in [
            "Home",
            "Photo:",
            "The bakery",
            "Another story",
            "©",
            "\u{1b}",
        ] {
            assert!(!body.text.contains(gone), "{gone} in {}", body.text);
        }
        assert!(
            body.html
                .contains(r#"<a href="https://coop.example/plan">plan</a>"#),
            "{}",
            body.html
        );
        assert!(!body.html.contains("<img"), "{}", body.html);
    }

    #[test]
    fn odd_pages_do_not_panic() {
        let url = Url::parse("https://coop.example/").unwrap();
        for page in [
            &b""[..],
            b"<p>",
            b"<html><body><nav>Menu</nav></body></html>",
        ] {
            assert_eq!(article_body(page, None, &url), None);
        }
        // A UTF-16 byte-order mark before bytes that are not UTF-16: decoded, not a panic.
        let _ = article_body(b"\xff\xfe\x00garbage", None, &url);
        // Too deep for Readability: the simpler extractor reads it, without a stall.
        let deep = format!("{}<p>Deep text.</p>", "<div>".repeat(3000));
        assert_eq!(
            article_body(deep.as_bytes(), None, &url).unwrap().text,
            "Deep text."
        );
    }

    #[test]
    fn a_page_readability_cannot_read_falls_back() {
        assert_eq!(
            body("<main><p>Short notice.</p></main>").text,
            "Short notice."
        );
    }
}
