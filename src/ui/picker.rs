//! The small picker of `t` (tags) and `L` (languages): a bordered list over the panes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::State;
use crate::app::orgs::PickerKind;
use crate::text::truncate;

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let Some(picker) = &state.orgs.picker else {
        return;
    };
    let title = match picker.kind {
        PickerKind::Tag => state.lang.t("picker.tag_title"),
        PickerKind::Language => state.lang.t("picker.language_title"),
    };
    let width = area.width.saturating_sub(4).min(40);
    let height = (picker.items.len() as u16 + 2).min(area.height.saturating_sub(2));
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(rect);
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let room = usize::from(rect.height.saturating_sub(2)).max(1);
    let first = picker.selected.saturating_sub(room - 1);
    let lines: Vec<Line<'_>> = picker
        .items
        .iter()
        .enumerate()
        .skip(first)
        .take(room)
        .map(|(i, (_, label))| {
            let text = truncate(label, inner_width);
            let pad = inner_width.saturating_sub(crate::text::width(&text));
            let line = Line::raw(format!("{text}{}", " ".repeat(pad)));
            if i == picker.selected {
                line.patch_style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    let block = Block::bordered()
        .border_style(theme.border(true))
        .title(truncate(title, inner_width));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
