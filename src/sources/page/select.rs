//! The selector syntax of page subscriptions: `css` or `css@attr`, where an empty css
//! (`@href`) means the item element itself. Compiled once per fetch; bad syntax is an
//! error naming the key, before any request is made.

use scraper::{ElementRef, Selector};

use super::super::FetchError;
use crate::model::PageSpec;

/// One compiled `css@attr`.
#[derive(Debug, Clone)]
pub struct Pick {
    /// None: the item element itself.
    css: Option<Selector>,
    attr: Option<String>,
}

/// Every selector of a subscription, compiled.
#[derive(Debug, Clone)]
pub struct Selectors {
    /// None: items are detected.
    pub item: Option<Selector>,
    pub item_source: Option<String>,
    pub title: Option<Pick>,
    pub link: Option<Pick>,
    pub date: Option<Pick>,
    pub summary: Option<Pick>,
}

impl Selectors {
    pub fn compile(spec: &PageSpec) -> Result<Selectors, FetchError> {
        Ok(Selectors {
            item: spec
                .item
                .as_deref()
                .map(|s| css(s.trim(), "item"))
                .transpose()?,
            item_source: spec.item.as_deref().map(|s| s.trim().to_string()),
            title: spec
                .item_title
                .as_deref()
                .map(|s| Pick::parse(s, "item_title"))
                .transpose()?,
            link: spec
                .item_link
                .as_deref()
                .map(|s| Pick::parse(s, "item_link"))
                .transpose()?,
            date: spec
                .item_date
                .as_deref()
                .map(|s| Pick::parse(s, "item_date"))
                .transpose()?,
            summary: spec
                .item_summary
                .as_deref()
                .map(|s| Pick::parse(s, "item_summary"))
                .transpose()?,
        })
    }
}

fn css(source: &str, key: &str) -> Result<Selector, FetchError> {
    Selector::parse(source)
        .map_err(|e| FetchError::Page(format!("invalid selector `{source}` in {key}: {e}")))
}

/// The attribute after the last `@`, if what follows is an attribute name; so an `@`
/// inside a CSS attribute value (`a[href*="@"]`) stays CSS.
fn split_attr(source: &str) -> (&str, Option<&str>) {
    match source
        .rsplit_once('@')
        .map(|(css, attr)| (css, attr.trim()))
    {
        Some((css, attr))
            if !attr.is_empty()
                && attr
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':')) =>
        {
            (css.trim(), Some(attr))
        }
        _ => (source, None),
    }
}

impl Pick {
    pub fn parse(source: &str, key: &str) -> Result<Pick, FetchError> {
        let source = source.trim();
        let (css_part, attr) = split_attr(source);
        if css_part.is_empty() && attr.is_none() {
            return Err(FetchError::Page(format!(
                "invalid selector in {key}: it is empty; write CSS such as `h3`, or `a@href` for an attribute"
            )));
        }
        let css = if css_part.is_empty() {
            None
        } else {
            Some(css(css_part, key)?)
        };
        Ok(Pick {
            css,
            attr: attr.map(str::to_ascii_lowercase),
        })
    }

