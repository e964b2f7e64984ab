//! Inputs the fuzzers found, kept so they stay fixed. Each must parse or fail cleanly
//! without any panic, not even one caught inside: a panic hook in the reader restores the
//! terminal, so a caught panic would still break the screen.

use std::sync::Mutex;

/// Every panic message, caught or not.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Fuzz inputs: the first byte picked the content type (none, for these), the rest is the body.
const FEEDS: &[(&str, &[u8])] = &[
    (
        "a second XML declaration, with an encoding, mid-document",
        include_bytes!("fixtures/regressions/late-xml-declaration.fuzz"),
    ),
    (
        "XML declarations inside a title and after a cut-off element",
        include_bytes!("fixtures/regressions/late-xml-declaration-2.fuzz"),
    ),
];

#[test]
fn fuzz_findings_parse_without_any_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.lock().unwrap().push(info.to_string());
        report(info);
    }));
    let base = url::Url::parse("https://example.coop/feed").unwrap();
    for (what, data) in FEEDS {
        // Broken documents may fail; what matters is that they fail as an error.
        let _ = coopnews::sources::feed::parse(&data[1..], None, &base);
        let panics = PANICS.lock().unwrap().clone();
        assert!(
            panics.is_empty(),
            "{what}: a panic, caught or not: {panics:?}"
        );
    }
}
