//! Bluesky accounts through the public AppView (no login): resolve the account once, read
//! its profile for the title, then page through its author feed until the posts are known.
//!
//! Requests per refresh: resolveHandle only while no DID is stored, one getProfile (cheap, and
//! it keeps the title and handle current), and at most `max_pages` getAuthorFeed pages.

mod actor;
mod api;
mod embed;
mod post;
mod richtext;

use url::Url;

pub use actor::{Actor, parse_actor};
pub use post::{
    FeedPage, FeedPost, TITLE_WIDTH, feed_item_to_post, page_to_articles, parse_author_feed,
    render_record, thread_to_post,
};
pub use richtext::Rendered;

use super::FetchError;
use super::fetch::{Context, Fetched, Outcome, Prior};
use super::http::Validators;
use crate::model::{BlueskySpec, FeedMeta, ParsedFeed};

pub const DEFAULT_API: &str = "https://public.api.bsky.app";
pub const DEFAULT_FILTER: &str = "posts_and_author_threads";
pub const DEFAULT_MAX_PAGES: u32 = 3;
/// The `filter` values getAuthorFeed knows; anything else it answers with a 400.
pub const FILTERS: [&str; 5] = [
    "posts_with_replies",
    "posts_no_replies",
    "posts_with_media",
    "posts_and_author_threads",
    "posts_with_video",
];
/// However large `max_pages` is set, one refresh stays a handful of requests.
pub const MAX_PAGES_CAP: u32 = 10;
const PAGE_SIZE: &str = "50";

/// The XRPC endpoint `method` under `base`, with its query percent-encoded.
pub fn xrpc_url(base: &Url, method: &str, params: &[(&str, &str)]) -> Url {
    let mut url = base.clone();
    let path = format!("{}/xrpc/{method}", base.path().trim_end_matches('/'));
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    if !params.is_empty() {
        url.query_pairs_mut().extend_pairs(params);
    }
    url
}

/// One refresh of one account. See the module comment for the requests it makes.
pub async fn fetch(
    ctx: &Context<'_>,
    spec: &BlueskySpec,
    prior: &Prior,
) -> Result<Outcome, FetchError> {
    let actor = parse_actor(&spec.actor)?;
    let filter = if spec.filter.trim().is_empty() {
        DEFAULT_FILTER
    } else {
        spec.filter.trim()
    };
    if !FILTERS.contains(&filter) {
        return Err(FetchError::Bluesky(format!(
            "unknown Bluesky filter \"{}\" for {}; use one of {}",
            crate::text::clean_inline(filter),
            actor.as_str(),
            FILTERS.join(", ")
        )));
    }
    let api = Api {
        ctx,
        name: actor.as_str(),
    };
    let remembered = prior.resolved.as_deref().filter(|d| d.starts_with("did:"));
    let did = match (&actor, remembered) {
        (Actor::Did(did), _) => did.clone(),
        (Actor::Handle(_), Some(did)) => did.to_string(),
        (Actor::Handle(handle), None) => {
            let method = "com.atproto.identity.resolveHandle";
            let resolved: api::ResolvedHandle = api.call(method, &[("handle", handle)]).await?;
            if !resolved.did.starts_with("did:") {
                return Err(FetchError::Bluesky(format!(
                    "resolving \"{handle}\" gave \"{}\", which is not a DID",
                    crate::text::clean_inline(&resolved.did)
                )));
            }
            resolved.did
        }
    };
    let profile: api::Profile = api
        .call("app.bsky.actor.getProfile", &[("actor", &did)])
        .await?;

    let mut notes = Vec::new();
    if let Actor::Handle(handle) = &actor
        && !profile.handle.is_empty()
        && profile.handle != *handle
        && profile.handle != "handle.invalid"
    {
        notes.push(format!(
            "the account {handle} is now called {}; it is still followed",
            crate::text::clean_inline(&profile.handle)
        ));
    }

    let pages = spec.max_pages.clamp(1, MAX_PAGES_CAP);
    let mut items = Vec::new();
    let mut skipped = 0;
    let mut cursor: Option<String> = None;
    for page in 1..=pages {
        let mut params = vec![
            ("actor", did.as_str()),
            ("filter", filter),
            ("limit", PAGE_SIZE),
            ("includePins", "true"),
        ];
        if let Some(c) = &cursor {
            params.push(("cursor", c.as_str()));
        }
        let method = "app.bsky.feed.getAuthorFeed";
        // A later page failing fails the whole refresh: keeping the first pages would mark
        // them known, and the next refresh would stop there and never fill the gap.
        let body = api.get(method, &params).await?;
        let raw = post::raw_page(&body, &api.source(method))?;
        skipped += raw.skipped;
        let all_known = raw
            .items
            .iter()
            .all(|i| prior.known_guids.contains(&i.post.uri));
        let next = raw.cursor.filter(|c| Some(c) != cursor.as_ref());
        let empty = raw.items.is_empty();
        items.extend(raw.items);
        if empty || all_known || next.is_none() {
            break;
        }
        if page == pages && !prior.known_guids.is_empty() {
            let plural = if pages == 1 { "" } else { "s" };
            notes.push(format!(
                "stopped after {pages} page{plural} of new posts (max_pages); \
                 older new posts may be missing"
            ));
        }
        cursor = next;
    }
    if skipped > 0 {
        notes.push(format!(
            "{skipped} posts could not be read and were skipped"
        ));
    }

    let handle = Some(profile.handle.as_str()).filter(|h| !h.is_empty() && *h != "handle.invalid");
    let display = crate::text::clean_inline(profile.display_name.as_deref().unwrap_or_default());
    let title = if display.is_empty() {
        handle.unwrap_or(&did).to_string()
    } else {
        display
    };
    let parsed = ParsedFeed {
        meta: FeedMeta {
            title: Some(title),
            site_link: Some(richtext::profile_url(handle.unwrap_or(&did))),
            language: None,
        },
        articles: post::items_to_posts(items)
            .into_iter()
            .map(|p| p.article)
            .collect(),
    };
    Ok(Outcome::Fetched(Fetched {
        parsed,
        validators: Validators::default(),
        resolved: Some(did),
        notes,
        ..Default::default()
    }))
}

