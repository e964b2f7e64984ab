//! Pure transitions, moving: panes, selection, paging, reloads, next unread, resizing.
//! No terminal, no tokio, no store.

mod common;

use chrono::FixedOffset;
use common::app::*;
use coopnews::app::{Action, Effect, FeedsSnapshot, Keymap, Page, Pane, State, SubEntry, update};
use coopnews::store::Position;

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
    // The reader already shows the selection: moving right only moves the focus.
    assert!(update(&mut state, Action::PaneRight).is_empty());
    assert_eq!(state.focus, Pane::Reader);
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
    let asks_page =
        |effects: &[Effect]| effects.iter().any(|e| matches!(e, Effect::LoadPage { .. }));
    // Far from the end: nothing more is asked.
    assert!(!asks_page(&update(&mut state, Action::Down)));
    let mut asked = None;
    for _ in 0..200 {
        let effects = update(&mut state, Action::Down);
        if let Some(Effect::LoadPage {
            query,
            replace: false,
            ..
        }) = effects
            .into_iter()
            .find(|e| matches!(e, Effect::LoadPage { .. }))
        {
            asked = Some(query);
            break;
        }
    }
    let query = asked.expect("a next page is asked for");
    let last = &state.list.rows[199];
    assert_eq!(query.after, Some(Position::from(last)));
    // No second request while one is on its way.
    assert!(!asks_page(&update(&mut state, Action::Down)));
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
