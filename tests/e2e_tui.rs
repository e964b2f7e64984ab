//! End to end: the real binary in a pseudo-terminal, refreshing from a loopback server.
//! It reads the screen through a VT parser, moves, opens an article, quits, then asks
//! `coopnews list --json` whether the article is read. Every wait is bounded.
//!
//! With `COOPNEWS_SCREENSHOT=path` the reader's screen is also written there as text
//! (that is how `docs/screenshot.txt` is made).

mod common;

use std::path::Path;

use common::pty::{BIN, Session};
use common::server::{Reply, Server};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Loopback Coop</title><link>http://127.0.0.1/</link><description>test</description>
<item><title>Cooperative Day in Bologna</title><link>http://127.0.0.1/bologna</link>
<guid>bologna</guid><pubDate>Fri, 14 Mar 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The cooperatives of Bologna open their doors.&lt;/p&gt;</description></item>
<item><title>Società cooperativa: bilancio approvato</title><link>http://127.0.0.1/bilancio</link>
<guid>bilancio</guid><pubDate>Thu, 13 Mar 2025 09:00:00 GMT</pubDate>
<description>&lt;p&gt;L'assemblea approva il bilancio con il 92% dei voti. Caffè per tutti.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Fatturato +12%&lt;/li&gt;&lt;li&gt;87 nuovi soci&lt;/li&gt;&lt;/ul&gt;</description></item>
<item><title>Worker co-ops grow 🌍</title><link>http://127.0.0.1/grow</link>
<guid>grow</guid><pubDate>Wed, 12 Mar 2025 08:00:00 GMT</pubDate>
<description>Steady growth.</description></item>
<item><title>A long report</title><link>http://127.0.0.1/report</link>
<guid>report</guid><pubDate>Tue, 11 Mar 2025 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Para-01&lt;/p&gt;&lt;p&gt;Para-02&lt;/p&gt;&lt;p&gt;Para-03&lt;/p&gt;&lt;p&gt;Para-04&lt;/p&gt;&lt;p&gt;Para-05&lt;/p&gt;&lt;p&gt;Para-06&lt;/p&gt;&lt;p&gt;Para-07&lt;/p&gt;&lt;p&gt;Para-08&lt;/p&gt;&lt;p&gt;Para-09&lt;/p&gt;&lt;p&gt;Para-10&lt;/p&gt;&lt;p&gt;Para-11&lt;/p&gt;&lt;p&gt;Para-12&lt;/p&gt;&lt;p&gt;Para-13&lt;/p&gt;&lt;p&gt;Para-14&lt;/p&gt;&lt;p&gt;Para-15&lt;/p&gt;&lt;p&gt;Para-16&lt;/p&gt;&lt;p&gt;Para-17&lt;/p&gt;&lt;p&gt;Para-18&lt;/p&gt;&lt;p&gt;Para-19&lt;/p&gt;&lt;p&gt;Para-20&lt;/p&gt;</description></item>
</channel></rss>"#;

fn coopnews(config: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    common::in_english(&mut std::process::Command::new(BIN))
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .expect("run coopnews")
}

