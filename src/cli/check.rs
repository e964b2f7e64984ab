//! `coopnews check URL [--json]`: what coopnews would do with an address, without storing
//! anything: the feed it is or leads to (and the addresses discovery tried), or the news
//! items detection finds on the page, with selectors that pick the same items ready to
//! paste into the configuration. Every line printed passes through `clean_inline`.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::Serialize;
use url::Url;

use super::{Env, Failure, Outcome};
use crate::model::Article;
use crate::sources::discover::{self, PAGE_ROUTE, Tried, Why};
use crate::sources::http::Http;
use crate::sources::page::{self, detect::Suggested};
use crate::sources::{FetchError, feed};
use crate::text::{clean_inline, truncate};

/// Items shown of a feed; a page shows all it has.
const FEED_ITEMS_SHOWN: usize = 10;

#[derive(Debug, Serialize)]
pub struct Report {
    pub url: String,
    /// As `coopnews feeds` would say it: `feed <address>` or `page (detected)`.
    pub route: String,
    pub title: Option<String>,
    pub tried: Vec<Tried>,
    pub items: Vec<ItemJson>,
    /// Detection only: selectors that pick the same items.
    pub selectors: Option<Suggested>,
    /// Detection only: cards left out as promotions.
    pub promotions: usize,
}

#[derive(Debug, Serialize)]
pub struct ItemJson {
    pub title: String,
    pub link: Option<String>,
    /// RFC 3339, or null when the item shows no readable date.
    pub date: Option<String>,
    /// The date as the page wrote it.
    pub date_text: Option<String>,
    pub summary: Option<String>,
}

fn item(article: &Article, date_text: Option<String>) -> ItemJson {
    let summary = article
        .text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| truncate(&clean_inline(l), 200));
    ItemJson {
        title: clean_inline(&article.title),
        link: article.link.as_deref().map(clean_inline),
        date: article
            .published
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        date_text: date_text.map(|d| truncate(&clean_inline(&d), 80)),
        summary,
    }
}

pub fn run(env: &Env, address: &str, json: bool) -> Outcome {
    let url = Url::parse(address)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| Failure::usage(format!("`{address}` is not an http or https address")))?;
    let http = Http::new(env.config.http_settings()).map_err(|e| Failure::failed(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start: {e}")))?;
    let report = runtime
        .block_on(check(&http, &url, chrono::Utc::now()))
        .map_err(|e| Failure::failed(clean_inline(&format!("{url}: {e}"))))?;
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write!(out, "{}", text(&report))
    };
    written.map_err(|e| Failure::failed(format!("cannot write the report: {e}")))
}

/// What a `url` subscription to `url` would read, fetched now and stored nowhere.
pub async fn check(
    http: &Http,
    url: &Url,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Report, FetchError> {
    let response = http.get(url, discover::ACCEPT_FEED, None).await?;
    let mut report = Report {
        url: url.to_string(),
        route: format!("feed {url}"),
        title: None,
        tried: Vec::new(),
        items: Vec::new(),
        selectors: None,
        promotions: 0,
    };
    match feed::parse(
        &response.body,
        response.content_type.as_deref(),
        &response.url,
    ) {
        Ok(parsed) => {
            report.route = format!("feed {}", response.url);
            report.title = parsed.meta.title.as_deref().map(clean_inline);
            report.items = feed_items(&parsed.articles);
            return Ok(report);
        }
        Err(FetchError::NotAFeed(_)) => {}
        Err(e) => return Err(e),
    }
    let search = discover::search(http, &response, true).await?;
    report.tried = search.tried;
    if let Some(found) = search.found {
        report.route = format!("feed {}", found.url);
        report.title = found.parsed.meta.title.as_deref().map(clean_inline);
        report.items = feed_items(&found.parsed.articles);
        return Ok(report);
    }
    if !discover::is_html(&response) {
        return Err(FetchError::NoFeedFound(format!(
            "{url}: tried {} addresses, and the address is not a web page",
            report.tried.len()
        )));
    }
    let extract = page::extract_at(
        &response.body,
        response.content_type.as_deref(),
        &page::detected_spec(url.as_str()),
        &response.url,
        Some(now),
    )
    .map_err(|e| {
        FetchError::Page(format!(
            "no feed found ({} addresses tried), and {e}",
            report.tried.len()
        ))
    })?;
    report.route = PAGE_ROUTE.into();
    report.title = extract.meta.title.as_deref().map(clean_inline);
    report.promotions = extract.promotions;
    report.selectors = extract.detected.clone();
    report.items = extract
        .items
        .into_iter()
        .map(|i| item(&i.article, i.date_text))
        .collect();
    Ok(report)
}

fn feed_items(articles: &[Article]) -> Vec<ItemJson> {
    articles
        .iter()
        .take(FEED_ITEMS_SHOWN)
        .map(|a| item(a, None))
        .collect()
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The report for people.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Address: {}", clean_inline(&report.url));
    let _ = writeln!(out, "Route:   {}", clean_inline(&report.route));
    if let Some(title) = &report.title {
        let _ = writeln!(out, "Title:   {title}");
    }
    if !report.tried.is_empty() {
        let _ = writeln!(
            out,
            "\nFeed discovery tried {} addresses:",
            report.tried.len()
        );
        for t in &report.tried {
            let why = match t.why {
                Why::Announced => "announced by the page",
                Why::Linked => "linked from the page",
                Why::Probed => "usual path",
            };
            let _ = writeln!(
                out,
                "  {}  ({why}): {}",
                clean_inline(&t.url),
                truncate(&clean_inline(&t.result), 80)
            );
        }
    }
    let _ = writeln!(out, "\nItems ({}):", report.items.len());
    for (n, item) in report.items.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", n + 1, item.title);
        match (&item.date, &item.date_text) {
            (Some(date), Some(raw)) => {
                let _ = writeln!(out, "   date:   {date} (read from '{raw}')");
            }
            (Some(date), None) => {
                let _ = writeln!(out, "   date:   {date}");
            }
            (None, Some(raw)) => {
                let _ = writeln!(out, "   date:   not understood: '{raw}'");
            }
            (None, None) => {
                let _ = writeln!(out, "   date:   none shown (first-seen time will be used)");
            }
        }
        if let Some(link) = &item.link {
            let _ = writeln!(out, "   link:   {link}");
        }
        if let Some(summary) = &item.summary {
            let _ = writeln!(out, "   teaser: {}", truncate(summary, 100));
        }
    }
    if report.promotions > 0 {
        let _ = writeln!(out, "({} promotional cards left out)", report.promotions);
    }
    if let Some(s) = &report.selectors {
        let _ = writeln!(
            out,
            "\nDetected without selectors. To pin these items down, paste into the configuration:\n"
        );
        let _ = writeln!(out, "[[feeds]]\npage = {}", toml_string(&report.url));
        let _ = writeln!(out, "item = {}", toml_string(&s.item));
        for (key, value) in [
            ("item_title", &s.item_title),
            ("item_link", &s.item_link),
            ("item_date", &s.item_date),
            ("item_summary", &s.item_summary),
        ] {
            if let Some(value) = value {
                let _ = writeln!(out, "{key} = {}", toml_string(value));
            }
        }
    }
    out
}
