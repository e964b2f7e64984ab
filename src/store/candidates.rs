//! Which articles a search's page is chosen from. The newest articles are tested one by
//! one in Rust (`textmatch`), which fills a page of common words within a few hundred
//! rows; rarer words are asked of the index, and only the rarest of them, because FTS5
//! reads every posting of every word it is asked about.

use rusqlite::params_from_iter;
use rusqlite::types::ValueRef;

use super::articles::{ListQuery, Position};
use super::search::{Narrow, Plan};
use super::textmatch::{Matcher, Needle};
use super::{Store, StoreError};
use crate::model::ArticleId;

/// Up to this many hits, each is looked up and the page sorted from them; beyond, walking
/// the list newest first meets a page of hits sooner. A lookup reads the article's row,
/// large (its text and HTML), about 0.5 µs; a step of a date index about 0.1 µs.
pub(super) const LOOKUP_MAX: usize = 2_000;

/// How many of the newest articles a search tests one by one before it judges how rare its
/// words are. A test reads the article's title and text and folds them, 5–10 µs; 100 tell
/// a word in one article of twenty from a rarer one, and cost 1 ms.
const SAMPLE: usize = 100;

/// How far the testing one by one goes on when the sample shows it will fill the page
/// by then: a word in one article of ten fills 50 rows within 500.
const WALK_MAX: usize = 1_500;

/// Above this share of the sample, a word is common: its hits are many and costly to
/// list, and testing the rows that another test keeps is cheaper.
const COMMON: f64 = 0.5;

/// Below this share of the sample, a word is listed even beside a common exclusion. Above
/// it, testing the rows the exclusion leaves (one or two in a hundred, for a word in nearly
/// every article) is cheaper than listing the word: `title:coop -cooperativa` took 28 ms
/// with both listed, over 100,000 articles.
const RARE: f64 = 0.1;

/// The ids sorted ascending, as FTS5 lists them.
type Hits = Vec<ArticleId>;

/// Listed ids as a bitmap over their range. The walk asks about each article it passes, in
/// date order; a bit is one load where a binary search of 100,000 ids is 17 cache misses
/// (15 % of `title:coop -cooperativa`).
struct IdSet {
    first: ArticleId,
    bits: Vec<u64>,
    len: usize,
}

impl IdSet {
    fn new(sorted: &[ArticleId]) -> IdSet {
        let first = sorted.first().copied().unwrap_or_default();
        let span = sorted.last().map_or(0, |last| last - first + 1);
        let mut bits = vec![0u64; usize::try_from(span).unwrap_or_default().div_ceil(64)];
        for &id in sorted {
            let at = (id - first) as usize;
            bits[at / 64] |= 1 << (at % 64);
        }
        IdSet {
            first,
            bits,
            len: sorted.len(),
        }
    }

    fn contains(&self, id: ArticleId) -> bool {
        let Some(at) = id
            .checked_sub(self.first)
            .and_then(|at| usize::try_from(at).ok())
        else {
            return false;
        };
        self.bits
            .get(at / 64)
            .is_some_and(|word| word >> (at % 64) & 1 == 1)
    }
}

