//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to articles, through feed-rs.
//!
//! The path: gunzip if the bytes are gzip → decode to UTF-8 ([`super::encoding`]) → tell a
//! feed from a page ([`prepare::classify`]) → mend what feed-rs 3.0.0 gets wrong
//! ([`prepare`]) → feed-rs, with any panic caught → our model ([`map`]).

mod absolute;
mod entities;
mod json;
mod map;
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

/// A document read by feed-rs and not yet made into articles: whoever holds the bytes it
/// came from can let them go first, so a 10 MB feed is not in memory four times at once.
pub struct Document(feed_rs::model::Feed);

impl Document {
    pub fn into_parsed(self, base: &Url) -> ParsedFeed {
        map::to_parsed(self.0, base)
    }
}

/// The first half of [`parse`]: bytes to a [`Document`].
pub fn read(bytes: &[u8], content_type: Option<&str>, base: &Url) -> Result<Document, FetchError> {
    let bytes = gunzip(bytes)?;
    let text = encoding::decode(&bytes, content_type);
    let mended = match prepare::classify(&text, content_type)? {
        Kind::Xml { root } => prepare::mend_xml(&text, root),
        Kind::Json => json::mend_json(&text)?,
    };
    run_feed_rs(&mended, base).map(Document)
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
