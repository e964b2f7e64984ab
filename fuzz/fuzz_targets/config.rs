//! Any text as a configuration file: a Config or an error that says where, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = coopnews::config::Config::parse(text, "fuzz.toml") {
            assert!(e.to_string().starts_with("fuzz.toml:"));
        }
    }
});
