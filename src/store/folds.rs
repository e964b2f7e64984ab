//! One story, one row: a copy of an article stored from another subscription (same
//! canonical link), or a Bluesky post announcing an article of its own organisation, is
//! folded into that article (`folded_into`). Read marks reach every row of a story.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter, types::Value};
use serde::Serialize;

use super::{Store, StoreError};
use crate::model::{ArticleId, Engagement, FeedId};
use crate::sources::canonical::canonical;

/// The organisation of a subscription: its `org`, else its title, else its address.
pub(super) const ORG_SQL: &str = "COALESCE(f.org, f.config_title, f.feed_title, f.key)";

/// A row written by this batch, waiting to be folded: id, feed, canonical link, its links.
pub(super) struct NewFold<'a> {
    pub id: ArticleId,
    pub feed: FeedId,
    pub canonical: Option<String>,
    pub links: &'a [String],
}

/// Another row of a story, for `list --json` (`also`) and the reader's "On Bluesky".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlsoRow {
    pub id: ArticleId,
    #[serde(skip)]
    pub feed_id: FeedId,
    /// The subscription's title.
    pub feed: String,
    #[serde(skip)]
    pub title: String,
    pub link: Option<String>,
    #[serde(serialize_with = "rfc3339")]
    pub published: DateTime<Utc>,
    pub text: String,
    /// Whether it is a Bluesky post (else a copy from another subscription).
    #[serde(skip)]
    pub is_post: bool,
    /// A post's likes and reposts as last fetched.
    #[serde(skip)]
    pub engagement: Option<Engagement>,
}

fn rfc3339<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// An unread row folded into a story: the sidebar's counts count the story once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldedUnread {
    /// The folded row's subscription.
    pub feed: FeedId,
    /// The story's first row, and its subscription.
    pub story: ArticleId,
    pub story_feed: FeedId,
}

/// The canonical link stored for an article's link.
pub(super) fn canonical_of(link: Option<&str>) -> Option<String> {
    link.map(canonical).filter(|c| !c.is_empty())
}

/// Bluesky's own addresses (profiles, hashtags, images) announce no article.
fn is_bluesky_own(link: &str) -> bool {
    url::Url::parse(link).ok().is_some_and(|u| {
        u.host_str().is_some_and(|h| {
            ["bsky.app", "bsky.social", "bsky.network"]
                .iter()
                .any(|own| h == *own || h.ends_with(&format!(".{own}")))
        })
    })
}

