//! A loopback Google Reader API server that answers as FreshRSS does and, switched, as
//! Miniflux does. It reproduces documented behaviour only, from these sources:
//!
//! - ClientLogin's `SID=/LSID=/Auth=` lines, `Authorization: GoogleLogin auth=…`, the write
//!   token from `/reader/api/0/token`, `subscription/list`, `stream/items/ids`,
//!   `stream/items/contents` and `edit-tag` with `a=`/`r=`/many `i=`: FreshRSS's API page
//!   (freshrss.github.io/FreshRSS/en/developers/06_GoogleReader_API.html) and its
//!   `p/api/greader.php`, which pages `stream/items/ids` with an opaque `continuation`.
//! - Miniflux: its `internal/googlereader/README.md` (miniflux/v2) and
//!   miniflux.app/docs/google_reader.html: POST requests are authenticated by `T` from the
//!   form (the Authorization header is not read), `edit-tag` reads `a` and `r` from the body,
//!   `continuation` is a numeric offset, there is no `stream/contents`, and any unknown
//!   `/reader/api/0/*` endpoint answers 200 with `[]`.
//! - Item ids: decimal in `stream/items/ids`, the long form
//!   `tag:google.com,2005:reader/item/%016x` in `stream/items/contents` (both READMEs, and
//!   the `google-reader` client on PyPI). Miniflux also reads a bare 16-digit string as
//!   hexadecimal, so only the long form names the same item on both.
//!
//! No word or code of those projects is copied; only the shapes of their answers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use super::server::{Reply, Request, Server};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Flavour {
    FreshRss,
    Miniflux,
}

pub const USER: &str = "alice";
pub const PASSWORD: &str = "a long and secret passphrase";
const AUTH: &str = "alice/3f2a9c";
/// FreshRSS's write token is 57 characters; Miniflux's is the auth token itself.
const FRESHRSS_TOKEN: &str = "0123456789abcdef0123456789abcdef01234567ZZZZZZZZZZZZZZZZZ";
/// Ids per page, small so that paging is exercised.
const PAGE: usize = 2;

#[derive(Debug, Clone)]
pub struct Item {
    /// FreshRSS ids are microsecond times, 16 decimal digits: exactly the ids Miniflux
    /// would misread as hexadecimal.
    pub id: u64,
    pub title: String,
    pub read: bool,
    pub starred: bool,
}

#[derive(Debug)]
pub struct State {
    pub flavour: Flavour,
    pub items: Vec<Item>,
    /// Answer everything with 503, as a server that is down behind its proxy.
    pub down: bool,
    /// Hold `edit-tag` requests until this is cleared (then answer 503).
    pub hold_marks: bool,
}

pub struct FakeReader {
    pub server: Server,
    pub state: Arc<Mutex<State>>,
}

impl FakeReader {
    pub fn start(flavour: Flavour) -> FakeReader {
        let items = [
            "Worker cooperatives grow",
            "A credit union opens",
            "Housing co-op news",
        ]
        .iter()
        .enumerate()
        .map(|(n, title)| Item {
            id: 1_700_000_000_000_001 + n as u64,
            title: title.to_string(),
            read: false,
            starred: false,
        })
        .collect();
        let state = Arc::new(Mutex::new(State {
            flavour,
            items,
            down: false,
            hold_marks: false,
        }));
        let shared = Arc::clone(&state);
        let server = Server::start(move |req| answer(&shared, req));
        FakeReader { server, state }
    }

    /// The address to configure: FreshRSS's `…/api/greader.php`, Miniflux's root.
    pub fn url(&self) -> String {
        match self.state.lock().unwrap().flavour {
            Flavour::FreshRss => self.server.url("/api/greader.php"),
            Flavour::Miniflux => self.server.base(),
        }
    }

    pub fn item(&self, title: &str) -> Item {
        let state = self.state.lock().unwrap();
        state
            .items
            .iter()
            .find(|i| i.title == title)
            .unwrap()
            .clone()
    }

