//! Search and the list's conditions as SQL: the search language (parsed by `query`) becomes
//! an FTS5 expression for its words and plain conditions for its operators; a search finds
//! which articles have the words, and which of them make a page of the list, newest first,
//! without looking up every hit in the articles table.

use chrono::Utc;
use rusqlite::params_from_iter;
use rusqlite::types::{Value, ValueRef};

use super::articles::{ListQuery, Position};
use super::folds::ORG_SQL;
use super::query::{self, Term};
use super::textmatch::{Matcher, Needle};
use super::{Store, StoreError};
use crate::model::{ArticleId, FeedId};

/// Up to this many hits, each is looked up and the page sorted from them; beyond, walking
/// the list newest first meets a page of hits sooner. A lookup reads the article's row,
/// large (its text and HTML), about 0.5 µs; a step of a date index about 0.1 µs. At
/// 100,000 articles a common word has ~50,000 hits: looking them all up took ~25 ms.
const LOOKUP_MAX: usize = 2_000;

/// How many articles, newest first, a search tests one by one before it asks the index.
/// A test reads the article's title and text and folds them, a few µs: 300 of them cost
/// about what the index takes to list the hits of a rare word, and a word found in more
/// than one article in six fills a page of 50 within them.
const SAMPLE: usize = 300;

/// A list query's search, ready for SQL.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// The words, phrases and title words, as one FTS5 expression (all must match).
    pub fts: Option<String>,
    /// Conditions of the other operators, with their values in order.
    clauses: Vec<(String, Vec<Value>)>,
    /// Subscriptions named by `org:` and `feed:`, when any.
    feeds: Option<Vec<FeedId>>,
    /// The excluded words (`-word`), as one FTS5 expression (any of them).
    pub without: Option<String>,
    /// Each word or phrase (in title or text) as its own FTS5 expression, in the order
    /// of the matcher's needles; then each title word.
    anywhere: Vec<String>,
    title: Vec<String>,
    /// The same words, tested in Rust against one article at a time.
    matcher: Matcher,
}

/// How much of a query's WHERE clause to build.
pub(super) enum Narrow<'a> {
    /// Everything but the position: counts and marks.
    All,
    /// Everything, the page's position included.
    Position,
    /// The page, its search already narrowed to these ids.
    Candidates(&'a [ArticleId]),
    /// The page without its words and exclusions: the walk down the list that a search's
    /// page is found by.
    NoSearch,
}

/// The article ids an FTS5 expression matches, ascending.
type Hits = Vec<ArticleId>;

/// A word typed: quoted (so no syntax leaks through) and matched as a prefix.
fn prefix(word: &str) -> String {
    format!("\"{word}\"*")
}

fn id_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    ids.join(",")
}

impl Store {
    /// Parse `q`'s search; names of organisations and subscriptions are looked up here, so a
    /// name that matches nothing is a message, not an empty list.
    pub(super) fn plan(&self, q: &ListQuery) -> Result<Plan, StoreError> {
        let mut plan = Plan::default();
        let Some(text) = q.search.as_deref() else {
            return Ok(plan);
        };
        let terms = query::parse(text, Utc::now()).map_err(|e| StoreError::BadQuery(e.0))?;
        for term in terms {
            match term {
                Term::Words(words) => {
                    for word in words {
                        plan.matcher.word(&word);
                        plan.anywhere.push(prefix(&word));
                    }
                }
                Term::Phrase(words) => {
                    plan.matcher.phrase(&words);
                    plan.anywhere.push(format!("\"{}\"", words.join(" ")));
                }
                Term::Title(word) => {
                    plan.matcher.title_word(&word);
                    plan.title.push(format!("title : {}", prefix(&word)));
                }
                Term::Without(words) => {
                    words.iter().for_each(|w| plan.matcher.without(w));
                    let any: Vec<String> = words.iter().map(|w| prefix(w)).collect();
                    plan.without = Some(any.join(" OR "));
                }
                Term::Org(name) => {
                    let sql =
                        format!("SELECT f.id FROM feeds f WHERE lower({ORG_SQL}) = lower(?1)");
                    let found = self.feed_ids(&sql, &name)?;
                    if found.is_empty() {
                        return Err(StoreError::BadQuery(format!(
                            "no organisation is called \"{name}\""
                        )));
                    }
                    plan.narrow_feeds(found);
                }
                Term::Feed(name) => {
                    let sql = "SELECT f.id FROM feeds f
                               WHERE instr(lower(COALESCE(f.config_title, f.feed_title, f.key)), lower(?1))
                                  OR instr(lower(f.key), lower(?1))";
                    let found = self.feed_ids(sql, &name)?;
                    if found.is_empty() {
                        return Err(StoreError::BadQuery(format!(
                            "no subscription is called \"{name}\""
                        )));
                    }
                    plan.narrow_feeds(found);
                }
                Term::Lang(code) => plan
                    .clauses
                    .push(("a.language = ?".into(), vec![Value::Text(code)])),
                Term::Unread => plan.clauses.push(("a.read = 0".into(), vec![])),
                Term::Starred => plan.clauses.push(("a.starred = 1".into(), vec![])),
                Term::After(t) => plan.clauses.push((
                    "a.published >= ?".into(),
                    vec![Value::Integer(t.timestamp())],
                )),
                Term::Before(t) => plan.clauses.push((
                    "a.published < ?".into(),
                    vec![Value::Integer(t.timestamp())],
                )),
            }
        }
        let all: Vec<&str> = plan
            .anywhere
            .iter()
            .chain(&plan.title)
            .map(String::as_str)
            .collect();
        plan.fts = (!all.is_empty()).then(|| all.join(" "));
        Ok(plan)
    }

