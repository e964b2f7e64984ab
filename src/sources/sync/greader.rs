//! The Google Reader API as FreshRSS, Miniflux, Inoreader and others serve it: ClientLogin,
//! then `Authorization: GoogleLogin auth=…`; writes carry the token from `/token` as `T` in
//! the form body (Miniflux reads it nowhere else). Item ids arrive decimal from
//! `stream/items/ids` and in the long form from `stream/items/contents`; only the long form
//! is read the same by every server, so it is the one sent.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;
use url::Url;

use super::{
    Flag, ITEMS_PER_CALL, RemoteFeed, RemoteItem, RemoteState, SyncError, form_post, parse_json,
    text,
};
use crate::sources::FetchError;
use crate::sources::http::Http;

const LONG_PREFIX: &str = "tag:google.com,2005:reader/item/";
const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
/// Ids per page of `stream/items/ids`.
const IDS_PER_PAGE: usize = 1000;
/// A safety margin under the last sync time: servers filter `ot` by publication date, and
/// an item can arrive after the sync that would have seen it.
const CURSOR_SLACK_SECONDS: i64 = 86_400;

pub struct GoogleReader {
    http: Http,
    /// The API root without a trailing slash: FreshRSS's `…/api/greader.php`, Miniflux's root.
    base: String,
    auth: String,
    token: String,
}

#[derive(Deserialize)]
struct Subscriptions {
    subscriptions: Vec<Subscription>,
}

#[derive(Deserialize)]
struct Subscription {
    id: String,
    title: Option<String>,
    #[serde(default)]
    categories: Vec<Category>,
    url: Option<String>,
    #[serde(rename = "htmlUrl")]
    html_url: Option<String>,
}

#[derive(Deserialize)]
struct Category {
    id: Option<String>,
    label: Option<String>,
}

#[derive(Deserialize)]
struct ItemIds {
    #[serde(rename = "itemRefs", default)]
    item_refs: Option<Vec<ItemRef>>,
    continuation: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ItemRef {
    id: String,
}

#[derive(Deserialize)]
struct Contents {
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Link {
    href: String,
}

#[derive(Deserialize)]
struct Body {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Origin {
    #[serde(rename = "streamId")]
    stream_id: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    id: String,
    title: Option<String>,
    author: Option<String>,
    published: Option<i64>,
    #[serde(default)]
    canonical: Vec<Link>,
    #[serde(default)]
    alternate: Vec<Link>,
    summary: Option<Body>,
    content: Option<Body>,
    origin: Option<Origin>,
}

/// An item id in any form a server sends to its decimal string.
pub fn parse_item_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let number = match raw.strip_prefix(LONG_PREFIX) {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None => raw.parse::<u64>().ok()?,
    };
    Some(number.to_string())
}

/// The long form, `tag:google.com,2005:reader/item/%016x`.
pub fn long_item_id(decimal: &str) -> Option<String> {
    decimal
        .parse::<u64>()
        .ok()
        .map(|n| format!("{LONG_PREFIX}{n:016x}"))
}

fn auth_error(e: FetchError) -> SyncError {
    match e {
        FetchError::Status {
            code: 401 | 403, ..
        } => SyncError::Auth(e.to_string()),
        other => SyncError::Network(other),
    }
}

impl GoogleReader {
    pub async fn login(
        http: Http,
        server: Url,
        user: &str,
        password: &str,
    ) -> Result<GoogleReader, SyncError> {
        let base = server.as_str().trim_end_matches('/').to_string();
        let login_url = url(&base, "/accounts/ClientLogin")?;
        let request = form_post(&http, &login_url, &[("Email", user), ("Passwd", password)]);
        let response = http.send(request).await.map_err(auth_error)?;
        let body = String::from_utf8_lossy(&response.body).into_owned();
        let auth = body
            .lines()
            .find_map(|line| line.trim().strip_prefix("Auth="))
            .map(str::to_string)
            .ok_or_else(|| SyncError::Protocol("ClientLogin gave no Auth= line".into()))?;
        let mut client = GoogleReader {
            http,
            base,
            auth,
            token: String::new(),
        };
        let token = client.get("/reader/api/0/token", &[]).await?;
        client.token = String::from_utf8_lossy(&token).trim().to_string();
        Ok(client)
    }

    async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Vec<u8>, SyncError> {
        let mut url = url(&self.base, path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let request = self.http.request(Method::GET, &url).header(
            reqwest::header::AUTHORIZATION,
            format!("GoogleLogin auth={}", self.auth),
        );
        Ok(self.http.send(request).await.map_err(auth_error)?.body)
    }

    /// A write: `T` in the form body, where every server reads it.
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<Vec<u8>, SyncError> {
        let mut url = url(&self.base, path)?;
        url.query_pairs_mut().append_pair("output", "json");
        let mut pairs = vec![("T", self.token.as_str())];
        pairs.extend_from_slice(form);
        let request = form_post(&self.http, &url, &pairs).header(
            reqwest::header::AUTHORIZATION,
            format!("GoogleLogin auth={}", self.auth),
        );
        Ok(self.http.send(request).await.map_err(auth_error)?.body)
    }

    pub async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        let body = self
            .get("/reader/api/0/subscription/list", &[("output", "json")])
            .await?;
        let list: Subscriptions = parse_json(&body, "the subscription list")?;
        Ok(list
            .subscriptions
            .into_iter()
            .map(|s| RemoteFeed {
                id: s.id,
                title: s.title,
                url: s.url.filter(|u| !u.is_empty()),
                site_url: s.html_url.filter(|u| !u.is_empty()),
                groups: s
                    .categories
                    .into_iter()
                    .filter_map(|c| {
                        c.label
                            .or_else(|| Some(c.id?.rsplit('/').next()?.to_string()))
                    })
                    .filter(|l| !l.is_empty())
                    .collect(),
            })
            .collect())
    }

