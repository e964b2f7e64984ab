//! Sync over the Fever API against a real server: coldsweat on loopback (see
//! `common/coldsweat.rs`). Skipped with a note when coldsweat is not installed, except
//! under CI.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::cli::stderr;
use common::coldsweat::{Coldsweat, EMAIL, PASSWORD, TITLES, post};
use common::server::{Reply, Server};
use common::sync::{
    article_id, article_state, articles, feeds, run, spawn, sync, sync_setup, waiting,
};

#[test]
fn articles_and_marks_go_both_ways() {
    let Some(server) = Coldsweat::start() else {
        return;
    };
    let setup = sync_setup("fever", &server.url(), EMAIL);

    // The server's articles appear, its group as the feed's tag.
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["pulled"], 3, "{summary}");
    let titles: Vec<String> = articles(&setup).into_iter().map(|a| a.1).collect();
    for title in TITLES {
        assert!(titles.contains(&title.to_string()), "{titles:?}");
    }
    let list = feeds(&setup);
    assert_eq!(list[0]["title"], "Co-op Wire", "{list}");
    assert_eq!(list[0]["tags"][0], "Cooperatives");
    assert_eq!(list[0]["marks_waiting"], 0);

    // mark-read here is read there.
    let id = article_id(&setup, TITLES[0]);
    assert!(run(&setup, &["mark-read", &id], "").status.success());
    assert_eq!(waiting(&setup), 1);
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["sent"], 1, "{summary}");
    let first = server.item_id(TITLES[0]);
    assert!(!server.unread().contains(&first));
    assert!(server.unread().contains(&server.item_id(TITLES[1])));

    // Read and starred there are read and starred here.
    let second = server.item_id(TITLES[1]);
    let third = server.item_id(TITLES[2]);
    server.api("", &format!("mark=item&as=read&id={second}"));
    server.api("", &format!("mark=item&as=saved&id={third}"));
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["received"], 2, "{summary}");
    assert_eq!(article_state(&setup, TITLES[1]), (true, false));
    assert_eq!(article_state(&setup, TITLES[2]), (false, true));
    assert_eq!(article_state(&setup, TITLES[0]), (true, false));
}

#[test]
fn marks_wait_while_the_server_is_stopped() {
    let Some(mut server) = Coldsweat::start() else {
        return;
    };
    let setup = sync_setup("fever", &server.url(), EMAIL);
    sync(&setup, PASSWORD);
    server.stop();
    let id = article_id(&setup, TITLES[2]);
    assert!(run(&setup, &["mark-read", &id], "").status.success());
    let failed = run(&setup, &["sync"], PASSWORD);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("cannot connect"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(waiting(&setup), 1);
    assert_eq!(article_state(&setup, TITLES[2]), (true, false));

    server.restart();
    let summary = sync(&setup, PASSWORD);
    assert_eq!(
        (summary["sent"].as_i64(), summary["waiting"].as_i64()),
        (Some(1), Some(0))
    );
    assert!(!server.unread().contains(&server.item_id(TITLES[2])));
    assert_eq!(article_state(&setup, TITLES[2]), (true, false));
}

#[test]
fn a_killed_sync_loses_no_queued_mark() {
    let Some(server) = Coldsweat::start() else {
        return;
    };
    // A relay in front of coldsweat holds the marks, so the kill lands mid-push.
    let hold = Arc::new(AtomicBool::new(false));
    let relay = {
        let hold = Arc::clone(&hold);
        let port = server.port;
        Server::start(move |req| {
            let body = String::from_utf8_lossy(&req.body).into_owned();
            if body.contains("mark=item") && hold.load(Ordering::SeqCst) {
                while hold.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                return Reply::status(503);
            }
            match post(port, &req.path, &body) {
                Some((status, answer)) => Reply::new(status, "application/json", answer),
                None => Reply::status(502),
            }
        })
    };
    let setup = sync_setup("fever", &relay.url("/fever/"), EMAIL);
    sync(&setup, PASSWORD);
    let ids: Vec<String> = TITLES[..2].iter().map(|t| article_id(&setup, t)).collect();
    let mut args = vec!["mark-read"];
    args.extend(ids.iter().map(String::as_str));
    assert!(run(&setup, &args, "").status.success());
    assert_eq!(waiting(&setup), 2);

    hold.store(true, Ordering::SeqCst);
    let mut child = spawn(&setup, &["sync"], PASSWORD);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !relay
        .requests()
        .iter()
        .any(|r| String::from_utf8_lossy(&r.body).contains("mark=item"))
    {
        assert!(Instant::now() < deadline, "the sync never sent its marks");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    hold.store(false, Ordering::SeqCst);
    assert_eq!(waiting(&setup), 2);

    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["sent"], 2, "{summary}");
    let unread = server.unread();
    for title in &TITLES[..2] {
        assert!(
            !unread.contains(&server.item_id(title)),
            "{title} is still unread there"
        );
    }
}