    fn feed_ids(&self, sql: &str, name: &str) -> Result<Vec<FeedId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([name.trim()], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The WHERE clause of `q` with its values. Only rows of their own are listed; a folded
    /// row's story is listed under the folded row's subscription too.
    pub(super) fn where_clause(
        &self,
        q: &ListQuery,
        plan: &Plan,
        narrow: Narrow<'_>,
    ) -> Result<(String, Vec<Value>), StoreError> {
        let mut clauses: Vec<String> = vec!["a.folded_into IS NULL".into()];
        let mut values: Vec<Value> = Vec::new();
        let feeds = match (&q.feeds, &plan.feeds) {
            (Some(a), Some(b)) => Some(a.iter().copied().filter(|id| b.contains(id)).collect()),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        if let Some(feeds) = feeds {
            let stories = if feeds.is_empty() {
                Vec::new()
            } else {
                self.stories_folded_from(&feeds)?
            };
            clauses.push(if stories.is_empty() {
                format!("a.feed_id IN ({})", id_list(&feeds))
            } else {
                format!(
                    "(a.feed_id IN ({}) OR a.id IN ({}))",
                    id_list(&feeds),
                    id_list(&stories)
                )
            });
        }
        if q.unread_only {
            clauses.push("a.read = 0".into());
        }
        if q.starred_only {
            clauses.push("a.starred = 1".into());
        }
        for (clause, vals) in &plan.clauses {
            clauses.push(clause.clone());
            values.extend(vals.iter().cloned());
        }
        // Candidates are already without the excluded words, and the walk tests them itself.
        if let (Narrow::All | Narrow::Position, Some(expr)) = (&narrow, &plan.without) {
            clauses.push(
                "a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)".into(),
            );
            values.push(Value::Text(expr.clone()));
        }
        match (&narrow, &plan.fts) {
            (Narrow::Candidates(ids), _) => clauses.push(format!("a.id IN ({})", id_list(ids))),
            (Narrow::NoSearch, _) | (_, None) => {}
            (_, Some(expr)) => {
                clauses.push(
                    "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)".into(),
                );
                values.push(Value::Text(expr.clone()));
            }
        }
        if let (false, Some(pos)) = (matches!(narrow, Narrow::All), q.after) {
            clauses.push("(a.published, a.id) < (?, ?)".into());
            values.push(Value::Integer(pos.published));
            values.push(Value::Integer(pos.id));
        }
        Ok((format!("WHERE {}", clauses.join(" AND ")), values))
    }

    /// Every article `expr` matches, ascending (FTS5 returns its hits by rowid).
    fn hits(&self, expr: &str) -> Result<Hits, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1")?;
        let hits = stmt.query_map([expr], |r| r.get(0))?;
        Ok(hits.collect::<Result<_, _>>()?)
    }

    /// The articles a page of `q` is chosen from. First the list is walked newest first,
    /// each article tested in Rust: common words fill the page within a few rows. When
    /// they do not, the words are rare, and the index is asked about the rarest of them:
    /// few hits are the candidates themselves (tested for the other words), many are
    /// met by walking on. `q`'s other conditions still apply to the ids returned.
    pub(super) fn search_candidates(
        &self,
        q: &ListQuery,
        plan: &mut Plan,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let needles: Vec<Needle> = plan.matcher.needles().collect();
        let mut seen = vec![0usize; needles.len()];
        let (clause, values) = self.where_clause(q, plan, Narrow::NoSearch)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id, a.published, a.title, a.text FROM articles a {clause}
             ORDER BY a.published DESC, a.id DESC"
        ))?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut page = Vec::with_capacity(q.limit.min(LOOKUP_MAX));
        let mut last = None;
        for _ in 0..SAMPLE {
            let Some(row) = rows.next()? else {
                return Ok(page);
            };
            let id: ArticleId = row.get(0)?;
            last = Some(Position {
                published: row.get(1)?,
                id,
            });
            let (title, text) = (row.get_ref(2)?, row.get_ref(3)?);
            plan.matcher.load(text_of(title)?, text_of(text)?);
            let mut all = true;
            for (needle, seen) in needles.iter().zip(&mut seen) {
                if plan.matcher.has(*needle) {
                    *seen += 1;
                } else {
                    all = false;
                }
            }
            if all && !plan.matcher.excluded() {
                page.push(id);
                if page.len() == q.limit {
                    return Ok(page);
                }
            }
        }
        drop(rows);
        // The rest of the list, after the rows tested.
        let rest = ListQuery {
            after: last,
            limit: q.limit - page.len(),
            ..q.clone()
        };
        let rarest = (0..seen.len()).min_by_key(|&i| seen[i]);
        let Some(rarest) = rarest else {
            // Only excluded words, and found in nearly every article: their hits are the
            // fewer.
            let excluded = self.hits(plan.without.as_deref().unwrap_or_default())?;
            let more = self.walk(&rest, plan, |_, id| {
                Ok(excluded.binary_search(&id).is_err())
            })?;
            page.extend(more);
            return Ok(page);
        };
        let expr = match needles[rarest] {
            Needle::Anywhere(i) => &plan.anywhere[i],
            Needle::Title(i) => &plan.title[i],
        };
        let hits = self.hits(expr)?;
        // The index answered for one needle; any other is tested here.
        let alone = needles.len() == 1 && plan.without.is_none();
        if hits.len() <= LOOKUP_MAX {
            if alone {
                return Ok(hits);
            }
            let mut matching = Vec::new();
            for id in hits {
                if self.article_matches(&mut plan.matcher, id)? {
                    matching.push(id);
                }
            }
            return Ok(matching);
        }
        let mut matcher = std::mem::take(&mut plan.matcher);
        let more = self.walk(&rest, plan, |store, id| {
            Ok(hits.binary_search(&id).is_ok()
                && (alone || store.article_matches(&mut matcher, id)?))
        })?;
        page.extend(more);
        Ok(page)
    }

    /// Up to `q.limit` ids of `q`'s list (without its search) that `keep` keeps, walking the
    /// date index alone: no article row is read but by `keep`.
    fn walk(
        &self,
        q: &ListQuery,
        plan: &Plan,
        mut keep: impl FnMut(&Store, ArticleId) -> Result<bool, StoreError>,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let (clause, values) = self.where_clause(q, plan, Narrow::NoSearch)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id FROM articles a {clause} ORDER BY a.published DESC, a.id DESC"
        ))?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut page = Vec::new();
        while page.len() < q.limit
            && let Some(row) = rows.next()?
        {
            let id: ArticleId = row.get(0)?;
            if keep(self, id)? {
                page.push(id);
            }
        }
        Ok(page)
    }

    /// Whether article `id` has the words `matcher` tests.
    fn article_matches(&self, matcher: &mut Matcher, id: ArticleId) -> Result<bool, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT title, text FROM articles WHERE id = ?1")?;
        let mut rows = stmt.query([id])?;
        let Some(row) = rows.next()? else {
            return Ok(false);
        };
        matcher.load(text_of(row.get_ref(0)?)?, text_of(row.get_ref(1)?)?);
        Ok(matcher.matches())
    }
}

/// A text column, NULL as empty.
fn text_of(value: ValueRef<'_>) -> Result<&str, StoreError> {
    let text = value.as_str_or_null().map_err(rusqlite::Error::from)?;
    Ok(text.unwrap_or_default())
}

impl Plan {
    fn narrow_feeds(&mut self, found: Vec<FeedId>) {
        self.feeds = Some(match self.feeds.take() {
            Some(before) => before.into_iter().filter(|id| found.contains(id)).collect(),
            None => found,
        });
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
