//! Syncs with the feed server in the background, one at a time; the outcome comes back as
//! `Action::Synced`, so the reader never waits for the server.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

use crate::app::{Action, SyncStatus};
use crate::config::Config;
use crate::store::Store;
use crate::sync::Syncer;

pub struct SyncTask {
    answers: UnboundedSender<Action>,
    running: Arc<AtomicBool>,
}

impl SyncTask {
    /// A sync's outcome is sent to `answers`, as the store worker's are.
    pub fn new(answers: UnboundedSender<Action>) -> SyncTask {
        SyncTask {
            answers,
            running: Arc::default(),
        }
    }

    /// Start a sync unless there is no `[sync]` or one is under way.
    pub fn start(&self, config: &Config, db_path: &Path, tasks: &mut JoinSet<()>) {
        let answers = self.answers.clone();
        if config.sync.is_none() || self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let running = Arc::clone(&self.running);
        let syncer = Syncer::new(config, db_path);
        let db_path = db_path.to_path_buf();
        tasks.spawn(async move {
            let outcome = match syncer {
                Ok(Some(syncer)) => syncer.run().await.map_err(|e| e.to_string()),
                Ok(None) => return running.store(false, Ordering::SeqCst),
                Err(e) => Err(e.to_string()),
            };
            let (waiting, last_sync) = tokio::task::spawn_blocking(move || {
                let store = Store::open(&db_path).ok()?;
                Some((store.sync_waiting().ok()?, store.last_sync().ok()?))
            })
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
            let status = SyncStatus {
                last_sync,
                waiting,
                changed: outcome
                    .as_ref()
                    .is_ok_and(|r| r.pulled + r.received > 0 || r.feeds > 0),
                error: outcome.err(),
            };
            running.store(false, Ordering::SeqCst);
            let _ = answers.send(Action::Synced(status));
        });
    }
}
