//! The reader in each language: snapshots at 120×40 (the panes with an article open, and
//! the help screen), dates in the list, and a check at 60×20 that every label drawn keeps
//! its words whole wherever the English one does.

mod common;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use coopnews::app::{Action, FeedInfo, Keymap, Page, State, update};
use coopnews::i18n::Lang;
use coopnews::model::{ArticleRow, StoredArticle};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap() // a Friday
}

fn feeds() -> Vec<FeedInfo> {
    let feed = |id, title: &str, tags: &[&str], unread, error: Option<&str>| FeedInfo {
        id,
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        unread,
        error: error.map(String::from),
    };
    vec![
        feed(1, "Legacoop Notizie", &["coop"], 2, None),
        feed(2, "Coopaname", &["coop"], 1, None),
        feed(
            3,
            "Broken Feed",
            &["coop"],
            0,
            Some("server answered HTTP 503"),
        ),
    ]
}

fn rows() -> Vec<ArticleRow> {
    let row = |id, feed_id, title: &str, hours: i64, read: bool| ArticleRow {
        id,
        feed_id,
        title: title.into(),
        published: now() - Duration::hours(hours),
        read,
        starred: false,
    };
    vec![
        row(1, 1, "Assemblea: approvato il bilancio", 1, false),
        row(2, 2, "Coopérative d'activité et d'emploi", 24 * 2, false),
        row(3, 1, "Cooperative sociali a Bologna", 24 * 20, false),
        row(4, 2, "Rapport annuel", 24 * 400, true),
    ]
}

fn article() -> StoredArticle {
    StoredArticle {
        id: 1,
        feed_id: 1,
        feed: "Legacoop Notizie".into(),
        title: "Assemblea: approvato il bilancio".into(),
        link: Some("https://www.legacoop.coop/notizie/assemblea".into()),
        author: None,
        published: now() - Duration::hours(1),
        read: true,
        starred: false,
        text: String::new(),
        links: vec![],
        html: Some(
            "<p>Il <a href=\"https://www.legacoop.coop/bilancio\">bilancio</a> e il \
             <a href=\"https://www.legacoop.coop/assemblea\">resoconto</a>.</p>"
                .into(),
        ),
        language: None,
    }
}

fn state(lang: Lang, width: u16, height: u16, rows: Vec<ArticleRow>) -> State {
    let mut state = State::new(
        now(),
        FixedOffset::east_opt(3600).unwrap(),
        Keymap::default(),
    );
    state.lang = lang;
    update(&mut state, Action::Resize { width, height });
    common::app::feeds_loaded(&mut state, feeds(), 1, Vec::new());
    let generation = state.list.generation;
    update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: true,
            rows,
            exhausted: true,
        }),
    );
    state
}

fn open(state: &mut State) {
    update(state, Action::Open);
    update(state, Action::ArticleLoaded(Box::new(article())));
}

fn draw(state: &State) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|frame| coopnews::ui::draw(frame, state))
        .unwrap();
    terminal
}

/// The screen as text, a line per row (the blank half of a wide character left out).
fn text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            x += (unicode_width::UnicodeWidthStr::width(symbol) as u16).max(1);
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_reader_in_each_language_at_120x40() {
    for lang in Lang::ALL {
        let mut state = state(lang, 120, 40, rows());
        open(&mut state);
        insta::assert_snapshot!(format!("reader_{}", lang.code()), draw(&state).backend());
    }
}

#[test]
fn the_help_screen_in_each_language_at_120x40() {
    for lang in Lang::ALL {
        let mut state = state(lang, 120, 40, rows());
        update(&mut state, Action::Help);
        let terminal = draw(&state);
        insta::assert_snapshot!(format!("help_{}", lang.code()), terminal.backend());
        // The keys are the same in every language.
        let screen = text(&terminal);
        for keys in [" j ↓ ", " ? F1 ", " q ", " Space PgDn "] {
            assert!(screen.contains(keys), "{lang:?}: {keys}\n{screen}");
        }
    }
}

#[test]
fn list_dates_follow_the_language() {
    let utc = FixedOffset::east_opt(0).unwrap();
    let at = |m, d| Utc.with_ymd_and_hms(2025, m, d, 9, 0, 0).unwrap();
    let short = |lang, t| coopnews::ui::short_date(t, now(), utc, lang);
    let week: Vec<_> = Lang::ALL.iter().map(|l| short(*l, at(3, 12))).collect();
    assert_eq!(week, ["Wed", "mer", "mer.", "mié."]);
    let year: Vec<_> = Lang::ALL.iter().map(|l| short(*l, at(2, 3))).collect();
    assert_eq!(year, ["3 Feb", "3 feb", "3 févr.", "3 feb."]);
    let older = Utc.with_ymd_and_hms(2024, 6, 28, 9, 0, 0).unwrap();
    for lang in Lang::ALL {
        assert_eq!(short(lang, older), "2024-06-28");
    }
}

