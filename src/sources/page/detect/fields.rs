//! What one news item shows: its title, link, date and teaser, read from the item's
//! element by the shapes listings use (a heading with a link, a card whose overlay link
//! carries the title, a `<time>`, a "date" class, a date line, a teaser paragraph).

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Node};
use url::Url;

use super::text::text_head;
pub use super::text::text_of;
use super::words::{is_item_furniture, is_read_more};
use crate::sources::page::{dates, extract};
use crate::text::clean_inline;

/// What an element's class words say it holds.
#[derive(Default, Clone, Copy)]
struct ClassWords {
    /// `title`, `headline`, `heading`.
    title: bool,
    /// `date`, `time`, `published`… (and `fecha`, `datum`).
    date: bool,
    /// `excerpt`, `summary`, `teaser`… (and `sommario`, `resumen`, `chapo`).
    summary: bool,
}

/// The class's words (split at anything not a letter or digit) read once, in any case.
fn class_words(el: ElementRef<'_>) -> ClassWords {
    let mut found = ClassWords::default();
    let Some(class) = super::attr(el, "class") else {
        return found;
    };
    // No word looked for has more than 11 letters.
    let mut lower = [0u8; 11];
    for word in class.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() || word.len() > lower.len() {
            continue;
        }
        let lower = &mut lower[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        match &*lower {
            b"title" | b"headline" | b"heading" => found.title = true,
            b"date" | b"time" | b"created" | b"published" | b"posted" | b"pubdate" | b"fecha"
            | b"datum" | b"dated" => found.date = true,
            b"excerpt" | b"summary" | b"teaser" | b"intro" | b"description" | b"desc"
            | b"abstract" | b"lead" | b"standfirst" | b"snippet" | b"sommario" | b"resumen"
            | b"chapo" | b"chapeau" => found.summary = true,
            _ => {}
        }
    }
    found
}

/// A date text longer than this is a sentence, not a date line.
const DATE_LINE_CHARS: usize = 60;

#[derive(Debug, Clone)]
pub struct Fields<'a> {
    pub title: Option<String>,
    /// The element the title was read from.
    pub title_el: Option<ElementRef<'a>>,
    /// Absolute http(s) address.
    pub link: Option<String>,
    /// [`Self::link`] parsed, for the checks on its site and folders.
    pub link_url: Option<Url>,
    pub link_el: Option<ElementRef<'a>>,
    pub date: Option<DateFound<'a>>,
    pub summary: Option<ElementRef<'a>>,
    /// A heading (`h1`–`h6` or a "title" class) names the item.
    pub has_heading: bool,
    /// Distinct links whose text reads like a title: more than one means the element holds
    /// several items (a row of cards), not one.
    pub titled_links: usize,
}

#[derive(Debug, Clone)]
pub struct DateFound<'a> {
    /// What was read, as the page wrote it.
    pub text: String,
    pub published: Option<DateTime<Utc>>,
    /// Where: None when the date came from the item's address.
    pub element: Option<ElementRef<'a>>,
    /// The attribute it was read from (`datetime`), or None for the element's text.
    pub attr: Option<&'static str>,
}

struct Anchor<'a> {
    el: ElementRef<'a>,
    href: String,
    url: Url,
    text: String,
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn inside(el: ElementRef<'_>, container: ElementRef<'_>) -> bool {
    el.id() == container.id() || el.ancestors().any(|a| a.id() == container.id())
}

