//! Articles from a refresh or a sync into the store: idempotent upserts that never touch
//! read state, then the search index for the new rows.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Transaction, params};

use super::StoreError;
use super::folds::{NewFold, canonical_of};
use crate::model::{Article, FeedId};
use crate::sources::language::iso_639_1;

/// What a refresh did to a feed's articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Longest title kept; past it a title is noise (and a hostile one could be megabytes).
const MAX_TITLE_CHARS: usize = 1_000;
/// A date further ahead than this is not believed: the article is dated when first seen.
const FUTURE_SLACK: Duration = Duration::days(2);

/// How long a sighting of an unchanged article may go unwritten. Writing each one rewrote
/// every row of a feed sent whole at every refresh (a server without validators, a Bluesky
/// account): more bytes than the first refresh. The purge allows for it.
pub(super) const SEEN_SLACK: Duration = Duration::days(1);

/// An article still listed by its source counts as seen now (for retention), unless it was
/// seen less than [`SEEN_SLACK`] ago.
const TOUCH: &str = "UPDATE articles SET last_seen = ?3
     WHERE feed_id = ?1 AND guid = ?2 AND last_seen < ?3 - ?4";

/// A row written by this transaction, waiting to be indexed for search: (id, title, text).
pub(super) type NewRow<'a> = (i64, &'a str, &'a str);

/// Write the articles of several feeds; counts come back in `feeds`' order.
pub(super) fn upsert_feeds<'a>(
    tx: &Transaction<'_>,
    feeds: &[(FeedId, &'a [Article])],
    now: DateTime<Utc>,
    new_rows: &mut Vec<NewRow<'a>>,
    new_folds: &mut Vec<NewFold<'a>>,
) -> Result<Vec<UpsertCounts>, StoreError> {
    let mut all_counts = vec![UpsertCounts::default(); feeds.len()];
    let mut insert = tx.prepare_cached(
        "INSERT INTO articles (feed_id, guid, title, link, author, published, first_seen, last_seen,
                               language, html, text, links, canonical)
         VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, ?7), ?7, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (feed_id, guid) DO NOTHING",
    )?;
    // Only rows whose content really changed are rewritten, so search is reindexed only
    // for them; read and starred are never in the SET list.
    let mut update = tx.prepare_cached(
        "UPDATE articles SET title = ?3, link = ?4, author = ?5, published = COALESCE(?6, published),
                last_seen = ?7, language = ?8, html = ?9, text = ?10, links = ?11, canonical = ?12
         WHERE feed_id = ?1 AND guid = ?2
           AND (title IS NOT ?3 OR link IS NOT ?4 OR author IS NOT ?5 OR html IS NOT ?9
                OR text IS NOT ?10 OR links IS NOT ?11 OR language IS NOT ?8
                OR (?6 IS NOT NULL AND published IS NOT ?6))",
    )?;
    let mut touch = tx.prepare_cached(TOUCH)?;
    // A post's counts change at nearly every refresh: written on their own, so the row's
    // text is not rewritten (and reindexed for search) for a new like.
    let mut engage = tx.prepare_cached(
        "UPDATE articles SET likes = ?3, reposts = ?4, replies = ?5, quotes = ?6
         WHERE feed_id = ?1 AND guid = ?2
           AND (likes IS NOT ?3 OR reposts IS NOT ?4 OR replies IS NOT ?5 OR quotes IS NOT ?6)",
    )?;
    // Last first: undated articles all get `now`, and the list breaks that tie by id, so the
    // source's first (newest) item must get the highest id to stay on top.
    let mut order: Vec<(usize, &'a Article, Option<i64>)> = feeds
        .iter()
        .enumerate()
        .flat_map(|(slot, (_, articles))| {
            articles.iter().rev().map(move |article| {
                let published = article
                    .published
                    .filter(|p| *p <= now + FUTURE_SLACK)
                    .map(|p| p.timestamp());
                (slot, article, published)
            })
        })
        .collect();
    // Oldest first, across the whole batch (a stable sort: ties keep the order above), so
    // the list's date indexes are written front to back and each page is done with while
    // the writer's small cache still holds it. In arrival order the rows landed all over
    // those indexes, and the cache wrote pages out and read them back mid-transaction: a
    // 100,000-article fill wrote 2.9 GB instead of 1.8. Ids follow this order, so within a
    // batch the earliest copy of a story leads it (`folds::fold_new`).
    order.sort_by_key(|&(_, _, published)| published.unwrap_or(now.timestamp()));
    for (slot, article, published) in order {
        let feed = feeds[slot].0;
        let counts = &mut all_counts[slot];
        let title = cap_chars(&article.title, MAX_TITLE_CHARS);
        let links = serde_json::to_string(&article.links).unwrap_or_else(|_| "[]".into());
        let canonical = canonical_of(article.link.as_deref());
        let language = article.language.as_deref().and_then(iso_639_1);
        let values = params![
            feed,
            article.guid,
            title,
            article.link,
            article.author,
            published,
            now.timestamp(),
            language,
            article.html,
            article.text,
            links,
            canonical
        ];
        if insert.execute(values)? == 1 {
            counts.new += 1;
            let id = tx.last_insert_rowid();
            new_rows.push((id, title, &article.text));
            new_folds.push(NewFold {
                id,
                feed,
                canonical,
                links: &article.links,
            });
        } else if update.execute(values)? == 1 {
            counts.updated += 1;
        } else {
            seen(&mut touch, feed, &article.guid, now)?;
            counts.unchanged += 1;
        }
        if let Some(e) = &article.engagement {
            let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
            engage.execute(params![
                feed,
                article.guid,
                count(e.likes),
                count(e.reposts),
                count(e.replies),
                count(e.quotes)
            ])?;
        }
    }
    // New rows are unread (see schema migration 4).
    for ((feed, _), counts) in feeds.iter().zip(&all_counts) {
        if counts.new > 0 {
            tx.prepare_cached(
                "UPDATE feeds SET total_count = total_count + ?2, unread_count = unread_count + ?2
                 WHERE id = ?1",
            )?
            .execute(params![feed, counts.new as i64])?;
        }
    }
    Ok(all_counts)
}

/// Index new rows for search after they are all written: FTS5 writes its pending terms out
/// as an index segment at every savepoint, and the insert trigger of schema 1 made each
/// article's INSERT open one. Plain single-row inserts open none, so the whole transaction
/// becomes one segment.
pub(super) fn index_new(tx: &Transaction<'_>, rows: &[NewRow<'_>]) -> Result<(), StoreError> {
    let mut index =
        tx.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
    for (id, title, text) in rows {
        index.execute(params![id, title, text])?;
    }
    Ok(())
}

/// Mark articles as still listed by their source, without rewriting them.
pub(super) fn touch(
    tx: &Transaction<'_>,
    feed: FeedId,
    guids: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut touch = tx.prepare_cached(TOUCH)?;
    for guid in guids {
        seen(&mut touch, feed, guid, now)?;
    }
    Ok(())
}

/// One sighting through a prepared [`TOUCH`].
fn seen(
    touch: &mut rusqlite::CachedStatement<'_>,
    feed: FeedId,
    guid: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    touch.execute(params![
        feed,
        guid,
        now.timestamp(),
        SEEN_SLACK.num_seconds()
    ])?;
    Ok(())
}

fn cap_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((cut, _)) => &s[..cut],
        None => s,
    }
}
