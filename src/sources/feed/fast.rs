//! A streaming reader for the plain common case of RSS 2.0 and Atom 1.0, in front of feed-rs.
//!
//! feed-rs builds its whole model (every element, attribute and media object as owned
//! strings) before `map` reads a handful of fields from it; this reader goes over the
//! quick-xml events once and keeps only those fields, borrowing text from the document where
//! it can. It follows feed-rs 3.0.0 rule for rule on what it accepts, and declines
//! ([`Unsupported`]) everything else, so feed-rs reads that document as before: RSS 0.9x and
//! 1.0, a DOCTYPE, xml:base, Media RSS and Podcast elements, XHTML or out-of-line content,
//! text holding elements, dates in uncommon forms, undeclared entities, malformed XML.
//! `tests/feed_fastpath.rs` holds the two readers to the same articles over the corpus.

mod atom;
mod content;
mod dates;
mod rss;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use url::Url;

use super::map;
use super::parts::{Body, EntryParts, FeedParts, LinkParts};
use crate::model::ParsedFeed;
use crate::sources::parallel;

/// Why the streaming reader left a document to feed-rs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

type Read<T> = Result<T, Unsupported>;

impl From<quick_xml::Error> for Unsupported {
    fn from(_: quick_xml::Error) -> Self {
        Unsupported("malformed XML")
    }
}

/// The articles of a mended XML document, or why feed-rs should read it instead.
pub fn read(text: &str, base: &Url) -> Result<ParsedFeed, Unsupported> {
    read_on(text, base, parallel::threads_for_document(text.len()))
}

/// [`read`] with its articles made on `threads` (more than one: while it reads).
pub fn read_on(text: &str, base: &Url, threads: usize) -> Result<ParsedFeed, Unsupported> {
    // quick-xml has panicked on odd input before; then feed-rs (guarded too) has its turn.
    catch_unwind(AssertUnwindSafe(|| read_unguarded(text, base, threads)))
        .unwrap_or(Err(Unsupported("the reader panicked")))
}

fn read_unguarded(text: &str, base: &Url, threads: usize) -> Read<ParsedFeed> {
    if threads < 2 {
        let mut entries = Vec::new();
        let feed = read_parts(text, base, &mut |entry| entries.push(entry))?;
        return Ok(map::from_parts(&feed, entries, base));
    }
    let (feed, articles) = parallel::map_while_producing(
        threads,
        |entries| read_parts(text, base, entries),
        |entry| map::early_article(&entry, base),
    )?;
    Ok(map::from_made(&feed, articles, base))
}

/// The feed's own fields; each entry goes to `entries` as soon as it is read.
fn read_parts<'a>(
    text: &'a str,
    base: &Url,
    entries: &mut dyn FnMut(EntryParts<'a>),
) -> Read<FeedParts<'a>> {
    let mut xml = Xml::new(text);
    let root = match xml.next()? {
        Next::Start(root) => root,
        Next::End => return Err(Unsupported("no root element")),
    };
    match (root.tag.name().as_ref(), root.ns) {
        ("rss", None) => match attr(&root.tag, "version")?.as_deref() {
            Some("2.0" | "") => rss::read(&mut xml, base, entries),
            _ => Err(Unsupported("RSS other than 2.0")),
        },
        ("feed", None | Some(Ns::Atom)) => {
            xml.default_ns = Ns::Atom;
            atom::read(&mut xml, &root.tag, base, entries)
        }
        _ => Err(Unsupported("a root other than <rss> or Atom <feed>")),
    }
}

/// The namespaces feed-rs tells apart (its `xml::NS`); the rest are `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Atom,
    Rss,
    Unknown,
    Content,
    DublinCore,
    MediaRss,
    Itunes,
    Podcast,
    Comments,
}

impl Ns {
    fn parse(uri: &str) -> Ns {
        match uri {
            "http://purl.org/rss/1.0/" => Ns::Rss,
            "http://www.w3.org/2005/Atom" => Ns::Atom,
            "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
            "http://purl.org/dc/elements/1.1/" => Ns::DublinCore,
            "http://search.yahoo.com/mrss/" => Ns::MediaRss,
            "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "https://podcastindex.org/namespace/1.0" => Ns::Podcast,
            "http://wellformedweb.org/CommentAPI/" => Ns::Comments,
            _ => Ns::Unknown,
        }
    }
}

