//! Moving through the panes: selection, scrolling, opening, next unread, and the list
//! queries these cause. Helpers of `update`; same rules (no I/O, no clock).

use super::action::Effect;
use super::reader::{rerender, show};
use super::state::{Pane, Pending, State, SubEntry};
use super::update::{after, page_limit};
use crate::model::ArticleId;
use crate::store::Scope;
use crate::ui::layout;

/// Rows of margin before the end of the loaded list at which the next page is asked for.
const PREFETCH_SCREENS: usize = 2;

pub fn focus(state: &mut State, pane: Pane) -> Vec<Effect> {
    let mut effects = Vec::new();
    if pane == Pane::Reader && state.focus != Pane::Reader {
        let selected = state.selected_row().map(|r| r.id);
        match selected {
            // The reader shows another article (or none, panes one at a time): open the
            // selection, as Enter does.
            Some(id) if state.want != Some(id) => effects = open_article(state, id),
            Some(_) => {}
            None if state.reader.is_none() => return effects,
            None => {}
        }
    }
    state.focus = pane;
    effects.extend(rerender(state));
    keep_visible(state);
    effects
}

/// j/k: one step in the focused pane.
pub fn step(state: &mut State, delta: isize) -> Vec<Effect> {
    match state.focus {
        Pane::Subscriptions => {
            let last = state.entries.len().saturating_sub(1);
            let target = state.sub_selected.saturating_add_signed(delta).min(last);
            select_entry(state, target)
        }
        Pane::List => {
            let last = state.list.rows.len().saturating_sub(1);
            state.list.selected = state.list.selected.saturating_add_signed(delta).min(last);
            keep_visible(state);
            load_more_if_near_end(state)
        }
        Pane::Reader => {
            scroll_reader(state, delta);
            Vec::new()
        }
    }
}

/// g/G: first or last line of the focused pane. In the list, "last" is the last loaded
/// row; the next page is then asked for, so pressing G again goes further.
pub fn jump(state: &mut State, bottom: bool) -> Vec<Effect> {
    match state.focus {
        Pane::Subscriptions => {
            let target = if bottom {
                state.entries.len().saturating_sub(1)
            } else {
                0
            };
            select_entry(state, target)
        }
        Pane::List => {
            state.list.selected = if bottom {
                state.list.rows.len().saturating_sub(1)
            } else {
                0
            };
            keep_visible(state);
            load_more_if_near_end(state)
        }
        Pane::Reader => {
            scroll_reader(state, if bottom { isize::MAX } else { isize::MIN });
            Vec::new()
        }
    }
}

pub fn scroll_reader(state: &mut State, delta: isize) {
    let height = layout::reader_height(state.width, state.height, state.focus, state.zoom);
    if let Some(reader) = &mut state.reader {
        let max = reader.lines.len().saturating_sub(height);
        reader.scroll = reader.scroll.saturating_add_signed(delta).min(max);
    }
}

/// Space/b: a page of the reader, less two lines of context, from any pane.
pub fn scroll_page(state: &mut State, down: bool) -> Vec<Effect> {
    let height = layout::reader_height(state.width, state.height, state.focus, state.zoom);
    let page = height.saturating_sub(2).max(1) as isize;
    scroll_reader(state, if down { page } else { -page });
    Vec::new()
}

pub fn select_entry(state: &mut State, index: usize) -> Vec<Effect> {
    if index == state.sub_selected && state.list.generation != 0 {
        return Vec::new();
    }
    state.sub_selected = index;
    keep_visible(state);
    reload(state)
}

/// Enter: a subscription moves to its list; an article opens and is marked read.
pub fn open(state: &mut State) -> Vec<Effect> {
    match state.focus {
        Pane::Subscriptions => {
            state.focus = Pane::List;
            Vec::new()
        }
        Pane::List | Pane::Reader => {
            let Some(id) = state.selected_row().map(|r| r.id) else {
                return Vec::new();
            };
            open_article(state, id)
        }
    }
}

fn open_article(state: &mut State, id: ArticleId) -> Vec<Effect> {
    let mut effects = show(state, id);
    if !is_read(state, id) {
        set_read_locally(state, id, true);
        effects.push(Effect::SetRead {
            scope: Scope::Ids(vec![id]),
            read: true,
        });
    }
    // With one pane at a time the reader must come forward to be seen.
    let area = ratatui::layout::Rect::new(0, 0, state.width, state.height);
    if layout::panes(area, Pane::List, state.zoom).reader.is_none() {
        state.focus = Pane::Reader;
    }
    effects
}

