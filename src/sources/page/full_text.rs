//! `full_text`: fetch each new item's own page and keep its main text as the body.
//!
//! Sequential on purpose: the refresher holds this host's permit for the whole fetch, so
//! item pages come one at a time within the same politeness limit.

use std::collections::HashSet;

use url::Url;

use super::{ACCEPT_HTML, readable};
use crate::model::Article;
use crate::sources::fetch::Context;

/// Item pages fetched at most per refresh; the rest wait for the next one.
pub const MAX_ITEM_PAGES: usize = 20;

/// Give new articles their page's main text. Items already stored are left out of
/// `articles`: the store would otherwise replace their full text with the teaser. New
/// items past [`MAX_ITEM_PAGES`] are left out too, for the next refresh; their count is
/// returned. A failing item page keeps its teaser and adds a note.
pub async fn fill(
    ctx: &Context<'_>,
    articles: &mut Vec<Article>,
    known: &HashSet<String>,
    notes: &mut Vec<String>,
) -> usize {
    articles.retain(|a| !known.contains(&a.guid));
    let left = articles.len().saturating_sub(MAX_ITEM_PAGES);
    articles.truncate(MAX_ITEM_PAGES);
    let mut failed = Vec::new();
    for article in articles.iter_mut() {
        let Some(url) = article.link.as_deref().and_then(|l| Url::parse(l).ok()) else {
            continue;
        };
        match ctx.http.get(&url, ACCEPT_HTML, None).await {
            Ok(response) => {
                let body = readable::article_body(
                    &response.body,
                    response.content_type.as_deref(),
                    &response.url,
                );
                match body {
                    Some(body) => {
                        let own = url.to_string();
                        let mut links = vec![own.clone()];
                        links.extend(body.links.into_iter().filter(|l| *l != own));
                        article.html = Some(body.html);
                        article.text = body.text;
                        article.links = links;
                    }
                    None => failed.push(format!("{url}: no text found")),
                }
            }
            Err(e) => failed.push(format!("{url}: {e}")),
        }
    }
    match failed.len() {
        0 => {}
        1 => notes.push(format!("1 item page kept its teaser ({})", failed[0])),
        n => notes.push(format!(
            "{n} item pages kept their teaser (first: {})",
            failed[0]
        )),
    }
    if left > 0 {
        notes.push(format!(
            "{left} more items will be read on the next refresh"
        ));
    }
    left
}
