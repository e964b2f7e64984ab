//! Character encodings: bytes as served to UTF-8 text a parser can trust.
