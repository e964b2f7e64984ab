//! What sync with a feed server keeps: the server's ids for subscriptions and articles, the
//! outbox of marks waiting to be sent, and the sync's own state (last time, cursor, error).
//!
//! A mark made here is written with its outbox row in the same transaction (see
//! `articles::set_flag`), so a crash or a SIGKILL can lose neither one without the other.
//! The outbox holds the wanted value (set or clear), never a toggle, so sending it twice is
//! harmless; a row is removed only if it was not changed while it was being sent.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter, types::Value};

use super::{Store, StoreError};
use crate::model::{Article, FeedId};
use crate::sources::sync::{Flag, RemoteState};

/// Schema step: the sync tables. Kept here so it can be renumbered when merged.
pub(super) const MIGRATION: &str = r#"
    CREATE TABLE sync_feeds (
        remote_id   TEXT PRIMARY KEY,
        feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        groups      TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX sync_feeds_by_feed ON sync_feeds (feed_id);
    CREATE TABLE sync_items (
        remote_id   TEXT PRIMARY KEY,
        article_id  INTEGER NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE TABLE sync_outbox (
        remote_id   TEXT NOT NULL,
        flag        TEXT NOT NULL,
        value       INTEGER NOT NULL,
        seq         INTEGER NOT NULL,
        PRIMARY KEY (remote_id, flag)
    );
    CREATE TABLE sync_state (
        key         TEXT PRIMARY KEY,
        value       TEXT
    );
"#;

/// A mark waiting to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedMark {
    pub remote_id: String,
    pub flag: Flag,
    pub on: bool,
    seq: i64,
}

/// A server subscription, as sync hands it to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedFeed {
    pub remote_id: String,
    /// The key of its row: the feed's address (the same row as a configured feed with it).
    pub key: String,
    pub title: Option<String>,
    pub site_link: Option<String>,
    pub groups: Vec<String>,
}

/// A server item for a subscription's row.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedItem {
    pub feed: FeedId,
    pub remote_id: String,
    pub article: Article,
}

fn flag_column(flag: Flag) -> &'static str {
    match flag {
        Flag::Read => "read",
        Flag::Starred => "starred",
    }
}

/// Queue the change a mark makes to articles the server knows, inside the mark's own
/// transaction. `clause` and `values` are the mark's (`AND …` on `a`; `?1` is the value).
pub(super) fn queue_marks(
    tx: &Transaction<'_>,
    column: &str,
    clause: &str,
    values: &[Value],
) -> Result<(), StoreError> {
    // Nothing to queue before the first sync (the usual case without a server): a read.
    let synced: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM sync_items)", [], |r| r.get(0))?;
    if !synced {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO sync_outbox (remote_id, flag, value, seq)
         SELECT s.remote_id, '{column}', ?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_outbox)
         FROM articles AS a JOIN sync_items s ON s.article_id = a.id
         WHERE a.{column} IS NOT ?1 {clause}
         ON CONFLICT (remote_id, flag) DO UPDATE SET value = excluded.value, seq = excluded.seq"
    );
    tx.execute(&sql, params_from_iter(values))?;
    Ok(())
}

