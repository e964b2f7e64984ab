//! The shared feed corpus through `sources::feed::parse`: never panic or hang, parse what is
//! well-formed, decode encodings right, keep controls out, and hold feedparser's expectations.

mod common;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Timelike};
use coopnews::model::ParsedFeed;
use coopnews::sources::FetchError;
use coopnews::sources::feed::parse;
use coopnews::text::{clean_inline, is_unsafe};
use url::Url;

/// Per file; the slowest real feed takes milliseconds, so this only catches a hang.
const BUDGET: Duration = Duration::from_secs(5);

/// Encoding cases whose source really holds undecodable bytes (feedparser `bozo` tests, a
/// UTF-8 BOM or valid UTF-8 around a stray byte) or a literal `&#65533;`.
const FFFD_EXPECTED: [&str; 3] = [
    "encoding/feedparser__bozo_invalid-bytes-with-bom.xml",
    "encoding/feedparser__bozo_linenoise.xml",
    "encoding/feedparser__encoding_attribute_crash_2.xml",
];

/// Documents larger than this after parsing would mean an entity bomb went off.
const MAX_PARSED_BYTES: usize = 8 * 1024 * 1024;

static PANICS: AtomicUsize = AtomicUsize::new(0);

struct Row {
    file: String,
    category: String,
    content_type: Option<String>,
    base: Url,
    html_root: bool,
}

fn rows(root: &Path) -> Vec<Row> {
    let read = |name: &str| std::fs::read_to_string(root.join(name)).expect("corpus table");
    let features = read("FEATURES.tsv");
    let mut header_cols = HashMap::new();
    for line in features.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        header_cols.insert(
            cols[0].to_string(),
            (cols[10].to_string(), cols[11].to_string()),
        );
    }
    read("MANIFEST.tsv")
        .lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let file = cols[0].to_string();
            let (root_element, headers) = header_cols.get(&file).cloned().unwrap_or_default();
            // feedparser's harness served each file from here with its `Header:` lines.
            let name = file.rsplit('/').next().unwrap_or_default();
            let mut base = Url::parse("http://127.0.0.1:8097/tests/")
                .and_then(|u| u.join(name))
                .expect("static url");
            let mut content_type = None;
            for header in headers.split(" | ").filter(|h| !h.is_empty()) {
                let (name, value) = header.split_once(':').unwrap_or((header, ""));
                if name.trim().eq_ignore_ascii_case("content-type") {
                    content_type = Some(value.trim().to_string());
                } else if name.trim().eq_ignore_ascii_case("content-location")
                    && let Ok(u) = base.join(value.trim())
                    && matches!(u.scheme(), "http" | "https")
                {
                    base = u;
                }
            }
            Row {
                category: cols[4].to_string(),
                file,
                content_type,
                base,
                html_root: root_element == "html",
            }
        })
        .collect()
}

/// Parse in a worker thread, so a hang is reported instead of stalling the suite.
fn parse_bounded(bytes: Vec<u8>, row: &Row) -> (Option<Result<ParsedFeed, FetchError>>, Duration) {
    let (tx, rx) = mpsc::channel();
    let content_type = row.content_type.clone();
    let base = row.base.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(|| {
            parse(&bytes, content_type.as_deref(), &base)
        }));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(BUDGET) {
        Ok(Ok(result)) => (Some(result), started.elapsed()),
        Ok(Err(_)) => (None, started.elapsed()),
        Err(_) => (None, BUDGET),
    }
}

#[derive(Default)]
struct Tally {
    ok: usize,
    err: usize,
    with_articles: usize,
}

