//! TEMPORARY wiring for the tui branch, so the reader and its end-to-end test run here;
//! the lead's `main.rs` and CLI replace it at merge. Only `[--config F] [--data-dir D]`
//! and `list --json` are understood.

use std::path::PathBuf;

use anyhow::Context as _;
use coopnews::config;
use coopnews::store::{ListQuery, Store};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut config_flag, mut data_flag, mut command) = (None, None, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => config_flag = args.next().map(PathBuf::from),
            "--data-dir" => data_flag = args.next().map(PathBuf::from),
            _ => command.push(arg),
        }
    }
    let config = config::load(&config::config_source(config_flag.as_deref()))?;
    let data_dir = config::data_dir(data_flag.as_deref()).context("no data directory")?;
    std::fs::create_dir_all(&data_dir)?;
    let db_path = data_dir.join("coopnews.db");
    if command.first().map(String::as_str) == Some("list") {
        let store = Store::open(&db_path)?;
        let articles = store.list_articles(&ListQuery {
            limit: 1000,
            ..ListQuery::default()
        })?;
        println!("{}", serde_json::to_string_pretty(&articles)?);
        return Ok(());
    }
    coopnews::runtime::run(config, db_path)
}
