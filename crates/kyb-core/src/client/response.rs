//! Turning what came back (or did not) into a value or a [`ClientError`].

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::config::MAX_RESPONSE_BYTES;
use super::error::{ClientError, FieldError, Scrubber};
use crate::model::parse_lenient;

/// What the mapping needs to know about the call in flight.
pub(crate) struct CallContext<'a> {
    /// Said in a 404, e.g. `customer with customer_id "cus_1"`.
    pub resource: String,
    pub scrubber: &'a Scrubber,
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

/// The error body the partner API (and the sandbox) send: `{code, message, errors: [...]}`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Vec<FieldError>,
}

/// Read the answer of a sent request: the parsed value on 2xx, a typed error otherwise.
pub(crate) async fn handle<T: DeserializeOwned>(response: Response, ctx: &CallContext<'_>) -> Result<T, ClientError> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_bounded(response, ctx).await?;
    tracing::debug!(status = status.as_u16(), bytes = body.len(), "partner API answered");
    if status.is_success() {
        return parse_success(status, &body, ctx);
    }
    Err(map_status(status, &headers, &body, ctx))
}

fn parse_success<T: DeserializeOwned>(status: StatusCode, body: &[u8], ctx: &CallContext<'_>) -> Result<T, ClientError> {
    let malformed = |detail: String| ClientError::MalformedResponse { status: status.as_u16(), detail };
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(malformed(format!("the body is not UTF-8 text ({} bytes)", body.len())));
    };
    parse_lenient::<T>(text).map_err(|err| {
        // serde names an unknown place `?` (a body cut off, or not JSON at all).
        let what = match err.path.as_str() {
            "" => "the body is not the expected JSON".to_owned(),
            "?" => "the body is not complete JSON".to_owned(),
            path => format!("`{path}` is wrong"),
        };
        malformed(ctx.scrubber.scrub(&format!("{what} ({}); body: {}", short(&err.message, 120), excerpt(body))))
    })
}