/// Fold the rows a batch wrote: each new copy into the story it repeats, each new post into
/// the article it announces, and each new article takes in the posts that announced it
/// before it arrived.
pub(super) fn fold_new(tx: &Transaction<'_>, rows: &[NewFold<'_>]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut feed_of = tx.prepare_cached(&format!(
        "SELECT f.key LIKE 'bluesky:%', {ORG_SQL} FROM feeds f WHERE f.id = ?1"
    ))?;
    // The first row stored with the address leads the story; a row stored later in the same
    // batch is not looked at, or two copies would each fold into the other.
    let mut copy_of = tx.prepare_cached(
        "SELECT COALESCE(folded_into, id) FROM articles
         WHERE canonical = ?1 AND id < ?2 ORDER BY id LIMIT 1",
    )?;
    let mut announced = tx.prepare_cached(&format!(
        "SELECT COALESCE(a.folded_into, a.id) FROM articles a JOIN feeds f ON f.id = a.feed_id
         WHERE a.canonical = ?1 AND a.id != ?2 AND f.key NOT LIKE 'bluesky:%' AND {ORG_SQL} = ?3
         ORDER BY a.id LIMIT 1"
    ))?;
    let mut fold = tx.prepare_cached(
        "UPDATE articles SET folded_into = ?2,
             read = (SELECT r.read FROM articles r WHERE r.id = ?2)
         WHERE id = ?1",
    )?;
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO article_links (canonical, article_id) VALUES (?1, ?2)",
    )?;
    let mut short = tx.prepare_cached("SELECT target FROM short_links WHERE url = ?1")?;
    let mut adopt = tx.prepare_cached(&format!(
        "UPDATE articles SET folded_into = ?1
         WHERE folded_into IS NULL AND id != ?1 AND id IN (
             SELECT l.article_id FROM article_links l
             JOIN articles p ON p.id = l.article_id JOIN feeds f ON f.id = p.feed_id
             WHERE l.canonical = ?2 AND {ORG_SQL} = ?3)"
    ))?;
    let mut regroup = tx.prepare_cached(
        "UPDATE articles SET folded_into = ?1
         WHERE folded_into IN (SELECT id FROM articles WHERE folded_into = ?1)",
    )?;
    let mut regroup_into =
        tx.prepare_cached("UPDATE articles SET folded_into = ?1 WHERE folded_into = ?2")?;
    let mut any_posts: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM article_links)", [], |r| {
            r.get(0)
        })?;
    let mut feed_cache: Option<(FeedId, bool, String)> = None;
    for row in rows {
        let (is_post, org) = match &feed_cache {
            Some((feed, is_post, org)) if *feed == row.feed => (*is_post, org.clone()),
            _ => {
                let (is_post, org): (bool, String) =
                    feed_of.query_row([row.feed], |r| Ok((r.get(0)?, r.get(1)?)))?;
                feed_cache = Some((row.feed, is_post, org.clone()));
                (is_post, org)
            }
        };
        let mut announces = Vec::new();
        if is_post {
            for url in row.links.iter().filter(|l| !is_bluesky_own(l)) {
                let target: Option<String> =
                    short.query_row([url], |r| r.get(0)).optional()?.flatten();
                let c = canonical(target.as_deref().unwrap_or(url));
                if !announces.contains(&c) {
                    link.execute(params![c, row.id])?;
                    announces.push(c);
                    any_posts = true;
                }
            }
        }
        let mut root: Option<ArticleId> = match &row.canonical {
            Some(c) => copy_of
                .query_row(params![c, row.id], |r| r.get(0))
                .optional()?,
            None => None,
        };
        for c in &announces {
            if root.is_some() {
                break;
            }
            root = announced
                .query_row(params![c, row.id, org], |r| r.get(0))
                .optional()?;
        }
        if let Some(root) = root.filter(|root| *root != row.id) {
            fold.execute(params![row.id, root])?;
            // Posts this batch already folded into the row follow it into the story.
            regroup_into.execute(params![root, row.id])?;
        } else if !is_post
            && any_posts
            && let Some(c) = &row.canonical
            && adopt.execute(params![row.id, c, org])? > 0
        {
            regroup.execute([row.id])?;
        }
    }
    Ok(())
}

/// After a read mark: the rest of each story follows. `clause` selects the rows marked
/// (as in `set_flag`, starting with `AND`, alias `a`), with `values` after `?1`.
pub(super) fn spread_read(
    conn: &rusqlite::Connection,
    clause: &str,
    values: &[Value],
) -> Result<usize, StoreError> {
    // Stories whose folded row was marked: their first row takes the mark...
    let sql = format!(
        "UPDATE articles SET read = ?1 WHERE read IS NOT ?1 AND id IN (
             SELECT a.folded_into FROM articles a WHERE a.folded_into IS NOT NULL {clause})"
    );
    let mut changed = conn.execute(&sql, params_from_iter(values))?;
    // ...and every folded row follows its story's first row (few rows: a partial index).
    changed += conn.execute(
        "UPDATE articles AS m SET read = (SELECT r.read FROM articles r WHERE r.id = m.folded_into)
         WHERE m.folded_into IS NOT NULL
           AND m.read IS NOT (SELECT r.read FROM articles r WHERE r.id = m.folded_into)",
        [],
    )?;
    Ok(changed)
}

/// The four counts from column `first` on, when the row has them.
fn engagement(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Option<Engagement>> {
    let count = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(r.get::<_, Option<i64>>(first + i)?
            .map(|n| u64::try_from(n).unwrap_or(0)))
    };
    let [likes, reposts, replies, quotes] = [count(0)?, count(1)?, count(2)?, count(3)?];
    Ok(likes.map(|likes| Engagement {
        likes,
        reposts: reposts.unwrap_or(0),
        replies: replies.unwrap_or(0),
        quotes: quotes.unwrap_or(0),
    }))
}