/// An element's start: its bound namespace (None: the document's default applies, as in
/// feed-rs, which treats an undeclared prefix the same way) and its tag.
struct Start<'a> {
    ns: Option<Ns>,
    tag: BytesStart<'a>,
}

impl Start<'_> {
    /// The namespace and local name (after the last `:`), as feed-rs matches elements.
    fn key(&self, default: Ns) -> (Ns, &str) {
        let name = self.tag.name().0;
        let local = name.rsplit(':').next().unwrap_or(name);
        (self.ns.unwrap_or(default), local)
    }
}

enum Next<'a> {
    Start(Start<'a>),
    /// The current element closed.
    End,
}

struct Xml<'a> {
    doc: &'a str,
    reader: NsReader<&'a [u8]>,
    default_ns: Ns,
}

impl<'a> Xml<'a> {
    fn new(text: &'a str) -> Self {
        let mut reader = NsReader::from_str(text);
        // As feed-rs configures it: `<a/>` is a start and an end, text is kept as written.
        reader.config_mut().expand_empty_elements = true;
        Xml {
            doc: text,
            reader,
            default_ns: Ns::Rss,
        }
    }

    /// The next child of the current element, or its end.
    fn next(&mut self) -> Read<Next<'a>> {
        loop {
            let (resolved, event) = self.reader.read_resolved_event()?;
            match event {
                Event::Start(tag) => {
                    let ns = match resolved {
                        ResolveResult::Bound(uri) => Some(Ns::parse(uri.as_ref())),
                        _ => None,
                    };
                    check_start(&tag)?;
                    return Ok(Next::Start(Start { ns, tag }));
                }
                Event::End(_) => return Ok(Next::End),
                other => structural(&other)?,
            }
        }
    }

    /// The text of an element that holds nothing else, as feed-rs's `child_as_text` reads
    /// it: text, CDATA and references joined, comments dropped; None when there is none.
    fn text(&mut self) -> Read<Option<Cow<'a, str>>> {
        if let Some((text, end)) = self.plain_content() {
            // On to the end tag, which quick-xml reads and checks as it would have.
            let rest: &'a [u8] = self.reader.get_ref();
            *self.reader.get_mut() = &rest[end..];
            return match self.reader.read_event()? {
                Event::End(_) => Ok(text),
                _ => Err(Unsupported("malformed XML")),
            };
        }
        self.text_by_events()
    }

    /// [`Xml::text`] read event by event: what [`content::plain`] leaves.
    fn text_by_events(&mut self) -> Read<Option<Cow<'a, str>>> {
        let mut out: Option<Cow<'a, str>> = None;
        loop {
            match self.reader.read_event()? {
                Event::Text(t) if !t.is_empty() => push(&mut out, t.into_inner()),
                Event::CData(t) if !t.is_empty() => push(&mut out, t.into_inner()),
                Event::GeneralRef(r) => {
                    if let Some(c) = r.resolve_char_ref()? {
                        match &mut out {
                            None => out = Some(Cow::Owned(c.to_string())),
                            Some(text) => text.to_mut().push(c),
                        }
                    } else {
                        match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => push(&mut out, Cow::Borrowed(s)),
                            None => return Err(Unsupported("an undeclared entity")),
                        }
                    }
                }
                Event::End(_) => return Ok(out),
                Event::Start(_) => return Err(Unsupported("markup inside a text element")),
                Event::Comment(_) | Event::PI(_) | Event::Text(_) | Event::CData(_) => {}
                other => structural(&other)?,
            }
        }
    }

    /// [`content::plain`] on what follows the start just read; None after an empty element
    /// (`<a/>`), whose end quick-xml gives next without reading.
    fn plain_content(&self) -> Option<(Option<Cow<'a, str>>, usize)> {
        let at = self.doc.len() - self.reader.get_ref().len();
        if self.doc.as_bytes().get(at.checked_sub(2)?) == Some(&b'/') {
            return None;
        }
        content::plain(self.doc.get(at..)?)
    }

    /// Past the rest of the current element, checking what feed-rs would trip on.
    fn skip(&mut self) -> Read<()> {
        let mut depth = 1usize;
        loop {
            match self.reader.read_event()? {
                Event::Start(tag) => {
                    check_start(&tag)?;
                    depth += 1;
                }
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                other => structural(&other)?,
            }
        }
    }
}

