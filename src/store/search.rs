//! Search and the list's conditions as SQL: the search language (parsed by `query`) becomes
//! an FTS5 expression for its words and plain conditions for its operators; a search finds
//! which articles have the words (see `candidates`).

use chrono::Utc;
use rusqlite::types::Value;

use super::articles::ListQuery;
use super::folds::ORG_SQL;
use super::query::{self, Term};
use super::textmatch::Matcher;
use super::{Store, StoreError};
use crate::model::{ArticleId, FeedId};

/// A list query's search, ready for SQL.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// The words, phrases and title words, as one FTS5 expression (all must match).
    pub fts: Option<String>,
    /// Conditions of the other operators, with their values in order.
    clauses: Vec<(String, Vec<Value>)>,
    /// Subscriptions named by `org:` and `feed:`, when any.
    feeds: Option<Vec<FeedId>>,
    /// The excluded words (`-word`, whole words), as one FTS5 expression (any of them).
    pub without: Option<String>,
    /// Each word or phrase (in title or text), in the order of the matcher's needles.
    pub anywhere: Vec<Asked>,
    /// Each title word as its own FTS5 expression.
    pub title: Vec<String>,
    /// The same words, tested in Rust against one article at a time.
    pub matcher: Matcher,
}

/// A word or phrase as the index is asked about it.
#[derive(Debug)]
pub(super) struct Asked {
    /// Its FTS5 expression.
    pub expr: String,
    /// Whether the index answers it exactly: not a phrase of several words, which the
    /// index (without positions) finds as its words, in any order.
    pub exact: bool,
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
                        plan.anywhere.push(Asked {
                            expr: prefix(&word),
                            exact: true,
                        });
                    }
                }
                Term::Phrase(words) => {
                    plan.matcher.phrase(&words);
                    let each: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                    plan.anywhere.push(Asked {
                        expr: each.join(" "),
                        exact: words.len() == 1,
                    });
                }
                Term::Title(word) => {
                    plan.matcher.title_word(&word);
                    plan.title.push(format!("title : {}", prefix(&word)));
                }
                Term::Without(words) => {
                    words.iter().for_each(|w| plan.matcher.without(w));
                    // Whole words: a prefix would empty the list at `-c` while `-cooperativa`
                    // is typed, and make FTS5 merge the postings of every word it begins.
                    let any: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
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
            .map(|a| a.expr.as_str())
            .chain(plan.title.iter().map(String::as_str))
            .collect();
        plan.fts = (!all.is_empty()).then(|| all.join(" "));
        Ok(plan)
    }

    fn feed_ids(&self, sql: &str, name: &str) -> Result<Vec<FeedId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([name.trim()], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The condition (`AND …`) on `a` that keeps the articles `q` matches, ignoring its
    /// limit and position, for marks.
    pub(super) fn query_condition(
        &self,
        q: &ListQuery,
    ) -> Result<(String, Vec<Value>), StoreError> {
        let mut plan = self.plan(q)?;
        if plan.is_exact() {
            let (clause, values) = self.where_clause(q, &plan, Narrow::All)?;
            return Ok((clause.replacen("WHERE", "AND", 1), values));
        }
        let ids = self.matching_ids(q, &mut plan)?;
        Ok((format!("AND a.id IN ({})", id_list(&ids)), Vec::new()))
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
}

impl Plan {
    /// Whether the index alone answers the words: no phrase of several words.
    pub fn is_exact(&self) -> bool {
        self.anywhere.iter().all(|a| a.exact)
    }

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
