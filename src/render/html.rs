//! HTML bodies through html2text: links numbered as they come, emphasis as styles, blank
//! runs folded; every piece of text made safe on the way.

use std::cell::RefCell;
use std::rc::Rc;

use html2text::render::{TaggedLine, TextDecorator};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{LinkSpan, Rendered, clean, openable};
use crate::text::width;

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

pub(super) fn from_html(html: &str, width: usize, base: Option<&str>) -> Option<Rendered> {
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
