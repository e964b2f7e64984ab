//! Character encodings: bytes as served to UTF-8 text a parser can trust.
//!
//! Order of authority (RFC 7303 with browser habits): a byte-order mark, then the HTTP
//! `charset`, then the XML prolog's `encoding`, then UTF-16/32 guessed from how `<?xml`
//! is laid out, then UTF-8. Labels resolve as browsers do (WHATWG), so ISO-8859-1 and
//! US-ASCII mean windows-1252. Invalid bytes become U+FFFD; decoding never fails.
//! The prolog's `encoding` is removed from the result so no later parser decodes twice.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The document as UTF-8 without BOM, with the prolog's encoding declaration removed.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let text = decode_raw(bytes, content_type);
    let text = match strip_prolog_encoding(&text) {
        Some(stripped) => Cow::Owned(stripped),
        None => text,
    };
    match rename_late_declarations(&text) {
        Some(renamed) => Cow::Owned(renamed),
        None => text,
    }
}

/// quick-xml 0.42 panics on an XML declaration with an encoding anywhere but at the start
/// (found by fuzzing), even inside CDATA, which feed-rs may parse again as markup. A
/// declaration is only legal first, so every later one is renamed to an ordinary
/// processing instruction, which feed-rs ignores.
fn rename_late_declarations(text: &str) -> Option<String> {
    let first = find(text.as_bytes(), b"<?xml")?;
    let from = if text[..first].trim().is_empty() {
        first + 5
    } else {
        0
    };
    let mut out = String::new();
    let mut copied = 0;
    let mut search = from;
    while let Some(found) = find(&text.as_bytes()[search..], b"<?xml") {
        let at = search + found;
        search = at + 5;
        if text[at + 5..].starts_with(|c: char| c.is_ascii_whitespace() || c == '?') {
            out.push_str(&text[copied..at]);
            out.push_str("<?xml-late");
            copied = at + 5;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The UTF-32 and UTF-16 forms, which change how `<?xml` itself is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

fn decode_raw<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    if let Some((wide, bom_len)) = bom(bytes) {
        return decode_wide(&bytes[bom_len..], wide);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, false);
    }
    if let Some(wide) = sniff_wide(bytes) {
        return decode_wide(bytes, wide);
    }
    // A charset naming UTF-16/32 on bytes that are plainly ASCII-compatible is wrong; skip it.
    let narrow = |e: &'static Encoding| e != UTF_16LE && e != UTF_16BE;
    if let Some(encoding) = content_type
        .and_then(http_charset)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .filter(|e| narrow(e))
    {
        return decode_with(bytes, encoding, false);
    }
    match prolog_encoding(bytes).and_then(Encoding::for_label) {
        Some(encoding) if narrow(encoding) => decode_with(bytes, encoding, true),
        _ => decode_utf8(bytes, true),
    }
}

/// `charset` from a Content-Type value, unquoted (`charset='gb2312'`, `charset = "us-ascii"`).
pub fn http_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then_some(value)
    })
}

