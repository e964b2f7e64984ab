//! Selectors that pick what detection found, printed by `coopnews check` so a user can
//! pin a page subscription down (or adjust it) in the configuration.

use scraper::{ElementRef, Html, Selector};

use super::fields::{Fields, text_of};
use super::groups::label;

/// One page subscription's selectors, as the configuration writes them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Suggested {
    pub item: String,
    pub item_title: Option<String>,
    pub item_link: Option<String>,
    pub item_date: Option<String>,
    pub item_summary: Option<String>,
}

/// `members` counts the group's items before promotions were left out: the item selector
/// picks them all.
pub fn selectors(
    document: &Html,
    items: &[(ElementRef<'_>, Fields<'_>)],
    members: usize,
) -> Suggested {
    let Some((first, fields)) = items.first() else {
        return Suggested::default();
    };
    let same = |a: ElementRef<'_>, b: ElementRef<'_>| a.id() == b.id();
    let item_title = match (fields.title_el, fields.link_el) {
        (Some(t), _) if !same(t, *first) => Some(label(t)),
        (_, Some(a)) if fields.title.as_deref() == Some(text_of(a).as_str()) => {
            Some(if same(a, *first) {
                "@title".into()
            } else {
                label(a)
            })
        }
        (_, Some(a)) => Some(if same(a, *first) {
            "@title".into()
        } else {
            format!("{}@title", label(a))
        }),
        _ => None,
    };
    let item_link = fields.link_el.map(|a| {
        if same(a, *first) {
            "@href".to_string()
        } else {
            format!("{}@href", label(a))
        }
    });
    let item_date = fields.date.as_ref().and_then(|d| {
        let el = d.element.filter(|el| !same(*el, *first))?;
        Some(match d.attr {
            Some(attr) => format!("{}@{attr}", label(el)),
            None => label(el),
        })
    });
    let item_summary = fields.summary.map(label);
    Suggested {
        item: item_selector(document, items, members),
        item_title,
        item_link,
        item_date,
        item_summary,
    }
}

/// The item's own label when it picks exactly the items; else with its parents' labels
/// (`ul.news > li`), up to three steps.
fn item_selector(
    document: &Html,
    items: &[(ElementRef<'_>, Fields<'_>)],
    members: usize,
) -> String {
    let Some((first, _)) = items.first() else {
        return String::new();
    };
    let mut css = label(*first);
    let mut parent = first.parent().and_then(ElementRef::wrap);
    for _ in 0..3 {
        let count = Selector::parse(&css).map_or(0, |s| document.select(&s).count());
        if count == members {
            break;
        }
        let Some(p) = parent.filter(|p| p.value().name() != "body") else {
            break;
        };
        css = format!("{} > {css}", label(p));
        parent = p.parent().and_then(ElementRef::wrap);
    }
    css
}
