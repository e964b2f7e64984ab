//! Pure state transitions: build a State, apply actions, check the state and the effects.
//! No terminal, no tokio, no store.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use coopnews::app::{
    Action, Effect, FeedInfo, FeedsSnapshot, FilterEdit, Keymap, Page, Pane, State, SubEntry,
    key_action, update,
};
use coopnews::model::{ArticleRow, StoredArticle};
use coopnews::refresh::Progress;
use coopnews::store::{Position, Scope};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap()
}

fn feed(id: i64, title: &str, tags: &[&str], unread: i64) -> FeedInfo {
    FeedInfo {
        id,
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        unread,
        error: None,
    }
}

fn row(id: i64, feed_id: i64, read: bool) -> ArticleRow {
    ArticleRow {
        id,
        feed_id,
        title: format!("article {id}"),
        published: now() - Duration::hours(id),
        read,
        starred: false,
    }
}

fn article(id: i64, feed_id: i64) -> StoredArticle {
    StoredArticle {
        id,
        feed_id,
        feed: "Coop News".into(),
        title: format!("article {id}"),
        link: Some(format!("https://example.org/{id}")),
        author: None,
        published: now(),
        read: true,
        starred: false,
        text: String::new(),
        links: vec![],
        html: Some(r#"<p>See <a href="https://a.example/">a</a> and <a href="javascript:alert(1)">b</a>, <a href="/rel">c</a>.</p>"#.into()),
        language: None,
    }
}

/// A 120×40 reader with three feeds and the given rows loaded in "All".
fn loaded(rows: Vec<ArticleRow>, exhausted: bool) -> State {
    let mut state = State::new(now(), FixedOffset::east_opt(0).unwrap(), Keymap::default());
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    let feeds = vec![
        feed(1, "Coop News", &["coop"], 2),
        feed(2, "Legacoop", &["coop", "italia"], 0),
        feed(3, "Untagged", &[], 3),
    ];
    let snapshot = FeedsSnapshot {
        titles: feeds.iter().map(|f| (f.id, f.title.clone())).collect(),
        feeds,
        starred: 0,
    };
    let effects = update(&mut state, Action::FeedsLoaded(snapshot));
    let Some(Effect::LoadPage { generation, .. }) = effects.first() else {
        panic!("first load asks for a page: {effects:?}");
    };
    let generation = *generation;
    update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: true,
            rows,
            exhausted,
        }),
    );
    state
}

fn selected_id(state: &State) -> Option<i64> {
    state.selected_row().map(|r| r.id)
}

