//! Running the real binary to the end, as the fault tests do: its exit code, its stderr
//! and its peak memory.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Run {
    pub code: Option<i32>,
    pub stderr: String,
    /// Peak resident memory of the process, in KiB.
    pub max_rss_kib: i64,
}

pub fn command(config: &Path, data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_coopnews"));
    super::in_english(&mut cmd)
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(args);
    cmd.env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("COOPNEWS_CONFIG");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Run to the end and read the child's own peak memory from wait4.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's Child does not know of
pub fn run_measured(mut cmd: Command) -> Run {
    let mut child = cmd.spawn().expect("spawn coopnews");
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let mut status = 0;
    // SAFETY: rusage is plain data, and the pid is our own child, not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stderr: reader.join().unwrap(),
        max_rss_kib: usage.ru_maxrss,
    }
}

pub fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

pub fn feeds_config(urls: &[String]) -> String {
    urls.iter()
        .enumerate()
        .map(|(i, u)| format!("[[feeds]]\nurl = \"{u}\"\ntitle = \"feed{i}\"\n"))
        .collect()
}

/// An RSS feed of `items` items titled and identified after `route`, each with `body` when
/// there is one, so every address of a test server is a feed of its own.
pub fn route_feed(route: &str, items: usize, body: &str) -> String {
    let body = if body.is_empty() {
        String::new()
    } else {
        format!("<description>{body}</description>")
    };
    let items: String = (0..items)
        .map(|i| format!("<item><title>{route} {i}</title><guid>{route}-{i}</guid>{body}</item>"))
        .collect();
    format!("<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>")
}
