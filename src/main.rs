//! The `coopnews` binary: parse the command line and hand over. Wiring only.

use std::process::ExitCode;

use clap::Parser;
use coopnews::cli::{self, Cli, Env, Failure};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => cli::finish(open_reader(&cli)),
    }
}

fn open_reader(cli: &Cli) -> cli::Outcome {
    let env = Env::load(cli)?;
    // Create the data directory and the subscriptions' rows before the terminal is taken;
    // the reader goes on with this connection rather than opening a second one.
    let (store, ids) = env.open_store()?;
    coopnews::runtime::run(env.config, env.lang, env.db_path, store, ids)
        .map_err(|e| Failure::failed(format!("{e:#}")))
}
