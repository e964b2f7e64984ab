//! The reader's logic: state, the messages that change it, keys → actions. Pure: no I/O,
//! no clock, no terminal, so every transition is tested without either.

mod action;
pub mod keymap;
mod marks;
mod mouse;
mod navigate;
pub mod orgs;
mod progress;
mod reader;
mod state;
mod sync_status;
mod update;

pub use action::{Action, Effect, Event, FeedInfo, FeedsSnapshot, FilterEdit, Mouse, Page};
pub use keymap::{Key, Keymap};
pub use state::{
    ArticleList, LinkWait, OTHER, Overlay, PAGE_SIZE, Pane, Pending, Reader, RefreshState, State,
    SubEntry,
};
pub use sync_status::{SyncStatus, status_text as sync_status_text};
pub use update::update;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

/// What a key asks for in the current state: text while the filter is edited, digits
/// as a count, else the keymap's binding.
pub fn key_action(state: &State, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let key = Key::from_event(event);
    if state.hints.is_some() {
        // The key after `f`/`F` picks a link; anything but a label cancels.
        return Some(match event.code {
            KeyCode::Char(c) if !key.is_ctrl() => Action::Hint(c),
            _ => Action::Back,
        });
    }
    if state.editing_filter {
        return match event.code {
            KeyCode::Enter => Some(Action::Filter(FilterEdit::Commit)),
            KeyCode::Esc => Some(Action::Filter(FilterEdit::Cancel)),
            KeyCode::Backspace => Some(Action::Filter(FilterEdit::Backspace)),
            KeyCode::Char(c) if !key.is_ctrl() => Some(Action::Filter(FilterEdit::Char(c))),
            _ => None,
        };
    }
    if state.orgs.picker.is_some() {
        use orgs::PickerKey;
        return match event.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Picker(PickerKey::Up)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Picker(PickerKey::Down)),
            KeyCode::Enter => Some(Action::Picker(PickerKey::Choose)),
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Picker(PickerKey::Close)),
            _ => None,
        };
    }
    if let Some(action) = state.keymap.action(key) {
        return Some(action);
    }
    match event.code {
        KeyCode::Char(c) if c.is_ascii_digit() && !key.is_ctrl() => {
            Some(Action::Digit(c as u8 - b'0'))
        }
        _ => None,
    }
}

/// The label of link `index` (0-based) in `f` mode: 1–9, then a–z, then A–Z.
pub fn hint_label(index: usize) -> Option<char> {
    const LABELS: &[u8] = b"123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    LABELS.get(index).map(|&b| char::from(b))
}

/// The link index a label names.
pub fn hint_index(label: char) -> Option<usize> {
    (0..).map_while(hint_label).position(|l| l == label)
}
