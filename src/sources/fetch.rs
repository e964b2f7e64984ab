//! One refresh of one subscription: pick the right source, send what we know, get articles.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use url::Url;

use super::http::{Http, Validators};
use super::{FetchError, bluesky, discover, page};
use crate::model::{ParsedFeed, Source};

/// What a fetch needs besides the subscription itself.
pub struct Context<'a> {
    pub http: &'a Http,
    /// Base URL of the Bluesky AppView (`bluesky_api`).
    pub bluesky_api: &'a Url,
    pub now: DateTime<Utc>,
}

/// What the store remembers of a subscription between refreshes.
#[derive(Debug, Clone, Default)]
pub struct Prior {
    pub validators: Validators,
    /// The discovered feed address, or a Bluesky account's DID.
    pub resolved: Option<String>,
    /// Ids of the newest stored articles, so paging sources know where to stop.
    pub known_guids: HashSet<String>,
}

// One per fetch, moved once to the writer: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: nothing to parse, nothing to write but the feed's status.
    NotModified,
    Fetched(Fetched),
}

#[derive(Debug, Clone, Default)]
pub struct Fetched {
    pub parsed: ParsedFeed,
    pub validators: Validators,
    /// Remember this for next time (a discovered feed URL, a DID).
    pub resolved: Option<String>,
    /// Things worth telling the user that are not errors ("2 items without a link skipped").
    pub notes: Vec<String>,
    /// Ids of stored articles the source still lists but left out of `parsed` (so as not
    /// to overwrite what is stored): they count as seen, for retention.
    pub still_listed: Vec<String>,
}

pub async fn fetch(
    ctx: &Context<'_>,
    source: &Source,
    prior: &Prior,
) -> Result<Outcome, FetchError> {
    match source {
        Source::Feed { url } => discover::fetch_feed(ctx, url, prior).await,
        Source::Bluesky(spec) => bluesky::fetch(ctx, spec, prior).await,
        Source::Page(spec) => page::fetch(ctx, spec, prior).await,
    }
}
