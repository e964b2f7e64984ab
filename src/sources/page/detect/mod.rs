//! News items found on a listing page without selectors: the repeated group of elements
//! that looks most like a list of news (see [`groups`]), each member read by [`fields`],
//! promotional cards left out. The result goes through the same path as selected items,
//! so the store and the reader never know which route found them. Pure and deterministic.

mod fasthash;
pub mod fields;
mod groups;
mod suggest;
mod text;
mod words;

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html};
use url::Url;

pub use fields::Fields;
pub use suggest::Suggested;

/// What detection chose.
pub struct Detection<'a> {
    /// The items, in page order, each with what was read from it.
    pub items: Vec<(ElementRef<'a>, Fields<'a>)>,
    /// Members of the group left out as promotions (undated cards linking elsewhere).
    pub promotions: usize,
    /// Selectors that pick the same items, for the configuration.
    pub selectors: Suggested,
}

/// An attribute in no namespace, found by comparing names: scraper's own `attr` interns
/// the name and binary-searches, which was a tenth of detection's time on a big page.
pub(crate) fn attr<'a>(el: ElementRef<'a>, name: &str) -> Option<&'a str> {
    el.value()
        .attrs
        .iter()
        .find(|(key, _)| key.ns.is_empty() && &*key.local == name)
        .map(|(_, value)| &**value)
}

/// The page's news items, or None when nothing on it looks like a list of news.
pub fn detect<'a>(
    document: &'a Html,
    base: &Url,
    now: Option<DateTime<Utc>>,
) -> Option<Detection<'a>> {
    let best = groups::ranked(document, base, now).into_iter().next()?;
    // The first members were read to score the group: read only the rest.
    let mut sample = best.sample.into_iter();
    let members: Vec<(ElementRef<'a>, Fields<'a>)> = best
        .members
        .into_iter()
        .map(|el| {
            let fields = sample.next().unwrap_or_else(|| fields::read(el, base, now));
            (el, fields)
        })
        .filter(|(_, f)| f.title.is_some() && f.link.is_some())
        .collect();
    let total = members.len();
    let items = without_promotions(members, base);
    let promotions = total - items.len();
    let selectors = suggest::selectors(document, &items, total);
    Some(Detection {
        items,
        promotions,
        selectors,
    })
}

/// The folders a link lies in, without its last segment (`/resource/news/` of
/// `/resource/news/a-story`), at most two deep: news items of one list share them.
fn section(url: &Url) -> Option<(String, String)> {
    let host = url
        .host_str()?
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.filter(|s| !s.is_empty())
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let folders = segments.len().saturating_sub(1).min(2);
    Some((host, segments[..folders].join("/")))
}

/// Promotions look like news cards but link elsewhere: when most items are dated, an
/// undated one whose link lies in no section that a dated one uses is left out; when most
/// link within the site, one linking to another site is left out too.
fn without_promotions<'a>(
    members: Vec<(ElementRef<'a>, Fields<'a>)>,
    base: &Url,
) -> Vec<(ElementRef<'a>, Fields<'a>)> {
    let n = members.len();
    if n < 3 {
        return members;
    }
    let is_dated = |f: &Fields<'_>| f.date.as_ref().is_some_and(|d| d.published.is_some());
    let dated = members.iter().filter(|(_, f)| is_dated(f)).count();
    let site = base.host_str();
    // Each link (parsed when it was read): on the site, and its section.
    let places: Vec<(bool, Option<(String, String)>)> = members
        .iter()
        .map(|(_, f)| {
            let url = f.link_url.as_ref();
            let on_site = url.is_some_and(|u| groups::same_site(u.host_str(), site));
            (on_site, url.and_then(section))
        })
        .collect();
    let local = places.iter().filter(|(on_site, _)| *on_site).count();
    let dated_sections: Vec<&(String, String)> = members
        .iter()
        .zip(&places)
        .filter(|((_, f), _)| is_dated(f))
        .filter_map(|(_, (_, section))| section.as_ref())
        .collect();
    let mostly_dated = dated * 10 >= n * 6;
    let mostly_local = local * 10 >= n * 6;
    let keep: Vec<bool> = members
        .iter()
        .zip(&places)
        .map(|((_, f), (on_site, section))| {
            if mostly_local && !on_site && !(mostly_dated && is_dated(f)) {
                return false;
            }
            if mostly_dated && !is_dated(f) {
                return section
                    .as_ref()
                    .is_some_and(|s| dated_sections.contains(&s));
            }
            true
        })
        .collect();
    members
        .into_iter()
        .zip(keep)
        .filter_map(|(member, keep)| keep.then_some(member))
        .collect()
}
