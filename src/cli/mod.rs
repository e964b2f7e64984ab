//! The command line: flags, subcommands, and the headless commands themselves.

mod check;
mod check_page;
mod list;
mod mark;
mod opml;
mod refresh;
mod sync;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{self, Config, ConfigSource};
use crate::i18n::Lang;
use crate::model::FeedId;
use crate::store::{Store, Subscription};

/// Exit status for a bad configuration or bad arguments.
pub const EXIT_USAGE: u8 = 2;
/// Exit status when the data directory or database cannot be used, or a command failed.
pub const EXIT_FAILURE: u8 = 1;

#[derive(Debug, Parser)]
#[command(
    name = "coopnews",
    version,
    about = "A terminal news reader for the cooperative movement: feeds, Bluesky accounts and news pages in one window.",
    after_help = "With no command, opens the reader.\n\nFiles: the configuration is --config, else $COOPNEWS_CONFIG, else \
                  $XDG_CONFIG_HOME/coopnews/config.toml if it exists, else the built-in default. The database lives in \
                  --data-dir, else $COOPNEWS_DATA_DIR, else $XDG_DATA_HOME/coopnews.\n\nExit status: 0 success; 1 the \
                  database or data directory is unusable, or the command failed; 2 bad configuration or arguments."
)]
pub struct Cli {
    /// Configuration file to use instead of the usual ones.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory holding the database.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch every subscription once and store what is new.
    #[command(
        after_help = "Prints one line per subscription on stderr and a summary.\n\nExit status: 0 when the run \
                            completed, even if some subscriptions failed (their errors are printed and kept for \
                            `coopnews feeds`); 1 when the database cannot be used; 2 for a bad configuration."
    )]
    Refresh,
    /// Share read and starred marks with the [sync] server once: send, then pull.
    #[command(
        after_help = "Sends the marks queued here, then pulls the server's subscriptions, new articles and \
                      read and starred state. Prints a summary: articles pulled, marks sent, marks received, \
                      marks waiting.\n\nExit status: 0 when the sync completed; 1 when the server could not \
                      be reached or refused the login (the marks stay queued), or the database cannot be used; \
                      2 for a bad configuration."
    )]
    Sync {
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List subscriptions with unread and total counts, last success and last error.
    Feeds {
        /// Only the subscriptions of this organisation.
        #[arg(long, value_name = "NAME")]
        org: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List articles, newest first.
    List {
        /// Only unread articles.
        #[arg(long)]
        unread: bool,
        /// Only this subscription (its title or address).
        #[arg(long, value_name = "NAME")]
        feed: Option<String>,
        /// Only subscriptions with this tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only the subscriptions of this organisation.
        #[arg(long, value_name = "NAME")]
        org: Option<String>,
        /// Only articles in this language (an ISO 639-1 code such as it, en, fr, es).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// Only articles matching this search: words, "a phrase", -word, title:, org:,
        /// feed:, lang:, is:unread, is:starred, after:YYYY-MM-DD, before:, newer:7d.
        #[arg(long, value_name = "QUERY")]
        search: Option<String>,
        /// At most this many.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: usize,
        /// Print JSON: id, feed, org, title, link, published (RFC 3339), read, starred, text,
        /// links, lang, also (the story's other copies and Bluesky posts).
        #[arg(long)]
        json: bool,
    },
    /// Show one article as plain text for this terminal's width.
    Show {
        /// The article's id, as `list` prints it.
        id: i64,
    },
    /// Mark articles read: by id, every article of a subscription, or all.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["ids", "feed", "all"])))]
    MarkRead {
        ids: Vec<i64>,
        /// Every article of this subscription (its title or address).
        #[arg(long, value_name = "NAME", conflicts_with = "ids")]
        feed: Option<String>,
        /// Every article.
        #[arg(long, conflicts_with_all = ["ids", "feed"])]
        all: bool,
    },
    /// Mark articles unread by id.
    MarkUnread {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Add the feeds of an OPML file to the configuration file, keeping its comments.
    ImportOpml {
        /// The OPML file to read.
        file: PathBuf,
    },
    /// Print the subscriptions as OPML, with tags as outline groups.
    ExportOpml,
    /// Show what coopnews would read at an address: its feed (and the addresses tried), or
    /// the news items detected on the page with selectors that pick them. Nothing is stored.
    #[command(
        after_help = "Example:\n  coopnews check https://www.cecop.coop/works2/0\n\nWith --json: url, route, title, \
                      tried (url, why, result), items (title, link, date, date_text, summary), selectors, promotions."
    )]
    Check {
        /// The address: a feed, a site, or a news listing page.
        url: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fetch a news listing page once and print what page-subscription selectors extract.
    #[command(
        after_help = "Selectors are CSS, or `css@attr` for an attribute (`@attr` alone: the item itself). \
                      Nothing is stored. Example:\n  coopnews check-page https://example.org/news \
                      --item article --item-title h3 --item-date time@datetime --item-summary p"
    )]
    CheckPage {
        /// The listing page's address.
        url: String,
        /// One match per news item.
        #[arg(long, value_name = "CSS")]
        item: String,
        /// The title inside an item.
        #[arg(long, value_name = "CSS")]
        item_title: String,
        /// The link inside an item (`href` unless an attribute is given).
        #[arg(long, value_name = "CSS", default_value = "a@href")]
        item_link: String,
        /// The date inside an item (attribute or text).
        #[arg(long, value_name = "CSS")]
        item_date: Option<String>,
        /// The teaser inside an item.
        #[arg(long, value_name = "CSS")]
        item_summary: Option<String>,
    },
}

