//! The one HTTP client: rustls, compression, redirect and body limits, conditional GET.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::FetchError;

pub const DEFAULT_USER_AGENT: &str = concat!(
    "coopnews/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);
pub const MAX_REDIRECTS: usize = 5;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Limits and identity for every request.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body: u64,
    pub user_agent: String,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            connect_timeout: CONNECT_TIMEOUT,
            max_body: 16 * 1024 * 1024,
            user_agent: DEFAULT_USER_AGENT.to_string(),
        }
    }
}

/// The validators a server gave last time, sent back so it can answer 304, and a digest
/// of the answer itself for servers that give none and send the same bytes again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// See [`Response::unchanged_since`]; only conditional requests carry one.
    pub digest: Option<String>,
}

/// A whole response, body already decompressed and within the limit.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Where the body came from after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub body: Vec<u8>,
}

impl Response {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }

    /// A 304, or the very bytes (from the same address, of the same type, read by this
    /// version) that `prior` was taken from: a server without validators, or whose
    /// validators change while the feed does not, then costs what a 304 costs. Any byte
    /// of difference, a `lastBuildDate` included, reads the document again.
    pub fn unchanged_since(&self, prior: &Validators) -> bool {
        self.not_modified()
            || prior
                .digest
                .as_ref()
                .is_some_and(|d| self.validators.digest.as_ref() == Some(d))
    }

    /// XXH3, 128 bits: a digest is for telling an answer from the one before, which no
    /// publisher gains by faking, and at ~1 ns a byte SHA-256 was 2 % of a first refresh.
    fn digest(&self) -> String {
        let mut hasher = twox_hash::XxHash3_128::new();
        let content_type = self.content_type.as_deref().unwrap_or_default();
        let parts = [
            env!("CARGO_PKG_VERSION").as_bytes(),
            self.url.as_str().as_bytes(),
            content_type.as_bytes(),
            &self.body,
        ];
        // Each part with its length, so no two different answers read as one.
        for part in parts {
            hasher.write(&(part.len() as u64).to_le_bytes());
            hasher.write(part);
        }
        format!("{:032x}", hasher.finish_128())
    }
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    settings: HttpSettings,
}

impl Http {
    pub fn new(settings: HttpSettings) -> Result<Self, FetchError> {
        Self::build(settings, false)
    }

    /// A client that ignores proxy settings, for tests against a loopback server.
    pub fn new_without_proxy(settings: HttpSettings) -> Result<Self, FetchError> {
        Self::build(settings, true)
    }

