//! Keys → actions: the bindings in force (`keys::Bindings`, defaults and `[keys]`), each
//! command mapped to the action it asks for, and the help the overlay shows.

use std::collections::BTreeMap;

use super::action::Action;
pub use crate::keys::Key;
use crate::keys::{self, Bindings, Command};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keymap {
    bindings: Bindings,
}

impl Keymap {
    /// The defaults with `[keys]` applied (see [`Bindings::from_config`]).
    pub fn from_config(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        Bindings::from_config(overrides).map(|bindings| Keymap { bindings })
    }

    pub fn action(&self, key: Key) -> Option<Action> {
        self.bindings.command(key).map(action_of)
    }

    /// (keys, description) for every command, in order; unbound commands show no keys.
    pub fn help(&self) -> &[(String, &'static str)] {
        self.bindings.help()
    }

    /// The help lines under their headings; every command is under one.
    pub fn help_by_group(&self) -> Vec<(&'static str, Vec<&(String, &'static str)>)> {
        self.bindings.help_by_group()
    }

    /// Like `help_by_group`, by names for the catalogue: (group key, [(keys, command name)]).
    pub fn help_by_name(&self) -> Vec<(&'static str, Vec<(&str, &'static str)>)> {
        self.bindings.help_by_name()
    }

    /// Every command's name in `[keys]` and its English help, for the catalogue tests.
    pub fn command_help() -> impl Iterator<Item = (&'static str, &'static str)> {
        Bindings::command_help()
    }

    /// The keys bound to `action`, for hints like "? help".
    pub fn keys_for(&self, action: &Action) -> Option<&str> {
        let command = keys::all_commands().find(|c| action_of(*c) == *action)?;
        self.bindings.keys_for(command)
    }
}

/// The action each command asks for.
fn action_of(command: Command) -> Action {
    match command {
        Command::Down => Action::Down,
        Command::Up => Action::Up,
        Command::PaneLeft => Action::PaneLeft,
        Command::PaneRight => Action::PaneRight,
        Command::NextPane => Action::NextPane,
        Command::Open => Action::Open,
        Command::ScrollDown => Action::ScrollDown,
        Command::ScrollUp => Action::ScrollUp,
        Command::Top => Action::Top,
        Command::Bottom => Action::Bottom,
        Command::NextUnread => Action::NextUnread,
        Command::PrevUnread => Action::PrevUnread,
        Command::ToggleRead => Action::ToggleRead,
        Command::MarkAllRead => Action::MarkAllRead,
        Command::ToggleStar => Action::ToggleStar,
        Command::OpenLink => Action::OpenLink,
        Command::CopyLink => Action::CopyLink,
        Command::HintOpen => Action::HintOpen,
        Command::HintCopy => Action::HintCopy,
        Command::Refresh => Action::Refresh,
        Command::RefreshAll => Action::RefreshAll,
        Command::StartFilter => Action::StartFilter,
        Command::ToggleUnreadOnly => Action::ToggleUnreadOnly,
        Command::Zoom => Action::Zoom,
        Command::TagPicker => Action::TagPicker,
        Command::LanguagePicker => Action::LanguagePicker,
        Command::ErrorLog => Action::ErrorLog,
        Command::Help => Action::Help,
        Command::Quit => Action::Quit,
        Command::Back => Action::Back,
    }
}
