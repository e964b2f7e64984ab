//! Sources: bytes in, articles out. HTTP, feed parsing, discovery, Bluesky and HTML pages.
//! Nothing here knows of SQL or screens.

pub mod bluesky;
pub mod canonical;
pub mod discover;
pub mod encoding;
pub mod feed;
pub mod fetch;
pub mod http;
pub mod language;
pub mod page;
pub mod parallel;
pub mod shortlinks;
pub mod sync;

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Why one subscription could not be refreshed. Each message names the cause and, where
/// there is one, what the user can do; the caller adds which feed it belongs to.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {}s", .0.as_secs())]
    Timeout(Duration),
    #[error("server answered HTTP {code}{}", reason_suffix(.reason))]
    Status { code: u16, reason: String },
    #[error("rate limited until {}", until.with_timezone(&chrono::Local).format("%H:%M"))]
    RateLimited { until: DateTime<Utc> },
    #[error("response larger than the {} limit (max_body_size)", human_size(*.limit))]
    TooLarge { limit: u64 },
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("network error: {0}")]
    Network(String),
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("no feed found at {0}")]
    NoFeedFound(String),
    #[error("could not parse the feed: {0}")]
    Parse(String),
    #[error("{0}")]
    Bluesky(String),
    #[error("{0}")]
    Page(String),
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b}-byte"),
    }
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}
