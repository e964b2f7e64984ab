//! The reader's logic: state, the messages that change it, keys → actions. Pure: no I/O,
//! no clock, no terminal, so every transition is tested without either.

mod action;
pub mod keymap;
mod navigate;
pub mod orgs;
mod state;
mod update;

pub use action::{Action, Effect, Event, FeedInfo, FeedsSnapshot, FilterEdit, Page};
pub use keymap::{Key, Keymap};
pub use state::{
    ArticleList, OTHER, Overlay, PAGE_SIZE, Pane, Pending, Reader, RefreshState, State, SubEntry,
    build_entries,
};
pub use update::update;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

/// What a key asks for in the current state: text while the filter is edited, digits
/// as a count, else the keymap's binding.
pub fn key_action(state: &State, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let key = Key::from_event(event);
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
