//! Run a real refresh (fetch, parse, store) against loopback servers, as the CLI does.

use std::path::Path;

use coopnews::config::Config;
use coopnews::refresh::{FeedReport, Job, Progress, Refresher};
use coopnews::sources::http::Http;
use coopnews::store::{Store, Subscription};

/// Refresh every feed of `config` once into the database at `db`; the outcome per feed,
/// in configuration order.
pub fn refresh(config: &Config, db: &Path) -> Vec<Result<FeedReport, String>> {
    let mut store = Store::open(db).expect("open store");
    let subs: Vec<Subscription> = config
        .feeds
        .iter()
        .map(|f| Subscription {
            key: f.source.key(),
            title: f.title.clone(),
        })
        .collect();
    let ids = store.sync_subscriptions(&subs).expect("sync");
    drop(store);
    let jobs: Vec<Job> = config
        .feeds
        .iter()
        .zip(&ids)
        .map(|(f, id)| Job {
            feed: *id,
            name: f.display_name(),
            source: f.source.clone(),
        })
        .collect();
    let http = Http::new_without_proxy(config.http_settings()).expect("client");
    let refresher = Refresher::with_http(config, db, http).expect("refresher");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    runtime.block_on(refresher.run(jobs, tx));
    let mut outcomes: Vec<Option<Result<FeedReport, String>>> = vec![None; ids.len()];
    while let Ok(progress) = rx.try_recv() {
        if let Progress::Done { feed, outcome } = progress {
            let index = ids.iter().position(|id| *id == feed).expect("known feed");
            outcomes[index] = Some(outcome);
        }
    }
    outcomes
        .into_iter()
        .map(|o| o.expect("every feed reports"))
        .collect()
}

/// A configuration of `[[feeds]] url = …` entries plus extra top-level settings.
pub fn config_for(urls: &[String], settings: &str) -> Config {
    let mut text = format!("{settings}\n");
    for url in urls {
        text.push_str(&format!("[[feeds]]\nurl = \"{url}\"\n"));
    }
    Config::parse(&text, "test.toml").expect("test config parses")
}
