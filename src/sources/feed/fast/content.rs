//! The text of an element read straight from the document when it holds nothing but text,
//! CDATA and references, as most feed elements do. quick-xml hands such text over as one
//! event per piece between references, and checks each piece's UTF-8 again though the
//! document is a `&str` already: with escaped HTML bodies, a fifth of the reading's time.
//! Anything else (markup, a comment, an odd reference) is left to the event path, which
//! reads it, or declines it, as before.

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::BytesRef;

use super::push;

/// The text at the start of `rest`, an element's content, up to its end tag: the text
/// (None when there is none) and where the end tag's `</` is. None when the content holds
/// anything but text, CDATA sections and references quick-xml resolves.
pub(super) fn plain(rest: &str) -> Option<(Option<Cow<'_, str>>, usize)> {
    let bytes = rest.as_bytes();
    let mut out = None;
    let mut at = 0;
    loop {
        let next = at + memchr::memchr2(b'<', b'&', &bytes[at..])?;
        if next > at {
            push(&mut out, Cow::Borrowed(&rest[at..next]));
        }
        let after = &bytes[next + 1..];
        if bytes[next] == b'&' {
            // quick-xml reads a reference up to `;`, and fails on `&` or `<` before it.
            let len = memchr::memchr3(b';', b'&', b'<', after)?;
            if after[len] != b';' {
                return None;
            }
            reference(&mut out, &rest[next + 1..next + 1 + len])?;
            at = next + len + 2;
        } else if after.first() == Some(&b'/') {
            return Some((out, next));
        } else if after.starts_with(b"![CDATA[") {
            let body = next + "<![CDATA[".len();
            let len = memchr::memmem::find(&bytes[body..], b"]]>")?;
            if len > 0 {
                push(&mut out, Cow::Borrowed(&rest[body..body + len]));
            }
            at = body + len + "]]>".len();
        } else {
            return None;
        }
    }
}

/// A reference resolved as the event path resolves it; None where that path would decline.
fn reference<'a>(out: &mut Option<Cow<'a, str>>, name: &'a str) -> Option<()> {
    match BytesRef::new(name).resolve_char_ref().ok()? {
        Some(c) => match out {
            None => *out = Some(Cow::Owned(c.to_string())),
            Some(text) => text.to_mut().push(c),
        },
        None => push(out, Cow::Borrowed(resolve_predefined_entity(name)?)),
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::{Next, Xml};
    use super::plain;
    use crate::text::random::joined_at_random;

    fn read(rest: &str) -> Option<(Option<String>, usize)> {
        plain(rest).map(|(text, end)| (text.map(|t| t.into_owned()), end))
    }

    #[test]
    fn text_references_and_cdata_are_joined_up_to_the_end_tag() {
        let rest = "a &lt;b&gt; &#233;&#x20AC; <![CDATA[<p>x</p>]]>z</title><next/>";
        let end = rest.find("</title>").unwrap();
        assert_eq!(read(rest), Some((Some("a <b> é€ <p>x</p>z".into()), end)));
        assert_eq!(read("</t>"), Some((None, 0)));
        assert_eq!(read("<![CDATA[]]></t>"), Some((None, 12)));
    }

    #[test]
    fn plain_text_stays_borrowed() {
        let (text, _) = plain("just words</t>").unwrap();
        assert!(matches!(
            text,
            Some(std::borrow::Cow::Borrowed("just words"))
        ));
    }

    #[test]
    fn anything_else_goes_to_the_event_path() {
        for rest in [
            "a <b>bold</b></t>",
            "a <!-- note --> b</t>",
            "a <?pi x?></t>",
            "&nbsp;</t>",
            "&#0;</t>",
            "&#xZZ;</t>",
            "a & b</t>",
            "a &amp</t>",
            "<![CDATA[never closed</t>",
            "no end tag",
        ] {
            assert_eq!(read(rest), None, "{rest}");
        }
    }

    /// An element's text and what follows it, read with `text` or `text_by_events`.
    fn outcome(start: &str, content: &str, by_events: bool) -> String {
        let doc = format!("<rss><channel>{start}{content}</title><link>l</link></channel></rss>");
        let mut xml = Xml::new(&doc);
        let mut steps = Vec::new();
        for _ in 0..3 {
            match xml.next() {
                Ok(Next::Start(s)) => steps.push(format!("<{:?}>", s.tag.name())),
                other => return format!("{steps:?} then {:?}", other.err()),
            }
        }
        let text = if by_events {
            xml.text_by_events()
        } else {
            xml.text()
        };
        let after = match xml.next() {
            Ok(Next::Start(s)) => format!("<{:?}>", s.tag.name()),
            Ok(Next::End) => "end".into(),
            Err(e) => format!("{e:?}"),
        };
        format!("{steps:?} {text:?} {after}")
    }

    /// Texts built at random from the pieces that matter to either path read alike, and
    /// leave the reader at the same place.
    #[test]
    fn both_paths_read_every_text_alike() {
        const PIECES: [&str; 29] = [
            "a",
            " ",
            "é",
            "\r\n",
            "&lt;",
            "&amp;",
            "&#233;",
            "&#xE9;",
            "&#0;",
            "&#x110000;",
            "&#;",
            "&bogus;",
            "&",
            ";",
            "<",
            ">",
            "</",
            "/>",
            "<b>",
            "</b>",
            "<br/>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<?x?>",
            "&lt",
            "&#65",
            "amp",
        ];
        // An empty element's end comes next whatever follows it.
        const STARTS: [&str; 3] = ["<title>", "<title/>", "<title a=\"/\">"];
        let contents = joined_at_random(&PIECES, 7, 0x9e37_79b9_7f4a_7c15);
        for (i, content) in contents.take(20_000).enumerate() {
            let start = STARTS[i % STARTS.len()];
            let (text, events) = (
                outcome(start, &content, false),
                outcome(start, &content, true),
            );
            assert_eq!(text, events, "{start}{content}");
        }
    }
}
