//! Articles in the store: keyset-paged listing, full-text search, read and star marks,
//! retention. A refresh writes them in `upsert`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params_from_iter, types::Value};

use super::search::Narrow;
use super::{Store, StoreError};
use crate::model::{ArticleId, ArticleRow, FeedId, StoredArticle};

/// Where a page of the list ends: the next page starts strictly after this row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub published: i64,
    pub id: ArticleId,
}

impl From<&ArticleRow> for Position {
    fn from(row: &ArticleRow) -> Self {
        Position {
            published: row.published.timestamp(),
            id: row.id,
        }
    }
}

/// Which articles a list shows, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    /// None: every feed.
    pub feeds: Option<Vec<FeedId>>,
    pub unread_only: bool,
    pub starred_only: bool,
    /// Words to find in title or text (all of them, as prefixes, accents ignored).
    pub search: Option<String>,
    pub limit: usize,
    pub after: Option<Position>,
}

/// Which articles a mark applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    All,
    Feeds(Vec<FeedId>),
    Ids(Vec<ArticleId>),
    /// Everything a list query matches, ignoring its limit and position.
    Query(ListQuery),
}

/// A page of a list: `columns` of the rows `clause` selects, newest first.
fn list_sql(
    columns: &str,
    clause: String,
    mut values: Vec<Value>,
    limit: usize,
) -> (String, Vec<Value>) {
    values.push(Value::Integer(limit as i64));
    // The articles alone, walked down a date index; a subscription's title is looked up per
    // row shown. With a join, the planner chose its order from the statistics `optimize`
    // leaves after a large refresh: for `list --limit 1` it went through every subscription
    // and sorted all their articles (1,204 page reads for one row of 100,000, against 10).
    let sql = format!(
        "SELECT {columns} FROM articles a {clause}
         ORDER BY a.published DESC, a.id DESC LIMIT ?"
    );
    (sql, values)
}

fn time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// A list row's columns: what the reader's list shows.
const LIST_COLUMNS: &str = "a.id, a.feed_id, a.title, a.published, a.read, a.starred";

const FULL_COLUMNS: &str = "a.id, a.feed_id,
     (SELECT COALESCE(f.config_title, f.feed_title, f.key) FROM feeds f WHERE f.id = a.feed_id),
     a.title, a.link, a.author, a.published, a.read, a.starred, a.text, a.links, a.html,
     a.language";

fn full_row(r: &Row<'_>) -> rusqlite::Result<StoredArticle> {
    let links: String = r.get(10)?;
    Ok(StoredArticle {
        id: r.get(0)?,
        feed_id: r.get(1)?,
        feed: r.get(2)?,
        title: r.get(3)?,
        link: r.get(4)?,
        author: r.get(5)?,
        published: time(r.get(6)?),
        read: r.get(7)?,
        starred: r.get(8)?,
        text: r.get(9)?,
        links: serde_json::from_str(&links).unwrap_or_default(),
        html: r.get(11)?,
        language: r.get(12)?,
    })
}

impl Store {
    /// One page of list rows, newest first, without bodies.
    pub fn list_rows(&self, q: &ListQuery) -> Result<Vec<ArticleRow>, StoreError> {
        self.page(q, LIST_COLUMNS, |r| {
            Ok(ArticleRow {
                id: r.get(0)?,
                feed_id: r.get(1)?,
                title: r.get(2)?,
                published: time(r.get(3)?),
                read: r.get(4)?,
                starred: r.get(5)?,
            })
        })
    }

    /// One page of `columns` of `q`'s articles, newest first; a search first narrows it
    /// to candidates by id (see `search`).
    fn page<T>(
        &self,
        q: &ListQuery,
        columns: &str,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut plan = self.plan(q)?;
        if plan.fts.is_none() && plan.without.is_none() {
            let (clause, values) = self.where_clause(q, &plan, Narrow::Position)?;
            let (sql, values) = list_sql(columns, clause, values, q.limit);
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(values), row)?;
            return Ok(rows.collect::<Result<_, _>>()?);
        }
        let candidates = self.search_candidates(q, &mut plan)?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let (clause, values) = self.where_clause(q, &plan, Narrow::Candidates(&candidates))?;
        let (sql, values) = list_sql(columns, clause, values, q.limit);
        // Its id list makes each such statement new: not worth a place in the cache.
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// SQLite's plan for a list query, to check that paging never reads the whole table.
    /// For a search, the plan of the walk down the list its page is found by.
    #[doc(hidden)]
    pub fn query_plan(&self, q: &ListQuery) -> Result<Vec<String>, StoreError> {
        let plan = self.plan(q)?;
        let (clause, values) = self.where_clause(q, &plan, Narrow::NoSearch)?;
        let (sql, values) = list_sql(LIST_COLUMNS, clause, values, q.limit);
        self.explain(&sql, params_from_iter(values))
    }