/// n/N: the next (previous) unread article in the list, then in the next subscriptions.
pub fn next_unread(state: &mut State, forward: bool) -> Vec<Effect> {
    let rows = &state.list.rows;
    let start = state.list.selected;
    let found = if forward {
        // From the top when nothing was opened yet, so the first row is not skipped.
        let from = if state.reader.is_none() { 0 } else { start + 1 };
        (from..rows.len()).find(|&i| !rows[i].read)
    } else {
        (0..start.min(rows.len())).rev().find(|&i| !rows[i].read)
    };
    if let Some(index) = found {
        return select_and_open(state, index);
    }
    if forward && !state.list.exhausted {
        state.pending = Some(Pending::NextUnread);
        return load_more(state);
    }
    let entries = &state.entries;
    let unread = |i: &usize| match &entries[*i] {
        entry @ (SubEntry::Feed { .. } | SubEntry::Org(_)) => state.entry_unread(entry) > 0,
        _ => false,
    };
    let target = if forward {
        (state.sub_selected + 1..entries.len()).find(unread)
    } else {
        (0..state.sub_selected).rev().find(unread)
    };
    match target {
        Some(index) => {
            state.pending = Some(Pending::FirstUnread);
            state.sub_selected = index;
            keep_visible(state);
            reload(state)
        }
        None => {
            state.message = Some(state.lang.t("msg.no_more_unread").into());
            Vec::new()
        }
    }
}

/// After `n` entered a new subscription: open its first unread row.
pub fn first_unread(state: &mut State) -> Vec<Effect> {
    match state.list.rows.iter().position(|r| !r.read) {
        Some(index) => select_and_open(state, index),
        None => Vec::new(),
    }
}

fn select_and_open(state: &mut State, index: usize) -> Vec<Effect> {
    state.list.selected = index;
    keep_visible(state);
    let id = state.list.rows[index].id;
    let mut effects = open_article(state, id);
    effects.extend(load_more_if_near_end(state));
    effects
}

/// The article a mark applies to: the open one when reading it, else the selected row.
pub fn current_article(state: &State) -> Option<ArticleId> {
    match (&state.reader, state.focus) {
        (Some(reader), Pane::Reader) => Some(reader.article.id),
        _ => state.selected_row().map(|r| r.id),
    }
}

pub fn is_read(state: &State, id: ArticleId) -> bool {
    match state.list.rows.iter().find(|r| r.id == id) {
        Some(row) => row.read,
        None => state.reader.as_ref().is_some_and(|r| r.article.read),
    }
}

pub fn is_starred(state: &State, id: ArticleId) -> bool {
    match state.list.rows.iter().find(|r| r.id == id) {
        Some(row) => row.starred,
        None => state.reader.as_ref().is_some_and(|r| r.article.starred),
    }
}

/// Change read in the list, the reader and the feed's count at once; the store follows.
pub fn set_read_locally(state: &mut State, id: ArticleId, read: bool) {
    let mut feed = None;
    for row in state.list.rows.iter_mut().filter(|r| r.id == id) {
        if row.read != read {
            feed = Some(row.feed_id);
        }
        row.read = read;
    }
    if let Some(reader) = state.reader.as_mut().filter(|r| r.article.id == id) {
        if reader.article.read != read && feed.is_none() {
            feed = Some(reader.article.feed_id);
        }
        reader.article.read = read;
    }
    if let Some(info) = feed.and_then(|f| state.feeds.iter_mut().find(|i| i.id == f)) {
        info.unread = (info.unread + if read { -1 } else { 1 }).max(0);
    }
}

/// A new query (other subscription, filter, unread-only): start the list afresh.
pub fn reload(state: &mut State) -> Vec<Effect> {
    let list = &mut state.list;
    list.generation += 1;
    list.rows.clear();
    list.selected = 0;
    list.offset = 0;
    list.exhausted = false;
    list.loading = true;
    vec![Effect::LoadPage {
        generation: list.generation,
        replace: true,
        query: state.query(),
    }]
}

/// Same query, fresh rows (after a refresh): as many rows as are loaded, so the
/// selection, kept by id, stays in place.
pub fn refresh_list(state: &mut State) -> Vec<Effect> {
    let mut query = state.query();
    query.limit = page_limit(state);
    state.list.loading = true;
    vec![Effect::LoadPage {
        generation: state.list.generation,
        replace: true,
        query,
    }]
}

fn load_more(state: &mut State) -> Vec<Effect> {
    if state.list.loading || state.list.exhausted {
        return Vec::new();
    }
    let mut query = state.query();
    query.after = after(state);
    state.list.loading = true;
    vec![Effect::LoadPage {
        generation: state.list.generation,
        replace: false,
        query,
    }]
}

pub fn load_more_if_near_end(state: &mut State) -> Vec<Effect> {
    let height = layout::list_height(state.width, state.height, state.focus, state.zoom);
    if state.list.selected + height * PREFETCH_SCREENS >= state.list.rows.len() {
        load_more(state)
    } else {
        Vec::new()
    }
}

/// Scroll the list and the subscriptions just enough that their selections show.
pub fn keep_visible(state: &mut State) {
    let height = layout::list_height(state.width, state.height, state.focus, state.zoom);
    state.list.offset = visible_offset(state.list.selected, state.list.offset, height);
    let height = layout::subscriptions_height(state.width, state.height, state.focus);
    state.sub_offset = visible_offset(state.sub_selected, state.sub_offset, height);
}

fn visible_offset(selected: usize, offset: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
