//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod cli;
pub mod listings;
pub mod pty;
pub mod refresh;
pub mod server;
pub mod stored;

use std::path::PathBuf;

/// `../shared/corpus` (or `$COOPNEWS_CORPUS`), where the real-world fixtures live. CI always
/// has it beside the clone, so a missing corpus is a failure, not a skip.
pub fn corpus_root() -> PathBuf {
    let candidates = std::env::var_os("COOPNEWS_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("shared/corpus"),
        ]);
    candidates
        .into_iter()
        .find(|p| p.join("feeds/MANIFEST.tsv").exists())
        .expect("the corpus is missing: clone beside shared/ or set COOPNEWS_CORPUS")
}
