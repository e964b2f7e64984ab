//! The real binary in other languages: the reader in a pseudo-terminal with
//! `LANG=it_IT.UTF-8`, the headless commands' lines in Italian, French and Spanish, and JSON
//! that does not change with the language. Every wait is bounded; the feed is on loopback.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::pty::{BIN, Session};
use common::server::{Reply, Server};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Loopback Coop</title><link>http://127.0.0.1/</link><description>test</description>
<item><title>Cooperative Day in Bologna</title><link>http://127.0.0.1/bologna</link>
<guid>bologna</guid><pubDate>Fri, 14 Mar 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The cooperatives of &lt;a href="http://127.0.0.1/b"&gt;Bologna&lt;/a&gt; open their doors.&lt;/p&gt;</description></item>
<item><title>Worker co-ops grow</title><link>http://127.0.0.1/grow</link>
<guid>grow</guid><pubDate>Wed, 12 Mar 2025 08:00:00 GMT</pubDate>
<description>Steady growth.</description></item>
</channel></rss>"#;

fn setup(server: &Server, dir: &Path, language: Option<&str>) -> (String, String) {
    let config = dir.join("config.toml");
    let language = language.map_or(String::new(), |l| format!("language = \"{l}\"\n"));
    std::fs::write(
        &config,
        format!(
            "refresh_on_start = true\nmark_read_after = \"never\"\n{language}\n[[feeds]]\nurl = \"{}\"\ntitle = \"Loopback Coop\"\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    let data = dir.join("data");
    (
        config.to_str().unwrap().to_string(),
        data.to_str().unwrap().to_string(),
    )
}

fn serve() -> Server {
    Server::start(|request| match request.route() {
        "/feed.xml" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    })
}

/// `coopnews ARGS` with the locale variables set to `locale` (and nothing else of the
/// machine's locale).
fn run(config: &str, data: &str, locale: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    common::in_english(&mut command)
        .args(["--config", config, "--data-dir", data])
        .args(args)
        .env("NO_PROXY", "127.0.0.1")
        .env("TZ", "UTC")
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY");
    for (key, value) in locale {
        command.env(key, value);
    }
    command.output().expect("run coopnews")
}

#[test]
fn lang_it_shows_italian_in_the_status_bar_and_the_help() {
    let server = serve();
    let dir = tempfile::tempdir().unwrap();
    let (config, data) = setup(&server, dir.path(), None);
    let mut screen = Session::start(
        &["--config", &config, "--data-dir", &data],
        &[("LANG", "it_IT.UTF-8")],
        dir.path(),
        100,
        30,
    );
    screen.wait_for("Cooperative Day in Bologna");
    screen.wait_for("Iscrizioni");
    // The status bar: the refresh's summary, then the selection and the help key.
    screen.wait_for("1 iscrizione aggiornata");
    screen.wait_for("? aiuto");
    screen.press("j");
    screen.wait_for("Tutti · 2 da leggere · 2/2");
    screen.press("?");
    screen.wait_for("Tasti (Esc chiude)");
    screen.wait_for("apri (segna come letto)");
    screen.wait_for("prossimo da leggere");
    // Bindings do not change with the language: q still quits, from the list.
    screen.press("\x1b");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0, "coopnews quits cleanly on q");
}

#[test]
fn headless_output_follows_the_language_and_json_does_not() {
    let server = serve();
    let dir = tempfile::tempdir().unwrap();
    let (config, data) = setup(&server, dir.path(), None);
    let it = [("LANG", "it_IT.UTF-8")];
    let refresh = run(&config, &data, &it, &["refresh"]);
    let log = String::from_utf8_lossy(&refresh.stderr);
    assert!(refresh.status.success(), "{log}");
    assert!(log.contains("Loopback Coop: 2 nuovi"), "{log}");
    assert!(
        log.contains("1 iscrizione in ") && log.contains("(2 nuovi articoli)"),
        "{log}"
    );

    // LANGUAGE comes first, its first known entry wins.
    let fr = [("LANGUAGE", "de:fr_FR:es"), ("LANG", "it_IT.UTF-8")];
    let feeds = run(&config, &data, &fr, &["feeds"]);
    let text = String::from_utf8_lossy(&feeds.stdout);
    assert!(text.contains("dernier succès"), "{text}");
    let marked = run(
        &config,
        &data,
        &[("LC_ALL", "es_ES.UTF-8")],
        &["mark-read", "--all"],
    );
    let text = String::from_utf8_lossy(&marked.stderr);
    assert!(text.contains("2 artículos marcados como leídos"), "{text}");
    let missing = run(&config, &data, &it, &["show", "999"]);
    let text = String::from_utf8_lossy(&missing.stderr);
    assert!(text.contains("nessun articolo con id 999"), "{text}");

    // JSON is the same in every language.
    let english = run(&config, &data, &[], &["list", "--json"]);
    for locale in [it, [("LANG", "fr_FR.UTF-8")], [("LANG", "es_ES.UTF-8")]] {
        let other = run(&config, &data, &locale, &["list", "--json"]);
        assert_eq!(english.stdout, other.stdout, "{locale:?}");
        let feeds_en = run(&config, &data, &[], &["feeds", "--json"]);
        let feeds_other = run(&config, &data, &locale, &["feeds", "--json"]);
        assert_eq!(feeds_en.stdout, feeds_other.stdout, "{locale:?}");
    }
}

#[test]
fn the_configured_language_beats_the_environment() {
    let server = serve();
    let dir = tempfile::tempdir().unwrap();
    let (config, data) = setup(&server, dir.path(), Some("es"));
    let output = run(&config, &data, &[("LANG", "fr_FR.UTF-8")], &["show", "1"]);
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("ningún artículo con id 1"), "{text}");
    // An unknown language is English, without a word about it.
    let (config, _) = setup(&server, dir.path(), Some("de"));
    let output = run(&config, &data, &[], &["show", "1"]);
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        text.trim(),
        "coopnews: no article with id 1; `coopnews list` shows the ids"
    );
}
