//! Pure transitions, links: `o`, `y`, numbered links, `f`/`F` hints, and every article
//! key acting on the row under the cursor (list) or the shown article (reader), after
//! filters, page loads and refreshes.

mod common;

use common::app::*;
use coopnews::app::{Action, Effect, FilterEdit, Mouse, Pane, State, key_action, update};
use coopnews::model::StoredArticle;
use coopnews::store::Scope;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn links_open_by_number_and_other_schemes_are_refused() {
    let mut state = loaded(vec![row(1, 1, false)], true);
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

/// An article whose one body link names it, so a numbered link shows which article it
/// came from.
fn linked(id: i64) -> StoredArticle {
    let mut a = article(id, 1);
    a.html = Some(format!(
        r#"<p>Read <a href="https://body.example/{id}">more</a>.</p>"#
    ));
    a
}

/// The store's answer for `id`, and what follows but the mark-read timer.
fn load(state: &mut State, id: i64) -> Vec<Effect> {
    let effects = update(state, Action::ArticleLoaded(Box::new(linked(id))));
    effects
        .into_iter()
        .filter(|e| !matches!(e, Effect::MarkReadLater { .. }))
        .collect()
}

fn open_url(id: i64) -> Vec<Effect> {
    vec![Effect::OpenUrl(format!("https://example.org/{id}"))]
}

/// 120×40, rows 1–4, the first opened with Enter, then the cursor moved to the third: the
/// reader is asked for 3 and has not answered yet.
fn cursor_past_the_opened_article() -> State {
    let mut state = loaded((1..=4).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::Open);
    assert_eq!(shown_id(&state), Some(1));
    update(&mut state, Action::Down);
    let effects = update(&mut state, Action::Down);
    assert_eq!(effects, vec![Effect::LoadArticle(3)], "the reader follows");
    assert_eq!(shown_id(&state), Some(1), "not loaded yet");
    state
}

#[test]
fn o_opens_the_link_of_the_row_under_the_cursor_not_of_the_opened_article() {
    let mut state = cursor_past_the_opened_article();
    // The article is on its way: `o` waits for it rather than opening the shown one.
    assert!(update(&mut state, Action::OpenLink).is_empty());
    assert_eq!(load(&mut state, 3), open_url(3));
    // Once shown, at once.
    assert_eq!(update(&mut state, Action::OpenLink), open_url(3));
}

#[test]
fn y_copies_the_link_of_the_row_under_the_cursor() {
    let mut state = cursor_past_the_opened_article();
    assert!(update(&mut state, Action::CopyLink).is_empty());
    assert_eq!(
        load(&mut state, 3),
        vec![Effect::Copy("https://example.org/3".into())]
    );
}

#[test]
fn m_and_s_act_on_the_row_under_the_cursor() {
    let mut state = cursor_past_the_opened_article();
    assert_eq!(
        update(&mut state, Action::ToggleRead),
        vec![Effect::SetRead {
            scope: Scope::Ids(vec![3]),
            read: true
        }]
    );
    assert_eq!(
        update(&mut state, Action::ToggleStar),
        vec![Effect::SetStarred {
            id: 3,
            starred: true
        }]
    );
    assert!(state.list.rows[2].read && state.list.rows[2].starred);
    assert!(
        !state.list.rows[0].starred,
        "the opened article is untouched"
    );
}

#[test]
fn a_number_then_o_opens_that_link_of_the_row_under_the_cursor() {
    let mut state = cursor_past_the_opened_article();
    update(&mut state, Action::Digit(1));
    assert!(update(&mut state, Action::OpenLink).is_empty());
    assert_eq!(
        load(&mut state, 3),
        vec![Effect::OpenUrl("https://body.example/3".into())]
    );
}

#[test]
fn a_link_asked_for_is_forgotten_when_the_user_moves_on() {
    let mut state = cursor_past_the_opened_article();
    update(&mut state, Action::OpenLink);
    update(&mut state, Action::Up);
    // The late answer for 3 is stale (the reader wants 2 now) and opens nothing.
    assert!(load(&mut state, 3).is_empty());
    assert!(
        load(&mut state, 2)
            .iter()
            .all(|e| !matches!(e, Effect::OpenUrl(_)))
    );
}

#[test]
fn in_the_reader_keys_act_on_the_shown_article() {
    let mut state = loaded((1..=100).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::Open);
    update(&mut state, Action::PaneRight);
    assert_eq!(state.focus, Pane::Reader);
    // The wheel over the list moves its window (and the cursor with it) while the reader
    // keeps focus and its article.
    for _ in 0..5 {
        update(
            &mut state,
            Action::Mouse {
                kind: Mouse::WheelDown,
                column: 40,
                row: 10,
            },
        );
    }
    assert_ne!(selected_id(&state), Some(1));
    assert_eq!(shown_id(&state), Some(1));
    assert_eq!(update(&mut state, Action::OpenLink), open_url(1));
    assert_eq!(
        update(&mut state, Action::ToggleStar),
        vec![Effect::SetStarred {
            id: 1,
            starred: true
        }]
    );
}

#[test]
fn after_a_filter_keys_act_on_the_filtered_row() {
    let mut state = loaded((1..=4).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::Down);
    update(&mut state, Action::Down);
    update(&mut state, Action::StartFilter);
    update(&mut state, Action::Filter(FilterEdit::Char('x')));
    update(&mut state, Action::Filter(FilterEdit::Commit));
    // While the filtered page loads, no row is under the cursor: nothing acts.
    assert!(update(&mut state, Action::OpenLink).is_empty());
    assert_eq!(state.message.as_deref(), Some("no article selected"));
    let effects = page(
        &mut state,
        vec![row(4, 1, false), row(2, 1, false)],
        true,
        true,
    );
    assert_eq!(effects, vec![Effect::LoadArticle(4)], "the reader follows");
    answer_loads(&mut state, effects);
    assert_eq!(update(&mut state, Action::OpenLink), open_url(4));
    assert_eq!(
        update(&mut state, Action::ToggleRead),
        vec![Effect::SetRead {
            scope: Scope::Ids(vec![4]),
            read: true
        }]
    );
}

#[test]
fn after_a_page_load_keys_act_on_the_same_row() {
    let rows: Vec<_> = (1..=200).map(|i| row(i, 1, true)).collect();
    let mut state = loaded(rows, false);
    let effects = update(&mut state, Action::Bottom);
    answer_loads(&mut state, effects);
    assert_eq!(selected_id(&state), Some(200));
    page(
        &mut state,
        (201..=400).map(|i| row(i, 1, true)).collect(),
        false,
        true,
    );
    assert_eq!(selected_id(&state), Some(200));
    assert_eq!(update(&mut state, Action::OpenLink), open_url(200));
    update(&mut state, Action::Down);
    let effects = update(&mut state, Action::OpenLink);
    assert!(effects.is_empty(), "waits for 201: {effects:?}");
    assert_eq!(load(&mut state, 201), open_url(201));
}

#[test]
fn after_a_refresh_inserting_rows_above_keys_act_on_the_same_article() {
    let mut state = loaded((1..=4).map(|i| row(i, 1, false)).collect(), true);
    update(&mut state, Action::Down);
    let effects = update(&mut state, Action::Down);
    answer_loads(&mut state, effects);
    let mut rows = vec![row(10, 1, false), row(11, 1, false)];
    rows.extend((1..=4).map(|i| row(i, 1, false)));
    let effects = page(&mut state, rows, true, true);
    assert!(
        effects.is_empty(),
        "same article, nothing to load: {effects:?}"
    );
    assert_eq!(selected_id(&state), Some(3));
    assert_eq!(update(&mut state, Action::OpenLink), open_url(3));
    assert_eq!(
        update(&mut state, Action::ToggleStar),
        vec![Effect::SetStarred {
            id: 3,
            starred: true
        }]
    );
}

#[test]
fn with_one_pane_at_a_time_o_loads_the_cursor_article_without_showing_it() {
    let mut state = loaded((1..=4).map(|i| row(i, 1, false)).collect(), true);
    update(
        &mut state,
        Action::Resize {
            width: 60,
            height: 20,
        },
    );
    let effects = update(&mut state, Action::Down);
    assert!(effects.is_empty(), "no reader beside the list: no preview");
    assert_eq!(
        update(&mut state, Action::OpenLink),
        vec![Effect::LoadArticle(2)]
    );
    assert_eq!(load(&mut state, 2), open_url(2));
    assert_eq!(state.focus, Pane::List, "the list stays in front");
}

#[test]
fn f_labels_the_links_and_the_next_key_opens_or_copies_one() {
    let mut state = loaded(vec![row(1, 1, false)], true);
    let links = state.reader.as_ref().unwrap().links.clone();
    assert_eq!(links.len(), 2);
    update(&mut state, Action::HintOpen);
    assert_eq!(state.hints, Some(true));
    // Every key now picks a label: `q` does not quit.
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(key_action(&state, &q), Some(Action::Hint('q')));
    assert_eq!(
        update(&mut state, Action::Hint('2')),
        vec![Effect::OpenUrl(links[1].clone())]
    );
    assert_eq!(state.hints, None);
    update(&mut state, Action::HintCopy);
    assert_eq!(
        update(&mut state, Action::Hint('1')),
        vec![Effect::Copy(links[0].clone())]
    );
    update(&mut state, Action::HintOpen);
    assert!(update(&mut state, Action::Hint('z')).is_empty());
    assert!(
        state
            .message
            .as_deref()
            .unwrap()
            .contains("no link labelled z")
    );
    update(&mut state, Action::HintOpen);
    update(&mut state, Action::Back);
    assert_eq!(state.hints, None);
    assert_eq!(
        (0..12)
            .map_while(coopnews::app::hint_label)
            .collect::<String>(),
        "123456789abc"
    );
    assert_eq!(coopnews::app::hint_index('a'), Some(9));
}
