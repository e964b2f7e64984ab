//! Feed servers that share read and starred state: the Fever API and the Google Reader API,
//! behind one client. Bytes in, subscriptions, items and marks out; no SQL here.

mod fever;
mod greader;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use url::Url;

use super::FetchError;
use super::http::Http;
use crate::config::{SyncApi, SyncConfig};

/// Items asked for by id in one request (Fever's `with_ids` documents 50 at most).
pub const ITEMS_PER_CALL: usize = 50;

/// A subscription as the server lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteFeed {
    /// The server's own id for it (`feed/…` for Google Reader, a number for Fever).
    pub id: String,
    pub title: Option<String>,
    /// The feed's address, when the server tells it.
    pub url: Option<String>,
    pub site_url: Option<String>,
    /// The server's groups or categories.
    pub groups: Vec<String>,
}

/// An item as the server gives it; ids are decimal strings for both protocols.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteItem {
    pub id: String,
    pub feed_id: String,
    pub title: String,
    pub author: Option<String>,
    pub html: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
}

/// Which flag a mark sets or clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    Read,
    Starred,
}

/// The server's state: which items are unread and which starred.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemoteState {
    pub unread: HashSet<String>,
    pub starred: HashSet<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot reach the sync server: {0}")]
    Network(#[from] FetchError),
    #[error(
        "the sync server refused the user name or password ({0}); check [sync] user and the password source"
    )]
    Auth(String),
    #[error("the sync server answered something unexpected: {0}")]
    Protocol(String),
    #[error("cannot read the sync password: {0}")]
    Password(String),
}

/// A logged-in client for the configured server.
pub enum Client {
    Fever(fever::Fever),
    GoogleReader(greader::GoogleReader),
}

impl Client {
    /// Log in; `password` is used here and not kept beyond what the protocol needs (Fever's
    /// key is derived from it, Google Reader's token is given in exchange for it).
    pub async fn login(
        http: Http,
        config: &SyncConfig,
        password: &str,
    ) -> Result<Client, SyncError> {
        let server = Url::parse(&config.server)
            .map_err(|e| SyncError::Protocol(format!("[sync] server is not an address: {e}")))?;
        Ok(match config.api {
            SyncApi::Fever => {
                Client::Fever(fever::Fever::login(http, server, &config.user, password).await?)
            }
            SyncApi::GoogleReader => Client::GoogleReader(
                greader::GoogleReader::login(http, server, &config.user, password).await?,
            ),
        })
    }

    pub async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        match self {
            Client::Fever(c) => c.feeds().await,
            Client::GoogleReader(c) => c.feeds().await,
        }
    }

    pub async fn state(&self) -> Result<RemoteState, SyncError> {
        match self {
            Client::Fever(c) => c.state().await,
            Client::GoogleReader(c) => c.state().await,
        }
    }

    /// Items newer than `cursor` (what the last sync reached), up to `limit`, plus the ids
    /// in `wanted` (unread or starred items not stored yet); the new cursor comes back.
    pub async fn items(
        &self,
        cursor: Option<&str>,
        known: &HashSet<String>,
        wanted: &[String],
        limit: usize,
    ) -> Result<(Vec<RemoteItem>, Option<String>), SyncError> {
        match self {
            Client::Fever(c) => c.items(cursor, known, wanted, limit).await,
            Client::GoogleReader(c) => c.items(cursor, known, wanted, limit).await,
        }
    }

    /// Set (`on`) or clear `flag` on the items: idempotent on both protocols, never a toggle.
    /// Items the server no longer has come back in the error-free list `gone`.
    pub async fn mark(
        &self,
        ids: &[String],
        flag: Flag,
        on: bool,
    ) -> Result<Vec<String>, SyncError> {
        match self {
            Client::Fever(c) => c.mark(ids, flag, on).await,
            Client::GoogleReader(c) => c.mark(ids, flag, on).await,
        }
    }
}

/// A POST with `pairs` as an `application/x-www-form-urlencoded` body, the shape of every
/// write (and of Fever's every call) in both protocols.
fn form_post(http: &Http, url: &Url, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    http.request(reqwest::Method::POST, url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
}

/// Parse a JSON answer, saying what was expected when it is something else.
fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, SyncError> {
    serde_json::from_slice(body)
        .map_err(|e| SyncError::Protocol(format!("{what} is not the expected JSON ({e})")))
}

/// A body as text, cleaned for messages.
fn text(body: &[u8]) -> String {
    crate::text::clean_inline(&String::from_utf8_lossy(body))
}