impl Store {
    /// Every article `expr` matches, ascending (FTS5 returns its hits by rowid).
    pub(super) fn hits(&self, expr: &str) -> Result<Hits, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1")?;
        let hits = stmt.query_map([expr], |r| r.get(0))?;
        Ok(hits.collect::<Result<_, _>>()?)
    }

    /// The articles a page of `q` is chosen from: the page itself, or every hit when
    /// they are few. `q`'s other conditions still apply to the ids returned.
    pub(super) fn search_candidates(
        &self,
        q: &ListQuery,
        plan: &mut Plan,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let needles: Vec<Needle> = plan.matcher.needles().collect();
        let mut seen = vec![0usize; needles.len()];
        let mut seen_excluded = 0;
        let (clause, values) = self.where_clause(q, plan, Narrow::NoSearch)?;
        // Ids and dates only: a list narrowed to some subscriptions may be sorted, and the
        // sort would carry every row's text. Each row tested is read by its id.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id, a.published FROM articles a {clause}
             ORDER BY a.published DESC, a.id DESC"
        ))?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut page = Vec::with_capacity(q.limit.min(LOOKUP_MAX));
        let mut last = None;
        let mut tested = 0;
        // The sample, then on while the hits met so far promise a full page in time.
        while tested < SAMPLE || (!page.is_empty() && tested * q.limit / page.len() <= WALK_MAX) {
            let Some(row) = rows.next()? else {
                return Ok(page);
            };
            tested += 1;
            let id: ArticleId = row.get(0)?;
            last = Some(Position {
                published: row.get(1)?,
                id,
            });
            if !self.load_article(&mut plan.matcher, id, true)? {
                continue;
            }
            let mut all = true;
            for (needle, seen) in needles.iter().zip(&mut seen) {
                if plan.matcher.has(*needle) {
                    *seen += 1;
                } else {
                    all = false;
                }
            }
            let excluded = plan.matcher.excluded();
            seen_excluded += usize::from(excluded);
            if all && !excluded {
                page.push(id);
                if page.len() == q.limit {
                    return Ok(page);
                }
            }
        }
        drop(rows);
        let share = |n: usize| n as f64 / tested as f64;
        // The index is asked about the rarest word, unless it is common too (then the
        // excluded words are what leaves the page short), and about the excluded words
        // when they are common; whatever the lists leave is tested row by row.
        let excluding = plan.without.is_some() && share(seen_excluded) >= COMMON;
        let most = if excluding { RARE } else { COMMON };
        let rarest = (0..seen.len())
            .min_by_key(|&i| seen[i])
            .filter(|&i| share(seen[i]) < most);
        let (hits, exact) = match rarest.map(|i| needles[i]) {
            Some(Needle::Anywhere(i)) => {
                let asked = &plan.anywhere[i];
                (Some(self.hits(&asked.expr)?), asked.exact)
            }
            Some(Needle::Title(i)) => (Some(self.hits(&plan.title[i])?), true),
            None => (None, true),
        };
        let excluded = match &plan.without {
            Some(expr) if excluding => Some(self.hits(expr)?),
            _ => None,
        };
        // Whether the lists alone answer: one word (not a phrase) and the exclusions, all
        // listed.
        let listed = exact
            && needles.len() == usize::from(hits.is_some())
            && (plan.without.is_none() || excluded.is_some());
        let mut matcher = std::mem::take(&mut plan.matcher);
        let (hits, hit_set) = (hits.as_deref(), hits.as_deref().map(IdSet::new));
        let excluded = excluded.as_deref().map(IdSet::new);
        // A row's text is read only when a word still to test may be in it: title words
        // alone, with the exclusions listed, need the title (before the row's large columns).
        let text = matcher.has_text_words() || (plan.without.is_some() && excluded.is_none());
        let mut keep = |store: &Store, id: ArticleId| -> Result<bool, StoreError> {
            Ok(hit_set.as_ref().is_none_or(|h| h.contains(id))
                && excluded.as_ref().is_none_or(|h| !h.contains(id))
                && (listed || store.article_matches(&mut matcher, id, text)?))
        };
        if let Some(few) = hits.filter(|h| h.len() <= LOOKUP_MAX) {
            let mut candidates = Vec::with_capacity(few.len());
            for &id in few {
                if keep(self, id)? {
                    candidates.push(id);
                }
            }
            return Ok(candidates);
        }
        let rest = ListQuery {
            after: last,
            limit: q.limit - page.len(),
            ..q.clone()
        };
        let within = match &excluded {
            Some(excluded) => self.unlisted(excluded, rest.limit)?,
            None => None,
        };
        page.extend(self.walk(&rest, plan, within.as_deref(), keep)?);
        Ok(page)
    }

    /// The articles a list of hits leaves out, when they are few: a word in nearly every
    /// article leaves a page that a walk down the whole list would only find at its end.
    /// Each is looked up, which reads its row: ~4.5 µs against ~0.12 µs for a step of the
    /// walk (100,000 articles). A walk meets `limit` of `n` left out of `span` within
    /// `limit × span / n` steps, so the lookups pay when `40 n² < limit × span`.
    fn unlisted(&self, hits: &IdSet, limit: usize) -> Result<Option<Vec<ArticleId>>, StoreError> {
        let (first, last): (Option<ArticleId>, Option<ArticleId>) = self.conn.query_row(
            "SELECT (SELECT min(id) FROM articles), (SELECT max(id) FROM articles)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(None);
        };
        let span = usize::try_from(last - first + 1).unwrap_or(usize::MAX);
        let left = span.saturating_sub(hits.len);
        if left > LOOKUP_MAX || 40 * left * left >= limit.saturating_mul(span) {
            return Ok(None);
        }
        Ok(Some(
            (first..=last).filter(|&id| !hits.contains(id)).collect(),
        ))
    }

    /// Up to `q.limit` ids of `q`'s list (without its search) that `keep` keeps, walking the
    /// date index alone: no article row is read but by `keep`. Given `within`, the walk
    /// goes through those articles only, each looked up.
    fn walk(
        &self,
        q: &ListQuery,
        plan: &Plan,
        within: Option<&[ArticleId]>,
        mut keep: impl FnMut(&Store, ArticleId) -> Result<bool, StoreError>,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let narrow = within.map_or(Narrow::NoSearch, Narrow::Candidates);
        let (clause, values) = self.where_clause(q, plan, narrow)?;
        let sql =
            format!("SELECT a.id FROM articles a {clause} ORDER BY a.published DESC, a.id DESC");
        // An id list makes the statement new each time: not worth a place in the cache.
        let (mut fresh, mut cached);
        let stmt: &mut rusqlite::Statement<'_> = match within {
            Some(_) => {
                fresh = self.conn.prepare(&sql)?;
                &mut fresh
            }
            None => {
                cached = self.conn.prepare_cached(&sql)?;
                &mut cached
            }
        };
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

    /// Every article `q` matches, for counts and marks when the index alone cannot say
    /// (a phrase of several words): what the index finds, each tested.
    pub(super) fn matching_ids(
        &self,
        q: &ListQuery,
        plan: &mut Plan,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let (clause, values) = self.where_clause(q, plan, Narrow::All)?;
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT a.id FROM articles a {clause}"))?;
        let found: Vec<ArticleId> = stmt
            .query_map(params_from_iter(values), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut matching = Vec::new();
        for id in found {
            if self.article_matches(&mut plan.matcher, id, true)? {
                matching.push(id);
            }
        }
        Ok(matching)
    }

    /// Whether article `id` has the words `matcher` tests; without `text`, in its title.
    fn article_matches(
        &self,
        matcher: &mut Matcher,
        id: ArticleId,
        text: bool,
    ) -> Result<bool, StoreError> {
        Ok(self.load_article(matcher, id, text)? && matcher.matches())
    }

    /// Load article `id`'s title and (when `text`) text into `matcher`; false when there
    /// is none.
    fn load_article(
        &self,
        matcher: &mut Matcher,
        id: ArticleId,
        text: bool,
    ) -> Result<bool, StoreError> {
        let mut stmt = self.conn.prepare_cached(if text {
            "SELECT title, text FROM articles WHERE id = ?1"
        } else {
            "SELECT title, NULL FROM articles WHERE id = ?1"
        })?;
        let mut rows = stmt.query([id])?;
        let Some(row) = rows.next()? else {
            return Ok(false);
        };
        matcher.load(text_of(row.get_ref(0)?)?, text_of(row.get_ref(1)?)?);
        Ok(true)
    }
}

/// A text column, NULL as empty.
fn text_of(value: ValueRef<'_>) -> Result<&str, StoreError> {
    let text = value.as_str_or_null().map_err(rusqlite::Error::from)?;
    Ok(text.unwrap_or_default())
}
