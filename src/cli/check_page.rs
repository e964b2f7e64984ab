//! `coopnews check-page URL --item … --item-title …`: fetch a listing once and print what
//! the selectors extract, so a user can write a page subscription without guessing.
//! Nothing is stored; every line printed passes through `clean_inline`.

use std::fmt::Write as _;

use url::Url;

use super::{Env, Failure, Outcome};
use crate::model::PageSpec;
use crate::sources::http::Http;
use crate::sources::page::{self, PageExtract};
use crate::text::{clean_inline, truncate};

/// The selectors as given on the command line.
pub struct CheckPageArgs<'a> {
    pub url: &'a str,
    pub item: &'a str,
    pub item_title: &'a str,
    pub item_link: &'a str,
    pub item_date: Option<&'a str>,
    pub item_summary: Option<&'a str>,
}

pub fn run(env: &Env, args: &CheckPageArgs<'_>) -> Outcome {
    let url = Url::parse(args.url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| Failure::usage(format!("`{}` is not an http or https address", args.url)))?;
    let spec = PageSpec {
        url: url.to_string(),
        item: Some(args.item.to_string()),
        item_title: Some(args.item_title.to_string()),
        item_link: Some(args.item_link.to_string()),
        item_date: args.item_date.map(str::to_string),
        item_summary: args.item_summary.map(str::to_string),
        full_text: false,
    };
    page::validate(&spec).map_err(|e| Failure::usage(e.to_string()))?;
    let http = Http::new(env.config.http_settings()).map_err(|e| Failure::failed(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start: {e}")))?;
    let response = runtime
        .block_on(http.get(&url, page::ACCEPT_HTML, None))
        .map_err(|e| Failure::failed(format!("{url}: {e}")))?;
    let extract = page::extract(
        &response.body,
        response.content_type.as_deref(),
        &spec,
        &response.url,
    )
    .map_err(|e| Failure::failed(clean_inline(&e.to_string())))?;
    print!("{}", report(&extract, spec.item_date.is_some()));
    Ok(())
}

/// The printed report: one block per item, then the counts.
pub fn report(extract: &PageExtract, wants_date: bool) -> String {
    let mut out = String::new();
    if let Some(title) = &extract.meta.title {
        let _ = writeln!(out, "Page: {}\n", clean_inline(title));
    }
    for (n, item) in extract.items.iter().enumerate() {
        let article = &item.article;
        let _ = writeln!(out, "{}. {}", n + 1, clean_inline(&article.title));
        let link = article.link.as_deref().unwrap_or_default();
        let _ = writeln!(out, "   link:    {}", clean_inline(link));
        match (&item.date_text, article.published) {
            (Some(raw), Some(date)) => {
                let _ = writeln!(
                    out,
                    "   date:    {} (read from '{}')",
                    date.format("%Y-%m-%d %H:%M UTC"),
                    truncate(&clean_inline(raw), 60)
                );
            }
            (Some(raw), None) => {
                let _ = writeln!(
                    out,
                    "   date:    date not understood: '{}'",
                    truncate(&clean_inline(raw), 60)
                );
            }
            (None, _) if wants_date => {
                let _ = writeln!(out, "   date:    none found (first-seen time will be used)");
            }
            (None, _) => {}
        }
        if let Some(line) = article.text.lines().find(|l| !l.trim().is_empty()) {
            let _ = writeln!(out, "   summary: {}", truncate(&clean_inline(line), 100));
        }
    }
    let skipped = extract.skipped;
    let _ = write!(
        out,
        "{} items, {skipped} skipped (no title or link)",
        extract.items.len()
    );
    if extract.duplicates > 0 {
        let _ = write!(out, ", {} repeated links ignored", extract.duplicates);
    }
    out.push('\n');
    out
}
