//! `update`: the only place the state changes. Each action changes `State` and returns
//! the effects the runtime must carry out. No I/O, no clock: time arrives in actions.

use super::action::{Action, Effect, FilterEdit, Mouse, Page};
use super::navigate;
use super::state::{Overlay, PAGE_SIZE, Pane, Pending, State};
use super::{marks, mouse, orgs, progress, reader};
use crate::store::Position;

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let mut effects = apply(state, action);
    // Whatever moved the cursor (a key, a filter, a page, a refresh), the reader follows.
    effects.extend(reader::follow_cursor(state));
    effects
}

fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    if is_key(&action) && !matches!(action, Action::OpenLink | Action::CopyLink) {
        // A link asked for earlier and still loading is forgotten once the user moves on.
        state.waiting = None;
    }
    if !matches!(
        action,
        Action::Digit(_) | Action::OpenLink | Action::CopyLink
    ) && is_key(&action)
    {
        state.count = None;
    }
    if state.overlay.is_some() && is_key(&action) {
        return overlay_key(state, action);
    }
    if is_key(&action) && !matches!(action, Action::Digit(_)) {
        // A message answers one key; the next key clears it.
        state.message = None;
    }
    match action {
        Action::Up => navigate::step(state, -1),
        Action::Down => navigate::step(state, 1),
        Action::Top => navigate::jump(state, false),
        Action::Bottom => navigate::jump(state, true),
        Action::PaneLeft => navigate::focus(state, state.focus.left()),
        Action::PaneRight if state.focus == Pane::Subscriptions && orgs::toggle(state, true) => {
            navigate::keep_visible(state);
            Vec::new()
        }
        Action::PaneRight => navigate::focus(state, state.focus.right()),
        Action::NextPane => navigate::focus(state, state.focus.next()),
        Action::Open if state.focus == Pane::Subscriptions && orgs::toggle(state, false) => {
            navigate::keep_visible(state);
            Vec::new()
        }
        Action::Open => navigate::open(state),
        Action::ScrollDown => navigate::scroll_page(state, true),
        Action::ScrollUp => navigate::scroll_page(state, false),
        Action::NextUnread => navigate::next_unread(state, true),
        Action::PrevUnread => navigate::next_unread(state, false),
        Action::ToggleRead => marks::toggle_read(state),
        Action::MarkAllRead => marks::mark_all_read(state),
        Action::ToggleStar => marks::toggle_star(state),
        Action::OpenLink => reader::link(state, true),
        Action::CopyLink => reader::link(state, false),
        Action::HintOpen => reader::start_hints(state, true),
        Action::HintCopy => reader::start_hints(state, false),
        Action::Hint(label) => reader::hint(state, label),
        Action::Mouse { kind, column, row } => mouse::mouse(state, kind, column, row),
        Action::Digit(d) => {
            let count = state.count.unwrap_or(0).saturating_mul(10) + u32::from(d);
            state.count = Some(count.min(99_999));
            Vec::new()
        }
        Action::Refresh => {
            let ids = state
                .entry_feeds(state.selected_entry())
                .unwrap_or_else(|| state.feeds.iter().map(|f| f.id).collect());
            progress::start_refresh(state, ids)
        }
        Action::RefreshAll | Action::RefreshDue => {
            let ids = state.feeds.iter().map(|f| f.id).collect();
            progress::start_refresh(state, ids)
        }
        Action::StartFilter => {
            state.editing_filter = true;
            navigate::focus(state, Pane::List)
        }
        Action::Filter(edit) => filter(state, edit),
        Action::ToggleUnreadOnly => {
            state.unread_only = !state.unread_only;
            let key = if state.unread_only {
                "msg.unread_only"
            } else {
                "msg.all_articles"
            };
            state.message = Some(state.lang.t(key).into());
            navigate::reload(state)
        }
        Action::Zoom => {
            state.zoom = !state.zoom;
            reader::rerender(state)
        }
        Action::Help => open_overlay(state, Overlay::Help),
        Action::ErrorLog => open_overlay(state, Overlay::Errors),
        Action::Quit => {
            state.quit = true;
            vec![Effect::Quit]
        }
        Action::Back => back(state),
        Action::TagPicker => orgs::open_tag_picker(state),
        Action::LanguagePicker => vec![Effect::LoadLanguages],
        Action::Picker(key) => orgs::picker_key(state, key),
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            let effects = reader::rerender(state);
            navigate::keep_visible(state);
            effects
        }
        Action::Tick(now) => {
            state.now = now;
            Vec::new()
        }
        Action::FeedsLoaded(snapshot) => {
            state.feed_titles = snapshot.titles.into_iter().collect();
            state.feeds = snapshot.feeds;
            state.starred_count = snapshot.starred;
            state.orgs.folded_unread = snapshot.folded_unread;
            orgs::rebuild(state);
            navigate::keep_visible(state);
            if state.list.generation == 0 {
                navigate::reload(state)
            } else {
                Vec::new()
            }
        }
        Action::PageLoaded(page) => page_loaded(state, page),
        Action::ArticleLoaded(article) => reader::loaded(state, *article),
        Action::Rendered { seq, rendered } => reader::rendered(state, seq, *rendered),
        Action::ShownFor { seq } => reader::shown_for(state, seq),
        Action::OrgsLoaded(orgs) => {
            state.orgs.feed_org = orgs.into_iter().collect();
            orgs::rebuild(state);
            navigate::keep_visible(state);
            Vec::new()
        }
        Action::LanguagesLoaded(languages) => orgs::languages_loaded(state, languages),
        Action::AlsoLoaded(id, rows) => {
            state.orgs.also = Some((id, rows));
            orgs::append_also(state);
            Vec::new()
        }
        Action::PostsMarked(ids) => {
            state.orgs.with_posts.extend(ids);
            Vec::new()
        }
        Action::Progress(progress) => progress::refresh_progress(state, progress),
        Action::Synced(status) => super::sync_status::synced(state, status),
        Action::Failed(message) => {
            state.message = Some(message);
            Vec::new()
        }
    }
}

