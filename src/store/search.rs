//! Full-text search: which articles have every word typed, and which of them make a page
//! of the list, newest first, without looking up every hit in the articles table.

use rusqlite::params_from_iter;

use super::articles::{ListQuery, filter};
use super::{Store, StoreError};
use crate::model::ArticleId;

/// Up to this many hits, each is looked up and the page sorted from them; beyond, walking
/// the list newest first meets a page of hits sooner. A lookup reads the article's row,
/// large (its text and HTML), about 0.5 µs; a step of a date index about 0.1 µs. At
/// 100,000 articles a common word has ~50,000 hits: looking them all up took ~25 ms.
const LOOKUP_MAX: usize = 2_000;

/// Words typed by a user as an FTS5 query: each word quoted (so no syntax leaks through)
/// and matched as a prefix; all must be present.
pub(super) fn fts_expression(search: &str) -> Option<String> {
    let terms: Vec<String> = search
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl Store {
    /// The articles a page of `q` is chosen from, given `expr`, its search as FTS5: every
    /// hit when there are few, else the page itself, found by walking the list newest first.
    /// `q`'s other conditions still apply to the ids returned.
    pub(super) fn search_candidates(
        &self,
        q: &ListQuery,
        expr: &str,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1")?;
        // FTS5 returns its hits by ascending rowid, ready for binary search.
        let hits: Vec<ArticleId> = stmt
            .query_map([expr], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if hits.len() <= LOOKUP_MAX {
            return Ok(hits);
        }
        let unsearched = ListQuery {
            search: None,
            ..q.clone()
        };
        let (clause, values) = filter(&unsearched, true);
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
            if hits.binary_search(&id).is_ok() {
                page.push(id);
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::LOOKUP_MAX;
    use crate::model::{Article, ArticleRow};
    use crate::sources::fetch::Fetched;
    use crate::store::{ListQuery, Position, Scope, Store, Subscription};

    /// More hits than are looked up one by one, dated out of id order, some read.
    fn store_with_many_hits() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let feed = store
            .sync_subscriptions(&[Subscription {
                key: "https://example.coop/feed".into(),
                title: None,
            }])
            .unwrap()[0];
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let total = 3 * LOOKUP_MAX;
        let mut fetched = Fetched::default();
        fetched.parsed.articles = (0..total)
            .map(|i| Article {
                guid: i.to_string(),
                title: if i % 3 == 0 {
                    "Assemblea"
                } else {
                    "Cooperativa sociale"
                }
                .into(),
                // A few share a date, so the order by id breaks ties.
                published: Some(start + Duration::minutes((i * 7919 % total / 2) as i64)),
                text: format!("articolo {i}"),
                ..Default::default()
            })
            .collect();
        store.record_fetched(feed, &fetched, start).unwrap();
        let every_fifth = (1..=total as i64).filter(|id| id % 5 == 0).collect();
        store.set_read(&Scope::Ids(every_fifth), true).unwrap();
        store
    }

    /// The page a search must give: the list without it, filtered by title here.
    fn expected(store: &Store, q: &ListQuery, words: &[&str]) -> Vec<ArticleRow> {
        let everything = ListQuery {
            search: None,
            limit: usize::MAX >> 1,
            ..q.clone()
        };
        let rows = store.list_rows(&everything).unwrap();
        rows.into_iter()
            .filter(|r| words.iter().all(|w| r.title.to_lowercase().contains(w)))
            .take(q.limit)
            .collect()
    }

    #[test]
    fn a_search_with_many_hits_pages_like_the_list() {
        let store = store_with_many_hits();
        for (search, words, unread_only) in [
            ("coop", &["coop"][..], false),
            ("COOPERATIVA soc", &["cooperativa", "soc"][..], true),
        ] {
            let mut q = ListQuery {
                search: Some(search.into()),
                unread_only,
                limit: 50,
                ..Default::default()
            };
            let first = store.list_rows(&q).unwrap();
            assert_eq!(first, expected(&store, &q, words), "{search}");
            q.after = first.last().map(Position::from);
            let second = store.list_rows(&q).unwrap();
            assert_eq!(second, expected(&store, &q, words), "{search}, page 2");
            let articles = store.list_articles(&q).unwrap();
            let ids: Vec<_> = articles.iter().map(|a| a.id).collect();
            let expected_ids: Vec<_> = second.iter().map(|r| r.id).collect();
            assert_eq!(ids, expected_ids, "{search}, whole articles");
        }
    }
}
