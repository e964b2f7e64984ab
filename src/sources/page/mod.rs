//! News listing pages, for sites without a feed: the items are found by [`detect`]ion or
//! by CSS selectors (each selector given overrides detection); one article per item, its
//! id from its link; optionally each new item's own page as the body.
//!
//! [`extract`] is pure (bytes in, articles out) so `coopnews check` and tests use it
//! directly; [`fetch`] adds the conditional GET and the item pages.

pub mod dates;
pub mod detect;
pub mod extract;
mod full_text;
pub mod readable;
pub mod select;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use scraper::{Html, Selector};
use url::Url;

use super::FetchError;
use super::fetch::{Context, Fetched, Outcome, Prior};
use crate::model::{Article, FeedMeta, PageSpec, ParsedFeed};
use crate::text::clean_inline;
use select::Selectors;

pub const ACCEPT_HTML: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

/// What the selectors found on one listing page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageExtract {
    pub meta: FeedMeta,
    /// The items that became articles, in page order.
    pub items: Vec<Item>,
    /// Items without a title or an http(s) link.
    pub skipped: usize,
    /// Items whose link an earlier item already had (a featured story shown twice).
    pub duplicates: usize,
    /// Detection's cards left out as promotions.
    pub promotions: usize,
    /// How the items were found: None by the `item` selector; with detection, selectors
    /// that pick the same items.
    pub detected: Option<detect::Suggested>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    pub article: Article,
    /// The date as the page wrote it, when `item_date` found one; `article.published` is
    /// None if it could not be read.
    pub date_text: Option<String>,
}

impl PageExtract {
    /// The notes worth showing after a refresh.
    pub fn notes(&self) -> Vec<String> {
        match self.skipped {
            0 => Vec::new(),
            1 => vec!["1 item without a title or link skipped".into()],
            n => vec![format!("{n} items without a title or link skipped")],
        }
    }

    pub fn into_parsed(self) -> ParsedFeed {
        ParsedFeed {
            meta: self.meta,
            articles: self.items.into_iter().map(|i| i.article).collect(),
        }
    }
}

/// Check a subscription's selectors without fetching anything.
pub fn validate(spec: &PageSpec) -> Result<(), FetchError> {
    Selectors::compile(spec).map(|_| ())
}

/// Refresh one page subscription: a conditional GET of the listing, its items as
/// articles, and with `full_text` the main text of new items' own pages.
pub async fn fetch(
    ctx: &Context<'_>,
    spec: &PageSpec,
    prior: &Prior,
) -> Result<Outcome, FetchError> {
    // Bad selectors fail before any request: the site is not asked for nothing.
    let selectors = Selectors::compile(spec)?;
    let url = Url::parse(&spec.url)
        .map_err(|e| FetchError::Page(format!("invalid address {}: {e}", spec.url)))?;
    let response = ctx
        .http
        .get(&url, ACCEPT_HTML, Some(&prior.validators))
        .await?;
    if response.not_modified() {
        return Ok(Outcome::NotModified);
    }
    let extract = extract_with(
        &response.body,
        response.content_type.as_deref(),
        &selectors,
        &response.url,
        &spec.url,
        Some(ctx.now),
    )?;
    let mut notes = extract.notes();
    let mut validators = response.validators;
    // Its selectors can change while the page stays the same: only the server's own
    // validators stand for it, and a page is read again whenever they do not.
    validators.digest = None;
    let mut parsed = extract.into_parsed();
    let mut still_listed = Vec::new();
    if spec.full_text {
        still_listed = parsed
            .articles
            .iter()
            .filter(|a| prior.known_guids.contains(&a.guid))
            .map(|a| a.guid.clone())
            .collect();
        let left = full_text::fill(ctx, &mut parsed.articles, &prior.known_guids, &mut notes).await;
        if left > 0 {
            // Items left for later are only seen again if the listing is fetched in full.
            validators = Default::default();
        }
    }
    Ok(Outcome::Fetched(Fetched {
        parsed,
        validators,
        resolved: None,
        notes,
        still_listed,
    }))
}

/// The articles of a listing page. `content_type` is the HTTP header (its charset counts);
/// `page_url` is where the page was served from, against which links resolve.
pub fn extract(
    html: &[u8],
    content_type: Option<&str>,
    spec: &PageSpec,
    page_url: &Url,
) -> Result<PageExtract, FetchError> {
    extract_at(html, content_type, spec, page_url, None)
}

/// [`extract`], with the fetch time for relative dates ("2 days ago").
pub fn extract_at(
    html: &[u8],
    content_type: Option<&str>,
    spec: &PageSpec,
    page_url: &Url,
    now: Option<DateTime<Utc>>,
) -> Result<PageExtract, FetchError> {
    let selectors = Selectors::compile(spec)?;
    extract_with(html, content_type, &selectors, page_url, &spec.url, now)
}

/// A page subscription that detects its items: what a feed subscription falls back to.
pub fn detected_spec(url: &str) -> PageSpec {
    PageSpec {
        url: url.to_string(),
        item: None,
        item_title: None,
        item_link: None,
        item_date: None,
        item_summary: None,
        full_text: false,
    }
}

