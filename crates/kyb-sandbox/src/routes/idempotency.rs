//! `Idempotency-Key`: the first request with a key is applied and its answer kept (with the
//! data, so it survives restarts); a repeat gets that answer back without being applied again.
//! The same key with a different request is refused (409), as it is almost certainly a bug.
//! Answers are kept for a day and at most [`KEEP_AT_MOST`] of them, like partners that expire
//! keys: every write rewrites the state file, and a soak of 500 submissions had grown it (and the
//! app process that runs the built-in sandbox) by a few KiB per write.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::store::{Store, StoredResponse};

pub const HEADER: &str = "idempotency-key";
const MAX_KEY_LEN: usize = 255;
/// How long an answer is kept.
pub const KEEP_FOR: Duration = Duration::hours(24);
/// How many answers are kept at most (the oldest go first): retries of one submission come
/// within minutes, long before this many other writes.
pub const KEEP_AT_MOST: usize = 256;

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

/// What identifies "the same request": a digest of method, path and body.
pub fn fingerprint(method: &str, path: &str, body: &str) -> String {
    digest(&format!("{method} {path}\n{body}"))
}

fn digest(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

fn is_digest(fingerprint: &str) -> bool {
    fingerprint.len() == 64 && fingerprint.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// State files before digests kept the request text: digest it (same request, same digest).
pub fn upgrade_fingerprint(stored: &mut StoredResponse) {
    if !is_digest(&stored.fingerprint) {
        stored.fingerprint = digest(&stored.fingerprint);
    }
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

/// Keep the answer to an applied request, and forget the expired ones (the caller saves the store).
pub fn remember(store: &mut Store, key: Option<String>, fingerprint: String, status: StatusCode, body: &str) {
    remember_at(store, key, fingerprint, status, body, Utc::now());
}

fn remember_at(store: &mut Store, key: Option<String>, fingerprint: String, status: StatusCode, body: &str, now: DateTime<Utc>) {
    if let Some(key) = key {
        let stored = StoredResponse { fingerprint, status: status.as_u16(), body: body.to_owned(), kept_at: Some(now) };
        store.idempotency.insert(key, stored);
    }
    let oldest_kept = now - KEEP_FOR;
    store.idempotency.retain(|_, s| s.kept_at.is_none_or(|t| t >= oldest_kept));
    while store.idempotency.len() > KEEP_AT_MOST {
        // `None` (from older state files) sorts first: those go before any dated answer.
        let Some(oldest) = store.idempotency.iter().min_by_key(|(_, s)| s.kept_at).map(|(k, _)| k.clone()) else { break };
        store.idempotency.remove(&oldest);
    }
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        (dir, store)
    }

    #[test]
    fn the_fingerprint_is_a_digest_of_method_path_and_body() {
        let a = fingerprint("POST", "/api/customers/c1/update", "{\"a\":1}");
        assert!(is_digest(&a), "{a}");
        assert_eq!(a, fingerprint("POST", "/api/customers/c1/update", "{\"a\":1}"));
        assert_ne!(a, fingerprint("POST", "/api/customers/c1/update", "{\"a\":2}"));
        assert_ne!(a, fingerprint("POST", "/api/customers/c2/update", "{\"a\":1}"));
    }

    #[test]
    fn old_text_fingerprints_become_the_same_digest() {
        let text = "POST /api/customers/c1/update\n{\"a\":1}";
        let mut stored = StoredResponse { fingerprint: text.into(), status: 200, body: "{}".into(), kept_at: None };
        upgrade_fingerprint(&mut stored);
        assert_eq!(stored.fingerprint, fingerprint("POST", "/api/customers/c1/update", "{\"a\":1}"));
        let again = stored.fingerprint.clone();
        upgrade_fingerprint(&mut stored);
        assert_eq!(stored.fingerprint, again, "a digest stays as it is");
    }

    #[tokio::test]
    async fn at_most_keep_at_most_answers_are_kept_newest_first() {
        let (_dir, mut store) = store().await;
        let t0 = Utc::now();
        for i in 0..KEEP_AT_MOST + 10 {
            let at = t0 + Duration::seconds(i as i64);
            remember_at(&mut store, Some(format!("k{i}")), fingerprint("POST", "/p", &i.to_string()), StatusCode::OK, "{}", at);
        }
        assert_eq!(store.idempotency.len(), KEEP_AT_MOST);
        assert!(!store.idempotency.contains_key("k0") && !store.idempotency.contains_key("k9"));
        assert!(store.idempotency.contains_key("k10"));
        let last = format!("k{}", KEEP_AT_MOST + 9);
        assert!(replay(&store, &last, &fingerprint("POST", "/p", &(KEEP_AT_MOST + 9).to_string())).is_some());
        assert!(replay(&store, &last, &fingerprint("POST", "/p", "other")).is_some_and(|r| r.status() == StatusCode::CONFLICT));
    }

    #[tokio::test]
    async fn answers_older_than_a_day_are_forgotten() {
        let (_dir, mut store) = store().await;
        let t0 = Utc::now();
        remember_at(&mut store, Some("old".into()), fingerprint("POST", "/p", "1"), StatusCode::OK, "{}", t0);
        store.idempotency.insert("undated".into(), StoredResponse { fingerprint: fingerprint("POST", "/p", "0"), status: 200, body: "{}".into(), kept_at: None });
        remember_at(&mut store, Some("new".into()), fingerprint("POST", "/p", "2"), StatusCode::OK, "{}", t0 + KEEP_FOR + Duration::seconds(1));
        assert!(!store.idempotency.contains_key("old"));
        assert!(store.idempotency.contains_key("new"));
        assert!(store.idempotency.contains_key("undated"), "undated answers go only when over the count");
    }
}
