//! Faults a reader meets in the wild, through the real binary: connections reset mid-body,
//! bodies that never end, gzip bombs, being killed mid-refresh, two instances at once.
//! Each ends as a clear error on its feed or a clean exit (the environment's faults are in
//! `faults_environment.rs`).

mod common;

use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::faults::{command, feeds_config, route_feed, run_measured, write_config};
use common::server::{Behaviour, Reply, Server};
use coopnews::store::{ListQuery, Scope, Store};

const RSS: &[u8] = include_bytes!("fixtures/feeds/coop.rss");

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
    let server =
        Server::start(|req| Reply::ok("application/rss+xml", route_feed(req.route(), 40, "")));
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