fn map_status(status: StatusCode, headers: &HeaderMap, body: &[u8], ctx: &CallContext<'_>) -> ClientError {
    let code = status.as_u16();
    let parsed: Option<ErrorBody> = std::str::from_utf8(body).ok().and_then(|t| parse_lenient(t).ok());
    let scrub = |s: &str| ctx.scrubber.scrub(&short(s, 300));
    let server_message = parsed.as_ref().and_then(|b| b.message.as_deref()).map(scrub);
    let server_code = parsed.as_ref().and_then(|b| b.code.clone()).map(|c| scrub(&c));
    match code {
        401 | 403 => ClientError::Unauthorized { status: code },
        404 => ClientError::NotFound { resource: ctx.resource.clone() },
        400 | 422 => {
            let errors = parsed
                .as_ref()
                .map(|b| {
                    b.errors
                        .iter()
                        .map(|e| FieldError {
                            field: e.field.as_deref().map(scrub),
                            code: scrub(&e.code),
                            message: scrub(&e.message),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let message = server_message.unwrap_or_else(|| match body.is_empty() {
                true => format!("HTTP {code} without details"),
                false => format!("HTTP {code}: {}", ctx.scrubber.scrub(&excerpt(body))),
            });
            ClientError::ValidationRejected { status: code, message, errors }
        }
        409 => ClientError::Conflict {
            code: server_code,
            message: server_message.unwrap_or_else(|| "HTTP 409 without details".to_owned()),
            field: parsed.as_ref().and_then(|b| b.errors.first()).and_then(|e| e.field.as_deref()).map(scrub),
        },
        429 => ClientError::RateLimited { retry_after: retry_after(headers) },
        500..=599 => ClientError::Server {
            status: code,
            detail: server_message.or_else(|| (!body.is_empty()).then(|| ctx.scrubber.scrub(&excerpt(body)))),
        },
        300..=399 => ClientError::UnexpectedStatus {
            status: code,
            code: None,
            message: Some("a redirect, which the client does not follow so the credentials go nowhere else".to_owned()),
        },
        _ => ClientError::UnexpectedStatus {
            status: code,
            code: server_code,
            message: server_message.or_else(|| (!body.is_empty()).then(|| ctx.scrubber.scrub(&excerpt(body)))),
        },
    }
}

/// `Retry-After` as seconds, or as an HTTP date (time left from now).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let left = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(left.to_std().unwrap_or(Duration::ZERO))
}

/// Read the body, refusing more than [`MAX_RESPONSE_BYTES`].
async fn read_bounded(mut response: Response, ctx: &CallContext<'_>) -> Result<Vec<u8>, ClientError> {
    let status = response.status().as_u16();
    let too_big = || ClientError::MalformedResponse {
        status,
        detail: format!("the body is larger than the {} MiB the client accepts", MAX_RESPONSE_BYTES / (1024 * 1024)),
    };
    if response.content_length().is_some_and(|len| len > MAX_RESPONSE_BYTES as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|err| transport_error(err, ctx))? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A failure below HTTP: connect, send, or read.
pub(crate) fn transport_error(err: reqwest::Error, ctx: &CallContext<'_>) -> ClientError {
    if err.is_timeout() {
        let connecting = err.is_connect();
        let after = if connecting { ctx.connect_timeout } else { ctx.timeout };
        return ClientError::Timeout { after, connecting };
    }
    let cause = ctx.scrubber.scrub(&root_causes(&err));
    let detail = if err.is_connect() {
        format!("could not connect ({cause})")
    } else if err.is_body() || err.is_decode() {
        format!("the connection broke while the answer was being read ({cause})")
    } else if err.is_builder() {
        return ClientError::InvalidInput { field: "request".into(), message: cause };
    } else {
        format!("the connection was closed before a complete answer arrived ({cause})")
    };
    ClientError::Network { detail }
}

/// The messages of the error's sources (reqwest's own top line adds nothing), without the URL.
fn root_causes(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = err.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        // hyper-util's "client error (Connect)" wrappers say nothing the next cause does not.
        let wrapper = text.starts_with("client error (") && inner.source().is_some();
        if !wrapper && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = inner.source();
    }
    if parts.is_empty() {
        parts.push(if err.is_connect() { "connection failed".into() } else { "no details".into() });
    }
    short(&parts.join(": "), 300)
}

/// A short one-line description of a body, for messages: never the whole body.
pub(crate) fn excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty)".to_owned();
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    // A proxy's or server's HTML page is named, never quoted: its markup says nothing to a person.
    if let Some(title) = html_element(&head, "title") {
        return format!("an HTML page titled {:?}", short(&title, 80));
    }
    if looks_like_html(&head) {
        return match html_element(&head, "h1") {
            Some(heading) => format!("an HTML page headed {:?}", short(&heading, 80)),
            None => "an HTML page".to_owned(),
        };
    }
    let flat: String = head.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{:?}", short(&flat, 160))
}

/// The text of the first `<tag>…</tag>` (case-insensitive, without attributes), whitespace folded.
fn html_element(text: &str, tag: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let open = format!("<{tag}>");
    let start = lower.find(&open)? + open.len();
    let end = start + lower[start..].find(&format!("</{tag}>"))?;
    let inner = text.get(start..end)?;
    Some(inner.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
}

fn looks_like_html(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
}

/// At most `max` characters, with an ellipsis when cut.
fn short(text: &str, max: usize) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match cleaned.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &cleaned[..i]),
        None => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn excerpt_is_short_and_names_html_pages() {
        let html = b"<html><head><TITLE>502 Bad\n Gateway</TITLE></head><body>nginx</body></html>";
        assert_eq!(excerpt(html), "an HTML page titled \"502 Bad Gateway\"");
        let long = vec![b'x'; 100_000];
        assert!(excerpt(&long).chars().count() < 200);
        assert_eq!(excerpt(b""), "(empty)");
        let proxy = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
        assert_eq!(excerpt(proxy), "an HTML page headed \"502 Bad Gateway\"");
        assert_eq!(excerpt(b"<!DOCTYPE html><html><body><p>down</p></body></html>"), "an HTML page");
        assert_eq!(excerpt(b"<html><TITLE></TITLE><body>x</body></html>"), "an HTML page");
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
