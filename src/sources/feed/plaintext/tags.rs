//! The elements the text pass tells apart, and what each does to the text.

/// Elements whose content is never text a reader sees.
const SKIPPED: [&str; 6] = ["script", "style", "template", "noscript", "iframe", "head"];
/// Elements that stand apart from the text around them by a blank line.
const PARAGRAPHS: [&str; 22] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "hr",
    "address",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "main",
];
/// Elements that start on a line of their own.
const LINES: [&str; 14] = [
    "div",
    "li",
    "dt",
    "dd",
    "tr",
    "caption",
    "figcaption",
    "center",
    "details",
    "summary",
    "fieldset",
    "legend",
    "form",
    "option",
];

/// What an element does to the text, told once per tag.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Skipped(&'static str),
    Img,
    Br,
    Pre,
    Paragraph,
    Line,
    Cell,
    Inline,
}

impl Tag {
    pub(super) fn of(name: &str) -> Tag {
        // Every name in the lists is at most 10 letters; longer ones are inline.
        let mut lower = [0u8; 10];
        let Some(buf) = lower.get_mut(..name.len()) else {
            return Tag::Inline;
        };
        buf.copy_from_slice(name.as_bytes());
        buf.make_ascii_lowercase();
        let lower = std::str::from_utf8(buf).unwrap_or_default();
        if let Some(skipped) = SKIPPED.iter().find(|s| **s == lower) {
            return Tag::Skipped(skipped);
        }
        match lower {
            "img" => Tag::Img,
            "br" => Tag::Br,
            "pre" => Tag::Pre,
            "td" | "th" => Tag::Cell,
            _ if PARAGRAPHS.contains(&lower) => Tag::Paragraph,
            _ if LINES.contains(&lower) => Tag::Line,
            _ => Tag::Inline,
        }
    }
}