#[test]
fn first_feeds_load_asks_for_the_first_page_of_all() {
    let mut state = State::new(now(), FixedOffset::east_opt(0).unwrap(), Keymap::default());
    let effects = update(&mut state, Action::FeedsLoaded(FeedsSnapshot::default()));
    let [
        Effect::LoadPage {
            generation: 1,
            replace: true,
            query,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(query.feeds, None);
    assert!(!query.unread_only && query.after.is_none());
    assert!(query.limit >= 100, "a page holds more than a screen");
}

#[test]
fn subscriptions_list_organisations_and_tags_filter_the_list() {
    let mut state = loaded(vec![], true);
    // No `org` configured: each subscription is an organisation of its own title.
    assert_eq!(
        state.entries,
        vec![
            SubEntry::All,
            SubEntry::Unread,
            SubEntry::Starred,
            SubEntry::Org("Coop News".into()),
            SubEntry::Org("Legacoop".into()),
            SubEntry::Org("Untagged".into()),
        ]
    );
    assert_eq!(state.entry_unread(&SubEntry::All), 5);
    assert_eq!(state.entry_unread(&SubEntry::Org("Coop News".into())), 2);
    assert_eq!(state.entry_unread(&SubEntry::Org("Untagged".into())), 3);
    // `t` picks a tag: the counts and the list cover its subscriptions only.
    update(&mut state, Action::TagPicker);
    update(
        &mut state,
        Action::Picker(coopnews::app::orgs::PickerKey::Down),
    );
    let effects = update(
        &mut state,
        Action::Picker(coopnews::app::orgs::PickerKey::Choose),
    );
    assert!(
        matches!(&effects[..], [Effect::LoadPage { query, .. }] if query.feeds == Some(vec![1, 2]))
    );
    assert_eq!(state.entry_unread(&SubEntry::All), 2);
}

#[test]
fn moving_is_clamped_and_g_goes_to_the_ends() {
    let mut state = loaded((1..=5).map(|i| row(i, 1, false)).collect(), true);
    assert_eq!(selected_id(&state), Some(1));
    update(&mut state, Action::Up);
    assert_eq!(selected_id(&state), Some(1));
    update(&mut state, Action::Down);
    update(&mut state, Action::Down);
    assert_eq!(selected_id(&state), Some(3));
    update(&mut state, Action::Bottom);
    assert_eq!(selected_id(&state), Some(5));
    update(&mut state, Action::Down);
    assert_eq!(selected_id(&state), Some(5));
    update(&mut state, Action::Top);
    assert_eq!(selected_id(&state), Some(1));
}

#[test]
fn panes_switch_with_h_l_and_tab() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    assert_eq!(state.focus, Pane::List);
    update(&mut state, Action::PaneLeft);
    assert_eq!(state.focus, Pane::Subscriptions);
    update(&mut state, Action::PaneLeft);
    assert_eq!(state.focus, Pane::Subscriptions);
    update(&mut state, Action::NextPane);
    assert_eq!(state.focus, Pane::List);
    // Nothing open yet: moving right opens the selection instead of showing an empty pane.
    let effects = update(&mut state, Action::PaneRight);
    assert!(effects.contains(&Effect::LoadArticle(1)));
}

#[test]
fn selecting_a_subscription_loads_its_feeds() {
    let mut state = loaded(vec![], true);
    update(&mut state, Action::PaneLeft);
    for _ in 0..2 {
        update(&mut state, Action::Down);
    }
    let effects = update(&mut state, Action::Down);
    assert_eq!(state.selected_entry(), &SubEntry::Org("Coop News".into()));
    let [
        Effect::LoadPage {
            query,
            replace: true,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(query.feeds, Some(vec![1]));
    // Enter on an organisation opens it in place; on a subscription it goes to the list.
    update(&mut state, Action::Open);
    assert_eq!(state.focus, Pane::Subscriptions);
    update(&mut state, Action::Down);
    assert_eq!(state.selected_entry(), &SubEntry::Feed { id: 1, tag: None });
    update(&mut state, Action::Open);
    assert_eq!(state.focus, Pane::List);
}

#[test]
fn opening_marks_read_at_once_and_asks_the_store_to_keep_it() {
    let mut state = loaded(vec![row(1, 1, false), row(2, 1, false)], true);
    let effects = update(&mut state, Action::Open);
    assert_eq!(
        effects,
        vec![
            Effect::LoadArticle(1),
            Effect::SetRead {
                scope: Scope::Ids(vec![1]),
                read: true
            }
        ]
    );
    assert!(state.list.rows[0].read);
    assert_eq!(state.feed(1).unwrap().unread, 1);
    // Opening a read article again writes nothing.
    assert_eq!(
        update(&mut state, Action::Open),
        vec![Effect::LoadArticle(1)]
    );
}

#[test]
fn m_toggles_read_and_s_toggles_star() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    let effects = update(&mut state, Action::ToggleRead);
    assert_eq!(
        effects,
        vec![Effect::SetRead {
            scope: Scope::Ids(vec![1]),
            read: true
        }]
    );
    assert_eq!(state.feed(1).unwrap().unread, 1);
    update(&mut state, Action::ToggleRead);
    assert!(!state.list.rows[0].read);
    assert_eq!(state.feed(1).unwrap().unread, 2);

    assert_eq!(
        update(&mut state, Action::ToggleStar),
        vec![Effect::SetStarred {
            id: 1,
            starred: true
        }]
    );
    assert!(state.list.rows[0].starred);
    assert_eq!(state.starred_count, 1);
    update(&mut state, Action::ToggleStar);
    assert_eq!(state.starred_count, 0);
}

#[test]
fn mark_all_read_covers_the_whole_view_not_just_loaded_rows() {
    let mut state = loaded(vec![row(1, 1, false), row(2, 3, false)], false);
    state.unread_only = true;
    let effects = update(&mut state, Action::MarkAllRead);
    let Some(Effect::SetRead {
        scope: Scope::Query(query),
        read: true,
    }) = effects.first()
    else {
        panic!("{effects:?}");
    };
    assert!(query.unread_only && query.after.is_none());
    assert!(effects.contains(&Effect::LoadFeeds), "counts are reloaded");
    assert!(state.list.rows.iter().all(|r| r.read));
}

#[test]
fn filter_text_and_unread_only_change_the_query() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    update(&mut state, Action::StartFilter);
    assert!(state.editing_filter);
    update(&mut state, Action::Filter(FilterEdit::Char('c')));
    let effects = update(&mut state, Action::Filter(FilterEdit::Char('o')));
    let [
        Effect::LoadPage {
            query, generation, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(query.search.as_deref(), Some("co"));
    assert_eq!(*generation, state.list.generation);
    // A late page of an older query is dropped.
    let stale = Page {
        generation: generation - 1,
        replace: true,
        rows: vec![row(9, 1, false)],
        exhausted: true,
    };
    update(&mut state, Action::PageLoaded(stale));
    assert!(state.list.rows.is_empty());
    update(&mut state, Action::Filter(FilterEdit::Commit));
    assert!(!state.editing_filter);
    assert_eq!(state.filter, "co");
    // Esc on the list clears a kept filter.
    let effects = update(&mut state, Action::Back);
    assert!(matches!(&effects[..], [Effect::LoadPage { query, .. }] if query.search.is_none()));

    let effects = update(&mut state, Action::ToggleUnreadOnly);
    assert!(matches!(&effects[..], [Effect::LoadPage { query, .. }] if query.unread_only));
}

#[test]
fn typing_a_filter_takes_letters_that_are_also_commands() {
    let mut state = loaded(vec![], true);
    update(&mut state, Action::StartFilter);
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        key_action(&state, &q),
        Some(Action::Filter(FilterEdit::Char('q')))
    );
    update(&mut state, Action::Filter(FilterEdit::Cancel));
    assert_eq!(key_action(&state, &q), Some(Action::Quit));
    let three = KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE);
    assert_eq!(key_action(&state, &three), Some(Action::Digit(3)));
}

#[test]
fn reload_keeps_the_selection_on_the_same_article() {
    let mut state = loaded((1..=4).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::Down);
    update(&mut state, Action::Down);
    assert_eq!(selected_id(&state), Some(3));
    // Two new articles arrive on top: at the top of the list, they show above it.
    let arrive = |state: &mut State, new: &[i64]| {
        let mut rows: Vec<_> = new.iter().map(|i| row(*i, 1, false)).collect();
        rows.extend((1..=4).map(|i| row(i, 1, false)));
        let generation = state.list.generation;
        update(
            state,
            Action::PageLoaded(Page {
                generation,
                replace: true,
                rows,
                exhausted: true,
            }),
        );
    };
    arrive(&mut state, &[10, 11]);
    assert_eq!(selected_id(&state), Some(3));
    assert_eq!((state.list.selected, state.list.offset), (4, 0));
    // Scrolled down, the window moves with the selection so the row stays put on screen.
    state.list.offset = 1;
    arrive(&mut state, &[12, 10, 11]);
    assert_eq!(selected_id(&state), Some(3));
    assert_eq!((state.list.selected, state.list.offset), (5, 2));
}

#[test]
fn the_list_pages_from_the_store_as_the_selection_nears_the_end() {
    let rows: Vec<_> = (1..=200).map(|i| row(i, 1, true)).collect();
    let mut state = loaded(rows, false);
    // Far from the end: nothing more is asked.
    assert!(update(&mut state, Action::Down).is_empty());
    let mut asked = None;
    for _ in 0..200 {
        let effects = update(&mut state, Action::Down);
        if let Some(Effect::LoadPage {
            query,
            replace: false,
            ..
        }) = effects.into_iter().next()
        {
            asked = Some(query);
            break;
        }
    }
    let query = asked.expect("a next page is asked for");
    let last = &state.list.rows[199];
    assert_eq!(query.after, Some(Position::from(last)));
    // No second request while one is on its way.
    assert!(update(&mut state, Action::Down).is_empty());
    let generation = state.list.generation;
    update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: false,
            rows: vec![row(500, 1, true)],
            exhausted: true,
        }),
    );
    assert_eq!(state.list.rows.len(), 201);
    assert!(state.list.exhausted);
}