/// What every command needs: the configuration and where the data lives.
pub struct Env {
    pub config: Config,
    /// The language of human-readable output (never of JSON).
    pub lang: Lang,
    pub config_source: ConfigSource,
    pub db_path: PathBuf,
}

/// A command's failure: the message and the exit status.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_USAGE,
        }
    }
    pub fn failed(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_FAILURE,
        }
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure::failed(e.to_string())
    }
}

pub type Outcome = Result<(), Failure>;

impl Env {
    pub fn load(cli: &Cli) -> Result<Env, Failure> {
        let config_source = config::config_source(cli.config.as_deref());
        let config = config::load(&config_source).map_err(|e| Failure::usage(e.to_string()))?;
        // The one place the language is read from the environment.
        let lang = Lang::resolve(config.language.as_deref(), |name| std::env::var(name).ok());
        let data_dir = config::data_dir(cli.data_dir.as_deref())
            .ok_or_else(|| Failure::failed(lang.t("cli.no_data_dir")))?;
        Ok(Env {
            config,
            lang,
            config_source,
            db_path: data_dir.join("coopnews.db"),
        })
    }

    /// Open the database (creating its directory) and make sure every subscription has a row;
    /// the ids come back in configuration order.
    pub fn open_store(&self) -> Result<(Store, Vec<FeedId>), Failure> {
        if let Some(dir) = self.db_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::failed(self.lang.f(
                    "cli.cannot_create_dir",
                    &[("path", &dir.display()), ("error", &e)],
                ))
            })?;
        }
        let mut store = Store::open(&self.db_path)?;
        let subs: Vec<Subscription> = self
            .config
            .feeds
            .iter()
            .map(|f| Subscription {
                key: f.source.key(),
                title: f.title.clone(),
            })
            .collect();
        let ids = store.sync_subscriptions(&subs)?;
        let orgs: Vec<_> = ids
            .iter()
            .zip(&self.config.feeds)
            .map(|(id, f)| (*id, f.org.clone()))
            .collect();
        store.sync_orgs(&orgs)?;
        Ok((store, ids))
    }

    /// The configured subscriptions matching `name` (title or address, any case), for `--feed`.
    pub fn feeds_named(
        &self,
        store: &Store,
        ids: &[FeedId],
        name: &str,
    ) -> Result<Vec<FeedId>, Failure> {
        let wanted = name.trim().to_lowercase();
        let statuses = store.feed_statuses()?;
        let found: Vec<FeedId> = statuses
            .iter()
            .filter(|s| ids.contains(&s.id))
            .filter(|s| {
                s.title.to_lowercase() == wanted
                    || s.key.to_lowercase() == wanted
                    || s.key.trim_end_matches('/').to_lowercase() == wanted.trim_end_matches('/')
            })
            .map(|s| s.id)
            .collect();
        if found.is_empty() {
            return Err(Failure::usage(
                self.lang.f("cli.no_feed", &[("name", &name)]),
            ));
        }
        Ok(found)
    }

    /// The configured subscriptions of the organisation `name` (any case), for `--org`.
    pub fn feeds_of_org(
        &self,
        store: &Store,
        ids: &[FeedId],
        name: &str,
    ) -> Result<Vec<FeedId>, Failure> {
        let wanted = name.trim().to_lowercase();
        let found: Vec<FeedId> = store
            .feed_statuses()?
            .iter()
            .filter(|s| ids.contains(&s.id) && s.org.to_lowercase() == wanted)
            .map(|s| s.id)
            .collect();
        if found.is_empty() {
            return Err(Failure::usage(
                self.lang.f("cli.no_org", &[("name", &name)]),
            ));
        }
        Ok(found)
    }
}

/// Run a headless command.
pub fn run(cli: &Cli, command: &Command) -> ExitCode {
    let result = Env::load(cli).and_then(|env| match command {
        Command::Refresh => refresh::run(&env),
        Command::Sync { json } => sync::run(&env, *json),
        Command::Feeds { org, json } => list::feeds(&env, org.as_deref(), *json),
        Command::List {
            unread,
            feed,
            tag,
            org,
            lang,
            search,
            limit,
            json,
        } => list::list(
            &env,
            &list::ListArgs {
                unread: *unread,
                feed: feed.as_deref(),
                tag: tag.as_deref(),
                org: org.as_deref(),
                lang: lang.as_deref(),
                search: search.as_deref(),
                limit: *limit,
                json: *json,
            },
        ),
        Command::Show { id } => list::show(&env, *id),
        Command::MarkRead { ids, feed, all } => mark::read(&env, ids, feed.as_deref(), *all),
        Command::MarkUnread { ids } => mark::unread(&env, ids),
        Command::ImportOpml { file } => opml::import(&env, file),
        Command::ExportOpml => opml::export(&env),
        Command::Check { url, json } => check::run(&env, url, *json),
        Command::CheckPage {
            url,
            item,
            item_title,
            item_link,
            item_date,
            item_summary,
        } => check_page::run(
            &env,
            &check_page::CheckPageArgs {
                url,
                item,
                item_title,
                item_link,
                item_date: item_date.as_deref(),
                item_summary: item_summary.as_deref(),
            },
        ),
    });
    finish(result)
}

pub fn finish(result: Outcome) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Not eprintln!: with the terminal gone (a closed window) it would panic.
            let _ = writeln!(std::io::stderr(), "coopnews: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// The terminal's width when stdout is one, for layout of human-readable output.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    std::io::stdout()
        .is_terminal()
        .then(|| crossterm::terminal::size().ok().map(|(w, _)| w as usize))
        .flatten()
}
