//! The commands keys are bound to, as data: each one's name in `[keys]`, its help, its
//! default keys and its heading in the help overlay; and `[keys]` applied to them.

use std::collections::{BTreeMap, HashMap};

use super::Key;

/// What a key can be bound to. The app maps each to its action (`app::keymap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Down,
    Up,
    PaneLeft,
    PaneRight,
    NextPane,
    Open,
    ScrollDown,
    ScrollUp,
    Top,
    Bottom,
    NextUnread,
    PrevUnread,
    ToggleRead,
    MarkAllRead,
    ToggleStar,
    OpenLink,
    CopyLink,
    HintOpen,
    HintCopy,
    Refresh,
    RefreshAll,
    StartFilter,
    ToggleUnreadOnly,
    Zoom,
    TagPicker,
    LanguagePicker,
    ErrorLog,
    Help,
    Quit,
    Back,
}

/// One bindable command: its name in `[keys]`, what it does, and its default keys.
struct Spec {
    name: &'static str,
    command: Command,
    help: &'static str,
    keys: &'static [&'static str],
}

const fn cmd(
    name: &'static str,
    command: Command,
    help: &'static str,
    keys: &'static [&'static str],
) -> Spec {
    Spec {
        name,
        command,
        help,
        keys,
    }
}

/// Every command; the help overlay lists them under `GROUPS`.
const COMMANDS: &[Spec] = &[
    cmd("down", Command::Down, "move down", &["j", "Down"]),
    cmd("up", Command::Up, "move up", &["k", "Up"]),
    cmd(
        "pane_left",
        Command::PaneLeft,
        "pane to the left",
        &["h", "Left"],
    ),
    cmd(
        "pane_right",
        Command::PaneRight,
        "pane to the right",
        &["l", "Right"],
    ),
    cmd("next_pane", Command::NextPane, "next pane", &["Tab"]),
    cmd("open", Command::Open, "open (marks read)", &["Enter"]),
    cmd(
        "page_down",
        Command::ScrollDown,
        "scroll the reader down",
        &["Space", "PageDown"],
    ),
    cmd(
        "page_up",
        Command::ScrollUp,
        "scroll the reader up",
        &["b", "PageUp"],
    ),
    cmd("top", Command::Top, "go to the top", &["g", "Home"]),
    cmd("bottom", Command::Bottom, "go to the bottom", &["G", "End"]),
    cmd(
        "next_unread",
        Command::NextUnread,
        "next unread, across subscriptions",
        &["n"],
    ),
    cmd(
        "prev_unread",
        Command::PrevUnread,
        "previous unread",
        &["N"],
    ),
    cmd("toggle_read", Command::ToggleRead, "toggle read", &["m"]),
    cmd(
        "mark_all_read",
        Command::MarkAllRead,
        "mark everything in view read",
        &["A"],
    ),
    cmd("star", Command::ToggleStar, "toggle star", &["s"]),
    cmd(
        "open_link",
        Command::OpenLink,
        "open the link in the browser (3o: link 3)",
        &["o"],
    ),
    cmd(
        "copy_link",
        Command::CopyLink,
        "copy the link (OSC 52)",
        &["y"],
    ),
    cmd(
        "hint_open",
        Command::HintOpen,
        "label the links, then open one",
        &["f"],
    ),
    cmd(
        "hint_copy",
        Command::HintCopy,
        "label the links, then copy one",
        &["F"],
    ),
    cmd(
        "refresh",
        Command::Refresh,
        "refresh this subscription",
        &["r"],
    ),
    cmd(
        "refresh_all",
        Command::RefreshAll,
        "refresh everything",
        &["R"],
    ),
    cmd(
        "filter",
        Command::StartFilter,
        "filter the list by text",
        &["/"],
    ),
    cmd(
        "unread_only",
        Command::ToggleUnreadOnly,
        "show unread only",
        &["u"],
    ),
    cmd("zoom", Command::Zoom, "zoom the reader", &["z"]),
    cmd("tags", Command::TagPicker, "filter the list by tag", &["t"]),
    cmd(
        "languages",
        Command::LanguagePicker,
        "filter the list by language",
        &["L"],
    ),
    cmd("errors", Command::ErrorLog, "log of refresh errors", &["e"]),
    cmd("help", Command::Help, "this help", &["?", "F1"]),
    cmd("quit", Command::Quit, "quit", &["q"]),
    cmd("back", Command::Back, "back, close, clear", &["Esc"]),
];

