//! The store: SQLite (bundled), the only place with SQL. It owns the connection, keeps
//! articles and read state, and answers paged queries.

mod articles;
mod feeds;
pub mod schema;
mod search;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use articles::{ListQuery, Position, Scope, UpsertCounts};
pub use feeds::{FeedStatus, Subscription};

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
        conn.busy_timeout(Duration::from_secs(10))?;
        // WAL lets the reader read while a refresh writes; NORMAL sync is crash-safe in WAL
        // (a killed process loses nothing committed).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Refresh the planner's statistics, cheaply; worth it after large writes.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA optimize")?;
        Ok(())
    }
}