/// XRPC calls for one subscription; errors name the account.
struct Api<'a> {
    ctx: &'a Context<'a>,
    name: &'a str,
}

impl Api<'_> {
    fn source(&self, method: &str) -> String {
        format!("the Bluesky API at {} ({method})", self.ctx.bluesky_api)
    }

    async fn get(&self, method: &str, params: &[(&str, &str)]) -> Result<Vec<u8>, FetchError> {
        let url = xrpc_url(self.ctx.bluesky_api, method, params);
        match self.ctx.http.get(&url, "application/json", None).await {
            Ok(response) => Ok(response.body),
            // XRPC answers 400 for an unknown actor or handle ("Profile not found", "Unable
            // to resolve handle"); our own parameters were checked before sending.
            Err(FetchError::Status { code: 400, .. }) => Err(FetchError::Bluesky(format!(
                "Bluesky account \"{}\" not found (check the handle; {method} answered 400)",
                self.name
            ))),
            Err(FetchError::Status { code: 404, .. }) => Err(FetchError::Bluesky(format!(
                "{} answered 404: check the bluesky_api setting",
                self.source(method)
            ))),
            Err(e) => Err(e),
        }
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        params: &[(&str, &str)],
    ) -> Result<T, FetchError> {
        let body = self.get(method, params).await?;
        api::decode(&body, &self.source(method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xrpc_urls_are_encoded() {
        let base = Url::parse("https://api.example/prefix/").unwrap();
        let url = xrpc_url(
            &base,
            "app.bsky.feed.getAuthorFeed",
            &[("cursor", "a b&c=d/+é")],
        );
        assert_eq!(
            url.as_str(),
            "https://api.example/prefix/xrpc/app.bsky.feed.getAuthorFeed?cursor=a+b%26c%3Dd%2F%2B%C3%A9"
        );
        let pairs: Vec<_> = url.query_pairs().collect();
        assert_eq!(pairs[0].1, "a b&c=d/+é");
    }
}
