//! Faults of the place a reader runs in and of what it is fed, through the real binary:
//! an unusable data directory or config, a full disk, and documents at the edges of sense.
//! Each ends as a clear message, a nonzero exit where the run failed, and nothing lost.

mod common;

use std::path::Path;

use common::faults::{command, feeds_config, route_feed, run_measured, write_config};
use common::server::{Reply, Server};
use coopnews::store::{ListQuery, Store};

#[test]
fn an_unusable_environment_is_a_clear_message_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    // /proc refuses new directories even to root.
    let run = run_measured(command(
        &config,
        Path::new("/proc/coopnews-test"),
        &["refresh"],
    ));
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("coopnews: cannot create the data directory /proc/coopnews-test"),
        "{}",
        run.stderr
    );

    let not_toml = write_config(dir.path(), "this is = not [toml\n");
    let run = run_measured(command(&not_toml, &dir.path().join("d"), &["refresh"]));
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("config.toml:1:"), "{}", run.stderr);

    std::fs::write(&not_toml, b"title = \"\xff\xfe\"\n").unwrap();
    let run = run_measured(command(&not_toml, &dir.path().join("d"), &["refresh"]));
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));

    // A database that is not one: refused by name, and left as it was.
    let data = dir.path().join("garbage");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("coopnews.db"), vec![b'x'; 8192]).unwrap();
    let run = run_measured(command(&write_config(dir.path(), ""), &data, &["list"]));
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("coopnews.db"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(data.join("coopnews.db")).unwrap(),
        vec![b'x'; 8192]
    );
}

#[test]
fn a_full_disk_is_a_clear_error_and_a_nonzero_exit_and_loses_nothing() {
    use std::os::unix::process::CommandExt;

    let server = Server::start(|req| {
        Reply::ok(
            "application/rss+xml",
            route_feed(
                req.route(),
                60,
                &"Una cooperativa di lavoro, una società di persone. ".repeat(20),
            ),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = write_config(dir.path(), &feeds_config(&[server.url("/first")]));
    assert_eq!(
        run_measured(command(&first, &data, &["refresh"])).code,
        Some(0)
    );
    let db = data.join("coopnews.db");
    let before = Store::open(&db)
        .unwrap()
        .count(&ListQuery::default())
        .unwrap();

    // Files may grow by 64 KiB past the largest one there (the database or its log): the
    // disk is full for this process, once the refresh writes its 1,200 articles.
    let largest = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .max()
        .unwrap();
    let cap = largest + (64 << 10);
    let urls: Vec<String> = (0..20).map(|i| server.url(&format!("/f{i}"))).collect();
    let config = write_config(dir.path(), &feeds_config(&urls));
    let mut cmd = command(&config, &data, &["refresh"]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: cap,
                rlim_max: cap,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let run = run_measured(cmd);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("could not be written"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("is the disk full"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert!(
        store.count(&ListQuery::default()).unwrap() >= before,
        "nothing stored was lost"
    );
}

#[test]
fn odd_documents_are_stored_sanely() {
    // 10,000 items, a duplicated guid, items without id, link or title, absurd dates and a
    // 100 KB title, in one feed; and beside it an entity bomb and a page that is no feed.
    let mut items = String::new();
    for i in 0..10_000 {
        items.push_str(&format!(
            "<item><title>Item {i}</title><guid>g{i}</guid></item>"
        ));
    }
    items.push_str("<item><title>Duplicate of 7</title><guid>g7</guid></item>");
    items.push_str("<item><title>No id, no link</title></item>");
    items.push_str("<item><link>http://127.0.0.1/no-title</link></item>");
    items.push_str("<item><description>Only a body</description></item>");
    items.push_str("<item><title>Long ago</title><guid>old</guid><pubDate>Mon, 01 Jan 1962 00:00:00 GMT</pubDate></item>");
    items.push_str("<item><title>Far ahead</title><guid>ahead</guid><pubDate>Sat, 01 Jan 2999 00:00:00 GMT</pubDate></item>");
    items.push_str(&format!(
        "<item><title>{}</title><guid>long</guid></item>",
        "Lungo ".repeat(17_000)
    ));
    let big = format!("<rss version=\"2.0\"><channel><title>Odd</title>{items}</channel></rss>");
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>b</guid></item></channel></rss>"#;
    let server = Server::start(move |req| match req.route() {
        "/big" => Reply::ok("application/rss+xml", big.clone()),
        "/bomb" => Reply::ok("application/rss+xml", bomb),
        _ => Reply::ok("text/plain", "just some text, not a feed"),
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let urls = [server.url("/big"), server.url("/bomb"), server.url("/text")];
    let config = write_config(dir.path(), &feeds_config(&urls));
    let run = run_measured(command(&config, &data, &["refresh"]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("feed0: 10006 new"), "{}", run.stderr);
    assert!(run.stderr.contains("feed1: 1 new"), "{}", run.stderr);
    assert!(
        run.stderr.contains("! feed2: no feed found at"),
        "{}",
        run.stderr
    );

    let store = Store::open(&data.join("coopnews.db")).unwrap();
    let all = store
        .list_articles(&ListQuery {
            limit: 20_000,
            ..Default::default()
        })
        .unwrap();
    let titled = |t: &str| all.iter().find(|a| a.title == t);
    assert_eq!(
        all.iter()
            .filter(|a| a.title.starts_with("Item 7") && a.title.len() == 6)
            .count(),
        1
    );
    assert!(
        titled("Duplicate of 7").is_none(),
        "the first of a duplicated guid is kept"
    );
    assert!(titled("No id, no link").is_some());
    let long = all.iter().find(|a| a.title.starts_with("Lungo")).unwrap();
    assert!(long.title.chars().count() <= 1_000, "a 100 KB title is cut");
    let far = titled("Far ahead").unwrap();
    assert!(
        far.published < chrono::Utc::now() + chrono::Duration::days(3),
        "not dated in 2999"
    );
    assert_eq!(
        titled("Long ago")
            .unwrap()
            .published
            .format("%Y")
            .to_string(),
        "1962"
    );
    // The bomb's entities were not expanded.
    let bombed = all.iter().find(|a| a.feed == "feed1").unwrap();
    assert!(bombed.title.len() < 100, "{}", bombed.title.len());
}
