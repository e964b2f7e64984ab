//! The terminal and the shell are ours: a feed whose title, author, name and body carry
//! CSI, OSC (0, 8, 52), DCS, C1 controls, BEL and backspaces is drawn as harmless text, and
//! its link reaches the browser as exactly one argument, through no shell.

mod common;

use common::pty::Session;
use common::server::{Reply, Server};

/// A JSON Feed, where escapes are legal JSON (`\u001b`), so every field can carry them.
const HOSTILE: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Evil\u001b]0;pwned-title\u0007 Feed\u009b31m",
  "items": [{
    "id": "evil-1",
    "url": "http://127.0.0.1/evil?q=$(touch pwned)&b=`touch pwned2`;echo 'x' \"y\"",
    "title": "Title \u001b[31mRED\u001b[0m \u001b]52;c;cHduZWQ=\u0007 \u001bP1$qm\u001b\\ bell\u0007 back\b\bspace",
    "authors": [{"name": "Mallory\u001b]8;;http://evil.example/\u0007 link\u001b]8;;\u0007"}],
    "date_published": "2026-11-20T10:00:00Z",
    "content_html": "<p>Body \u001b[2J cleared? \u009d0;osc-c1\u009c and \u0090dcs\u009c end</p><p><a href=\"javascript:alert(1)\">js</a> <a href=\"file:///etc/passwd\">file</a></p>"
  }]
}"#;

/// The bytes a feed tried to send, any of which on the terminal means it got through.
const FORBIDDEN: [&[u8]; 7] = [
    b"\x1b]",    // OSC: window title, hyperlinks, clipboard
    b"\x1bP",    // DCS
    b"\x07",     // BEL
    b"\x08",     // backspace
    b"\xc2\x9b", // C1 CSI
    b"\xc2\x9d", // C1 OSC
    b"\xc2\x90", // C1 DCS
];

/// The reader in a pty of `width`×`height`, subscribed to the one feed at `url`, with its
/// config and data in a temporary directory that lives as long as the returned guard.
fn reader_with_feed(url: &str, width: u16, height: u16) -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("[[feeds]]\nurl = \"{url}\"\n")).unwrap();
    let data = dir.path().join("data");
    let args = [
        "--config",
        config.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ];
    let session = Session::start(&args, &[], dir.path(), width, height);
    (dir, session)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

const OSC8_OPEN: &[u8] = b"\x1b]8;;";
const ST: &[u8] = b"\x1b\\";

/// The raw output without the reader's own OSC 8 hyperlinks, and their addresses. Each one
/// must be well formed: `ESC ] 8 ; ; address ESC \`, the address printable ASCII with no
/// `;` or `\` (so nothing in it could end the sequence or start another), the closing one
/// with no address.
fn without_our_hyperlinks(raw: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut rest = raw;
    let mut out = Vec::new();
    let mut addresses = Vec::new();
    while let Some(start) = find(rest, OSC8_OPEN) {
        out.extend_from_slice(&rest[..start]);
        let after = &rest[start + OSC8_OPEN.len()..];
        let end = find(after, ST).expect("an OSC 8 sequence is closed by ST");
        let address = &after[..end];
        assert!(
            address
                .iter()
                .all(|b| (0x21..0x7f).contains(b) && *b != b';' && *b != b'\\'),
            "OSC 8 address {:?} carries bytes that could end it",
            String::from_utf8_lossy(address)
        );
        if !address.is_empty() {
            addresses.push(String::from_utf8(address.to_vec()).unwrap());
        }
        rest = &after[end + ST.len()..];
    }
    out.extend_from_slice(rest);
    (out, addresses)
}

