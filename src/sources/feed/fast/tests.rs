//! What the streaming reader declines, so feed-rs reads it; agreement is `tests/feed_fastpath.rs`.

use super::*;

fn base() -> Url {
    Url::parse("https://example.org/feed.xml").expect("static url")
}

fn rss(item: &str) -> String {
    format!("<rss version=\"2.0\"><channel><title>T</title><item>{item}</item></channel></rss>")
}

#[test]
fn the_plain_case_is_read() {
    let doc = rss("<title> Uno </title><link>/1</link><guid>g1</guid>\
                   <description>&lt;p&gt;ciao&lt;/p&gt;</description>");
    let feed = read(&doc, &base()).expect("plain RSS is read");
    assert_eq!(feed.meta.title.as_deref(), Some("T"));
    let a = &feed.articles[0];
    assert_eq!((a.title.as_str(), a.guid.as_str()), ("Uno", "g1"));
    assert_eq!(a.link.as_deref(), Some("https://example.org/1"));
    assert_eq!(a.html.as_deref(), Some("<p>ciao</p>"));
}

#[test]
fn anything_unusual_is_left_to_feed_rs() {
    let declined = [
        (
            "<!DOCTYPE rss [<!ENTITY c \"x\">]>".to_string() + &rss("<title>&c;</title>"),
            "a DOCTYPE",
        ),
        (rss("<title>&c;</title>"), "an undeclared entity"),
        (
            rss("<title>a <b>b</b></title>"),
            "markup inside a text element",
        ),
        (
            rss("<pubDate>yesterday</pubDate>"),
            "a date in an uncommon form",
        ),
        (
            rss("<author>a@b.example (A)</author>"),
            "an author with an e-mail address",
        ),
        (rss("<title>x</titel>"), "malformed XML"),
        (
            "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\">\
             <channel><item><media:content url=\"/v.mp4\"/></item></channel></rss>"
                .to_string(),
            "Media RSS or Podcast markup",
        ),
        (
            "<rss version=\"0.91\"><channel/></rss>".to_string(),
            "RSS other than 2.0",
        ),
        (
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>".to_string(),
            "a root other than <rss> or Atom <feed>",
        ),
        (
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"/b/\"><entry/></feed>"
                .to_string(),
            "xml:base",
        ),
        (
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"xhtml\">\
             <div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></content></entry></feed>"
                .to_string(),
            "Atom text that is not text or html",
        ),
        (rss("<title>unclosed"), "malformed XML"),
    ];
    for (doc, why) in declined {
        assert_eq!(read(&doc, &base()), Err(Unsupported(why)), "{doc}");
    }
}

/// Articles made on other threads while the document is read, as for a big feed, are the
/// articles made after it: in order, one per guid, and given the channel's language even
/// when `<language>` comes after the items.
#[test]
fn articles_made_while_reading_are_those_made_after() {
    let items: String = (0..300)
        .map(|i| {
            // Every hundredth guid repeats the one before: the first copy stays.
            let guid = if i % 100 == 1 { i - 1 } else { i };
            format!(
                "<item><title>N. {i}</title><guid>g{guid}</guid><link>/{i}</link>\
                 <description>&lt;p&gt;Testo {i} &lt;a href=\"/x{i}\"&gt;x&lt;/a&gt;&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    let doc = format!(
        "<rss version=\"2.0\"><channel><title>T</title>{items}<language>IT</language></channel></rss>"
    );
    let after = read_on(&doc, &base(), 1).expect("read");
    assert_eq!(after.articles.len(), 297);
    assert!(
        after
            .articles
            .iter()
            .all(|a| a.language.as_deref() == Some("it"))
    );
    for threads in [2, 3] {
        assert_eq!(
            read_on(&doc, &base(), threads).as_ref(),
            Ok(&after),
            "{threads}"
        );
    }
    let (first, last) = (&after.articles[0], &after.articles[296]);
    assert_eq!(
        (first.title.as_str(), first.text.as_str()),
        ("N. 0", "Testo 0 x")
    );
    assert_eq!(last.links, ["https://example.org/x299"]);
    // Declined part-way, whatever was made already is dropped: feed-rs reads it instead.
    let broken = doc.replace("<title>N. 250</title>", "<title>N. 250</titel>");
    assert_eq!(
        read_on(&broken, &base(), 2),
        Err(Unsupported("malformed XML"))
    );
}

/// A document of a megabyte or more is read the way just tested, to the same articles: here
/// made big by a long channel description, which the reader skips.
#[test]
fn a_big_document_gives_the_articles_a_small_one_gives() {
    let items: String = (0..200)
        .map(|i| format!("<item><title>N. {i}</title><guid>g{i}</guid></item>"))
        .collect();
    let padding = "x".repeat(1 << 20);
    let doc = format!(
        "<rss version=\"2.0\"><channel><description>{padding}</description>{items}</channel></rss>"
    );
    assert_eq!(
        parallel::threads_for_document(doc.len()),
        parallel::threads_for(usize::MAX)
    );
    let big = read(&doc, &base()).expect("read");
    assert_eq!(big.articles.len(), 200);
    assert_eq!(Ok(big), read_on(&doc, &base(), 1));
}