impl Store {
    /// Set each subscription's configured organisation (`org`), writing only what changed.
    pub fn sync_orgs(&mut self, orgs: &[(FeedId, Option<String>)]) -> Result<(), StoreError> {
        // One read of every subscription: a query per subscription is a read transaction
        // each, with its file locking, which for 500 of them was a third of the start-up.
        let mut stored = self.conn.prepare_cached("SELECT id, org FROM feeds")?;
        let now: HashMap<FeedId, Option<String>> = stored
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        drop(stored);
        let changed: Vec<(FeedId, Option<String>)> = orgs
            .iter()
            .filter(|(id, org)| now.get(id).is_some_and(|now| now != org))
            .cloned()
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for (id, org) in changed {
            tx.execute("UPDATE feeds SET org = ?2 WHERE id = ?1", params![id, org])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The short links already resolved (or given up on less than a day before `now`).
    pub fn known_short_links(&self, now: DateTime<Utc>) -> Result<HashSet<String>, StoreError> {
        let retry = (now - Duration::days(1)).timestamp();
        let mut stmt = self.conn.prepare_cached(
            "SELECT url FROM short_links WHERE target IS NOT NULL OR resolved_at > ?1",
        )?;
        let rows = stmt.query_map([retry], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Remember where short links lead (None: they could not be followed).
    pub fn record_short_links(
        &mut self,
        resolved: &[(String, Option<String>)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if resolved.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO short_links (url, target, resolved_at) VALUES (?1, ?2, ?3)",
            )?;
            for (url, target) in resolved {
                insert.execute(params![url, target, now.timestamp()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Where a short link leads, when known.
    pub fn short_link_target(&self, url: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT target FROM short_links WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// The other rows of the story `id` leads: copies and Bluesky posts, oldest first.
    pub fn also(&self, id: ArticleId) -> Result<Vec<AlsoRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.feed_id, COALESCE(f.config_title, f.feed_title, f.key), a.title, a.link,
                    a.published, a.text, f.key LIKE 'bluesky:%', a.links,
                    a.likes, a.reposts, a.replies, a.quotes
             FROM articles a JOIN feeds f ON f.id = a.feed_id
             WHERE a.folded_into = ?1 ORDER BY a.published, a.id",
        )?;
        let rows = stmt.query_map([id], |r| {
            let links: String = r.get(8)?;
            Ok((
                AlsoRow {
                    id: r.get(0)?,
                    feed_id: r.get(1)?,
                    feed: r.get(2)?,
                    title: r.get(3)?,
                    link: r.get(4)?,
                    published: DateTime::from_timestamp(r.get(5)?, 0).unwrap_or_default(),
                    text: r.get(6)?,
                    is_post: r.get(7)?,
                    engagement: engagement(r, 9)?,
                },
                links,
            ))
        })?;
        let rows: Vec<(AlsoRow, String)> = rows.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (mut row, links) in rows {
            // A post's short links are shown expanded, where they lead.
            let links: Vec<String> = serde_json::from_str(&links).unwrap_or_default();
            for link in links {
                if let Some(target) = self.short_link_target(&link)? {
                    row.text = row.text.replace(&link, &target);
                }
            }
            out.push(row);
        }
        Ok(out)
    }

    /// Every unread folded row (few: the partial index of folded rows).
    pub fn folded_unread(&self) -> Result<Vec<FoldedUnread>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.feed_id, a.folded_into, r.feed_id
             FROM articles a JOIN articles r ON r.id = a.folded_into
             WHERE a.folded_into IS NOT NULL AND a.read = 0",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(FoldedUnread {
                feed: r.get(0)?,
                story: r.get(1)?,
                story_feed: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Which of `ids` have Bluesky posts folded into them (the list's 🦋 marker).
    pub fn with_posts(&self, ids: &[ArticleId]) -> Result<HashSet<ArticleId>, StoreError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let list: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        let sql = format!(
            "SELECT DISTINCT a.folded_into FROM articles a JOIN feeds f ON f.id = a.feed_id
             WHERE a.folded_into IN ({}) AND f.key LIKE 'bluesky:%'",
            list.join(",")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The first rows of stories with a folded row from `feeds` (ids are our own).
    pub(super) fn stories_folded_from(
        &self,
        feeds: &[FeedId],
    ) -> Result<Vec<ArticleId>, StoreError> {
        let list: Vec<String> = feeds.iter().map(|id| id.to_string()).collect();
        let sql = format!(
            "SELECT DISTINCT folded_into FROM articles
             WHERE folded_into IS NOT NULL AND feed_id IN ({})",
            list.join(",")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Languages of the list's rows, with how many rows each (None: unknown), most first.
    pub fn languages(&self) -> Result<Vec<(Option<String>, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT language, COUNT(*) FROM articles WHERE folded_into IS NULL
             GROUP BY language ORDER BY COUNT(*) DESC, language",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
