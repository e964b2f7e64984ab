//! `coopnews refresh`: every subscription once, a line per feed, a summary.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;

use super::{Env, Failure, Outcome};
use crate::i18n::Lang;
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
    let lang = env.lang;
    let cannot_start =
        |e: &dyn std::fmt::Display| Failure::failed(lang.f("cli.cannot_start", &[("error", e)]));
    let refresher =
        Refresher::new(&env.config, &env.db_path).map_err(|e| cannot_start(&format!("{e:#}")))?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| cannot_start(&e))?;

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
    let mut summary = Summary {
        lang,
        ..Summary::default()
    };
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
    eprintln!("{}", summary.line(total, started.elapsed().as_secs_f64()));
    // Feeds that failed are part of a completed run; a database that could not be
    // written means nothing fetched was kept.
    match store_failure {
        Some(message) => Err(Failure::failed(lang.f(
            "cli.database_failed",
            &[
                ("path", &env.db_path.display()),
                ("error", &clean_inline(&message)),
            ],
        ))),
        None => Ok(()),
    }
}

#[derive(Default)]
struct Summary {
    lang: Lang,
    updated: usize,
    new_articles: usize,
    unchanged: usize,
    failed: usize,
}

impl Summary {
    /// `12 subscriptions in 3.4s: 5 with news (17 new articles), 6 unchanged, 1 failed`.
    fn line(&self, total: usize, seconds: f64) -> String {
        let lang = self.lang;
        lang.f(
            "cli.refresh.summary",
            &[
                (
                    "subscriptions",
                    &lang.n("cli.refresh.subscriptions", total as u64, &[]),
                ),
                ("seconds", &lang.decimal(seconds, 1)),
                ("updated", &self.updated),
                (
                    "articles",
                    &lang.n("cli.refresh.new_articles", self.new_articles as u64, &[]),
                ),
                ("unchanged", &self.unchanged),
                ("failed", &self.failed),
            ],
        )
    }

    fn add(&mut self, name: &str, outcome: &Result<crate::refresh::FeedReport, String>) -> String {
        match outcome {
            Ok(report) if report.not_modified => {
                self.unchanged += 1;
                format!("  {}", self.lang.f("cli.not_modified", &[("name", &name)]))
            }
            Ok(report) => {
                if report.new + report.updated > 0 {
                    self.updated += 1;
                } else {
                    self.unchanged += 1;
                }
                self.new_articles += report.new;
                let new = self.lang.n("cli.refresh.new", report.new as u64, &[]);
                let mut line = format!("  {name}: {new}");
                if report.updated > 0 {
                    line.push_str(", ");
                    line.push_str(&self.lang.n("cli.updated", report.updated as u64, &[]));
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
