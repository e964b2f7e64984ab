//! The `[sync]` table: which server shares read and starred state, and where its password
//! comes from. The password itself is never in the file.

use std::fmt;

use serde::Deserialize;

use super::values::HttpUrl;

/// Which protocol the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncApi {
    Fever,
    GoogleReader,
}

/// Where the password is read, at each sync; it is kept nowhere else.
#[derive(Clone, PartialEq)]
pub enum PasswordSource {
    /// An argument vector (never a shell); its first line of output is the password.
    Command(Vec<String>),
    /// The name of an environment variable.
    Env(String),
}

// Neither variant holds the password, but say so plainly where a Debug could end up in a log.
impl fmt::Debug for PasswordSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordSource::Command(argv) => write!(f, "password_command {argv:?}"),
            PasswordSource::Env(name) => write!(f, "password_env {name}"),
        }
    }
}

/// A validated `[sync]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    pub api: SyncApi,
    /// The API's address as the server documents it (FreshRSS `…/api/fever.php`, coldsweat
    /// `…/fever/`, FreshRSS `…/api/greader.php`, Miniflux's root).
    pub server: String,
    pub user: String,
    pub password: PasswordSource,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSync {
    api: String,
    server: HttpUrl,
    user: String,
    password_command: Option<Vec<String>>,
    password_env: Option<String>,
    /// Only to refuse it with a useful message.
    password: Option<toml::Value>,
}

/// Check a `[sync]` table; the error names the key at fault.
pub(super) fn sync_from_raw(raw: RawSync) -> Result<SyncConfig, (&'static str, String)> {
    if raw.password.is_some() {
        return Err((
            "password",
            "the password is never written in this file; use `password_command = [\"pass\", \"show\", \"freshrss\"]` \
             or `password_env = \"VARIABLE\"`"
                .into(),
        ));
    }
    let api = match raw.api.trim() {
        "fever" => SyncApi::Fever,
        "greader" => SyncApi::GoogleReader,
        other => {
            return Err((
                "api",
                format!("`{other}` is not a sync API; use \"fever\" or \"greader\""),
            ));
        }
    };
    let user = raw.user.trim().to_string();
    if user.is_empty() {
        return Err(("user", "the user name is empty".into()));
    }
    let password = match (raw.password_command, raw.password_env) {
        (Some(_), Some(_)) => {
            return Err((
                "password_command",
                "give either `password_command` or `password_env`, not both".into(),
            ));
        }
        (Some(argv), None) => {
            if argv.first().is_none_or(|program| program.trim().is_empty()) {
                return Err((
                    "password_command",
                    "the command is empty; give the program and its arguments, e.g. [\"pass\", \"show\", \"freshrss\"]".into(),
                ));
            }
            PasswordSource::Command(argv)
        }
        (None, Some(name)) if !name.trim().is_empty() => PasswordSource::Env(name.trim().into()),
        (None, Some(_)) => return Err(("password_env", "the variable name is empty".into())),
        (None, None) => {
            return Err((
                "password_command",
                "[sync] needs `password_command` or `password_env` to read the password".into(),
            ));
        }
    };
    Ok(SyncConfig {
        api,
        server: raw.server.0,
        user,
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::{PasswordSource, SyncApi};
    use crate::config::Config;

    fn parse(sync: &str) -> Result<Config, String> {
        Config::parse(&format!("[sync]\n{sync}"), "test.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn a_fever_server_with_a_password_command() {
        let config = parse(
            "api = \"fever\"\nserver = \"https://rss.example/api/fever.php\"\nuser = \"me\"\n\
             password_command = [\"pass\", \"show\", \"freshrss\"]\n",
        )
        .unwrap();
        let sync = config.sync.unwrap();
        assert_eq!(sync.api, SyncApi::Fever);
        assert_eq!(
            sync.password,
            PasswordSource::Command(vec!["pass".into(), "show".into(), "freshrss".into()])
        );
    }

    #[test]
    fn mistakes_name_their_key() {
        let base = "server = \"https://rss.example/\"\nuser = \"me\"\n";
        let unknown = parse(&format!("api = \"ttrss\"\n{base}password_env = \"P\"\n")).unwrap_err();
        assert!(
            unknown.contains("test.toml:2:1: key `sync.api`"),
            "{unknown}"
        );
        let both = parse(&format!(
            "api = \"greader\"\n{base}password_env = \"P\"\npassword_command = [\"x\"]\n"
        ));
        assert!(both.unwrap_err().contains("not both"));
        let none = parse(&format!("api = \"greader\"\n{base}")).unwrap_err();
        assert!(
            none.contains("password_command") && none.contains("password_env"),
            "{none}"
        );
        let written = parse(&format!(
            "api = \"greader\"\n{base}password = \"s3cret-s3cret\"\n"
        ))
        .unwrap_err();
        assert!(
            written.contains("sync.password") && !written.contains("s3cret"),
            "{written}"
        );
    }
}
