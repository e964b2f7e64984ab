//! Faults a reader meets in the wild, through the real binary: connections reset mid-body,
//! bodies that never end, gzip bombs, being killed mid-refresh, two instances at once, a
//! data directory it cannot use. Each ends as a clear error on its feed or a clean exit.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::server::{Behaviour, Reply, Server};
use coopnews::store::{ListQuery, Scope, Store};

const RSS: &[u8] = include_bytes!("fixtures/feeds/coop.rss");

struct Run {
    code: Option<i32>,
    stderr: String,
    /// Peak resident memory of the process, in KiB.
    max_rss_kib: i64,
}

fn command(config: &Path, data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_coopnews"));
    common::in_english(&mut cmd)
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(args);
    cmd.env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("COOPNEWS_CONFIG");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Run to the end and read the child's own peak memory from wait4.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's Child does not know of
fn run_measured(mut cmd: Command) -> Run {
    let mut child = cmd.spawn().expect("spawn coopnews");
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let mut status = 0;
    // SAFETY: rusage is plain data, and the pid is our own child, not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stderr: reader.join().unwrap(),
        max_rss_kib: usage.ru_maxrss,
    }
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn feeds_config(urls: &[String]) -> String {
    urls.iter()
        .enumerate()
        .map(|(i, u)| format!("[[feeds]]\nurl = \"{u}\"\ntitle = \"feed{i}\"\n"))
        .collect()
}

/// 1 GiB of zeros, gzipped: about 1 MiB on the wire.
fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

#[test]
fn resets_bombs_and_endless_bodies_end_as_errors_with_bounded_memory() {
    let bomb = Arc::new(gzip_bomb());
    assert!(
        bomb.len() < 2 << 20,
        "the bomb is small on the wire: {}",
        bomb.len()
    );
    let server = Server::start(move |req| match req.route() {
        "/reset" => Reply::ok("application/rss+xml", RSS).behaviour(Behaviour::ResetAfter(200)),
        "/bomb" => {
            Reply::ok("application/rss+xml", bomb.to_vec()).header("Content-Encoding", "gzip")
        }
        "/huge" => {
            Reply::ok("application/rss+xml", Vec::new()).behaviour(Behaviour::Endless(300 << 20))
        }
        _ => Reply::ok("application/rss+xml", RSS),
    });
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = ["/reset", "/bomb", "/huge", "/fine"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let config = write_config(dir.path(), &feeds_config(&urls));
    let run = run_measured(command(&config, &dir.path().join("data"), &["refresh"]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = |name: &str| {
        run.stderr
            .lines()
            .find(|l| l.contains(&format!("{name}:")))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("feed0").starts_with("! feed0: network error"),
        "{}",
        run.stderr
    );
    assert_eq!(
        line("feed1"),
        "! feed1: response larger than the 16 MiB limit (max_body_size)"
    );
    assert_eq!(
        line("feed2"),
        "! feed2: response larger than the 16 MiB limit (max_body_size)"
    );
    assert_eq!(line("feed3"), "  feed3: 2 new");
    // Far below the 1 GiB and 300 MiB payloads: the limit holds while streaming.
    assert!(run.max_rss_kib < 120 * 1024, "peak {} KiB", run.max_rss_kib);
    eprintln!(
        "peak memory with a 1 GiB gzip bomb and a 300 MiB body: {} KiB",
        run.max_rss_kib
    );
}

/// Deterministic pseudo-random delays, so a failure can be replayed.
fn delays(count: usize) -> Vec<u64> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            20 + x % 400
        })
        .collect()
}

#[test]
fn killing_a_refresh_at_random_moments_loses_no_marks_and_no_integrity() {
    // Every request serves changed content, so every refresh writes.
    let served = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    let server = Server::start(move |req| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let items: String = (0..30)
            .map(|i| {
                format!(
                    "<item><title>{} item {i} v{n}</title><guid>{}-{i}</guid><description>body {n}</description></item>",
                    req.route(),
                    req.route()
                )
            })
            .collect();
        let body = format!("<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>");
        Reply::ok("application/rss+xml", body)
            .behaviour(Behaviour::Delay(Duration::from_millis((n % 7) as u64 * 15)))
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let urls: Vec<String> = (0..24).map(|i| server.url(&format!("/f{i}"))).collect();
    let config = write_config(
        dir.path(),
        &format!("per_host_concurrency = 4\n{}", feeds_config(&urls)),
    );
    assert_eq!(
        run_measured(command(&config, &data, &["refresh"])).code,
        Some(0)
    );

    let db = data.join("coopnews.db");
    let (read_ids, starred_ids) = {
        let mut store = Store::open(&db).unwrap();
        let rows = store
            .list_rows(&ListQuery {
                limit: 1000,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(rows.len(), 24 * 30);
        let read: Vec<i64> = rows.iter().step_by(7).map(|r| r.id).collect();
        let starred: Vec<i64> = rows.iter().step_by(11).map(|r| r.id).collect();
        store.set_read(&Scope::Ids(read.clone()), true).unwrap();
        store
            .set_starred(&Scope::Ids(starred.clone()), true)
            .unwrap();
        (read, starred)
    };

    for (round, delay) in delays(20).into_iter().enumerate() {
        let mut child = command(&config, &data, &["refresh"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let store = Store::open(&db).unwrap();
        assert_eq!(
            store.integrity_check().unwrap(),
            "ok",
            "round {round}, killed after {delay} ms"
        );
        for id in &read_ids {
            assert!(
                store.article(*id).unwrap().unwrap().read,
                "round {round}: article {id} lost its read mark"
            );
        }
        for id in &starred_ids {
            assert!(
                store.article(*id).unwrap().unwrap().starred,
                "round {round}: article {id} lost its star"
            );
        }
    }
    assert!(
        served.load(Ordering::SeqCst) > 24,
        "the refreshes were really under way"
    );
}

#[test]
fn two_instances_share_the_database() {
    let server = Server::start(|req| {
        let items: String = (0..40)
            .map(|i| {
                format!(
                    "<item><title>{} {i}</title><guid>{}-{i}</guid></item>",
                    req.route(),
                    req.route()
                )
            })
            .collect();
        Reply::ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let urls: Vec<String> = (0..20).map(|i| server.url(&format!("/f{i}"))).collect();
    let config = write_config(
        dir.path(),
        &format!("per_host_concurrency = 8\n{}", feeds_config(&urls)),
    );
    let first = std::thread::spawn({
        let (config, data) = (config.clone(), data.clone());
        move || run_measured(command(&config, &data, &["refresh"]))
    });
    let second = run_measured(command(&config, &data, &["refresh"]));
    let first = first.join().unwrap();
    for run in [&first, &second] {
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(!run.stderr.contains("! "), "no feed failed: {}", run.stderr);
    }
    let store = Store::open(&data.join("coopnews.db")).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(
        store.count(&ListQuery::default()).unwrap(),
        20 * 40,
        "nothing doubled"
    );
}

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
        let items: String = (0..60)
            .map(|i| {
                format!(
                    "<item><title>{} {i}</title><guid>{}-{i}</guid><description>{}</description></item>",
                    req.route(),
                    req.route(),
                    "Una cooperativa di lavoro, una società di persone. ".repeat(20)
                )
            })
            .collect();
        Reply::ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"),
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
