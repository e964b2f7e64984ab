//! The words that tell page furniture from news: class and id words of menus, footers and
//! share bars, and the link texts of "read more" buttons in the four languages we read.

/// Class or id words of containers that hold no news items.
const FURNITURE: [&str; 30] = [
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "submenu",
    "megamenu",
    "dropdown",
    "footer",
    "sidebar",
    "share",
    "sharing",
    "social",
    "pager",
    "pagination",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
    "related",
    "skip",
    "header",
    "masthead",
    "toolbar",
    "lang",
    "language",
    "languages",
    "tabs",
    "newsletter",
    "banner",
];

/// Elements whose whole subtree is page furniture.
pub(super) const FURNITURE_TAGS: [&str; 5] = ["nav", "footer", "header", "aside", "menu"];

/// True when a class or id value names furniture: `main-menu`, `site-footer`, `share_bar`.
/// WordPress's `tag-social-media` or `category-news` name the post's topics, not its place.
pub(super) fn is_furniture(value: &str) -> bool {
    value
        .split_ascii_whitespace()
        .filter(|class| {
            ![
                "tag-",
                "category-",
                "categories-",
                "topic-",
                "post-",
                "format-",
            ]
            .iter()
            .any(|p| class.starts_with(p))
        })
        .flat_map(|class| class.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .any(|w| FURNITURE.iter().any(|f| f.eq_ignore_ascii_case(w)))
}

/// Inside an item, the parts that are not the item's own: share bars, related links.
/// (An item's `header` and `footer` hold its title and date, so those words don't count.)
pub(super) fn is_item_furniture(class: &str) -> bool {
    const WORDS: [&str; 9] = [
        "share",
        "sharing",
        "social",
        "related",
        "pager",
        "pagination",
        "breadcrumb",
        "menu",
        "sharedaddy",
    ];
    class
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)))
}

/// Link texts that repeat an item's link rather than title it.
pub(super) fn is_read_more(text: &str) -> bool {
    // No phrase has more than 16 letters: a longer text is not one (teasers are long).
    if text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .nth(20)
        .is_some()
    {
        return false;
    }
    let folded: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        // `»`, `→`, an icon: nothing to read.
        return true;
    }
    const PHRASES: [&str; 22] = [
        "read more",
        "more",
        "read",
        "continue reading",
        "read the full story",
        "read full article",
        "learn more",
        "find out more",
        "see more",
        "details",
        "leggi tutto",
        "leggi di più",
        "leggi",
        "continua",
        "continua a leggere",
        "approfondisci",
        "en savoir plus",
        "lire la suite",
        "lire plus",
        "leer más",
        "seguir leyendo",
        "ver más",
    ];
    PHRASES.contains(&folded.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_words_are_whole_words() {
        assert!(is_furniture("main-menu"));
        assert!(is_furniture("site-footer clearfix"));
        assert!(is_furniture("share_bar"));
        assert!(!is_furniture("ilo--card"));
        assert!(!is_furniture("menuiserie"));
        assert!(!is_furniture("canvas"));
        assert!(!is_furniture(
            "post type-post tag-social-economy category-news"
        ));
    }

    #[test]
    fn read_more_in_four_languages() {
        for text in [
            "Read more",
            "Read more »",
            "Leggi tutto",
            "Lire la suite",
            "Leer más",
            "→",
        ] {
            assert!(is_read_more(text), "{text}");
        }
        assert!(!is_read_more("More jobs for young people in Europe"));
    }
}
