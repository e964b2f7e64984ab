//! What a refresh adds to a fetch before it is stored: each article's language, and where
//! the short links of Bluesky posts lead (asked once: the store remembers the answers).

use std::collections::HashSet;

use crate::model::Source;
use crate::sources::fetch::Fetched;
use crate::sources::http::Http;
use crate::sources::{language, parallel, shortlinks};

/// Give every article its language (see [`language::decide`]). A parser copies the feed's
/// declaration onto items that declare none, so an item language equal to the feed's is
/// taken as the feed's: detection goes first for it. A big feed's are told on every core.
pub(super) fn languages(fetched: &mut Fetched) {
    let feed = fetched.parsed.meta.language.as_deref();
    parallel::for_each_mut(&mut fetched.parsed.articles, |article| {
        let declared = article.language.as_deref().filter(|l| Some(*l) != feed);
        article.language = language::decide(declared, feed, &article.title, &article.text);
    });
}

/// Resolve the short links of a Bluesky account's posts that `known` does not hold.
pub(super) async fn short_links(
    http: &Http,
    source: &Source,
    fetched: &Fetched,
    hosts: &[String],
    known: &HashSet<String>,
) -> Vec<(String, Option<String>)> {
    if !matches!(source, Source::Bluesky(_)) || hosts.is_empty() {
        return Vec::new();
    }
    let links = fetched
        .parsed
        .articles
        .iter()
        .flat_map(|a| a.links.iter().map(String::as_str));
    let wanted = shortlinks::unresolved(links, hosts, known);
    if wanted.is_empty() {
        return Vec::new();
    }
    shortlinks::resolve(http, wanted).await
}
