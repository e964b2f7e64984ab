//! Sync with a feed server, a peer of `refresh`: send the queued marks, then pull the
//! server's subscriptions, its new articles and its read and starred state into the store.
//!
//! The order is the conflict rule: a mark still queued here is sent first and so wins
//! once; after that the server's state is taken as it is. A mark is removed from the
//! queue only when the server has answered for it, so an unreachable server, a crash or a
//! SIGKILL leaves it queued for the next sync.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::Utc;

use crate::config::{Config, PasswordSource, SyncConfig};
use crate::model::{Article, Source};
use crate::sources::http::Http;
use crate::sources::sync::{Client, Flag, RemoteFeed, RemoteItem, SyncError};
use crate::store::{QueuedMark, Store, StoreError, SyncedFeed, SyncedItem};
use crate::text::clean_inline;

/// New items stored in one sync at most; the rest follow at the next.
const ITEMS_PER_SYNC: usize = 5_000;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SyncReport {
    /// Articles new to this machine.
    pub pulled: usize,
    /// Marks the server accepted.
    pub sent: usize,
    /// Marks changed here to follow the server.
    pub received: usize,
    /// Marks still queued.
    pub waiting: i64,
    /// Subscriptions the server follows.
    pub feeds: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncFailure {
    #[error("{0}")]
    Remote(#[from] SyncError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Runs syncs; cheap to clone.
#[derive(Clone)]
pub struct Syncer {
    http: Http,
    config: SyncConfig,
    db_path: PathBuf,
    /// Store keys of the configured feeds, by the identity a server address is matched on.
    configured: HashMap<String, String>,
}

/// How two addresses of one feed are matched: case and a trailing slash do not count.
fn identity(url: &str) -> String {
    url.trim().trim_end_matches('/').to_lowercase()
}

impl Syncer {
    /// None when the configuration has no `[sync]`.
    pub fn new(config: &Config, db_path: &Path) -> Result<Option<Syncer>, SyncError> {
        if config.sync.is_none() {
            return Ok(None);
        }
        Self::with_http(config, db_path, Http::new(config.http_settings())?).map(Some)
    }

    /// The same with a given client (tests use one that ignores proxies).
    pub fn with_http(config: &Config, db_path: &Path, http: Http) -> Result<Syncer, SyncError> {
        let sync = config
            .sync
            .clone()
            .ok_or_else(|| SyncError::Protocol("no [sync] table in the configuration".into()))?;
        let configured = config
            .feeds
            .iter()
            .filter_map(|f| match &f.source {
                Source::Feed { url } => Some((identity(url), f.source.key())),
                _ => None,
            })
            .collect();
        Ok(Syncer {
            http,
            config: sync,
            db_path: db_path.to_path_buf(),
            configured,
        })
    }

    /// One sync. A failure is also kept in the store, for `feeds` and the status bar.
    pub async fn run(&self) -> Result<SyncReport, SyncFailure> {
        let result = self.run_inner().await;
        if let Err(e) = &result
            && let Ok(mut store) = Store::open(&self.db_path)
        {
            let _ = store.set_sync_values(&[("last_error", Some(e.to_string()))]);
        }
        result
    }

    async fn run_inner(&self) -> Result<SyncReport, SyncFailure> {
        let source = self.config.password.clone();
        let password = tokio::task::spawn_blocking(move || read_password(&source))
            .await
            .map_err(|e| SyncError::Password(e.to_string()))??;
        let client = Client::login(self.http.clone(), &self.config, &password).await?;
        drop(password);
        let mut store = Store::open(&self.db_path)?;
        let server = format!(
            "{:?} {} {}",
            self.config.api, self.config.server, self.config.user
        );
        match store.sync_value("server")? {
            Some(known) if known == server => {}
            Some(_) => store.sync_forget_server()?,
            None => {}
        }
        store.set_sync_values(&[("server", Some(server))])?;
        let mut report = SyncReport {
            sent: push(&client, &mut store).await?,
            ..SyncReport::default()
        };

        let feeds = client.feeds().await?;
        report.feeds = feeds.len();
        let rows: Vec<SyncedFeed> = feeds.iter().map(|f| self.row_for(f)).collect();
        let feed_ids = store.sync_feeds(&rows)?;

        let state = client.state().await?;
        let known = store.sync_known_items()?;
        let mut wanted: Vec<String> = state
            .unread
            .iter()
            .chain(&state.starred)
            .filter(|id| !known.contains(*id))
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        wanted.sort();
        let cursor = store.sync_value("cursor")?;
        let (items, cursor) = client
            .items(cursor.as_deref(), &known, &wanted, ITEMS_PER_SYNC)
            .await?;
        let items: Vec<SyncedItem> = items
            .into_iter()
            .filter_map(|item| {
                let feed = *feed_ids.get(&item.feed_id)?;
                Some(SyncedItem {
                    feed,
                    remote_id: item.id.clone(),
                    article: article(item),
                })
            })
            .collect();
        let now = Utc::now();
        report.pulled = store.sync_store_items(&items, now)?;
        report.received = store.sync_apply_state(&state)?;
        store.set_sync_values(&[
            ("last_sync", Some(now.timestamp().to_string())),
            ("cursor", cursor),
            ("last_error", None),
        ])?;
        report.waiting = store.sync_waiting()?;
        Ok(report)
    }

    /// The row a server subscription fills: the configured feed's when the address is the
    /// same, so that it appears once.
    fn row_for(&self, feed: &RemoteFeed) -> SyncedFeed {
        let key = feed
            .url
            .as_deref()
            .map(|url| {
                self.configured
                    .get(&identity(url))
                    .cloned()
                    .unwrap_or_else(|| url.to_string())
            })
            .unwrap_or_else(|| format!("sync:{}", feed.id));
        SyncedFeed {
            remote_id: feed.id.clone(),
            key,
            title: feed
                .title
                .as_deref()
                .map(clean_inline)
                .filter(|t| !t.is_empty()),
            site_link: feed.site_url.clone(),
            groups: feed
                .groups
                .iter()
                .map(|g| clean_inline(g))
                .filter(|g| !g.is_empty())
                .collect(),
        }
    }
}

/// Send every queued mark, grouped by what it sets; returns how many the server took.
async fn push(client: &Client, store: &mut Store) -> Result<usize, SyncFailure> {
    let outbox = store.sync_outbox()?;
    let mut groups: HashMap<(Flag, bool), Vec<QueuedMark>> = HashMap::new();
    for mark in outbox {
        groups.entry((mark.flag, mark.on)).or_default().push(mark);
    }
    let mut sent = 0;
    for ((flag, on), marks) in groups {
        let ids: Vec<String> = marks.iter().map(|m| m.remote_id.clone()).collect();
        // Items the server no longer has cannot take a mark: they leave the queue too.
        let gone = client.mark(&ids, flag, on).await?;
        sent += marks.len() - gone.len();
        store.sync_sent(&marks)?;
    }
    Ok(sent)
}

fn article(item: RemoteItem) -> Article {
    let text = item
        .html
        .as_deref()
        .map(crate::sources::feed::plain_text)
        .unwrap_or_default();
    Article {
        guid: String::new(),
        title: clean_inline(&item.title),
        link: item.url.map(|u| clean_inline(&u)),
        author: item.author.map(|a| clean_inline(&a)),
        published: item.published,
        language: None,
        html: item.html,
        text,
        links: Vec::new(),
        engagement: None,
    }
}

/// The password, from its command's first line of output or its environment variable.
/// Messages say what failed, never what was read.
pub fn read_password(source: &PasswordSource) -> Result<String, SyncError> {
    let password = match source {
        PasswordSource::Env(name) => std::env::var(name).map_err(|_| {
            SyncError::Password(format!(
                "the environment variable {name} (password_env) is not set"
            ))
        })?,
        PasswordSource::Command(argv) => {
            let (program, args) = argv
                .split_first()
                .ok_or_else(|| SyncError::Password("password_command is empty".into()))?;
            let output = Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .map_err(|e| {
                    SyncError::Password(format!("cannot run `{program}` (password_command): {e}"))
                })?;
            if !output.status.success() {
                return Err(SyncError::Password(format!(
                    "`{program}` (password_command) failed: {}",
                    output.status
                )));
            }
            let text = String::from_utf8(output.stdout).map_err(|_| {
                SyncError::Password(format!(
                    "`{program}` (password_command) printed something that is not UTF-8"
                ))
            })?;
            text.lines().next().unwrap_or_default().to_string()
        }
    };
    if password.is_empty() {
        return Err(SyncError::Password("the password is empty".into()));
    }
    Ok(password)
}
