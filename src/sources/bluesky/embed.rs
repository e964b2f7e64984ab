//! Embeds as text and HTML with their links: images, link cards, quoted posts, record with
//! media, video, and a placeholder for any type we do not know yet.
//!
//! Both the hydrated `#view` forms (in a postView) and the bare record forms (in a record,
//! which have no image or video URLs) are read; the `$type` without `#view` decides.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::api::{External, Images, PostRecord, Video, ViewRecord};
use super::richtext::{self, Body, escape};
use crate::text::{clean_inline, truncate};

/// Quoted posts may quote posts; two levels say enough.
const MAX_DEPTH: usize = 2;
/// Columns for the one-line summaries used as titles.
const LABEL_WIDTH: usize = 80;

pub fn render(embed: &Value, body: &mut Body, depth: usize) {
    let kind = type_of(embed);
    let base = kind.strip_suffix("#view").unwrap_or(kind);
    match base {
        "app.bsky.embed.images" => typed(embed, kind, body, images),
        "app.bsky.embed.external" => typed(embed, kind, body, external),
        "app.bsky.embed.video" => typed(embed, kind, body, video),
        "app.bsky.embed.record" => record(embed.get("record").unwrap_or(&Value::Null), body, depth),
        "app.bsky.embed.recordWithMedia" => {
            if let Some(media) = embed.get("media") {
                render(media, body, depth);
            }
            // In a view the quoted record sits at record.record; in a record, likewise.
            if let Some(inner) = embed.get("record").and_then(|r| r.get("record")) {
                record(inner, body, depth);
            }
        }
        _ => unsupported(kind, body),
    }
}

fn type_of(v: &Value) -> &str {
    v.get("$type").and_then(Value::as_str).unwrap_or("unknown")
}

/// Deserialize a known type and render it, or say it could not be read.
fn typed<T: DeserializeOwned>(embed: &Value, kind: &str, body: &mut Body, f: fn(T, &mut Body)) {
    match serde_json::from_value::<T>(embed.clone()) {
        Ok(t) => f(t, body),
        Err(_) => unsupported(kind, body),
    }
}

fn unsupported(kind: &str, body: &mut Body) {
    let line = format!("[unsupported embed: {}]", clean_inline(kind));
    body.para(&line, &escape(&line));
    body.label_embed(line);
}

fn labelled(tag: &str, detail: &str) -> String {
    if detail.is_empty() {
        format!("[{tag}]")
    } else {
        format!("[{tag}: {detail}]")
    }
}

fn images(images: Images, body: &mut Body) {
    if images.images.is_empty() {
        return;
    }
    body.push_html("<ul>\n");
    for image in &images.images {
        let alt = clean_inline(&image.alt);
        let label = labelled("image", &alt);
        body.label_embed(truncate(format!("[image] {alt}").trim_end(), LABEL_WIDTH));
        match image.fullsize.as_deref().or(image.thumb.as_deref()) {
            Some(url) if richtext::is_web_url(url) => {
                body.push_text(&format!("{label} {url}\n"));
                let a = body.anchor(url, url);
                body.push_html(&format!("<li>{} {a}</li>\n", escape(&label)));
            }
            _ => {
                body.push_text(&format!("{label}\n"));
                body.push_html(&format!("<li>{}</li>\n", escape(&label)));
            }
        }
    }
    body.push_text("\n");
    body.push_html("</ul>\n");
}

fn video(video: Video, body: &mut Body) {
    let alt = clean_inline(&video.alt);
    let label = labelled("video", &alt);
    body.label_embed(truncate(format!("[video] {alt}").trim_end(), LABEL_WIDTH));
    match video
        .playlist
        .as_deref()
        .filter(|u| richtext::is_web_url(u))
    {
        Some(url) => {
            let a = body.anchor(url, url);
            body.para(
                &format!("{label} {url}"),
                &format!("{} {a}", escape(&label)),
            );
        }
        None => body.para(&label, &escape(&label)),
    }
}