    /// The steps of SQLite's plan for `sql`, as `EXPLAIN QUERY PLAN` words them.
    fn explain(&self, sql: &str, values: impl rusqlite::Params) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(values, |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One page of whole articles, newest first (for `coopnews list`).
    pub fn list_articles(&self, q: &ListQuery) -> Result<Vec<StoredArticle>, StoreError> {
        self.page(q, FULL_COLUMNS, full_row)
    }

    /// How many articles a query matches, ignoring limit and position.
    pub fn count(&self, q: &ListQuery) -> Result<i64, StoreError> {
        let mut plan = self.plan(q)?;
        if !plan.is_exact() {
            return Ok(self.matching_ids(q, &mut plan)?.len() as i64);
        }
        let (clause, values) = self.where_clause(q, &plan, Narrow::All)?;
        let sql = format!("SELECT COUNT(*) FROM articles a {clause}");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(values), |r| r.get(0))?)
    }

    pub fn article(&self, id: ArticleId) -> Result<Option<StoredArticle>, StoreError> {
        let sql = format!("SELECT {FULL_COLUMNS} FROM articles a WHERE a.id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], full_row)
            .optional()?)
    }

    /// Mark read or unread; returns how many articles changed.
    pub fn set_read(&mut self, scope: &Scope, read: bool) -> Result<usize, StoreError> {
        self.set_flag("read", scope, read)
    }

    pub fn set_starred(&mut self, scope: &Scope, starred: bool) -> Result<usize, StoreError> {
        self.set_flag("starred", scope, starred)
    }

    fn set_flag(&mut self, column: &str, scope: &Scope, on: bool) -> Result<usize, StoreError> {
        let (clause, mut values) = match scope {
            Scope::All => (String::new(), Vec::new()),
            Scope::Feeds(ids) => {
                let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
                (format!("AND a.feed_id IN ({})", ids.join(",")), Vec::new())
            }
            Scope::Ids(ids) => {
                let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
                (format!("AND a.id IN ({})", ids.join(",")), Vec::new())
            }
            Scope::Query(q) => self.query_condition(q)?,
        };
        // SQLite numbers a plain `?` after the highest `?N` so far, so `?1` can lead.
        values.insert(0, Value::Integer(i64::from(on)));
        let sql =
            format!("UPDATE articles AS a SET {column} = ?1 WHERE {column} IS NOT ?1 {clause}");
        // The mark and its place in the sync outbox are one write: neither survives alone.
        let tx = self.conn.transaction()?;
        // Reading a story reads every row of it (`spread_read` below), so every row of the
        // stories marked is queued too: the rows marked, their copies and folded posts.
        let spreads = column == "read" && !matches!(scope, Scope::All);
        let queued = if spreads {
            format!(
                "AND COALESCE(a.folded_into, a.id) IN (
                     SELECT COALESCE(a.folded_into, a.id) FROM articles AS a WHERE 1 {clause})"
            )
        } else {
            clause.clone()
        };
        super::sync::queue_marks(&tx, column, &queued, &values)?;
        let mut changed = tx.execute(&sql, params_from_iter(&values))?;
        // Reading a story reads every row of it: copies and folded posts.
        if spreads {
            changed += super::folds::spread_read(&tx, &clause, &values)?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Forget read, unstarred articles that left their feed before `cutoff` (a day more,
    /// see `PURGE_READ`). An article still in its feed is kept whatever its age, and
    /// however long the feed answers 304, or it would come back as unread.
    pub fn purge_read(&mut self, cutoff: DateTime<Utc>) -> Result<usize, StoreError> {
        let slack = super::upsert::SEEN_SLACK.num_seconds();
        Ok(self.conn.execute(PURGE_READ, [cutoff.timestamp(), slack])?)
    }

    /// SQLite's plan for [`Store::purge_read`], to check that it never reads every article.
    #[doc(hidden)]
    pub fn purge_plan(&self) -> Result<Vec<String>, StoreError> {
        self.explain(PURGE_READ, [0, 0])
    }
}

/// Every refresh ends with it. It walks `articles_read_by_date`, which holds read rows
/// only. An article is gone from its feed when it was last seen before the feed's last
/// listing (`listed_at`), give or take the day a sighting may be left unwritten
/// (`upsert::SEEN_SLACK`); a subscription never listed, such as one only synced, has only
/// the cutoff.
const PURGE_READ: &str = "DELETE FROM articles AS a
     WHERE read = 1 AND starred = 0 AND published < ?1
       AND last_seen < MIN(?1, COALESCE((SELECT listed_at FROM feeds WHERE id = a.feed_id), ?1))
                       - ?2";
