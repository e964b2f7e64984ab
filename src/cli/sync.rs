//! `coopnews sync`: one sync with the `[sync]` server and a summary.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;

use super::{Env, Failure, Outcome};
use crate::model::FeedId;
use crate::store::Store;
use crate::sync::{SyncReport, Syncer};
use crate::text::clean_inline;

#[derive(Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    report: &'a SyncReport,
    error: Option<&'a str>,
}

pub fn run(env: &Env, json: bool) -> Outcome {
    let Some(settings) = &env.config.sync else {
        return Err(Failure::usage(
            "there is no [sync] table in the configuration; the README's Sync section shows one",
        ));
    };
    // Creates the data directory and the configured feeds' rows, as every command does.
    let (store, _) = env.open_store()?;
    drop(store);
    let syncer = Syncer::new(&env.config, &env.db_path)
        .map_err(|e| Failure::failed(format!("cannot start: {e}")))?
        .ok_or_else(|| Failure::usage("there is no [sync] table in the configuration"))?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Failure::failed(format!("cannot start: {e}")))?;
    let result = runtime.block_on(syncer.run());
    let (report, error) = match result {
        Ok(report) => (report, None),
        Err(e) => {
            // What is still queued is worth saying even when the server did not answer.
            let waiting = crate::store::Store::open(&env.db_path)
                .and_then(|s| s.sync_waiting())
                .unwrap_or(0);
            let report = SyncReport {
                waiting,
                ..SyncReport::default()
            };
            (report, Some(clean_inline(&e.to_string())))
        }
    };
    if json {
        let summary = Summary {
            report: &report,
            error: error.as_deref(),
        };
        let mut out = std::io::stdout().lock();
        let text = serde_json::to_string_pretty(&summary)
            .map_err(|e| Failure::failed(format!("cannot write JSON: {e}")))?;
        let _ = writeln!(out, "{text}");
    } else {
        let server = clean_inline(&settings.server);
        let _ = writeln!(
            std::io::stderr(),
            "{server}: {} article{} pulled, {} mark{} sent, {} mark{} received, {} waiting",
            report.pulled,
            plural(report.pulled),
            report.sent,
            plural(report.sent),
            report.received,
            plural(report.received),
            report.waiting
        );
    }
    match error {
        Some(message) => Err(Failure::failed(format!(
            "sync failed: {message}; marks made here stay queued for the next sync"
        ))),
        None => Ok(()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What `coopnews feeds` shows of sync: empty without `[sync]`.
#[derive(Default)]
pub(super) struct FeedsSync {
    /// Feeds the server follows, with its groups.
    pub groups: HashMap<FeedId, Vec<String>>,
    /// Marks waiting, by feed.
    pub waiting: HashMap<FeedId, i64>,
    pub last_sync: Option<DateTime<Utc>>,
    /// The line for the table: last sync, marks waiting, last error.
    pub summary: Option<String>,
}

pub(super) fn feeds_state(env: &Env, store: &Store) -> Result<FeedsSync, Failure> {
    let Some(settings) = &env.config.sync else {
        return Ok(FeedsSync::default());
    };
    let last_sync = store.last_sync()?;
    let when = last_sync.map_or_else(
        || "never".to_string(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    );
    let mut summary = format!(
        "sync with {}: last {when}, {} marks waiting",
        clean_inline(&settings.server),
        store.sync_waiting()?
    );
    if let Some(error) = store.sync_value("last_error")? {
        summary.push_str(&format!("  error: {}", clean_inline(&error)));
    }
    Ok(FeedsSync {
        groups: store.synced_feeds()?,
        waiting: store.sync_waiting_by_feed()?,
        last_sync,
        summary: Some(summary),
    })
}
