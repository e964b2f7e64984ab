//! The schema, as an ordered list of migrations applied by `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Each entry moves the schema one version up; never edit one that has shipped, add another.
const MIGRATIONS: &[&str] = &[
    // 1: subscriptions, articles, full-text search.
    r#"
    CREATE TABLE feeds (
        id              INTEGER PRIMARY KEY,
        key             TEXT NOT NULL UNIQUE,
        config_title    TEXT,
        feed_title      TEXT,
        site_link       TEXT,
        resolved        TEXT,
        etag            TEXT,
        last_modified   TEXT,
        last_attempt    INTEGER,
        last_success    INTEGER,
        last_error      TEXT,
        http_status     INTEGER,
        retry_until     INTEGER
    );
    CREATE TABLE articles (
        id          INTEGER PRIMARY KEY,
        feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid        TEXT NOT NULL,
        title       TEXT NOT NULL,
        link        TEXT,
        author      TEXT,
        published   INTEGER NOT NULL,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        language    TEXT,
        html        TEXT,
        text        TEXT NOT NULL,
        links       TEXT NOT NULL DEFAULT '[]',
        read        INTEGER NOT NULL DEFAULT 0,
        starred     INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX articles_by_date ON articles (published DESC, id DESC);
    CREATE INDEX articles_by_feed_date ON articles (feed_id, published DESC, id DESC);
    CREATE INDEX articles_unread_by_date ON articles (published DESC, id DESC) WHERE read = 0;
    CREATE INDEX articles_starred_by_date ON articles (published DESC, id DESC) WHERE starred = 1;

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    "#,
    // 2: per-feed counts kept by triggers, so the feed list never scans the articles.
    r#"
    ALTER TABLE feeds ADD COLUMN unread_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN total_count INTEGER NOT NULL DEFAULT 0;
    UPDATE feeds SET
        total_count = (SELECT COUNT(*) FROM articles WHERE feed_id = feeds.id),
        unread_count = (SELECT COUNT(*) FROM articles WHERE feed_id = feeds.id AND read = 0);
    CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
        UPDATE feeds SET total_count = total_count + 1, unread_count = unread_count + (new.read = 0)
        WHERE id = new.feed_id;
    END;
    CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
        UPDATE feeds SET total_count = total_count - 1, unread_count = unread_count - (old.read = 0)
        WHERE id = old.feed_id;
    END;
    CREATE TRIGGER articles_count_read AFTER UPDATE OF read ON articles
    WHEN old.read IS NOT new.read BEGIN
        UPDATE feeds SET unread_count = unread_count + (new.read = 0) - (old.read = 0)
        WHERE id = new.feed_id;
    END;
    "#,
    // 3: new articles are indexed for search by `upsert::index_new` after the batch's rows
    // are written, not by a trigger: FTS5 flushes its pending terms at every statement
    // savepoint, so the trigger wrote one index segment per article, and merging them was
    // the biggest cost of a refresh. Updates and deletes keep their triggers (they need the
    // old values).
    "DROP TRIGGER articles_fts_insert;",
    // 4: the same for the counts: `upsert::upsert_feeds` adds its new rows to them once per
    // feed, instead of a trigger updating the feed's row once per article.
    "DROP TRIGGER articles_count_insert;",
    // 5: sync with a feed server (ids, outbox, state); see `store::sync`.
    super::sync::MIGRATION,
    // 6: organisations, canonical links, folding.
    organisations_and_folding(),
    // 7: a Bluesky post's likes and reposts.
    post_engagement(),
    // 8: stories stored twice before folding existed are folded once.
    fold_stored_duplicates(),
    // 9: one- and two-letter prefixes indexed for search.
    search_prefix_index(),
    // 10: and no longer: a search tests the newest articles itself; folds by subscription.
    search_without_prefix_index(),
    // 11: the search index without word positions.
    search_without_positions(),
    // 12: what the purge at the end of every refresh needs: read rows by date, listings.
    purge_by_listing(),
    // 13: a digest of the last answer, for servers that send the same bytes again.
    "ALTER TABLE feeds ADD COLUMN digest TEXT;",
    // 14: the search index merges its segments sixteen at a time.
    search_merges_by_sixteen(),
];

/// Organisations, one address per story, and what folds into what (issue 13): the
/// subscription's `org`, each article's canonical link and the article it is part of, the
/// links a Bluesky post announces, and short links once resolved. The list's indexes keep
/// only rows of their own (`folded_into IS NULL`), so a list never reads a folded row.
/// Stored articles get their canonical link from `folds::backfill` at the next open.
const fn organisations_and_folding() -> &'static str {
    r#"
    ALTER TABLE feeds ADD COLUMN org TEXT;
    ALTER TABLE articles ADD COLUMN canonical TEXT;
    ALTER TABLE articles ADD COLUMN folded_into INTEGER REFERENCES articles(id) ON DELETE SET NULL;
    CREATE INDEX articles_by_canonical ON articles (canonical) WHERE canonical IS NOT NULL;
    CREATE INDEX articles_folded ON articles (folded_into) WHERE folded_into IS NOT NULL;
    DROP INDEX articles_by_date;
    CREATE INDEX articles_by_date ON articles (published DESC, id DESC) WHERE folded_into IS NULL;
    DROP INDEX articles_unread_by_date;
    CREATE INDEX articles_unread_by_date ON articles (published DESC, id DESC)
        WHERE read = 0 AND folded_into IS NULL;
    DROP INDEX articles_starred_by_date;
    CREATE INDEX articles_starred_by_date ON articles (published DESC, id DESC)
        WHERE starred = 1 AND folded_into IS NULL;
    CREATE INDEX articles_by_language ON articles (language, published DESC, id DESC)
        WHERE folded_into IS NULL;
    CREATE TABLE article_links (
        canonical   TEXT NOT NULL,
        article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (canonical, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_links_by_article ON article_links (article_id);
    CREATE TABLE short_links (
        url          TEXT PRIMARY KEY,
        target       TEXT,
        resolved_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE pending_backfill (name TEXT PRIMARY KEY);
    INSERT INTO pending_backfill VALUES ('canonical');
    "#
}

/// A Bluesky post's counts as last fetched (issue 13): NULL for rows of other sources.
/// A refresh overwrites them without touching the search index (`upsert::upsert_feeds`).
const fn post_engagement() -> &'static str {
    r#"
    ALTER TABLE articles ADD COLUMN likes INTEGER;
    ALTER TABLE articles ADD COLUMN reposts INTEGER;
    ALTER TABLE articles ADD COLUMN replies INTEGER;
    ALTER TABLE articles ADD COLUMN quotes INTEGER;
    "#
}

/// Folding happened only as rows arrived: copies and posts stored before schema 6 stay
/// rows of their own until `folds::backfill` folds them, once, at the next open.
const fn fold_stored_duplicates() -> &'static str {
    "INSERT OR IGNORE INTO pending_backfill VALUES ('fold');"
}

/// One- and two-letter prefix indexes: a search typed one letter at a time matches nearly
/// every article, and without them FTS5 merges the doclists of every word with that prefix
/// at each keystroke. The index is rebuilt from the articles, so this step reads them all
/// once: about 6 s of CPU for 100,000 articles of ~180 words (sqlite3 CLI, 2 cores).
const fn search_prefix_index() -> &'static str {
    r#"
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    "#
}

