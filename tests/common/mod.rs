//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod app;
pub mod bluesky;
pub mod cli;
pub mod coldsweat;
pub mod faults;
pub mod greader;
pub mod listings;
pub mod pages;
pub mod pty;
pub mod refresh;
pub mod server;
pub mod stored;
pub mod sync;

use std::path::PathBuf;

/// The shared real-world corpus: `$COOPNEWS_CORPUS`, else `../shared/corpus` beside the
/// clone. `None` when neither exists: the test then skips, saying once how to run it;
/// except under CI (`CI` set), where a missing corpus is a failure, not a skip.
pub fn corpus_root() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let found = std::env::var_os("COOPNEWS_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            manifest.join("../shared/corpus"),
            manifest.join("shared/corpus"),
        ])
        .find(|p| p.join("feeds/MANIFEST.tsv").exists());
    if found.is_none() {
        assert!(
            !in_ci(),
            "the corpus is missing: set COOPNEWS_CORPUS or clone beside shared/ (CI is set, so \
             this is a failure, not a skip)"
        );
        skip_note();
    }
    found
}

/// `CI` set to anything but empty, `0` or `false`.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// One line per test binary, written past libtest's capture so it shows.
fn skip_note() {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicBool, Ordering};
    static SAID: AtomicBool = AtomicBool::new(false);
    if !SAID.swap(true, Ordering::SeqCst) {
        let _ = writeln!(
            std::io::stderr(),
            "note: corpus tests skipped: no ../shared/corpus; set COOPNEWS_CORPUS=/path/to/corpus \
             to run them"
        );
    }
}

/// Return from the test when the corpus is not here (see `corpus_root`).
#[macro_export]
macro_rules! skip_without_corpus {
    () => {
        if common::corpus_root().is_none() {
            return;
        }
    };
}

/// The locale variables the interface language is read from, and the value that makes it
/// English: every test that runs the binary sets them, so a machine with
/// `LANG=it_IT.UTF-8` runs the suite as any other.
pub const LOCALE_VARS: [&str; 3] = ["LANGUAGE", "LC_ALL", "LC_MESSAGES"];

/// Run `command` in English whatever the machine's locale (see `LOCALE_VARS`).
pub fn in_english(command: &mut std::process::Command) -> &mut std::process::Command {
    for var in LOCALE_VARS {
        command.env_remove(var);
    }
    command.env("LANG", "C")
}
