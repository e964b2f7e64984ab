//! `coopnews refresh`: every subscription once, a line per feed, a summary.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;

use super::{Env, Failure, Outcome};
use crate::refresh::{Job, Progress, Refresher};
use crate::text::clean_inline;

pub fn run(env: &Env) -> Outcome {
    let (store, ids) = env.open_store()?;
    let jobs: Vec<Job> = env
        .config
        .feeds
        .iter()
        .zip(&ids)
        .map(|(feed, id)| Job {
            feed: *id,
            name: feed.display_name(),
            source: feed.source.clone(),
        })
        .collect();
    // The name a feed gave itself last time beats its address when none is configured.
    let names: HashMap<_, _> = store
        .feed_statuses()?
        .into_iter()
        .map(|s| (s.id, clean_inline(&s.title)))
        .collect();
    drop(store);
    let refresher = Refresher::new(&env.config, &env.db_path)
        .map_err(|e| Failure::failed(format!("cannot start: {e:#}")))?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Failure::failed(format!("cannot start: {e}")))?;

    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let total = jobs.len();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut summary = Summary::default();
    let mut store_failure: Option<String> = None;
    runtime.block_on(async {
        let run = refresher.run(jobs, tx);
        let report = async {
            while let Some(progress) = rx.recv().await {
                match progress {
                    Progress::Done { feed, outcome } => {
                        let name = names.get(&feed).map_or("?", String::as_str);
                        let line = summary.add(name, &outcome);
                        bar.inc(1);
                        bar.set_message(name.to_string());
                        bar.suspend(|| eprintln!("{line}"));
                    }
                    Progress::StoreFailed { message } => {
                        store_failure.get_or_insert(message);
                    }
                    Progress::Started { .. } => {}
                }
            }
        };
        tokio::join!(run, report);
    });
    bar.finish_and_clear();
    eprintln!(
        "{total} subscription{} in {:.1}s: {} with news ({} new articles), {} unchanged, {} failed",
        if total == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64(),
        summary.updated,
        summary.new_articles,
        summary.unchanged,
        summary.failed
    );
    // Feeds that failed are part of a completed run; a database that could not be
    // written means nothing fetched was kept.
    match store_failure {
        Some(message) => Err(Failure::failed(format!(
            "the database {} could not be written: {}",
            env.db_path.display(),
            clean_inline(&message)
        ))),
        None => Ok(()),
    }
}

#[derive(Default)]
struct Summary {
    updated: usize,
    new_articles: usize,
    unchanged: usize,
    failed: usize,
}

impl Summary {
    fn add(&mut self, name: &str, outcome: &Result<crate::refresh::FeedReport, String>) -> String {
        match outcome {
            Ok(report) if report.not_modified => {
                self.unchanged += 1;
                format!("  {name}: not modified")
            }
            Ok(report) => {
                if report.new + report.updated > 0 {
                    self.updated += 1;
                } else {
                    self.unchanged += 1;
                }
                self.new_articles += report.new;
                let mut line = format!("  {name}: {} new", report.new);
                if report.updated > 0 {
                    line.push_str(&format!(", {} updated", report.updated));
                }
                for note in &report.notes {
                    line.push_str(&format!(" ({})", clean_inline(note)));
                }
                line
            }
            Err(message) => {
                self.failed += 1;
                format!("! {name}: {}", clean_inline(message))
            }
        }
    }
}
