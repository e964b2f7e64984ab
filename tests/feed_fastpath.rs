//! The streaming RSS/Atom reader against feed-rs, the reference: on every corpus file the
//! streaming reader accepts, both give the same feed and the same articles, field by field,
//! also when the articles are made on two threads while the document is read; and it
//! accepts the shape the benchmarks measure (`../shared/bench/gen_feeds.py`).

mod common;

use std::collections::BTreeMap;

use coopnews::model::{Article, ParsedFeed};
use coopnews::sources::feed::{Reader, parse, parse_with};
use url::Url;

/// One article field, shown for comparison.
type Field = dyn Fn(&Article) -> String;

/// Field-by-field differences between the two readers' results, empty when they agree.
fn differences(fast: &ParsedFeed, reference: &ParsedFeed) -> Vec<String> {
    let mut out = Vec::new();
    if fast.meta != reference.meta {
        out.push(format!(
            "feed: streaming {:?} / feed-rs {:?}",
            fast.meta, reference.meta
        ));
    }
    if fast.articles.len() != reference.articles.len() {
        out.push(format!(
            "{} articles / feed-rs {}",
            fast.articles.len(),
            reference.articles.len()
        ));
    }
    for (i, (a, b)) in fast.articles.iter().zip(&reference.articles).enumerate() {
        let fields: [(&str, &Field); 9] = [
            ("guid", &|x| x.guid.clone()),
            ("title", &|x| x.title.clone()),
            ("link", &|x| format!("{:?}", x.link)),
            ("author", &|x| format!("{:?}", x.author)),
            ("published", &|x| format!("{:?}", x.published)),
            ("language", &|x| format!("{:?}", x.language)),
            ("html", &|x| format!("{:?}", x.html)),
            ("text", &|x| x.text.clone()),
            ("links", &|x| format!("{:?}", x.links)),
        ];
        for (name, field) in fields {
            let (fa, fb) = (field(a), field(b));
            if fa != fb {
                out.push(format!(
                    "article {i} {name}: streaming {fa:?} / feed-rs {fb:?}"
                ));
            }
        }
        if a != b && out.is_empty() {
            out.push(format!("article {i}: {a:?} / {b:?}"));
        }
    }
    out
}

#[test]
fn streaming_reader_matches_feed_rs_over_the_corpus() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let root = root.join("feeds");
    let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).expect("manifest");
    let base = Url::parse("http://127.0.0.1:8097/tests/feed.xml").expect("static url");
    let (mut accepted, mut declined, mut neither) = (0, 0, 0);
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, category) = (cols[0], cols.get(4).copied().unwrap_or_default());
        let bytes = std::fs::read(root.join(file)).expect("corpus file");
        let fast = parse_with(&bytes, None, &base, Reader::Streaming);
        let reference = parse_with(&bytes, None, &base, Reader::FeedRs);
        let tally = by_category.entry(category.to_string()).or_default();
        match &fast {
            Ok(Ok(_)) => tally.0 += 1,
            _ => tally.1 += 1,
        }
        match (fast, reference) {
            (Ok(Ok(fast)), Ok(Ok(reference))) => {
                accepted += 1;
                let diff = differences(&fast, &reference);
                if !diff.is_empty() {
                    failures.push(format!("{file}:\n  {}", diff.join("\n  ")));
                }
                // A big document's articles are made while it is read: the same articles.
                match parse_with(&bytes, None, &base, Reader::StreamingOn(2)) {
                    Ok(Ok(made)) if made == fast => {}
                    other => failures.push(format!(
                        "{file}: made while reading, {other:?}\n  instead of {fast:?}"
                    )),
                }
            }
            (Ok(Ok(_)), reference) => {
                accepted += 1;
                failures.push(format!(
                    "{file}: streaming read it, feed-rs gave {reference:?}"
                ));
            }
            (Ok(Err(reason)), _) => {
                declined += 1;
                *reasons.entry(reason).or_default() += 1;
            }
            // Not a feed, or not even text: both paths share that step and its error.
            (Err(_), _) => neither += 1,
        }
    }
    eprintln!(
        "streaming reader: accepted {accepted}, left to feed-rs {declined}, \
         not XML feeds {neither}; accepted/other by category {by_category:?}; \
         declined because: {reasons:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(accepted > 0, "the streaming reader accepted no corpus file");
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).expect("fixture")
}

