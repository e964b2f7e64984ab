//! The subscription pane: All, Unread, Starred, then each tag with its feeds; unread
//! counts right-aligned, failed feeds marked with a red `!`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::layout::inner;
use super::theme::Theme;
use crate::app::{Pane, State, SubEntry};
use crate::text::{clean_inline, truncate, width};

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let block = super::pane_block(
        state.lang.t("ui.subscriptions"),
        Pane::Subscriptions,
        state,
        theme,
        area.width,
    );
    frame.render_widget(block, area);
    let body = inner(area);
    let total = usize::from(body.width);
    let focused = state.focus == Pane::Subscriptions;
    let mut lines = Vec::new();
    let visible = state.entries.iter().enumerate().skip(state.sub_offset);
    for (index, entry) in visible.take(usize::from(body.height)) {
        let (label, style, error) = match entry {
            SubEntry::All => (state.lang.t("ui.all").to_string(), theme.unread(), false),
            SubEntry::Unread => (state.lang.t("ui.unread").to_string(), theme.unread(), false),
            SubEntry::Starred => {
                let label = format!("★ {}", state.lang.t("ui.starred"));
                (label, theme.unread(), false)
            }
            SubEntry::Tag(tag) => (
                format!("▾ {}", super::tag_name(tag, state)),
                theme.heading(),
                false,
            ),
            SubEntry::Org(org) => {
                // A failing subscription shows through its organisation: a red `!`.
                let ids = state.orgs.feeds_of(org);
                let error = state
                    .feeds
                    .iter()
                    .any(|f| f.error.is_some() && ids.contains(&f.id));
                let arrow = match (error, state.orgs.expanded.contains(org)) {
                    (true, _) => "",
                    (false, true) => "▾ ",
                    (false, false) => "▸ ",
                };
                (
                    format!("{arrow}{}", clean_inline(org)),
                    theme.heading(),
                    error,
                )
            }
            SubEntry::Feed { id, .. } => {
                let feed = state.feed(*id);
                let error = feed.is_some_and(|f| f.error.is_some());
                let title = feed.map_or("?".to_string(), |f| clean_inline(&f.title));
                (title, theme.read(), error)
            }
        };
        let count = state.entry_unread(entry);
        let count = if count > 0 {
            count.to_string()
        } else {
            String::new()
        };
        // Feeds are indented under their tag; a failed one has `!` in the indent.
        let indent = match entry {
            SubEntry::Feed { .. } | SubEntry::Org(_) if error => Span::styled("! ", theme.error()),
            SubEntry::Feed { .. } => Span::raw("  "),
            _ => Span::raw(""),
        };
        let indent_width = width(&indent.content);
        let room = total.saturating_sub(indent_width + width(&count) + 1);
        let label = truncate(&label, room);
        let fill = total.saturating_sub(indent_width + width(&label) + width(&count));
        let mut spans = vec![indent];
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" ".repeat(fill)));
        spans.push(Span::styled(count, theme.count()));
        let mut line = Line::from(spans);
        if index == state.sub_selected {
            line = line.patch_style(theme.selected(focused));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), body);
}
