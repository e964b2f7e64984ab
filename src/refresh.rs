//! Refreshing: fetch subscriptions under the global and per-host limits, write the results
//! to the store in batches as they arrive, report progress over a channel.

mod enrich;
mod writer;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use std::panic::AssertUnwindSafe;

use chrono::Utc;
use futures_util::FutureExt;
use tokio::sync::{Semaphore, mpsc};
use url::Url;

use crate::config::Config;
use crate::model::{FeedId, Source};
pub use crate::model::{FeedReport, Progress};
use crate::sources::FetchError;
use crate::sources::fetch::{self, Context, Outcome, Prior};
use crate::sources::http::Http;
use crate::store::Store;

/// One subscription to refresh.
#[derive(Debug, Clone)]
pub struct Job {
    pub feed: FeedId,
    /// How the user knows it, for messages.
    pub name: String,
    pub source: Source,
}

/// Runs refreshes; cheap to clone, one per program. Limits are shared by every run, so a
/// refresh of one feed started during a full refresh still respects them.
#[derive(Clone)]
pub struct Refresher {
    http: Http,
    bluesky_api: Url,
    db_path: PathBuf,
    global: Arc<Semaphore>,
    per_host_limit: usize,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    retention: chrono::Duration,
    /// With `[sync]`, feeds the server follows are read from it, not fetched here.
    syncing: bool,
    /// Hosts whose links are short links (`shorteners`).
    shorteners: Arc<Vec<String>>,
}

/// Parsed feeds waiting for the writer, at most.
const WRITE_QUEUE: usize = 4;

/// A finished fetch on its way to the writer.
struct Fetched {
    feed: FeedId,
    result: Result<Outcome, FetchError>,
    /// Short links resolved for this fetch: where each leads, if anywhere.
    short_links: Vec<(String, Option<String>)>,
}

impl Refresher {
    pub fn new(config: &Config, db_path: &Path) -> anyhow::Result<Refresher> {
        Self::with_http(config, db_path, Http::new(config.http_settings())?)
    }

    /// The same, with a given client (tests use one that ignores proxies).
    pub fn with_http(config: &Config, db_path: &Path, http: Http) -> anyhow::Result<Refresher> {
        let bluesky_api = Url::parse(&config.bluesky_api)?;
        Ok(Refresher {
            http,
            bluesky_api,
            db_path: db_path.to_path_buf(),
            global: Arc::new(Semaphore::new(config.concurrency.max(1))),
            per_host_limit: config.per_host_concurrency.max(1),
            hosts: Arc::default(),
            retention: chrono::Duration::from_std(config.retention)
                .unwrap_or(chrono::Duration::days(90)),
            syncing: config.sync.is_some(),
            shorteners: Arc::new(config.shorteners.clone()),
        })
    }

