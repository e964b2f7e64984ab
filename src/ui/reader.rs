//! The reader: the open article's pre-rendered lines from its scroll position, or, with
//! nothing open, the selected subscription's error or a hint.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::layout::inner;
use super::theme::Theme;
use crate::app::{Action, Pane, State};
use crate::render::wrap;
use crate::text::clean_inline;

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let title = match &state.reader {
        Some(reader) => clean_inline(&reader.article.feed),
        None => "Reader".to_string(),
    };
    frame.render_widget(
        super::pane_block(&title, Pane::Reader, state, theme, area.width),
        area,
    );
    let body = inner(area);
    // One column of margin each side; the lines were wrapped to this width.
    let text = Rect {
        x: body.x.saturating_add(1),
        width: body.width.saturating_sub(2),
        ..body
    };
    let height = usize::from(text.height);
    let lines: Vec<Line<'_>> = match &state.reader {
        Some(reader) => reader
            .lines
            .iter()
            .skip(reader.scroll)
            .take(height)
            .cloned()
            .collect(),
        None => placeholder(state, theme, usize::from(text.width)),
    };
    frame.render_widget(Paragraph::new(lines), text);
}

fn placeholder(state: &State, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    if let Some((feed, error)) = state.selected_error() {
        let mut lines = vec![Line::styled(
            crate::text::truncate(
                &format!("! {}: last refresh failed", clean_inline(feed)),
                width,
            ),
            theme.error(),
        )];
        lines.extend(wrap(&clean_inline(error), width).into_iter().map(Line::raw));
        return lines;
    }
    let help = state.keymap.keys_for(&Action::Help).unwrap_or("?");
    let open = state.keymap.keys_for(&Action::Open).unwrap_or("Enter");
    wrap(
        &format!("{open} opens the selected article; {help} lists every key."),
        width,
    )
    .into_iter()
    .map(|l| Line::styled(l, theme.dim()))
    .collect()
}
