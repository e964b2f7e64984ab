//! End to end: the real binary in a pseudo-terminal, refreshing from a loopback server.
//! It reads the screen through a VT parser, moves, opens an article, quits, then asks
//! `coopnews list --json` whether the article is read. Every wait is bounded.
//!
//! With `COOPNEWS_SCREENSHOT=path` the reader's screen is also written there as text
//! (that is how `docs/screenshot.txt` is made).

mod common;

use std::io::{Read, Write};
use std::num::NonZero;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::{Reply, Server};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const DEADLINE: Duration = Duration::from_secs(20);
const BIN: &str = env!("CARGO_BIN_EXE_coopnews");

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

struct Screen(Arc<Mutex<vt100::Parser>>);

impl Screen {
    fn text(&self) -> String {
        self.0.lock().unwrap().screen().contents()
    }

    /// Wait until `needle` is on screen, or fail showing what is.
    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "`{needle}` did not appear within {DEADLINE:?}; the screen:\n{}",
            self.text()
        );
    }
}

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

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut command = CommandBuilder::new(BIN);
    command.args([
        "--config",
        config.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    command.env("TERM", "xterm-256color");
    command.env("NO_PROXY", "127.0.0.1");
    command.env_remove("NO_COLOR");
    command.cwd(dir.path());
    let mut child = pty.slave.spawn_command(command).expect("start coopnews");
    drop(pty.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZero::new(30).unwrap(),
        NonZero::new(100).unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    {
        let parser = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
            }
        });
    }
    let mut keys = pty.master.take_writer().unwrap();
    let mut press = |k: &str| {
        keys.write_all(k.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    };
    let screen = Screen(parser);

    // The refresh on start fills the list; newest first.
    screen.wait_for("Loopback Coop");
    screen.wait_for("Cooperative Day in Bologna");
    screen.wait_for("refreshed 1");
    // Down to the second article and open it.
    press("j");
    press("\r");
    screen.wait_for("L'assemblea approva il bilancio");
    screen.wait_for("87 nuovi soci");
    if let Some(path) = std::env::var_os("COOPNEWS_SCREENSHOT") {
        std::fs::write(path, screen.text()).unwrap();
    }
    // Help overlay, and back.
    press("?");
    screen.wait_for("next unread, across subscriptions");
    press("\x1b");
    press("q");

    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < DEADLINE, "coopnews did not quit on q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");

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
