//! The real binary, headless: refresh against a loopback server, then read what it stored
//! through `list --json`, `feeds`, `show` and the read marks; OPML both ways; exit codes.

mod common;

use std::path::Path;

use common::cli::{coopnews, json, setup, stderr, stdout};
use common::server::{Reply, Server};

const RSS: &[u8] = include_bytes!("fixtures/feeds/coop.rss");

fn feed_server() -> Server {
    Server::start(|req| match req.route() {
        "/feed" => Reply::ok("application/rss+xml", RSS),
        _ => Reply::status(404),
    })
}

#[test]
fn refresh_then_list_json_shows_what_the_server_served() {
    let server = feed_server();
    let s = setup(&format!(
        "[[feeds]]\nurl = \"{}\"\ntitle = \"CECOP\"\ntags = [\"europe\"]\n\n[[feeds]]\nurl = \"{}\"\ntitle = \"Gone\"\n",
        server.url("/feed"),
        server.url("/gone")
    ));
    let refresh = coopnews(&s, &["refresh"]);
    assert!(
        refresh.status.success(),
        "a failing feed does not fail the run: {}",
        stderr(&refresh)
    );
    // The log is folded into the database before the refresh exits; a log left behind
    // would be read back whole by every later start.
    assert!(
        !s.data.join("coopnews.db-wal").exists(),
        "write-ahead log left after the refresh"
    );
    let log = stderr(&refresh);
    assert!(log.contains("CECOP: 2 new"), "{log}");
    assert!(
        log.contains("! Gone: server answered HTTP 404 (Not Found)"),
        "{log}"
    );
    assert!(
        log.contains("2 subscriptions in") && log.contains("1 failed"),
        "{log}"
    );

    let list = json(&coopnews(&s, &["list", "--json"]));
    let articles = list.as_array().unwrap();
    assert_eq!(articles.len(), 2);
    let first = &articles[0];
    assert_eq!(first["title"], "Worker buyouts across Europe 🇪🇺");
    assert_eq!(first["feed"], "CECOP");
    assert_eq!(first["link"], "https://www.cecop.coop/works/worker-buyouts");
    assert_eq!(first["published"], "2026-11-20T08:30:00Z");
    assert_eq!(first["read"], false);
    assert_eq!(first["starred"], false);
    assert_eq!(first["text"], "Cooperatives rescue jobs: read the report.");
    // Relative links resolve against the feed's own address (no xml:base here).
    assert_eq!(
        first["links"],
        serde_json::json!([server.url("/works/report.pdf")])
    );
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "feed",
        "title",
        "link",
        "published",
        "read",
        "starred",
        "text",
        "links",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }

    let feeds = json(&coopnews(&s, &["feeds", "--json"]));
    assert_eq!(feeds[0]["title"], "CECOP");
    assert_eq!(
        (feeds[0]["unread"].as_i64(), feeds[0]["total"].as_i64()),
        (Some(2), Some(2))
    );
    assert!(feeds[0]["last_success"].is_string());
    assert_eq!(
        feeds[1]["last_error"],
        "server answered HTTP 404 (Not Found)"
    );

    let tagged = json(&coopnews(
        &s,
        &["list", "--tag", "europe", "--limit", "1", "--json"],
    ));
    assert_eq!(tagged.as_array().unwrap().len(), 1);
}

