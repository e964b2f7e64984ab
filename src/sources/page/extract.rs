//! Readability-style extraction of an item page's main text, and the HTML cleaner shared
//! with summaries: only formatting tags survive, links become absolute, scripts, forms and
//! page furniture (nav, header, footer, aside) are dropped.

use std::collections::HashSet;

use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use crate::sources::feed::plain_text;

/// Elements whose whole subtree is never article text.
const DROP: [&str; 20] = [
    "nav", "header", "footer", "aside", "script", "style", "form", "noscript", "iframe", "button",
    "svg", "template", "select", "input", "textarea", "object", "embed", "canvas", "dialog",
    "menu",
];

/// Class or id words that mark furniture inside an article (share bars, breadcrumbs).
const DROP_HINTS: [&str; 5] = ["breadcrumb", "share", "social", "cookie", "related"];

/// Tags kept as they are; any other element is replaced by its children.
const KEEP: [&str; 32] = [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
];

const VOID: [&str; 3] = ["br", "hr", "img"];

/// A cleaned body: HTML for the reader, plain text for search and the CLI, its links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub html: String,
    pub text: String,
    pub links: Vec<String>,
}

/// The main text of an article page, or None when the page has no text at all.
pub fn main_text(document: &Html, base: &Url) -> Option<Body> {
    let body = best_container(document).map(|el| clean(el, base))?;
    (!body.text.is_empty()).then_some(body)
}

/// `<article>`, `<main>`, `[role=main]` in that order of preference (the one with the most
/// paragraph text when several match), else the element holding the most paragraph text.
fn best_container(document: &Html) -> Option<ElementRef<'_>> {
    for css in ["article", "main", "[role=main]"] {
        let Ok(selector) = Selector::parse(css) else {
            continue;
        };
        let best = document
            .select(&selector)
            .map(|el| (paragraph_chars(el), el))
            .filter(|(score, _)| *score > 0)
            .max_by_key(|(score, _)| *score);
        if let Some((_, el)) = best {
            return Some(el);
        }
    }
    let paragraphs = Selector::parse("p").ok()?;
    let mut scores = Vec::new();
    for p in document.select(&paragraphs) {
        let Some(parent) = p.parent() else { continue };
        let chars = text_chars(p);
        match scores.iter_mut().find(|(id, _)| *id == parent.id()) {
            Some((_, score)) => *score += chars,
            None => scores.push((parent.id(), chars)),
        }
    }
    let best = scores
        .into_iter()
        .filter(|(_, score)| *score > 0)
        .max_by_key(|(_, score)| *score)
        .and_then(|(id, _)| document.tree.get(id))
        .and_then(ElementRef::wrap);
    best.or_else(|| {
        let body = Selector::parse("body").ok()?;
        document.select(&body).next()
    })
}

fn paragraph_chars(el: ElementRef<'_>) -> usize {
    let Ok(paragraphs) = Selector::parse("p") else {
        return 0;
    };
    el.select(&paragraphs)
        .filter(|p| !p.ancestors().filter_map(ElementRef::wrap).any(dropped))
        .map(text_chars)
        .sum()
}

fn text_chars(el: ElementRef<'_>) -> usize {
    el.text().map(|t| t.trim().chars().count()).sum()
}

fn dropped(el: ElementRef<'_>) -> bool {
    let element = el.value();
    if DROP.contains(&element.name()) {
        return true;
    }
    let hinted = |value: Option<&str>| {
        value.is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.split(|c: char| c.is_ascii_whitespace() || c == '-' || c == '_')
                .any(|word| DROP_HINTS.contains(&word))
        })
    };
    hinted(element.attr("class")) || hinted(element.attr("id"))
}

/// The element's content as clean HTML with its plain text and absolute links.
pub fn clean(el: ElementRef<'_>, base: &Url) -> Body {
    let mut html = String::new();
    let mut links = Vec::new();
    let mut seen = HashSet::new();
    write_children(el, base, &mut html, &mut links, &mut seen);
    let text = plain_text(&html);
    Body { html, text, links }
}

fn write_children(
    el: ElementRef<'_>,
    base: &Url,
    out: &mut String,
    links: &mut Vec<String>,
    seen: &mut HashSet<String>,
) {
    for child in el.children() {
        if let Some(child) = ElementRef::wrap(child) {
            write_element(child, base, out, links, seen);
        } else if let Node::Text(text) = child.value() {
            escape_into(out, text, false);
        }
    }
}

