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
</channel></rss>"#;

fn coopnews(config: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
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
            "refresh_on_start = true\n\n[[feeds]]\nurl = \"{}\"\ntitle = \"Loopback Coop\"\ntags = [\"coop\"]\n",
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
