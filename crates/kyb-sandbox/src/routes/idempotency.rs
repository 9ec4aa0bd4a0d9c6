//! `Idempotency-Key`: the first request with a key is applied and its answer kept (with the
//! data, so it survives restarts); a repeat gets that answer back without being applied again.
//! The same key with a different request is refused (409), as it is almost certainly a bug.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::store::{Store, StoredResponse};

pub const HEADER: &str = "idempotency-key";
const MAX_KEY_LEN: usize = 255;

/// The key of the request, if it has one.
pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(HEADER) else { return Ok(None) };
    let bad = |message: &str| ApiError::field("invalid_idempotency_key", "Idempotency-Key", message);
    let key = value.to_str().map_err(|_| bad("the Idempotency-Key header must be visible ASCII"))?.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(bad("the Idempotency-Key header must have 1 to 255 characters"));
    }
    Ok(Some(key.to_owned()))
}

/// What identifies "the same request".
pub fn fingerprint(method: &str, path: &str, body: &str) -> String {
    format!("{method} {path}\n{body}")
}

/// The kept answer for `key`, or a 409 when the key was used for another request.
pub fn replay(store: &Store, key: &str, fingerprint: &str) -> Option<Response> {
    let stored = store.idempotency.get(key)?;
    if stored.fingerprint != fingerprint {
        return Some(
            ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                "this Idempotency-Key was already used for a different request",
            )
            .into_response(),
        );
    }
    store.with_stats(|s| s.idempotent_replays += 1);
    tracing::info!("answered a repeated Idempotency-Key from the kept response");
    let mut response = json_response(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK), stored.body.clone());
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    Some(response)
}

/// Keep the answer to an applied request (the caller saves the store).
pub fn remember(store: &mut Store, key: Option<String>, fingerprint: String, status: StatusCode, body: &str) {
    if let Some(key) = key {
        store.idempotency.insert(key, StoredResponse { fingerprint, status: status.as_u16(), body: body.to_owned() });
    }
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}
