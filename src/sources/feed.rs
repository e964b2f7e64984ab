//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to articles, through feed-rs.

use url::Url;

use super::FetchError;
use crate::model::ParsedFeed;

/// Parse one document. `content_type` is the HTTP header, whose charset counts; `base`
/// is the document's address, against which relative links are resolved.
/// An HTML page is `FetchError::NotAFeed`, so the caller can look for its feed links.
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<ParsedFeed, FetchError> {
    let _ = (bytes, content_type, base);
    Err(FetchError::Parse("not built yet".into()))
}
