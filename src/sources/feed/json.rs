//! JSON documents: JSON Feed with the version feed-rs wants, and RSS-in-JSON converted.

use std::borrow::Cow;

use super::prepare::not_a_feed;
use crate::sources::FetchError;

/// A JSON Feed with a version feed-rs accepts, or NotAFeed for other JSON.
/// feed-rs wants `version` to start with `https://jsonfeed.org/version/1`; feeds write
/// `"1.1"` or leave it out, so a document with an `items` array gets the 1.1 URL.
pub fn mend_json(text: &str) -> Result<Cow<'_, str>, FetchError> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| FetchError::Parse(format!("invalid JSON: {e}")))?;
    let Some(object) = value.as_object_mut() else {
        return Err(not_a_feed("JSON that is not a JSON Feed"));
    };
    if let Some(channel) = object.get("rss").and_then(|r| r.get("channel")) {
        return rss_in_json(channel);
    }
    let version = object.get("version").and_then(|v| v.as_str()).unwrap_or("");
    if version.starts_with("https://jsonfeed.org/version/1") {
        return Ok(Cow::Borrowed(text));
    }
    let looks_like_feed =
        object.get("items").is_some_and(|i| i.is_array()) || version.contains("jsonfeed");
    if !looks_like_feed {
        return Err(not_a_feed("JSON that is not a JSON Feed"));
    }
    object.insert(
        "version".into(),
        serde_json::Value::String("https://jsonfeed.org/version/1.1".into()),
    );
    serde_json::to_string(&value)
        .map(Cow::Owned)
        .map_err(|e| FetchError::Parse(format!("invalid JSON: {e}")))
}

/// Dave Winer's "RSS in JSON" (scripting.com): the RSS 2.0 tree as JSON. Its fields map
/// one to one onto a JSON Feed, which feed-rs reads.
fn rss_in_json(channel: &serde_json::Value) -> Result<Cow<'static, str>, FetchError> {
    use serde_json::{Map, Value};
    let field = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).map(str::to_string);
    let date = |v: &Value, name: &str| {
        let raw = field(v, name)?;
        Some(match chrono::DateTime::parse_from_rfc2822(raw.trim()) {
            Ok(d) => d.to_rfc3339(),
            Err(_) => raw,
        })
    };
    let items: Vec<&Value> = match channel.get("item") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(item @ Value::Object(_)) => vec![item],
        _ => Vec::new(),
    };
    let items: Vec<Value> = items
        .into_iter()
        .map(|item| {
            let mut out = Map::new();
            let link = field(item, "link");
            let id = field(item, "guid")
                .or_else(|| link.clone())
                .unwrap_or_default();
            out.insert("id".into(), Value::String(id));
            let pairs = [
                ("url", link),
                ("title", field(item, "title")),
                ("content_html", field(item, "description")),
                ("date_published", date(item, "pubDate")),
            ];
            for (key, value) in pairs {
                if let Some(value) = value {
                    out.insert(key.into(), Value::String(value));
                }
            }
            Value::Object(out)
        })
        .collect();
    let mut feed = Map::new();
    feed.insert(
        "version".into(),
        Value::String("https://jsonfeed.org/version/1.1".into()),
    );
    for (key, name) in [
        ("title", "title"),
        ("home_page_url", "link"),
        ("language", "language"),
    ] {
        if let Some(value) = field(channel, name) {
            feed.insert(key.into(), Value::String(value));
        }
    }
    feed.insert("items".into(), Value::Array(items));
    serde_json::to_string(&Value::Object(feed))
        .map(Cow::Owned)
        .map_err(|e| FetchError::Parse(format!("invalid JSON: {e}")))
}
