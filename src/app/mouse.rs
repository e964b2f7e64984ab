//! The mouse: a click selects a pane and a row (and opens the row already selected, or a
//! link under the pointer in the reader); the wheel scrolls the pane under the pointer.
//! Helpers of `update`; the geometry is the one `ui` draws with.

use ratatui::layout::{Position, Rect};

use super::action::{Effect, Mouse};
use super::navigate;
use super::reader;
use super::state::{Pane, State};
use crate::ui::layout::{self, inner};

/// Rows the wheel moves per notch.
const WHEEL_ROWS: usize = 3;

pub fn mouse(state: &mut State, kind: Mouse, column: u16, row: u16) -> Vec<Effect> {
    let area = Rect::new(0, 0, state.width, state.height);
    let panes = layout::panes(area, state.focus, state.zoom);
    let at = Position::new(column, row);
    let pane = [
        (Pane::Subscriptions, panes.subscriptions),
        (Pane::List, panes.list),
        (Pane::Reader, panes.reader),
    ]
    .into_iter()
    .find_map(|(pane, rect)| rect.filter(|r| r.contains(at)).map(|r| (pane, inner(r))));
    let Some((pane, body)) = pane else {
        return Vec::new();
    };
    // The row of the pane's body under the pointer, if it is on one.
    let line = body
        .contains(at)
        .then(|| usize::from(row.saturating_sub(body.y)));
    match kind {
        Mouse::Click => click(state, pane, body, line, column),
        Mouse::WheelUp | Mouse::WheelDown => wheel(state, pane, kind == Mouse::WheelDown),
    }
}

fn click(
    state: &mut State,
    pane: Pane,
    body: Rect,
    line: Option<usize>,
    column: u16,
) -> Vec<Effect> {
    let focused = state.focus == pane;
    match pane {
        Pane::Subscriptions => {
            let mut effects = navigate::focus(state, pane);
            let index = line.map(|l| state.sub_offset + l);
            if let Some(index) = index.filter(|&i| i < state.entries.len()) {
                if focused && index == state.sub_selected {
                    effects.extend(navigate::open(state));
                } else {
                    effects.extend(navigate::select_entry(state, index));
                }
            }
            effects
        }
        Pane::List => {
            let index = line.map(|l| state.list.offset + l);
            let Some(index) = index.filter(|&i| i < state.list.rows.len()) else {
                return navigate::focus(state, pane);
            };
            let mut effects = Vec::new();
            if focused && index == state.list.selected {
                effects.extend(navigate::open(state));
            } else {
                effects.extend(navigate::focus(state, pane));
                state.list.selected = index;
                navigate::keep_visible(state);
                effects.extend(navigate::load_more_if_near_end(state));
            }
            effects
        }
        Pane::Reader => {
            // One column of margin each side of the text, as `ui::reader` draws it.
            let text_column = column.checked_sub(body.x + 1).map(usize::from);
            if let (Some(line), Some(text_column)) = (line, text_column)
                && let Some(url) = link_at(state, line, text_column)
            {
                return reader::use_url(state, url, true);
            }
            if focused {
                Vec::new()
            } else {
                navigate::focus(state, pane)
            }
        }
    }
}

/// The link under screen row `line` of the reader's body, at text column `column`.
fn link_at(state: &State, line: usize, column: usize) -> Option<String> {
    let reader = state.reader.as_ref()?;
    let line = reader.scroll + line;
    reader
        .spans
        .iter()
        .find(|s| {
            s.line == line
                && (usize::from(s.column)..usize::from(s.column) + usize::from(s.width))
                    .contains(&column)
        })
        .map(|s| s.url.clone())
}

fn wheel(state: &mut State, pane: Pane, down: bool) -> Vec<Effect> {
    let delta = if down {
        WHEEL_ROWS as isize
    } else {
        -(WHEEL_ROWS as isize)
    };
    match pane {
        Pane::Subscriptions => {
            let height = layout::subscriptions_height(state.width, state.height, state.focus);
            let max = state.entries.len().saturating_sub(height);
            state.sub_offset = state.sub_offset.saturating_add_signed(delta).min(max);
        }
        Pane::List => {
            let height = layout::list_height(state.width, state.height, state.focus, state.zoom);
            let list = &mut state.list;
            let max = list.rows.len().saturating_sub(height);
            list.offset = list.offset.saturating_add_signed(delta).min(max);
            // The selection stays in the window, so keys act on a row the user sees.
            let last = (list.offset + height)
                .min(list.rows.len())
                .saturating_sub(1);
            list.selected = list.selected.clamp(list.offset, last.max(list.offset));
            return navigate::load_more_if_near_end(state);
        }
        Pane::Reader => navigate::scroll_reader(state, delta),
    }
    Vec::new()
}
