//! Subscriptions in the store: their rows, what a refresh learned, and their counts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::folds::ORG_SQL;
use super::{Store, StoreError, UpsertCounts};
use crate::model::FeedId;
use crate::sources::FetchError;
use crate::sources::fetch::{Fetched, Prior};
use crate::sources::http::Validators;

/// A subscription as the configuration names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub key: String,
    pub title: Option<String>,
}

/// A subscription's state for the feed list and `coopnews feeds`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedStatus {
    pub id: FeedId,
    pub key: String,
    /// The configured title, else the feed's own, else its key.
    pub title: String,
    /// Its organisation: the configured `org`, else its title.
    pub org: String,
    pub site_link: Option<String>,
    pub resolved: Option<String>,
    pub unread: i64,
    pub total: i64,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub http_status: Option<u16>,
    pub retry_until: Option<DateTime<Utc>>,
}

fn time(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| DateTime::from_timestamp(s, 0))
}

impl Store {
    /// Make sure every subscription has a row and its configured title; ids in the same order.
    /// Rows of subscriptions no longer configured are kept, with their read state, in case
    /// they come back.
    pub fn sync_subscriptions(&mut self, subs: &[Subscription]) -> Result<Vec<FeedId>, StoreError> {
        // Every start and every command calls this; when nothing changed (the usual case) it
        // only reads, so it neither waits for a refresh's write lock nor writes the log.
        if let Some(ids) = self.unchanged_subscriptions(subs)? {
            return Ok(ids);
        }
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(subs.len());
        {
            let mut upsert = tx.prepare(
                "INSERT INTO feeds (key, config_title) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET config_title = excluded.config_title
                 RETURNING id",
            )?;
            for sub in subs {
                ids.push(upsert.query_row(params![sub.key, sub.title], |r| r.get(0))?);
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// The ids of `subs` when each has its row already, with the same configured title.
    fn unchanged_subscriptions(
        &self,
        subs: &[Subscription],
    ) -> Result<Option<Vec<FeedId>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, id, config_title FROM feeds")?;
        let stored: HashMap<String, (FeedId, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<Result<_, _>>()?;
        Ok(subs
            .iter()
            .map(|sub| match stored.get(&sub.key) {
                Some((id, title)) if *title == sub.title => Some(*id),
                _ => None,
            })
            .collect())
    }

    /// What the last refresh left for the next one, with the ids of the `known` newest
    /// articles.
    pub fn prior(&self, feed: FeedId, known: usize) -> Result<Prior, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT etag, last_modified, resolved, digest FROM feeds WHERE id = ?1",
                [feed],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((etag, last_modified, resolved, digest)) = row else {
            return Ok(Prior::default());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT guid FROM articles WHERE feed_id = ?1 ORDER BY published DESC, id DESC LIMIT ?2",
        )?;
        let known_guids = stmt
            .query_map(params![feed, known as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(Prior {
            validators: Validators {
                etag,
                last_modified,
                digest,
            },
            resolved,
            known_guids,
        })
    }

    /// Store a successful fetch: the feed's state and all its articles, in one transaction.
    pub fn record_fetched(
        &mut self,
        feed: FeedId,
        fetched: &Fetched,
        now: DateTime<Utc>,
    ) -> Result<UpsertCounts, StoreError> {
        let counts = self.record_batch(&[(feed, Record::Fetched(fetched))], now)?;
        Ok(counts[0])
    }

    /// Store several refresh results in one transaction: all of them or, when the database
    /// cannot be written, none. One commit and one search-index flush for the whole batch
    /// instead of one per feed, which is most of what a refresh of many small feeds costs.
    /// The articles of all its feeds are written together, oldest first (see
    /// `upsert::upsert_feeds`). Counts come back in the batch's order (zero for anything but
    /// a fetch).
    pub fn record_batch(
        &mut self,
        batch: &[(FeedId, Record<'_>)],
        now: DateTime<Utc>,
    ) -> Result<Vec<UpsertCounts>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut new_rows = Vec::new();
        let mut new_folds = Vec::new();
        let mut articles = Vec::with_capacity(batch.len());
        for (feed, record) in batch {
            articles.push(match record {
                Record::Fetched(fetched) => {
                    fetched_to(&tx, *feed, fetched, now)?;
                    (*feed, fetched.parsed.articles.as_slice())
                }
                Record::NotModified => {
                    not_modified_to(&tx, *feed, now)?;
                    (*feed, &[][..])
                }
                Record::Failed(error) => {
                    error_to(&tx, *feed, error, now)?;
                    (*feed, &[][..])
                }
            });
        }
        let counts =
            super::upsert::upsert_feeds(&tx, &articles, now, &mut new_rows, &mut new_folds)?;
        super::upsert::index_new(&tx, &new_rows)?;
        super::folds::fold_new(&tx, &new_folds)?;
        tx.commit()?;
        Ok(counts)
    }

    /// Every subscription's state with its unread and total counts, in id order.
    pub fn feed_statuses(&self) -> Result<Vec<FeedStatus>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT f.id, f.key, COALESCE(f.config_title, f.feed_title, f.key), f.site_link, f.resolved,
                    f.unread_count, f.total_count, f.last_attempt, f.last_success,
                    f.last_error, f.http_status, f.retry_until, {ORG_SQL}
             FROM feeds f
             ORDER BY f.id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(FeedStatus {
                id: r.get(0)?,
                key: r.get(1)?,
                title: r.get(2)?,
                site_link: r.get(3)?,
                resolved: r.get(4)?,
                unread: r.get(5)?,
                total: r.get(6)?,
                last_attempt: time(r.get(7)?),
                last_success: time(r.get(8)?),
                last_error: r.get(9)?,
                http_status: r.get(10)?,
                retry_until: time(r.get(11)?),
                org: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// One refresh result, as [`Store::record_batch`] stores it.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a> {
    Fetched(&'a Fetched),
    NotModified,
    Failed(&'a FetchError),
}

fn fetched_to(
    tx: &Transaction<'_>,
    feed: FeedId,
    fetched: &Fetched,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let meta = &fetched.parsed.meta;
    tx.prepare_cached(
        "UPDATE feeds SET feed_title = COALESCE(?2, feed_title), site_link = COALESCE(?3, site_link),
             resolved = ?4, etag = ?5, last_modified = ?6, last_attempt = ?7, last_success = ?7,
             listed_at = ?7, last_error = NULL, http_status = 200, retry_until = NULL, digest = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        feed,
        meta.title.as_deref().filter(|t| !t.is_empty()),
        meta.site_link,
        fetched.resolved,
        fetched.validators.etag,
        fetched.validators.last_modified,
        now.timestamp(),
        fetched.validators.digest
    ])?;
    super::upsert::touch(tx, feed, &fetched.still_listed, now)?;
    Ok(())
}

fn not_modified_to(
    tx: &Transaction<'_>,
    feed: FeedId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE feeds SET last_attempt = ?2, last_success = ?2, last_error = NULL,
             http_status = 304, retry_until = NULL WHERE id = ?1",
    )?
    .execute(params![feed, now.timestamp()])?;
    Ok(())
}

fn error_to(
    tx: &Transaction<'_>,
    feed: FeedId,
    error: &FetchError,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let status = match error {
        FetchError::Status { code, .. } => Some(*code),
        FetchError::RateLimited { .. } => Some(429),
        _ => None,
    };
    let retry_until = match error {
        FetchError::RateLimited { until } => Some(until.timestamp()),
        _ => None,
    };
    tx.prepare_cached(
        "UPDATE feeds SET last_attempt = ?2, last_error = ?3, http_status = ?4, retry_until = ?5
         WHERE id = ?1",
    )?
    .execute(params![
        feed,
        now.timestamp(),
        error.to_string(),
        status,
        retry_until
    ])?;
    Ok(())
}
