//! Benchmark feed server: serves a directory's files from memory on 127.0.0.1, with ETag and
//! Last-Modified validators (answering 304 to If-None-Match / If-Modified-Since) and an
//! optional delay before every answer. HTTP/1.1 with keep-alive, a thread per connection.
//!
//! `bench_server ROOT [--delay-ms N] [--port-file FILE]`: prints the port on stdout (and
//! writes it to FILE), then serves until killed. Std only, so it builds in a second.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const LAST_MODIFIED: &str = "Sun, 01 Jun 2025 12:00:00 GMT";

struct Doc {
    body: Vec<u8>,
    etag: String,
    content_type: &'static str,
}

fn load(root: &Path, dir: &Path, docs: &mut HashMap<String, Doc>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            load(root, &path, docs)?;
            continue;
        }
        let body = std::fs::read(&path)?;
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in &body {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        let head = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
        let content_type = if head.contains("<feed") {
            "application/atom+xml; charset=utf-8"
        } else {
            "application/rss+xml; charset=utf-8"
        };
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let key = format!("/{}", rel.to_string_lossy());
        let etag = format!("\"{:x}-{hash:016x}\"", body.len());
        docs.insert(
            key,
            Doc {
                body,
                etag,
                content_type,
            },
        );
    }
    Ok(())
}

fn serve(stream: TcpStream, docs: &HashMap<String, Doc>, delay: Duration) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let path = path.split('?').next().unwrap_or("/").to_string();
        let (mut inm, mut ims, mut close) = (None, None, false);
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim().to_string();
                match name.to_ascii_lowercase().as_str() {
                    "if-none-match" => inm = Some(value),
                    "if-modified-since" => ims = Some(value),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let keep = if close { "close" } else { "keep-alive" };
        match docs.get(&path) {
            None => write!(
                writer,
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: {keep}\r\n\r\n"
            )?,
            Some(doc) => {
                let fresh = match (&inm, &ims) {
                    (Some(tag), _) => tag.split(',').any(|t| t.trim() == doc.etag),
                    (None, Some(date)) => date == LAST_MODIFIED,
                    _ => false,
                };
                if fresh {
                    write!(
                        writer,
                        "HTTP/1.1 304 Not Modified\r\nETag: {}\r\nLast-Modified: {LAST_MODIFIED}\r\n\
                         Connection: {keep}\r\n\r\n",
                        doc.etag
                    )?;
                } else {
                    write!(
                        writer,
                        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nETag: {}\r\n\
                         Last-Modified: {LAST_MODIFIED}\r\nConnection: {keep}\r\n\r\n",
                        doc.content_type,
                        doc.body.len(),
                        doc.etag
                    )?;
                    writer.write_all(&doc.body)?;
                }
            }
        }
        writer.flush()?;
        if close {
            return Ok(());
        }
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(args.first().map_or(".", String::as_str)).to_path_buf();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let delay = Duration::from_millis(flag("--delay-ms").map_or(0, |d| d.parse().unwrap_or(0)));
    let mut docs = HashMap::new();
    load(&root, &root, &mut docs)?;
    let docs = Arc::new(docs);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    if let Some(file) = flag("--port-file") {
        std::fs::write(file, port.to_string())?;
    }
    println!("{port}");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let docs = Arc::clone(&docs);
        std::thread::spawn(move || {
            let _ = serve(stream, &docs, delay);
        });
    }
    Ok(())
}
