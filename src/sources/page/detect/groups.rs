//! Finding the list of news on a page: elements that hold links are grouped by their
//! structural path (the tag and first steady class of each ancestor), the groups whose
//! members look like news items are scored, and the best one wins.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::fields::{self, Fields};
use super::words::{FURNITURE_TAGS, is_furniture};

/// Only this many groups, best by a cheap first look, are scored.
const SHORTLIST: usize = 16;

/// A group is scored on its first members: reading 400 cards of a big page 16 times over
/// cost most of the time detection took.
const SAMPLE: usize = 24;

/// A group of elements with the same structural path, in page order.
pub struct Group<'a> {
    pub path: String,
    pub members: Vec<ElementRef<'a>>,
    pub score: f64,
}

/// An element's step in a path: its tag and first class that is the same on every item
/// (`post-123`, `views-row-1`, `odd` and `is-active` change from item to item).
pub fn label(el: ElementRef<'_>) -> String {
    let name = el.value().name();
    // In the page's order (scraper's `classes()` sorts them): the first is the main one.
    let class = el
        .value()
        .attr("class")
        .unwrap_or_default()
        .split_ascii_whitespace()
        .find(|c| steady_class(c));
    match class {
        Some(class) => format!("{name}.{class}"),
        None => name.to_string(),
    }
}

pub fn steady_class(class: &str) -> bool {
    const VARYING: [&str; 9] = [
        "odd", "even", "first", "last", "active", "current", "selected", "clearfix", "hentry",
    ];
    !class.is_empty()
        && !class.bytes().any(|b| b.is_ascii_digit())
        && !VARYING.contains(&class)
        && ![
            "is-",
            "has-",
            "js-",
            "category-",
            "tag-",
            "format-",
            "status-",
            "type-",
        ]
        .iter()
        .any(|p| class.starts_with(p))
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Page furniture: the element or an ancestor is a `<nav>`, `<footer>`, `<aside>`… or
/// has a class or id such as `menu`, `footer`, `share`, `pager`.
pub fn is_in_furniture(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|e| {
            let v = e.value();
            FURNITURE_TAGS.contains(&v.name())
                || v.attr("role")
                    .is_some_and(|r| matches!(r, "navigation" | "banner" | "contentinfo"))
                || v.attr("class").is_some_and(is_furniture)
                || v.attr("id").is_some_and(is_furniture)
        })
}

struct Candidate<'a> {
    path: String,
    members: Vec<ElementRef<'a>>,
    /// Members with a link whose text is long enough for a title.
    titled: usize,
}

/// The groups of the page, best first (at most [`SHORTLIST`] of them, scored in full).
pub fn ranked<'a>(document: &'a Html, base: &Url, now: Option<DateTime<Utc>>) -> Vec<Group<'a>> {
    let Ok(anchor_selector) = Selector::parse("body a[href]") else {
        return Vec::new();
    };
    let mut paths: HashMap<NodeId, String> = HashMap::new();
    let mut titled_seen: HashSet<NodeId> = HashSet::new();
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Candidate<'a>> = HashMap::new();
    for anchor in document.select(&anchor_selector) {
        let href = anchor.value().attr("href").unwrap_or_default().trim();
        if href.is_empty() || href.starts_with('#') || href.starts_with("javascript:") {
            continue;
        }
        let long = fields::text_of(anchor).chars().count() >= 15
            || anchor.value().attr("title").is_some_and(|t| t.len() >= 15);
        // The anchor and its ancestors up to `<body>`, outermost first.
        let mut chain: Vec<ElementRef<'a>> = std::iter::once(anchor)
            .chain(anchor.ancestors().filter_map(ElementRef::wrap))
            .take_while(|e| !matches!(e.value().name(), "body" | "html"))
            .collect();
        chain.reverse();
        let mut parent_path = String::new();
        for el in chain {
            let path = match paths.get(&el.id()) {
                Some(p) => p.clone(),
                None => {
                    // First met: it joins the group of its path, in page order.
                    let p = format!("{parent_path}>{}", label(el));
                    paths.insert(el.id(), p.clone());
                    groups
                        .entry(p.clone())
                        .or_insert_with(|| {
                            order.push(p.clone());
                            Candidate {
                                path: p.clone(),
                                members: Vec::new(),
                                titled: 0,
                            }
                        })
                        .members
                        .push(el);
                    p
                }
            };
            if long
                && titled_seen.insert(el.id())
                && let Some(group) = groups.get_mut(&path)
            {
                group.titled += 1;
            }
            parent_path = path;
        }
    }
    // A cheap first look: repeated, with title-length links, not in the furniture.
    let mut shortlist: Vec<(f64, Candidate<'a>)> = order
        .into_iter()
        .filter_map(|path| groups.remove(&path))
        .filter(|g| g.members.len() >= 2 && g.titled >= 2)
        .map(|g| {
            let furniture = if is_in_furniture(g.members[0]) {
                0.1
            } else {
                1.0
            };
            (g.titled as f64 * furniture, g)
        })
        .collect();
    shortlist.sort_by(|a, b| b.0.total_cmp(&a.0));
    shortlist.truncate(SHORTLIST);
    let mut scored: Vec<Group<'a>> = shortlist
        .into_iter()
        .map(|(_, c)| score(c, base, now))
        .filter(|g| g.score > 0.0)
        .collect();
    // Best first; on a tie the deeper path (the card rather than its wrapper), then the
    // earlier one on the page, so the choice is the same on every run.
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                b.path
                    .matches('>')
                    .count()
                    .cmp(&a.path.matches('>').count())
            })
            .then_with(|| a.members[0].id().cmp(&b.members[0].id()))
    });
    scored
}

