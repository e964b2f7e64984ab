//! Carrying out effects: store reads and writes (small indexed queries), refresh tasks,
//! the browser, the clipboard. Answers come back as actions.

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

use crate::app::{Action, Effect, FeedInfo, FeedsSnapshot, Page};
use crate::config::{Config, Feed};
use crate::model::FeedId;
use crate::refresh::{Job, Progress, Refresher};
use crate::render::openable;
use crate::store::{ListQuery, Store};

pub struct Effects {
    store: Store,
    config: Config,
    /// Store ids of the configured feeds, in configuration order.
    ids: Vec<FeedId>,
    refresher: Refresher,
    /// Reloads asked for while draining, performed once at the end.
    feeds_due: bool,
    pages_due: Vec<(u64, bool, ListQuery)>,
}

impl Effects {
    pub fn new(store: Store, config: Config, ids: Vec<FeedId>, refresher: Refresher) -> Effects {
        Effects {
            store,
            config,
            ids,
            refresher,
            feeds_due: false,
            pages_due: Vec::new(),
        }
    }

    pub fn refresh_interval(&self) -> Duration {
        self.config.refresh_interval.max(Duration::from_secs(60))
    }

    pub fn refresh_on_start(&self) -> bool {
        self.config.refresh_on_start
    }

    /// Do one effect; what it read comes back as actions.
    pub fn perform(
        &mut self,
        effect: Effect,
        tasks: &mut JoinSet<()>,
        progress: &UnboundedSender<Progress>,
    ) -> Vec<Action> {
        let result: Result<Vec<Action>, String> = match effect {
            // Many refreshes finishing together ask for the same reloads: do them once.
            Effect::LoadFeeds => {
                self.feeds_due = true;
                Ok(Vec::new())
            }
            Effect::LoadPage {
                generation,
                replace,
                query,
            } => {
                if replace {
                    self.pages_due.retain(|(g, r, _)| !(*g == generation && *r));
                }
                self.pages_due.push((generation, replace, query));
                Ok(Vec::new())
            }
            Effect::LoadArticle(id) => match self.store.article(id) {
                Ok(Some(article)) => Ok(vec![Action::ArticleLoaded(Box::new(article))]),
                Ok(None) => Err(format!("article {id} is no longer in the store")),
                Err(e) => Err(e.to_string()),
            },
            Effect::SetRead { scope, read } => self
                .store
                .set_read(&scope, read)
                .map(|_| Vec::new())
                .map_err(|e| format!("could not save the read mark: {e}")),
            Effect::SetStarred { id, starred } => self
                .store
                .set_starred(&crate::store::Scope::Ids(vec![id]), starred)
                .map(|_| Vec::new())
                .map_err(|e| format!("could not save the star: {e}")),
            Effect::Refresh(ids) => {
                let jobs = self.jobs(&ids);
                let refresher = self.refresher.clone();
                let progress = progress.clone();
                tasks.spawn(async move { refresher.run(jobs, progress).await });
                Ok(Vec::new())
            }
            Effect::OpenUrl(url) => {
                open_url(self.config.browser.as_deref(), &url).map(|()| Vec::new())
            }
            Effect::Copy(text) => copy(&text).map(|()| Vec::new()),
            Effect::Quit => Ok(Vec::new()),
        };
        result.unwrap_or_else(|message| vec![Action::Failed(message)])
    }

    /// The reloads put off while draining.
    pub fn flush(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        if std::mem::take(&mut self.feeds_due) {
            match self.snapshot() {
                Ok(snapshot) => actions.push(Action::FeedsLoaded(snapshot)),
                Err(e) => actions.push(Action::Failed(e.to_string())),
            }
        }
        for (generation, replace, query) in std::mem::take(&mut self.pages_due) {
            match self.store.list_rows(&query) {
                Ok(rows) => actions.push(Action::PageLoaded(Page {
                    generation,
                    replace,
                    exhausted: rows.len() < query.limit,
                    rows,
                })),
                Err(e) => actions.push(Action::Failed(e.to_string())),
            }
        }
        actions
    }

    fn snapshot(&self) -> Result<FeedsSnapshot, crate::store::StoreError> {
        let statuses = self.store.feed_statuses()?;
        let by_id: HashMap<FeedId, &crate::store::FeedStatus> =
            statuses.iter().map(|s| (s.id, s)).collect();
        let feeds = self
            .ids
            .iter()
            .zip(&self.config.feeds)
            .map(|(id, feed)| {
                let status = by_id.get(id);
                FeedInfo {
                    id: *id,
                    title: status.map_or_else(|| feed.display_name(), |s| s.title.clone()),
                    tags: feed.tags.clone(),
                    unread: status.map_or(0, |s| s.unread),
                    error: status.and_then(|s| s.last_error.clone()),
                }
            })
            .collect();
        let starred = self.store.count(&ListQuery {
            starred_only: true,
            ..ListQuery::default()
        })?;
        Ok(FeedsSnapshot {
            feeds,
            titles: statuses.iter().map(|s| (s.id, s.title.clone())).collect(),
            starred,
        })
    }

    fn jobs(&self, ids: &[FeedId]) -> Vec<crate::refresh::Job> {
        self.ids
            .iter()
            .zip(&self.config.feeds)
            .filter(|(id, _)| ids.contains(id))
            .map(|(id, feed): (&FeedId, &Feed)| Job {
                feed: *id,
                name: feed.display_name(),
                source: feed.source.clone(),
            })
            .collect()
    }
}

/// The browser command: the `browser` setting, else `$BROWSER`, else the platform's opener.
fn browser_command(setting: Option<&[String]>) -> Vec<String> {
    if let Some(argv) = setting.filter(|a| !a.is_empty()) {
        return argv.to_vec();
    }
    if let Some(browser) = std::env::var_os("BROWSER").and_then(|b| b.into_string().ok()) {
        // $BROWSER may list alternatives separated by ':'; the first is taken, split on
        // spaces (it is never handed to a shell).
        let first = browser.split(':').next().unwrap_or_default();
        let argv: Vec<String> = first.split_whitespace().map(String::from).collect();
        if !argv.is_empty() {
            return argv;
        }
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    vec![opener.to_string()]
}

/// Start the browser on `url`, with an argument vector (never a shell) and no access to
/// the terminal; it is reaped in the background.
fn open_url(setting: Option<&[String]>, url: &str) -> Result<(), String> {
    if !openable(url) {
        return Err("refused: only http, https and mailto links are opened".into());
    }
    let argv = browser_command(setting);
    let (program, args) = argv.split_first().ok_or("no browser command")?;
    let mut child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!("cannot start `{program}`: {e}; set `browser` in the configuration")
        })?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// OSC 52: the terminal puts the text on the clipboard, over ssh too.
fn copy(text: &str) -> Result<(), String> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")
        .and_then(|()| out.flush())
        .map_err(|e| format!("could not copy: {e}"))
}