/// The words of a catalogue text, placeholders and punctuation left out.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !w.contains('{'))
        .map(|w| {
            w.trim_matches(|c: char| "()[];:,.!?¿«»\"'…/".contains(c))
                .to_string()
        })
        .filter(|w| w.chars().count() > 1)
        .collect()
}

/// Keys whose text is drawn on `screen` in English but loses a word in `lang`.
fn cut(screens: &dyn Fn(Lang) -> String, keys: &[&str], lang: Lang) -> Vec<String> {
    let english = screens(Lang::En);
    let theirs = screens(lang);
    let mut problems = Vec::new();
    for key in keys {
        let fits = |screen: &str, lang: Lang| {
            words(lang.t(key))
                .into_iter()
                .filter(|w| !screen.contains(w.as_str()))
                .collect::<Vec<_>>()
        };
        let lost_in_english = fits(&english, Lang::En);
        assert!(
            lost_in_english.is_empty(),
            "{key} is not whole in English either ({lost_in_english:?}):\n{english}"
        );
        let lost = fits(&theirs, lang);
        if !lost.is_empty() {
            problems.push(format!(
                "{}: {key}: {lost:?} missing\n{theirs}",
                lang.code()
            ));
        }
    }
    problems
}

#[test]
fn every_language_fits_the_small_layout_where_english_does() {
    type Scene = (&'static str, fn(Lang) -> String, &'static [&'static str]);
    let scenes: Vec<Scene> = vec![
        (
            "subscriptions",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::PaneLeft);
                text(&draw(&s))
            },
            &[
                "ui.subscriptions",
                "ui.all",
                "ui.unread",
                "ui.starred",
                "status.help",
            ],
        ),
        (
            "list",
            |lang| text(&draw(&state(lang, 60, 20, rows()))),
            &["ui.all", "status.unread.other"],
        ),
        (
            "unread only",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::ToggleUnreadOnly);
                text(&draw(&s))
            },
            &["ui.unread_filter", "msg.unread_only"],
        ),
        (
            "empty list",
            |lang| text(&draw(&state(lang, 60, 20, Vec::new()))),
            &["ui.no_articles"],
        ),
        (
            "empty reader",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::PaneRight);
                text(&draw(&s))
            },
            &["ui.reader", "ui.open_hint"],
        ),
        (
            "article and its links",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                open(&mut s);
                update(&mut s, Action::HintOpen);
                let hints = text(&draw(&s));
                update(&mut s, Action::Back);
                update(&mut s, Action::Bottom);
                format!("{hints}{}", text(&draw(&s)))
            },
            &["ui.hints_open", "msg.open_which", "ui.links"],
        ),
        (
            "help",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::Help);
                let mut screens = String::new();
                for _ in 0..60 {
                    screens.push_str(&text(&draw(&s)));
                    update(&mut s, Action::Down);
                }
                screens
            },
            HELP_KEYS,
        ),
        (
            "error log",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::ErrorLog);
                text(&draw(&s))
            },
            &["overlay.errors_title"],
        ),
        (
            "tag picker",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::TagPicker);
                text(&draw(&s))
            },
            &["picker.tag_title", "picker.all_tags"],
        ),
        (
            "language picker",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::LanguagePicker);
                let languages = vec![(Some("it".to_string()), 3), (None, 1)];
                update(&mut s, Action::LanguagesLoaded(languages));
                text(&draw(&s))
            },
            &["picker.language_title", "picker.all_languages"],
        ),
        (
            "refreshing",
            |lang| {
                let mut s = state(lang, 60, 20, rows());
                update(&mut s, Action::RefreshAll);
                text(&draw(&s))
            },
            &["status.refreshing"],
        ),
    ];
    let mut problems = Vec::new();
    for (name, screens, keys) in &scenes {
        for lang in [Lang::It, Lang::Fr, Lang::Es] {
            for problem in cut(screens, keys, lang) {
                problems.push(format!("[{name}] {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

const HELP_KEYS: &[&str] = &[
    "overlay.help_title",
    "group.everywhere",
    "group.moving",
    "group.article",
    "group.list",
    "group.reader",
    "keys.down",
    "keys.up",
    "keys.pane_left",
    "keys.pane_right",
    "keys.next_pane",
    "keys.open",
    "keys.page_down",
    "keys.page_up",
    "keys.top",
    "keys.bottom",
    "keys.next_unread",
    "keys.prev_unread",
    "keys.toggle_read",
    "keys.mark_all_read",
    "keys.star",
    "keys.open_link",
    "keys.copy_link",
    "keys.hint_open",
    "keys.hint_copy",
    "keys.refresh",
    "keys.refresh_all",
    "keys.filter",
    "keys.unread_only",
    "keys.zoom",
    "keys.tags",
    "keys.languages",
    "keys.errors",
    "keys.help",
    "keys.quit",
    "keys.back",
    "overlay.note_keys",
    "overlay.note_numbers",
    "overlay.note_config",
];