#[test]
fn next_unread_skips_read_rows_and_opens() {
    let mut state = loaded(
        vec![
            row(1, 1, true),
            row(2, 1, false),
            row(3, 1, true),
            row(4, 3, false),
        ],
        true,
    );
    let effects = update(&mut state, Action::NextUnread);
    assert_eq!(selected_id(&state), Some(2));
    assert!(effects.contains(&Effect::LoadArticle(2)));
    update(&mut state, Action::ArticleLoaded(Box::new(article(2, 1))));
    update(&mut state, Action::NextUnread);
    assert_eq!(selected_id(&state), Some(4));
    update(&mut state, Action::PrevUnread);
    assert_eq!(selected_id(&state), Some(4), "2 was read by opening it");
}

#[test]
fn next_unread_crosses_into_the_next_subscription() {
    let mut state = loaded(vec![], true);
    // In "Coop News" (entry 3), every loaded row read and nothing more to load.
    update(&mut state, Action::PaneLeft);
    for _ in 0..3 {
        update(&mut state, Action::Down);
    }
    let generation = state.list.generation;
    update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: true,
            rows: vec![row(1, 1, true)],
            exhausted: true,
        }),
    );
    let effects = update(&mut state, Action::NextUnread);
    // Legacoop has nothing unread; "Untagged" (entry 5) has 3.
    assert_eq!(state.sub_selected, 5);
    let [
        Effect::LoadPage {
            query, generation, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(query.feeds, Some(vec![3]));
    let rows = vec![row(7, 3, true), row(8, 3, false)];
    let effects = update(
        &mut state,
        Action::PageLoaded(Page {
            generation: *generation,
            replace: true,
            rows,
            exhausted: true,
        }),
    );
    assert_eq!(selected_id(&state), Some(8));
    assert!(effects.contains(&Effect::LoadArticle(8)));
    // Nothing further: a message, no movement.
    let effects = update(&mut state, Action::NextUnread);
    assert!(effects.is_empty());
    assert!(
        state
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("no more unread")
    );
}

#[test]
fn next_unread_waits_for_the_next_page_when_the_list_goes_on() {
    let mut state = loaded(vec![row(1, 1, true)], false);
    update(&mut state, Action::Open);
    update(&mut state, Action::ArticleLoaded(Box::new(article(1, 1))));
    // The first page already asked for the next (it was short of two screens); `n` waits for it.
    assert!(state.list.loading);
    assert!(update(&mut state, Action::NextUnread).is_empty());
    assert_eq!(state.pending, Some(coopnews::app::Pending::NextUnread));
    let generation = state.list.generation;
    let effects = update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: false,
            rows: vec![row(2, 1, false)],
            exhausted: true,
        }),
    );
    assert_eq!(selected_id(&state), Some(2));
    assert!(effects.contains(&Effect::LoadArticle(2)));
}

