//! Feed subscriptions: fetch, and when the address is a web page, find its feed.

use scraper::{Html, Selector};
use url::Url;

use super::fetch::{Context, Fetched, Outcome, Prior};
use super::http::{Response, Validators};
use super::{FetchError, feed};

const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, \
     text/html;q=0.5, */*;q=0.1";

/// Where sites usually keep their feed when the page does not say.
const CMS_PATHS: [&str; 5] = ["/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml"];

const FEED_TYPES: [&str; 7] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
];

pub async fn fetch_feed(
    ctx: &Context<'_>,
    url: &str,
    prior: &Prior,
) -> Result<Outcome, FetchError> {
    let configured =
        Url::parse(url).map_err(|e| FetchError::Network(format!("invalid address {url}: {e}")))?;
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
            Ok(r) if r.not_modified() => return Ok(Outcome::NotModified),
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
        return parse_or_discover(ctx, &configured, response).await;
    }
    let response = ctx
        .http
        .get(&configured, ACCEPT_FEED, Some(&prior.validators))
        .await?;
    if response.not_modified() {
        return Ok(Outcome::NotModified);
    }
    parse_or_discover(ctx, &configured, response).await
}

async fn parse_or_discover(
    ctx: &Context<'_>,
    configured: &Url,
    response: Response,
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
        Err(FetchError::NotAFeed(_)) => discover(ctx, configured, &response).await,
        Err(e) => Err(e),
    }
}

async fn discover(
    ctx: &Context<'_>,
    configured: &Url,
    page: &Response,
) -> Result<Outcome, FetchError> {
    let mut candidates = feed_links(&page.body, &page.url);
    for path in CMS_PATHS {
        if let Ok(u) = page.url.join(path)
            && !candidates.contains(&u)
        {
            candidates.push(u);
        }
    }
    let mut last_parse_error = None;
    for candidate in candidates {
        let response = match ctx.http.get(&candidate, ACCEPT_FEED, None).await {
            Ok(r) => r,
            Err(FetchError::Status { .. }) => continue,
            Err(e @ (FetchError::Timeout(_) | FetchError::RateLimited { .. })) => return Err(e),
            Err(_) => continue,
        };
        match feed::parse(
            &response.body,
            response.content_type.as_deref(),
            &response.url,
        ) {
            Ok(parsed) => return Ok(fetched(parsed, response.validators, Some(response.url))),
            Err(FetchError::NotAFeed(_)) => {}
            Err(e) => last_parse_error = Some(e),
        }
    }
    Err(last_parse_error.unwrap_or_else(|| FetchError::NoFeedFound(configured.to_string())))
}

fn fetched(
    parsed: crate::model::ParsedFeed,
    validators: Validators,
    resolved: Option<Url>,
) -> Outcome {
    Outcome::Fetched(Fetched {
        parsed,
        validators,
        resolved: resolved.map(String::from),
        notes: Vec::new(),
        ..Default::default()
    })
}

/// The feeds a page announces with `<link rel="alternate">`, absolute, the site's main
/// feed first: comment feeds go last, since a reader subscribing to a site wants its news.
pub fn feed_links(html: &[u8], base: &Url) -> Vec<Url> {
    let text = String::from_utf8_lossy(html);
    let document = Html::parse_document(&text);
    let Ok(selector) = Selector::parse("link[href]") else {
        return Vec::new();
    };
    let base = document
        .select(&Selector::parse("base[href]").expect("static selector"))
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| base.join(href).ok())
        .unwrap_or_else(|| base.clone());
    let mut main = Vec::new();
    let mut comments = Vec::new();
    for link in document.select(&selector) {
        let el = link.value();
        let rel = el.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_ascii_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = el
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let kind = kind.split(';').next().unwrap_or_default().trim();
        if !FEED_TYPES.contains(&kind) {
            continue;
        }
        let Some(url) = el.attr("href").and_then(|h| base.join(h.trim()).ok()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https")
            || main.contains(&url)
            || comments.contains(&url)
        {
            continue;
        }
        let title = el.attr("title").unwrap_or_default().to_lowercase();
        let path = url.path().to_lowercase();
        if title.contains("comment")
            || path.contains("comments")
            || title.contains("comentari")
            || title.contains("commentaires")
        {
            comments.push(url);
        } else {
            main.push(url);
        }
    }
    main.extend(comments);
    main
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_feed_before_comments_and_relative_resolved() {
        let html = br#"<html><head>
            <link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed" href="/comments/feed/">
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" href="feed/">
            <link rel="alternate" type="application/feed+json" href="https://example.org/feed.json">
            <link rel="alternate" hreflang="fr" href="/fr/">
        </head></html>"#;
        let base = Url::parse("https://example.org/news/").unwrap();
        let links: Vec<String> = feed_links(html, &base)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            links,
            [
                "https://example.org/news/feed/",
                "https://example.org/feed.json",
                "https://example.org/comments/feed/"
            ]
        );
    }
}
