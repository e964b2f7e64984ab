//! Whole-path tests of `feed::parse`: bytes in, articles out.

use std::io::Write;

use super::*;

fn base() -> Url {
    Url::parse("https://example.org/news/feed.xml").expect("static url")
}

fn ok(bytes: &[u8], content_type: Option<&str>) -> ParsedFeed {
    match parse(bytes, content_type, &base()) {
        Ok(feed) => feed,
        Err(e) => panic!("parse failed: {e}"),
    }
}

const RSS_NO_VERSION: &str = r#"<?xml version="1.0"?>
<rss><channel><title>Coop &amp; News</title><link>/</link>
<item><title>One</title><link>/one</link><description>&lt;p&gt;Hello &lt;a href="/two"&gt;x&lt;/a&gt;&lt;/p&gt;</description></item>
</channel></rss>"#;

#[test]
fn rss_without_version_parses_and_links_are_absolute() {
    let feed = ok(RSS_NO_VERSION.as_bytes(), None);
    assert_eq!(feed.meta.title.as_deref(), Some("Coop & News"));
    assert_eq!(feed.meta.site_link.as_deref(), Some("https://example.org/"));
    let a = &feed.articles[0];
    assert_eq!(a.title, "One");
    assert_eq!(a.link.as_deref(), Some("https://example.org/one"));
    assert_eq!(a.links, ["https://example.org/two"]);
    assert_eq!(a.text, "Hello x");
}

#[test]
fn stable_guid_without_id() {
    let first = ok(RSS_NO_VERSION.as_bytes(), None);
    let again = ok(RSS_NO_VERSION.as_bytes(), None);
    assert!(first.articles[0].guid.starts_with("h:"));
    assert_eq!(first.articles[0].guid, again.articles[0].guid);
    // Nothing but a body: still stable, and two distinct bodies stay distinct.
    let doc = "<rss version=\"2.0\"><channel><item><description>a</description></item>\
               <item><description>b</description></item><item><description>a</description></item></channel></rss>";
    let feed = ok(doc.as_bytes(), None);
    assert_eq!(feed.articles.len(), 2, "the repeated entry is dropped");
    assert_eq!(
        feed.articles[0].guid,
        ok(doc.as_bytes(), None).articles[0].guid
    );
}

#[test]
fn duplicate_ids_keep_the_first() {
    let doc = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>\
               <entry><id>x</id><title>first</title></entry><entry><id>x</id><title>second</title></entry></feed>";
    let feed = ok(doc.as_bytes(), None);
    assert_eq!(feed.articles.len(), 1);
    assert_eq!(feed.articles[0].title, "first");
}

#[test]
fn json_feed_1_1() {
    let doc = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
        "items": [{"id": "1", "url": "https://example.org/1", "title": "Uno",
                   "content_html": "<p>ciao</p>", "language": "it"}]}"#;
    let feed = ok(doc.as_bytes(), Some("application/feed+json"));
    assert_eq!(feed.meta.title.as_deref(), Some("J"));
    assert_eq!(feed.articles[0].guid, "1");
    assert_eq!(feed.articles[0].text, "ciao");
}

#[test]
fn gzip_bytes_without_header() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(RSS_NO_VERSION.as_bytes()).expect("in memory");
    let bytes = gz.finish().expect("in memory");
    assert_eq!(ok(&bytes, None).articles.len(), 1);
}

#[test]
fn html_page_is_not_a_feed() {
    let page = b"\xEF\xBB\xBF\n<!DOCTYPE html>\n<html><head><link rel=alternate></head></html>";
    assert_eq!(
        parse(page, Some("text/html"), &base()),
        Err(FetchError::NotAFeed("an HTML page".into()))
    );
    assert!(matches!(
        parse(b"<?xml version='1.0'?><note/>", None, &base()),
        Err(FetchError::NotAFeed(m)) if m.contains("<note>")
    ));
}