fn write_element(
    el: ElementRef<'_>,
    base: &Url,
    out: &mut String,
    links: &mut Vec<String>,
    seen: &mut HashSet<String>,
) {
    if dropped(el) {
        return;
    }
    let name = el.value().name();
    let kept = KEEP.contains(&name);
    if kept {
        out.push('<');
        out.push_str(name);
        write_attrs(el, base, out, links, seen);
        out.push('>');
    }
    if VOID.contains(&name) {
        return;
    }
    write_children(el, base, out, links, seen);
    if kept {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    } else if !is_inline(name) {
        // An unwrapped block (a section, a span is inline) still separates words.
        out.push('\n');
    }
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "span" | "small" | "u" | "s" | "abbr" | "cite" | "time" | "mark" | "sub" | "sup" | "font"
    )
}

fn write_attrs(
    el: ElementRef<'_>,
    base: &Url,
    out: &mut String,
    links: &mut Vec<String>,
    seen: &mut HashSet<String>,
) {
    let element = el.value();
    let mut attr = |name: &str, value: &str| {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, value, true);
        out.push('"');
    };
    match element.name() {
        "a" => {
            if let Some(url) = element.attr("href").and_then(|h| absolute(h, base, true)) {
                attr("href", &url);
                if url.starts_with("http") && seen.insert(url.clone()) {
                    links.push(url);
                }
            }
        }
        "img" => {
            if let Some(url) = element.attr("src").and_then(|s| absolute(s, base, false)) {
                attr("src", &url);
            }
            if let Some(alt) = element.attr("alt") {
                attr("alt", alt);
            }
        }
        _ => {}
    }
}

/// `href` made absolute against `base`, if it is an http(s) (or, for links, mailto) address.
pub fn absolute(href: &str, base: &Url, mailto: bool) -> Option<String> {
    absolute_url(href, base, mailto).map(|url| crate::text::clean_inline(url.as_str()))
}

/// [`absolute`]'s address parsed, for a caller that reads its parts.
pub fn absolute_url(href: &str, base: &Url, mailto: bool) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = base.join(href).ok()?;
    let allowed = matches!(url.scheme(), "http" | "https") || (mailto && url.scheme() == "mailto");
    allowed.then_some(url)
}

fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c if crate::text::is_unsafe(c) && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><title>T</title><script>var x = "<p>no</p>";</script></head><body>
        <header><nav><a href="/">Home</a></nav></header>
        <div class="sidebar"><p>Short teaser of another story.</p></div>
        <article class="related"><p>Related story with a teaser.</p></article>
        <article class="node">
          <h1>Workers buy out their factory</h1>
          <div class="share-bar"><a href="https://social.example/share">Share</a></div>
          <p>The <strong>forty workers</strong> of the plant formed a cooperative.</p>
          <p>Read the <a href="/report.pdf">report</a> &amp; the <a href="javascript:alert(1)">bad</a> link.</p>
          <form><input name="q"></form>
          <footer>Posted in News</footer>
        </article>
        <footer><p>© ILO</p></footer></body></html>"#;

    #[test]
    fn picks_the_article_with_most_text_and_drops_furniture() {
        let document = Html::parse_document(PAGE);
        let base = Url::parse("https://example.org/news/item").unwrap();
        let body = main_text(&document, &base).unwrap();
        assert!(
            body.text.starts_with("Workers buy out their factory"),
            "{}",
            body.text
        );
        assert!(
            body.text
                .contains("The forty workers of the plant formed a cooperative.")
        );
        for gone in ["Home", "Share", "Posted in", "©", "Related", "var x"] {
            assert!(!body.text.contains(gone), "{gone} in {}", body.text);
        }
        assert!(
            body.html
                .contains(r#"<a href="https://example.org/report.pdf">report</a>"#),
            "{}",
            body.html
        );
        assert!(!body.html.contains("javascript"), "{}", body.html);
        assert_eq!(body.links, ["https://example.org/report.pdf"]);
    }

    #[test]
    fn without_article_the_densest_paragraphs_win() {
        let document = Html::parse_document(
            "<body><div id=menu><p>Menu</p></div><div id=c><p>First paragraph of the story.</p>\
             <p>Second \u{1b}[31mparagraph.</p></div></body>",
        );
        let base = Url::parse("https://example.org/").unwrap();
        let body = main_text(&document, &base).unwrap();
        assert_eq!(
            body.text,
            "First paragraph of the story.\n\nSecond [31mparagraph."
        );
    }

    #[test]
    fn an_empty_page_has_no_text() {
        let document = Html::parse_document("<html><body><nav>Menu</nav></body></html>");
        assert_eq!(
            main_text(&document, &Url::parse("https://e.org/").unwrap()),
            None
        );
    }
}