/// Read one item. `now` is the fetch time, for relative dates.
pub fn read<'a>(item: ElementRef<'a>, base: &Url, now: Option<DateTime<Utc>>) -> Fields<'a> {
    let mut anchors: Vec<Anchor<'a>> = Vec::new();
    let mut headings: Vec<ElementRef<'a>> = Vec::new();
    let mut times: Vec<ElementRef<'a>> = Vec::new();
    let mut dated: Vec<ElementRef<'a>> = Vec::new();
    let mut teasers: Vec<ElementRef<'a>> = Vec::new();
    let mut paragraphs: Vec<ElementRef<'a>> = Vec::new();
    for node in item.descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        match name {
            "a" if !in_item_furniture(el, item) => {
                if let Some(url) = super::attr(el, "href")
                    .filter(|h| !h.trim_start().starts_with('#'))
                    .and_then(|h| extract::absolute_url(h, base, false))
                {
                    anchors.push(Anchor {
                        el,
                        href: clean_inline(url.as_str()),
                        url,
                        text: text_of(el),
                    });
                }
            }
            "time" => times.push(el),
            "p" => paragraphs.push(el),
            "script" | "style" | "noscript" | "template" => {}
            _ => {}
        }
        let words = class_words(el);
        if is_heading(name) || words.title {
            headings.push(el);
        } else if words.date {
            dated.push(el);
        }
        if words.summary {
            teasers.push(el);
        }
    }

    let titled_links = {
        let mut hrefs: Vec<&str> = anchors
            .iter()
            .filter(|a| {
                let words = a.text.split_whitespace().count();
                a.text.chars().count() >= 20 && words >= 3 && !is_read_more(&a.text)
            })
            .map(|a| a.href.as_str())
            .collect();
        hrefs.sort_unstable();
        hrefs.dedup();
        hrefs.len()
    };

    let heading = best_heading(&headings, &anchors);
    let has_heading = heading.is_some();
    let (title, title_el, link_el) = match heading {
        Some((h, text)) => {
            let link = anchors
                .iter()
                .find(|a| inside(a.el, h))
                .or_else(|| anchors.iter().find(|a| inside(h, a.el)))
                .or_else(|| {
                    anchors.iter().find(|a| {
                        a.text == text
                            || super::attr(a.el, "title").map(clean_inline).as_deref()
                                == Some(text.as_str())
                    })
                })
                .or_else(|| anchors.iter().find(|a| !is_read_more(&a.text)))
                .or_else(|| anchors.first());
            (Some(text), Some(h), link)
        }
        None => {
            let link = anchors
                .iter()
                .filter(|a| !is_read_more(&a.text) || labelled(a.el).is_some())
                .max_by_key(|a| (a.text.chars().count(), std::cmp::Reverse(a.el.id())));
            let title = link.and_then(|a| {
                if a.text.chars().count() >= 3 && !is_read_more(&a.text) {
                    Some(a.text.clone())
                } else {
                    labelled(a.el)
                }
            });
            (title, link.map(|a| a.el), link)
        }
    };
    let title = title.filter(|t| !t.is_empty());
    let link = link_el.map(|a| a.href.clone());
    let link_url = link_el.map(|a| a.url.clone());
    let link_el = link_el.map(|a| a.el);

    let date = read_date(item, &times, &dated, title_el, now).or_else(|| {
        let url = link.as_deref()?;
        let published = dates::from_url(url)?;
        Some(DateFound {
            text: url.to_string(),
            published: Some(published),
            element: None,
            attr: None,
        })
    });

    let summary = teasers
        .iter()
        .chain(&paragraphs)
        .copied()
        .find(|el| is_teaser(*el, title.as_deref(), title_el, date.as_ref()));

    Fields {
        has_heading,
        title,
        title_el,
        link,
        link_url,
        link_el,
        date,
        summary,
        titled_links,
    }
}

/// A share bar or a list of related links inside the item.
fn in_item_furniture(el: ElementRef<'_>, item: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take_while(|e| e.id() != item.id())
        .any(|e| super::attr(e, "class").is_some_and(is_item_furniture))
}

/// An image link's name: its `title`, `aria-label`, or its image's `alt`.
fn labelled(a: ElementRef<'_>) -> Option<String> {
    let own = ["title", "aria-label"].iter().find_map(|attr| {
        super::attr(a, attr)
            .map(clean_inline)
            .filter(|t| t.chars().count() >= 3)
    });
    own.or_else(|| {
        a.descendants()
            .filter_map(ElementRef::wrap)
            .find(|el| el.value().name() == "img")
            .and_then(|img| super::attr(img, "alt"))
            .map(clean_inline)
            .filter(|t| t.chars().count() >= 3)
    })
}

