//! Article bodies as lines for a width: HTML through html2text (paragraphs, lists, quotes,
//! links numbered inline as `[n]`), plain text wrapped by display columns, every character
//! from a feed sanitised. Pure, and total: any input gives lines, never a panic.

use chrono::FixedOffset;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use unicode_segmentation::UnicodeSegmentation;

mod html;

use crate::i18n::Lang;
use crate::model::StoredArticle;
use crate::text::{clean_block, is_unsafe, truncate, width};

/// Bodies past this are cut before parsing: nobody reads them in a terminal, and a
/// hostile feed could send megabytes.
const MAX_HTML_BYTES: usize = 512 * 1024;

/// Lines for the reader and the links they number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    /// Absolute http, https and mailto links; `[n]` in the text is `links[n - 1]`.
    pub links: Vec<String>,
    /// Where link text sits in `lines`, for clicks and OSC 8 hyperlinks.
    pub spans: Vec<LinkSpan>,
}

/// Link text on one line: columns `column..column + width` of `lines[line]` lead to `url`
/// (always openable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSpan {
    pub line: usize,
    pub column: u16,
    pub width: u16,
    pub url: String,
}

impl LinkSpan {
    fn whole(line: usize, text: &str, url: &str) -> Option<LinkSpan> {
        openable(url).then(|| LinkSpan {
            line,
            column: 0,
            width: u16::try_from(width(text)).unwrap_or(u16::MAX),
            url: url.to_string(),
        })
    }
}

/// A whole article: title, source, author, date and link, the body, then its links (under
/// a heading in `lang`).
pub fn article(article: &StoredArticle, width: u16, offset: FixedOffset, lang: Lang) -> Rendered {
    let width = width.max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let dim = Style::new().add_modifier(Modifier::DIM);
    for line in wrap(&clean(&article.title), usize::from(width)) {
        lines.push(Line::styled(line, bold));
    }
    let mut byline = clean(&article.feed);
    if let Some(author) = article
        .author
        .as_deref()
        .map(clean)
        .filter(|a| !a.is_empty())
    {
        byline = format!("{byline} · {author}");
    }
    let date = article
        .published
        .with_timezone(&offset)
        .format("%Y-%m-%d %H:%M");
    lines.push(Line::styled(truncate(&byline, usize::from(width)), dim));
    lines.push(Line::styled(date.to_string(), dim));
    let mut spans = Vec::new();
    if let Some(link) = &article.link {
        let shown = truncate(&clean(link), usize::from(width));
        spans.extend(LinkSpan::whole(lines.len(), &shown, link));
        lines.push(Line::styled(
            shown,
            Style::new().add_modifier(Modifier::UNDERLINED),
        ));
    }
    lines.push(Line::default());
    let mut body = body(
        article.html.as_deref(),
        &article.text,
        width,
        article.link.as_deref(),
    );
    let first_body_line = lines.len();
    spans.extend(body.spans.drain(..).map(|mut span| {
        span.line += first_body_line;
        span
    }));
    lines.append(&mut body.lines);
    // Links the body text did not show (a Bluesky embed, a plain-text body) still get numbers.
    for link in &article.links {
        if openable(link) && !body.links.contains(link) {
            body.links.push(link.clone());
        }
    }
    if !body.links.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(lang.t("ui.links"), bold));
        for (index, link) in body.links.iter().enumerate() {
            let text = truncate(
                &format!("[{}] {}", index + 1, clean(link)),
                usize::from(width),
            );
            spans.extend(LinkSpan::whole(lines.len(), &text, link));
            lines.push(Line::raw(text));
        }
    }
    Rendered {
        lines,
        links: body.links,
        spans,
    }
}

/// An article as plain lines (for `coopnews show`): the reader's lines without styles,
/// in the local time zone.
pub fn article_text(article: &StoredArticle, width: usize, lang: Lang) -> Vec<String> {
    let width = u16::try_from(width).unwrap_or(u16::MAX).max(10);
    let offset = *chrono::Local::now().offset();
    self::article(article, width, offset, lang)
        .lines
        .iter()
        .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

/// The body alone: HTML when there is some, else the plain text. `base` resolves relative links.
pub fn body(html: Option<&str>, text: &str, width: u16, base: Option<&str>) -> Rendered {
    let width = usize::from(width.max(1));
    if let Some(rendered) = html
        .filter(|h| !h.trim().is_empty())
        .and_then(|html| html::from_html(cap(html), width, base))
    {
        return rendered;
    }
    Rendered {
        lines: wrap(&clean_block(text), width)
            .into_iter()
            .map(Line::raw)
            .collect(),
        links: Vec::new(),
        spans: Vec::new(),
    }
}

fn cap(html: &str) -> &str {
    let mut end = MAX_HTML_BYTES.min(html.len());
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    &html[..end]
}

/// Only these are ever handed to a browser.
pub fn openable(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
}

/// One line of feed text made safe to print: tabs to spaces, every control and bidi
/// override dropped.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\t' || c == '\n' { ' ' } else { c })
        .filter(|c| !is_unsafe(*c))
        .collect()
}

/// Greedy word wrap by display columns; a word wider than the line is cut at graphemes.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let w = width_of(word);
            if used > 0 && used + 1 + w <= width {
                line.push(' ');
                line.push_str(word);
                used += 1 + w;
                continue;
            }
            if used > 0 {
                out.push(std::mem::take(&mut line));
                used = 0;
            }
            if w <= width {
                line.push_str(word);
                used = w;
                continue;
            }
            for g in word.graphemes(true) {
                let gw = width_of(g);
                if used + gw > width && used > 0 {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push_str(g);
                used += gw;
            }
        }
        out.push(line);
    }
    out
}

fn width_of(s: &str) -> usize {
    width(s)
}
