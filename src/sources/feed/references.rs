//! Character and entity references mended for quick-xml and feed-rs: undeclared HTML
//! entities, C1-range numeric references, bare ampersands.

use std::borrow::Cow;

use memchr::memmem;

use super::entities;
use super::prepare::{doctype_len, starts_with_ignore_case};

/// Make every `&` something quick-xml accepts and feed-rs resolves: undeclared HTML entities
/// and C1-range numeric references become numeric references to the intended character,
/// `&#X41;` becomes `&#x41;`, and a bare `&` (as in `?a=1&b=2`) becomes `&amp;`.
/// CDATA, comments and the DOCTYPE are left untouched; unknown names (perhaps declared in the
/// DTD, which feed-rs never expands) are left for feed-rs to keep as literal text.
pub(super) fn references(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `text` already in `out`
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let rest = &text[i..];
                i += if rest.starts_with("<![CDATA[") {
                    memmem::find(rest.as_bytes(), b"]]>").map_or(rest.len(), |e| e + 3)
                } else if rest.starts_with("<!--") {
                    memmem::find(rest.as_bytes(), b"-->").map_or(rest.len(), |e| e + 3)
                } else if starts_with_ignore_case(rest, "<!doctype") {
                    doctype_len(rest)
                } else {
                    1
                };
            }
            b'&' => {
                let body_len = bytes[i + 1..]
                    .iter()
                    .take(40)
                    .position(|&b| b == b';')
                    .filter(|&n| n > 0 && is_ref_body(&bytes[i + 1..i + 1 + n]));
                let replacement = match body_len {
                    None => Some(Cow::Borrowed("&amp;")),
                    Some(n) => rewrite_reference(&text[i + 1..i + 1 + n]).map(Cow::Owned),
                };
                let consumed = body_len.map_or(1, |n| n + 2);
                if let Some(replacement) = replacement {
                    let buf = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                    buf.push_str(&text[copied..i]);
                    buf.push_str(&replacement);
                    copied = i + consumed;
                }
                i += consumed;
            }
            // Only `<` and `&` matter; jump to the next one.
            _ => i = memchr::memchr2(b'<', b'&', &bytes[i..]).map_or(bytes.len(), |p| i + p),
        }
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(text),
    }
}

/// `#123`, `#x1F` or a name: what may stand between `&` and `;`.
fn is_ref_body(body: &[u8]) -> bool {
    match body {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        [first, rest @ ..] => {
            (first.is_ascii_alphabetic() || *first == b'_')
                && rest
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        }
        [] => false,
    }
}

/// The replacement for a well-formed reference body, or None to keep it as written.
fn rewrite_reference(body: &str) -> Option<String> {
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        let value = u32::from_str_radix(digits, radix).unwrap_or(u32::MAX);
        let c = entities::numeric(value);
        let unchanged = u32::from(c) == value && !num.starts_with('X');
        return (!unchanged).then(|| format!("&#{};", u32::from(c)));
    }
    if matches!(body, "amp" | "lt" | "gt" | "quot" | "apos") {
        return None;
    }
    entities::named(body).map(|c| format!("&#{};", u32::from(c)))
}
