//! `X-API-Key` and `X-API-Secret` must both match the configured credentials.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kyb_core::credentials::ApiCredentials;

use crate::error::ApiError;

pub const KEY_HEADER: &str = "x-api-key";
pub const SECRET_HEADER: &str = "x-api-secret";

/// Middleware: 401 `unauthorized` unless both headers match. Never logs the values.
pub async fn require_credentials(
    State(expected): State<Arc<ApiCredentials>>,
    request: Request,
    next: Next,
) -> Response {
    match check(request.headers(), &expected) {
        Ok(()) => next.run(request).await,
        Err(message) => {
            tracing::info!(path = %request.uri().path(), reason = message, "refused unauthenticated call");
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).into_response()
        }
    }
}

fn check(headers: &HeaderMap, expected: &ApiCredentials) -> Result<(), &'static str> {
    let key = headers.get(KEY_HEADER).ok_or("the X-API-Key header is missing")?;
    let secret = headers.get(SECRET_HEADER).ok_or("the X-API-Secret header is missing")?;
    // Evaluate both comparisons before deciding, so timing does not tell which one was wrong.
    let key_ok = constant_time_eq(key.as_bytes(), expected.api_key.as_bytes());
    let secret_ok = constant_time_eq(secret.as_bytes(), expected.api_secret.as_bytes());
    if key_ok & secret_ok {
        Ok(())
    } else {
        Err("the API key or secret is not valid")
    }
}

/// Compare without an early exit on the first differing byte (the length is not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(key: Option<&str>, secret: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(k) = key {
            h.insert(KEY_HEADER, HeaderValue::from_str(k).unwrap());
        }
        if let Some(s) = secret {
            h.insert(SECRET_HEADER, HeaderValue::from_str(s).unwrap());
        }
        h
    }

    #[test]
    fn both_headers_must_match() {
        let creds = ApiCredentials { api_key: "k1".into(), api_secret: "s1".into() };
        assert!(check(&headers(Some("k1"), Some("s1")), &creds).is_ok());
        assert!(check(&headers(Some("k1"), Some("s2")), &creds).is_err());
        assert!(check(&headers(Some("k2"), Some("s1")), &creds).is_err());
        assert!(check(&headers(None, Some("s1")), &creds).is_err());
        assert!(check(&headers(Some("k1"), None), &creds).is_err());
        assert!(check(&headers(Some("k1x"), Some("s1")), &creds).is_err());
    }
}