/// Actions that come from keys (and so end a typed count or a message).
fn is_key(action: &Action) -> bool {
    !matches!(
        action,
        Action::Resize { .. }
            | Action::Tick(_)
            | Action::RefreshDue
            | Action::FeedsLoaded(_)
            | Action::PageLoaded(_)
            | Action::ArticleLoaded(_)
            | Action::Rendered { .. }
            | Action::ShownFor { .. }
            | Action::OrgsLoaded(_)
            | Action::LanguagesLoaded(_)
            | Action::AlsoLoaded(..)
            | Action::PostsMarked(_)
            | Action::Progress(_)
            | Action::Synced(_)
            | Action::Failed(_)
    )
}

fn overlay_key(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = overlay_scroll(state, action);
    state.overlay_scroll = state
        .overlay_scroll
        .min(crate::ui::overlay::max_scroll(state));
    effects
}

fn overlay_scroll(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Up => state.overlay_scroll = state.overlay_scroll.saturating_sub(1),
        Action::Down => state.overlay_scroll += 1,
        Action::ScrollDown => state.overlay_scroll += 10,
        Action::ScrollUp => state.overlay_scroll = state.overlay_scroll.saturating_sub(10),
        Action::Bottom => state.overlay_scroll = usize::MAX,
        Action::Top => state.overlay_scroll = 0,
        Action::Mouse {
            kind: Mouse::WheelUp,
            ..
        } => state.overlay_scroll = state.overlay_scroll.saturating_sub(3),
        Action::Mouse {
            kind: Mouse::WheelDown,
            ..
        } => state.overlay_scroll += 3,
        Action::Help if state.overlay != Some(Overlay::Help) => {
            return open_overlay(state, Overlay::Help);
        }
        Action::ErrorLog if state.overlay != Some(Overlay::Errors) => {
            return open_overlay(state, Overlay::Errors);
        }
        Action::Help
        | Action::ErrorLog
        | Action::Back
        | Action::Quit
        | Action::Open
        | Action::Mouse { .. } => {
            state.overlay = None;
        }
        _ => {}
    }
    Vec::new()
}

fn open_overlay(state: &mut State, overlay: Overlay) -> Vec<Effect> {
    state.overlay = Some(overlay);
    state.overlay_scroll = 0;
    Vec::new()
}

fn back(state: &mut State) -> Vec<Effect> {
    if state.hints.take().is_some() {
        return Vec::new();
    }
    if state.editing_filter {
        return filter(state, FilterEdit::Cancel);
    }
    if state.zoom {
        state.zoom = false;
        return reader::rerender(state);
    } else if state.focus == Pane::Reader {
        return navigate::focus(state, Pane::List);
    } else if !state.filter.is_empty() {
        state.filter.clear();
        return navigate::reload(state);
    }
    Vec::new()
}

fn filter(state: &mut State, edit: FilterEdit) -> Vec<Effect> {
    match edit {
        FilterEdit::Char(c) if !crate::text::is_unsafe(c) => state.filter.push(c),
        FilterEdit::Char(_) => return Vec::new(),
        FilterEdit::Backspace => {
            state.filter.pop();
        }
        FilterEdit::Commit => {
            state.editing_filter = false;
            return Vec::new();
        }
        FilterEdit::Cancel => {
            state.editing_filter = false;
            state.filter.clear();
        }
    }
    navigate::reload(state)
}

fn page_loaded(state: &mut State, page: Page) -> Vec<Effect> {
    if page.generation != state.list.generation {
        return Vec::new();
    }
    let list = &mut state.list;
    list.loading = false;
    list.exhausted = page.exhausted;
    if page.replace {
        let kept = list.rows.get(list.selected).map(|r| r.id);
        let before = list.selected;
        list.rows = page.rows;
        match kept.and_then(|id| list.rows.iter().position(|r| r.id == id)) {
            Some(index) => {
                // At the top, new articles show above the selection. Scrolled down, the
                // window moves with the selection, so the page being read stays still.
                if list.offset > 0 {
                    list.offset = (list.offset + index).saturating_sub(before);
                }
                list.selected = index;
            }
            None => list.selected = before.min(list.rows.len().saturating_sub(1)),
        }
    } else {
        let known: std::collections::HashSet<_> = list.rows.iter().map(|r| r.id).collect();
        list.rows
            .extend(page.rows.into_iter().filter(|r| !known.contains(&r.id)));
    }
    navigate::keep_visible(state);
    let mut effects = match state.pending.take() {
        Some(Pending::NextUnread) => navigate::next_unread(state, true),
        Some(Pending::FirstUnread) => navigate::first_unread(state),
        None => Vec::new(),
    };
    effects.extend(navigate::load_more_if_near_end(state));
    effects
}

/// Where the next page of the list starts.
pub(super) fn after(state: &State) -> Option<Position> {
    state.list.rows.last().map(Position::from)
}

pub(super) fn page_limit(state: &State) -> usize {
    PAGE_SIZE.max(state.list.rows.len())
}
