//! A loopback HTTP/1.1 server for tests: real sockets on 127.0.0.1, canned replies, and the
//! misbehaviours real servers show (trickling, endless bodies, resets). It never leaves this
//! machine, and every loop it runs ends by itself.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path with query, as sent.
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The body as received (at most 1 MiB).
    pub body: Vec<u8>,
}

impl Request {
    /// Every value of `key` in a form body (`application/x-www-form-urlencoded`), decoded.
    pub fn form_values(&self, key: &str) -> Vec<String> {
        url::form_urlencoded::parse(&self.body)
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without its query string.
    pub fn route(&self) -> &str {
        self.path.split('?').next().unwrap_or_default()
    }

    /// One query parameter, percent-decoding left to the caller.
    pub fn query(&self, key: &str) -> Option<&str> {
        let query = self.path.split_once('?')?.1;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

/// How the body is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Behaviour {
    Normal,
    /// Wait this long before answering at all.
    Delay(Duration),
    /// One byte per interval, for at most a minute.
    Trickle(Duration),
    /// Headers, then this many body bytes, then a reset.
    ResetAfter(usize),
    /// Headers without a length, then zeros for up to this many bytes or until the client leaves.
    Endless(u64),
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub behaviour: Behaviour,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            behaviour: Behaviour::Normal,
        }
    }

    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200, content_type, body)
    }

    pub fn status(status: u16) -> Reply {
        Reply::new(status, "text/plain", format!("status {status}"))
    }

    pub fn redirect(to: &str) -> Reply {
        Reply::status(302).header("Location", to)
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn behaviour(mut self, behaviour: Behaviour) -> Reply {
        self.behaviour = behaviour;
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = Arc::clone(&handler);
                    let requests = Arc::clone(&requests);
                    thread::spawn(move || serve(stream, &*handler, &requests));
                }
            });
        }
        Server {
            port,
            requests,
            stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Requests whose path (without query) is `route`.
    pub fn requests_to(&self, route: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.route() == route)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, handler: &Handler, requests: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(reader_stream) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reader_stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    let mut content_length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                content_length = v.trim().parse().unwrap_or(0);
            }
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut body = Vec::new();
    if content_length > 0 {
        body = vec![0; content_length.min(1 << 20)];
        let _ = reader.read_exact(&mut body);
    }
    let request = Request {
        method,
        path,
        headers,
        body,
    };
    requests.lock().unwrap().push(request.clone());
    let reply = handler(&request);
    let _ = write_reply(stream, &reply);
}

fn write_reply(mut stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    if let Behaviour::Delay(d) = reply.behaviour {
        thread::sleep(d);
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status)
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let endless = matches!(reply.behaviour, Behaviour::Endless(_));
    if !endless {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    match reply.behaviour {
        Behaviour::Normal | Behaviour::Delay(_) => stream.write_all(&reply.body)?,
        Behaviour::Trickle(interval) => {
            let start = Instant::now();
            for byte in &reply.body {
                if start.elapsed() > Duration::from_secs(60) {
                    break;
                }
                stream.write_all(&[*byte])?;
                stream.flush()?;
                thread::sleep(interval);
            }
        }
        Behaviour::ResetAfter(n) => {
            stream.write_all(&reply.body[..n.min(reply.body.len())])?;
            stream.flush()?;
            // SO_LINGER 0 would send a true RST; a shutdown mid-body is what clients see most.
            stream.shutdown(Shutdown::Both)?;
            return Ok(());
        }
        Behaviour::Endless(max) => {
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0u64;
            let start = Instant::now();
            while sent < max && start.elapsed() < Duration::from_secs(120) {
                stream.write_all(&chunk)?;
                sent += chunk.len() as u64;
            }
        }
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