#[test]
fn corpus() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let root = root.join("feeds");
    let default_hook = std::panic::take_hook();
    // Count every panic, caught or not: parse must not panic even inside feed-rs.
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default_hook(info);
    }));
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    let mut results = HashMap::new();
    let mut slowest = (Duration::ZERO, String::new());
    for row in rows(&root) {
        let bytes = std::fs::read(root.join(&row.file)).expect("corpus file");
        let panics_before = PANICS.load(Ordering::SeqCst);
        let (result, took) = parse_bounded(bytes, &row);
        if took > slowest.0 {
            slowest = (took, row.file.clone());
        }
        let Some(result) = result else {
            failures.push(format!("PANIC or HANG ({took:?}) {}", row.file));
            continue;
        };
        if PANICS.load(Ordering::SeqCst) != panics_before {
            failures.push(format!("caught panic inside parse: {}", row.file));
        }
        let tally = tallies.entry(row.category.clone()).or_default();
        match &result {
            Ok(feed) if feed.articles.is_empty() && row.category == "realworld" => {
                tally.ok += 1;
                eprintln!("  realworld without articles: {}", row.file);
            }
            Ok(feed) => {
                tally.ok += 1;
                tally.with_articles += usize::from(!feed.articles.is_empty());
                check_feed(&row, feed, &mut failures);
            }
            Err(e) => {
                tally.err += 1;
                check_error(&row, e, &mut failures);
            }
        }
        results.insert(row.file.clone(), result);
    }
    let elapsed = started.elapsed();
    let _ = std::panic::take_hook();

    let count = |c: &str| {
        tallies
            .get(c)
            .map_or((0, 0, 0), |t| (t.ok, t.err, t.with_articles))
    };
    let (wf_ok, wf_err, _) = count("wellformed");
    let (rw_ok, rw_err, rw_articles) = count("realworld");
    if wf_err > 0 {
        failures.push(format!("{wf_err} wellformed files failed to parse"));
    }
    if rw_articles < 147 {
        failures.push(format!(
            "only {rw_articles} of 148 realworld files yield articles"
        ));
    }
    let checks = feedparser_checks(&root, &results);
    let (enc_ok, enc_err, _) = count("encoding");
    let (ill_ok, ill_err, _) = count("illformed");
    eprintln!(
        "corpus: wellformed {wf_ok} ok/{wf_err} err; encoding {enc_ok} ok/{enc_err} err; \
         illformed {ill_ok} ok/{ill_err} err; realworld {rw_ok} ok/{rw_err} err, \
         {rw_articles} with articles; feedparser checks {}/{} hold ({} n/a); panics {}; \
         slowest {:?} ({}); total {:?}",
        checks.held,
        checks.evaluated,
        checks.skipped,
        PANICS.load(Ordering::SeqCst),
        slowest.0,
        slowest.1,
        elapsed
    );
    for miss in &checks.misses {
        eprintln!("  check miss: {miss}");
    }
    // Every check that held when this was written holds still (see the report for the misses).
    if checks.held < MIN_CHECKS_HELD {
        failures.push(format!(
            "only {} feedparser checks hold, expected at least {MIN_CHECKS_HELD}",
            checks.held
        ));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Floor for `feedparser_checks`, so a regression in any mending step shows.
const MIN_CHECKS_HELD: usize = 214;

fn check_feed(row: &Row, feed: &ParsedFeed, failures: &mut Vec<String>) {
    let file = &row.file;
    if row.html_root {
        failures.push(format!("{file}: an HTML page parsed as a feed"));
    }
    let mut strings: Vec<(&str, &str)> = Vec::new();
    if let Some(t) = &feed.meta.title {
        strings.push(("feed title", t));
    }
    let mut size = 0;
    for a in &feed.articles {
        strings.push(("title", &a.title));
        strings.push(("text", &a.text));
        strings.push(("guid", &a.guid));
        strings.extend(a.author.as_deref().map(|s| ("author", s)));
        strings.extend(a.link.as_deref().map(|s| ("link", s)));
        strings.extend(a.links.iter().map(|s| ("links", s.as_str())));
        size += a.text.len() + a.html.as_ref().map_or(0, String::len);
    }
    if size > MAX_PARSED_BYTES {
        failures.push(format!(
            "{file}: {size} bytes of text, an entity bomb went off?"
        ));
    }
    for (what, s) in &strings {
        // Bodies keep their line breaks; nothing else below U+0020 may pass.
        let unsafe_char = |c: char| is_unsafe(c) && !(*what == "text" && c == '\n');
        if s.chars().any(unsafe_char) {
            let bad: Vec<char> = s.chars().filter(|c| unsafe_char(*c)).collect();
            failures.push(format!(
                "{file}: control character {bad:?} in {what}: {s:?}"
            ));
        }
    }
    if row.category == "encoding" && !FFFD_EXPECTED.contains(&file.as_str()) {
        let html = feed.articles.iter().filter_map(|a| a.html.as_deref());
        if strings
            .iter()
            .map(|(_, s)| *s)
            .chain(html)
            .any(|s| s.contains('\u{fffd}'))
        {
            failures.push(format!("{file}: U+FFFD in decoded text"));
        }
    }
}

fn check_error(row: &Row, e: &FetchError, failures: &mut Vec<String>) {
    if row.html_root && !matches!(e, FetchError::NotAFeed(_)) {
        failures.push(format!("{}: HTML page gave {e:?}, not NotAFeed", row.file));
    }
    // Errors are counted per category; these lines say which and why.
    if row.category == "wellformed" {
        failures.push(format!("{}: {e}", row.file));
    } else if row.category != "illformed" || std::env::var_os("CORPUS_VERBOSE").is_some() {
        eprintln!("  {} error: {}: {e}", row.category, row.file);
    }
}

#[derive(Default)]
struct Checks {
    evaluated: usize,
    held: usize,
    skipped: usize,
    misses: Vec<String>,
}

/// The simple FEEDPARSER_CHECKS clauses that map onto our model, on files that parsed.
fn feedparser_checks(
    root: &Path,
    results: &HashMap<String, Result<ParsedFeed, FetchError>>,
) -> Checks {
    let table = std::fs::read_to_string(root.join("FEEDPARSER_CHECKS.tsv")).expect("checks");
    let mut checks = Checks::default();
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, kind, target, expected) = (cols[0], cols[2], cols[3], cols[4]);
        let result = results.get(file);
        let outcome = match kind {
            // Some checked files were left out of the corpus: no result, not evaluated.
            "not_bozo" => result.map(Result::is_ok),
            _ => match (result, serde_json::from_str::<serde_json::Value>(expected)) {
                (Some(Ok(feed)), Ok(want)) => evaluate(feed, kind, target, &want),
                _ => None,
            },
        };
        match outcome {
            Some(true) => {
                checks.evaluated += 1;
                checks.held += 1;
            }
            Some(false) => {
                checks.evaluated += 1;
                checks
                    .misses
                    .push(format!("{file} {kind} {target} want {expected}"));
            }
            None => checks.skipped += 1,
        }
    }
    checks
}