/// The benchmark generator's two shapes: RSS with CDATA and escaped descriptions and
/// content:encoded, Atom with html content and text summaries (see the fixtures' README).
#[test]
fn streaming_reader_takes_the_benchmark_shape() {
    let base = Url::parse("http://127.0.0.1:8765/feeds/feed-0000.xml").expect("static url");
    for name in ["bench-shape.rss", "bench-shape.atom"] {
        let bytes = fixture(name);
        let fast = match parse_with(&bytes, None, &base, Reader::Streaming) {
            Ok(Ok(fast)) => fast,
            other => panic!("{name}: the streaming reader declined it: {other:?}"),
        };
        let reference = match parse_with(&bytes, None, &base, Reader::FeedRs) {
            Ok(Ok(reference)) => reference,
            other => panic!("{name}: feed-rs failed: {other:?}"),
        };
        let diff = differences(&fast, &reference);
        assert!(diff.is_empty(), "{name}:\n{}", diff.join("\n"));
        // What a reader sees: titles, bodies as text, dates, authors, links.
        let a = &fast.articles[0];
        assert!(!a.title.is_empty() && !a.text.is_empty(), "{a:?}");
        assert!(a.published.is_some() && a.author.is_some(), "{a:?}");
        assert!(
            a.link
                .as_deref()
                .is_some_and(|l| l.starts_with("https://site"))
        );
        assert_eq!(parse(&bytes, None, &base).as_ref(), Ok(&fast));
    }
}

/// Each generator shape in small pieces, so a difference points at its element.
#[test]
fn streaming_reader_matches_on_each_body_form() {
    let base = Url::parse("https://example.coop/feed").expect("static url");
    let rss = |item: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>T &amp; c</title>\
             <link>https://example.coop/</link><language>it-IT</language>{item}</channel></rss>"
        )
    };
    let docs = [
        rss("<item><title>Caffè &lt;b&gt;forte&lt;/b&gt;</title><link>/a</link>\
             <guid isPermaLink=\"false\">urn:uuid:1</guid><pubDate>Sun, 01 Jun 2025 12:00:00 +0000</pubDate>\
             <dc:creator>Zoë Müller</dc:creator><description><![CDATA[<p>Uno <a href=\"/x\">x</a></p>]]></description></item>"),
        rss("<item><title>Due</title><description>&lt;p&gt;città &amp;amp; più&lt;/p&gt;</description>\
             <content:encoded><![CDATA[<p>Tutto</p>]]></content:encoded><enclosure url=\"/ep.mp3\" type=\"audio/mpeg\"/></item>"),
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"it\"><title>A</title>\
         <link rel=\"alternate\" type=\"text/html\" href=\"https://example.coop/\"/>\
         <entry><title type=\"html\">Q&amp;amp;A</title><link href=\"/e\"/><id>tag:e,2025:1</id>\
         <published>2025-06-01T12:00:00Z</published><author><name>Redazione</name></author>\
         <summary type=\"text\">a &lt; b</summary><content type=\"html\">&lt;p&gt;Corpo&lt;/p&gt;</content></entry></feed>"
            .to_string(),
    ];
    for doc in docs {
        let fast = parse_with(doc.as_bytes(), None, &base, Reader::Streaming);
        let reference = parse_with(doc.as_bytes(), None, &base, Reader::FeedRs);
        match (fast, reference) {
            (Ok(Ok(fast)), Ok(Ok(reference))) => {
                let diff = differences(&fast, &reference);
                assert!(diff.is_empty(), "{doc}\n{}", diff.join("\n"));
            }
            other => panic!("{doc}: {other:?}"),
        }
    }
}
