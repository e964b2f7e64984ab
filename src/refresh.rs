//! Refreshing: fetch subscriptions under the global and per-host limits, write each
//! result to the store as it arrives, report progress over a channel.

use std::path::Path;

use crate::config::Config;
use crate::model::{FeedId, Source};

/// One subscription to refresh.
#[derive(Debug, Clone)]
pub struct Job {
    pub feed: FeedId,
    /// How the user knows it, for messages.
    pub name: String,
    pub source: Source,
}

/// What a refresh reports while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Started {
        feed: FeedId,
    },
    /// The feed is written (or its error recorded); `Err` holds the message for the user.
    Done {
        feed: FeedId,
        outcome: Result<FeedReport, String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedReport {
    pub new: usize,
    pub updated: usize,
    pub not_modified: bool,
    pub notes: Vec<String>,
}

/// Runs refreshes; cheap to clone, one per program.
#[derive(Clone)]
pub struct Refresher {}

impl Refresher {
    pub fn new(_config: &Config, _db_path: &Path) -> anyhow::Result<Refresher> {
        todo!()
    }

    /// Fetch every job, at most `concurrency` at once and `per_host_concurrency` per host,
    /// store each result in its own transaction, and send progress. Returns when all are done.
    pub async fn run(
        &self,
        _jobs: Vec<Job>,
        _progress: tokio::sync::mpsc::UnboundedSender<Progress>,
    ) {
        todo!()
    }
}