/// Text as a reader sees it: tags gone, entities decoded, space folded.
fn plain(html: &str) -> String {
    let text = html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
        .string_from_read(html.as_bytes(), 10_000)
        .unwrap_or_default();
    clean_inline(&text)
}

fn evaluate(feed: &ParsedFeed, kind: &str, target: &str, want: &serde_json::Value) -> Option<bool> {
    let first = feed.articles.first();
    let same_text = |got: Option<&str>| {
        let want = want.as_str()?;
        let got = got.unwrap_or_default();
        Some(got == clean_inline(want) || plain(got) == plain(want))
    };
    let same_url = |got: Option<&str>| {
        let want = want.as_str()?;
        let want = Url::parse(want)
            .map(String::from)
            .unwrap_or_else(|_| want.to_string());
        Some(got == Some(want.as_str()))
    };
    match kind {
        "feed_title" => same_text(feed.meta.title.as_deref()),
        "entry_title" => same_text(first.map(|a| a.title.as_str())),
        "feed_link" => same_url(feed.meta.site_link.as_deref()),
        "entry_link" if target.contains("[*]") || target.contains("[0]") => {
            same_url(first.and_then(|a| a.link.as_deref()))
        }
        "entry_content" if target.contains("single char") => {
            let want = char::from_u32(u32::try_from(want.as_u64()?).ok()?)?;
            Some(first?.text == want.to_string())
        }
        "entry_content" => same_text(first.and_then(|a| a.html.as_deref())),
        "date" if target.starts_with("entries[0]") => {
            let want: Vec<i64> = want.as_array()?.iter().filter_map(|v| v.as_i64()).collect();
            let got = first?.published?;
            let got = [got.year().into(), got.month().into(), got.day().into()]
                .into_iter()
                .chain([got.hour(), got.minute(), got.second()].map(i64::from))
                .collect::<Vec<i64>>();
            Some(want.get(..6) == Some(&got[..]))
        }
        _ => None,
    }
}

/// A 10 MB, 5000-item feed; run with `cargo test --release --test corpus -- --ignored`.
#[test]
#[ignore = "timing; meaningful in release"]
fn big_feed_is_fast() {
    let body = "testo lungo della cooperativa ".repeat(60);
    let mut doc =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>B</title>");
    for i in 0..5000 {
        doc.push_str(&format!(
            "<item><title>Articolo {i} &amp; perché</title><link>https://example.org/a/{i}</link>\
             <pubDate>Mon, 26 Jun 2017 12:20:05 GMT</pubDate><description><![CDATA[<p>Paragrafo \
             <a href=\"/x/{i}\">link</a> {body}</p>]]></description></item>"
        ));
    }
    doc.push_str("</channel></rss>");
    let base = Url::parse("https://example.org/feed").expect("static url");
    let started = Instant::now();
    let feed = parse(doc.as_bytes(), None, &base).expect("parses");
    let took = started.elapsed();
    eprintln!(
        "big feed: {} bytes, {} articles in {took:?}",
        doc.len(),
        feed.articles.len()
    );
    assert_eq!(feed.articles.len(), 5000);
}
