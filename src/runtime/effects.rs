//! Carrying out effects: store work handed to its thread, refresh tasks, the browser,
//! the clipboard.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

use super::store_worker::StoreWorker;
use super::sync_task::SyncTask;
use crate::app::{Action, Effect};
use crate::config::Config;
use crate::model::FeedId;
use crate::refresh::{Job, Progress, Refresher};
use crate::render::openable;

pub struct Effects {
    store: StoreWorker,
    config: Arc<Config>,
    db_path: PathBuf,
    /// Store ids of the configured feeds, in configuration order.
    ids: Vec<FeedId>,
    /// Built by the first refresh, on a worker thread: its HTTP client loads the platform's
    /// certificates, milliseconds and about a megabyte the first screen does not need.
    refresher: Arc<OnceLock<Result<Refresher, String>>>,
    sync: SyncTask,
    /// Where renders and timers answer, as the store does.
    answers: UnboundedSender<Action>,
}

impl Effects {
    pub fn new(
        store: StoreWorker,
        config: Config,
        db_path: PathBuf,
        ids: Vec<FeedId>,
        answers: UnboundedSender<Action>,
    ) -> Effects {
        Effects {
            store,
            config: Arc::new(config),
            db_path,
            ids,
            refresher: Arc::default(),
            sync: SyncTask::new(answers.clone()),
            answers,
        }
    }

    pub fn refresh_interval(&self) -> Duration {
        self.config.refresh_interval.max(Duration::from_secs(60))
    }

    pub fn refresh_on_start(&self) -> bool {
        self.config.refresh_on_start
    }

    /// Start one effect. Store work goes to its thread and answers later; the rest is
    /// quick, and only a failure comes back at once.
    pub fn perform(
        &mut self,
        effect: Effect,
        tasks: &mut JoinSet<()>,
        progress: &UnboundedSender<Progress>,
    ) -> Option<Action> {
        let result = match effect {
            Effect::LoadFeeds
            | Effect::LoadPage { .. }
            | Effect::LoadArticle(_)
            | Effect::LoadLanguages
            | Effect::SetRead { .. }
            | Effect::SetStarred { .. } => {
                self.store.send(effect);
                Ok(())
            }
            Effect::Sync => {
                self.sync.start(&self.config, &self.db_path, tasks);
                Ok(())
            }
            Effect::Refresh(ids) => {
                // Every refresh also syncs with the feed server, when there is one.
                self.sync.start(&self.config, &self.db_path, tasks);
                let jobs = self.jobs(&ids);
                let refresher = Arc::clone(&self.refresher);
                let config = Arc::clone(&self.config);
                let db_path = self.db_path.clone();
                let progress = progress.clone();
                tasks.spawn(async move {
                    let built = refresher.get_or_init(|| {
                        Refresher::new(&config, &db_path)
                            .map_err(|e| format!("cannot start refreshing: {e:#}"))
                    });
                    match built {
                        Ok(refresher) => refresher.run(jobs, progress).await,
                        Err(message) => {
                            for job in jobs {
                                let _ = progress.send(Progress::Done {
                                    feed: job.feed,
                                    outcome: Err(message.clone()),
                                });
                            }
                        }
                    }
                });
                Ok(())
            }
            Effect::Render {
                seq,
                article,
                width,
                offset,
                lang,
            } => {
                let answers = self.answers.clone();
                tasks.spawn_blocking(move || {
                    let rendered = Box::new(crate::render::article(&article, width, offset, lang));
                    let _ = answers.send(Action::Rendered { seq, rendered });
                });
                Ok(())
            }
            Effect::MarkReadLater { seq, after } => {
                let answers = self.answers.clone();
                tasks.spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = answers.send(Action::ShownFor { seq });
                });
                Ok(())
            }
            Effect::OpenUrl(url) => open_url(self.config.browser.as_deref(), &url),
            Effect::Copy(text) => copy(&text),
            Effect::Quit => Ok(()),
        };
        result.err().map(Action::Failed)
    }

    fn jobs(&self, ids: &[FeedId]) -> Vec<Job> {
        self.ids
            .iter()
            .zip(&self.config.feeds)
            .filter(|(id, _)| ids.contains(id))
            .map(|(id, feed)| Job {
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