#[test]
fn invalid_utf8_keeps_the_other_articles() {
    let doc = "<rss version=\"2.0\"><channel><item><title>caffè \u{1}BAD</title></item>\
               <item><title>Società</title></item></channel></rss>";
    let bytes = doc.replace("BAD", "\u{0}").into_bytes();
    let bytes: Vec<u8> = bytes
        .into_iter()
        .map(|b| if b == 0 { 0xff } else { b })
        .collect();
    let feed = ok(&bytes, None);
    assert_eq!(feed.articles.len(), 2);
    assert_eq!(feed.articles[0].title, "caffè \u{fffd}");
    assert_eq!(feed.articles[1].title, "Società");
}

#[test]
fn windows_1252_feed_end_to_end() {
    let (body, _, _) = encoding_rs::WINDOWS_1252.encode(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel>\
         <item><title>perché è già così — «cooperativa»</title></item></channel></rss>",
    );
    let feed = ok(&body, None);
    assert_eq!(feed.articles[0].title, "perché è già così — «cooperativa»");
}

#[test]
fn utf16be_does_not_panic() {
    let doc = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>ü</title></channel></rss>";
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(doc.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(ok(&bytes, None).meta.title.as_deref(), Some("ü"));
}

#[test]
fn undeclared_entities_and_control_references() {
    let doc = "<rss version=\"2.0\"><channel><title>a&nbsp;b &aacute; &#27;[31m&#x9b;x</title>\
               <item><title>Q&amp;amp;A &lt;b&gt;bold&lt;/b&gt;</title></item></channel></rss>";
    let feed = ok(doc.as_bytes(), None);
    // &#x9b; is read as windows-1252 0x9B, ›, as browsers do.
    assert_eq!(feed.meta.title.as_deref(), Some("a b á [31m›x"));
    assert_eq!(feed.articles[0].title, "Q&A bold");
}

#[test]
fn old_formats_are_not_silently_empty() {
    let rss090 = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
                  xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>T</title></channel>\
                  <item><title>I</title><link>http://example.com/i</link></item></rdf:RDF>";
    let feed = ok(rss090.as_bytes(), None);
    assert_eq!(feed.meta.title.as_deref(), Some("T"));
    assert_eq!(feed.articles[0].title, "I");
    let atom03 = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>A</title>\
                  <entry><title>E</title><id>e1</id><issued>2004-01-01T00:00:00Z</issued></entry></feed>";
    let feed = ok(atom03.as_bytes(), None);
    assert_eq!(feed.articles[0].title, "E");
    assert!(feed.articles[0].published.is_some());
}

#[test]
fn enclosures_and_xml_base() {
    let doc = "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://other.example/blog/\">\
               <entry><id>1</id><title>t</title><link href=\"post\"/>\
               <link rel=\"enclosure\" href=\"ep.mp3\"/>\
               <content type=\"html\">&lt;a href='mailto:a@b.c'&gt;m&lt;/a&gt; &lt;a href='javascript:x'&gt;j&lt;/a&gt;</content></entry></feed>";
    let feed = ok(doc.as_bytes(), None);
    let a = &feed.articles[0];
    assert_eq!(a.link.as_deref(), Some("https://other.example/blog/post"));
    assert_eq!(
        a.links,
        ["mailto:a@b.c", "https://other.example/blog/ep.mp3"]
    );
}

#[test]
fn a_big_feed_keeps_document_order_and_the_first_of_each_guid() {
    // Past 1,000 entries (`parallel::threads_for`), articles are made on several threads.
    let mut items = String::new();
    for i in 0..2_500 {
        // Entry 2,000 repeats the guid of entry 7: the first one wins, wherever it was made.
        let guid = if i == 2_000 { 7 } else { i };
        items.push_str(&format!(
            "<item><title>Notizia {i}</title><guid>g{guid}</guid>\
             <description>&lt;p&gt;Testo {i} &lt;a href=\"/n/{i}\"&gt;link&lt;/a&gt;&lt;/p&gt;</description></item>"
        ));
    }
    let doc = format!("<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>");
    let feed = ok(doc.as_bytes(), None);
    assert_eq!(feed.articles.len(), 2_499);
    for (at, article) in feed.articles.iter().enumerate() {
        let i = if at < 2_000 { at } else { at + 1 };
        assert_eq!(article.title, format!("Notizia {i}"));
        assert_eq!(article.text, format!("Testo {i} link"));
        assert_eq!(article.links, [format!("https://example.org/n/{i}")]);
    }
}
