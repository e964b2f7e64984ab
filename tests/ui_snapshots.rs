//! The drawn screen, through ratatui's TestBackend at 120×40 and 60×20 with a fixed `now`:
//! Italian text, emoji and flags, CJK, a Bluesky post with its expanded links, a failing
//! subscription. Styles are checked per cell where they carry meaning.

mod common;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use coopnews::app::{Action, FeedInfo, Keymap, Page, Pane, State, update};
use coopnews::model::{ArticleRow, StoredArticle};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap()
}

const ITALIAN_HTML: &str = r#"
<p>L'assemblea della <strong>Società Cooperativa Agricola</strong> ha approvato il bilancio:
un anno di crescita per le 1.200 socie e soci, perché la filiera corta funziona.</p>
<ul><li>Fatturato: +12% rispetto al 2023</li><li>Nuovi soci: 87, di cui 40 under 35</li></ul>
<blockquote><p>«La cooperazione è la risposta più concreta alla crisi», ha detto la presidente.</p></blockquote>
<p>Il <a href="https://www.legacoop.coop/bilancio-2024">bilancio completo</a> e il
<a href="/assemblea">resoconto dell'assemblea</a> sono online. Caffè offerto a tutti ☕.</p>
<p>Escape attempt: <b>ok</b>&#27;[31m not red&#7; &#x202E;reversed?</p>
"#;

const BLUESKY_HTML: &str = r#"<p>Cooperatives build the future 🌍🤝 Read our report on worker co-ops in 🇮🇹 and 🇪🇸:
<a href="https://www.ica.coop/en/media/library/research-and-reviews/world-cooperative-monitor-2024">ica.coop/en/media/library/research-…</a>
#CoopsDay</p>
<blockquote><p><b>World Cooperative Monitor 2024</b><br>Exploring the cooperative economy: the 300 largest cooperatives.<br><a href="https://monitor.coop/">monitor.coop</a></p></blockquote>"#;

fn feeds() -> Vec<FeedInfo> {
    let feed = |id, title: &str, tags: &[&str], unread, error: Option<&str>| FeedInfo {
        id,
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        unread,
        error: error.map(String::from),
    };
    vec![
        feed(1, "Legacoop Notizie", &["coop", "italia"], 3, None),
        feed(2, "ICA 🌍 Bluesky", &["coop"], 1, None),
        feed(
            3,
            "Broken Feed",
            &["coop"],
            0,
            Some(
                "server answered HTTP 503 (Service Unavailable); it will be tried again at the next refresh",
            ),
        ),
        feed(4, "日本生協連", &[], 1, None),
    ]
}

fn rows() -> Vec<ArticleRow> {
    let row = |id, feed_id, title: &str, hours: i64, read: bool, starred: bool| ArticleRow {
        id,
        feed_id,
        title: title.into(),
        published: now() - Duration::hours(hours),
        read,
        starred,
    };
    vec![
        row(
            1,
            1,
            "Società cooperativa: l'assemblea approva il bilancio 2024",
            1,
            false,
            false,
        ),
        row(
            2,
            2,
            "🎉 Coop Day 2025 🇪🇺🇮🇹 — cooperatives build the future",
            3,
            false,
            true,
        ),
        row(
            3,
            4,
            "協同組合の日: 生活協同組合の新しい取り組み",
            30,
            false,
            false,
        ),
        row(
            4,
            1,
            "Cafe\u{301} e cultura: le cooperative sociali a Bologna",
            24 * 20,
            true,
            false,
        ),
        row(
            5,
            1,
            "Un titolo molto lungo che non entra nella colonna e va troncato con i puntini di sospensione",
            24 * 400,
            true,
            false,
        ),
    ]
}

fn article_1() -> StoredArticle {
    StoredArticle {
        id: 1,
        feed_id: 1,
        feed: "Legacoop Notizie".into(),
        title: "Società cooperativa: l'assemblea approva il bilancio 2024".into(),
        link: Some("https://www.legacoop.coop/notizie/assemblea-2024".into()),
        author: Some("Redazione".into()),
        published: now() - Duration::hours(1),
        read: true,
        starred: false,
        text: String::new(),
        links: vec![],
        html: Some(ITALIAN_HTML.into()),
        language: Some("it".into()),
    }
}

