//! The listing fixtures of `tests/fixtures/pages/listings/`: each page with the items a
//! reader expects on it (title, link, day), and what detection finds there. Shared by the
//! detection tests and `examples/eval_detection.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use coopnews::sources::page;
use url::Url;

/// The fetch time of every fixture that does not give one.
pub const NOW: &str = "2026-11-27T12:00:00Z";

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub title: String,
    pub link: String,
    /// `YYYY-MM-DD`, None when the page shows no date.
    pub date: Option<String>,
}

pub struct Listing {
    pub name: String,
    pub html: Vec<u8>,
    pub url: Url,
    pub now: DateTime<Utc>,
    pub expected: Vec<Entry>,
}

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/listings")
}

/// Every fixture, by name.
pub fn all() -> Vec<Listing> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("listing fixtures")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".html").map(str::to_string))
        .collect();
    names.sort();
    names.into_iter().map(|n| load(&n)).collect()
}

pub fn load(name: &str) -> Listing {
    let html = std::fs::read(dir().join(format!("{name}.html"))).expect("fixture page");
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir().join(format!("{name}.json"))).expect("fixture expectations"),
    )
    .expect("fixture expectations are JSON");
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let now = json["now"].as_str().unwrap_or(NOW);
    Listing {
        name: name.to_string(),
        html,
        url: Url::parse(json["url"].as_str().expect("url")).expect("fixture url"),
        now: DateTime::parse_from_rfc3339(now)
            .expect("fixture now")
            .with_timezone(&Utc),
        expected: json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| Entry {
                title: text(&i["title"]).expect("title"),
                link: text(&i["link"]).expect("link"),
                date: text(&i["date"]),
            })
            .collect(),
    }
}

/// What detection finds on the page, in page order.
pub fn detect(listing: &Listing) -> Result<Vec<Entry>, String> {
    let spec = page::detected_spec(listing.url.as_str());
    let extract = page::extract_at(
        &listing.html,
        Some("text/html; charset=utf-8"),
        &spec,
        &listing.url,
        Some(listing.now),
    )
    .map_err(|e| e.to_string())?;
    Ok(extract
        .items
        .iter()
        .map(|i| Entry {
            title: i.article.title.clone(),
            link: i.article.link.clone().unwrap_or_default(),
            date: i
                .article
                .published
                .map(|d| d.format("%Y-%m-%d").to_string()),
        })
        .collect())
}
