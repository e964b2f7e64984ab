//! Atom 1.0 `<feed>` and `<entry>`, field by field as feed-rs 3.0.0's `parser::atom` fills
//! what `map` reads. XHTML and out-of-line content, unknown text types (which feed-rs
//! rejects) and Media RSS decline the document.

use std::borrow::Cow;

use quick_xml::events::BytesStart;
use url::Url;

use super::{
    Next, Ns, Read, Unsupported, Xml, atom_link, attr, date, known_type, link, text_construct,
};
use crate::sources::feed::parts::{EntryParts, FeedParts, PersonParts};

/// The children of `<feed>`; `root` is its start tag, whose xml:lang is the feed's language.
/// Each entry goes to `entries` as soon as it is read.
pub(super) fn read<'a>(
    xml: &mut Xml<'a>,
    root: &BytesStart<'_>,
    base: &Url,
    entries: &mut dyn FnMut(EntryParts<'a>),
) -> Read<FeedParts<'a>> {
    let mut feed = FeedParts {
        language: attr(root, "xml:lang")?.map(Cow::Owned),
        ..FeedParts::default()
    };
    while let Next::Start(s) = xml.next()? {
        match s.key(xml.default_ns) {
            (Ns::Atom, "title") => feed.title = Some(text_construct(xml, &s.tag)?.text),
            (Ns::Atom, "link") => {
                feed.links.extend(atom_link(&s.tag, base)?);
                xml.skip()?;
            }
            (Ns::Atom, "entry") => entries(entry(xml, base)?),
            (Ns::Atom, "rights" | "subtitle") => {
                known_type(&s.tag)?;
                xml.skip()?;
            }
            _ => xml.skip()?,
        }
    }
    Ok(feed)
}

fn entry<'a>(xml: &mut Xml<'a>, base: &Url) -> Read<EntryParts<'a>> {
    let mut entry = EntryParts::default();
    while let Next::Start(s) = xml.next()? {
        match s.key(xml.default_ns) {
            (Ns::Atom, "id") => {
                if let Some(id) = xml.text()? {
                    entry.id = id;
                }
            }
            (Ns::Atom, "title") => entry.title = Some(text_construct(xml, &s.tag)?.text),
            (Ns::Atom, "updated") => {
                if let Some(text) = xml.text()? {
                    entry.updated = date(Some(text))?;
                }
            }
            (Ns::Atom, "published" | "pubDate") => {
                if let Some(text) = xml.text()? {
                    entry.published = date(Some(text))?;
                }
            }
            (Ns::Atom, "author") => entry.authors.extend(person(xml)?),
            (Ns::Atom, "content") => {
                if attr(&s.tag, "src")?.is_some() {
                    return Err(Unsupported("out-of-line Atom content"));
                }
                // feed-rs takes an entry's language from its content alone.
                entry.language = attr(&s.tag, "xml:lang")?.map(Cow::Owned);
                entry.content = Some(text_construct(xml, &s.tag)?);
            }
            (Ns::Atom, "link") => {
                entry.links.extend(atom_link(&s.tag, base)?);
                xml.skip()?;
            }
            (Ns::Atom, "summary") => entry.summary = Some(text_construct(xml, &s.tag)?),
            (Ns::Atom, "rights") => {
                known_type(&s.tag)?;
                xml.skip()?;
            }
            (Ns::Comments, "commentRss" | "commentRSS") => {
                if let Some(href) = xml.text()? {
                    entry.links.push(link(&href, base, None, None));
                }
            }
            (Ns::MediaRss, _) => return Err(Unsupported("Media RSS markup")),
            _ => xml.skip()?,
        }
    }
    Ok(entry)
}

/// `<author>`: its `name` and `email` children, in any namespace, as feed-rs reads them.
fn person<'a>(xml: &mut Xml<'a>) -> Read<Option<PersonParts<'a>>> {
    let (mut name, mut email) = (None, None);
    while let Next::Start(s) = xml.next()? {
        match s.key(xml.default_ns).1 {
            "name" => {
                if let Some(text) = xml.text()? {
                    name = Some(text);
                }
            }
            "email" => email = xml.text()?,
            _ => xml.skip()?,
        }
    }
    Ok((name.is_some() || email.is_some()).then_some(PersonParts { name, email }))
}