fn bluesky_post() -> StoredArticle {
    StoredArticle {
        id: 2,
        feed_id: 2,
        feed: "ICA 🌍 Bluesky".into(),
        title: "🎉 Coop Day 2025 🇪🇺🇮🇹 — cooperatives build the future".into(),
        link: Some("https://bsky.app/profile/ica.coop/post/3kx2".into()),
        author: Some("@ica.coop".into()),
        published: now() - Duration::hours(3),
        read: true,
        starred: true,
        text: String::new(),
        links: vec!["https://www.ica.coop/en/media/library/research-and-reviews/world-cooperative-monitor-2024".into(), "https://monitor.coop/".into()],
        html: Some(BLUESKY_HTML.into()),
        language: None,
    }
}

fn state(width: u16, height: u16) -> State {
    let mut state = State::new(
        now(),
        FixedOffset::east_opt(3600).unwrap(),
        Keymap::default(),
    );
    update(&mut state, Action::Resize { width, height });
    common::app::feeds_loaded(&mut state, feeds(), 1, Vec::new());
    let generation = state.list.generation;
    update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: true,
            rows: rows(),
            exhausted: true,
        }),
    );
    state
}

fn draw(state: &State) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|frame| coopnews::ui::draw(frame, state))
        .unwrap();
    terminal
}

fn open(state: &mut State, article: StoredArticle) {
    update(state, Action::Open);
    update(state, Action::ArticleLoaded(Box::new(article)));
}

/// The cell where `text` starts on the screen.
fn find(terminal: &Terminal<TestBackend>, text: &str) -> (u16, u16) {
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        // The cells a wide character covers hold a blank that is not on screen: skip them,
        // remembering each symbol's column.
        let mut line = String::new();
        let mut columns = Vec::new();
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            columns.push((line.len(), x));
            line.push_str(symbol);
            x += (unicode_width::UnicodeWidthStr::width(symbol) as u16).max(1);
        }
        if let Some(byte) = line.find(text) {
            let x = columns
                .iter()
                .rev()
                .find(|(b, _)| *b <= byte)
                .map_or(0, |c| c.1);
            return (x, y);
        }
    }
    panic!("`{text}` is not on screen:\n{}", terminal.backend());
}

#[test]
fn wide_three_panes_with_an_italian_article_open() {
    let mut state = state(120, 40);
    open(&mut state, article_1());
    let terminal = draw(&state);
    insta::assert_snapshot!("wide_italian", terminal.backend());
    // Unread rows are bold; the opened (now read) one is not.
    let buffer = terminal.backend().buffer();
    let (x, y) = find(&terminal, "協同組合の日");
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&terminal, "12:00 Legacoop");
    let x = x + 6;
    assert!(!buffer[(x, y)].modifier.contains(Modifier::BOLD));
    assert!(
        buffer[(x, y)].modifier.contains(Modifier::REVERSED),
        "selected in the focused list"
    );
    // The failing feed's mark is red.
    let (x, y) = find(&terminal, "! Broken Feed");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    // Nothing a feed sent as a control reached the screen.
    let screen = terminal.backend().to_string();
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}') && !screen.contains('\u{202e}')
    );
}

#[test]
fn wide_with_a_bluesky_post_and_its_expanded_links() {
    let mut state = state(120, 40);
    update(&mut state, Action::Down);
    open(&mut state, bluesky_post());
    update(&mut state, Action::PaneRight);
    let terminal = draw(&state);
    insta::assert_snapshot!("wide_bluesky", terminal.backend());
    let screen = terminal.backend().to_string();
    assert!(screen.contains("[1] https://www.ica.coop/en/media/library/"));
}

#[test]
fn medium_reader_below_the_list() {
    let mut state = state(100, 30);
    open(&mut state, article_1());
    insta::assert_snapshot!("medium_italian", draw(&state).backend());
}

#[test]
fn small_one_pane_at_a_time() {
    let mut state = state(60, 20);
    insta::assert_snapshot!("small_list", draw(&state).backend());
    update(&mut state, Action::Down);
    open(&mut state, bluesky_post());
    assert_eq!(
        state.focus,
        Pane::Reader,
        "the reader comes forward to be seen"
    );
    insta::assert_snapshot!("small_bluesky", draw(&state).backend());
}

