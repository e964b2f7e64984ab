//! Link-time settings for the `coopnews` binary only.

fn main() {
    // Packed relative relocations (DT_RELR): a position-independent binary otherwise
    // carries ~1 MB of relocation entries that the loader reads in full at every start,
    // about 1.5 MB of the reader's 13 MB resident memory. GNU ld uses them only when the
    // C library it links against supports them (glibc 2.36+); before 2.38 it warns and
    // ignores the flag.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
