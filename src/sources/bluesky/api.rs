//! Serde types for the few XRPC answers we read. Only what the lexicons require is required
//! here; everything else is optional, because older answers omit `$type`, counters and
//! `associated`, and newer ones add fields we have never seen.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use crate::sources::FetchError;

/// `com.atproto.identity.resolveHandle`
#[derive(Debug, Deserialize)]
pub struct ResolvedHandle {
    pub did: String,
}

/// `app.bsky.actor.getProfile` (profileViewDetailed) and profileViewBasic: the same fields
/// as far as we care.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(default)]
    pub did: String,
    #[serde(default)]
    pub handle: String,
    pub display_name: Option<String>,
}

/// `app.bsky.feed.getAuthorFeed`: items stay raw so one odd item cannot sink the page.
#[derive(Debug, Deserialize)]
pub struct AuthorFeed {
    #[serde(default, deserialize_with = "any_vec")]
    pub feed: Vec<Value>,
    pub cursor: Option<String>,
}

/// `app.bsky.feed.defs#feedViewPost`
#[derive(Debug, Clone, Deserialize)]
pub struct FeedViewPost {
    pub post: PostView,
    pub reply: Option<ReplyView>,
    pub reason: Option<Reason>,
}

/// `app.bsky.feed.defs#postView`
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    pub uri: String,
    #[serde(default)]
    pub author: Profile,
    #[serde(default)]
    pub record: Value,
    pub embed: Option<Value>,
    pub indexed_at: Option<String>,
    pub like_count: Option<u64>,
    pub repost_count: Option<u64>,
    pub reply_count: Option<u64>,
    pub quote_count: Option<u64>,
}

/// `reply` of a feedViewPost: `parent` is a postView, notFoundPost or blockedPost.
#[derive(Debug, Clone, Deserialize)]
pub struct ReplyView {
    pub parent: Option<Value>,
}

/// `reasonRepost` (with `by`) or `reasonPin` (empty); told apart by `$type`, then by `by`.
#[derive(Debug, Clone, Deserialize)]
pub struct Reason {
    #[serde(rename = "$type")]
    pub kind: Option<String>,
    pub by: Option<Profile>,
}

impl Reason {
    pub fn is_pin(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.ends_with("#reasonPin"))
    }
}

/// `app.bsky.feed.post`: the record inside a postView, or a quoted post's `value`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostRecord {
    #[serde(default)]
    pub text: String,
    #[serde(default, deserialize_with = "any_vec")]
    pub facets: Vec<Facet>,
    #[serde(default, deserialize_with = "any_vec")]
    pub langs: Vec<String>,
    pub created_at: Option<String>,
    pub reply: Option<RecordReply>,
    pub embed: Option<Value>,
}

/// The record's own `reply`: strong refs only.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordReply {
    pub parent: Option<StrongRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StrongRef {
    pub uri: String,
}

/// `app.bsky.richtext.facet`. Offsets are unsigned: a negative one fails this facet alone.
#[derive(Debug, Clone, Deserialize)]
pub struct Facet {
    pub index: ByteSlice,
    #[serde(default, deserialize_with = "any_vec")]
    pub features: Vec<Feature>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ByteSlice {
    pub byte_start: usize,
    pub byte_end: usize,
}

/// `#link` (uri), `#mention` (did) or `#tag` (tag).
#[derive(Debug, Clone, Deserialize)]
pub struct Feature {
    #[serde(rename = "$type")]
    pub kind: Option<String>,
    pub uri: Option<String>,
    pub did: Option<String>,
    pub tag: Option<String>,
}

/// `app.bsky.feed.getPostThread`
#[derive(Debug, Deserialize)]
pub struct PostThread {
    pub thread: ThreadView,
}

/// `threadViewPost`; a notFound or blocked thread has no `post`.
#[derive(Debug, Deserialize)]
pub struct ThreadView {
    pub post: Option<PostView>,
    pub parent: Option<Value>,
}

/// `images` (record) and `images#view`: the view adds `thumb` and `fullsize`.
#[derive(Debug, Deserialize)]
pub struct Images {
    #[serde(default, deserialize_with = "any_vec")]
    pub images: Vec<Image>,
}

#[derive(Debug, Deserialize)]
pub struct Image {
    #[serde(default)]
    pub alt: String,
    pub fullsize: Option<String>,
    pub thumb: Option<String>,
}

/// `external` and `external#view`.
#[derive(Debug, Deserialize)]
pub struct External {
    pub external: ExternalLink,
}

#[derive(Debug, Deserialize)]
pub struct ExternalLink {
    pub uri: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// `video` and `video#view`: only the view has a playlist.
#[derive(Debug, Deserialize)]
pub struct Video {
    #[serde(default)]
    pub alt: String,
    pub playlist: Option<String>,
}

/// `record#viewRecord`: a quoted post as the AppView hydrated it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewRecord {
    pub uri: String,
    #[serde(default)]
    pub author: Profile,
    #[serde(default)]
    pub value: Value,
    #[serde(default, deserialize_with = "any_vec")]
    pub embeds: Vec<Value>,
}

/// A list of anything: elements that do not fit are dropped, and a field that is not a list
/// at all reads as empty, so one malformed element never loses the whole post.
fn any_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// Decode an XRPC answer. `source` names where it came from for the message. An empty body
/// or an HTML page (a wrong `bluesky_api`, a proxy's error page) is told apart from bad JSON.
pub fn decode<T: DeserializeOwned>(body: &[u8], source: &str) -> Result<T, FetchError> {
    let start = body
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(body)
        .trim_ascii_start();
    if start.is_empty() {
        return Err(FetchError::Bluesky(format!(
            "{source} sent an empty answer"
        )));
    }
    if start.starts_with(b"<") {
        return Err(FetchError::Bluesky(format!(
            "{source} answered with an HTML page, not JSON"
        )));
    }
    serde_json::from_slice(body)
        .map_err(|e| FetchError::Bluesky(format!("{source} sent JSON we cannot read: {e}")))
}