#[test]
fn escapes_from_a_feed_are_drawn_as_text_and_its_link_is_one_argument() {
    let server = Server::start(|req| match req.route() {
        "/evil.json" => Reply::ok("application/feed+json", HOSTILE),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let args_file = dir.path().join("browser-args");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s\\0' \"$@\" > '{}'\n",
            args_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "browser = [\"{}\"]\n\n[[feeds]]\nurl = \"{}\"\n",
            browser.display(),
            server.url("/evil.json")
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    let (config_arg, data_arg) = (config.to_str().unwrap(), data.to_str().unwrap());

    let mut session = Session::start(
        &["--config", config_arg, "--data-dir", data_arg],
        &[],
        dir.path(),
        120,
        30,
    );
    session.wait_for("RED");
    session.press("\r");
    session.wait_for("cleared?");
    session.wait_for("Mallory");
    session.press("o");
    let start = std::time::Instant::now();
    while !args_file.exists() && start.elapsed() < common::pty::DEADLINE {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let screen = session.text();
    session.press("q");
    assert_eq!(session.wait_exit(), 0);

    // What was drawn: the printable rest of each sequence, as plain text.
    assert!(screen.contains("Title [31mRED[0m"), "{screen}");
    assert!(screen.contains("Evil]0;pwned-title Feed31m"), "{screen}");
    // Links are OSC 8 hyperlinks: ours, well formed; nothing else of the kind.
    let (raw, _) = without_our_hyperlinks(&session.raw());
    for needle in FORBIDDEN {
        assert_eq!(find(&raw, needle), None, "{needle:?} reached the terminal");
    }
    // The program's own CSI sequences never carry a feed's parameters.
    assert_eq!(find(&raw, b"\x1b[2J cleared"), None);
    assert_eq!(find(&raw, b"\x1b[31mRED"), None);

    // The link reached the browser as one argument, exactly as stored, and ran nothing.
    let list = common::in_english(&mut std::process::Command::new(common::pty::BIN))
        .args([
            "--config",
            config_arg,
            "--data-dir",
            data_arg,
            "list",
            "--json",
        ])
        .output()
        .unwrap();
    let articles: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let link = articles[0]["link"].as_str().unwrap().to_string();
    assert!(
        link.starts_with("http://127.0.0.1/evil?q=$(touch"),
        "{link}"
    );
    let args = std::fs::read(&args_file).expect("the browser was started");
    assert_eq!(args, format!("{link}\0").into_bytes());
    assert!(!dir.path().join("pwned").exists() && !dir.path().join("pwned2").exists());
    // The read mark made by opening it is kept.
    assert_eq!(articles[0]["read"], true);
    // Stored text holds no control character either.
    for field in ["title", "feed", "text"] {
        let value = articles[0][field].as_str().unwrap();
        assert!(
            !value
                .chars()
                .any(|c| c != '\n' && coopnews::text::is_unsafe(c)),
            "{field}: {value:?}"
        );
    }
}

#[test]
fn the_terminal_is_restored_on_sigterm_and_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "refresh_on_start = false\n").unwrap();
    let data = dir.path().join("data");
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let args = [
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ];
        let mut session = Session::start(&args, &[], dir.path(), 80, 24);
        session.wait_for("Subscriptions");
        // SAFETY: signalling our own child.
        assert_eq!(unsafe { libc::kill(session.pid(), signal) }, 0);
        session.wait_exit();
        let raw = session.raw();
        let entered = find(&raw, b"\x1b[?1049h").expect("the reader took the alternate screen");
        let left = raw
            .windows(8)
            .rposition(|w| w == b"\x1b[?1049l")
            .expect("and gave it back");
        assert!(
            left > entered,
            "signal {signal}: left the alternate screen last"
        );
        assert!(
            raw.windows(6)
                .rposition(|w| w == b"\x1b[?25h")
                .is_some_and(|shown| shown > entered)
        );
    }
}

/// Closing the window: the terminal's master side closes, the reader gets SIGHUP and every
/// write fails. Done by hand with openpty, so that no other copy of the master keeps it open.
#[test]
fn closing_the_terminal_ends_the_reader_cleanly() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "refresh_on_start = false\n").unwrap();
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty fills two descriptors we then own.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0);
    // Not inherited by the child (or any other process the tests start): the master must
    // really close when this test closes it.
    unsafe {
        libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC);
        libc::fcntl(slave, libc::F_SETFD, libc::FD_CLOEXEC);
    }
    let slave = unsafe { OwnedFd::from_raw_fd(slave) };
    let mut command = Command::new(common::pty::BIN);
    common::in_english(&mut command)
        .args(["--config", config.to_str().unwrap(), "--data-dir"])
        .arg(dir.path().join("data"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave.try_clone().unwrap()));
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    drop(slave);
    unsafe { libc::fcntl(master, libc::F_SETFL, libc::O_NONBLOCK) };
    let mut seen = Vec::new();
    let start = Instant::now();
    while find(&seen, b"Subscriptions").is_none() {
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "the reader never drew"
        );
        let mut buf = [0u8; 4096];
        let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
        if n > 0 {
            seen.extend_from_slice(&buf[..n as usize]);
        } else {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    unsafe { libc::close(master) };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "the reader outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // It ends by itself and not by an abort (a panic printing to the closed terminal would
    // be one): 0 when the hangup is seen first, 1 when a failed draw is.
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
}

