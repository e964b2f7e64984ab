//! The configuration: the shipped default parses, and every bad file fails naming file,
//! line, column and key.

use coopnews::config::{Config, ConfigError, DEFAULT_CONFIG};
use coopnews::model::Source;

fn error(text: &str) -> String {
    match Config::parse(text, "test.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn shipped_default_parses_and_follows_the_organisations() {
    let config = Config::parse(DEFAULT_CONFIG, "config/coopnews.toml").expect("default parses");
    let names: Vec<String> = config.feeds.iter().map(|f| f.display_name()).collect();
    for org in [
        "CECOP",
        "CICOPA",
        "Legacoop",
        "ILO",
        "ICA",
        "COCETA",
        "Coopaname",
        "workers.coop",
        "Co-op News",
    ] {
        assert!(
            names.iter().any(|n| n.contains(org)),
            "{org} missing from {names:?}"
        );
    }
    assert!(
        config
            .feeds
            .iter()
            .any(|f| matches!(&f.source, Source::Bluesky(b) if b.actor == "cecop.bsky.social"))
    );
    assert!(
        config.feeds.iter().all(|f| !f.tags.is_empty()),
        "every default feed is tagged"
    );
    assert_eq!(config.concurrency, 16);
    assert_eq!(config.per_host_concurrency, 2);
    assert_eq!(config.refresh_interval.as_secs(), 30 * 60);
}

#[test]
fn defaults_apply_to_an_empty_file() {
    let config = Config::parse("", "empty.toml").unwrap();
    assert!(config.refresh_on_start);
    assert_eq!(config.timeout.as_secs(), 30);
    assert_eq!(config.max_body_size, 16 * 1024 * 1024);
    assert_eq!(config.bluesky_api, "https://public.api.bsky.app");
    assert!(config.feeds.is_empty());
}

#[test]
fn unknown_key_names_file_line_column_and_key() {
    let e = error("concurrency = 4\nrefresh_every = \"5m\"\n");
    assert!(e.starts_with("test.toml:2:1"), "{e}");
    assert!(e.contains("refresh_every"), "{e}");
}

#[test]
fn unknown_key_inside_a_feed() {
    let e = error("[[feeds]]\nurl = \"https://example.org/feed\"\ntitel = \"x\"\n");
    assert!(e.starts_with("test.toml:3:1"), "{e}");
    assert!(e.contains("titel"), "{e}");
}

#[test]
fn wrong_type_names_the_key() {
    let e = error("timeout = \"30s\"\nconcurrency = \"many\"\n");
    assert!(e.starts_with("test.toml:2:15"), "{e}");
    assert!(e.contains("key `concurrency`"), "{e}");
}

#[test]
fn bad_values_are_explained() {
    let e = error("refresh_interval = \"soon\"\n");
    assert!(
        e.contains("test.toml:1:")
            && e.contains("refresh_interval")
            && e.contains("not a duration"),
        "{e}"
    );
    let e = error("per_host_concurrency = 0\n");
    assert!(
        e.contains("per_host_concurrency") && e.contains("out of range"),
        "{e}"
    );
    let e = error("[[feeds]]\nurl = \"javascript:alert(1)\"\n");
    assert!(
        e.contains("test.toml:2:7") && e.contains("only http and https"),
        "{e}"
    );
}

#[test]
fn a_feed_needs_exactly_one_source() {
    let e = error("[[feeds]]\ntitle = \"nothing\"\n");
    assert!(
        e.starts_with("test.toml:1:") && e.contains("exactly one of `url`, `bluesky` or `page`"),
        "{e}"
    );
    let e = error("[[feeds]]\nurl = \"https://a.example/\"\nbluesky = \"a.bsky.social\"\n");
    assert!(e.contains("exactly one"), "{e}");
}

#[test]
fn page_keys_belong_to_pages() {
    let e = error("[[feeds]]\nurl = \"https://a.example/\"\nitem = \"article\"\n");
    assert!(
        e.contains("key `feeds.item`") && e.contains("only applies to `page`"),
        "{e}"
    );
    // Selectors are optional overrides: without them the items are detected.
    for text in [
        "[[feeds]]\npage = \"https://a.example/news\"\n",
        "[[feeds]]\npage = \"https://a.example/news\"\nitem = \"article\"\n",
        "[[feeds]]\npage = \"https://a.example/news\"\nitem_date = \"time@datetime\"\n",
    ] {
        assert!(Config::parse(text, "test.toml").is_ok(), "{text}");
    }
    let e = error(
        "[[feeds]]\npage = \"https://a.example/news\"\nitem = \"article\"\nitem_title = \"h3[\"\nitem_link = \"a@href\"\n",
    );
    assert!(
        e.starts_with("test.toml:1:") && e.contains("invalid selector `h3[` in item_title"),
        "{e}"
    );
}

#[test]
fn duplicate_subscriptions_are_reported() {
    let text = "[[feeds]]\nurl = \"https://www.cicopa.coop/\"\n\n[[feeds]]\nurl = \"https://www.cicopa.coop\"\n";
    let e = error(text);
    assert!(e.starts_with("test.toml:4:"), "{e}");
    assert!(e.contains("already subscribed at line 1"), "{e}");
    let text = "[[feeds]]\nbluesky = \"cecop.bsky.social\"\n[[feeds]]\nbluesky = \"https://bsky.app/profile/CECOP.bsky.social\"\n";
    assert!(error(text).contains("already subscribed"));
}

#[test]
fn bluesky_accounts_are_checked_when_the_file_is_read() {
    let e = error("[[feeds]]\nbluesky = \"not a handle!\"\n");
    assert!(
        e.contains("key `feeds.bluesky`") && e.contains("not a Bluesky handle"),
        "{e}"
    );
    let e = error("[[feeds]]\nbluesky = \"cecop.bsky.social\"\nfilter = \"everything\"\n");
    assert!(
        e.contains("key `feeds.filter`") && e.contains("posts_no_replies"),
        "{e}"
    );
    let config = Config::parse(
        "[[feeds]]\nbluesky = \"https://bsky.app/profile/CECOP.bsky.social\"\n",
        "t.toml",
    )
    .unwrap();
    assert_eq!(config.feeds[0].source.key(), "bluesky:cecop.bsky.social");
}

#[test]
fn file_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let e = Config::load(&missing).unwrap_err();
    assert!(matches!(e, ConfigError::Read { .. }));
    assert!(e.to_string().contains("missing.toml"));

    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(
        &latin1,
        b"[[feeds]]\nurl = \"https://a.example/\"\ntitle = \"Soci\xe9t\xe9\"\n",
    )
    .unwrap();
    let e = Config::load(&latin1).unwrap_err().to_string();
    assert!(e.contains("latin1.toml") && e.contains("not UTF-8"), "{e}");
}

