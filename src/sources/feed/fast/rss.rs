//! RSS 2.0 `<channel>` and `<item>`, field by field as feed-rs 3.0.0's `parser::rss2` fills
//! what `map` reads; an element feed-rs reads into a media object declines the document.

use std::borrow::Cow;
use std::collections::HashSet;

use url::Url;

use super::{
    Next, Ns, Read, Unsupported, Xml, atom_link, attr, date, known_type, link, parse_uri,
    text_construct, trimmed,
};
use crate::sources::feed::parts::{Body, EntryParts, FeedParts, PersonParts};

/// The document after `<rss version="2.0">`: its first `<channel>`, up to its end; each
/// item goes to `entries` as soon as it is read.
pub(super) fn read<'a>(
    xml: &mut Xml<'a>,
    base: &Url,
    entries: &mut dyn FnMut(EntryParts<'a>),
) -> Read<FeedParts<'a>> {
    loop {
        match xml.next()? {
            Next::End => return Err(Unsupported("RSS without a channel")),
            // feed-rs takes the first child named channel, whatever its namespace.
            Next::Start(s) if s.key(xml.default_ns).1 == "channel" => break,
            Next::Start(_) => xml.skip()?,
        }
    }
    let mut feed = FeedParts::default();
    while let Next::Start(s) = xml.next()? {
        match s.key(xml.default_ns) {
            (Ns::Rss, "title") => feed.title = xml.text()?.map(trimmed),
            (Ns::Rss, "link") => {
                if let Some(href) = xml.text()? {
                    feed.links.push(link(&href, base, None, None));
                }
            }
            (Ns::Atom, "link") => {
                feed.links.extend(atom_link(&s.tag, base)?);
                xml.skip()?;
            }
            (Ns::Rss, "language") => {
                feed.language = xml.text()?.map(|l| Cow::Owned(l.to_lowercase()));
            }
            (Ns::Rss, "item") => entries(item(xml, base)?),
            // iTunes channel elements fill nothing `map` reads, and fail nothing.
            (Ns::Itunes, _) => xml.skip()?,
            (Ns::Podcast, _) => return Err(Unsupported("Podcast markup")),
            _ => xml.skip()?,
        }
    }
    Ok(feed)
}

fn item<'a>(xml: &mut Xml<'a>, base: &Url) -> Read<EntryParts<'a>> {
    let mut entry = EntryParts::default();
    // Which links are `<comments>`: feed-rs drops those that repeat another link.
    let mut comments = Vec::new();
    while let Next::Start(s) = xml.next()? {
        match s.key(xml.default_ns) {
            (Ns::Rss, "title") => entry.title = xml.text()?.map(trimmed),
            (Ns::Rss, "link") => {
                if let Some(href) = xml.text()? {
                    entry.links.push(link(&href, base, None, None));
                    comments.push(false);
                }
            }
            (Ns::Rss, "description") => {
                entry.summary = xml.text()?.map(|t| Body {
                    text: trimmed(t),
                    plain: false,
                });
            }
            (Ns::Rss, "author") | (Ns::DublinCore, "creator") => {
                if let Some(raw) = xml.text()? {
                    entry.authors.push(person(raw)?);
                }
            }
            (Ns::Rss, "guid") => {
                if let Some(guid) = xml.text()? {
                    entry.id = trimmed(guid);
                }
            }
            (Ns::Rss, "enclosure") => {
                let url = attr(&s.tag, "url")?.and_then(|u| parse_uri(&u, base));
                entry.media_urls.extend(url.map(|u| Cow::Owned(u.into())));
                xml.skip()?;
            }
            (Ns::Rss, "pubDate") | (Ns::DublinCore, "date") => entry.published = date(xml.text()?)?,
            (Ns::Rss | Ns::Atom, "updated") => entry.updated = date(xml.text()?)?,
            (Ns::Content, "encoded") => {
                entry.content = xml
                    .text()?
                    .filter(|t| !t.is_empty())
                    .map(|text| Body { text, plain: false });
            }
            (Ns::Comments, "commentRss" | "commentRSS") => {
                if let Some(href) = xml.text()? {
                    entry.links.push(link(&href, base, None, None));
                    comments.push(false);
                }
            }
            (Ns::Rss, "comments") => {
                if let Some(href) = xml.text()? {
                    entry.links.push(link(&href, base, None, None));
                    comments.push(true);
                }
            }
            // feed-rs makes an iTunes media object of these; only its description is read.
            (Ns::Itunes, "summary") => entry.media_description = Some(text_construct(xml, &s.tag)?),
            (Ns::Itunes, "title") => {
                known_type(&s.tag)?;
                xml.skip()?;
            }
            (Ns::Itunes, "duration") => itunes_duration(xml)?,
            (Ns::Itunes, _) => xml.skip()?,
            (Ns::MediaRss | Ns::Podcast, _) => {
                return Err(Unsupported("Media RSS or Podcast markup"));
            }
            _ => xml.skip()?,
        }
    }
    if entry.updated.is_none() {
        entry.updated = entry.published;
    }
    drop_repeated_comments(&mut entry, &comments);
    Ok(entry)
}

/// feed-rs reads `<itunes:duration>` with `unwrap` and unchecked arithmetic on its digits;
/// a long run of them, which could panic there, declines the document.
fn itunes_duration(xml: &mut Xml<'_>) -> Read<()> {
    let text = xml.text()?.unwrap_or_default();
    let longest = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    if longest > 9 {
        return Err(Unsupported("an iTunes duration with very long numbers"));
    }
    Ok(())
}

/// feed-rs's `Person::parse` for a name without an address; an address (which it finds
/// with a regular expression) declines the document.
fn person(raw: Cow<'_, str>) -> Read<PersonParts<'_>> {
    if raw.contains('@') {
        return Err(Unsupported("an author with an e-mail address"));
    }
    Ok(PersonParts {
        name: Some(trimmed(raw)),
        email: None,
    })
}

/// feed-rs's `clean_links`: a comments link to where another link goes is dropped.
fn drop_repeated_comments(entry: &mut EntryParts<'_>, comments: &[bool]) {
    if !comments.contains(&true) {
        return;
    }
    let others: HashSet<String> = entry
        .links
        .iter()
        .zip(comments)
        .filter(|(_, comment)| !**comment)
        .map(|(l, _)| l.href.to_string())
        .collect();
    let mut flags = comments.iter();
    entry
        .links
        .retain(|l| !flags.next().copied().unwrap_or(false) || !others.contains(&*l.href));
}