    fn host_semaphore(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(
            hosts
                .entry(host.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host_limit))),
        )
    }

    fn host_of(&self, source: &Source) -> String {
        let url = match source {
            Source::Feed { url } => Url::parse(url).ok(),
            Source::Page(page) => Url::parse(&page.url).ok(),
            Source::Bluesky(_) => Some(self.bluesky_api.clone()),
        };
        url.and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Fetch every job, at most `concurrency` at once and `per_host_concurrency` per host,
    /// store results in batches as they arrive, and send progress. Returns when all are done.
    /// A store that cannot be opened fails every job with that message.
    pub async fn run(&self, jobs: Vec<Job>, progress: mpsc::UnboundedSender<Progress>) {
        let db_path = self.db_path.clone();
        let feed_ids: Vec<(FeedId, bool)> = jobs
            .iter()
            .map(|j| {
                // Bluesky pages back to known posts; full-text pages skip stored items.
                let wants_known = matches!(
                    j.source,
                    Source::Bluesky(_)
                        | Source::Page(crate::model::PageSpec {
                            full_text: true,
                            ..
                        })
                );
                (j.feed, wants_known)
            })
            .collect();
        let syncing = self.syncing;
        let priors =
            tokio::task::spawn_blocking(move || load_priors(&db_path, &feed_ids, syncing)).await;
        let (priors, known_short) = match priors {
            Ok(Ok(priors)) => priors,
            Ok(Err(message)) => return fail_all(&jobs, &message, &progress),
            Err(join) => return fail_all(&jobs, &join.to_string(), &progress),
        };
        // Bounded: when the writer falls behind, fetches wait instead of piling parsed feeds
        // up in memory (a 500-feed refresh held them all: 121 MB peak).
        let (results_tx, results_rx) = mpsc::channel::<Fetched>(WRITE_QUEUE);
        let writer = {
            let db_path = self.db_path.clone();
            let progress = progress.clone();
            let retention = self.retention;
            tokio::task::spawn_blocking(move || {
                writer::write_results(&db_path, results_rx, &progress, retention)
            })
        };
        let mut tasks = tokio::task::JoinSet::new();
        let now = Utc::now();
        let known_short = Arc::new(known_short);
        for job in jobs {
            let Some(state) = priors.get(&job.feed).cloned() else {
                continue;
            };
            if state.synced {
                let report = FeedReport {
                    notes: vec!["read through the sync server".into()],
                    ..FeedReport::default()
                };
                let _ = progress.send(Progress::Done {
                    feed: job.feed,
                    outcome: Ok(report),
                });
                continue;
            }
            if let Some(until) = state.retry_until.filter(|until| *until > now) {
                let message = FetchError::RateLimited { until }.to_string();
                let _ = progress.send(Progress::Done {
                    feed: job.feed,
                    outcome: Err(message),
                });
                continue;
            }
            let this = self.clone();
            let results_tx = results_tx.clone();
            let progress = progress.clone();
            let host = self.host_semaphore(&self.host_of(&job.source));
            let known_short = Arc::clone(&known_short);
            tasks.spawn(async move {
                let Ok(_global) = this.global.acquire().await else {
                    return;
                };
                let Ok(_host) = host.acquire().await else {
                    return;
                };
                let _ = progress.send(Progress::Started { feed: job.feed });
                let ctx = Context {
                    http: &this.http,
                    bluesky_api: &this.bluesky_api,
                    now: Utc::now(),
                };
                // A panic in one fetch becomes that feed's error; the others go on.
                let result = AssertUnwindSafe(fetch::fetch(&ctx, &job.source, &state.prior))
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|_| {
                        Err(FetchError::Parse(
                            "internal error while reading this feed".into(),
                        ))
                    });
                let mut result = result;
                let mut short_links = Vec::new();
                if let Ok(Outcome::Fetched(fetched)) = &mut result {
                    enrich::languages(fetched);
                    short_links = enrich::short_links(
                        &this.http,
                        &job.source,
                        fetched,
                        &this.shorteners,
                        &known_short,
                    )
                    .await;
                }
                let fetched = Fetched {
                    feed: job.feed,
                    result,
                    short_links,
                };
                let _ = results_tx.send(fetched).await;
            });
        }
        drop(results_tx);
        while tasks.join_next().await.is_some() {}
        let _ = writer.await;
    }
}

/// How many recent ids a paging source gets, to know where it can stop.
const KNOWN_GUIDS: usize = 500;

#[derive(Clone)]
struct FeedState {
    prior: Prior,
    retry_until: Option<chrono::DateTime<Utc>>,
    /// Filled by sync from the server instead.
    synced: bool,
}

/// Each feed's prior state, and the short links already resolved.
type Priors = (HashMap<FeedId, FeedState>, HashSet<String>);

fn load_priors(db_path: &Path, feeds: &[(FeedId, bool)], syncing: bool) -> Result<Priors, String> {
    let store = Store::open(db_path).map_err(|e| e.to_string())?;
    let synced = if syncing {
        store.synced_feeds().map_err(|e| e.to_string())?
    } else {
        HashMap::new()
    };
    let known_short = store
        .known_short_links(Utc::now())
        .map_err(|e| e.to_string())?;
    let statuses: HashMap<FeedId, _> = store
        .feed_statuses()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|s| (s.id, s.retry_until))
        .collect();
    let mut priors = HashMap::with_capacity(feeds.len());
    for &(feed, wants_known) in feeds {
        // Only paging sources use the ids of stored articles; plain feeds don't read them.
        let known = if wants_known { KNOWN_GUIDS } else { 0 };
        let prior = store.prior(feed, known).map_err(|e| e.to_string())?;
        let retry_until = statuses.get(&feed).copied().flatten();
        let synced = synced.contains_key(&feed);
        priors.insert(
            feed,
            FeedState {
                prior,
                retry_until,
                synced,
            },
        );
    }
    Ok((priors, known_short))
}

fn fail_all(jobs: &[Job], message: &str, progress: &mpsc::UnboundedSender<Progress>) {
    let _ = progress.send(Progress::StoreFailed {
        message: message.to_string(),
    });
    for job in jobs {
        let _ = progress.send(Progress::Done {
            feed: job.feed,
            outcome: Err(message.to_string()),
        });
    }
}