fn extract_with(
    html: &[u8],
    content_type: Option<&str>,
    selectors: &Selectors,
    page_url: &Url,
    configured: &str,
    now: Option<DateTime<Utc>>,
) -> Result<PageExtract, FetchError> {
    let text = decode(html, content_type);
    let document = Html::parse_document(&text);
    let base = base_url(&document, page_url);
    let mut out = PageExtract {
        meta: FeedMeta {
            title: select_first(&document, "title")
                .map(|t| clean_inline(&t.text().collect::<String>()))
                .filter(|t| !t.is_empty()),
            site_link: Some(configured.to_string()),
            language: select_first(&document, "html")
                .and_then(|h| h.value().attr("lang"))
                .map(clean_inline)
                .filter(|l| !l.is_empty()),
        },
        ..Default::default()
    };
    // The items: what the `item` selector matches, else what detection finds.
    let (found, detected) = match &selectors.item {
        Some(item) => {
            let found: Vec<_> = document
                .select(item)
                .map(|el| (el, detect::fields::read(el, &base, now)))
                .collect();
            (found, None)
        }
        None => match detect::detect(&document, &base, now) {
            Some(d) => {
                out.promotions = d.promotions;
                (d.items, Some(d.selectors))
            }
            None => (Vec::new(), None),
        },
    };
    let matched = found.len();
    out.detected = detected;
    let mut seen = HashSet::new();
    for (element, fields) in found {
        // Each selector given wins over what detection read.
        let title = match &selectors.title {
            Some(pick) => pick.value(element, false),
            None => fields.title,
        }
        .map(|t| clean_inline(&t))
        .filter(|t| !t.is_empty());
        let link = match &selectors.link {
            Some(pick) => pick
                .href(element)
                .and_then(|href| extract::absolute(&href, &base, false)),
            None => fields.link,
        };
        let (Some(title), Some(link)) = (title, link) else {
            out.skipped += 1;
            continue;
        };
        if !seen.insert(link.clone()) {
            out.duplicates += 1;
            continue;
        }
        let (date_text, published) = match &selectors.date {
            Some(pick) => pick
                .date(element, now)
                .map_or((None, None), |(text, date)| {
                    (Some(clean_inline(&text)), date)
                }),
            None => fields
                .date
                .map_or((None, None), |d| (Some(clean_inline(&d.text)), d.published)),
        };
        let summary = match &selectors.summary {
            Some(pick) => pick.first(element),
            None => fields.summary,
        }
        .map(|s| extract::clean(s, &base))
        .filter(|body| !body.text.is_empty());
        let (html, text) = match summary {
            Some(body) => (Some(body.html), body.text),
            None => (None, String::new()),
        };
        out.items.push(Item {
            article: Article {
                guid: link.clone(),
                title,
                published,
                html,
                text,
                links: vec![link.clone()],
                link: Some(link),
                author: None,
                language: out.meta.language.clone(),
                engagement: None,
            },
            date_text,
        });
    }
    let Some(item_source) = &selectors.item_source else {
        if out.items.is_empty() {
            return Err(FetchError::Page(format!(
                "no news items found on {page_url}: no repeated group of titled links looks \
                 like a news list; `coopnews check {page_url}` shows what the page holds, and \
                 `item` selectors can name the items"
            )));
        }
        return Ok(out);
    };
    if matched == 0 {
        return Err(FetchError::Page(format!(
            "the item selector `{item_source}` matched nothing on {page_url} — the site may have changed its \
             markup; `coopnews check-page` helps fix the selectors"
        )));
    }
    if out.items.is_empty() {
        return Err(FetchError::Page(format!(
            "the item selector `{item_source}` matched {matched} elements on {page_url}, but none had both a \
             title and a link — the site may have changed its markup; `coopnews check-page` helps \
             fix the selectors"
        )));
    }
    Ok(out)
}

/// The page's text: a charset from the header, else from `<meta charset>` or
/// `<meta http-equiv=Content-Type>`, else UTF-8 (invalid bytes replaced).
fn decode<'a>(html: &'a [u8], content_type: Option<&str>) -> std::borrow::Cow<'a, str> {
    let declared = content_type
        .and_then(super::encoding::http_charset)
        .map(str::to_string)
        .or_else(|| meta_charset(html));
    match declared.and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes())) {
        // `decode` lets a byte-order mark override the label, as browsers do.
        Some(encoding) => encoding.decode(html).0,
        None => encoding_rs::UTF_8.decode(html).0,
    }
}

/// The charset a page declares in its first 4 KiB, as browsers look for it.
fn meta_charset(html: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&html[..html.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(pos) = tag.find("charset") {
            let value = tag[pos + 7..].trim_start().strip_prefix('=')?.trim_start();
            let value = value.trim_start_matches(['"', '\'']);
            let end = value
                .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
                .unwrap_or(value.len());
            let label = &value[..end];
            if !label.is_empty() {
                return Some(label.to_string());
            }
        }
    }
    None
}

fn select_first<'a>(document: &'a Html, css: &str) -> Option<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).ok()?;
    document.select(&selector).next()
}

/// Links resolve against `<base href>` when the page has one.
fn base_url(document: &Html, page_url: &Url) -> Url {
    select_first(document, "base[href]")
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone())
}

#[cfg(test)]
mod tests;
