//! The real binary, headless, on a configuration of the test's own in a temporary directory.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

pub struct Setup {
    _dir: tempfile::TempDir,
    pub config: PathBuf,
    pub data: PathBuf,
}

/// A temporary directory holding `config.toml` with `config_text`, and a data directory.
pub fn setup(config_text: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, config_text).unwrap();
    let data = dir.path().join("data");
    Setup {
        config,
        data,
        _dir: dir,
    }
}

/// `coopnews --config … --data-dir … ARGS`, with a clean, fixed environment.
pub fn coopnews(setup: &Setup, args: &[&str]) -> Output {
    super::in_english(&mut Command::new(env!("CARGO_BIN_EXE_coopnews")))
        .arg("--config")
        .arg(&setup.config)
        .arg("--data-dir")
        .arg(&setup.data)
        .args(args)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env_remove("COOPNEWS_CONFIG")
        .env_remove("COOPNEWS_DATA_DIR")
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .output()
        .expect("run coopnews")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The command's stdout as JSON, after checking it succeeded.
pub fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}
