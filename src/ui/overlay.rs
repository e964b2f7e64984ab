//! Overlays over the panes: the help screen (every binding in force, grouped by pane,
//! scrolled with j/k) and the log of refresh errors.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::{Overlay, State};
use crate::render::wrap;
use crate::text::{clean_inline, truncate, width};

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let Some(overlay) = state.overlay else {
        return;
    };
    let rect = centered(area);
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let (title, lines) = match overlay {
        Overlay::Help => (
            state.lang.t("overlay.help_title"),
            help_lines(state, theme, inner_width),
        ),
        Overlay::Errors => (
            state.lang.t("overlay.errors_title"),
            error_lines(state, theme, inner_width),
        ),
    };
    let height = usize::from(rect.height.saturating_sub(2));
    let scroll = state.overlay_scroll.min(lines.len().saturating_sub(height));
    let visible: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(height).collect();
    let block = Block::bordered()
        .border_style(theme.border(true))
        .title(truncate(title, inner_width));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(visible).block(block), rect);
}

fn centered(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).clamp(area.width.min(20), 76);
    let height = area.height.saturating_sub(2).max(1);
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(rect);
    rect
}

fn help_lines(state: &State, theme: &Theme, total: usize) -> Vec<Line<'static>> {
    let lang = state.lang;
    let help = state.keymap.help();
    let keys_width = help
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(0)
        .min(total / 2);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (group, commands) in state.keymap.help_by_name() {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        let heading = lang.t(&format!("group.{group}"));
        lines.push(Line::styled(truncate(heading, total), theme.heading()));
        for (keys, name) in commands {
            let text = lang.t(&format!("keys.{name}"));
            let keys = if keys.is_empty() {
                lang.t("overlay.unbound").to_string()
            } else {
                keys.to_string()
            };
            let keys = truncate(&keys, keys_width);
            let pad = keys_width.saturating_sub(width(&keys));
            let text = truncate(text, total.saturating_sub(keys_width + 2));
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys}{} ", " ".repeat(pad)), theme.key()),
                Span::raw(text),
            ]));
        }
    }
    lines.push(Line::default());
    for note in [
        "overlay.note_keys",
        "overlay.note_numbers",
        "overlay.note_config",
    ] {
        let note = lang.t(note);
        lines.extend(
            wrap(note, total.saturating_sub(1))
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.dim())),
        );
    }
    lines
}

/// Lines the overlay can scroll past on this screen (so j/k stop at its end).
pub fn max_scroll(state: &State) -> usize {
    let area = Rect::new(0, 0, state.width, state.height);
    let rect = centered(area);
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let theme = Theme::new(false);
    let count = match state.overlay {
        Some(Overlay::Help) => help_lines(state, &theme, inner_width).len(),
        Some(Overlay::Errors) => error_lines(state, &theme, inner_width).len(),
        None => 0,
    };
    count.saturating_sub(usize::from(rect.height.saturating_sub(2)))
}

fn error_lines(state: &State, theme: &Theme, total: usize) -> Vec<Line<'static>> {
    let failing: Vec<_> = state
        .feeds
        .iter()
        .filter_map(|f| Some((f, f.error.as_deref()?)))
        .collect();
    if failing.is_empty() {
        let note = format!(" {}", state.lang.t("overlay.no_errors"));
        return vec![Line::styled(note, theme.dim())];
    }
    let mut lines = Vec::new();
    for (feed, error) in failing {
        lines.push(Line::styled(
            truncate(&format!(" ! {}", clean_inline(&feed.title)), total),
            theme.error(),
        ));
        for line in wrap(&clean_inline(error), total.saturating_sub(3)) {
            lines.push(Line::raw(format!("   {line}")));
        }
    }
    lines
}