/// Text joined to what came before it; a single piece stays borrowed.
fn push<'a>(out: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match out {
        None => *out = Some(piece),
        Some(text) => text.to_mut().push_str(&piece),
    }
}

/// An element start feed-rs would treat specially anywhere in the document.
fn check_start(tag: &BytesStart<'_>) -> Read<()> {
    if tag.attributes_raw().contains("xml:base") {
        return Err(Unsupported("xml:base"));
    }
    Ok(())
}

/// Events between elements: ignored as feed-rs ignores them, or a reason to decline.
fn structural(event: &Event<'_>) -> Read<()> {
    match event {
        Event::Eof => Err(Unsupported("the document ends inside an element")),
        Event::DocType(_) => Err(Unsupported("a DOCTYPE")),
        Event::Decl(decl) => match decl.encoding() {
            None => Ok(()),
            Some(Ok(e)) if e.eq_ignore_ascii_case("utf-8") => Ok(()),
            Some(_) => Err(Unsupported("an encoding in the XML declaration")),
        },
        // feed-rs fails the whole document on a bad character reference, wherever it is.
        Event::GeneralRef(r) => r.resolve_char_ref().map(|_| ()).map_err(Unsupported::from),
        _ => Ok(()),
    }
}

/// An attribute's value, unescaped; an attribute quick-xml cannot read declines the document.
fn attr(tag: &BytesStart<'_>, name: &str) -> Read<Option<String>> {
    for a in tag.attributes() {
        let a = a.map_err(|_| Unsupported("a malformed attribute"))?;
        if a.key.as_ref() == name {
            return quick_xml::escape::unescape(&a.value)
                .map(|v| Some(v.into_owned()))
                .map_err(|_| Unsupported("an attribute with an undeclared entity"));
        }
    }
    Ok(None)
}

/// Text trimmed as feed-rs's `Text::new` trims it, borrowing when it can.
fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

/// feed-rs's `util::parse_uri`: absolute, or relative resolved against the base.
fn parse_uri(uri: &str, base: &Url) -> Option<Url> {
    match Url::parse(uri) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(uri).ok(),
        Err(_) => None,
    }
}

/// feed-rs's `Link::new`: the resolved address, else the value as written, trimmed.
fn link<'a>(
    href: &str,
    base: &Url,
    rel: Option<String>,
    media_type: Option<String>,
) -> LinkParts<'a> {
    let href = match parse_uri(href, base) {
        Some(url) => String::from(url).trim().to_string(),
        None => href.trim().to_string(),
    };
    LinkParts {
        href: Cow::Owned(href),
        rel: rel.map(Cow::Owned),
        media_type: media_type.map(Cow::Owned),
    }
}

/// An Atom `<link>` (also found in RSS channels): None without `href`.
fn atom_link<'a>(tag: &BytesStart<'_>, base: &Url) -> Read<Option<LinkParts<'a>>> {
    let Some(href) = attr(tag, "href")? else {
        return Ok(None);
    };
    let rel = attr(tag, "rel")?.unwrap_or_else(|| "alternate".to_string());
    Ok(Some(link(&href, base, Some(rel), attr(tag, "type")?)))
}

/// A text construct of type text or html (feed-rs's `atom::handle_text`), trimmed; an
/// element with no text at all is empty text.
fn text_construct<'a>(xml: &mut Xml<'a>, tag: &BytesStart<'_>) -> Read<Body<'a>> {
    let plain = match attr(tag, "type")?.as_deref() {
        None | Some("text") => true,
        Some("html" | "text/html") => false,
        Some(_) => return Err(Unsupported("Atom text that is not text or html")),
    };
    let text = xml.text()?.map(trimmed).unwrap_or_default();
    Ok(Body { text, plain })
}

/// The `type` of a text construct feed-rs reads without failing.
fn known_type(tag: &BytesStart<'_>) -> Read<()> {
    match attr(tag, "type")?.as_deref() {
        None | Some("text" | "html" | "text/html" | "xhtml") => Ok(()),
        Some(_) => Err(Unsupported("an unknown Atom text type")),
    }
}

/// A date in one of the forms both readers read alike; any other declines the document.
fn date(text: Option<Cow<'_, str>>) -> Read<Option<chrono::DateTime<chrono::Utc>>> {
    match text {
        None => Ok(None),
        Some(t) => dates::parse(&t)
            .map(Some)
            .ok_or(Unsupported("a date in an uncommon form")),
    }
}
