//! Where in the text a problem is: line and column from a byte offset, and the key written
//! there.

pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where `key = …` is written inside `[table]`, as line and column.
pub(super) fn table_key_line(text: &str, table: &str, key: &str) -> Option<(usize, usize)> {
    let header = format!("[{table}]");
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.trim_end().starts_with(&header);
            continue;
        }
        let written = trimmed
            .split('=')
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"');
        if inside && written == key {
            return Some((index + 1, line.len() - trimmed.len() + 1));
        }
    }
    None
}

/// The key written on the line an error points at, for messages about a value.
pub(super) fn key_at(text: &str, offset: Option<usize>) -> Option<String> {
    let offset = text.floor_char_boundary(offset?.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}
#[cfg(test)]
mod tests {
    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(super::line_column("a = 1\nbè = x", 10), (2, 4));
    }
}
