//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to articles.
//!
//! The path: gunzip if the bytes are gzip → decode to UTF-8 ([`super::encoding`]) → tell a
//! feed from a page ([`prepare::classify`]) → mend what feed-rs 3.0.0 gets wrong
//! ([`prepare`]) → the streaming reader ([`fast`]) for plain RSS 2.0 and Atom, else feed-rs,
//! with any panic caught → our model ([`map`], through [`parts`] for both).

mod absolute;
mod entities;
mod fast;
mod json;
mod map;
mod parts;
mod plaintext;
mod prepare;
mod references;
#[cfg(test)]
mod tests;

/// Plain text of an HTML body, shared by every source that reads HTML.
pub use plaintext::plain_text;

use std::borrow::Cow;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use url::Url;

use super::{FetchError, encoding};
use crate::model::ParsedFeed;
use prepare::Kind;

/// The most a gzip body may inflate to: a feed is never this big, a gzip bomb is.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// Parse one document. `content_type` is the HTTP header, whose charset counts; `base`
/// is the document's address, against which relative links are resolved.
/// An HTML page is `FetchError::NotAFeed`, so the caller can look for its feed links.
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<ParsedFeed, FetchError> {
    Ok(read(bytes, content_type, base)?.into_parsed(base))
}

/// A document read and not yet made into articles: whoever holds the bytes it came from
/// can let them go first, so a 10 MB feed is not in memory four times at once. The
/// streaming reader makes its articles as it reads, so its documents are done already.
pub struct Document(Held);

enum Held {
    FeedRs(Box<feed_rs::model::Feed>),
    Streamed(ParsedFeed),
}

impl Document {
    pub fn into_parsed(self, base: &Url) -> ParsedFeed {
        match self.0 {
            Held::FeedRs(feed) => map::to_parsed(*feed, base),
            Held::Streamed(parsed) => parsed,
        }
    }
}

/// The first half of [`parse`]: bytes to a [`Document`].
pub fn read(bytes: &[u8], content_type: Option<&str>, base: &Url) -> Result<Document, FetchError> {
    with_mended(bytes, content_type, |text, xml| {
        if xml && let Ok(parsed) = fast::read(text, base) {
            return Ok(Document(Held::Streamed(parsed)));
        }
        run_feed_rs(text, base).map(|feed| Document(Held::FeedRs(Box::new(feed))))
    })
}

/// Which reader [`parse_with`] uses.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The streaming reader alone.
    Streaming,
    /// The streaming reader with its articles made on this many threads, while it reads
    /// when more than one (as it does for a document of a megabyte or more).
    StreamingOn(usize),
    /// feed-rs alone, the reference.
    FeedRs,
}

/// [`parse`] through one reader, for the differential test and the benchmarks:
/// `Ok(Err(reason))` when the streaming reader leaves the document to feed-rs.
#[doc(hidden)]
pub fn parse_with(
    bytes: &[u8],
    content_type: Option<&str>,
    base: &Url,
    reader: Reader,
) -> Result<Result<ParsedFeed, &'static str>, FetchError> {
    with_mended(bytes, content_type, |text, xml| match reader {
        Reader::Streaming | Reader::StreamingOn(_) if !xml => Ok(Err("JSON")),
        Reader::Streaming => Ok(fast::read(text, base).map_err(|e| e.0)),
        Reader::StreamingOn(threads) => Ok(fast::read_on(text, base, threads).map_err(|e| e.0)),
        Reader::FeedRs => run_feed_rs(text, base).map(|feed| Ok(map::to_parsed(feed, base))),
    })
}

/// Bytes to the text both readers read (`xml` false for JSON), handed to `then`.
fn with_mended<T>(
    bytes: &[u8],
    content_type: Option<&str>,
    then: impl FnOnce(&str, bool) -> Result<T, FetchError>,
) -> Result<T, FetchError> {
    let bytes = gunzip(bytes)?;
    let text = encoding::decode(&bytes, content_type);
    match prepare::classify(&text, content_type)? {
        Kind::Xml { root } => then(&prepare::mend_xml(&text, root), true),
        Kind::Json => then(&json::mend_json(&text)?, false),
    }
}

/// Servers sometimes send gzip without `Content-Encoding`, so the HTTP client leaves it.
fn gunzip(bytes: &[u8]) -> Result<Cow<'_, [u8]>, FetchError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut out)
        .map_err(|e| FetchError::Parse(format!("the body is damaged gzip data ({e})")))?;
    if out.len() as u64 > MAX_INFLATED {
        return Err(FetchError::TooLarge {
            limit: MAX_INFLATED,
        });
    }
    Ok(Cow::Owned(out))
}

/// How many unreadable `type` attributes are dropped before giving up on a document.
const TYPE_RETRIES: usize = 8;

fn run_feed_rs(text: &str, base: &Url) -> Result<feed_rs::model::Feed, FetchError> {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    let mut text = Cow::Borrowed(text);
    for _ in 0..TYPE_RETRIES {
        match run_feed_rs_once(&text, base) {
            Err(Ok(ParseFeedError::ParseError(ParseErrorKind::UnknownMimeType {
                position,
                ..
            }))) => match prepare::drop_type_attr(
                &text,
                usize::try_from(position).unwrap_or(usize::MAX),
            ) {
                Some(fixed) => text = Cow::Owned(fixed),
                None => break,
            },
            other => return other.map_err(failure),
        }
    }
    run_feed_rs_once(&text, base).map_err(failure)
}

fn failure(e: Result<feed_rs::parser::ParseFeedError, String>) -> FetchError {
    match e {
        Ok(e) => FetchError::Parse(describe(&e)),
        Err(panic) => FetchError::Parse(format!("the feed parser failed ({panic})")),
    }
}

/// One feed-rs run; `Err(Err(message))` is a caught panic.
fn run_feed_rs_once(
    text: &str,
    base: &Url,
) -> Result<feed_rs::model::Feed, Result<feed_rs::parser::ParseFeedError, String>> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        // No id invented here: feed-rs falls back to a random UUID, which would duplicate
        // the entry on every refresh; `map` derives a stable one instead.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build();
    // feed-rs and quick-xml have panicked on odd input before; one feed must not take
    // the program down. The panic hook still reports it, as it should for a bug.
    match catch_unwind(AssertUnwindSafe(|| parser.parse(text.as_bytes()))) {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(Ok(e)),
        Err(panic) => Err(Err(panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default())),
    }
}

fn describe(e: &feed_rs::parser::ParseFeedError) -> String {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "no RSS, Atom or JSON Feed content found".to_string()
        }
        other => crate::text::truncate(&crate::text::clean_inline(&other.to_string()), 200),
    }
}
