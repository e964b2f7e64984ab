//! OSC 8 hyperlinks over the reader's links. ratatui draws cells, not escape sequences, so
//! after each frame the cells of every visible link are written again between an OSC 8
//! opening (with the address) and closing; widths and the buffer stay untouched.

use std::io::Write as _;

use ratatui::backend::Backend as _;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use unicode_width::UnicodeWidthStr as _;

use crate::app::State;
use crate::render::openable;

/// The address as it goes inside OSC 8: only http, https and mailto, and every byte that
/// is not printable ASCII, and `;` and `\`, percent-encoded, so nothing in it can end
/// the sequence or start another. `None` for an address that is not opened.
pub fn osc8_address(url: &str) -> Option<String> {
    if !openable(url) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if (0x21..0x7f).contains(&byte) && byte != b';' && byte != b'\\' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(out)
}

/// A link to write again: its cells (wide characters' hidden halves left out) and address.
pub struct Pending {
    cells: Vec<(u16, u16, Cell)>,
    address: String,
}

/// The visible links of the frame just drawn, with their cells from `buffer`.
pub fn collect(state: &State, buffer: &Buffer) -> Vec<Pending> {
    let area: Rect = buffer.area;
    crate::ui::link_regions(state, area)
        .into_iter()
        .filter_map(|region| {
            let address = osc8_address(&region.url)?;
            let mut cells = Vec::new();
            let mut hidden = 0usize;
            for x in region.x..region.x.saturating_add(region.width) {
                let cell = buffer.cell(Position::new(x, region.y))?;
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                hidden = cell.symbol().width().saturating_sub(1);
                cells.push((x, region.y, cell.clone()));
            }
            Some(Pending { cells, address })
        })
        .collect()
}

/// Write the links over what is on screen.
pub fn write(terminal: &mut ratatui::DefaultTerminal, links: &[Pending]) -> std::io::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let backend = terminal.backend_mut();
    for link in links {
        write!(backend, "\x1b]8;;{}\x1b\\", link.address)?;
        backend.draw(link.cells.iter().map(|(x, y, cell)| (*x, *y, cell)))?;
        write!(backend, "\x1b]8;;\x1b\\")?;
    }
    ratatui::backend::Backend::flush(backend)
}

#[cfg(test)]
mod tests {
    use super::osc8_address;

    #[test]
    fn only_openable_addresses_and_nothing_that_can_end_the_sequence() {
        assert_eq!(
            osc8_address("https://example.coop/a?b=1&c=2#d").as_deref(),
            Some("https://example.coop/a?b=1&c=2#d")
        );
        assert_eq!(osc8_address("javascript:alert(1)"), None);
        assert_eq!(osc8_address("file:///etc/passwd"), None);
        let hostile = osc8_address("https://x.example/\u{1b}\\\u{7};a b").unwrap();
        assert_eq!(hostile, "https://x.example/%1B%5C%07%3Ba%20b");
    }
}