#[test]
fn links_open_by_number_and_other_schemes_are_refused() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    assert!(
        update(&mut state, Action::OpenLink).is_empty(),
        "nothing open yet"
    );
    update(&mut state, Action::Open);
    update(&mut state, Action::ArticleLoaded(Box::new(article(1, 1))));
    let reader = state.reader.as_ref().unwrap();
    // javascript: gets no number; the relative link is resolved against the article's.
    assert_eq!(
        reader.links,
        vec![
            "https://a.example/".to_string(),
            "https://example.org/rel".to_string()
        ]
    );
    assert_eq!(
        update(&mut state, Action::OpenLink),
        vec![Effect::OpenUrl("https://example.org/1".into())]
    );
    update(&mut state, Action::Digit(2));
    assert_eq!(
        update(&mut state, Action::OpenLink),
        vec![Effect::OpenUrl("https://example.org/rel".into())]
    );
    update(&mut state, Action::Digit(7));
    assert!(update(&mut state, Action::OpenLink).is_empty());
    assert!(state.message.as_deref().unwrap().contains("no link [7]"));
    assert_eq!(
        update(&mut state, Action::CopyLink),
        vec![Effect::Copy("https://example.org/1".into())]
    );

    let mut evil = article(1, 1);
    evil.link = Some("file:///etc/passwd".into());
    update(&mut state, Action::ArticleLoaded(Box::new(evil)));
    assert!(update(&mut state, Action::OpenLink).is_empty());
    assert!(state.message.as_deref().unwrap().starts_with("refused"));
}

