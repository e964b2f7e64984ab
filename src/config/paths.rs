//! Where the configuration and the data live: flags, then environment, then the
//! platform's directories.

use std::path::{Path, PathBuf};

use super::{Config, ConfigError, DEFAULT_CONFIG, DEFAULT_CONFIG_NAME};

/// Which configuration is in use.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

/// The configuration file in use: `--config`, `$COOPNEWS_CONFIG`, the user's file if it
/// exists, else the built-in default.
pub fn config_source(flag: Option<&Path>) -> ConfigSource {
    if let Some(path) = flag {
        return ConfigSource::File(path.into());
    }
    if let Some(path) = std::env::var_os("COOPNEWS_CONFIG").filter(|p| !p.is_empty()) {
        return ConfigSource::File(path.into());
    }
    match user_config_path() {
        Some(path) if path.exists() => ConfigSource::File(path),
        _ => ConfigSource::BuiltIn,
    }
}

/// `$XDG_CONFIG_HOME/coopnews/config.toml` or the platform's equivalent.
pub fn user_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("coopnews").join("config.toml"))
}

/// `--data-dir`, `$COOPNEWS_DATA_DIR`, else the platform's data directory.
pub fn data_dir(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("COOPNEWS_DATA_DIR")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| dirs::data_dir().map(|d| d.join("coopnews")))
}

pub fn load(source: &ConfigSource) -> Result<Config, ConfigError> {
    match source {
        ConfigSource::File(path) => Config::load(path),
        ConfigSource::BuiltIn => Config::parse(DEFAULT_CONFIG, DEFAULT_CONFIG_NAME),
    }
}
