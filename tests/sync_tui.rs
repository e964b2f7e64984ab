//! The reader and sync, end to end in a pseudo-terminal: it syncs on start without waiting
//! for the server, shows the last sync in the status bar, and a mark made in it reaches the
//! server at the next sync.

mod common;

use std::time::{Duration, Instant};

use common::greader::{FakeReader, Flavour, PASSWORD, USER};
use common::pty::Session;
use common::server::{Behaviour, Reply, Server};
use common::sync::{PASSWORD_VAR, run, sync_setup};

#[test]
fn the_reader_syncs_on_start_and_its_marks_reach_the_server() {
    let fake = FakeReader::start(Flavour::Miniflux);
    let setup = sync_setup("greader", &fake.url(), USER);
    let dir = setup.config.parent().unwrap().to_path_buf();
    let (config, data) = (setup.config.to_str().unwrap(), setup.data.to_str().unwrap());
    let mut screen = Session::start(
        &["--config", config, "--data-dir", data],
        &[(PASSWORD_VAR, PASSWORD)],
        &dir,
        110,
        30,
    );
    // The server's articles and feed arrive without a refresh; the status bar says so.
    screen.wait_for("Worker cooperatives grow");
    screen.wait_for("Cooperative News");
    screen.wait_for("synced ");
    // Open the newest article: read here, queued for the server.
    screen.press("\r");
    screen.wait_for("Editor");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0);

    let output = run(&setup, &["sync", "--json"], PASSWORD);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["sent"], 1, "{summary}");
    assert!(fake.item("Housing co-op news").read);
}

#[test]
fn a_server_that_does_not_answer_never_holds_the_reader() {
    // Every answer takes a minute: the sync on start is still waiting when the reader quits.
    let server =
        Server::start(|_| Reply::status(503).behaviour(Behaviour::Delay(Duration::from_secs(60))));
    let setup = sync_setup("fever", &server.url("/fever/"), "alice");
    let dir = setup.config.parent().unwrap().to_path_buf();
    let (config, data) = (setup.config.to_str().unwrap(), setup.data.to_str().unwrap());
    let mut screen = Session::start(
        &["--config", config, "--data-dir", data],
        &[(PASSWORD_VAR, "whatever it is")],
        &dir,
        100,
        30,
    );
    screen.wait_for("All");
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "no sync was started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The reader answers keys while the sync waits.
    screen.press("?");
    screen.wait_for("Keys (Esc");
    screen.press("\x1b");
    // Bounded well under the server's minute: a reader waiting for it would fail here.
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0);
}