fn bom(bytes: &[u8]) -> Option<(Wide, usize)> {
    // UTF-32LE's BOM begins like UTF-16LE's, so it is tested first.
    if bytes.starts_with(b"\xFF\xFE\0\0") {
        Some((Wide::Utf32Le, 4))
    } else if bytes.starts_with(b"\0\0\xFE\xFF") {
        Some((Wide::Utf32Be, 4))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((Wide::Utf16Le, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((Wide::Utf16Be, 2))
    } else {
        None
    }
}

/// XML spec appendix F: without a BOM, the first character is `<` (or whitespace), and
/// its width and byte order show in where the zero bytes fall.
fn sniff_wide(bytes: &[u8]) -> Option<Wide> {
    let head: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    let ascii = |b: u8| b != 0 && b.is_ascii();
    match head {
        [0, 0, 0, b] if ascii(b) => Some(Wide::Utf32Be),
        [b, 0, 0, 0] if ascii(b) => Some(Wide::Utf32Le),
        [0, a, 0, b] if ascii(a) && ascii(b) => Some(Wide::Utf16Be),
        [a, 0, b, 0] if ascii(a) && ascii(b) => Some(Wide::Utf16Le),
        _ => None,
    }
}

fn decode_wide(bytes: &[u8], wide: Wide) -> Cow<'static, str> {
    match wide {
        Wide::Utf16Le => Cow::Owned(UTF_16LE.decode_without_bom_handling(bytes).0.into_owned()),
        Wide::Utf16Be => Cow::Owned(UTF_16BE.decode_without_bom_handling(bytes).0.into_owned()),
        Wide::Utf32Le => Cow::Owned(decode_utf32(bytes, u32::from_le_bytes)),
        Wide::Utf32Be => Cow::Owned(decode_utf32(bytes, u32::from_be_bytes)),
    }
}

/// encoding_rs has no UTF-32 (the web never uses it), so it is decoded here.
fn decode_utf32(bytes: &[u8], read: fn([u8; 4]) -> u32) -> String {
    let chunks = bytes.chunks_exact(4);
    let trailing = !chunks.remainder().is_empty();
    let mut out = String::with_capacity(bytes.len() / 4);
    for chunk in chunks {
        let unit = read([chunk[0], chunk[1], chunk[2], chunk[3]]);
        out.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    if trailing {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

/// Decode with a declared encoding. A prolog claiming Latin-1 over bytes that are valid
/// UTF-8 beyond ASCII is a common server mistake: such bytes are almost never intended
/// Latin-1, so UTF-8 wins (`from_prolog` only; the HTTP header is trusted).
fn decode_with<'a>(
    bytes: &'a [u8],
    encoding: &'static Encoding,
    from_prolog: bool,
) -> Cow<'a, str> {
    if encoding == UTF_8 {
        return decode_utf8(bytes, from_prolog);
    }
    if from_prolog
        && encoding == WINDOWS_1252
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Cow::Borrowed(text);
    }
    encoding.decode_without_bom_handling(bytes).0
}

/// UTF-8, or windows-1252 when guessing is allowed and invalid sequences outnumber valid
/// multibyte ones (an undeclared Latin-1 feed, where `é` + two high bytes may pass as
/// UTF-8 by accident). Otherwise invalid bytes become U+FFFD.
fn decode_utf8(bytes: &[u8], may_guess: bool) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    if may_guess {
        let (mut valid, mut invalid) = (0usize, 0usize);
        for chunk in bytes.utf8_chunks() {
            valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            invalid += usize::from(!chunk.invalid().is_empty());
        }
        if invalid > valid {
            return WINDOWS_1252.decode_without_bom_handling(bytes).0;
        }
    }
    String::from_utf8_lossy(bytes)
}

/// The `encoding` label of a leading `<?xml …?>` (leading whitespace tolerated).
fn prolog_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = bytes.get(start..)?;
    if !rest.starts_with(b"<?xml") {
        return None;
    }
    let end = rest.iter().take(512).position(|&b| b == b'>')?;
    let decl = &rest[..end];
    let at = find(decl, b"encoding")?;
    let after = &decl[at + b"encoding".len()..];
    let eq = after.iter().position(|&b| b == b'=')?;
    let value = after[eq + 1..].trim_ascii_start();
    let quote = *value.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let close = value[1..].iter().position(|&b| b == quote)?;
    Some(value[1..1 + close].trim_ascii())
}