#[test]
fn copying_a_link_puts_it_on_the_clipboard_through_osc_52() {
    use base64::Engine;

    let rss = r#"<rss version="2.0"><channel><title>Coop</title>
<item><title>Assemblea</title><link>https://www.legacoop.coop/assemblea?a=1&amp;b=2</link><guid>1</guid></item>
</channel></rss>"#;
    let server = Server::start(move |_| Reply::ok("application/rss+xml", rss));
    let (_dir, mut session) = reader_with_feed(&server.url("/feed"), 100, 30);
    session.wait_for("Assemblea");
    session.press("\r");
    session.wait_for("legacoop.coop/assemblea");
    session.press("y");
    session.press("q");
    session.wait_exit();
    let encoded = base64::engine::general_purpose::STANDARD
        .encode("https://www.legacoop.coop/assemblea?a=1&b=2");
    let expected = format!("\x1b]52;c;{encoded}\x07");
    assert!(
        find(&session.raw(), expected.as_bytes()).is_some(),
        "no OSC 52 with the link"
    );
}

/// A feed with a link written to break out of an OSC 8 sequence (ESC \\ ends it, BEL
/// ends it in some terminals, `;` separates its fields), beside an ordinary one.
const HOSTILE_LINKS: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Links",
  "items": [{
    "id": "ordinary",
    "url": "http://127.0.0.1/ordinary?a=1&b=2",
    "title": "Ordinary link",
    "date_published": "2026-11-21T10:00:00Z",
    "content_html": "<p>Plain.</p>"
  }, {
    "id": "hostile",
    "url": "http://127.0.0.1/x\u001b\\\u001b]8;;http://evil.example/\u0007;a=b c",
    "title": "Hostile link",
    "date_published": "2026-11-20T10:00:00Z",
    "content_html": "<p>See <a href=\"http://127.0.0.1/in\u001b\\\u0007;body\">inside</a> too.</p>"
  }]
}"#;

#[test]
fn links_are_osc_8_hyperlinks_carrying_exactly_the_link_and_nothing_breaks_out() {
    let server = Server::start(|_| Reply::ok("application/feed+json", HOSTILE_LINKS));
    let (_dir, mut session) = reader_with_feed(&server.url("/links.json"), 120, 30);
    session.wait_for("Ordinary link");
    // The reader shows the first row: its link line is a hyperlink to exactly its link.
    session.wait_for("127.0.0.1/ordinary?a=1&b=2");
    let ordinary = b"\x1b]8;;http://127.0.0.1/ordinary?a=1&b=2\x1b\\";
    let start = std::time::Instant::now();
    while find(&session.raw(), ordinary).is_none() && start.elapsed() < common::pty::DEADLINE {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        find(&session.raw(), ordinary).is_some(),
        "no OSC 8 link to the article"
    );
    // Down to the hostile one: drawn, linked, and contained.
    session.press("j");
    session.wait_for("inside");
    session.press("q");
    assert_eq!(session.wait_exit(), 0);
    let (rest, addresses) = without_our_hyperlinks(&session.raw());
    for needle in FORBIDDEN {
        assert_eq!(find(&rest, needle), None, "{needle:?} reached the terminal");
    }
    assert!(
        addresses
            .iter()
            .any(|a| a.starts_with("http://127.0.0.1/x")),
        "the hostile article's link is a hyperlink too: {addresses:?}"
    );
    assert!(
        !addresses
            .iter()
            .any(|a| a.starts_with("http://evil.example")),
        "{addresses:?}"
    );
}
