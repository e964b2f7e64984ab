//! The store: SQLite (bundled), the only place with SQL. It owns the connection, keeps
//! articles and read state, and answers paged queries.

mod articles;
mod backfill;
mod candidates;
mod feeds;
#[cfg(test)]
mod fold_backfill_tests;
mod folds;
pub mod query;
pub mod schema;
mod search;
mod sync;
mod textmatch;
mod upsert;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;

pub use articles::{ListQuery, Position, Scope};
pub use feeds::{FeedStatus, Record, Subscription};
pub use folds::{AlsoRow, FoldedUnread};
pub use sync::{QueuedMark, SyncedFeed, SyncedItem};
pub use upsert::UpsertCounts;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error(
        "the database was written by a newer coopnews (schema {found}, this one knows {supported}); upgrade coopnews"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("database error: {}", explain(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("no article with id {0}")]
    NoSuchArticle(i64),
    /// A search that cannot be run; the message says why.
    #[error("search: {0}")]
    BadQuery(String),
}

/// SQLite's words, with what the user can do about the errors that are theirs to fix.
fn explain(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full; free some space".into(),
        Some(ErrorCode::SystemIoFailure) => {
            format!("{e} (is the disk full, or the data directory not writable?)")
        }
        Some(ErrorCode::ReadOnly) => {
            format!("{e} (the database file or its directory is read-only)")
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("{e} (another program holds the database; try again)")
        }
        _ => e.to_string(),
    }
}

/// The page size of a new store.
pub(crate) const PAGE_SIZE: i64 = 16 * 1024;
/// SQLite's page cache of a connection, in KiB, and of a refresh's writer.
const CACHE_KIB: i64 = 512;
const WRITER_CACHE_KIB: i64 = 1024;

/// How long to wait for another instance holding the database.
const BUSY_WAIT: Duration = Duration::from_secs(10);

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Open (creating if needed) the database at `path` and migrate it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |message: String| StoreError::Open {
            path: path.to_path_buf(),
            message,
        };
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        Self::setup(conn).map_err(|e| match e {
            StoreError::Sqlite(e) => open_error(e.to_string()),
            other => other,
        })
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store, StoreError> {
        // Another coopnews refreshing at the same time holds the write lock briefly; wait.
        conn.busy_timeout(BUSY_WAIT)?;
        // WAL lets the reader read while a refresh writes; NORMAL sync is crash-safe in WAL
        // (a killed process loses nothing committed). A new file is switched to WAL without
        // waiting for the disk (five fsyncs, ~20 ms here): a power cut at that
        // moment can only spoil a file that holds nothing yet.
        conn.pragma_update(None, "synchronous", "OFF")?;
        // 16 KiB pages, where SQLite's default is 4 KiB: an article's row (~3 KB of HTML and
        // text) filled a 4 KiB page alone, and five now share one; the writer handles a
        // fraction of the pages, and a 100,000-article fill takes ~13 % less CPU. It applies
        // only to a new file (an older store keeps its pages and works as before).
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        // Larger pages fill SQLite's page cache sooner: with 512 KiB, not the default 2 MiB,
        // the reader's first screen holds the memory it had with 4 KiB pages, and searches
        // measured level. A refresh's writer takes more (`cache_for_writing`).
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        let deadline = Instant::now() + BUSY_WAIT;
        loop {
            // Switching a new file to WAL needs it to itself and does not wait for it, so a
            // second instance creating the database at the same moment tries again.
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Err(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                        && Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                other => break other?,
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // No commit copies the log into the database (every 1,000 pages by default): that
        // waits for the disk, and on a refresh's one writer it stalled the whole refresh for
        // a third of its time. A refresh copies the log on a thread of its own while it
        // writes (`checkpoint`); what is left is copied when the last connection closes, so
        // the next start finds no log to read through.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // A log that grew large once is cut back after its next checkpoint.
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        schema::migrate(&mut conn)?;
        backfill::canonical_links(&mut conn)?;
        backfill::folds(&mut conn)?;
        Ok(Store { conn })
    }

    /// Rows written since this store was opened, for tests of what a refresh rewrites.
    #[doc(hidden)]
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Copy what it can of the write-ahead log into the database without blocking anyone
    /// (a PASSIVE checkpoint).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The page cache of a refresh's writer. A fill of 100,000 articles took the same CPU
    /// with 1 MiB as with 2; 8 MiB saved ~7 % of it for 6–7 MB more memory.
    pub fn cache_for_writing(&self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        Ok(())
    }

    /// Refresh the planner's statistics, cheaply; worth it after large writes.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA optimize")?;
        Ok(())
    }
}