    pub fn set(&self, title: &str, read: Option<bool>, starred: Option<bool>) {
        let mut state = self.state.lock().unwrap();
        let item = state.items.iter_mut().find(|i| i.title == title).unwrap();
        item.read = read.unwrap_or(item.read);
        item.starred = starred.unwrap_or(item.starred);
    }
}

fn answer(shared: &Mutex<State>, req: &Request) -> Reply {
    let flavour = shared.lock().unwrap().flavour;
    if shared.lock().unwrap().down {
        return Reply::status(503);
    }
    let route = match flavour {
        Flavour::FreshRss => match req.route().strip_prefix("/api/greader.php") {
            Some(route) => route.to_string(),
            None => return Reply::status(404),
        },
        Flavour::Miniflux => req.route().to_string(),
    };
    if route == "/accounts/ClientLogin" {
        return client_login(req);
    }
    if !authorized(flavour, req) {
        return Reply::new(401, "text/plain", "Unauthorized")
            .header("X-Reader-Google-Bad-Token", "true");
    }
    let json_reply = |value: serde_json::Value| Reply::ok("application/json", value.to_string());
    match (req.method.as_str(), route.as_str()) {
        ("GET", "/reader/api/0/token") => Reply::ok(
            "text/plain",
            match flavour {
                Flavour::FreshRss => format!("{FRESHRSS_TOKEN}\n"),
                Flavour::Miniflux => AUTH.to_string(),
            },
        ),
        ("GET", "/reader/api/0/subscription/list") => json_reply(json!({
            "subscriptions": [{
                "id": "feed/7",
                "title": "Cooperative News",
                "categories": [{"id": "user/-/label/Cooperatives", "label": "Cooperatives"}],
                "url": "https://coop.example/feed.xml",
                "htmlUrl": "https://coop.example/",
                "iconUrl": "",
            }]
        })),
        ("GET", "/reader/api/0/stream/items/ids") => item_ids(shared, flavour, req),
        ("POST", "/reader/api/0/stream/items/contents") => contents(shared, flavour, req),
        ("POST", "/reader/api/0/edit-tag") => edit_tag(shared, flavour, req),
        (_, path)
            if flavour == Flavour::FreshRss
                && path.starts_with("/reader/api/0/stream/contents") =>
        {
            json_reply(json!({"items": []}))
        }
        // Miniflux's catch-all for what it does not implement.
        _ if flavour == Flavour::Miniflux && route.starts_with("/reader/api/0/") => {
            json_reply(json!([]))
        }
        _ => Reply::status(400),
    }
}

fn client_login(req: &Request) -> Reply {
    let email = req.form_values("Email");
    let password = req.form_values("Passwd");
    if email.first().map(String::as_str) == Some(USER)
        && password.first().map(String::as_str) == Some(PASSWORD)
    {
        Reply::ok(
            "text/plain",
            format!("SID={AUTH}\nLSID=null\nAuth={AUTH}\n"),
        )
    } else {
        Reply::new(401, "text/plain", "Error=BadAuthentication")
    }
}

