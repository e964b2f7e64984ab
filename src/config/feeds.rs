//! One `[[feeds]]` table to a subscription: exactly one source, keys that belong to it,
//! and what makes two subscriptions the same.

use super::{Feed, RawFeed};
use crate::model::{BlueskySpec, PageSpec, Source};
use crate::sources::bluesky;

pub(super) fn source_key(source: &Source) -> &'static str {
    match source {
        Source::Feed { .. } => "url",
        Source::Bluesky(_) => "bluesky",
        Source::Page(_) => "page",
    }
}

/// Two entries follow the same thing when these match: case and a trailing slash of an
/// address, or an `@` and `https://bsky.app/profile/` around a handle, make no difference.
pub(super) fn identity(source: &Source) -> String {
    match source {
        Source::Feed { url } | Source::Page(PageSpec { url, .. }) => {
            format!(
                "{}:{}",
                source_key(source),
                url.trim_end_matches('/').to_lowercase()
            )
        }
        // Already reduced to a lower-case handle or a DID when parsed.
        Source::Bluesky(spec) => format!("bluesky:{}", spec.actor),
    }
}

pub(super) type FieldError = (Option<&'static str>, String);

pub(super) fn feed_from_raw(raw: RawFeed) -> Result<Feed, FieldError> {
    let selectors = [
        ("item", raw.item.is_some()),
        ("item_title", raw.item_title.is_some()),
        ("item_link", raw.item_link.is_some()),
        ("item_date", raw.item_date.is_some()),
        ("item_summary", raw.item_summary.is_some()),
        ("full_text", raw.full_text.is_some()),
    ];
    let bluesky_only = [
        ("filter", raw.filter.is_some()),
        ("max_pages", raw.max_pages.is_some()),
    ];
    let kinds = [raw.url.is_some(), raw.bluesky.is_some(), raw.page.is_some()];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err((
            None,
            "each [[feeds]] entry needs exactly one of `url`, `bluesky` or `page`".into(),
        ));
    }
    let misplaced = |list: &[(&'static str, bool)], owner: &str| -> Result<(), FieldError> {
        match list.iter().find(|(_, set)| *set) {
            Some((key, _)) => Err((
                Some(key),
                format!("`{key}` only applies to `{owner}` subscriptions"),
            )),
            None => Ok(()),
        }
    };
    let source = if let Some(url) = raw.url {
        misplaced(&selectors, "page")?;
        misplaced(&bluesky_only, "bluesky")?;
        Source::Feed { url: url.0 }
    } else if let Some(actor) = raw.bluesky {
        misplaced(&selectors, "page")?;
        let actor = bluesky::parse_actor(&actor).map_err(|e| (Some("bluesky"), e.to_string()))?;
        let filter = raw.filter.unwrap_or_else(|| bluesky::DEFAULT_FILTER.into());
        if !bluesky::FILTERS.contains(&filter.as_str()) {
            let known = bluesky::FILTERS.join(", ");
            return Err((Some("filter"), format!("`{filter}` is not one of {known}")));
        }
        let max_pages = raw
            .max_pages
            .map_or(bluesky::DEFAULT_MAX_PAGES, |n| n.0 as u32);
        if max_pages > bluesky::MAX_PAGES_CAP {
            let cap = bluesky::MAX_PAGES_CAP;
            return Err((
                Some("max_pages"),
                format!("at most {cap} pages can be read in one refresh"),
            ));
        }
        Source::Bluesky(BlueskySpec {
            actor: actor.as_str().to_string(),
            filter,
            max_pages,
        })
    } else {
        misplaced(&bluesky_only, "bluesky")?;
        let url = raw.page.map(|p| p.0).unwrap_or_default();
        // Every selector is optional: without `item` the items are detected.
        let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
        let spec = PageSpec {
            url,
            item: given(raw.item),
            item_title: given(raw.item_title),
            item_link: given(raw.item_link),
            item_date: raw.item_date,
            item_summary: raw.item_summary,
            full_text: raw.full_text.unwrap_or(false),
        };
        // A selector that cannot work is a mistake in this file: say so now, with its line.
        crate::sources::page::validate(&spec).map_err(|e| (None, e.to_string()))?;
        Source::Page(spec)
    };
    Ok(Feed {
        source,
        title: raw
            .title
            .map(|t| crate::text::clean_inline(&t))
            .filter(|t| !t.is_empty()),
        org: raw
            .org
            .map(|o| crate::text::clean_inline(&o))
            .filter(|o| !o.is_empty()),
        tags: raw
            .tags
            .iter()
            .map(|t| crate::text::clean_inline(t))
            .filter(|t| !t.is_empty())
            .collect(),
    })
}