/// memchr's search: the standard library's went over every feed's whole text at a
/// fraction of the speed, for a declaration that is nearly never there.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The text with `encoding="…"` removed from its prolog, or None when there is none.
fn strip_prolog_encoding(text: &str) -> Option<String> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    if !rest.starts_with("<?xml") {
        return None;
    }
    let end = rest.get(..rest.len().min(512))?.find("?>")?;
    let decl = &rest[..end];
    let at = decl.find("encoding")?;
    let after = &decl[at + "encoding".len()..];
    let eq = after.find('=')?;
    let value = after[eq + 1..].trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let close = value[1..].find(quote)?;
    // Already what the text is: nothing to take out, and no copy of the document.
    if matches!(
        value[1..1 + close].to_ascii_lowercase().as_str(),
        "utf-8" | "utf8"
    ) {
        return None;
    }
    let value_end = decl.len() - value.len() + 1 + close + 1;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start + at]);
    out.push_str(&text[start + value_end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, be: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect()
    }

    fn utf32(s: &str, be: bool) -> Vec<u8> {
        s.chars()
            .flat_map(|c| {
                let u = c as u32;
                if be { u.to_be_bytes() } else { u.to_le_bytes() }
            })
            .collect()
    }

    #[test]
    fn late_declarations_are_renamed() {
        let doc = "<?xml version=\"1.0\"?><t>a<?xml version='1.0' encoding='windows-1252'?>\
                   <![CDATA[<?xml encoding='x'?>]]><?xml-stylesheet href='s'?></t>";
        let out = decode(doc.as_bytes(), None);
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?><t>a<?xml-late version='1.0' encoding='windows-1252'?>\
             <![CDATA[<?xml-late encoding='x'?>]]><?xml-stylesheet href='s'?></t>"
        );
        assert_eq!(decode(b"<t>plain</t>", None), "<t>plain</t>");
    }

    #[test]
    fn windows_1252_italian() {
        let (bytes, _, _) = WINDOWS_1252.encode("perché è già così — «cooperativa»");
        let mut doc = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><t>".to_vec();
        doc.extend_from_slice(&bytes);
        doc.extend_from_slice(b"</t>");
        assert_eq!(
            decode(&doc, None),
            "<?xml version=\"1.0\" ?><t>perché è già così — «cooperativa»</t>"
        );
    }

    #[test]
    fn iso_8859_1_means_windows_1252() {
        let doc = b"<?xml version='1.0' encoding='ISO-8859-1'?><t>\x80 l\x92a</t>";
        assert_eq!(decode(doc, None), "<?xml version='1.0' ?><t>€ l’a</t>");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-16\"?><t>ñ€😀</t>";
        let want = "<?xml version=\"1.0\" ?><t>ñ€😀</t>";
        for be in [false, true] {
            let plain = utf16(doc, be);
            assert_eq!(decode(&plain, None), want);
            let mut with_bom = utf16("\u{feff}", be);
            with_bom.extend_from_slice(&plain);
            assert_eq!(decode(&with_bom, None), want);
        }
    }

    #[test]
    fn utf32_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-32\"?><t>ñ😀</t>";
        let want = "<?xml version=\"1.0\" ?><t>ñ😀</t>";
        for be in [false, true] {
            assert_eq!(decode(&utf32(doc, be), None), want);
            assert_eq!(decode(&utf32(&format!("\u{feff}{doc}"), be), None), want);
        }
    }

    #[test]
    fn http_charset_overrides_prolog() {
        let doc = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><t>\xa3\x93x\x94</t>";
        let got = decode(doc, Some("text/xml; charset=\"windows-1252\""));
        // The declaration says what the text now is, so it stays (no copy of the document).
        assert_eq!(got, "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>£“x”</t>");
        assert_eq!(
            http_charset("application/xml;charset = us-ascii"),
            Some("us-ascii")
        );
        assert_eq!(http_charset("text/xml;"), None);
    }

    #[test]
    fn bom_beats_http_charset() {
        let doc = "\u{feff}<t>€</t>";
        assert_eq!(
            decode(doc.as_bytes(), Some("text/xml; charset=iso-8859-1")),
            "<t>€</t>"
        );
    }

    #[test]
    fn invalid_utf8_becomes_replacement_but_latin1_is_guessed() {
        assert_eq!(decode(b"<t>\xc3\xa8 \xff</t>", None), "<t>è \u{fffd}</t>");
        // No UTF-8 sequence anywhere: an undeclared Latin-1 document.
        assert_eq!(decode(b"<t>J\xfcrgen</t>", None), "<t>Jürgen</t>");
    }

    #[test]
    fn latin1_prolog_over_utf8_bytes_is_utf8() {
        let doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>Café</t>";
        assert_eq!(
            decode(doc.as_bytes(), None),
            "<?xml version=\"1.0\" ?><t>Café</t>"
        );
    }

    #[test]
    fn legacy_multibyte_labels() {
        let (koi, _, _) = encoding_rs::KOI8_R.encode("Привет");
        let mut doc = b"<?xml version=\"1.0\" encoding=\"KOI8-R\"?><t>".to_vec();
        doc.extend_from_slice(&koi);
        doc.extend_from_slice(b"</t>");
        assert!(decode(&doc, None).contains("<t>Привет</t>"));
        let (kr, _, _) = encoding_rs::EUC_KR.encode("년");
        let mut doc = b"<?xml version=\"1.0\" encoding=\"euc-kr\"?><t>".to_vec();
        doc.extend_from_slice(&kr);
        assert!(decode(&doc, None).ends_with("<t>년"));
    }
}