#[test]
fn open_an_article_in_the_reader_and_it_stays_read() {
    let server = Server::start(|request| match request.route() {
        "/feed.xml" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let data = dir.path().join("data");
    std::fs::write(
        &config,
        format!(
            "refresh_on_start = true\nmark_read_after = \"never\"\n\n[[feeds]]\nurl = \"{}\"\ntitle = \"Loopback Coop\"\ntags = [\"coop\"]\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();

    let (config_arg, data_arg) = (config.to_str().unwrap(), data.to_str().unwrap());
    let mut screen = Session::start(
        &["--config", config_arg, "--data-dir", data_arg],
        &[],
        dir.path(),
        100,
        30,
    );
    // The refresh on start fills the list; newest first.
    screen.wait_for("Loopback Coop");
    screen.wait_for("Cooperative Day in Bologna");
    screen.wait_for("refreshed 1");
    // Down to the second article and open it.
    screen.press("j");
    screen.press("\r");
    screen.wait_for("L'assemblea approva il bilancio");
    screen.wait_for("87 nuovi soci");
    if let Some(path) = std::env::var_os("COOPNEWS_SCREENSHOT") {
        std::fs::write(path, screen.text()).unwrap();
    }
    // Help overlay, and back.
    screen.press("?");
    screen.wait_for("next unread, across subscriptions");
    screen.press("\x1b");
    screen.press("q");

    assert_eq!(screen.wait_exit(), 0, "coopnews quits cleanly on q");

    let output = coopnews(&config, &data, &["list", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let articles: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let articles = articles.as_array().expect("an array of articles");
    let read_of = |title: &str| {
        articles
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("`{title}` not listed: {articles:?}"))["read"]
            .as_bool()
    };
    assert_eq!(
        read_of("Società cooperativa: bilancio approvato"),
        Some(true)
    );
    assert_eq!(read_of("Cooperative Day in Bologna"), Some(false));
    assert_eq!(read_of("Worker co-ops grow 🌍"), Some(false));
}

/// A reader on the test feed with a stub browser that writes its arguments to a file, in
/// a `cols`×`rows` terminal; `mark_read_after = "never"` so previews leave marks alone.
struct Reader {
    screen: Session,
    browser_args: std::path::PathBuf,
    _server: Server,
    _dir: tempfile::TempDir,
}

fn reader(cols: u16, rows: u16) -> Reader {
    let server = Server::start(|request| match request.route() {
        "/feed.xml" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let browser_args = dir.path().join("browser-args");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n",
            browser_args.display()
        ),
    )
    .unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "browser = [\"sh\", \"{}\"]\nmark_read_after = \"never\"\n\n[[feeds]]\nurl = \"{}\"\ntitle = \"Loopback Coop\"\n",
            browser.display(),
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    let screen = Session::start(
        &[
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &[],
        dir.path(),
        cols,
        rows,
    );
    screen.wait_for("refreshed 1");
    Reader {
        screen,
        browser_args,
        _server: server,
        _dir: dir,
    }
}

impl Reader {
    /// The addresses the browser was started with so far, once there are `count`.
    fn opened(&self, count: usize) -> Vec<String> {
        let start = std::time::Instant::now();
        loop {
            let text = std::fs::read_to_string(&self.browser_args).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(String::from).collect();
            if lines.len() >= count || start.elapsed() > common::pty::DEADLINE {
                return lines;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// The reader pane's part of the screen (below the list at 100×30).
fn reader_pane(screen: &Session) -> String {
    screen
        .text()
        .lines()
        .skip(12)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn moving_down_shows_the_article_in_the_reader_and_o_opens_its_link() {
    let mut r = reader(100, 30);
    r.screen
        .wait_for("The cooperatives of Bologna open their doors.");
    r.screen.press("j");
    r.screen.wait_for("L'assemblea approva il bilancio");
    assert!(!r.screen.text().contains("Bologna open their doors"));
    r.screen.press("o");
    assert_eq!(r.opened(1), ["http://127.0.0.1/bilancio"]);
    r.screen.press("j");
    r.screen.wait_for("Steady growth.");
    r.screen.press("o");
    assert_eq!(
        r.opened(2),
        ["http://127.0.0.1/bilancio", "http://127.0.0.1/grow"]
    );
    r.screen.press("q");
    assert_eq!(r.screen.wait_exit(), 0);
}

#[test]
fn o_after_a_filter_opens_the_filtered_article() {
    let mut r = reader(100, 30);
    r.screen
        .wait_for("The cooperatives of Bologna open their doors.");
    r.screen.press("/");
    r.screen.press("grow");
    r.screen.press("\r");
    r.screen.wait_for("Steady growth.");
    r.screen.press("o");
    assert_eq!(r.opened(1), ["http://127.0.0.1/grow"]);
    r.screen.press("q");
    assert_eq!(r.screen.wait_exit(), 0);
}

#[test]
fn a_click_selects_a_row_and_the_wheel_scrolls_the_reader() {
    let mut r = reader(100, 30);
    r.screen
        .wait_for("The cooperatives of Bologna open their doors.");
    // SGR mouse reports, 1-based: a left click on the list's fourth row (screen row 4),
    // then the wheel down over the reader.
    r.screen.press("\x1b[<0;40;5M\x1b[<0;40;5m");
    r.screen.wait_for("Para-01");
    assert!(reader_pane(&r.screen).contains("Para-01"));
    for _ in 0..3 {
        r.screen.press("\x1b[<65;50;20M");
    }
    let start = std::time::Instant::now();
    while reader_pane(&r.screen).contains("Para-01") && start.elapsed() < common::pty::DEADLINE {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pane = reader_pane(&r.screen);
    assert!(
        !pane.contains("Para-01") && pane.contains("Para-09"),
        "{pane}"
    );
    // A click on the selected row opens it, as Enter does.
    r.screen.press("\x1b[<0;40;5M\x1b[<0;40;5m");
    r.screen.press("o");
    assert_eq!(r.opened(1), ["http://127.0.0.1/report"]);
    r.screen.press("q");
    assert_eq!(r.screen.wait_exit(), 0);
}