#[test]
fn refresh_is_never_queued_twice_and_reports_progress() {
    let mut state = loaded(vec![], true);
    assert_eq!(
        update(&mut state, Action::RefreshAll),
        vec![Effect::Refresh(vec![1, 2, 3])]
    );
    assert!(
        update(&mut state, Action::RefreshAll).is_empty(),
        "all in flight"
    );
    update(&mut state, Action::Progress(Progress::Started { feed: 1 }));
    let effects = update(
        &mut state,
        Action::Progress(Progress::Done {
            feed: 2,
            outcome: Err("server answered HTTP 500".into()),
        }),
    );
    assert!(effects.contains(&Effect::LoadFeeds));
    assert!(matches!(
        effects.last(),
        Some(Effect::LoadPage { replace: true, .. })
    ));
    assert_eq!(
        (
            state.refresh.done,
            state.refresh.total,
            state.refresh.errors
        ),
        (1, 3, 1)
    );
    assert_eq!(
        state.feed(2).unwrap().error.as_deref(),
        Some("server answered HTTP 500")
    );
    update(
        &mut state,
        Action::Progress(Progress::Done {
            feed: 1,
            outcome: Ok(Default::default()),
        }),
    );
    update(
        &mut state,
        Action::Progress(Progress::Done {
            feed: 3,
            outcome: Ok(Default::default()),
        }),
    );
    assert!(state.refresh.running.is_empty());
    assert_eq!(
        state.message.as_deref(),
        Some("refreshed 3, 1 error (e: error log)")
    );
    // `r` on one organisation refreshes only its subscriptions.
    update(&mut state, Action::PaneLeft);
    for _ in 0..3 {
        update(&mut state, Action::Down);
    }
    assert_eq!(
        update(&mut state, Action::Refresh),
        vec![Effect::Refresh(vec![1])]
    );
}

#[test]
fn esc_leaves_overlays_zoom_and_the_reader_in_turn() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    update(&mut state, Action::Open);
    update(&mut state, Action::ArticleLoaded(Box::new(article(1, 1))));
    update(&mut state, Action::PaneRight);
    update(&mut state, Action::Zoom);
    update(&mut state, Action::Help);
    assert!(
        update(&mut state, Action::Down).is_empty(),
        "keys scroll the overlay"
    );
    assert_eq!(state.focus, Pane::Reader);
    update(&mut state, Action::Back);
    assert!(state.overlay.is_none() && state.zoom);
    update(&mut state, Action::Back);
    assert!(!state.zoom);
    update(&mut state, Action::Back);
    assert_eq!(state.focus, Pane::List);
    assert_eq!(update(&mut state, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn resizing_rewraps_the_reader() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    update(&mut state, Action::Open);
    update(&mut state, Action::ArticleLoaded(Box::new(article(1, 1))));
    let wide = state.reader.as_ref().unwrap().width;
    for (w, h) in [(60, 20), (40, 10), (1, 1), (300, 100)] {
        update(
            &mut state,
            Action::Resize {
                width: w,
                height: h,
            },
        );
        let reader = state.reader.as_ref().unwrap();
        assert!(
            reader.width >= 1 && reader.width < w.max(2),
            "{w}×{h}: {}",
            reader.width
        );
    }
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    assert_eq!(state.reader.as_ref().unwrap().width, wide);
}

#[test]
fn keymap_overrides_replace_defaults_and_bad_names_are_explained() {
    let mut keys = BTreeMap::new();
    keys.insert(
        "quit".to_string(),
        vec!["ctrl-q".to_string(), "x".to_string()],
    );
    keys.insert("down".to_string(), vec!["q".to_string()]);
    let keymap = Keymap::from_config(&keys).unwrap();
    let key = |code, modifiers| coopnews::app::Key::from_event(&KeyEvent::new(code, modifiers));
    assert_eq!(
        keymap.action(key(KeyCode::Char('q'), KeyModifiers::CONTROL)),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap.action(key(KeyCode::Char('q'), KeyModifiers::NONE)),
        Some(Action::Down)
    );
    assert_eq!(
        keymap.action(key(KeyCode::Char('j'), KeyModifiers::NONE)),
        None
    );
    assert_eq!(
        keymap.action(key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
        Some(Action::Bottom)
    );
    let help: Vec<_> = keymap.help().iter().filter(|(_, h)| *h == "quit").collect();
    assert_eq!(help[0].0, "Ctrl-q x");

    let mut bad = BTreeMap::new();
    bad.insert("fly".to_string(), vec!["f".to_string()]);
    let error = Keymap::from_config(&bad).unwrap_err();
    assert!(
        error.contains("`fly` is not an action") && error.contains("next_unread"),
        "{error}"
    );
    let mut bad = BTreeMap::new();
    bad.insert("quit".to_string(), vec!["Hyper-Q".to_string()]);
    let error = Keymap::from_config(&bad).unwrap_err();
    assert!(
        error.contains("[keys] quit") && error.contains("`Hyper-Q` is not a key"),
        "{error}"
    );
}