/// The search index as it was before step 9. Searches for one or two letters now find
/// their page by testing the newest articles themselves (`candidates`, `textmatch`), and the
/// prefixes cost ~70 % more indexing CPU on every refresh (4.6 s against 2.6 s to index
/// 100,000 articles, sqlite3 CLI). Rebuilding takes that 2.6 s once.
const fn search_without_prefix_index() -> &'static str {
    r#"
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    -- The stories a subscription's folded rows went into, for a list narrowed to it,
    -- without reading every row of the subscription.
    CREATE INDEX articles_folded_by_feed ON articles (feed_id, folded_into)
        WHERE folded_into IS NOT NULL;
    -- The list's indexes carry the subscription, so a list narrowed to a few of them
    -- (an organisation) walks the index alone, without reading each row for its feed.
    DROP INDEX articles_by_date;
    CREATE INDEX articles_by_date ON articles (published DESC, id DESC, feed_id)
        WHERE folded_into IS NULL;
    DROP INDEX articles_unread_by_date;
    CREATE INDEX articles_unread_by_date ON articles (published DESC, id DESC, feed_id)
        WHERE read = 0 AND folded_into IS NULL;
    "#
}

/// The search index keeps which column each word is in, not where (`detail = column`): the
/// index is 9.5 MB instead of 24 MB for 100,000 articles, and building it costs ~1.7 s of
/// CPU instead of ~2.5 s (sqlite3 CLI, 2 cores). A phrase is then asked of the index as its
/// words, and their order is tested in Rust (`textmatch`), as the walk tests every row anyway.
const fn search_without_positions() -> &'static str {
    r#"
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2', detail = column
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    "#
}

/// What `Store::purge_read` needs to forget only what has left its feed, and to read only
/// read rows.
/// - An index of read, unstarred rows by date. Without it the purge went through
///   `articles_by_feed_date` and read the row of every article published before the
///   cutoff, read or not: 1.26 GB on each refresh of a store of 100,000 articles.
/// - When each subscription last listed its items (`listed_at`, the time of its last full
///   answer). A 304 leaves the listing as it was, so an article seen then is still in the
///   feed, however long the site stays unchanged. A store from before takes the newest
///   sighting of each feed's articles as its listing.
///
/// Both read the whole table once, here.
const fn purge_by_listing() -> &'static str {
    r#"
    CREATE INDEX articles_read_by_date ON articles (published) WHERE read = 1 AND starred = 0;
    ALTER TABLE feeds ADD COLUMN listed_at INTEGER;
    UPDATE feeds SET listed_at = (SELECT MAX(last_seen) FROM articles WHERE feed_id = feeds.id);
    "#
}

/// FTS5 merges a level's segments once it holds `automerge` of them: 4 by default, so a
/// word's postings were copied again every time the index grew fourfold. Every commit writes
/// a segment, and a 100,000-article fill spent a fifth of its writer's time writing and
/// merging them at commit. Sixteen at a time copies each posting half as often: indexing the fill's articles
/// in commits of 500 took 2.4 s of CPU instead of 3.3–3.7 s (sqlite3 from Python). It leaves
/// more segments (20 against 7 after that fill; FTS5 merges any level at 16 regardless);
/// a word's whole list read from either took the same time within noise.
const fn search_merges_by_sixteen() -> &'static str {
    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);"
}

pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring the database up to [`VERSION`], one transaction per step, so a crash mid-way
/// leaves it at the last complete version. Each step takes the write lock before it reads
/// the version, so two instances opening a new database at once do not both migrate it.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Nearly every open finds the schema current: a plain read then, so opening never
    // waits for (or takes) the write lock a refresh in another process may hold.
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > VERSION {
            return Err(StoreError::TooNew {
                found: current,
                supported: VERSION,
            });
        }
        let Some(sql) = MIGRATIONS.get(current as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
