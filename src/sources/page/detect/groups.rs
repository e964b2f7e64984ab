//! Finding the list of news on a page: elements that hold links are grouped by their
//! structural path (the tag and first steady class of each ancestor), the groups whose
//! members look like news items are scored, and the best one wins.

use chrono::{DateTime, Utc};
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html};
use url::Url;

use super::fasthash::FastMap;
use super::fields::{self, Fields};
use super::text;
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
    /// What was read from the first members to score the group, in their order.
    pub sample: Vec<Fields<'a>>,
    pub score: f64,
}

/// An element's step in a path: its tag and first class that is the same on every item
/// (`post-123`, `views-row-1`, `odd` and `is-active` change from item to item).
pub fn label(el: ElementRef<'_>) -> String {
    let (name, class) = step(el);
    label_of(name, class)
}

fn label_of(name: &str, class: Option<&str>) -> String {
    match class {
        Some(class) => format!("{name}.{class}"),
        None => name.to_string(),
    }
}

/// [`label`]'s parts, borrowed from the page.
fn step(el: ElementRef<'_>) -> (&str, Option<&str>) {
    // In the page's order (scraper's `classes()` sorts them): the first is the main one.
    let class = super::attr(el, "class")
        .unwrap_or_default()
        .split_ascii_whitespace()
        .find(|c| steady_class(c));
    (el.value().name(), class)
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
            FURNITURE_TAGS.contains(&e.value().name())
                || super::attr(e, "role")
                    .is_some_and(|r| matches!(r, "navigation" | "banner" | "contentinfo"))
                || super::attr(e, "class").is_some_and(is_furniture)
                || super::attr(e, "id").is_some_and(is_furniture)
        })
}

struct Candidate<'a> {
    path: String,
    members: Vec<ElementRef<'a>>,
    /// Members with a link whose text is long enough for a title.
    titled: usize,
}

/// An element open on the walk down the page: the elements above an anchor, whose groups
/// the anchor settles. `el` is None for `<body>` and `<html>`, where paths start.
struct Open<'a> {
    el: Option<ElementRef<'a>>,
    group: Option<usize>,
    /// Counted as holding a title-length link.
    titled: bool,
}

/// The groups of the page, best first (at most [`SHORTLIST`] of them, scored in full).
pub fn ranked<'a>(document: &'a Html, base: &Url, now: Option<DateTime<Utc>>) -> Vec<Group<'a>> {
    let candidates = candidates(document);
    // A cheap first look: repeated, with title-length links, not in the furniture.
    let mut shortlist: Vec<(f64, Candidate<'a>)> = candidates
        .into_iter()
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

/// Each element that holds a link (in `<body>`, not just `#top` or `javascript:`) joins the
/// group of its path, in page order. One walk down the page: an anchor's ancestors are the
/// elements open on it, and those already grouped are the outer ones, so no element is
/// looked up twice (maps keyed by element cost a fifth of detection's time).
fn candidates(document: &Html) -> Vec<Candidate<'_>> {
    // A group by its parent's group and its own step (the path, without building it).
    let mut by_step: FastMap<(Option<usize>, &str, Option<&str>), usize> = FastMap::default();
    // In page order of their first member.
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut bodies = 0usize;
    for edge in document.tree.root().traverse() {
        let (node, opening) = match edge {
            Edge::Open(node) => (node, true),
            Edge::Close(node) => (node, false),
        };
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        if !opening {
            bodies -= usize::from(name == "body");
            open.pop();
            continue;
        }
        bodies += usize::from(name == "body");
        let start = matches!(name, "body" | "html");
        open.push(Open {
            el: (!start).then_some(el),
            group: None,
            titled: false,
        });
        if bodies == 0 || name != "a" {
            continue;
        }
        let followed = super::attr(el, "href")
            .map(str::trim)
            .is_some_and(|h| !h.is_empty() && !h.starts_with('#') && !h.starts_with("javascript:"));
        if !followed {
            continue;
        }
        // The anchor and its ancestors up to `<body>`: `open[first..]`.
        let first = open
            .iter()
            .rposition(|o| o.el.is_none())
            .map_or(0, |i| i + 1);
        let grouped = open[first..]
            .iter()
            .take_while(|o| o.group.is_some())
            .count();
        let mut parent = grouped.checked_sub(1).and_then(|i| open[first + i].group);
        // First met, outermost first: each joins the group of its path, in page order.
        for o in &mut open[first + grouped..] {
            let Some(el) = o.el else { continue };
            let (name, class) = step(el);
            let group = *by_step.entry((parent, name, class)).or_insert_with(|| {
                let parent_path = parent.map_or("", |p| candidates[p].path.as_str());
                candidates.push(Candidate {
                    path: format!("{parent_path}>{}", label_of(name, class)),
                    members: Vec::new(),
                    titled: 0,
                });
                candidates.len() - 1
            });
            candidates[group].members.push(el);
            o.group = Some(group);
            parent = Some(group);
        }
        let long =
            text::text_reaches(el, 15) || super::attr(el, "title").is_some_and(|t| t.len() >= 15);
        if long {
            // An element already counted had its ancestors counted with it.
            for o in open[first..].iter_mut().rev() {
                if o.titled {
                    break;
                }
                o.titled = true;
                if let Some(group) = o.group {
                    candidates[group].titled += 1;
                }
            }
        }
    }
    candidates
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
            sample,
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
        f.link_url
            .as_ref()
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
        sample,
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
