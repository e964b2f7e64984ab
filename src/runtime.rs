//! The event loop: keys, refresh progress, timers and signals in one `select!`; every
//! pending event drained and applied through `app::update`, effects performed, then one
//! draw, only when something changed. It alone spawns tasks and holds channels.

mod effects;
pub mod hyperlinks;
mod store_worker;
mod sync_task;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{Local, Utc};
use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event as TermEvent, EventStream, MouseButton,
    MouseEventKind,
};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::app::{self, Action, Effect, Event, Keymap, Mouse, State};
use crate::config::Config;
use crate::i18n::Lang;
use crate::model::FeedId;
use crate::refresh::Progress;
use crate::store::Store;
use effects::Effects;
use store_worker::StoreWorker;

/// Open the reader on `store` (opened at `db_path`, its subscriptions synced to `ids` in
/// configuration order) with `config` until the user quits, a signal arrives or the
/// terminal goes away. Builds its own tokio runtime: call it from plain `main`, not from
/// inside another runtime.
/// Every word on screen is in `lang`.
pub fn run(
    config: Config,
    lang: Lang,
    db_path: PathBuf,
    store: Store,
    ids: Vec<FeedId>,
) -> anyhow::Result<()> {
    let keymap = Keymap::from_config(&config.keys).map_err(anyhow::Error::msg)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let now = Utc::now();
    let mut state = State::new(now, *Local::now().offset(), keymap);
    state.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    state.mark_read_after = config.mark_read_after;
    state.lang = lang;
    let options = Options {
        hyperlinks: config.hyperlinks,
    };
    let mouse = config.mouse;
    // Everything from here on must restore the terminal, however it ends; init() also
    // installs a panic hook that restores it first.
    let mut terminal = ratatui::init();
    keep_worker_panics_off_the_screen(mouse);
    if mouse {
        // Without mouse capture the reader still works, so a failure is not fatal.
        let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    }
    let result = runtime.block_on(async {
        let (answers_tx, answers) = mpsc::unbounded_channel();
        let store = StoreWorker::start(
            store,
            config.feeds.clone(),
            ids.clone(),
            lang,
            answers_tx.clone(),
        );
        let effects = Effects::new(store, config, db_path, ids, answers_tx);
        event_loop(&mut terminal, state, effects, answers, options).await
    });
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    }
    // When the terminal is gone (a closed window), restoring it fails and there is no one
    // left to tell: ratatui's Terminal would print its own failure on drop, and printing to
    // a closed terminal panics, so it is not dropped.
    if ratatui::try_restore().is_err() {
        std::mem::forget(terminal);
    }
    // A refresh may still be writing; give it a moment, then let it go.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

/// ratatui's hook restores the terminal on any panic. A panic on a worker thread is caught
/// where it happens (one feed's parse or fetch becomes that feed's error) or ends the loop
/// through its task's JoinError, so there the hook must neither restore the terminal under
/// a reader that goes on nor print over its screen. On the main thread it runs as before.
fn keep_worker_panics_off_the_screen(mouse: bool) {
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            if mouse {
                let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
            }
            restore_and_report(info);
        }
    }));
}