/// FreshRSS reads the Authorization header on every call and `T` on writes (query or
/// body); Miniflux reads the header on GET and only `T` from the form on POST.
fn authorized(flavour: Flavour, req: &Request) -> bool {
    let header = req.header("Authorization") == Some(&format!("GoogleLogin auth={AUTH}"));
    let body_token = req.form_values("T");
    let query_token = req.query("T").map(str::to_string);
    match (flavour, req.method.as_str()) {
        (_, "GET") => header,
        (Flavour::FreshRss, _) => {
            let token = body_token.first().cloned().or(query_token);
            header
                && (!req.route().ends_with("/edit-tag") || token.as_deref() == Some(FRESHRSS_TOKEN))
        }
        (Flavour::Miniflux, _) => body_token.first().map(String::as_str) == Some(AUTH),
    }
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn item_ids(shared: &Mutex<State>, flavour: Flavour, req: &Request) -> Reply {
    let stream = req.query("s").map(decode).unwrap_or_default();
    let exclude_read = req
        .query("xt")
        .map(decode)
        .is_some_and(|x| x.ends_with("/state/com.google/read"));
    let state = shared.lock().unwrap();
    let mut items: Vec<&Item> = state
        .items
        .iter()
        .filter(|i| match stream.as_str() {
            "user/-/state/com.google/starred" => i.starred,
            "user/-/state/com.google/reading-list" => !(exclude_read && i.read),
            _ => false,
        })
        .collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.id));
    // FreshRSS continues after the id its token names; Miniflux skips an offset.
    let start = match (flavour, req.query("c")) {
        (_, None) => 0,
        (Flavour::Miniflux, Some(c)) => c.parse().unwrap_or(0),
        (Flavour::FreshRss, Some(c)) => {
            let after: u64 = c.trim_start_matches("fr-").parse().unwrap_or(0);
            items
                .iter()
                .position(|i| i.id < after)
                .unwrap_or(items.len())
        }
    };
    let page: Vec<&Item> = items.iter().skip(start).take(PAGE).copied().collect();
    let refs: Vec<_> = page
        .iter()
        .map(|i| json!({"id": i.id.to_string()}))
        .collect();
    let mut body = json!({"itemRefs": refs});
    if start + page.len() < items.len() {
        body["continuation"] = match flavour {
            Flavour::FreshRss => json!(format!("fr-{}", page.last().unwrap().id)),
            Flavour::Miniflux => json!((start + page.len()).to_string()),
        };
    }
    Reply::ok("application/json", body.to_string())
}

/// An `i=` value as each server reads it.
fn parse_id(flavour: Flavour, raw: &str) -> Option<u64> {
    if let Some(hex) = raw.strip_prefix("tag:google.com,2005:reader/item/") {
        return u64::from_str_radix(hex, 16).ok();
    }
    match flavour {
        Flavour::Miniflux if raw.len() == 16 && raw.chars().all(|c| c.is_ascii_hexdigit()) => {
            u64::from_str_radix(raw, 16).ok()
        }
        _ => raw.parse().ok(),
    }
}

fn contents(shared: &Mutex<State>, flavour: Flavour, req: &Request) -> Reply {
    let ids: Vec<u64> = req
        .form_values("i")
        .iter()
        .filter_map(|i| parse_id(flavour, i))
        .collect();
    let state = shared.lock().unwrap();
    let items: Vec<_> = state
        .items
        .iter()
        .filter(|i| ids.contains(&i.id))
        .map(|i| {
            json!({
                "id": format!("tag:google.com,2005:reader/item/{:016x}", i.id),
                "title": i.title,
                "published": 1_767_225_600 + (i.id % 1000) as i64 * 3600,
                "author": "Editor",
                "canonical": [{"href": format!("https://coop.example/{}", i.id)}],
                "alternate": [{"href": format!("https://coop.example/{}", i.id), "type": "text/html"}],
                "summary": {"content": format!("<p>{}</p>", i.title)},
                "origin": {"streamId": "feed/7", "title": "Cooperative News"},
            })
        })
        .collect();
    Reply::ok(
        "application/json",
        json!({"id": "user/-/state/com.google/reading-list", "items": items}).to_string(),
    )
}

fn edit_tag(shared: &Mutex<State>, flavour: Flavour, req: &Request) -> Reply {
    for _ in 0..600 {
        if !shared.lock().unwrap().hold_marks {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut state = shared.lock().unwrap();
    if state.hold_marks || state.down {
        return Reply::status(503);
    }
    let ids: Vec<u64> = req
        .form_values("i")
        .iter()
        .filter_map(|i| parse_id(flavour, i))
        .collect();
    for (key, on) in [("a", true), ("r", false)] {
        for tag in req.form_values(key) {
            for item in state.items.iter_mut().filter(|i| ids.contains(&i.id)) {
                if tag.ends_with("/state/com.google/read") {
                    item.read = on;
                } else if tag.ends_with("/state/com.google/starred") {
                    item.starred = on;
                }
            }
        }
    }
    Reply::ok("text/plain", "OK")
}
