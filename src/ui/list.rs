//! The article list: unread marker, star, date, source, title; newest first. Columns fit
//! the width (the source as wide as its longest name up to a quarter, titles the rest).
//! Only the visible rows of the loaded part are drawn.

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::layout::inner;
use super::theme::Theme;
use crate::app::{Pane, State, SubEntry};
use crate::i18n::Lang;
use crate::text::{clean_inline, truncate, width};

/// "13:36" today, "Mon" in the six days before, "12 Mar" this year, "2024-06-28" before;
/// names and order in `lang` ("gio", "12 mars").
pub fn short_date(t: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset, lang: Lang) -> String {
    let local = t.with_timezone(&offset);
    let today = now.with_timezone(&offset);
    let days_ago = (today.date_naive() - local.date_naive()).num_days();
    if days_ago == 0 {
        local.format("%H:%M").to_string()
    } else if (1..7).contains(&days_ago) {
        lang.weekday(local.weekday()).to_string()
    } else if local.year() == today.year() {
        lang.day_month(local.date_naive())
    } else {
        local.format("%Y-%m-%d").to_string()
    }
}

/// Columns of the source column: the longest name of the feeds in view, up to a quarter
/// of the pane; none when the view is one feed or the pane is narrow.
fn source_width(state: &State, total: usize) -> usize {
    if total < 40 {
        return 0;
    }
    let longest = match state.entry_feeds(state.selected_entry()) {
        Some(ids) if ids.len() <= 1 => 0,
        Some(ids) => ids
            .iter()
            .map(|id| width(&clean_inline(state.feed_title(*id))))
            .max()
            .unwrap_or(0),
        None => state
            .feed_titles
            .values()
            .map(|t| width(&clean_inline(t)))
            .max()
            .unwrap_or(0),
    };
    longest.min(total / 4)
}

fn title(state: &State) -> String {
    let lang = state.lang;
    let view = match state.selected_entry() {
        SubEntry::All => lang.t("ui.all").to_string(),
        SubEntry::Unread => lang.t("ui.unread").to_string(),
        SubEntry::Starred => lang.t("ui.starred").to_string(),
        SubEntry::Tag(tag) => super::tag_name(tag, state),
        SubEntry::Org(org) => org.clone(),
        SubEntry::Feed { id, .. } => state.feed_title(*id).to_string(),
    };
    let mut title = clean_inline(&view);
    if let Some(tag) = &state.orgs.tag {
        title.push_str(&format!(" · #{}", clean_inline(tag)));
    }
    if let Some(lang) = &state.orgs.lang {
        title.push_str(&format!(" · {}", clean_inline(lang)));
    }
    if state.unread_only {
        title.push_str(" · ");
        title.push_str(lang.t("ui.unread_filter"));
    }
    if !state.filter.is_empty() {
        title.push_str(&format!(" · /{}", clean_inline(&state.filter)));
    }
    title
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let block = super::pane_block(&title(state), Pane::List, state, theme, area.width);
    frame.render_widget(block, area);
    let body = inner(area);
    let focused = state.focus == Pane::List;
    let list = &state.list;
    if list.rows.is_empty() {
        let note = state.lang.t(if list.loading {
            "ui.loading"
        } else if !state.filter.is_empty() {
            "ui.no_match"
        } else {
            "ui.no_articles"
        });
        let note = truncate(note, usize::from(body.width));
        frame.render_widget(Paragraph::new(Line::styled(note, theme.dim())), body);
        return;
    }
    let height = usize::from(body.height);
    let visible = list.rows.iter().enumerate().skip(list.offset).take(height);
    let rows: Vec<_> = visible.collect();
    let dates: Vec<String> = rows
        .iter()
        .map(|(_, r)| short_date(r.published, state.now, state.utc_offset, state.lang))
        .collect();
    let date_width = dates.iter().map(|d| width(d)).max().unwrap_or(0);
    let total = usize::from(body.width);
    let source_width = source_width(state, total);
    let mut lines = Vec::with_capacity(rows.len());
    for ((index, row), date) in rows.iter().zip(&dates) {
        let base = if row.read {
            theme.read()
        } else {
            theme.unread()
        };
        let marker = if row.read { "  " } else { "● " };
        let star = if row.starred { "★" } else { " " };

        let mut spans = vec![
            Span::styled(marker, base),
            Span::styled(star, theme.star()),
            Span::raw(" "),
            Span::styled(format!("{date:>date_width$} "), theme.dim()),
        ];
        if source_width > 0 {
            let source = truncate(&clean_inline(state.feed_title(row.feed_id)), source_width);
            let pad = source_width - width(&source);
            spans.push(Span::styled(
                format!("{source}{} ", " ".repeat(pad)),
                theme.dim(),
            ));
        }
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        // 🦋 before the title: Bluesky posts are folded into this row.
        let title = if state.orgs.with_posts.contains(&row.id) {
            format!("🦋 {}", clean_inline(&row.title))
        } else {
            clean_inline(&row.title)
        };
        let title = truncate(&title, total.saturating_sub(used));
        let fill = total.saturating_sub(used + width(&title));
        spans.push(Span::styled(title, base));
        spans.push(Span::raw(" ".repeat(fill)));
        let mut line = Line::from(spans);
        if *index == list.selected {
            line = line.patch_style(theme.selected(focused));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), body);
}