    /// Every id of a stream, page by page: `c` carries FreshRSS's continuation token and
    /// Miniflux's offset alike, since both are echoed back as given.
    async fn ids(
        &self,
        stream: &str,
        exclude: Option<&str>,
        since: Option<i64>,
        limit: usize,
    ) -> Result<Vec<String>, SyncError> {
        let mut ids = Vec::new();
        let mut continuation: Option<String> = None;
        let per_page = IDS_PER_PAGE.to_string();
        let since = since.map(|s| s.to_string());
        loop {
            let mut query = vec![("output", "json"), ("s", stream), ("n", per_page.as_str())];
            if let Some(exclude) = exclude {
                query.push(("xt", exclude));
            }
            if let Some(since) = &since {
                query.push(("ot", since.as_str()));
            }
            if let Some(c) = &continuation {
                query.push(("c", c.as_str()));
            }
            let body = self.get("/reader/api/0/stream/items/ids", &query).await?;
            let page: ItemIds = parse_json(&body, "the list of item ids")?;
            let refs = page.item_refs.unwrap_or_default();
            let count = refs.len();
            ids.extend(refs.iter().filter_map(|r| parse_item_id(&r.id)));
            let next = page.continuation.and_then(|c| match c {
                serde_json::Value::String(s) if !s.is_empty() => Some(s),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            match next {
                Some(next)
                    if count > 0 && ids.len() < limit && Some(&next) != continuation.as_ref() =>
                {
                    continuation = Some(next);
                }
                _ => return Ok(ids),
            }
        }
    }

    pub async fn state(&self) -> Result<RemoteState, SyncError> {
        let unread = self.ids(READING_LIST, Some(READ), None, usize::MAX).await?;
        let starred = self.ids(STARRED, None, None, usize::MAX).await?;
        Ok(RemoteState {
            unread: unread.into_iter().collect(),
            starred: starred.into_iter().collect(),
        })
    }

    pub async fn items(
        &self,
        cursor: Option<&str>,
        known: &HashSet<String>,
        wanted: &[String],
        limit: usize,
    ) -> Result<(Vec<RemoteItem>, Option<String>), SyncError> {
        let started = Utc::now().timestamp();
        let since = cursor.and_then(|c| c.parse::<i64>().ok());
        let mut ids = self.ids(READING_LIST, None, since, limit).await?;
        ids.retain(|id| !known.contains(id));
        ids.truncate(limit);
        for id in wanted {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        let mut items = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(ITEMS_PER_CALL) {
            let long: Vec<String> = chunk.iter().filter_map(|id| long_item_id(id)).collect();
            let form: Vec<(&str, &str)> = long.iter().map(|id| ("i", id.as_str())).collect();
            let body = self
                .post("/reader/api/0/stream/items/contents", &form)
                .await?;
            let contents: Contents = parse_json(&body, "the item contents")?;
            items.extend(contents.items.into_iter().filter_map(item));
        }
        Ok((items, Some((started - CURSOR_SLACK_SECONDS).to_string())))
    }

    /// `edit-tag` with `a=` (set) or `r=` (clear): idempotent, many `i=` per call.
    pub async fn mark(
        &self,
        ids: &[String],
        flag: Flag,
        on: bool,
    ) -> Result<Vec<String>, SyncError> {
        let tag = match flag {
            Flag::Read => READ,
            Flag::Starred => STARRED,
        };
        let action = if on { "a" } else { "r" };
        for chunk in ids.chunks(ITEMS_PER_CALL * 5) {
            let long: Vec<String> = chunk.iter().filter_map(|id| long_item_id(id)).collect();
            let mut form: Vec<(&str, &str)> = vec![(action, tag)];
            form.extend(long.iter().map(|id| ("i", id.as_str())));
            let body = self.post("/reader/api/0/edit-tag", &form).await?;
            if !String::from_utf8_lossy(&body)
                .trim()
                .eq_ignore_ascii_case("OK")
            {
                return Err(SyncError::Protocol(format!(
                    "edit-tag answered `{}`",
                    text(&body)
                )));
            }
        }
        Ok(Vec::new())
    }
}

fn url(base: &str, path: &str) -> Result<Url, SyncError> {
    Url::parse(&format!("{base}{path}"))
        .map_err(|e| SyncError::Protocol(format!("[sync] server is not an address: {e}")))
}

fn item(raw: Item) -> Option<RemoteItem> {
    let link = raw
        .canonical
        .into_iter()
        .chain(raw.alternate)
        .map(|l| l.href)
        .find(|h| !h.is_empty());
    let html = raw
        .content
        .and_then(|b| b.content)
        .or_else(|| raw.summary.and_then(|b| b.content))
        .filter(|h| !h.is_empty());
    Some(RemoteItem {
        id: parse_item_id(&raw.id)?,
        feed_id: raw.origin.and_then(|o| o.stream_id)?,
        title: raw.title.unwrap_or_default(),
        author: raw.author.filter(|a| !a.is_empty()),
        html,
        url: link,
        published: raw
            .published
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_in_every_form() {
        assert_eq!(parse_item_id("1234").as_deref(), Some("1234"));
        assert_eq!(
            parse_item_id("tag:google.com,2005:reader/item/00000000000004d2").as_deref(),
            Some("1234")
        );
        assert_eq!(
            long_item_id("1234").as_deref(),
            Some("tag:google.com,2005:reader/item/00000000000004d2")
        );
        assert_eq!(parse_item_id("feed/3"), None);
    }
}
