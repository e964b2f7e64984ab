//! The Fever API (feedafever.com/api, served by FreshRSS, Miniflux, coldsweat and Tiny Tiny
//! RSS): every call is a POST carrying `api_key`, md5 of `user:password`; commands go in the
//! query, marks in the form.

use std::collections::HashSet;

use chrono::DateTime;
use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::{
    Flag, ITEMS_PER_CALL, RemoteFeed, RemoteItem, RemoteState, SyncError, form_post, parse_json,
};
use crate::sources::http::Http;

pub struct Fever {
    http: Http,
    server: Url,
    /// md5 of `user:password`, as the API defines it; the password itself is not kept.
    api_key: String,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    auth: Value,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    feeds_groups: Vec<FeedsGroup>,
    #[serde(default)]
    feeds: Vec<Feed>,
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    unread_item_ids: Value,
    #[serde(default)]
    saved_item_ids: Value,
}

#[derive(Deserialize)]
struct Group {
    id: Value,
    title: Option<String>,
}

#[derive(Deserialize)]
struct FeedsGroup {
    group_id: Value,
    #[serde(default)]
    feed_ids: Value,
}

#[derive(Deserialize)]
struct Feed {
    id: Value,
    title: Option<String>,
    url: Option<String>,
    site_url: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    id: Value,
    feed_id: Value,
    title: Option<String>,
    author: Option<String>,
    html: Option<String>,
    url: Option<String>,
    created_on_time: Option<Value>,
}

/// Servers write ids as numbers or as strings; both become a decimal string.
fn id(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => n.as_u64().map(|n| n.to_string()),
        Value::String(s) => s.trim().parse::<u64>().ok().map(|n| n.to_string()),
        _ => None,
    }
}

/// `"1,2,3"` (or a JSON list) to ids.
fn id_list(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => s
            .split(',')
            .filter_map(|p| id(&Value::String(p.into())))
            .collect(),
        Value::Array(items) => items.iter().filter_map(id).collect(),
        other => id(other).into_iter().collect(),
    }
}

impl Fever {
    pub async fn login(
        http: Http,
        server: Url,
        user: &str,
        password: &str,
    ) -> Result<Fever, SyncError> {
        let digest = Md5::digest(format!("{user}:{password}").as_bytes());
        let api_key = digest.iter().map(|b| format!("{b:02x}")).collect();
        let fever = Fever {
            http,
            server,
            api_key,
        };
        fever.call("", &[]).await?;
        Ok(fever)
    }

    /// One authenticated call: `commands` join the query after `api`, `form` the body.
    async fn call(&self, commands: &str, form: &[(&str, &str)]) -> Result<Answer, SyncError> {
        let mut url = self.server.clone();
        let query = if commands.is_empty() {
            "api".to_string()
        } else {
            format!("api&{commands}")
        };
        url.set_query(Some(&query));
        let mut pairs = vec![("api_key", self.api_key.as_str())];
        pairs.extend_from_slice(form);
        let request =
            form_post(&self.http, &url, &pairs).header(reqwest::header::ACCEPT, "application/json");
        let response = self.http.send(request).await?;
        let answer: Answer = parse_json(&response.body, "the Fever answer")?;
        if answer.auth.as_u64() != Some(1) && answer.auth.as_str() != Some("1") {
            return Err(SyncError::Auth("Fever API key not accepted".into()));
        }
        Ok(answer)
    }

    pub async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        let answer = self.call("feeds&groups", &[]).await?;
        let names: Vec<(String, String)> = answer
            .groups
            .iter()
            .filter_map(|g| Some((id(&g.id)?, g.title.clone()?)))
            .collect();
        Ok(answer
            .feeds
            .into_iter()
            .filter_map(|feed| {
                let feed_id = id(&feed.id)?;
                let groups = answer
                    .feeds_groups
                    .iter()
                    .filter(|fg| id_list(&fg.feed_ids).contains(&feed_id))
                    .filter_map(|fg| {
                        let group = id(&fg.group_id)?;
                        names
                            .iter()
                            .find(|(g, _)| *g == group)
                            .map(|(_, n)| n.clone())
                    })
                    .collect();
                Some(RemoteFeed {
                    id: feed_id,
                    title: feed.title,
                    url: feed.url.filter(|u| !u.is_empty()),
                    site_url: feed.site_url.filter(|u| !u.is_empty()),
                    groups,
                })
            })
            .collect())
    }

    pub async fn state(&self) -> Result<RemoteState, SyncError> {
        let answer = self.call("unread_item_ids&saved_item_ids", &[]).await?;
        Ok(RemoteState {
            unread: id_list(&answer.unread_item_ids).into_iter().collect(),
            starred: id_list(&answer.saved_item_ids).into_iter().collect(),
        })
    }

    /// Pages by `since_id` from the cursor, then asks `with_ids` for the wanted ones.
    pub async fn items(
        &self,
        cursor: Option<&str>,
        known: &HashSet<String>,
        wanted: &[String],
        limit: usize,
    ) -> Result<(Vec<RemoteItem>, Option<String>), SyncError> {
        let mut since: u64 = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
        let mut items: Vec<RemoteItem> = Vec::new();
        while items.len() < limit {
            let answer = self.call(&format!("items&since_id={since}"), &[]).await?;
            let page: Vec<RemoteItem> = answer.items.into_iter().filter_map(item).collect();
            let highest = page.iter().filter_map(|i| i.id.parse::<u64>().ok()).max();
            let Some(highest) = highest.filter(|h| *h > since) else {
                break;
            };
            since = highest;
            items.extend(page.into_iter().filter(|i| !known.contains(&i.id)));
        }
        let received: HashSet<String> = items.iter().map(|i| i.id.clone()).collect();
        let missing: Vec<&String> = wanted.iter().filter(|id| !received.contains(*id)).collect();
        for chunk in missing.chunks(ITEMS_PER_CALL) {
            let ids: Vec<&str> = chunk.iter().map(|s| s.as_str()).collect();
            let answer = self
                .call(&format!("items&with_ids={}", ids.join(",")), &[])
                .await?;
            items.extend(answer.items.into_iter().filter_map(item));
        }
        Ok((items, Some(since.to_string())))
    }

    /// One `mark=item` call per item; an item the server answers 404 for is gone there.
    pub async fn mark(
        &self,
        ids: &[String],
        flag: Flag,
        on: bool,
    ) -> Result<Vec<String>, SyncError> {
        let state = match (flag, on) {
            (Flag::Read, true) => "read",
            (Flag::Read, false) => "unread",
            (Flag::Starred, true) => "saved",
            (Flag::Starred, false) => "unsaved",
        };
        let mut gone = Vec::new();
        for item in ids {
            let form = [("mark", "item"), ("as", state), ("id", item.as_str())];
            match self.call("", &form).await {
                Ok(_) => {}
                Err(SyncError::Network(crate::sources::FetchError::Status {
                    code: 404, ..
                })) => {
                    gone.push(item.clone());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(gone)
    }
}

fn item(raw: Item) -> Option<RemoteItem> {
    let published = raw
        .created_on_time
        .as_ref()
        .and_then(|t| t.as_i64().or_else(|| t.as_str()?.parse().ok()))
        .and_then(|t| DateTime::from_timestamp(t, 0));
    Some(RemoteItem {
        id: id(&raw.id)?,
        feed_id: id(&raw.feed_id)?,
        title: raw.title.unwrap_or_default(),
        author: raw.author.filter(|a| !a.is_empty()),
        html: raw.html.filter(|h| !h.is_empty()),
        url: raw.url.filter(|u| !u.is_empty()),
        published,
    })
}