fn score<'a>(candidate: Candidate<'a>, base: &Url, now: Option<DateTime<Utc>>) -> Group<'a> {
    let sample: Vec<Fields<'a>> = candidate
        .members
        .iter()
        .take(SAMPLE)
        .map(|el| fields::read(*el, base, now))
        .collect();
    let valid: Vec<&Fields<'a>> = sample
        .iter()
        .filter(|f| f.title.is_some() && f.link.is_some())
        .collect();
    if valid.len() < 2 {
        return Group {
            path: candidate.path,
            members: candidate.members,
            score: 0.0,
        };
    }
    // Members with a title and a link, in the sample and so (estimated) in the whole group.
    let n_sample = valid.len() as f64;
    let n = n_sample * candidate.members.len() as f64 / sample.len() as f64;
    let share = |pred: &dyn Fn(&Fields<'a>) -> bool| {
        valid.iter().filter(|f| pred(f)).count() as f64 / n_sample
    };
    let title_chars = valid
        .iter()
        .map(|f| f.title.as_deref().map_or(0, |t| t.chars().count()))
        .sum::<usize>() as f64
        / n_sample;
    let title_quality = match title_chars {
        c if c < 8.0 => 0.05,
        c if c < 15.0 => 0.3,
        c if c < 20.0 => 0.7,
        c if c > 250.0 => 0.5,
        _ => 1.0,
    };
    let dated = share(&|f| f.date.as_ref().is_some_and(|d| d.published.is_some()));
    let headed = share(&|f| f.has_heading);
    let teased = share(&|f| f.summary.is_some());
    let several = share(&|f| f.titled_links > 1);
    let mut links: Vec<&str> = valid.iter().filter_map(|f| f.link.as_deref()).collect();
    links.sort_unstable();
    links.dedup();
    let distinct = links.len() as f64 / n_sample;
    let host = base.host_str();
    let same_site = share(&|f| {
        f.link
            .as_deref()
            .and_then(|l| Url::parse(l).ok())
            .is_some_and(|u| same_site(u.host_str(), host))
    });
    let furniture = if is_in_furniture(candidate.members[0]) {
        0.05
    } else {
        1.0
    };
    let score = n
        * title_quality
        * (1.0 + 1.5 * dated)
        * (1.0 + 0.5 * headed)
        * (1.0 + 0.3 * teased)
        * distinct
        * distinct
        * (0.3 + 0.7 * same_site)
        * (1.0 - several).powi(2)
        * furniture;
    Group {
        path: candidate.path,
        members: candidate.members,
        score,
    }
}

/// `www.example.org` and `example.org` are one site.
pub fn same_site(a: Option<&str>, b: Option<&str>) -> bool {
    let bare = |h: &str| h.trim_start_matches("www.").to_ascii_lowercase();
    match (a, b) {
        (Some(a), Some(b)) => bare(a) == bare(b),
        _ => false,
    }
}