/// The heading that names the item: one that links (or sits in a link) before one that
/// does not, a real heading before a "title" class, a title-length text before a label.
fn best_heading<'a>(
    headings: &[ElementRef<'a>],
    anchors: &[Anchor<'a>],
) -> Option<(ElementRef<'a>, String)> {
    headings
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let text = text_of(*h);
            let chars = text.chars().count();
            if chars < 3 || (chars < DATE_LINE_CHARS && dates::parse(&text).is_some()) {
                return None;
            }
            let links = anchors.iter().any(|a| inside(a.el, *h) || inside(*h, a.el));
            let rank = (
                links,
                chars >= 12,
                is_heading(h.value().name()),
                std::cmp::Reverse(i),
            );
            Some((rank, *h, text))
        })
        .max_by_key(|(rank, _, _)| *rank)
        .map(|(_, h, text)| (h, text))
}

fn read_date<'a>(
    item: ElementRef<'a>,
    times: &[ElementRef<'a>],
    dated: &[ElementRef<'a>],
    title_el: Option<ElementRef<'a>>,
    now: Option<DateTime<Utc>>,
) -> Option<DateFound<'a>> {
    // `<time datetime>`: the attribute, else the text (a format no one reads, or none).
    for el in times {
        if let Some(value) = super::attr(*el, "datetime")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            && let Some(published) = dates::parse_at(value, now)
        {
            return Some(DateFound {
                text: value.to_string(),
                published: Some(published),
                element: Some(*el),
                attr: Some("datetime"),
            });
        }
        let text = text_of(*el);
        if let Some(published) = dates::parse_at(&text, now) {
            return Some(DateFound {
                text,
                published: Some(published),
                element: Some(*el),
                attr: None,
            });
        }
    }
    let outside_title = |el: ElementRef<'_>| title_el.is_none_or(|t| !inside(el, t));
    for el in dated.iter().filter(|el| outside_title(**el)) {
        let text = text_of(*el);
        if text.chars().count() <= DATE_LINE_CHARS * 2
            && let Some(published) = dates::parse_at(&text, now)
        {
            return Some(DateFound {
                text,
                published: Some(published),
                element: Some(*el),
                attr: None,
            });
        }
    }
    // A short line of text that is a date ("31 July 2026", "2 giorni fa").
    for node in item.descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let text = clean_inline(text);
        if text.is_empty() || text.chars().count() > DATE_LINE_CHARS {
            continue;
        }
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        if !outside_title(parent) {
            continue;
        }
        if let Some(published) = dates::parse_at(&text, now) {
            return Some(DateFound {
                text,
                published: Some(published),
                element: Some(parent),
                attr: None,
            });
        }
    }
    None
}

fn is_teaser(
    el: ElementRef<'_>,
    title: Option<&str>,
    title_el: Option<ElementRef<'_>>,
    date: Option<&DateFound<'_>>,
) -> bool {
    if let Some(t) = title_el
        && (inside(el, t) || inside(t, el))
    {
        return false;
    }
    if let Some(d) = date.and_then(|d| d.element)
        && inside(d, el)
        && text_of(d) == text_of(el)
    {
        return false;
    }
    // A teaser runs to hundreds of characters: its first ones settle the question when
    // they outrun the title and hold more letters than a "read more" phrase.
    let limit = title.map_or(0, |t| t.chars().count()) + 40;
    let (head, complete) = text_head(el, limit);
    if !complete
        && head
            .chars()
            .filter(|c| c.is_alphanumeric())
            .nth(20)
            .is_some()
    {
        return true;
    }
    let text = text_of(el);
    text.chars().count() >= 25 && Some(text.as_str()) != title && !is_read_more(&text)
}
