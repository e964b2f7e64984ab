//! The types every layer shares: what a source yields and what the store hands back.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Row id of a subscription in the store.
pub type FeedId = i64;
/// Row id of an article in the store.
pub type ArticleId = i64;

/// An article as a source produced it, before the store gives it an id.
///
/// Every string here is already cleaned of control characters (see [`crate::text`]);
/// `html` is the untrusted body and is only ever shown through [`crate::render`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Stable within its feed: the entry id, or a hash of link and title when there is none.
    pub guid: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    /// None when the source gave no readable date; the store then uses first-seen time.
    pub published: Option<DateTime<Utc>>,
    pub language: Option<String>,
    /// Summary or content as HTML (feeds), or HTML built from rich text (Bluesky).
    pub html: Option<String>,
    /// Plain text of the body, for search and the CLI.
    pub text: String,
    /// Absolute links found in the body, in reading order, without duplicates.
    pub links: Vec<String>,
    /// A Bluesky post's likes and reposts as last fetched; None for other sources.
    pub engagement: Option<Engagement>,
}

/// How people answered a Bluesky post, as counted by its server when last fetched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Engagement {
    pub likes: u64,
    pub reposts: u64,
    pub replies: u64,
    pub quotes: u64,
}

/// What one source document gave besides its articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedMeta {
    pub title: Option<String>,
    pub site_link: Option<String>,
    pub language: Option<String>,
}

/// A parsed document: its metadata and articles, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedFeed {
    pub meta: FeedMeta,
    pub articles: Vec<Article>,
}

/// An article as the store returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    pub id: ArticleId,
    #[serde(skip)]
    pub feed_id: FeedId,
    /// The feed's display title.
    pub feed: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    #[serde(serialize_with = "rfc3339")]
    pub published: DateTime<Utc>,
    pub read: bool,
    pub starred: bool,
    pub text: String,
    pub links: Vec<String>,
    #[serde(skip)]
    pub html: Option<String>,
    #[serde(skip)]
    pub language: Option<String>,
}

/// A row of the article list: enough to draw it, without the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub id: ArticleId,
    pub feed_id: FeedId,
    pub title: String,
    pub published: DateTime<Utc>,
    pub read: bool,
    pub starred: bool,
}

fn rfc3339<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// What a subscription follows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// A feed, or a site's page from which the feed is discovered.
    Feed { url: String },
    /// A Bluesky account: handle, DID or profile URL as the user wrote it.
    Bluesky(BlueskySpec),
    /// A news listing page: items found by detection, or by the CSS selectors given.
    Page(PageSpec),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlueskySpec {
    pub actor: String,
    /// getAuthorFeed `filter`, e.g. `posts_and_author_threads` or `posts_no_replies`.
    pub filter: String,
    /// Pages of 50 posts to follow at most in one refresh.
    pub max_pages: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageSpec {
    pub url: String,
    /// None: the items are found by detection (see `sources::page::detect`); each
    /// selector given overrides what detection would pick inside an item.
    pub item: Option<String>,
    pub item_title: Option<String>,
    pub item_link: Option<String>,
    pub item_date: Option<String>,
    pub item_summary: Option<String>,
    /// Fetch each new item's own page and keep its main text as the body.
    pub full_text: bool,
}

impl Source {
    /// The key that identifies this subscription in the store, stable across title edits.
    pub fn key(&self) -> String {
        match self {
            Source::Feed { url } => url.clone(),
            Source::Bluesky(b) => format!("bluesky:{}", b.actor),
            Source::Page(p) => format!("page:{}", p.url),
        }
    }
}

/// What a refresh reports while it runs (here, not in `refresh`, so the app reads it
/// without depending on the layer that does the fetching).
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Started {
        feed: FeedId,
    },
    /// The feed is written (or its error recorded); `Err` holds the message for the user.
    Done {
        feed: FeedId,
        outcome: Result<FeedReport, String>,
    },
    /// The database could not be written (full disk, read-only file): nothing fetched is
    /// kept until that is fixed. Sent besides each feed's own `Done`.
    StoreFailed {
        message: String,
    },
}

/// What one subscription's refresh stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedReport {
    pub new: usize,
    pub updated: usize,
    pub not_modified: bool,
    pub notes: Vec<String>,
}
