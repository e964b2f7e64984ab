//! Timing with 100,000 articles in the store: the first frame and every key must stay
//! within a frame. Ignored by default (it builds a large database); run with
//! `cargo test --release --test perf_100k -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone, Utc};
use coopnews::app::{Action, Effect, FeedInfo, FeedsSnapshot, Keymap, Page, State, update};
use coopnews::model::{Article, ParsedFeed};
use coopnews::sources::fetch::Fetched;
use coopnews::store::{ListQuery, Store, Subscription};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const FEEDS: usize = 20;
const PER_FEED: usize = 5_000;

fn perform(store: &Store, effects: Vec<Effect>) -> Vec<Action> {
    let mut actions = Vec::new();
    for effect in effects {
        match effect {
            Effect::LoadPage {
                generation,
                replace,
                query,
            } => {
                let rows = store.list_rows(&query).unwrap();
                let exhausted = rows.len() < query.limit;
                actions.push(Action::PageLoaded(Page {
                    generation,
                    replace,
                    rows,
                    exhausted,
                }));
            }
            Effect::LoadArticle(id) => {
                actions.push(Action::ArticleLoaded(Box::new(
                    store.article(id).unwrap().unwrap(),
                )));
            }
            _ => {}
        }
    }
    actions
}

/// Apply an action and everything it leads to, then draw once; the time it all took.
fn key(
    state: &mut State,
    store: &Store,
    terminal: &mut Terminal<TestBackend>,
    action: Action,
) -> Duration {
    let start = Instant::now();
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        let effects = update(state, action);
        queue.extend(perform(store, effects));
    }
    terminal.draw(|f| coopnews::ui::draw(f, state)).unwrap();
    start.elapsed()
}

#[test]
#[ignore]
fn a_hundred_thousand_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("perf.db")).unwrap();
    let subs: Vec<Subscription> = (0..FEEDS)
        .map(|i| Subscription {
            key: format!("https://feed{i}.example/rss"),
            title: Some(format!("Feed {i}")),
        })
        .collect();
    let ids = store.sync_subscriptions(&subs).unwrap();
    let base = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let build = Instant::now();
    for (n, id) in ids.iter().enumerate() {
        let articles = (0..PER_FEED)
            .map(|i| Article {
                guid: format!("{n}-{i}"),
                title: format!("Cooperativa {n} notizia {i}: società e lavoro"),
                link: Some(format!("https://feed{n}.example/{i}")),
                published: Some(base + chrono::Duration::minutes((i * FEEDS + n) as i64)),
                html: Some(format!("<p>Articolo {i} della cooperativa {n}.</p>")),
                text: format!("Articolo {i} della cooperativa {n}."),
                ..Article::default()
            })
            .collect();
        let fetched = Fetched {
            parsed: ParsedFeed {
                articles,
                ..ParsedFeed::default()
            },
            ..Fetched::default()
        };
        store
            .record_fetched(*id, &fetched, base + chrono::Duration::days(400))
            .unwrap();
    }
    eprintln!(
        "built {} articles in {:?}",
        FEEDS * PER_FEED,
        build.elapsed()
    );

    let now = base + chrono::Duration::days(400);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let start = Instant::now();
    let mut state = State::new(now, FixedOffset::east_opt(0).unwrap(), Keymap::default());
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    let statuses = store.feed_statuses().unwrap();
    let starred = store
        .count(&ListQuery {
            starred_only: true,
            ..ListQuery::default()
        })
        .unwrap();
    let feeds = ids
        .iter()
        .zip(&statuses)
        .enumerate()
        .map(|(i, (id, s))| FeedInfo {
            id: *id,
            title: s.title.clone(),
            tags: vec![if i % 2 == 0 { "even" } else { "odd" }.to_string()],
            unread: s.unread,
            error: None,
        })
        .collect();
    let titles = statuses.iter().map(|s| (s.id, s.title.clone())).collect();
    let counts = start.elapsed();
    let first = key(
        &mut state,
        &store,
        &mut terminal,
        Action::FeedsLoaded(FeedsSnapshot {
            feeds,
            titles,
            starred,
            folded_unread: Vec::new(),
        }),
    );
    eprintln!(
        "counts {counts:?}; first frame {:?} ({} rows loaded)",
        counts + first,
        state.list.rows.len()
    );
    assert!(state.list.rows.len() <= 1_000, "the list pages");

    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    for _ in 0..3_000 {
        let t = key(&mut state, &store, &mut terminal, Action::Down);
        worst = worst.max(t);
        total += t;
    }
    eprintln!(
        "3000 × j: worst {worst:?}, mean {:?}, {} rows loaded",
        total / 3_000,
        state.list.rows.len()
    );
    let mut report = |name: &str, action: Action| {
        let t = key(&mut state, &store, &mut terminal, action);
        eprintln!("{name}: {t:?}");
        t
    };
    report("Enter", Action::Open);
    report("n", Action::NextUnread);
    report("u", Action::ToggleUnreadOnly);
    report("/ c", Action::StartFilter);
    report(
        "filter 'c'",
        Action::Filter(coopnews::app::FilterEdit::Char('c')),
    );
    report(
        "filter 'o'",
        Action::Filter(coopnews::app::FilterEdit::Char('o')),
    );
    report("Esc", Action::Filter(coopnews::app::FilterEdit::Cancel));
    report("h", Action::PaneLeft);
    report("j (All→Unread)", Action::Down);
    report("j (Unread→Starred)", Action::Down);
    report("j (Starred→tag even: 10 feeds)", Action::Down);
    report("j (tag→Feed 0)", Action::Down);
    let t = Instant::now();
    store.feed_statuses().unwrap();
    eprintln!("feed_statuses (after every refresh): {:?}", t.elapsed());
}
