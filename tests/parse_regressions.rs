//! Inputs the fuzzers found, kept so they stay fixed. Each must parse or fail cleanly
//! without any panic, not even one caught inside: a panic hook in the reader restores the
//! terminal, so a caught panic would still break the screen.

use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Fuzz inputs: the first byte picked the content type (none, for these), the rest is the body.
const FEEDS: &[(&str, &[u8])] = &[(
    "a second XML declaration, with an encoding, mid-document",
    include_bytes!("fixtures/regressions/late-xml-declaration.fuzz"),
)];

#[test]
fn fuzz_findings_parse_without_any_panic() {
    std::panic::set_hook(Box::new(|_| {
        PANICS.fetch_add(1, Ordering::SeqCst);
    }));
    let base = url::Url::parse("https://example.coop/feed").unwrap();
    for (what, data) in FEEDS {
        let result = coopnews::sources::feed::parse(&data[1..], None, &base);
        assert_eq!(
            PANICS.load(Ordering::SeqCst),
            0,
            "{what}: a panic, caught or not"
        );
        assert!(result.is_ok(), "{what}: {result:?}");
    }
}
