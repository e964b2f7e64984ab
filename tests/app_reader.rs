//! Pure transitions, the reader pane: it follows the cursor (a preview) where it sits
//! beside the list, drops stale loads and renders, renders big bodies off the event loop,
//! counts a shown article read after `mark_read_after`, and answers the mouse.

mod common;

use std::time::Duration;

use common::app::*;
use coopnews::app::{Action, Effect, Mouse, Pane, State, update};
use coopnews::store::Scope;

fn click(state: &mut State, column: u16, row: u16) -> Vec<Effect> {
    update(
        state,
        Action::Mouse {
            kind: Mouse::Click,
            column,
            row,
        },
    )
}

#[test]
fn the_reader_follows_the_cursor_without_marking_read() {
    let mut state = loaded((1..=3).map(|i| row(i, 1, false)).collect(), true);
    assert_eq!(shown_id(&state), Some(1), "the first row is shown at once");
    let effects = update(&mut state, Action::Down);
    assert_eq!(effects, vec![Effect::LoadArticle(2)]);
    let effects = answer_loads(&mut state, effects);
    assert_eq!(shown_id(&state), Some(2));
    assert!(!state.list.rows[1].read, "a preview is not a read");
    // Only a timer, which the runtime answers after `mark_read_after`.
    let [Effect::MarkReadLater { seq, after }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(*after, Duration::from_secs(3));
    assert_eq!(
        update(&mut state, Action::ShownFor { seq: *seq }),
        vec![Effect::SetRead {
            scope: Scope::Ids(vec![2]),
            read: true
        }]
    );
    assert!(state.list.rows[1].read);
    assert_eq!(state.feed(1).unwrap().unread, 1);
}

#[test]
fn a_timer_for_an_article_no_longer_shown_marks_nothing() {
    let mut state = loaded((1..=3).map(|i| row(i, 1, false)).collect(), true);
    let effects = update(&mut state, Action::Down);
    let effects = answer_loads(&mut state, effects);
    let [Effect::MarkReadLater { seq, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let seq = *seq;
    let effects = update(&mut state, Action::Down);
    answer_loads(&mut state, effects);
    assert!(update(&mut state, Action::ShownFor { seq }).is_empty());
    assert!(!state.list.rows[1].read);
}

#[test]
fn mark_read_after_never_asks_for_no_timer() {
    let mut state = loaded((1..=3).map(|i| row(i, 1, false)).collect(), true);
    state.mark_read_after = None;
    let effects = update(&mut state, Action::Down);
    assert!(answer_loads(&mut state, effects).is_empty());
}

#[test]
fn enter_marks_read_at_once() {
    let mut state = loaded((1..=3).map(|i| row(i, 1, false)).collect(), true);
    assert_eq!(
        update(&mut state, Action::Open),
        vec![Effect::SetRead {
            scope: Scope::Ids(vec![1]),
            read: true
        }]
    );
    assert!(state.list.rows[0].read);
}

#[test]
fn a_late_answer_for_an_article_left_behind_is_dropped() {
    let mut state = loaded((1..=3).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::Down);
    update(&mut state, Action::Down);
    // The store answers 2 after the cursor went on to 3: the reader does not show 2.
    update(&mut state, Action::ArticleLoaded(Box::new(article(2, 1))));
    assert_eq!(shown_id(&state), Some(1));
    update(&mut state, Action::ArticleLoaded(Box::new(article(3, 1))));
    assert_eq!(shown_id(&state), Some(3));
}

#[test]
fn big_bodies_render_off_the_loop_and_a_stale_render_is_dropped() {
    let mut state = loaded(vec![row(1, 1, false), row(2, 1, false)], true);
    update(&mut state, Action::Down);
    let mut big = article(2, 1);
    big.html = Some(format!("<p>{}</p>", "cooperative ".repeat(4000)));
    let effects = update(&mut state, Action::ArticleLoaded(Box::new(big.clone())));
    let Some(Effect::Render {
        seq: first,
        article,
        width,
        offset,
        lang,
    }) = effects.iter().find(|e| matches!(e, Effect::Render { .. }))
    else {
        panic!("{effects:?}");
    };
    let reader = state.reader.as_ref().unwrap();
    assert!(reader.rendering && reader.lines.is_empty());
    // A resize asks for another render before the first is back.
    let rendered_first = coopnews::render::article(article, *width, *offset, *lang);
    let first = *first;
    let effects = update(
        &mut state,
        Action::Resize {
            width: 100,
            height: 40,
        },
    );
    let Some(Effect::Render {
        seq: second,
        article,
        width,
        offset,
        lang,
    }) = effects.first()
    else {
        panic!("{effects:?}");
    };
    assert!(*second > first);
    let rendered_second = coopnews::render::article(article, *width, *offset, *lang);
    let second = *second;
    update(
        &mut state,
        Action::Rendered {
            seq: second,
            rendered: Box::new(rendered_second.clone()),
        },
    );
    // The older render arrives last and changes nothing.
    update(
        &mut state,
        Action::Rendered {
            seq: first,
            rendered: Box::new(rendered_first),
        },
    );
    let reader = state.reader.as_ref().unwrap();
    assert!(!reader.rendering);
    assert_eq!(reader.lines, rendered_second.lines);
}

#[test]
fn n_shows_the_next_unread_and_capital_n_the_previous() {
    let mut state = loaded(
        vec![
            row(1, 1, true),
            row(2, 1, false),
            row(3, 1, true),
            row(4, 1, false),
        ],
        true,
    );
    let effects = update(&mut state, Action::NextUnread);
    answer_loads(&mut state, effects);
    assert_eq!((selected_id(&state), shown_id(&state)), (Some(2), Some(2)));
    let effects = update(&mut state, Action::NextUnread);
    answer_loads(&mut state, effects);
    assert_eq!((selected_id(&state), shown_id(&state)), (Some(4), Some(4)));
    state.list.rows[1].read = false;
    let effects = update(&mut state, Action::PrevUnread);
    answer_loads(&mut state, effects);
    assert_eq!((selected_id(&state), shown_id(&state)), (Some(2), Some(2)));
}

/// At 120×40: subscriptions in columns 0–23, the list from 24, the reader from 73; the
/// panes' first inner row is screen row 1.
#[test]
fn a_click_selects_a_row_and_a_click_on_the_selected_row_opens_it() {
    let mut state = loaded((1..=5).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::PaneLeft);
    let effects = click(&mut state, 40, 3);
    assert_eq!(state.focus, Pane::List);
    assert_eq!(selected_id(&state), Some(3));
    assert_eq!(effects, vec![Effect::LoadArticle(3)]);
    assert!(!state.list.rows[2].read, "a first click only selects");
    answer_loads(&mut state, effects);
    let effects = click(&mut state, 40, 3);
    assert!(
        state.list.rows[2].read,
        "a click on the selected row opens it"
    );
    assert!(effects.contains(&Effect::SetRead {
        scope: Scope::Ids(vec![3]),
        read: true
    }));
    // Below the last row: focus only.
    click(&mut state, 40, 30);
    assert_eq!(selected_id(&state), Some(3));
    // A click in the subscriptions selects one there.
    click(&mut state, 5, 2);
    assert_eq!(state.focus, Pane::Subscriptions);
    assert_eq!(state.sub_selected, 1);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut state = loaded((1..=100).map(|i| row(i, 1, false)).collect(), true);
    let mut long = article(1, 1);
    long.html = Some("<p>line</p>".repeat(200));
    update(&mut state, Action::ArticleLoaded(Box::new(long)));
    let wheel = |state: &mut State, column, down| {
        update(
            state,
            Action::Mouse {
                kind: if down {
                    Mouse::WheelDown
                } else {
                    Mouse::WheelUp
                },
                column,
                row: 10,
            },
        )
    };
    wheel(&mut state, 100, true);
    assert_eq!(state.reader.as_ref().unwrap().scroll, 3);
    assert_eq!(state.list.offset, 0, "the list stays");
    wheel(&mut state, 40, true);
    assert_eq!(state.list.offset, 3);
    assert_eq!(selected_id(&state), Some(4), "the cursor stays in sight");
    wheel(&mut state, 40, false);
    assert_eq!(state.list.offset, 0);
}

#[test]
fn a_click_on_a_link_in_the_reader_opens_it() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    let reader = state.reader.as_ref().unwrap();
    let span = reader
        .spans
        .iter()
        .find(|s| s.url == "https://a.example/")
        .expect("the body link has a span")
        .clone();
    // The reader's text starts at column 73 + 1 (border) + 1 (margin), row 1.
    let column = 75 + span.column;
    let row = 1 + u16::try_from(span.line).unwrap();
    assert_eq!(
        click(&mut state, column, row),
        vec![Effect::OpenUrl("https://a.example/".into())]
    );
    // The header's link line is one too.
    let header = reader_span(&state, "https://example.org/1");
    assert_eq!(
        click(&mut state, 75, 1 + header),
        vec![Effect::OpenUrl("https://example.org/1".into())]
    );
}

fn reader_span(state: &State, url: &str) -> u16 {
    let reader = state.reader.as_ref().unwrap();
    let span = reader.spans.iter().find(|s| s.url == url).unwrap();
    u16::try_from(span.line).unwrap()
}