/// Settings of the loop itself.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// Write the reader's links as OSC 8 hyperlinks.
    hyperlinks: bool,
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut state: State,
    mut effects: Effects,
    mut answers: mpsc::UnboundedReceiver<Action>,
    options: Options,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    // The terminal's events arrive through a channel fed by their own task, so they can
    // be drained without waiting (polling the stream directly with a dummy waker would
    // lose its wake-up).
    let (key_tx, mut keys) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut stream = EventStream::new();
        while let Some(event) = stream.next().await {
            if key_tx.send(event).is_err() {
                break;
            }
        }
    });
    let (progress_tx, mut progress_rx) = mpsc::unbounded_channel::<Progress>();
    let mut tasks: JoinSet<()> = JoinSet::new();
    let interval = effects.refresh_interval();
    let mut refresh_timer =
        tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    let mut clock = tokio::time::interval(Duration::from_secs(30));
    let mut signals = Signals::new()?;

    let mut queue: VecDeque<Action> = VecDeque::new();
    queue.push_back(Action::Resize {
        width: size.width,
        height: size.height,
    });
    queue.extend(effects.perform(Effect::LoadFeeds, &mut tasks, &progress_tx));
    queue.extend(effects.perform(Effect::Sync, &mut tasks, &progress_tx));
    let mut refresh_pending = effects.refresh_on_start();
    loop {
        // Apply everything queued; store answers arrive later through `answers`.
        let changed = !queue.is_empty();
        while let Some(action) = queue.pop_front() {
            // A refresh on start needs the subscriptions: wait for their first load.
            let feeds_arrived = matches!(action, Action::FeedsLoaded(_));
            for effect in app::update(&mut state, action) {
                if effect == Effect::Quit {
                    return Ok(());
                }
                queue.extend(effects.perform(effect, &mut tasks, &progress_tx));
            }
            if feeds_arrived && std::mem::take(&mut refresh_pending) {
                queue.push_back(Action::RefreshDue);
            }
        }
        if changed {
            let frame = terminal.draw(|frame| crate::ui::draw(frame, &state))?;
            if options.hyperlinks {
                let links = hyperlinks::collect(&state, frame.buffer);
                hyperlinks::write(terminal, &links)?;
            }
        }
        let event = tokio::select! {
            key = keys.recv() => term_event(key),
            Some(progress) = progress_rx.recv() => Some(Event::Progress(progress)),
            Some(answer) = answers.recv() => {
                queue.push_back(answer);
                None
            }
            Some(joined) = tasks.join_next() => {
                if let Err(error) = joined
                    && error.is_panic()
                {
                    anyhow::bail!("a background task panicked; the terminal was restored");
                }
                None
            }
            _ = refresh_timer.tick() => Some(Event::RefreshDue),
            _ = clock.tick() => Some(Event::Tick(Utc::now())),
            () = signals.recv() => Some(Event::Terminate),
        };
        let mut pending: Vec<Event> = event.into_iter().collect();
        // Drain whatever else is ready, so a burst of keys or progress draws once.
        while let Ok(key) = keys.try_recv() {
            pending.extend(term_event(Some(key)));
        }
        while let Ok(progress) = progress_rx.try_recv() {
            pending.push(Event::Progress(progress));
        }
        while let Ok(answer) = answers.try_recv() {
            queue.push_back(answer);
        }
        for event in pending {
            if let Event::Terminate = event {
                return Ok(());
            }
            queue.extend(to_action(&state, event));
        }
    }
}

fn term_event(event: Option<std::io::Result<TermEvent>>) -> Option<Event> {
    match event {
        Some(Ok(TermEvent::Key(key))) => Some(Event::Key(key)),
        Some(Ok(TermEvent::Resize(width, height))) => Some(Event::Resize { width, height }),
        Some(Ok(TermEvent::Mouse(mouse))) => {
            let kind = match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Mouse::Click,
                MouseEventKind::ScrollUp => Mouse::WheelUp,
                MouseEventKind::ScrollDown => Mouse::WheelDown,
                _ => return None,
            };
            Some(Event::Mouse {
                kind,
                column: mouse.column,
                row: mouse.row,
            })
        }
        Some(Ok(_)) => None,
        // The terminal is gone: nothing more can be read or drawn.
        Some(Err(_)) | None => Some(Event::Terminate),
    }
}

fn to_action(state: &State, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) => app::key_action(state, &key),
        Event::Resize { width, height } => Some(Action::Resize { width, height }),
        Event::Tick(now) => Some(Action::Tick(now)),
        Event::RefreshDue => Some(Action::RefreshDue),
        Event::Progress(progress) => Some(Action::Progress(progress)),
        Event::Mouse { kind, column, row } => Some(Action::Mouse { kind, column, row }),
        Event::Terminate => None,
    }
}

/// SIGTERM and SIGHUP end the reader like `q` does, terminal restored.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    #[cfg(unix)]
    fn new() -> anyhow::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate()).context("cannot watch SIGTERM")?,
            hup: signal(SignalKind::hangup()).context("cannot watch SIGHUP")?,
        })
    }

    #[cfg(not(unix))]
    fn new() -> anyhow::Result<Signals> {
        Ok(Signals {})
    }

    #[cfg(unix)]
    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
    }

    #[cfg(not(unix))]
    async fn recv(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
