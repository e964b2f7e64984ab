//! Helpers of the page-subscription tests: the Drupal selectors of the shipped config, a
//! config for one page, and the stored articles read back.

use std::path::Path;

use coopnews::config::Config;
use coopnews::model::StoredArticle;
use coopnews::store::{ListQuery, Store};

/// Where the listing fixtures are served, as the ILO's news listing.
pub const LISTING_PATH: &str = "/resource/news/all-news-recent";

/// The selectors of a Drupal news view, as in the shipped configuration.
pub fn drupal_selectors() -> &'static str {
    "item = \"article.node--view-mode-teaser\"\nitem_title = \"h3\"\nitem_link = \"h3 a@href\"\n\
     item_date = \".field--name-field-publication-date\"\nitem_summary = \".field--name-body\"\n"
}

pub fn page_config(url: &str, selectors: &str, extra: &str) -> Config {
    let text = format!("[[feeds]]\npage = \"{url}\"\ntitle = \"ILO\"\n{selectors}{extra}");
    Config::parse(&text, "test.toml").expect("test config parses")
}

pub fn articles(db: &Path) -> Vec<StoredArticle> {
    let store = Store::open(db).unwrap();
    store
        .list_articles(&ListQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
}

pub fn find<'a>(articles: &'a [StoredArticle], title: &str) -> &'a StoredArticle {
    articles
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| {
            let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
            panic!("{title} not in {titles:?}")
        })
}

pub fn rfc3339(article: &StoredArticle) -> String {
    article
        .published
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
