//! The account a subscription names: a handle, a DID or a profile URL, checked before any
//! request is sent.

use url::Url;

use crate::sources::FetchError;

/// Who a subscription follows, as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Did(String),
    Handle(String),
}

impl Actor {
    pub fn as_str(&self) -> &str {
        match self {
            Actor::Did(s) | Actor::Handle(s) => s,
        }
    }
}

/// A handle (`cecop.bsky.social`, `@cecop.bsky.social`), a DID (`did:plc:…`, `did:web:…`)
/// or a profile URL (`https://bsky.app/profile/…`, with or without a post path after it).
pub fn parse_actor(input: &str) -> Result<Actor, FetchError> {
    let trimmed = input.trim();
    let invalid = || {
        FetchError::Bluesky(format!(
            "\"{}\" is not a Bluesky handle, DID or profile URL \
             (try cecop.bsky.social, did:plc:… or https://bsky.app/profile/…)",
            crate::text::clean_inline(input)
        ))
    };
    let candidate = if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        let url = Url::parse(trimmed).map_err(|_| invalid())?;
        let mut segments = url.path_segments().ok_or_else(invalid)?;
        if segments.next() != Some("profile") {
            return Err(invalid());
        }
        let actor = segments.next().ok_or_else(invalid)?;
        percent_decode(actor)
    } else {
        trimmed.strip_prefix('@').unwrap_or(trimmed).to_string()
    };
    if let Some(rest) = candidate.strip_prefix("did:") {
        let (method, id) = rest.split_once(':').ok_or_else(invalid)?;
        let ok = !method.is_empty()
            && method.bytes().all(|b| b.is_ascii_lowercase())
            && !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-_:%".contains(&b));
        return if ok {
            Ok(Actor::Did(candidate))
        } else {
            Err(invalid())
        };
    }
    let handle = candidate.to_ascii_lowercase();
    let labels_ok = handle.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    if handle.contains('.') && handle.len() <= 253 && labels_ok {
        Ok(Actor::Handle(handle))
    } else {
        Err(invalid())
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_in_every_spelling() {
        let handle = Actor::Handle("cecop.bsky.social".into());
        assert_eq!(parse_actor("cecop.bsky.social").unwrap(), handle);
        assert_eq!(parse_actor(" @Cecop.bsky.social ").unwrap(), handle);
        assert_eq!(
            parse_actor("https://bsky.app/profile/cecop.bsky.social").unwrap(),
            handle
        );
        assert_eq!(
            parse_actor("https://bsky.app/profile/cecop.bsky.social/post/3k2").unwrap(),
            handle
        );
        let did = Actor::Did("did:plc:abc123".into());
        assert_eq!(parse_actor("did:plc:abc123").unwrap(), did);
        assert_eq!(
            parse_actor("https://bsky.app/profile/did%3Aplc%3Aabc123").unwrap(),
            did
        );
        assert_eq!(
            parse_actor("did:web:coop.example").unwrap(),
            Actor::Did("did:web:coop.example".into())
        );
        for bad in [
            "",
            "cecop",
            "https://example.org/cecop",
            "did:plc:",
            "a b.social",
            "-a.b",
        ] {
            let err = parse_actor(bad).unwrap_err().to_string();
            assert!(err.contains("not a Bluesky handle"), "{bad}: {err}");
        }
    }
}
