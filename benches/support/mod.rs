//! Shared by the criterion benches: a deterministic generator of realistic feeds (simpler
//! than `../shared/bench/gen_feeds.py`, which the whole-program comparison uses), and the
//! quick-mode switch.

#![allow(dead_code)]

use std::path::PathBuf;

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs each bench once without
/// it, and then the data sets are kept small so the test suite stays quick.
pub fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `../shared/corpus` (or `$COOPNEWS_CORPUS`), as the tests find it.
pub fn corpus_root() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("COOPNEWS_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            manifest.join("../shared/corpus"),
            manifest.join("shared/corpus"),
        ])
        .find(|p| p.join("feeds/MANIFEST.tsv").exists())
}

/// xorshift64*: small, seeded, the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "cooperativa",
    "lavoratori",
    "società",
    "mutualità",
    "più",
    "perché",
    "già",
    "città",
    "coopérative",
    "économie",
    "société",
    "élève",
    "été",
    "à",
    "côté",
    "réseau",
    "trabajo",
    "economía",
    "señal",
    "año",
    "niño",
    "también",
    "organización",
    "jóvenes",
    "🤝",
    "🌍",
    "🇮🇹",
    "🇫🇷",
    "🇪🇸",
    "🚀",
    "👩‍🌾",
    "&amp;",
    "&#8217;",
    "&nbsp;",
];

pub fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| rng.pick(WORDS)).collect();
    s.push(".");
    s.join(" ")
}

/// An HTML body of about 2 KB: paragraphs, links, a list, sometimes a script.
pub fn body(rng: &mut Rng) -> String {
    let mut html = String::from("<div class=\"entry\">");
    for p in 0..3 + rng.below(2) {
        html.push_str("<p>");
        for _ in 0..3 {
            let words = 10 + rng.below(6);
            html.push_str(&sentence(rng, words));
            html.push(' ');
        }
        html.push_str(&format!(
            "<a href=\"https://www.legacoop.coop/news/{}?a=1&amp;b=2\">leggi</a> <strong>{}</strong></p>",
            rng.next() % 1_000_000,
            sentence(rng, 4)
        ));
        if p == 0 {
            html.push_str("<ul><li>uno è</li><li>deux été</li><li>tres año</li></ul>");
        }
    }
    if rng.below(10) == 0 {
        html.push_str("<script>var t = 1 < 2;</script>");
    }
    html.push_str("</div>");
    html
}

/// One feed document: RSS 2.0 for even `feed`, Atom for odd, `items` entries newest first.
pub fn feed_xml(feed: u64, items: usize) -> String {
    let mut rng = Rng::new(feed + 1);
    let atom = feed % 2 == 1;
    let mut doc = if atom {
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title>Flux {feed}</title><id>urn:bench:{feed}</id>"
        )
    } else {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
             <title>Feed {feed}</title><link>https://example.coop/{feed}/</link>"
        )
    };
    for i in 0..items {
        let title = sentence(&mut rng, 6).replace('&', "&amp;");
        let body = body(&mut rng);
        let (day, hour) = (1 + (i / 24) % 28, i % 24);
        if atom {
            let escaped = body
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            doc.push_str(&format!(
                "<entry><title>{title}</title><link href=\"https://example.coop/{feed}/{i}\"/>\
                 <id>urn:bench:{feed}:{i}</id><updated>2025-05-{day:02}T{hour:02}:00:00Z</updated>\
                 <content type=\"html\">{escaped}</content></entry>"
            ));
        } else {
            doc.push_str(&format!(
                "<item><title>{title}</title><link>https://example.coop/{feed}/{i}</link>\
                 <guid>urn:bench:{feed}:{i}</guid><pubDate>Thu, {day:02} May 2025 {hour:02}:00:00 GMT</pubDate>\
                 <description><![CDATA[{body}]]></description></item>"
            ));
        }
    }
    doc.push_str(if atom { "</feed>" } else { "</channel></rss>" });
    doc
}
