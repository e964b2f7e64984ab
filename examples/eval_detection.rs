//! How well detection finds the news on the listing fixtures: precision and recall of
//! items (by link, averaged over pages), the share of titles right and of dates right.
//! Then the time a 500 KB listing takes (a median of 21 runs): parse and detection
//! together, the parse alone, detection alone.
//! Run: `cargo run --release --example eval_detection` (add `-- -v` for each page's misses).

#[path = "../tests/common/listings.rs"]
mod listings;

use std::time::{Duration, Instant};

use coopnews::sources::page;

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let mut precision_sum = 0.0;
    let mut recall_sum = 0.0;
    let (mut titles_right, mut matched) = (0usize, 0usize);
    let (mut dates_right, mut dated) = (0usize, 0usize);
    let pages = listings::all();
    println!(
        "{:<24} {:>5} {:>5} {:>9} {:>6} {:>6}",
        "page", "found", "want", "precision", "recall", "ms"
    );
    for listing in &pages {
        let started = Instant::now();
        let found = listings::detect(listing).unwrap_or_default();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let hits: Vec<_> = found
            .iter()
            .filter_map(|f| {
                listing
                    .expected
                    .iter()
                    .find(|e| e.link == f.link)
                    .map(|e| (f, e))
            })
            .collect();
        let precision = if found.is_empty() {
            0.0
        } else {
            hits.len() as f64 / found.len() as f64
        };
        let recall = hits.len() as f64 / listing.expected.len().max(1) as f64;
        precision_sum += precision;
        recall_sum += recall;
        matched += hits.len();
        titles_right += hits.iter().filter(|(f, e)| f.title == e.title).count();
        for expected in listing.expected.iter().filter(|e| e.date.is_some()) {
            dated += 1;
            if found
                .iter()
                .any(|f| f.link == expected.link && f.date == expected.date)
            {
                dates_right += 1;
            }
        }
        println!(
            "{:<24} {:>5} {:>5} {:>9.2} {:>6.2} {:>6.2}",
            listing.name,
            found.len(),
            listing.expected.len(),
            precision,
            recall,
            ms
        );
        if verbose {
            for f in &found {
                if !listing.expected.contains(f) {
                    println!("    found   {f:?}");
                }
            }
            for e in &listing.expected {
                if !found.contains(e) {
                    println!("    missing {e:?}");
                }
            }
        }
    }
    let pages_n = pages.len().max(1) as f64;
    println!();
    println!("pages:     {}", pages.len());
    println!(
        "precision: {:.3} (mean over pages)",
        precision_sum / pages_n
    );
    println!("recall:    {:.3} (mean over pages)", recall_sum / pages_n);
    println!(
        "titles:    {:.3} ({titles_right} of {matched} found items)",
        titles_right as f64 / matched.max(1) as f64
    );
    println!(
        "dates:     {:.3} ({dates_right} of {dated} items that show a date)",
        dates_right as f64 / dated.max(1) as f64
    );
    speed();
}

/// A big listing: 400 cards with teasers between a 300-link menu, a sidebar and a footer.
fn big_page() -> String {
    let mut html =
        String::from("<html><head><title>All news</title></head><body><nav class=\"menu\"><ul>");
    for i in 0..300 {
        html.push_str(&format!("<li class=\"menu-item\"><a href=\"/section-{i}\">Section number {i} of the site</a></li>"));
    }
    html.push_str("</ul></nav><main><div class=\"view-content\">");
    for i in 0..400 {
        html.push_str(&format!(
            "<div class=\"views-row\"><div class=\"card\"><a class=\"card-link\" href=\"/resource/news/story-{i}\" title=\"Story {i}\">\
             <span>Story number {i} about cooperatives and decent work</span></a><p class=\"eyebrow\">News</p>\
             <h3 class=\"card-title\">Story number {i} about cooperatives and decent work</h3>\
             <p class=\"card-intro\">{}</p><time class=\"card-date\" datetime=\"1785499200\">31 July 2026</time>\
             <div class=\"share\"><a href=\"https://social.example/share?u={i}\">Share this story with your friends</a></div></div></div>",
            "A teaser sentence that goes on for a while to make the page as heavy as real ones are. ".repeat(6)
        ));
    }
    html.push_str("</div></main><aside class=\"sidebar\"><ul>");
    for i in 0..100 {
        html.push_str(&format!("<li><a href=\"/resource/news/story-{i}\">Story number {i} about cooperatives and decent work</a></li>"));
    }
    html.push_str("</ul></aside><footer><ul>");
    for i in 0..200 {
        html.push_str(&format!(
            "<li><a href=\"/footer-{i}\">Footer link number {i} of the site</a></li>"
        ));
    }
    html.push_str("</ul></footer></body></html>");
    html
}

fn speed() {
    let html = big_page();
    let url = url::Url::parse("https://www.example.org/resource/news/all").unwrap();
    let spec = page::detected_spec(url.as_str());
    let mut times: Vec<Duration> = Vec::new();
    let mut items = 0;
    for _ in 0..21 {
        let started = Instant::now();
        let extract = page::extract_at(html.as_bytes(), None, &spec, &url, None).unwrap();
        times.push(started.elapsed());
        items = extract.items.len();
    }
    times.sort();
    println!();
    println!(
        "speed:     {} KB page, {items} items, median {:.1} ms (parse included)",
        html.len() / 1000,
        times[times.len() / 2].as_secs_f64() * 1000.0
    );
    let mut parse_times: Vec<Duration> = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let document = scraper::Html::parse_document(&html);
        parse_times.push(started.elapsed());
        drop(document);
    }
    parse_times.sort();
    println!(
        "           parse alone (html5ever via scraper): median {:.1} ms",
        parse_times[parse_times.len() / 2].as_secs_f64() * 1000.0
    );
    let document = scraper::Html::parse_document(&html);
    let mut detect_times: Vec<Duration> = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let _ = page::detect::detect(&document, &url, None);
        detect_times.push(started.elapsed());
    }
    detect_times.sort();
    println!(
        "           detection alone (page already parsed): median {:.1} ms",
        detect_times[detect_times.len() / 2].as_secs_f64() * 1000.0
    );
}
