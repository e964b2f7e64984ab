//! The reader: the shown article's pre-rendered lines from its scroll position (with the
//! link labels of `f` over them), or, with nothing shown, the selected subscription's
//! error or a hint. Also where its links sit on screen, for OSC 8 hyperlinks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::layout::{self, inner};
use super::theme::Theme;
use crate::app::{Action, Pane, State, hint_label};
use crate::i18n::Lang;
use crate::render::wrap;
use crate::text::{clean_inline, truncate};

/// Where the reader's text goes inside its pane: the body less a column each side.
pub fn text_area(pane: Rect) -> Rect {
    let body = inner(pane);
    Rect {
        x: body.x.saturating_add(1),
        width: body.width.saturating_sub(2),
        ..body
    }
}

/// A link's text on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRegion {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub url: String,
}

/// Where the shown article's links are on a screen of `area` (none while something is
/// drawn over the reader).
pub fn link_regions(state: &State, area: Rect) -> Vec<LinkRegion> {
    let Some(reader) = &state.reader else {
        return Vec::new();
    };
    if state.overlay.is_some() || state.hints.is_some() || layout::too_small(area) {
        return Vec::new();
    }
    let Some(pane) = layout::panes(area, state.focus, state.zoom).reader else {
        return Vec::new();
    };
    let text = text_area(pane);
    let height = usize::from(text.height);
    reader
        .spans
        .iter()
        .filter(|s| s.line >= reader.scroll && s.line < reader.scroll + height)
        .filter(|s| s.column < text.width)
        .map(|s| LinkRegion {
            x: text.x + s.column,
            y: text.y + u16::try_from(s.line - reader.scroll).unwrap_or(u16::MAX),
            width: s.width.min(text.width - s.column),
            url: s.url.clone(),
        })
        .collect()
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State, theme: &Theme) {
    let title = match &state.reader {
        Some(reader) => clean_inline(&reader.article.feed),
        None => state.lang.t("ui.reader").to_string(),
    };
    frame.render_widget(
        super::pane_block(&title, Pane::Reader, state, theme, area.width),
        area,
    );
    // One column of margin each side; the lines were wrapped to this width.
    let text = text_area(area);
    let height = usize::from(text.height);
    let lines: Vec<Line<'_>> = match &state.reader {
        Some(reader) if reader.lines.is_empty() && reader.rendering => {
            vec![Line::styled(state.lang.t("ui.rendering"), theme.dim())]
        }
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
    if let (Some(open), Some(reader)) = (state.hints, &state.reader) {
        hints(frame, text, &reader.links, open, state.lang, theme);
    }
}

/// `f`/`F`: each link with its label, in a box at the bottom of the reader.
fn hints(
    frame: &mut Frame<'_>,
    text: Rect,
    links: &[String],
    open: bool,
    lang: Lang,
    theme: &Theme,
) {
    let labelled: Vec<(char, &String)> = links
        .iter()
        .enumerate()
        .map_while(|(i, url)| Some((hint_label(i)?, url)))
        .collect();
    let rows = u16::try_from(labelled.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2)
        .min(text.height);
    if rows < 3 || text.width < 8 {
        return;
    }
    let rect = Rect {
        y: text.y + text.height - rows,
        height: rows,
        ..text
    };
    let room = usize::from(rect.width.saturating_sub(6));
    let mut lines: Vec<Line<'_>> = labelled
        .iter()
        .map(|(label, url)| {
            Line::from(vec![
                Span::styled(format!(" {label} "), theme.key()),
                Span::raw(truncate(&clean_inline(url), room)),
            ])
        })
        .collect();
    let shown = usize::from(rows - 2);
    if lines.len() > shown {
        lines.truncate(shown.saturating_sub(1));
        let more = labelled.len() - lines.len();
        lines.push(Line::styled(
            format!(" {}", lang.n("ui.more_links", more as u64, &[])),
            theme.dim(),
        ));
    }
    let title = lang.t(if open {
        "ui.hints_open"
    } else {
        "ui.hints_copy"
    });
    let block = Block::bordered()
        .border_style(theme.border(true))
        .title(format!(" {title} "));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn placeholder(state: &State, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let lang = state.lang;
    if let Some((feed, error)) = state.selected_error() {
        let mut lines = vec![Line::styled(
            crate::text::truncate(
                &lang.f("ui.last_failed", &[("feed", &clean_inline(feed))]),
                width,
            ),
            theme.error(),
        )];
        lines.extend(wrap(&clean_inline(error), width).into_iter().map(Line::raw));
        return lines;
    }
    let help = state.keymap.keys_for(&Action::Help).unwrap_or("?");
    let open = state.keymap.keys_for(&Action::Open).unwrap_or("Enter");
    let text = if state.list.rows.is_empty() {
        lang.f("ui.no_selection", &[("help", &help)])
    } else {
        lang.f("ui.open_hint", &[("open", &open), ("help", &help)])
    };
    wrap(&text, width)
        .into_iter()
        .map(|l| Line::styled(l, theme.dim()))
        .collect()
}
