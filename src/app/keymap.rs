//! Keys → actions, as data: the default bindings, `[keys]` overrides from the
//! configuration, and the help text the overlay shows for the bindings in force.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// One bindable command: its name in `[keys]`, what it does, and its default keys.
struct Command {
    name: &'static str,
    action: Action,
    help: &'static str,
    keys: &'static [&'static str],
}

const fn cmd(
    name: &'static str,
    action: Action,
    help: &'static str,
    keys: &'static [&'static str],
) -> Command {
    Command {
        name,
        action,
        help,
        keys,
    }
}

/// Every command; the help overlay lists them under `GROUPS`.
const COMMANDS: &[Command] = &[
    cmd("down", Action::Down, "move down", &["j", "Down"]),
    cmd("up", Action::Up, "move up", &["k", "Up"]),
    cmd(
        "pane_left",
        Action::PaneLeft,
        "pane to the left",
        &["h", "Left"],
    ),
    cmd(
        "pane_right",
        Action::PaneRight,
        "pane to the right",
        &["l", "Right"],
    ),
    cmd("next_pane", Action::NextPane, "next pane", &["Tab"]),
    cmd("open", Action::Open, "open (marks read)", &["Enter"]),
    cmd(
        "page_down",
        Action::ScrollDown,
        "scroll the reader down",
        &["Space", "PageDown"],
    ),
    cmd(
        "page_up",
        Action::ScrollUp,
        "scroll the reader up",
        &["b", "PageUp"],
    ),
    cmd("top", Action::Top, "go to the top", &["g", "Home"]),
    cmd("bottom", Action::Bottom, "go to the bottom", &["G", "End"]),
    cmd(
        "next_unread",
        Action::NextUnread,
        "next unread, across subscriptions",
        &["n"],
    ),
    cmd("prev_unread", Action::PrevUnread, "previous unread", &["N"]),
    cmd("toggle_read", Action::ToggleRead, "toggle read", &["m"]),
    cmd(
        "mark_all_read",
        Action::MarkAllRead,
        "mark everything in view read",
        &["A"],
    ),
    cmd("star", Action::ToggleStar, "toggle star", &["s"]),
    cmd(
        "open_link",
        Action::OpenLink,
        "open the link in the browser (3o: link 3)",
        &["o"],
    ),
    cmd(
        "copy_link",
        Action::CopyLink,
        "copy the link (OSC 52)",
        &["y"],
    ),
    cmd(
        "hint_open",
        Action::HintOpen,
        "label the links, then open one",
        &["f"],
    ),
    cmd(
        "hint_copy",
        Action::HintCopy,
        "label the links, then copy one",
        &["F"],
    ),
    cmd(
        "refresh",
        Action::Refresh,
        "refresh this subscription",
        &["r"],
    ),
    cmd(
        "refresh_all",
        Action::RefreshAll,
        "refresh everything",
        &["R"],
    ),
    cmd(
        "filter",
        Action::StartFilter,
        "filter the list by text",
        &["/"],
    ),
    cmd(
        "unread_only",
        Action::ToggleUnreadOnly,
        "show unread only",
        &["u"],
    ),
    cmd("zoom", Action::Zoom, "zoom the reader", &["z"]),
    cmd("tags", Action::TagPicker, "filter the list by tag", &["t"]),
    cmd(
        "languages",
        Action::LanguagePicker,
        "filter the list by language",
        &["L"],
    ),
    cmd("errors", Action::ErrorLog, "log of refresh errors", &["e"]),
    cmd("help", Action::Help, "this help", &["?", "F1"]),
    cmd("quit", Action::Quit, "quit", &["q"]),
    cmd("back", Action::Back, "back, close, clear", &["Esc"]),
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

/// A key as bindings see it: the code and the ctrl/alt modifiers (shift is in the char).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Key {
        let code = match event.code {
            // Terminals report Shift+Tab as BackTab, and some send Tab with SHIFT.
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// `j`, `G`, `ctrl-d`, `alt-x`, `Enter`, `PageDown`, `F1`, `Space`…
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        // A lone "-" is a key, not a modifier separator.
        while rest.len() > 1 {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-").or(lower.strip_prefix("m-")) {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => named(rest).ok_or_else(|| {
                format!(
                    "`{text}` is not a key; write a character (`j`, `G`, `?`), a name (`Enter`, \
                     `Esc`, `Tab`, `Space`, `Up`, `PageDown`, `F1`…) or `ctrl-`/`alt-` before one"
                )
            })?,
        };
        Ok(Key { code, ctrl, alt })
    }

    /// How the help overlay writes this key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            other => format!("{other:?}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (_, true) => format!("Alt-{base}"),
            _ => base,
        }
    }
}

fn named(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "shift-tab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        _ => return None,
    })
}

/// Keys in force and the help lines that describe them.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: HashMap<Key, Action>,
    /// (keys as written for people, description), in command order.
    help: Vec<(String, &'static str)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_config(&BTreeMap::new()).unwrap_or_else(|_| Keymap {
            bindings: HashMap::new(),
            help: Vec::new(),
        })
    }
}

impl Keymap {
    /// The defaults with `[keys]` applied: each named action gets exactly the keys given,
    /// and a key given to one action is taken from any other.
    pub fn from_config(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
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
                bindings.insert(*key, command.action.clone());
            }
            let labels: Vec<String> = keys.iter().map(Key::label).collect();
            help.push((labels.join(" "), command.help));
        }
        Ok(Keymap { bindings, help })
    }

    pub fn action(&self, key: Key) -> Option<Action> {
        self.bindings.get(&key).cloned()
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

    /// The keys bound to `action`, for hints like "? help".
    pub fn keys_for(&self, action: &Action) -> Option<&str> {
        let index = COMMANDS.iter().position(|c| &c.action == action)?;
        let keys = self.help.get(index)?.0.as_str();
        Some(keys.split(' ').next().unwrap_or(keys)).filter(|k| !k.is_empty())
    }
}

impl Key {
    pub fn is_ctrl(&self) -> bool {
        self.ctrl || self.alt
    }
}