#[test]
fn bluesky_and_page_settings() {
    let config = Config::parse(
        "[[feeds]]\nbluesky = \"did:plc:abc\"\nfilter = \"posts_no_replies\"\nmax_pages = 5\n\n\
         [[feeds]]\npage = \"https://www.ilo.org/news\"\nitem = \"article\"\nitem_title = \"h3\"\nitem_link = \"a@href\"\n",
        "t.toml",
    )
    .unwrap();
    match &config.feeds[0].source {
        Source::Bluesky(b) => assert_eq!((b.filter.as_str(), b.max_pages), ("posts_no_replies", 5)),
        other => panic!("{other:?}"),
    }
    match &config.feeds[1].source {
        Source::Page(p) => assert_eq!((p.item.as_deref(), p.full_text), (Some("article"), false)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn key_bindings_are_checked_with_their_line() {
    let e = error("[keys]\nquit = \"Q\"\nfly = \"f\"\n");
    assert!(e.starts_with("test.toml:3:1: key `keys.fly`"), "{e}");
    assert!(e.contains("not an action"), "{e}");
    let e = error("[keys]\n  down = [\"j\", \"ctrl+\"]\n");
    assert!(e.starts_with("test.toml:2:3: key `keys.down`"), "{e}");
    let config =
        Config::parse("[keys]\nquit = \"Q\"\ndown = [\"j\", \"down\"]\n", "t.toml").unwrap();
    assert_eq!(config.keys["quit"], ["Q"]);
}

#[test]
fn reader_settings_default_on_and_mark_read_after_takes_never() {
    let config = Config::parse("", "test.toml").unwrap();
    assert_eq!(
        config.mark_read_after,
        Some(std::time::Duration::from_secs(3))
    );
    assert!(config.mouse && config.hyperlinks);
    let config = Config::parse(
        "mark_read_after = \"never\"\nmouse = false\nhyperlinks = false\n",
        "test.toml",
    )
    .unwrap();
    assert_eq!(config.mark_read_after, None);
    assert!(!config.mouse && !config.hyperlinks);
    let message = error("mark_read_after = \"soon\"\n");
    assert!(
        message.contains("test.toml:1") && message.contains("`soon` is not a duration"),
        "{message}"
    );
}
