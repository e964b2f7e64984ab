//! Drawing: one file per pane, plus layout, theme, status bar and overlays. Everything
//! here reads `&State` and writes a frame; no I/O, no waiting.

pub mod layout;
mod list;
pub mod overlay;
mod picker;
mod reader;
mod status;
mod subscriptions;
pub mod theme;

pub use list::short_date;
pub use reader::{LinkRegion, link_regions};

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::{Pane, State};
use theme::Theme;

/// Draw the whole screen.
pub fn draw(frame: &mut Frame<'_>, state: &State) {
    let area = frame.area();
    let theme = Theme::new(state.color);
    if layout::too_small(area) {
        let note = crate::text::truncate(state.lang.t("ui.too_small"), usize::from(area.width));
        frame.render_widget(Paragraph::new(note), area);
        return;
    }
    let panes = layout::panes(area, state.focus, state.zoom);
    if let Some(rect) = panes.subscriptions {
        subscriptions::draw(frame, rect, state, &theme);
    }
    if let Some(rect) = panes.list {
        list::draw(frame, rect, state, &theme);
    }
    if let Some(rect) = panes.reader {
        reader::draw(frame, rect, state, &theme);
    }
    status::draw(frame, panes.status, state, &theme);
    overlay::draw(frame, area, state, &theme);
    picker::draw(frame, area, state, &theme);
}

/// A tag heading's name: as written, but the heading of untagged feeds in `state`'s language.
fn tag_name(tag: &str, state: &State) -> String {
    if tag == crate::app::OTHER {
        state.lang.t("ui.other_tag").to_string()
    } else {
        crate::text::clean_inline(tag)
    }
}

/// A pane's frame: a border, bright when focused, and a title cut to fit.
fn pane_block(title: &str, pane: Pane, state: &State, theme: &Theme, width: u16) -> Block<'static> {
    let focused = state.focus == pane || (pane == Pane::Reader && state.zoom);
    let title = crate::text::truncate(title, usize::from(width.saturating_sub(4)));
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Line::styled(format!(" {title} "), Style::new()).style(theme.border(focused)))
}