/// The help overlay's headings (their catalogue key under `group.` and their English), in
/// order, and the commands under each. The catalogue has each command's help under `keys.`.
const GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "everywhere",
        "Everywhere",
        &["help", "quit", "back", "errors", "refresh_all"],
    ),
    (
        "moving",
        "Moving (any pane)",
        &[
            "down",
            "up",
            "top",
            "bottom",
            "pane_left",
            "pane_right",
            "next_pane",
            "open",
        ],
    ),
    (
        "article",
        "Article (the list's row, or the reader's article)",
        &[
            "open_link",
            "copy_link",
            "toggle_read",
            "star",
            "next_unread",
            "prev_unread",
        ],
    ),
    (
        "list",
        "List",
        &[
            "filter",
            "tags",
            "languages",
            "unread_only",
            "mark_all_read",
            "refresh",
        ],
    ),
    (
        "reader",
        "Reader",
        &["page_down", "page_up", "hint_open", "hint_copy", "zoom"],
    ),
];

/// Keys in force, the commands they run, and the help lines that describe them.
#[derive(Debug, Clone, PartialEq)]
pub struct Bindings {
    bindings: HashMap<Key, Command>,
    /// (keys as written for people, description), in command order.
    help: Vec<(String, &'static str)>,
}

impl Default for Bindings {
    fn default() -> Self {
        Bindings::from_config(&BTreeMap::new()).unwrap_or_else(|_| Bindings {
            bindings: HashMap::new(),
            help: Vec::new(),
        })
    }
}

impl Bindings {
    /// The defaults with `[keys]` applied: each named action gets exactly the keys given,
    /// and a key given to one action is taken from any other.
    pub fn from_config(overrides: &BTreeMap<String, Vec<String>>) -> Result<Bindings, String> {
        let mut keys_of: Vec<Vec<Key>> = Vec::with_capacity(COMMANDS.len());
        for command in COMMANDS {
            let keys = command
                .keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<_, _>>()?;
            keys_of.push(keys);
        }
        for (name, keys) in overrides {
            let index = COMMANDS
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
                    format!(
                        "[keys]: `{name}` is not an action; known actions: {}",
                        names.join(", ")
                    )
                })?;
            let parsed: Vec<Key> = keys
                .iter()
                .map(|k| Key::parse(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<_, _>>()?;
            for (other, other_keys) in keys_of.iter_mut().enumerate() {
                if other != index {
                    other_keys.retain(|k| !parsed.contains(k));
                }
            }
            keys_of[index] = parsed;
        }
        let mut bindings = HashMap::new();
        let mut help = Vec::with_capacity(COMMANDS.len());
        for (command, keys) in COMMANDS.iter().zip(&keys_of) {
            for key in keys {
                bindings.insert(*key, command.command);
            }
            let labels: Vec<String> = keys.iter().map(Key::label).collect();
            help.push((labels.join(" "), command.help));
        }
        Ok(Bindings { bindings, help })
    }

    pub fn command(&self, key: Key) -> Option<Command> {
        self.bindings.get(&key).copied()
    }

    /// (keys, description) for every command, in order; unbound commands show no keys.
    pub fn help(&self) -> &[(String, &'static str)] {
        &self.help
    }

    /// The help lines under their headings (see `GROUPS`); every command is under one.
    pub fn help_by_group(&self) -> Vec<(&'static str, Vec<&(String, &'static str)>)> {
        GROUPS
            .iter()
            .map(|(_, heading, names)| {
                let lines = names
                    .iter()
                    .filter_map(|name| COMMANDS.iter().position(|c| c.name == *name))
                    .filter_map(|index| self.help.get(index))
                    .collect();
                (*heading, lines)
            })
            .collect()
    }

    /// Like `help_by_group`, by names for the catalogue: (group key, [(keys, command name)]).
    pub fn help_by_name(&self) -> Vec<(&'static str, Vec<(&str, &'static str)>)> {
        GROUPS
            .iter()
            .map(|(group, _, names)| {
                let lines = names
                    .iter()
                    .filter_map(|name| {
                        let index = COMMANDS.iter().position(|c| c.name == *name)?;
                        Some((self.help.get(index)?.0.as_str(), COMMANDS[index].name))
                    })
                    .collect();
                (*group, lines)
            })
            .collect()
    }

    /// Every command's name in `[keys]` and its English help, for the catalogue tests.
    pub fn command_help() -> impl Iterator<Item = (&'static str, &'static str)> {
        COMMANDS.iter().map(|c| (c.name, c.help))
    }

    /// The keys bound to `command`, for hints like "? help".
    pub fn keys_for(&self, command: Command) -> Option<&str> {
        let index = COMMANDS.iter().position(|c| c.command == command)?;
        let keys = self.help.get(index)?.0.as_str();
        Some(keys.split(' ').next().unwrap_or(keys)).filter(|k| !k.is_empty())
    }
}

/// Every command, in the help's order.
pub fn all() -> impl Iterator<Item = Command> {
    COMMANDS.iter().map(|c| c.command)
}
