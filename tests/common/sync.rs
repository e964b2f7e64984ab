//! Running the real binary against a sync server: a configuration with `[sync]`, the
//! password in the environment, and what `list` and `feeds` then say.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

use super::cli::{Setup, setup, stderr};

/// The variable `password_env` names in these configurations.
pub const PASSWORD_VAR: &str = "COOPNEWS_TEST_SYNC_PASSWORD";

/// A configuration with no feeds of its own, syncing with `server` over `api`.
pub fn sync_setup(api: &str, server: &str, user: &str) -> Setup {
    setup(&format!(
        "refresh_on_start = false\n\n[sync]\napi = \"{api}\"\nserver = \"{server}\"\nuser = \"{user}\"\npassword_env = \"{PASSWORD_VAR}\"\n"
    ))
}

fn command(setup: &Setup, args: &[&str], password: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coopnews"));
    super::in_english(&mut command)
        .arg("--config")
        .arg(&setup.config)
        .arg("--data-dir")
        .arg(&setup.data)
        .args(args)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env(PASSWORD_VAR, password)
        .env_remove("COOPNEWS_CONFIG")
        .env_remove("COOPNEWS_DATA_DIR");
    // Loopback only: no proxy may stand in between.
    for var in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        command.env_remove(var);
    }
    command
}

/// `coopnews ARGS` with the sync password in the environment.
pub fn run(setup: &Setup, args: &[&str], password: &str) -> Output {
    command(setup, args, password)
        .output()
        .expect("run coopnews")
}

/// The same, started in the background (to be killed).
pub fn spawn(setup: &Setup, args: &[&str], password: &str) -> Child {
    command(setup, args, password)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start coopnews")
}

/// `coopnews sync --json`, which must succeed.
pub fn sync(setup: &Setup, password: &str) -> Value {
    let output = run(setup, &["sync", "--json"], password);
    assert!(output.status.success(), "sync failed: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("sync --json prints JSON")
}

/// Every article `list --json` shows: (title, read, starred), with its id.
pub fn articles(setup: &Setup) -> Vec<(i64, String, bool, bool)> {
    let output = run(setup, &["list", "--json", "--limit", "1000"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let list: Value = serde_json::from_slice(&output.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_i64().unwrap(),
                a["title"].as_str().unwrap().to_string(),
                a["read"].as_bool().unwrap(),
                a["starred"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The id of the article titled `title`.
pub fn article_id(setup: &Setup, title: &str) -> String {
    articles(setup)
        .into_iter()
        .find(|a| a.1 == title)
        .unwrap_or_else(|| panic!("no article \"{title}\""))
        .0
        .to_string()
}

pub fn article_state(setup: &Setup, title: &str) -> (bool, bool) {
    let a = articles(setup).into_iter().find(|a| a.1 == title).unwrap();
    (a.2, a.3)
}

pub fn feeds(setup: &Setup) -> Value {
    let output = run(setup, &["feeds", "--json"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Marks waiting, summed over `feeds --json`.
pub fn waiting(setup: &Setup) -> i64 {
    feeds(setup)
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["marks_waiting"].as_i64())
        .sum()
}

/// Whether any file of the data directory (database, log) holds `needle`.
pub fn data_contains(dir: &Path, needle: &str) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                std::fs::read(e.path())
                    .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
            })
        })
        .unwrap_or(false)
}
