//! Where each pane goes for a terminal size: three columns when wide, subscriptions and
//! list above the reader when medium, one pane at a time when small. Pure geometry, shared
//! by drawing and by `update` (which needs the reader's width and the list's height).

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::Pane;

/// Columns from which three panes sit side by side.
pub const WIDE: u16 = 120;
/// From here (and this many rows) the reader sits below subscriptions and list; smaller
/// screens show one pane at a time.
pub const MEDIUM_WIDTH: u16 = 80;
pub const MEDIUM_HEIGHT: u16 = 24;
/// Below this the screen shows a "too small" note instead of panes.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub subscriptions: Option<Rect>,
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub status: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The panes for `area`; hidden panes are `None`.
pub fn panes(area: Rect, focus: Pane, zoom: bool) -> Panes {
    if too_small(area) {
        return Panes {
            status: area,
            ..Panes::default()
        };
    }
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut panes = Panes {
        status,
        ..Panes::default()
    };
    if zoom {
        panes.reader = Some(body);
    } else if area.width >= WIDE {
        let subs_width = (area.width / 6).clamp(24, 36);
        let [subs, list, reader] = Layout::horizontal([
            Constraint::Length(subs_width),
            Constraint::Percentage(41),
            Constraint::Min(20),
        ])
        .areas(body);
        panes.subscriptions = Some(subs);
        panes.list = Some(list);
        panes.reader = Some(reader);
    } else if area.width >= MEDIUM_WIDTH && area.height >= MEDIUM_HEIGHT {
        let [top, reader] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Min(5)]).areas(body);
        let subs_width = (area.width / 4).clamp(18, 30);
        let [subs, list] =
            Layout::horizontal([Constraint::Length(subs_width), Constraint::Min(10)]).areas(top);
        panes.subscriptions = Some(subs);
        panes.list = Some(list);
        panes.reader = Some(reader);
    } else {
        match focus {
            Pane::Subscriptions => panes.subscriptions = Some(body),
            Pane::List => panes.list = Some(body),
            Pane::Reader => panes.reader = Some(body),
        }
    }
    panes
}

/// Inside a pane's border.
pub fn inner(rect: Rect) -> Rect {
    Rect {
        x: rect.x.saturating_add(1),
        y: rect.y.saturating_add(1),
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    }
}

/// Columns the reader's text is wrapped to: its inner width less a margin each side, or
/// the whole screen's when the reader is hidden (it will be shown full-screen).
pub fn reader_text_width(width: u16, height: u16, focus: Pane, zoom: bool) -> u16 {
    let area = Rect::new(0, 0, width, height);
    let reader = panes(area, focus, zoom)
        .reader
        .or(panes(area, Pane::Reader, zoom).reader)
        .unwrap_or(area);
    inner(reader).width.saturating_sub(2).max(1)
}

/// Rows the reader shows at once.
pub fn reader_height(width: u16, height: u16, focus: Pane, zoom: bool) -> usize {
    let area = Rect::new(0, 0, width, height);
    let reader = panes(area, focus, zoom)
        .reader
        .or(panes(area, Pane::Reader, zoom).reader);
    reader.map_or(1, |r| usize::from(inner(r).height).max(1))
}

/// Rows the list shows at once.
pub fn list_height(width: u16, height: u16, focus: Pane, zoom: bool) -> usize {
    let area = Rect::new(0, 0, width, height);
    let list = panes(area, focus, zoom)
        .list
        .or(panes(area, Pane::List, false).list);
    list.map_or(1, |r| usize::from(inner(r).height).max(1))
}

/// Rows the subscription pane shows at once.
pub fn subscriptions_height(width: u16, height: u16, focus: Pane) -> usize {
    let area = Rect::new(0, 0, width, height);
    let subs = panes(area, focus, false)
        .subscriptions
        .or(panes(area, Pane::Subscriptions, false).subscriptions);
    subs.map_or(1, |r| usize::from(inner(r).height).max(1))
}
