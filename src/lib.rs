//! coopnews: a terminal news reader for the cooperative movement.
//!
//! Data flows one way: `sources` fetch and normalise, `store` keeps articles and read state
//! in SQLite, `app` turns actions into state changes and effects, `ui` draws the state.
//! `refresh` schedules fetches politely; `runtime` runs the terminal event loop; `cli` holds
//! the headless subcommands. `model` (shared types) and `keys` (keys and the commands they
//! bind, as data) sit below them all, so `config` checks `[keys]` without the app.

pub mod app;
pub mod cli;
pub mod config;
pub mod i18n;
pub mod keys;
pub mod model;
pub mod refresh;
pub mod render;
pub mod runtime;
pub mod sources;
pub mod store;
pub mod sync;
pub mod text;
pub mod ui;