#[test]
fn small_failing_subscription_shows_its_error() {
    let mut state = state(60, 20);
    update(&mut state, Action::PaneLeft);
    // Its organisation (its title: no `org` is set), opened, then the subscription in it.
    let org = coopnews::app::SubEntry::Org("Broken Feed".into());
    while *state.selected_entry() != org {
        assert!(state.sub_selected + 1 < state.entries.len(), "no {org:?}");
        update(&mut state, Action::Down);
    }
    update(&mut state, Action::Open);
    update(&mut state, Action::Down);
    assert!(matches!(
        state.selected_entry(),
        coopnews::app::SubEntry::Feed { id: 3, .. }
    ));
    let terminal = draw(&state);
    insta::assert_snapshot!("small_failing_subscriptions", terminal.backend());
    let (x, y) = find(&terminal, "! Broken Feed: server answered HTTP 503");
    assert_eq!(terminal.backend().buffer()[(x + 1, y)].fg, Color::Red);
    update(&mut state, Action::ErrorLog);
    insta::assert_snapshot!("small_error_log", draw(&state).backend());
}

#[test]
fn help_overlay_lists_the_bindings_in_force() {
    let mut keys = std::collections::BTreeMap::new();
    keys.insert("quit".to_string(), vec!["x".to_string()]);
    let mut state = state(120, 40);
    state.keymap = Keymap::from_config(&keys).unwrap();
    update(&mut state, Action::Help);
    let terminal = draw(&state);
    insta::assert_snapshot!("help", terminal.backend());
    let screen = terminal.backend().to_string();
    assert!(screen.contains(" x ") && screen.contains("quit"));
}

#[test]
fn no_color_uses_no_colour() {
    let mut state = state(120, 40);
    state.color = false;
    open(&mut state, article_1());
    let terminal = draw(&state);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn every_size_down_to_one_cell_draws_without_panic() {
    let mut state = state(120, 40);
    update(&mut state, Action::Down);
    open(&mut state, bluesky_post());
    assert!(state.reader.is_some());
    for overlay in [None, Some(Action::Help), Some(Action::ErrorLog)] {
        if let Some(action) = overlay {
            update(&mut state, action);
        }
        for width in (1..=130).step_by(7).chain([39, 40, 41, 59, 60, 119, 120]) {
            for height in (1..=45).step_by(4).chain([9, 10, 11, 19, 20]) {
                update(&mut state, Action::Resize { width, height });
                for focus in [
                    Action::PaneLeft,
                    Action::PaneRight,
                    Action::Zoom,
                    Action::Zoom,
                ] {
                    update(&mut state, focus);
                    draw(&state);
                }
            }
        }
        update(&mut state, Action::Back);
    }
}

#[test]
fn dates_are_short_and_plain() {
    let now = Utc.with_ymd_and_hms(2025, 3, 14, 13, 36, 0).unwrap(); // a Friday
    let utc = FixedOffset::east_opt(0).unwrap();
    let at = |y, m, d, h| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap();
    let short = |t| coopnews::ui::short_date(t, now, utc, coopnews::i18n::Lang::En);
    assert_eq!(short(at(2025, 3, 14, 9)), "09:00");
    assert_eq!(short(at(2025, 3, 10, 9)), "Mon");
    assert_eq!(short(at(2025, 3, 8, 9)), "Sat");
    assert_eq!(short(at(2025, 3, 7, 9)), "7 Mar");
    assert_eq!(short(at(2025, 1, 2, 9)), "2 Jan");
    assert_eq!(short(at(2024, 6, 28, 9)), "2024-06-28");
}

#[test]
fn the_source_column_is_as_wide_as_the_longest_name_up_to_a_quarter() {
    // 160 columns: the list is wide enough for the whole longest name.
    let state = state(160, 40);
    let terminal = draw(&state);
    let (_, y) = find(&terminal, "Legacoop Notizie ");
    let screen = terminal.backend().to_string();
    let line = screen.lines().nth(usize::from(y)).unwrap();
    assert!(
        line.contains("Legacoop Notizie Società cooperativa"),
        "{line}"
    );
    // Narrower, it is cut at a quarter of the pane and the title keeps the rest.
    let state = self::state(120, 40);
    let terminal = draw(&state);
    let (_, y) = find(&terminal, "Legacoop N…");
    let screen = terminal.backend().to_string();
    let line = screen.lines().nth(usize::from(y)).unwrap();
    assert!(!line.contains("Legacoop Notizie"), "{line}");
}

#[test]
fn f_labels_the_links_of_the_shown_article() {
    let mut state = state(120, 40);
    open(&mut state, article_1());
    update(&mut state, Action::HintOpen);
    let terminal = draw(&state);
    let screen = terminal.backend().to_string();
    assert!(screen.contains("Open link (Esc cancels)"), "{screen}");
    assert!(
        screen.contains(" 1 https://www.legacoop.coop/bilancio"),
        "{screen}"
    );
    assert!(
        screen.contains(" 2 https://www.legacoop.coop/assemblea"),
        "{screen}"
    );
}