impl Store {
    /// Every mark waiting to be sent, oldest first.
    pub fn sync_outbox(&self) -> Result<Vec<QueuedMark>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT remote_id, flag, value, seq FROM sync_outbox ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            let flag: String = r.get(1)?;
            Ok(QueuedMark {
                remote_id: r.get(0)?,
                flag: if flag == "starred" {
                    Flag::Starred
                } else {
                    Flag::Read
                },
                on: r.get(2)?,
                seq: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forget marks the server has; one changed meanwhile stays queued.
    pub fn sync_sent(&mut self, marks: &[QueuedMark]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached(
                "DELETE FROM sync_outbox WHERE remote_id = ?1 AND flag = ?2 AND seq = ?3",
            )?;
            for mark in marks {
                delete.execute(params![mark.remote_id, flag_column(mark.flag), mark.seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks waiting to be sent.
    pub fn sync_waiting(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM sync_outbox", [], |r| r.get(0))?)
    }

    /// Marks waiting, by the subscription of their article.
    pub fn sync_waiting_by_feed(&self) -> Result<HashMap<FeedId, i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.feed_id, COUNT(*) FROM sync_outbox o
             JOIN sync_items s ON s.remote_id = o.remote_id JOIN articles a ON a.id = s.article_id
             GROUP BY a.feed_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Give each server subscription its row (the configured one when the address is the
    /// same) and remember its groups; returns server id → row id.
    pub fn sync_feeds(
        &mut self,
        feeds: &[SyncedFeed],
    ) -> Result<HashMap<String, FeedId>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut ids = HashMap::with_capacity(feeds.len());
        {
            let mut row = tx.prepare_cached(
                "INSERT INTO feeds (key, feed_title, site_link) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET feed_title = COALESCE(excluded.feed_title, feed_title),
                     site_link = COALESCE(excluded.site_link, site_link)
                 RETURNING id",
            )?;
            let mut link = tx.prepare_cached(
                "INSERT INTO sync_feeds (remote_id, feed_id, groups) VALUES (?1, ?2, ?3)
                 ON CONFLICT (remote_id) DO UPDATE SET feed_id = excluded.feed_id, groups = excluded.groups",
            )?;
            for feed in feeds {
                let id: FeedId =
                    row.query_row(params![feed.key, feed.title, feed.site_link], |r| r.get(0))?;
                let groups = serde_json::to_string(&feed.groups).unwrap_or_else(|_| "[]".into());
                link.execute(params![feed.remote_id, id, groups])?;
                ids.insert(feed.remote_id.clone(), id);
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Rows that sync fills, with the server's groups; a refresh leaves them to it.
    pub fn synced_feeds(&self) -> Result<HashMap<FeedId, Vec<String>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT feed_id, groups FROM sync_feeds")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, FeedId>(0)?, r.get::<_, String>(1)?)))?;
        let mut feeds: HashMap<FeedId, Vec<String>> = HashMap::new();
        for row in rows {
            let (id, groups) = row?;
            let groups: Vec<String> = serde_json::from_str(&groups).unwrap_or_default();
            feeds.entry(id).or_default().extend(groups);
        }
        Ok(feeds)
    }

    /// Server ids of the items stored already.
    pub fn sync_known_items(&self) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT remote_id FROM sync_items")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Store server items and remember their ids, in one transaction; an article the feed
    /// already has under the same link is the same article. Returns how many are new.
    pub fn sync_store_items(
        &mut self,
        items: &[SyncedItem],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut by_feed: HashMap<FeedId, Vec<(usize, Article)>> = HashMap::new();
        {
            let mut same = tx.prepare_cached(
                "SELECT guid FROM articles WHERE feed_id = ?1 AND (guid = ?2 OR link = ?2) LIMIT 1",
            )?;
            for (index, item) in items.iter().enumerate() {
                let mut article = item.article.clone();
                let existing: Option<String> = match &article.link {
                    Some(link) => same
                        .query_row(params![item.feed, link], |r| r.get(0))
                        .optional()?,
                    None => None,
                };
                article.guid = existing
                    .or_else(|| article.link.clone())
                    .unwrap_or_else(|| format!("sync:{}", item.remote_id));
                by_feed.entry(item.feed).or_default().push((index, article));
            }
        }
        let mut new_rows = Vec::new();
        let mut new_folds = Vec::new();
        let mut guids: Vec<(usize, FeedId, String)> = Vec::new();
        let grouped: Vec<(FeedId, Vec<usize>, Vec<Article>)> = by_feed
            .into_iter()
            .map(|(feed, list)| {
                let (indexes, articles): (Vec<usize>, Vec<Article>) = list.into_iter().unzip();
                (feed, indexes, articles)
            })
            .collect();
        let feeds: Vec<(FeedId, &[Article])> = grouped
            .iter()
            .map(|(feed, _, articles)| (*feed, articles.as_slice()))
            .collect();
        let new: usize =
            super::upsert::upsert_feeds(&tx, &feeds, now, &mut new_rows, &mut new_folds)?
                .iter()
                .map(|counts| counts.new)
                .sum();
        for (feed, indexes, articles) in &grouped {
            for (index, article) in indexes.iter().zip(articles) {
                guids.push((*index, *feed, article.guid.clone()));
            }
        }
        super::upsert::index_new(&tx, &new_rows)?;
        super::folds::fold_new(&tx, &new_folds)?;
        drop(new_rows);
        drop(new_folds);
        {
            let mut map = tx.prepare_cached(
                "INSERT OR REPLACE INTO sync_items (remote_id, article_id)
                 SELECT ?1, id FROM articles WHERE feed_id = ?2 AND guid = ?3",
            )?;
            for (index, feed, guid) in guids {
                map.execute(params![items[index].remote_id, feed, guid])?;
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// Take the server's read and starred state for every item both sides know, except
    /// where a mark made here is still queued (it wins once: it is sent next). Returns how
    /// many marks changed here.
    pub fn sync_apply_state(&mut self, state: &RemoteState) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        {
            let queued: HashSet<(String, String)> = tx
                .prepare("SELECT remote_id, flag FROM sync_outbox")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let rows: Vec<(String, i64, bool, bool)> = tx
                .prepare(
                    "SELECT s.remote_id, a.id, a.read, a.starred
                     FROM sync_items s JOIN articles a ON a.id = s.article_id",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?;
            let mut set_read = tx.prepare_cached("UPDATE articles SET read = ?2 WHERE id = ?1")?;
            let mut set_starred =
                tx.prepare_cached("UPDATE articles SET starred = ?2 WHERE id = ?1")?;
            for (remote, id, read, starred) in rows {
                let wants_read = !state.unread.contains(&remote);
                if read != wants_read && !queued.contains(&(remote.clone(), "read".into())) {
                    changed += set_read.execute(params![id, wants_read])?;
                }
                let wants_starred = state.starred.contains(&remote);
                if starred != wants_starred && !queued.contains(&(remote.clone(), "starred".into()))
                {
                    changed += set_starred.execute(params![id, wants_starred])?;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// A value the sync keeps between runs (`last_sync`, `cursor`, `last_error`, `server`).
    pub fn sync_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?
            .flatten())
    }

    pub fn set_sync_values(&mut self, values: &[(&str, Option<String>)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (key, value) in values {
            tx.execute(
                "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Forget another server's ids (the configuration now names a different one); marks
    /// made for it and not sent are dropped with them.
    pub fn sync_forget_server(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "BEGIN; DELETE FROM sync_items; DELETE FROM sync_feeds; DELETE FROM sync_outbox;
             DELETE FROM sync_state; COMMIT;",
        )?;
        Ok(())
    }

    /// When the last sync succeeded.
    pub fn last_sync(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .sync_value("last_sync")?
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|s| DateTime::from_timestamp(s, 0)))
    }
}