#[test]
fn read_marks_show_and_filters() {
    let server = feed_server();
    let s = setup(&format!(
        "[[feeds]]\nurl = \"{}\"\ntitle = \"CECOP\"\n",
        server.url("/feed")
    ));
    assert!(coopnews(&s, &["refresh"]).status.success());
    let list = json(&coopnews(&s, &["list", "--json"]));
    let id = list[0]["id"].as_i64().unwrap().to_string();

    let show = coopnews(&s, &["show", &id]);
    let text = stdout(&show);
    let report = server.url("/works/report.pdf");
    let expected = format!(
        "Worker buyouts across Europe 🇪🇺\nCECOP\n2026-11-20 08:30\n\
         https://www.cecop.coop/works/worker-buyouts\n\n\
         Cooperatives rescue jobs: read the report[1].\n\nLinks\n[1] {report}\n"
    );
    assert_eq!(text, expected);

    assert!(coopnews(&s, &["mark-read", &id]).status.success());
    let unread = json(&coopnews(&s, &["list", "--unread", "--json"]));
    assert_eq!(unread.as_array().unwrap().len(), 1);
    assert_ne!(unread[0]["id"].to_string(), id);

    // A refresh that brings the same articles back keeps the mark.
    assert!(coopnews(&s, &["refresh"]).status.success());
    let all = json(&coopnews(&s, &["list", "--json"]));
    assert_eq!(all[0]["read"], true);

    assert!(coopnews(&s, &["mark-unread", &id]).status.success());
    assert_eq!(
        json(&coopnews(&s, &["list", "--unread", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let marked = coopnews(&s, &["mark-read", "--feed", "cecop"]);
    assert!(
        stderr(&marked).contains("marked 2 articles read"),
        "{}",
        stderr(&marked)
    );
    assert!(
        json(&coopnews(&s, &["list", "--unread", "--json"]))
            .as_array()
            .unwrap()
            .is_empty()
    );

    let missing = coopnews(&s, &["show", "99999"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no article with id 99999"));
    let unknown = coopnews(&s, &["list", "--feed", "Nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_bad_configuration_exits_2_naming_file_line_and_key() {
    let s = setup("concurrency = 4\n[[feeds]]\nurl = \"https://example.coop/\"\ntagz = [\"x\"]\n");
    let out = coopnews(&s, &["refresh"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("{}:4:1", s.config.display())),
        "{message}"
    );
    assert!(message.contains("tagz"), "{message}");
}

#[test]
fn an_unusable_data_directory_exits_1() {
    let s = setup("");
    std::fs::write(&s.data, b"a file, not a directory").unwrap();
    let out = coopnews(&s, &["refresh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot create the data directory"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn opml_import_keeps_comments_and_export_groups_by_tag() {
    let s = setup(
        "# my subscriptions\nconcurrency = 4 # keep it low\n\n[[feeds]]\nurl = \"https://www.cicopa.coop/feed/\"\n",
    );
    let opml = s.config.with_file_name("subs.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="Italia">
    <outline text="Legacoop" type="rss" xmlUrl="https://www.legacoop.coop/feed/"/>
    <outline text="Già presente" type="rss" xmlUrl="https://www.cicopa.coop/feed"/>
  </outline>
  <outline text="$(touch pwned)" type="rss" xmlUrl="https://evil.example/feed?a=`id`&amp;b=$(rm -rf ~)"/>
  <outline text="Local" type="rss" xmlUrl="file:///etc/passwd"/>
</body></opml>"#,
    )
    .unwrap();
    let out = coopnews(&s, &["import-opml", opml.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("added 2 subscriptions") && message.contains("1 already subscribed"),
        "{message}"
    );
    assert!(message.contains("file:///etc/passwd"), "{message}");
    let text = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        text.starts_with("# my subscriptions\nconcurrency = 4 # keep it low\n"),
        "{text}"
    );
    assert!(text.contains("tags = [\"Italia\"]"), "{text}");
    assert!(!Path::new("pwned").exists() && !s.config.with_file_name("pwned").exists());

    let export = coopnews(&s, &["export-opml"]);
    let xml = stdout(&export);
    assert!(
        xml.contains("<outline text=\"Italia\" title=\"Italia\">"),
        "{xml}"
    );
    assert!(
        xml.contains("xmlUrl=\"https://evil.example/feed?a=`id`&amp;b=$(rm%20-rf%20~)\""),
        "{xml}"
    );
}

#[test]
fn a_bluesky_account_end_to_end_keeps_full_links() {
    let Some(corpus) = common::corpus_root() else {
        return;
    };
    let feed = std::fs::read(corpus.join("bluesky/atprotodart_getAuthorFeed.json")).unwrap();
    let server = Server::start(move |req| match req.route() {
        "/xrpc/com.atproto.identity.resolveHandle"
            if req.query("handle") == Some("shinyakato.dev") =>
        {
            Reply::ok(
                "application/json",
                r#"{"did":"did:plc:iijrtk7ocored6zuziwmqq3c"}"#,
            )
        }
        "/xrpc/app.bsky.actor.getProfile" => Reply::ok(
            "application/json",
            r#"{"did":"did:plc:iijrtk7ocored6zuziwmqq3c","handle":"shinyakato.dev","displayName":"Shinya Kato"}"#,
        ),
        // The real response first; asked for the page after it, an empty page.
        "/xrpc/app.bsky.feed.getAuthorFeed" if req.query("cursor").is_none() => {
            Reply::ok("application/json", feed.clone())
        }
        "/xrpc/app.bsky.feed.getAuthorFeed" => Reply::ok("application/json", r#"{"feed":[]}"#),
        _ => Reply::status(404),
    });
    let s = setup(&format!(
        "bluesky_api = \"{}\"\n\n[[feeds]]\nbluesky = \"shinyakato.dev\"\n",
        server.base()
    ));
    let refresh = coopnews(&s, &["refresh"]);
    // Until the first refresh names it, the subscription is known by its handle.
    assert!(
        stderr(&refresh).contains("bluesky:shinyakato.dev: 25 new"),
        "{}",
        stderr(&refresh)
    );
    let again = coopnews(&s, &["refresh"]);
    assert!(
        stderr(&again).contains("Shinya Kato: 0 new"),
        "{}",
        stderr(&again)
    );

    let list = json(&coopnews(&s, &["list", "--limit", "100", "--json"]));
    let posts = list.as_array().unwrap();
    assert_eq!(posts.len(), 25);
    assert!(posts.iter().all(|p| p["feed"] == "Shinya Kato"));
    assert!(posts.iter().all(|p| {
        p["link"]
            .as_str()
            .unwrap()
            .starts_with("https://bsky.app/profile/")
    }));
    // The app shortened this link in the text; the whole address is what is stored.
    let full = "https://psky.app/profile/why.bsky.team/post/3juk5phzpf62w";
    let with_link = posts
        .iter()
        .find(|p| p["links"].as_array().unwrap().iter().any(|l| l == full))
        .expect("the post with the shortened link");
    assert!(
        with_link["text"].as_str().unwrap().contains(full),
        "{}",
        with_link["text"]
    );
    let feeds = json(&coopnews(&s, &["feeds", "--json"]));
    assert_eq!(feeds[0]["source"], "bluesky:shinyakato.dev");
    // Other readers can follow the account through Bluesky's own RSS.
    let opml = stdout(&coopnews(&s, &["export-opml"]));
    assert!(
        opml.contains("xmlUrl=\"https://bsky.app/profile/shinyakato.dev/rss\""),
        "{opml}"
    );
}
