//! The one writer of a refresh: results stored in batches, as they arrive, while another
//! thread copies the write-ahead log into the database.

use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::mpsc;

use super::{FeedReport, Fetched, Progress};
use crate::model::FeedId;
use crate::sources::fetch::Outcome;
use crate::store::{Record, Store};

/// The one writer: whatever has arrived is stored in one transaction (see
/// `Store::record_batch`), and reported once it is committed.
pub(super) fn write_results(
    db_path: &Path,
    mut results: mpsc::Receiver<Fetched>,
    progress: &mpsc::UnboundedSender<Progress>,
    retention: chrono::Duration,
) {
    let mut store = match Store::open(db_path) {
        Ok(store) => store,
        Err(e) => {
            let _ = progress.send(Progress::StoreFailed {
                message: e.to_string(),
            });
            while let Some(fetched) = results.blocking_recv() {
                let _ = progress.send(Progress::Done {
                    feed: fetched.feed,
                    outcome: Err(e.to_string()),
                });
            }
            return;
        }
    };
    let _ = store.cache_for_writing();
    let mut checkpoints = Checkpointer::start(db_path);
    let mut wrote = 0usize;
    while let Some(first) = results.blocking_recv() {
        let mut batch = vec![first];
        while let Ok(more) = results.try_recv() {
            batch.push(more);
        }
        wrote += write_batch(&mut store, batch, progress);
        match &mut checkpoints {
            Some(checkpoints) => checkpoints.wake(),
            None => drop(store.checkpoint()),
        }
    }
    let _ = store.purge_read(Utc::now() - retention);
    if wrote > 1000 {
        let _ = store.optimize();
    }
    // Closed before the checkpointer's connection, which may then be the last one and copy
    // what remains of the log as it closes.
    drop(store);
    if let Some(checkpoints) = checkpoints {
        checkpoints.finish();
    }
}

/// Store one batch and report each of its feeds; returns how many articles were written.
/// When the database cannot be written, nothing of the batch is kept and every feed in it
/// says why.
fn write_batch(
    store: &mut Store,
    batch: Vec<Fetched>,
    progress: &mpsc::UnboundedSender<Progress>,
) -> usize {
    let short_links: Vec<(String, Option<String>)> = batch
        .iter()
        .flat_map(|f| f.short_links.iter().cloned())
        .collect();
    // Before the articles, so posts fold through them; losing them costs only a request.
    let _ = store.record_short_links(&short_links, Utc::now());
    let records: Vec<(FeedId, Record<'_>)> = batch
        .iter()
        .map(|Fetched { feed, result, .. }| {
            let record = match result {
                Ok(Outcome::NotModified) => Record::NotModified,
                Ok(Outcome::Fetched(fetched)) => Record::Fetched(fetched),
                Err(error) => Record::Failed(error),
            };
            (*feed, record)
        })
        .collect();
    let written = store.record_batch(&records, Utc::now());
    drop(records);
    let counts = match written {
        Ok(counts) => counts,
        Err(e) => {
            let _ = progress.send(Progress::StoreFailed {
                message: e.to_string(),
            });
            for Fetched { feed, result, .. } in batch {
                let message = format!("could not save: {e}");
                let message = match result {
                    Err(error) => format!("{error} ({message})"),
                    Ok(_) => message,
                };
                let _ = progress.send(Progress::Done {
                    feed,
                    outcome: Err(message),
                });
            }
            return 0;
        }
    };
    let mut wrote = 0;
    for (Fetched { feed, result, .. }, counts) in batch.into_iter().zip(counts) {
        let outcome = match result {
            Ok(Outcome::NotModified) => Ok(FeedReport {
                not_modified: true,
                ..Default::default()
            }),
            Ok(Outcome::Fetched(fetched)) => {
                wrote += counts.new + counts.updated;
                Ok(FeedReport {
                    new: counts.new,
                    updated: counts.updated,
                    not_modified: false,
                    notes: fetched.notes,
                })
            }
            Err(error) => Err(error.to_string()),
        };
        let _ = progress.send(Progress::Done { feed, outcome });
    }
    wrote
}

/// The least time between two checkpoints of a refresh: each waits for the disk, so
/// commits gather in between.
const CHECKPOINT_GAP: Duration = Duration::from_millis(100);

/// Copies the write-ahead log into the database on its own thread and connection while the
/// writer goes on: a checkpoint ends by waiting for the disk, which on the writer's thread
/// stalled the whole refresh (0.3 s of a 10,000-article one). What it has not copied when
/// the refresh ends is copied as the last connection closes (see `Store::setup`).
struct Checkpointer {
    wake: std_mpsc::SyncSender<()>,
    last_wake: Option<Instant>,
    thread: JoinHandle<()>,
}

impl Checkpointer {
    /// None when no second connection can be opened; the writer then checkpoints itself.
    fn start(db_path: &Path) -> Option<Checkpointer> {
        let store = Store::open(db_path).ok()?;
        let _ = store.cache_for_writing();
        // One pending wake-up is enough: a checkpoint copies everything committed so far.
        let (wake, woken) = std_mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    let _ = store.checkpoint();
                }
            })
            .ok()?;
        Some(Checkpointer {
            wake,
            last_wake: None,
            thread,
        })
    }

    /// After a commit: start a checkpoint unless one started less than the gap ago.
    fn wake(&mut self) {
        if self
            .last_wake
            .is_none_or(|at| at.elapsed() >= CHECKPOINT_GAP)
        {
            let _ = self.wake.try_send(());
            self.last_wake = Some(Instant::now());
        }
    }

    /// Wait for the checkpoint under way, and for the connection to close.
    fn finish(self) {
        drop(self.wake);
        let _ = self.thread.join();
    }
}
