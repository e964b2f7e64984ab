//! Upgrades: a store written by an older coopnews keeps everything findable.

use rusqlite::Connection;

use super::{MIGRATIONS, VERSION};
use crate::store::{ListQuery, Store};

/// A store as coopnews left it at schema `version`, with three articles in it.
fn store_at(path: &std::path::Path, version: usize) {
    let conn = Connection::open(path).unwrap();
    for sql in &MIGRATIONS[..version] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version as i64)
        .unwrap();
    conn.execute_batch(
        "INSERT INTO feeds (id, key) VALUES (1, 'https://coop.example/feed');
         INSERT INTO articles (feed_id, guid, title, published, first_seen, last_seen, text)
         VALUES (1, 'a', 'Assemblea delle cooperative', 3, 3, 3, 'Il lavoro dignitoso.'),
                (1, 'b', 'Economía social', 2, 2, 2, 'Las cooperativas de trabajo.'),
                (1, 'c', 'Worker co-ops', 1, 1, 1, 'Decent work in Europe.');",
    )
    .unwrap();
}

/// The titles a search lists, newest first; an empty search lists every article.
fn titles(store: &Store, search: &str) -> Vec<String> {
    let q = ListQuery {
        search: (!search.is_empty()).then(|| search.into()),
        limit: 10,
        ..Default::default()
    };
    store
        .list_rows(&q)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect()
}

/// How many articles the search index itself finds for an FTS5 expression: a small list
/// is searched row by row, so the list alone would not show a broken index.
fn indexed(store: &Store, expr: &str) -> i64 {
    store
        .conn
        .query_row(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
            [expr],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_store_from_before_the_prefix_index_was_dropped_stays_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coopnews.db");
    store_at(&path, 9);
    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, VERSION);
    let fts: String = store
        .conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!fts.contains("prefix"), "{fts}");

    assert_eq!(
        titles(&store, "cooperativ"),
        ["Assemblea delle cooperative", "Economía social"]
    );
    assert_eq!(titles(&store, "economia"), ["Economía social"]);
    assert_eq!(titles(&store, "w"), ["Worker co-ops"]);
    assert_eq!(titles(&store, "\"decent work\""), ["Worker co-ops"]);
    assert_eq!(titles(&store, "-lavoro -trabajo"), ["Worker co-ops"]);
    assert_eq!(
        titles(&store, "title:assemblea"),
        ["Assemblea delle cooperative"]
    );

    // The index follows later changes (its triggers were made again).
    store
        .conn
        .execute_batch(
            "UPDATE articles SET text = 'Mutualità e lavoro.' WHERE guid = 'c';
             DELETE FROM articles WHERE guid = 'b';",
        )
        .unwrap();
    assert_eq!(titles(&store, "mutualita"), ["Worker co-ops"]);
    assert!(titles(&store, "economia").is_empty());
    assert_eq!(indexed(&store, "mutualita"), 1);
    assert_eq!(
        indexed(&store, "trabajo"),
        0,
        "the deleted article left the index"
    );
}

#[test]
fn a_new_store_has_large_pages_and_an_older_one_keeps_its_own() {
    let page_size = |store: &Store| -> i64 {
        store
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(page_size(&store), crate::store::PAGE_SIZE);
    // A store from before, with SQLite's default pages, opens and reads as it did.
    let old = dir.path().join("old.db");
    store_at(&old, 9);
    let store = Store::open(&old).unwrap();
    assert_eq!(page_size(&store), 4096);
    assert_eq!(
        titles(&store, "cooperative"),
        ["Assemblea delle cooperative"]
    );
}

#[test]
fn a_store_from_before_listings_were_kept_forgets_only_what_left_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coopnews.db");
    store_at(&path, 11);
    // All three are read. "a" and "b" were in the feed's last answer, on day 3, and it has
    // answered 304 since; "c" had left it two days before. (Rows of schema 11 are indexed
    // by coopnews, not by a trigger.)
    let day = super::super::upsert::SEEN_SLACK.num_seconds();
    Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "UPDATE articles SET read = 1, last_seen = {day} * 3;
             UPDATE articles SET last_seen = {day} WHERE guid = 'c';
             INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');"
        ))
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    let cutoff = chrono::DateTime::from_timestamp(100 * day, 0).unwrap();
    assert_eq!(store.purge_read(cutoff).unwrap(), 1);
    assert_eq!(
        titles(&store, ""),
        ["Assemblea delle cooperative", "Economía social"]
    );
}

#[test]
fn the_search_index_merges_sixteen_segments_at_a_time_in_new_and_older_stores() {
    let automerge = |store: &Store| -> i64 {
        store
            .conn
            .query_row(
                "SELECT v FROM articles_fts_config WHERE k = 'automerge'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        automerge(&Store::open(&dir.path().join("new.db")).unwrap()),
        16
    );
    let old = dir.path().join("old.db");
    store_at(&old, 13);
    Connection::open(&old)
        .unwrap()
        .execute_batch("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');")
        .unwrap();
    let store = Store::open(&old).unwrap();
    assert_eq!(automerge(&store), 16);
    assert_eq!(titles(&store, "economia"), ["Economía social"]);
    assert_eq!(indexed(&store, "economia"), 1);
}
