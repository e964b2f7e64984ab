//! Search and the list's conditions as SQL: the search language (parsed by `query`) becomes
//! an FTS5 expression for its words and plain conditions for its operators; a search finds
//! which articles have the words, and which of them make a page of the list, newest first,
//! without looking up every hit in the articles table.

use chrono::Utc;
use rusqlite::{params_from_iter, types::Value};

use super::articles::ListQuery;
use super::folds::ORG_SQL;
use super::query::{self, Term};
use super::{Store, StoreError};
use crate::model::{ArticleId, FeedId};

/// Up to this many hits, each is looked up and the page sorted from them; beyond, walking
/// the list newest first meets a page of hits sooner. A lookup reads the article's row,
/// large (its text and HTML), about 0.5 µs; a step of a date index about 0.1 µs. At
/// 100,000 articles a common word has ~50,000 hits: looking them all up took ~25 ms.
const LOOKUP_MAX: usize = 2_000;

/// How far down the list a search for one or two letters tests article by article before
/// it lists every hit instead (each test is a lookup in the index, a few µs).
const WALK_MAX: usize = 1_000;

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
    /// The words are all one or two letters: prefixes the index keeps whole (schema 9), so
    /// testing one article against them is a cheap lookup.
    short_words: bool,
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
        let mut fts: Vec<String> = Vec::new();
        let mut short_words = true;
        for term in terms {
            match term {
                Term::Words(words) => {
                    short_words &= words.iter().all(|w| w.chars().count() <= 2);
                    fts.extend(words.iter().map(|w| prefix(w)));
                }
                Term::Phrase(words) => {
                    short_words = false;
                    fts.push(format!("\"{}\"", words.join(" ")));
                }
                Term::Title(word) => {
                    short_words = false;
                    fts.push(format!("title : {}", prefix(&word)));
                }
                Term::Without(words) => {
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
        plan.short_words = short_words && !fts.is_empty();
        plan.fts = (!fts.is_empty()).then(|| fts.join(" "));
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

    /// The articles a page of `q` is chosen from: every hit of its words (less the excluded
    /// ones) when there are few, else the page itself, found by walking the list newest
    /// first. `q`'s other conditions still apply to the ids returned. The excluded words'
    /// hits are looked up once and tested here, not by SQL at each step.
    pub(super) fn search_candidates(
        &self,
        q: &ListQuery,
        plan: &Plan,
    ) -> Result<Vec<ArticleId>, StoreError> {
        // The excluded words' hits are looked up only once a row is to be tested: a query
        // whose other conditions leave nothing never reads them.
        let mut excluded = Excluded::new(plan.without.as_deref());
        if plan.short_words
            && let Some(expr) = &plan.fts
            && let Some(page) = self.walk_testing_each(q, plan, expr, &mut excluded)?
        {
            return Ok(page);
        }
        let hits = match &plan.fts {
            Some(expr) => {
                let mut hits = self.hits(expr)?;
                if hits.len() <= LOOKUP_MAX {
                    if !hits.is_empty() && excluded.any() {
                        let excluded = excluded.hits(self)?;
                        hits.retain(|id| excluded.binary_search(id).is_err());
                    }
                    return Ok(hits);
                }
                Some(hits)
            }
            None => None,
        };
        let (clause, values) = self.where_clause(q, plan, Narrow::NoSearch)?;
        // The same indexes as the list without a search, covering: no article row is read.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id FROM articles a {clause} ORDER BY a.published DESC, a.id DESC"
        ))?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut page = Vec::with_capacity(q.limit.min(LOOKUP_MAX));
        while page.len() < q.limit
            && let Some(row) = rows.next()?
        {
            let id: ArticleId = row.get(0)?;
            let wanted = match &hits {
                Some(hits) => hits.binary_search(&id).is_ok() && !excluded.contains(self, id)?,
                None => !excluded.contains(self, id)?,
            };
            if wanted {
                page.push(id);
            }
        }
        Ok(page)
    }
}

impl Store {
    /// The page of a search for one or two letters, found by walking the list newest first
    /// and asking the index about each article: such words match nearly everything, so
    /// the page is met within a few rows, where listing every hit would read them all.
    /// None when the walk meets too few hits to be worth it.
    fn walk_testing_each(
        &self,
        q: &ListQuery,
        plan: &Plan,
        expr: &str,
        excluded: &mut Excluded<'_>,
    ) -> Result<Option<Vec<ArticleId>>, StoreError> {
        let (clause, clause_values) = self.where_clause(q, plan, Narrow::NoSearch)?;
        // `?1` first: the clause's plain `?`s are numbered after it.
        let mut values = vec![Value::Text(expr.to_string())];
        values.extend(clause_values);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id, EXISTS (SELECT 1 FROM articles_fts
                                  WHERE articles_fts MATCH ?1 AND rowid = a.id)
             FROM articles a {clause} ORDER BY a.published DESC, a.id DESC"
        ))?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut page = Vec::with_capacity(q.limit.min(LOOKUP_MAX));
        let mut walked = 0;
        while page.len() < q.limit {
            let Some(row) = rows.next()? else {
                return Ok(Some(page));
            };
            walked += 1;
            if walked > WALK_MAX {
                return Ok(None);
            }
            let id: ArticleId = row.get(0)?;
            if row.get::<_, bool>(1)? && !excluded.contains(self, id)? {
                page.push(id);
            }
        }
        Ok(Some(page))
    }
}

/// The hits of a query's excluded words, looked up at the first need.
struct Excluded<'a> {
    expr: Option<&'a str>,
    hits: Option<Hits>,
}

impl<'a> Excluded<'a> {
    fn new(expr: Option<&'a str>) -> Self {
        Excluded { expr, hits: None }
    }

    fn any(&self) -> bool {
        self.expr.is_some()
    }

    fn hits(&mut self, store: &Store) -> Result<&Hits, StoreError> {
        if self.hits.is_none() {
            self.hits = Some(match self.expr {
                Some(expr) => store.hits(expr)?,
                None => Vec::new(),
            });
        }
        Ok(self.hits.get_or_insert_default())
    }

    fn contains(&mut self, store: &Store, id: ArticleId) -> Result<bool, StoreError> {
        Ok(self.any() && self.hits(store)?.binary_search(&id).is_ok())
    }
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
