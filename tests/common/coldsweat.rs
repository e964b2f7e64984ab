//! coldsweat, a real Fever API server (PyPI, on SQLite), started on 127.0.0.1 for the sync
//! tests: a user made by its `setup` command, a feed served by a loopback server imported
//! by `import` and fetched by `fetch`. The feed declares its icon on the loopback server,
//! and coldsweat runs behind a proxy that is a closed loopback port, with only loopback
//! exempt, so nothing it does leaves this machine.
//!
//! `.ci/run` installs it in `.ci/venv`; `$COOPNEWS_COLDSWEAT` may name another `coldsweat`.
//! Without it the tests skip with a note, except under CI, where they fail.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::server::{Reply, Server};

pub const EMAIL: &str = "alice@example.org";
/// coldsweat's `setup` wants at least 12 characters.
pub const PASSWORD: &str = "cooperative principles 1844";
pub const TITLES: [&str; 3] = [
    "Rochdale pioneers remembered",
    "A new worker co-op",
    "Credit unions meet",
];

pub struct Coldsweat {
    program: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
    pub feed: Server,
}

fn program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("COOPNEWS_COLDSWEAT").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/venv/bin/coldsweat");
    venv.exists().then_some(venv)
}

/// A free loopback port (nothing listens on it once this returns).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn atom(base: &str) -> String {
    let entries: String = TITLES
        .iter()
        .enumerate()
        .map(|(n, title)| {
            format!(
                "<entry><title>{title}</title><id>urn:coop:{n}</id><link href=\"{base}/news/{n}\"/>\
                 <updated>2026-01-0{}T10:00:00Z</updated><summary>About {title}.</summary></entry>",
                n + 1
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Co-op Wire</title><id>urn:coop</id><updated>2026-01-03T10:00:00Z</updated>\
         <link rel=\"alternate\" href=\"{base}/\"/><icon>{base}/icon.png</icon>{entries}</feed>"
    )
}

impl Coldsweat {
    /// Set up and start coldsweat; None (after a one-line note) when it is not installed.
    pub fn start() -> Option<Coldsweat> {
        let Some(program) = program() else {
            let note = "coldsweat is not installed: run .ci/run (it installs it in .ci/venv) or set COOPNEWS_COLDSWEAT";
            if std::env::var_os("CI").is_some() {
                panic!("{note}");
            }
            // Straight to stderr: the test harness would swallow eprintln! in a passing test.
            let _ = writeln!(std::io::stderr(), "skipped: {note}");
            return None;
        };
        let feed = Server::start(|req| match req.route() {
            "/icon.png" => Reply::ok("image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
            "/feed.xml" => Reply::ok(
                "application/atom+xml",
                atom(&format!(
                    "http://{}",
                    req.header("Host").unwrap_or_default()
                )),
            ),
            _ => Reply::status(404),
        });
        let dir = tempfile::tempdir().unwrap();
        let mut coldsweat = Coldsweat {
            program,
            dir,
            port: free_port(),
            child: None,
            feed,
        };
        coldsweat.command(&["setup", EMAIL, "-p", PASSWORD]);
        let opml = coldsweat.dir.path().join("subscriptions.opml");
        std::fs::write(
            &opml,
            format!(
                "<?xml version=\"1.0\"?><opml version=\"1.0\"><head><title>t</title></head><body>\
                 <outline text=\"Cooperatives\" title=\"Cooperatives\"><outline type=\"rss\" text=\"Co-op Wire\" \
                 xmlUrl=\"{}\" htmlUrl=\"{}\"/></outline></body></opml>",
                coldsweat.feed.url("/feed.xml"),
                coldsweat.feed.url("/")
            ),
        )
        .unwrap();
        coldsweat.command(&["import", opml.to_str().unwrap(), EMAIL]);
        coldsweat.command(&["fetch"]);
        coldsweat.restart();
        Some(coldsweat)
    }

    fn base_command(&self) -> Command {
        let mut command = Command::new(&self.program);
        let db = self.dir.path().join("coldsweat.db");
        // The proxy is a closed loopback port: anything not on loopback fails at once.
        let proxy = format!("http://127.0.0.1:{}", free_port());
        command
            .env("FLASK_DATABASE_URL", format!("sqlite:///{}", db.display()))
            .env("FLASK_SECRET_KEY", "tests only")
            .env("HTTP_PROXY", &proxy)
            .env("HTTPS_PROXY", &proxy)
            .env("http_proxy", &proxy)
            .env("https_proxy", &proxy)
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        command
    }

    fn command(&self, args: &[&str]) {
        let output = self
            .base_command()
            .args(args)
            .output()
            .expect("run coldsweat");
        assert!(
            output.status.success(),
            "coldsweat {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The Fever API's address, as coldsweat documents it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/fever/", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start (again) on the same port and database; returns once it answers.
    pub fn restart(&mut self) {
        self.stop();
        let port = self.port.to_string();
        let child = self
            .base_command()
            .args(["run", "--host", "127.0.0.1", "--port", &port])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start coldsweat");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while post(self.port, "/fever/?api", "").is_none() {
            assert!(Instant::now() < deadline, "coldsweat did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A Fever call with the API key, as any client makes it.
    pub fn api(&self, commands: &str, form: &str) -> Value {
        let digest = md5_hex(&format!("{EMAIL}:{PASSWORD}"));
        let body = if form.is_empty() {
            format!("api_key={digest}")
        } else {
            format!("api_key={digest}&{form}")
        };
        let (status, body) =
            post(self.port, &format!("/fever/?api&{commands}"), &body).expect("coldsweat answers");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }

    /// The server's id of the item titled `title`.
    pub fn item_id(&self, title: &str) -> String {
        let items = self.api("items&since_id=0", "");
        let item = items["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title)
            .unwrap();
        item["id"].to_string()
    }

    pub fn unread(&self) -> Vec<String> {
        ids(&self.api("unread_item_ids", "")["unread_item_ids"])
    }

    pub fn saved(&self) -> Vec<String> {
        ids(&self.api("saved_item_ids", "")["saved_item_ids"])
    }
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        self.stop();
    }
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_str()
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn md5_hex(text: &str) -> String {
    use md5::{Digest, Md5};
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One POST over a fresh connection; None when nothing listens.
pub fn post(port: u16, path: &str, body: &str) -> Option<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, response[split + 4..].to_vec()))
}
