//! Setting values with their own syntax: durations, sizes, bounded numbers, web addresses.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// `"30m"`, `"1h 30m"`, `"90d"`.
pub(super) struct HumanDuration(pub(super) Duration);

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text)
            .map(HumanDuration)
            .map_err(|e| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a duration ({e}); write e.g. \"30s\", \"30m\", \"2h\""
                ))
            })
    }
}

/// A duration, or `"never"` (`None`).
pub(super) struct DurationOrNever(pub(super) Option<Duration>);

impl<'de> Deserialize<'de> for DurationOrNever {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().eq_ignore_ascii_case("never") {
            return Ok(DurationOrNever(None));
        }
        humantime::parse_duration(&text)
            .map(|d| DurationOrNever(Some(d)))
            .map_err(|e| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a duration ({e}); write e.g. \"3s\", or \"never\""
                ))
            })
    }
}

/// `"16MiB"`, `"512KiB"`, `"10MB"`, or a number of bytes.
pub(super) struct ByteSize(pub(super) u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Ok(ByteSize(n)),
            Raw::Text(text) => parse_size(&text).map(ByteSize).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a size; write e.g. \"16MiB\" or \"512KiB\""
                ))
            }),
        }
    }
}

pub(super) fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// A whole number of at least 1.
pub(super) struct Positive(pub(super) usize);

impl<'de> Deserialize<'de> for Positive {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if !(1..=10_000).contains(&n) {
            return Err(serde::de::Error::custom(format!(
                "{n} is out of range; use a number from 1 to 10000"
            )));
        }
        Ok(Positive(n as usize))
    }
}

/// An absolute http or https address.
pub(super) struct HttpUrl(pub(super) String);

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match url::Url::parse(text.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(HttpUrl(u.to_string())),
            Ok(u) => Err(serde::de::Error::custom(format!(
                "`{text}` has the scheme `{}`; only http and https addresses can be followed",
                u.scheme()
            ))),
            Err(e) => Err(serde::de::Error::custom(format!(
                "`{text}` is not an address ({e})"
            ))),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::parse_size("16MiB"), Some(16 << 20));
        assert_eq!(super::parse_size("10 MB"), Some(10_000_000));
        assert_eq!(super::parse_size("12 parsecs"), None);
    }
}
