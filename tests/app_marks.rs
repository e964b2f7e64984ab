//! Pure transitions, marking and querying: read, star, mark all, filter, refresh, keymap.

mod common;

use std::collections::BTreeMap;

use common::app::*;
use coopnews::app::{Action, Effect, FilterEdit, Keymap, Page, key_action, update};
use coopnews::refresh::Progress;
use coopnews::store::Scope;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn opening_marks_read_at_once_and_asks_the_store_to_keep_it() {
    let mut state = loaded(vec![row(1, 1, false), row(2, 1, false)], true);
    // The reader already shows the selected row (a preview): Enter only marks it.
    let effects = update(&mut state, Action::Open);
    assert_eq!(
        effects,
        vec![Effect::SetRead {
            scope: Scope::Ids(vec![1]),
            read: true
        }]
    );
    assert!(state.list.rows[0].read);
    assert_eq!(state.feed(1).unwrap().unread, 1);
    // Opening a read article again writes nothing.
    assert!(update(&mut state, Action::Open).is_empty());
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

#[test]
fn help_groups_every_binding_under_one_pane_heading() {
    let keymap = Keymap::default();
    let groups = keymap.help_by_group();
    let headings: Vec<&str> = groups.iter().map(|(h, _)| *h).collect();
    assert!(
        headings.contains(&"Reader") && headings.contains(&"List"),
        "{headings:?}"
    );
    let grouped: usize = groups.iter().map(|(_, lines)| lines.len()).sum();
    assert_eq!(
        grouped,
        keymap.help().len(),
        "each command under exactly one heading"
    );
    let reader = &groups.iter().find(|(h, _)| *h == "Reader").unwrap().1;
    assert!(reader.iter().any(|(keys, _)| keys == "f"));
}

#[test]
fn the_help_overlay_scrolls_and_stops_at_its_end() {
    let mut state = loaded(vec![], true);
    update(
        &mut state,
        Action::Resize {
            width: 80,
            height: 12,
        },
    );
    update(&mut state, Action::Help);
    for _ in 0..200 {
        update(&mut state, Action::Down);
    }
    let end = state.overlay_scroll;
    assert!(end > 0, "a small screen scrolls the help");
    update(&mut state, Action::Up);
    assert_eq!(state.overlay_scroll, end - 1, "one k goes back one line");
}
