//! Turning what came back (or did not) into a value or a [`ClientError`].

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;

use super::config::MAX_RESPONSE_BYTES;
use super::error::ClientError;
use super::error_body::{read_error_body, ServerError};
use super::scrub::Scrubber;
use super::text::{describe_body, short};
use crate::model::parse_lenient;

/// What the mapping needs to know about the call in flight.
pub(crate) struct CallContext<'a> {
    /// Said in a 404, e.g. `customer with customer_id "cus_1"`.
    pub resource: String,
    pub scrubber: &'a Scrubber,
    pub timeout: Duration,
    pub connect_timeout: Duration,
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
            path => format!("`{}` is wrong", short(&ctx.scrubber.scrub(path), 120)),
        };
        // Scrubbed before anything is cut or escaped, so no part of a credential is kept.
        let reason = short(&ctx.scrubber.scrub(&err.message), 120);
        let body = describe_body(&ctx.scrubber.scrub(text), true, body.len());
        malformed(format!("{what} ({reason}); body: {body}"))
    })
}

fn map_status(status: StatusCode, headers: &HeaderMap, body: &[u8], ctx: &CallContext<'_>) -> ClientError {
    let code = status.as_u16();
    match code {
        // Refused credentials: nothing the server wrote is quoted (it may echo what was sent).
        401 | 403 => return ClientError::Unauthorized { status: code },
        404 => return ClientError::NotFound { resource: ctx.resource.clone() },
        429 => return ClientError::RateLimited { retry_after: retry_after(headers) },
        300..=399 => {
            return ClientError::UnexpectedStatus {
                status: code,
                code: None,
                message: Some("a redirect, which the client does not follow so the credentials go nowhere else".to_owned()),
            }
        }
        _ => {}
    }
    let ServerError { code: server_code, message, errors, excerpt } = read_error_body(body, ctx.scrubber);
    // What the server said; when it said nothing readable, what its answer looked like (the
    // messages of rejections and conflicts do not name the status, so it is said here).
    let said = message.or_else(|| server_code.clone());
    let said_with_status = said.clone().or_else(|| excerpt.as_ref().map(|e| format!("the partner answered HTTP {code} with {e}")));
    let said = said.or(excerpt);
    match code {
        400 | 422 => ClientError::ValidationRejected {
            status: code,
            message: said_with_status.unwrap_or_else(|| format!("HTTP {code} without details")),
            errors,
        },
        409 => ClientError::Conflict {
            code: server_code,
            message: said_with_status.unwrap_or_else(|| "HTTP 409 without details".to_owned()),
            field: errors.into_iter().find_map(|e| e.field),
        },
        500..=599 => ClientError::Server { status: code, detail: said },
        _ => ClientError::UnexpectedStatus { status: code, code: server_code, message: said },
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
    let cause = root_causes(&err, ctx.scrubber);
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
fn root_causes(err: &reqwest::Error, scrubber: &Scrubber) -> String {
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
    short(&scrubber.scrub(&parts.join(": ")), 300)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn mapped(status: u16, body: &str) -> ClientError {
        let scrubber = Scrubber::new("key-AAAA-1111", "secret-BBBB-2222");
        let ctx = CallContext {
            resource: "customer".into(),
            scrubber: &scrubber,
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
        };
        map_status(StatusCode::from_u16(status).unwrap(), &HeaderMap::new(), body.as_bytes(), &ctx)
    }

    #[test]
    fn every_error_shape_maps_to_its_variant_with_field_paths() {
        let website = || Some("business_details.website".to_owned());
        for (status, body) in [
            (400, r#"{"code":"invalid","message":"bad","errors":[{"field":"business_details.website","code":"invalid_url","message":"bad"}]}"#),
            (422, r#"{"code":"invalid_url","message":"bad","source":"/business_details/website"}"#),
            (400, r#"{"error":{"code":"invalid_url","message":"bad","source":"business_details.website"}}"#),
        ] {
            let err = mapped(status, body);
            let ClientError::ValidationRejected { errors, .. } = &err else { panic!("{body}: {err:?}") };
            assert_eq!(errors[0].field, website(), "{body}");
            assert_eq!(err.field(), Some("business_details.website"), "{body}");
        }
        let err = mapped(409, r#"{"error":{"code":"duplicate","message":"taken","source":"/partner_customer_id"}}"#);
        assert_eq!(
            err,
            ClientError::Conflict {
                code: Some("duplicate".into()),
                message: "taken".into(),
                field: Some("partner_customer_id".into())
            }
        );
        assert_eq!(mapped(503, "maintenance until 10:00"), ClientError::Server { status: 503, detail: Some("maintenance until 10:00".into()) });
        assert_eq!(mapped(400, "").to_string(), "the partner API rejected the record: HTTP 400 without details");
        assert_eq!(
            mapped(400, "<html><body>x</body></html>").to_string(),
            "the partner API rejected the record: the partner answered HTTP 400 with an HTML page"
        );
        assert_eq!(
            mapped(502, "<html><body>x</body></html>").to_string(),
            "the partner API failed with HTTP 502: an HTML page"
        );
        assert_eq!(
            mapped(418, r#"{"error":{"code":"teapot"}}"#),
            ClientError::UnexpectedStatus { status: 418, code: Some("teapot".into()), message: Some("teapot".into()) }
        );
        assert_eq!(mapped(401, "secret-BBBB-2222 refused"), ClientError::Unauthorized { status: 401 });
        assert_eq!(mapped(403, r#"{"message":"no"}"#), ClientError::Unauthorized { status: 403 });
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
