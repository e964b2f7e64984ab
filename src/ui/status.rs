//! The status bar: what is selected (or the filter being typed), the last message or the
//! selected feed's error, refresh progress, and the help key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::{Action, State, SubEntry};
use crate::text::{clean_inline, truncate, width};

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let total = usize::from(area.width);
    let right = right_text(state);
    let (left, left_style) = left_text(state, theme);
    let left = truncate(&left, total.saturating_sub(width(&right) + 1));
    let fill = total.saturating_sub(width(&left) + width(&right));
    let line = Line::from(vec![
        Span::styled(format!("{left}{}", " ".repeat(fill)), left_style),
        Span::raw(right),
    ])
    .style(theme.status());
    frame.render_widget(Paragraph::new(line), area);
}

fn left_text(state: &State, theme: &Theme) -> (String, ratatui::style::Style) {
    if state.editing_filter {
        return (format!("/{}▏", clean_inline(&state.filter)), theme.status());
    }
    if let Some(count) = state.count {
        return (format!("{count}…"), theme.status());
    }
    if let Some(message) = &state.message {
        return (format!(" {}", clean_inline(message)), theme.status());
    }
    if let Some((feed, error)) = state.selected_error() {
        let text = format!(" ! {}: {}", clean_inline(feed), clean_inline(error));
        return (text, theme.status().patch(theme.error()));
    }
    (format!(" {}", selection(state)), theme.status())
}

fn selection(state: &State) -> String {
    let lang = state.lang;
    let entry = state.selected_entry();
    let name = match entry {
        SubEntry::All => lang.t("ui.all").to_string(),
        SubEntry::Unread => lang.t("ui.unread").to_string(),
        SubEntry::Starred => lang.t("ui.starred").to_string(),
        SubEntry::Tag(tag) => super::tag_name(tag, state),
        SubEntry::Org(org) => clean_inline(org),
        SubEntry::Feed { id, .. } => clean_inline(state.feed_title(*id)),
    };
    let unread = state.entry_unread(entry);
    let count = lang.n(
        match entry {
            SubEntry::Starred => "status.starred",
            _ => "status.unread",
        },
        unread as u64,
        &[],
    );
    let mut text = format!("{name} · {count}");
    if let Some(row) = state.selected_row() {
        text.push_str(&format!(
            " · {}/{}{}",
            state.list.selected + 1,
            state.list.rows.len(),
            if state.list.exhausted { "" } else { "+" }
        ));
        if state.reader.is_none() {
            text.push_str(&format!(" · {}", clean_inline(&row.title)));
        }
    }
    text
}

fn right_text(state: &State) -> String {
    let refresh = &state.refresh;
    let lang = state.lang;
    let mut parts = Vec::new();
    if refresh.total > 0 {
        let mut text = lang.f(
            "status.refreshing",
            &[("done", &refresh.done), ("total", &refresh.total)],
        );
        if refresh.errors > 0 {
            text.push_str(", ");
            text.push_str(&lang.n("status.errors", refresh.errors as u64, &[]));
        }
        parts.push(text);
    }
    parts.extend(crate::app::sync_status_text(state));
    let help = state.keymap.keys_for(&Action::Help).unwrap_or("?");
    parts.push(format!("{} ", lang.f("status.help", &[("key", &help)])));
    parts.join(" · ")
}
