//! Feed subscriptions: fetch the address; when it is a web page, find the site's feed;
//! when the site has none, read the page's news items by detection, so a `url`
//! subscription never ends at "no feed". What was found is remembered: the feed's
//! address, or [`PAGE_ROUTE`] for a page read directly.

mod candidates;

use url::Url;

use super::fetch::{Context, Fetched, Outcome, Prior};
use super::http::{Http, Response, Validators};
use super::{FetchError, feed, page};
use crate::model::ParsedFeed;
pub use candidates::{Why, candidates, feed_links};

pub const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, \
     text/html;q=0.5, */*;q=0.1";

/// What the store remembers (as `resolved`) of a `url` subscription whose site has no feed:
/// its page is read by detection.
pub const PAGE_ROUTE: &str = "page (detected)";

pub async fn fetch_feed(
    ctx: &Context<'_>,
    url: &str,
    prior: &Prior,
) -> Result<Outcome, FetchError> {
    let configured =
        Url::parse(url).map_err(|e| FetchError::Network(format!("invalid address {url}: {e}")))?;
    if prior.resolved.as_deref() == Some(PAGE_ROUTE) {
        // No feed last time: the page itself, conditionally; only a feed the page now
        // announces or links to is looked for, the usual paths are not probed again.
        let response = ctx
            .http
            .get(&configured, ACCEPT_FEED, Some(&prior.validators))
            .await?;
        if response.unchanged_since(&prior.validators) {
            return Ok(Outcome::NotModified);
        }
        return parse_or_discover(ctx, &configured, response, false).await;
    }
    let remembered = prior
        .resolved
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .filter(|u| *u != configured);
    if let Some(target) = remembered {
        match ctx
            .http
            .get(&target, ACCEPT_FEED, Some(&prior.validators))
            .await
        {
            Ok(r) if r.unchanged_since(&prior.validators) => return Ok(Outcome::NotModified),
            Ok(r) => match feed::read(&r.body, r.content_type.as_deref(), &r.url) {
                Ok(document) => {
                    drop(r.body);
                    let parsed = document.into_parsed(&r.url);
                    return Ok(fetched(parsed, r.validators, Some(target)));
                }
                // The remembered feed became a page: discover again from the start.
                Err(FetchError::NotAFeed(_)) => {}
                Err(e) => return Err(e),
            },
            // The remembered feed moved away: discover again from the configured page.
            Err(FetchError::Status {
                code: 404 | 410, ..
            }) => {}
            Err(e) => return Err(e),
        }
        let response = ctx.http.get(&configured, ACCEPT_FEED, None).await?;
        return parse_or_discover(ctx, &configured, response, true).await;
    }
    let response = ctx
        .http
        .get(&configured, ACCEPT_FEED, Some(&prior.validators))
        .await?;
    if response.unchanged_since(&prior.validators) {
        return Ok(Outcome::NotModified);
    }
    parse_or_discover(ctx, &configured, response, true).await
}

async fn parse_or_discover(
    ctx: &Context<'_>,
    configured: &Url,
    response: Response,
    probe: bool,
) -> Result<Outcome, FetchError> {
    match feed::read(
        &response.body,
        response.content_type.as_deref(),
        &response.url,
    ) {
        Ok(document) => {
            drop(response.body);
            let parsed = document.into_parsed(&response.url);
            // A redirect to the feed is worth remembering like a discovered one.
            let resolved = (response.url != *configured).then(|| response.url.clone());
            Ok(fetched(parsed, response.validators, resolved))
        }
        Err(FetchError::NotAFeed(_)) => {
            let search = search(ctx.http, &response, probe).await?;
            match search.found {
                Some(found) => Ok(fetched(found.parsed, found.validators, Some(found.url))),
                None => read_page(configured, response, ctx, search),
            }
        }
        Err(e) => Err(e),
    }
}

/// One address discovery tried, and what it answered.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tried {
    pub url: String,
    pub why: Why,
    /// `feed`, `not a feed`, or the error.
    pub result: String,
}

pub struct FoundFeed {
    pub url: Url,
    pub parsed: ParsedFeed,
    pub validators: Validators,
}

pub struct Search {
    pub found: Option<FoundFeed>,
    pub tried: Vec<Tried>,
    last_parse_error: Option<FetchError>,
}

/// Try the page's candidates (without the usual paths unless `probe`) until one is a feed.
/// A timeout or a rate limit ends the search: the site is not asked again now.
pub async fn search(http: &Http, page: &Response, probe: bool) -> Result<Search, FetchError> {
    let mut list = candidates(&page.body, &page.url);
    if !probe {
        list.retain(|(_, why)| *why != Why::Probed);
    }
    let mut tried = Vec::new();
    let mut last_parse_error = None;
    for (candidate, why) in list {
        let note = |result: String| Tried {
            url: candidate.to_string(),
            why,
            result,
        };
        let response = match http.get(&candidate, ACCEPT_FEED, None).await {
            Ok(r) => r,
            Err(e @ (FetchError::Timeout(_) | FetchError::RateLimited { .. })) => return Err(e),
            Err(e) => {
                tried.push(note(e.to_string()));
                continue;
            }
        };
        match feed::parse(
            &response.body,
            response.content_type.as_deref(),
            &response.url,
        ) {
            Ok(parsed) => {
                tried.push(note("feed".into()));
                return Ok(Search {
                    found: Some(FoundFeed {
                        url: response.url,
                        parsed,
                        validators: response.validators,
                    }),
                    tried,
                    last_parse_error,
                });
            }
            Err(FetchError::NotAFeed(_)) => tried.push(note("not a feed".into())),
            Err(e) => {
                tried.push(note(e.to_string()));
                last_parse_error = Some(e);
            }
        }
    }
    Ok(Search {
        found: None,
        tried,
        last_parse_error,
    })
}

/// An HTML answer (by its type, or by its first byte when it has none).
pub fn is_html(response: &Response) -> bool {
    match response.content_type.as_deref() {
        Some(kind) => kind.to_ascii_lowercase().contains("html"),
        None => response
            .body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'<'),
    }
}

/// No feed anywhere: the page's own news items, found by detection.
fn read_page(
    configured: &Url,
    page: Response,
    ctx: &Context<'_>,
    search: Search,
) -> Result<Outcome, FetchError> {
    let no_feed = |search: Search, page_note: &str| {
        search.last_parse_error.unwrap_or_else(|| {
            FetchError::NoFeedFound(format!(
                "{configured}: tried {} addresses{}, {page_note}",
                search.tried.len(),
                tried_sample(&search.tried),
            ))
        })
    };
    if !is_html(&page) {
        return Err(no_feed(search, "and the address is not a web page"));
    }
    let spec = page::detected_spec(configured.as_str());
    match page::extract_at(
        &page.body,
        page.content_type.as_deref(),
        &spec,
        &page.url,
        Some(ctx.now),
    ) {
        Ok(extract) => {
            let notes = extract.notes();
            Ok(Outcome::Fetched(Fetched {
                parsed: extract.into_parsed(),
                validators: page.validators,
                resolved: Some(PAGE_ROUTE.into()),
                notes,
                ..Default::default()
            }))
        }
        Err(_) => Err(no_feed(
            search,
            "and the page shows no list of news items; `coopnews check` shows what it holds",
        )),
    }
}

/// ` (/feed/, /rss.xml, …)`: the paths of the first few addresses tried.
fn tried_sample(tried: &[Tried]) -> String {
    if tried.is_empty() {
        return String::new();
    }
    let paths: Vec<String> = tried
        .iter()
        .take(4)
        .map(|t| {
            Url::parse(&t.url).map_or_else(
                |_| t.url.clone(),
                |u| match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_string(),
                },
            )
        })
        .collect();
    let more = if tried.len() > 4 { ", …" } else { "" };
    format!(" ({}{more})", paths.join(", "))
}

fn fetched(parsed: ParsedFeed, validators: Validators, resolved: Option<Url>) -> Outcome {
    Outcome::Fetched(Fetched {
        parsed,
        validators,
        resolved: resolved.map(String::from),
        notes: Vec::new(),
        ..Default::default()
    })
}
