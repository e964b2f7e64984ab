//! Sync over the Google Reader API, against a loopback server answering as FreshRSS and
//! as Miniflux (see `common/greader.rs` for where each behaviour is documented): articles
//! arrive, marks go both ways, nothing is lost while the server is down or when a sync is
//! killed, and the password shows nowhere.

mod common;

use std::time::{Duration, Instant};

use common::cli::stderr;
use common::greader::{FakeReader, Flavour, PASSWORD, USER};
use common::sync::{
    article_id, article_state, articles, data_contains, feeds, run, spawn, sync, sync_setup,
    waiting,
};

fn start(flavour: Flavour) -> (FakeReader, common::cli::Setup) {
    let fake = FakeReader::start(flavour);
    let setup = sync_setup("greader", &fake.url(), USER);
    (fake, setup)
}

fn articles_appear(flavour: Flavour) {
    let (fake, setup) = start(flavour);
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["pulled"], 3, "{summary}");
    assert_eq!(summary["waiting"], 0);
    let titles: Vec<String> = articles(&setup).into_iter().map(|a| a.1).collect();
    assert!(
        titles.contains(&"Worker cooperatives grow".to_string()),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 3);
    // The server's category is the feed's tag; last sync and marks waiting are shown.
    let list = feeds(&setup);
    let feed = &list[0];
    assert_eq!(feed["title"], "Cooperative News");
    assert_eq!(feed["tags"][0], "Cooperatives");
    assert!(feed["last_sync"].is_string(), "{feed}");
    assert_eq!(feed["marks_waiting"], 0);
    // A second sync pulls nothing new and sends nothing.
    let again = sync(&setup, PASSWORD);
    assert_eq!(
        (again["pulled"].as_i64(), again["sent"].as_i64()),
        (Some(0), Some(0))
    );
    if flavour == Flavour::Miniflux {
        // Only endpoints Miniflux implements were used (its catch-all would answer `[]`).
        assert!(
            fake.server
                .requests()
                .iter()
                .all(|r| !r.path.contains("stream/contents"))
        );
    }
}

fn marks_reach_the_server(flavour: Flavour) {
    let (fake, setup) = start(flavour);
    sync(&setup, PASSWORD);
    let id = article_id(&setup, "A credit union opens");
    assert!(run(&setup, &["mark-read", &id], "").status.success());
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["sent"], 1, "{summary}");
    assert!(fake.item("A credit union opens").read);
    // The neighbours, whose 16-digit ids a wrong id form would hit, are untouched.
    assert!(!fake.item("Worker cooperatives grow").read);
    assert!(!fake.item("Housing co-op news").read);
    if flavour == Flavour::Miniflux {
        // The write token travels in the form body only.
        let marks = fake.server.requests_to("/reader/api/0/edit-tag");
        assert!(
            marks
                .iter()
                .all(|r| r.query("T").is_none() && !r.form_values("T").is_empty())
        );
    }
}

fn marks_made_elsewhere_arrive(flavour: Flavour) {
    let (fake, setup) = start(flavour);
    sync(&setup, PASSWORD);
    fake.set("Worker cooperatives grow", Some(true), None);
    fake.set("Housing co-op news", None, Some(true));
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["received"], 2, "{summary}");
    assert_eq!(
        article_state(&setup, "Worker cooperatives grow"),
        (true, false)
    );
    assert_eq!(article_state(&setup, "Housing co-op news"), (false, true));
    assert_eq!(
        article_state(&setup, "A credit union opens"),
        (false, false)
    );
}

fn marks_wait_while_the_server_is_down(flavour: Flavour) {
    let (fake, setup) = start(flavour);
    sync(&setup, PASSWORD);
    fake.state.lock().unwrap().down = true;
    let id = article_id(&setup, "Housing co-op news");
    assert!(run(&setup, &["mark-read", &id], "").status.success());
    let failed = run(&setup, &["sync"], PASSWORD);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    assert!(
        message.contains("503") && message.contains("queued"),
        "{message}"
    );
    assert_eq!(waiting(&setup), 1);
    // Read here at once, whatever the server says meanwhile.
    assert_eq!(article_state(&setup, "Housing co-op news"), (true, false));
    fake.state.lock().unwrap().down = false;
    let summary = sync(&setup, PASSWORD);
    assert_eq!(
        (summary["sent"].as_i64(), summary["waiting"].as_i64()),
        (Some(1), Some(0))
    );
    assert!(fake.item("Housing co-op news").read);
    // Then the server's state wins: unread there is unread here.
    fake.set("Housing co-op news", Some(false), None);
    sync(&setup, PASSWORD);
    assert_eq!(article_state(&setup, "Housing co-op news"), (false, false));
}

