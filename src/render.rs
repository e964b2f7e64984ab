//! HTML and rich text to wrapped, sanitised lines for a width. Pure.

use crate::model::StoredArticle;
use crate::text::{clean_block, clean_inline};

/// An article as plain lines for `coopnews show`: header, body, numbered links.
pub fn article_text(article: &StoredArticle, width: usize) -> Vec<String> {
    let mut lines = vec![
        clean_inline(&article.title),
        format!("From: {}", clean_inline(&article.feed)),
    ];
    if let Some(author) = &article.author {
        lines.push(format!("By: {}", clean_inline(author)));
    }
    lines.push(format!(
        "Date: {}",
        article
            .published
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
    ));
    if let Some(link) = &article.link {
        lines.push(format!("Link: {}", clean_inline(link)));
    }
    lines.push(String::new());
    let body = match &article.html {
        Some(html) => html2text::from_read(html.as_bytes(), width.max(10))
            .unwrap_or_else(|_| article.text.clone()),
        None => article.text.clone(),
    };
    lines.extend(clean_block(&body).lines().map(str::to_string));
    if !article.links.is_empty() {
        lines.push(String::new());
        lines.push("Links:".into());
        for (n, link) in article.links.iter().enumerate() {
            lines.push(format!("[{}] {}", n + 1, clean_inline(link)));
        }
    }
    lines
}
