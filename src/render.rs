//! Article bodies as lines for a width: HTML through html2text (paragraphs, lists, quotes,
//! links numbered inline as `[n]`), plain text wrapped by display columns, every character
//! from a feed sanitised. Pure, and total: any input gives lines, never a panic.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::FixedOffset;
use html2text::render::{TaggedLine, TextDecorator};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

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
        .and_then(|html| from_html(cap(html), width, base))
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Mark {
    #[default]
    Plain,
    /// Text of link number n (0-based).
    Link(usize),
    Emphasis,
    Strong,
    Code,
    Strikeout,
}

/// Links met so far, shared by every sub-block decorator html2text clones, so numbers
/// run through the whole document.
#[derive(Default)]
struct LinkBook {
    urls: Vec<String>,
    /// Number of each open `<a>` (None when its target is not openable).
    open: Vec<Option<usize>>,
    base: Option<url::Url>,
}

#[derive(Clone)]
struct Decorator(Rc<RefCell<LinkBook>>);

impl TextDecorator for Decorator {
    type Annotation = Mark;

    fn decorate_link_start(&mut self, url: &str) -> (String, Mark) {
        let mut book = self.0.borrow_mut();
        let resolved = match &book.base {
            Some(base) => base.join(url).ok(),
            None => url::Url::parse(url).ok(),
        }
        .map(String::from)
        .filter(|u| openable(u));
        let number = resolved.map(|u| match book.urls.iter().position(|x| *x == u) {
            Some(i) => i,
            None => {
                book.urls.push(u);
                book.urls.len() - 1
            }
        });
        book.open.push(number);
        (String::new(), number.map_or(Mark::Plain, Mark::Link))
    }

    fn decorate_link_end(&mut self) -> String {
        match self.0.borrow_mut().open.pop().flatten() {
            Some(i) => format!("[{}]", i + 1),
            None => String::new(),
        }
    }

    fn decorate_em_start(&self) -> (String, Mark) {
        (String::new(), Mark::Emphasis)
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, Mark) {
        (String::new(), Mark::Strong)
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, Mark) {
        (String::new(), Mark::Strikeout)
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, Mark) {
        (String::new(), Mark::Code)
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) -> Mark {
        Mark::Code
    }
    fn decorate_preformat_cont(&self) -> Mark {
        Mark::Code
    }
    fn decorate_image(&mut self, _src: &str, title: &str) -> (String, Mark) {
        let title = title.trim();
        let text = if title.is_empty() {
            "[image]".to_string()
        } else {
            format!("[image: {title}]")
        };
        (text, Mark::Emphasis)
    }
    // html2text sizes prefixes by their byte length, so they must be ASCII.
    fn header_prefix(&self, level: usize) -> String {
        "#".repeat(level.min(6)) + " "
    }
    fn quote_prefix(&self) -> String {
        "> ".to_string()
    }
    fn unordered_item_prefix(&self) -> String {
        "- ".to_string()
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        self.clone()
    }
}

fn from_html(html: &str, width: usize, base: Option<&str>) -> Option<Rendered> {
    let book = Rc::new(RefCell::new(LinkBook {
        base: base.and_then(|b| url::Url::parse(b).ok()),
        ..LinkBook::default()
    }));
    let tagged = html2text::config::with_decorator(Decorator(Rc::clone(&book)))
        .allow_width_overflow()
        .lines_from_read(html.as_bytes(), width)
        .ok()?;
    let links = std::mem::take(&mut book.borrow_mut().urls);
    // html2text ends blocks with blank lines; a run of them, or one at either end, is noise.
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans = Vec::new();
    let mut blank_before = true;
    for tagged_line in tagged {
        let (line, marks) = to_line(tagged_line);
        let blank = is_blank(&line);
        if blank && blank_before {
            continue;
        }
        blank_before = blank;
        spans.extend(marks.into_iter().filter_map(|(column, width, n)| {
            Some(LinkSpan {
                line: lines.len(),
                column,
                width,
                url: links.get(n)?.clone(),
            })
        }));
        lines.push(line);
    }
    while lines.last().is_some_and(is_blank) {
        lines.pop();
    }
    Some(Rendered {
        lines,
        links,
        spans,
    })
}

fn is_blank(line: &Line<'_>) -> bool {
    line.spans.iter().all(|s| s.content.trim().is_empty())
}

/// A line, and the (column, width, link number) of its link text.
fn to_line(line: TaggedLine<Vec<Mark>>) -> (Line<'static>, Vec<(u16, u16, usize)>) {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut marks = Vec::new();
    let mut column = 0usize;
    for piece in line.tagged_strings() {
        let text = clean(&piece.s);
        if text.is_empty() {
            continue;
        }
        let text_width = width(&text);
        let link = piece.tag.iter().rev().find_map(|m| match m {
            Mark::Link(n) => Some(*n),
            _ => None,
        });
        if let Some(n) = link {
            let to_u16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
            marks.push((to_u16(column), to_u16(text_width), n));
        }
        column += text_width;
        spans.push(Span::styled(text, style(&piece.tag)));
    }
    (Line::from(spans), marks)
}

fn style(marks: &[Mark]) -> Style {
    marks.iter().fold(Style::new(), |style, mark| match mark {
        Mark::Plain => style,
        Mark::Link(_) => style.add_modifier(Modifier::UNDERLINED),
        Mark::Emphasis => style.add_modifier(Modifier::ITALIC),
        Mark::Strong => style.add_modifier(Modifier::BOLD),
        Mark::Code => style.add_modifier(Modifier::DIM),
        Mark::Strikeout => style.add_modifier(Modifier::CROSSED_OUT),
    })
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
