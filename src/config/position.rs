//! Where in the text a problem is: line and column from a byte offset, and the key written
//! there.

pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    Lines::new(text).line_column(offset)
}

/// Where each line of a text starts, so that finding the line of many offsets (one per
/// subscription) does not rescan the text from the top each time: with 500 feeds that was
/// quadratic, a few milliseconds at every start.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        Lines {
            text,
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    pub(super) fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset.min(self.text.len()));
        // The number of line starts at or before the offset is its line number.
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
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
        assert_eq!(super::line_column("a = 1\nbè = x", 0), (1, 1));
        assert_eq!(super::line_column("a = 1\nbè = x", 6), (2, 1));
        assert_eq!(super::line_column("a = 1\nbè = x", 99), (2, 7));
    }
}