    fn build(settings: HttpSettings, no_proxy: bool) -> Result<Self, FetchError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .gzip(true)
            .brotli(true)
            .deflate(true);
        if no_proxy {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| FetchError::Network(format!("cannot start the HTTP client: {e}")))?;
        Ok(Http { client, settings })
    }

    /// GET `url`, sending `validators` when given. Statuses other than 2xx and 304 become
    /// errors (429 and 503 with their Retry-After); the body is cut at the limit.
    pub async fn get(
        &self,
        url: &Url,
        accept: &str,
        validators: Option<&Validators>,
    ) -> Result<Response, FetchError> {
        // reqwest's own timeout covers the body too; this outer one also bounds a server
        // that trickles bytes through the decompressor.
        let limit = self.settings.timeout + Duration::from_millis(500);
        match tokio::time::timeout(limit, self.get_inner(url, accept, validators)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(self.settings.timeout)),
        }
    }

    async fn get_inner(
        &self,
        url: &Url,
        accept: &str,
        validators: Option<&Validators>,
    ) -> Result<Response, FetchError> {
        let mut request = self.client.get(url.clone()).header(header::ACCEPT, accept);
        if let Some(v) = validators {
            if let Some(etag) = v
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v
                .last_modified
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                request = request.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut response = self.execute(request).await?;
        if validators.is_some() && !response.not_modified() {
            response.validators.digest = Some(response.digest());
        }
        Ok(response)
    }

    /// A request to an API (a form to POST, headers of its own), under the same limits.
    pub fn request(&self, method: reqwest::Method, url: &Url) -> reqwest::RequestBuilder {
        self.client.request(method, url.clone())
    }

    /// Send a request made by [`Http::request`]: the same timeout, status and body rules as
    /// [`Http::get`].
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Result<Response, FetchError> {
        let limit = self.settings.timeout + Duration::from_millis(500);
        match tokio::time::timeout(limit, self.execute(request)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(self.settings.timeout)),
        }
    }

    async fn execute(&self, request: reqwest::RequestBuilder) -> Result<Response, FetchError> {
        let response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        if (status == 429 || status == 503)
            && let Some(until) = retry_after(&headers, Utc::now())
        {
            return Err(FetchError::RateLimited { until });
        }
        if !(200..300).contains(&status) && status != 304 {
            let reason = response
                .status()
                .canonical_reason()
                .unwrap_or_default()
                .to_string();
            return Err(FetchError::Status {
                code: status,
                reason,
            });
        }
        let validators = Validators {
            etag: header_string(&headers, header::ETAG),
            last_modified: header_string(&headers, header::LAST_MODIFIED),
            digest: None,
        };
        let content_type = header_string(&headers, header::CONTENT_TYPE);
        let body = if status == 304 {
            Vec::new()
        } else {
            self.read_body(response).await?
        };
        Ok(Response {
            status,
            url: final_url,
            content_type,
            validators,
            body,
        })
    }

    async fn read_body(&self, response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let limit = self.settings.max_body;
        let too_large = FetchError::TooLarge { limit };
        // Content-Length is the compressed size; checking it first spares a download that
        // could only fail. The streamed count below is the one that holds after decompression.
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(too_large);
        }
        // Sized once when the length is known (within the limit, checked above): growing by
        // doubling held up to three times a 10 MB feed at the moment of a copy.
        let mut body = Vec::with_capacity(response.content_length().unwrap_or(0) as usize);
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(e))?;
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Where `url` leads after its redirects (at most [`MAX_REDIRECTS`]), for a short link:
    /// a HEAD, else (a server that refuses HEAD) a GET whose body is never read.
    pub async fn final_url(&self, url: &Url) -> Result<Url, FetchError> {
        let limit = self.settings.timeout + Duration::from_millis(500);
        let attempt = async {
            let head = self.client.head(url.clone()).send().await;
            let response = match head {
                Ok(r) if r.status().is_success() => r,
                _ => self
                    .client
                    .get(url.clone())
                    .send()
                    .await
                    .map_err(|e| self.classify(e))?,
            };
            let status = response.status();
            if !status.is_success() {
                return Err(FetchError::Status {
                    code: status.as_u16(),
                    reason: status.canonical_reason().unwrap_or_default().to_string(),
                });
            }
            // Dropping the response closes it without reading the body.
            Ok(response.url().clone())
        };
        match tokio::time::timeout(limit, attempt).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(self.settings.timeout)),
        }
    }

    fn classify(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout(self.settings.timeout);
        }
        if e.is_redirect() {
            return FetchError::TooManyRedirects(MAX_REDIRECTS);
        }
        let cause = root_cause(&e);
        let message = if e.is_connect() {
            let host = e.url().and_then(|u| u.host_str()).unwrap_or("the server");
            format!("cannot connect to {host}: {cause}")
        } else if e.is_body() || e.is_decode() {
            format!("the connection broke while reading the response: {cause}")
        } else {
            cause
        };
        FetchError::Network(crate::text::clean_inline(&message))
    }
}

/// reqwest's own message repeats the URL and says little ("error sending request"); the
/// innermost cause says why ("Connection refused", "failed to lookup address").
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// When a 429/503 says to come back: `Retry-After` in seconds or as an HTTP date, else
/// `RateLimit-Reset` (seconds, or a Unix time as Bluesky sends it).
pub fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Some(value) = header_string(headers, header::RETRY_AFTER) {
        if let Ok(seconds) = value.parse::<i64>() {
            return Some(now + chrono::Duration::seconds(seconds.clamp(0, 86_400 * 7)));
        }
        if let Ok(date) = DateTime::parse_from_rfc2822(&value) {
            return Some(date.with_timezone(&Utc));
        }
    }
    let reset = header_string(headers, header::HeaderName::from_static("ratelimit-reset"))?;
    let n = reset.parse::<i64>().ok()?;
    // A value this large is a Unix time; a small one is a delay in seconds.
    if n > 1_000_000_000 {
        DateTime::from_timestamp(n, 0)
    } else {
        Some(now + chrono::Duration::seconds(n.clamp(0, 86_400 * 7)))
    }
}
