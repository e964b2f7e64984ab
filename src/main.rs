//! The `coopnews` binary: parse the command line and hand over. Wiring only.

use std::process::ExitCode;

use clap::Parser;
use coopnews::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => {
            eprintln!(
                "The reader is not built yet. Use the subcommands: `coopnews refresh`, `coopnews list`, \
                 `coopnews feeds`, `coopnews show ID`; `coopnews --help` lists them all."
            );
            ExitCode::SUCCESS
        }
    }
}