    /// The elements this picks inside `item`, in document order (the item itself when
    /// the css is empty).
    fn elements<'a>(
        &'a self,
        item: ElementRef<'a>,
    ) -> Box<dyn Iterator<Item = ElementRef<'a>> + 'a> {
        match &self.css {
            Some(css) => Box::new(item.select(css)),
            None => Box::new(std::iter::once(item)),
        }
    }

    /// The first non-empty value: the attribute when one is named, else the element's text.
    /// `text_fallback` also takes the text of an element that lacks the attribute (dates:
    /// `time@datetime` on a `<time>` without one).
    pub fn value(&self, item: ElementRef<'_>, text_fallback: bool) -> Option<String> {
        self.elements(item).find_map(|el| {
            let value = match &self.attr {
                Some(attr) => match el.value().attr(attr) {
                    Some(v) => v.to_string(),
                    None if text_fallback => el.text().collect(),
                    None => return None,
                },
                None => el.text().collect(),
            };
            let value = value.trim().to_string();
            (!value.is_empty()).then_some(value)
        })
    }

    /// For dates: the attribute when it reads as a date, else the element's text when that
    /// does (`time@datetime` whose attribute is a format no one reads); returns what was read
    /// and the date, or the raw value when neither reads.
    pub fn date(
        &self,
        item: ElementRef<'_>,
        now: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Option<(String, Option<chrono::DateTime<chrono::Utc>>)> {
        let mut first_raw = None;
        for el in self.elements(item) {
            let text = el.text().collect::<String>().trim().to_string();
            let attr = self
                .attr
                .as_ref()
                .and_then(|a| el.value().attr(a))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            for value in attr.into_iter().chain([text]) {
                if value.is_empty() {
                    continue;
                }
                if let Some(date) = super::dates::parse_at(&value, now) {
                    return Some((value, Some(date)));
                }
                first_raw.get_or_insert(value);
            }
        }
        first_raw.map(|raw| (raw, None))
    }

    /// For links: the attribute when named, else `href` of the first match that has one,
    /// or of the item itself when the item is an `<a>`.
    pub fn href(&self, item: ElementRef<'_>) -> Option<String> {
        let attr = self.attr.as_deref().unwrap_or("href");
        let found = self
            .elements(item)
            .find_map(|el| el.value().attr(attr).filter(|v| !v.trim().is_empty()));
        let own = || {
            (self.attr.is_none() && item.value().name() == "a")
                .then(|| item.value().attr("href"))
                .flatten()
        };
        found.or_else(own).map(|v| v.trim().to_string())
    }

    /// The first matching element (summaries keep its HTML).
    pub fn first<'a>(&'a self, item: ElementRef<'a>) -> Option<ElementRef<'a>> {
        self.elements(item).next()
    }

    pub fn attr(&self) -> Option<&str> {
        self.attr.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn spec(item: &str, title: &str, link: &str) -> PageSpec {
        PageSpec {
            url: "https://example.org/".into(),
            item: Some(item.into()),
            item_title: Some(title.into()),
            item_link: Some(link.into()),
            item_date: None,
            item_summary: None,
            full_text: false,
        }
    }

    #[test]
    fn css_and_attribute_split() {
        assert_eq!(split_attr("a@href"), ("a", Some("href")));
        assert_eq!(
            split_attr("time.date @ datetime"),
            ("time.date", Some("datetime"))
        );
        assert_eq!(
            split_attr("time.date@data-ts"),
            ("time.date", Some("data-ts"))
        );
        assert_eq!(split_attr("@href"), ("", Some("href")));
        assert_eq!(split_attr("h3"), ("h3", None));
        assert_eq!(split_attr(r#"a[href*="@"]"#), (r#"a[href*="@"]"#, None));
    }

    #[test]
    fn bad_syntax_names_the_key() {
        let err = Selectors::compile(&spec("article", "h3[", "a@href")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("invalid selector `h3[` in item_title:"),
            "{message}"
        );
        let err = Selectors::compile(&spec("div >", "h3", "a")).unwrap_err();
        assert!(err.to_string().contains("in item:"), "{err}");
        assert!(Selectors::compile(&spec("article", "h3", "@")).is_err());
    }

    #[test]
    fn values_from_text_attributes_and_the_item_itself() {
        let html = Html::parse_fragment(
            r#"<div><a class="card" href="/x" title="T"><h3> </h3><h3>Second</h3><time>16 Mar 2017</time></a></div>"#,
        );
        let item = html
            .select(&Selector::parse("a.card").unwrap())
            .next()
            .unwrap();
        let text = Pick::parse("h3", "t").unwrap();
        assert_eq!(text.value(item, false).as_deref(), Some("Second"));
        assert_eq!(
            Pick::parse("@title", "t")
                .unwrap()
                .value(item, false)
                .as_deref(),
            Some("T")
        );
        let date = Pick::parse("time@datetime", "d").unwrap();
        assert_eq!(date.value(item, false), None);
        assert_eq!(date.value(item, true).as_deref(), Some("16 Mar 2017"));
        // No `a` inside the card: the card's own href.
        assert_eq!(
            Pick::parse("a", "l").unwrap().href(item).as_deref(),
            Some("/x")
        );
        assert_eq!(
            Pick::parse("@href", "l").unwrap().href(item).as_deref(),
            Some("/x")
        );
    }
}