fn a_killed_sync_loses_no_mark(flavour: Flavour) {
    let (fake, setup) = start(flavour);
    sync(&setup, PASSWORD);
    let first = article_id(&setup, "Worker cooperatives grow");
    let second = article_id(&setup, "A credit union opens");
    assert!(
        run(&setup, &["mark-read", &first, &second], "")
            .status
            .success()
    );
    fake.state.lock().unwrap().hold_marks = true;
    let mut child = spawn(&setup, &["sync"], PASSWORD);
    let deadline = Instant::now() + Duration::from_secs(20);
    while fake.server.requests_to(&edit_tag_route(&fake)).is_empty() {
        assert!(Instant::now() < deadline, "the sync never sent its marks");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL while the server holds the marks: nothing is acknowledged.
    child.kill().unwrap();
    child.wait().unwrap();
    // Asked while the server still holds the request: once released, the fake applies it,
    // and asked after that, the answer raced the fake's wake-up.
    assert!(!fake.item("Worker cooperatives grow").read);
    fake.state.lock().unwrap().hold_marks = false;
    assert_eq!(waiting(&setup), 2);
    let summary = sync(&setup, PASSWORD);
    assert_eq!(summary["sent"], 2, "{summary}");
    assert!(fake.item("Worker cooperatives grow").read && fake.item("A credit union opens").read);
}

fn edit_tag_route(fake: &FakeReader) -> String {
    match fake.state.lock().unwrap().flavour {
        Flavour::FreshRss => "/api/greader.php/reader/api/0/edit-tag".into(),
        Flavour::Miniflux => "/reader/api/0/edit-tag".into(),
    }
}

#[test]
fn freshrss_articles_appear() {
    articles_appear(Flavour::FreshRss);
}

#[test]
fn miniflux_articles_appear() {
    articles_appear(Flavour::Miniflux);
}

#[test]
fn freshrss_marks_reach_the_server() {
    marks_reach_the_server(Flavour::FreshRss);
}

#[test]
fn miniflux_marks_reach_the_server() {
    marks_reach_the_server(Flavour::Miniflux);
}

#[test]
fn freshrss_marks_made_elsewhere_arrive() {
    marks_made_elsewhere_arrive(Flavour::FreshRss);
}

#[test]
fn miniflux_marks_made_elsewhere_arrive() {
    marks_made_elsewhere_arrive(Flavour::Miniflux);
}

#[test]
fn freshrss_marks_wait_while_the_server_is_down() {
    marks_wait_while_the_server_is_down(Flavour::FreshRss);
}

#[test]
fn miniflux_marks_wait_while_the_server_is_down() {
    marks_wait_while_the_server_is_down(Flavour::Miniflux);
}

#[test]
fn freshrss_a_killed_sync_loses_no_mark() {
    a_killed_sync_loses_no_mark(Flavour::FreshRss);
}

#[test]
fn miniflux_a_killed_sync_loses_no_mark() {
    a_killed_sync_loses_no_mark(Flavour::Miniflux);
}

#[test]
fn the_password_shows_nowhere() {
    let (fake, setup) = start(Flavour::FreshRss);
    sync(&setup, PASSWORD);
    // A wrong password, then a server that is down: both are clear errors without it.
    let refused = run(&setup, &["sync"], "not the passphrase at all");
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("refused"), "{}", stderr(&refused));
    fake.state.lock().unwrap().down = true;
    let down = run(&setup, &["sync", "--json"], PASSWORD);
    for output in [&refused, &down] {
        let all = format!(
            "{}{}",
            stderr(output),
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            !all.contains(PASSWORD) && !all.contains("not the passphrase"),
            "{all}"
        );
    }
    let listed = run(&setup, &["feeds"], "");
    assert!(!String::from_utf8_lossy(&listed.stdout).contains(PASSWORD));
    assert!(!data_contains(&setup.data, PASSWORD));
    assert!(!data_contains(&setup.data, "not the passphrase"));
}

#[test]
fn the_password_comes_from_a_command_never_a_shell() {
    let fake = FakeReader::start(Flavour::Miniflux);
    // `sh -c` would be needed to expand this; as an argument vector it is printed as is.
    let setup = common::cli::setup(&format!(
        "refresh_on_start = false\n[sync]\napi = \"greader\"\nserver = \"{}\"\nuser = \"{USER}\"\n\
         password_command = [\"printf\", \"%s\\n\", \"{PASSWORD}\"]\n",
        fake.url()
    ));
    let summary = sync(&setup, "");
    assert_eq!(summary["pulled"], 3);
    assert!(!data_contains(&setup.data, PASSWORD));
}

#[test]
fn a_password_in_the_file_is_refused() {
    let setup = common::cli::setup(
        "[sync]\napi = \"fever\"\nserver = \"https://rss.example/fever/\"\nuser = \"me\"\npassword = \"hunter2hunter2\"\n",
    );
    let output = run(&setup, &["sync"], "");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("sync.password") && message.contains("password_command"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn a_feed_both_configured_and_on_the_server_appears_once() {
    let fake = FakeReader::start(Flavour::FreshRss);
    // The same address as the server's, written with another case and a trailing slash.
    let setup = common::cli::setup(&format!(
        "refresh_on_start = false\n[[feeds]]\nurl = \"https://Coop.example/feed.xml/\"\ntitle = \"Co-op (mine)\"\n\
         tags = [\"mine\"]\n\n[sync]\napi = \"greader\"\nserver = \"{}\"\nuser = \"{USER}\"\npassword_env = \"{}\"\n",
        fake.url(),
        common::sync::PASSWORD_VAR
    ));
    sync(&setup, PASSWORD);
    let list = feeds(&setup);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["title"], "Co-op (mine)");
    assert_eq!(list[0]["total"], 3);
    assert_eq!(list[0]["marks_waiting"], 0);
    // Its articles come from the server: a refresh leaves it alone (nothing is fetched from
    // coop.example, which this test could not reach anyway).
    let refresh = run(&setup, &["refresh"], "");
    assert!(refresh.status.success());
    assert!(
        stderr(&refresh).contains("read through the sync server"),
        "{}",
        stderr(&refresh)
    );
    assert_eq!(articles(&setup).len(), 3);
}

#[test]
fn sync_without_a_server_says_how_to_set_one() {
    let setup = common::cli::setup("refresh_on_start = false\n");
    let output = run(&setup, &["sync"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("[sync]"), "{}", stderr(&output));
}