fn external(card: External, body: &mut Body) {
    let link = card.external;
    let title = clean_inline(&link.title);
    let description = clean_inline(&link.description);
    let heading = labelled("link", &title);
    body.label_embed(truncate(&heading, LABEL_WIDTH));
    let mut plain = heading.clone();
    let mut html = format!("<blockquote>\n<p><strong>{}</strong>", escape(&heading));
    if !description.is_empty() {
        plain.push_str(&format!("\n{description}"));
        html.push_str(&format!("<br>\n{}", escape(&description)));
    }
    if richtext::is_web_url(&link.uri) {
        plain.push_str(&format!("\n{}", link.uri));
        html.push_str(&format!("<br>\n{}", body.anchor(&link.uri, &link.uri)));
    }
    html.push_str("</p>\n</blockquote>\n");
    body.push_text(&format!("{plain}\n\n"));
    body.push_html(&html);
}

/// The record of a `record` embed: a hydrated post, a placeholder for one we may not see, a
/// feed or list, or (in a bare record) just a strong ref.
fn record(inner: &Value, body: &mut Body, depth: usize) {
    let kind = type_of(inner);
    let uri = inner.get("uri").and_then(Value::as_str).unwrap_or_default();
    let flag = |key: &str| inner.get(key).and_then(Value::as_bool) == Some(true);
    let placeholder = if flag("notFound") || kind.ends_with("#viewNotFound") {
        Some("[quoted post not found]")
    } else if flag("blocked") || kind.ends_with("#viewBlocked") {
        Some("[quoted post blocked]")
    } else if flag("detached") || kind.ends_with("#viewDetached") {
        Some("[quoted post removed by its author]")
    } else {
        None
    };
    if let Some(line) = placeholder {
        body.para(line, &escape(line));
        body.label_embed(line.to_string());
        return;
    }
    if inner.get("value").is_some()
        && inner.get("author").is_some()
        && let Ok(view) = serde_json::from_value::<ViewRecord>(inner.clone())
        && (type_of(&view.value) == "app.bsky.feed.post" || kind.ends_with("#viewRecord"))
    {
        return quote(view, body, depth);
    }
    if kind.ends_with("#generatorView") || kind.ends_with("#listView") {
        let what = if kind.ends_with("#listView") {
            "list"
        } else {
            "feed"
        };
        let name = ["displayName", "name"]
            .iter()
            .find_map(|k| inner.get(*k).and_then(Value::as_str))
            .map(clean_inline)
            .unwrap_or_default();
        let line = labelled(what, &name);
        body.para(&line, &escape(&line));
        body.label_embed(line);
        return;
    }
    // A strong ref in a bare record: all we know is where the quoted post lives.
    if let Some(url) = richtext::post_url(uri, None) {
        let a = body.anchor(&url, &url);
        body.para(&format!("[quote] {url}"), &format!("[quote] {a}"));
        body.label_embed("[quote]".to_string());
        return;
    }
    unsupported(kind, body);
}

fn quote(view: ViewRecord, body: &mut Body, depth: usize) {
    let record: PostRecord = serde_json::from_value(view.value).unwrap_or_default();
    let who = super::post::author_name(&view.author);
    let (plain, html) = richtext::render(&record.text, &record.facets, body);
    body.label_embed(truncate(
        &clean_inline(&format!("[quote] {who}: {plain}")),
        LABEL_WIDTH,
    ));
    // Plain text keeps the quote in one block: who, what, where.
    let mut text = format!("[quote] {who}:\n");
    let mut quoted = format!("<blockquote>\n<p>[quote] {}:</p>\n", escape(&who));
    if !plain.trim().is_empty() {
        text.push_str(&format!("{plain}\n"));
        quoted.push_str(&format!("<p>{html}</p>\n"));
    }
    if let Some(url) = richtext::post_url(&view.uri, Some(&view.author.handle)) {
        text.push_str(&format!("{url}\n"));
        quoted.push_str(&format!("<p>{}</p>\n", body.anchor(&url, &url)));
    }
    body.push_text(&format!("{text}\n"));
    body.push_html(&quoted);
    if depth < MAX_DEPTH {
        // The view's `embeds` are hydrated; the record's own embed is the fallback.
        let nested: Vec<&Value> = if view.embeds.is_empty() {
            record.embed.iter().collect()
        } else {
            view.embeds.iter().collect()
        };
        for embed in nested {
            render(embed, body, depth + 1);
        }
    }
    body.push_html("</blockquote>\n");
}
