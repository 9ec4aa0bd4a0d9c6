//! Misbehaviour on demand, for tests of the client and of whatever retries: fail, delay or drop
//! the next N partner-API calls, or answer them like a broken server would ([`BadAnswer`]:
//! malformed JSON, wrong types, a huge body, an HTML error page, a slow drip). Each call consumes
//! at most one of each kind; the kinds combine in this order: delay, then drop (before handling),
//! then fail, then bad answer (both instead of handling: nothing is applied), then drop (after
//! handling).
//!
//! Set programmatically with [`Faults`] or over HTTP with `POST /__sandbox/faults`:
//! ```json
//! {"reset": true,
//!  "fail_next":  {"count": 2, "status": 429, "retry_after_secs": 3},
//!  "delay_next": {"count": 1, "delay_ms": 1500},
//!  "drop_next":  {"count": 1, "after_apply": false},
//!  "bad_answer_next": {"count": 1, "kind": "slow_drip", "interval_ms": 200},
//!  "reject_next": {"count": 1, "field": "business_details.business_name_english",
//!                  "code": "invalid_value", "message": "the name does not match the registry",
//!                  "shape": "nested"}}
//! ```
//! Bad answer kinds: `malformed_json`, `wrong_types`, `html_error_page` (optional `status`),
//! `huge_body` (with `bytes` and optional `declare_length`), `slow_drip` (with `interval_ms`).
//!
//! `reject_next` is the partner refusing a record it otherwise accepts: it applies only to writes of
//! a customer (update or create; reads and uploads pass), after authentication, and answers 400 in
//! the personality's error shape (`{code, message, errors: [...]}`, or `{code, message, source}`
//! when strict), so an app can be tested on a field error its own validation cannot foresee. An
//! optional `shape` (`field_list`, `source`, `nested`, `plain_text`: [`ErrorShape`]) writes the
//! answer in exactly that shape whatever the personality.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::error_shape::{self, ErrorShape};
use crate::server::ConnectionKill;

/// Answer the next `count` calls with `status` (and `Retry-After` when given) without handling them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailNext {
    pub count: u32,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// Hold the next `count` calls for `delay_ms` before handling them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelayNext {
    pub count: u32,
    pub delay_ms: u64,
}

/// Close the TCP connection of the next `count` calls without any answer; with `after_apply`
/// the call is handled first (the change is applied, only the answer is lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DropNext {
    pub count: u32,
    #[serde(default)]
    pub after_apply: bool,
}

/// An answer a broken server (or a proxy in front of it) gives instead of handling the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BadAnswer {
    /// 200, `application/json`, with JSON cut off mid-object: `{"customer_id": "x", `.
    MalformedJson,
    /// 200, well-formed JSON of a customer whose `status` is `42` and `business_details` a string.
    WrongTypes,
    /// 200, `application/json`, a JSON array of `bytes` bytes (made odd), streamed in 64 KiB chunks (never
    /// held in memory); chunked unless `declare_length`, which sends `Content-Length` first.
    HugeBody {
        bytes: u64,
        #[serde(default)]
        declare_length: bool,
    },
    /// `status` (502 unless given), `text/html`: `<html><body><h1>502 Bad Gateway</h1></body></html>`,
    /// as a proxy sends (with 200: a captive portal or a misrouted base URL).
    HtmlErrorPage {
        #[serde(default = "bad_gateway")]
        status: u16,
    },
    /// 200, `application/json`, chunked, one byte every `interval_ms` (headers at once): 4 KiB of
    /// whitespace, then `{}`; at 200 ms a byte that takes over 13 minutes.
    SlowDrip { interval_ms: u64 },
}

fn bad_gateway() -> u16 {
    502
}

/// The truncated body of [`BadAnswer::MalformedJson`].
pub const MALFORMED_JSON_BODY: &str = r#"{"customer_id": "x", "#;
/// The body of [`BadAnswer::WrongTypes`] (in this order: `status` is the first wrong field).
pub const WRONG_TYPES_BODY: &str =
    r#"{"customer_id": "cus_wrong_types", "status": 42, "business_details": "not an object"}"#;
/// The body of [`BadAnswer::HtmlErrorPage`].
pub const HTML_ERROR_PAGE_BODY: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";
/// Leading whitespace bytes of [`BadAnswer::SlowDrip`] before its closing `{}`.
pub const SLOW_DRIP_PADDING: usize = 4096;
/// Largest `huge_body.bytes` accepted over HTTP (1 GiB).
pub const MAX_HUGE_BODY_BYTES: u64 = 1 << 30;

/// Answer the next `count` calls with `answer` instead of handling them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadAnswerNext {
    pub count: u32,
    #[serde(flatten)]
    pub answer: BadAnswer,
}

/// Refuse the next `count` customer writes with a 400 naming `field` (a record path), nothing applied.
/// Without `shape` the personality shapes the answer; with one it is written exactly so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectNext {
    pub count: u32,
    pub field: String,
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<ErrorShape>,
}

/// The faults still pending (also the body of `POST /__sandbox/faults`, plus `reset`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSettings {
    /// Clear every pending fault first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_next: Option<FailNext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_next: Option<DelayNext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_next: Option<DropNext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_answer_next: Option<BadAnswerNext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_next: Option<RejectNext>,
}

/// Handle on the pending faults of a running sandbox. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pending: Arc<Mutex<FaultSettings>>,
}

/// What to do to one call.
#[derive(Debug, Default)]
struct Plan {
    delay: Option<Duration>,
    drop: Option<DropNext>,
    fail: Option<FailNext>,
    bad_answer: Option<BadAnswer>,
}

impl Faults {
    fn with<T>(&self, f: impl FnOnce(&mut FaultSettings) -> T) -> T {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut pending)
    }

    /// Fail the next `count` calls with `status` (e.g. 500, 502, 503).
    pub fn fail_next(&self, count: u32, status: u16) {
        self.with(|p| p.fail_next = Some(FailNext { count, status, retry_after_secs: None }));
    }

    /// Answer the next `count` calls with 429 and `Retry-After: retry_after` (whole seconds).
    pub fn rate_limit_next(&self, count: u32, retry_after: Duration) {
        self.with(|p| p.fail_next = Some(FailNext { count, status: 429, retry_after_secs: Some(retry_after.as_secs()) }));
    }

    /// Hold the next `count` calls for `delay`.
    pub fn delay_next(&self, count: u32, delay: Duration) {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.with(|p| p.delay_next = Some(DelayNext { count, delay_ms }));
    }

    /// Close the connection of the next `count` calls before handling them (nothing applied).
    pub fn drop_next(&self, count: u32) {
        self.with(|p| p.drop_next = Some(DropNext { count, after_apply: false }));
    }

    /// Handle the next `count` calls, then close the connection instead of answering
    /// (the change is applied but the caller never hears of it).
    pub fn drop_next_after_apply(&self, count: u32) {
        self.with(|p| p.drop_next = Some(DropNext { count, after_apply: true }));
    }

    /// Answer the next `count` calls with `answer` instead of handling them.
    pub fn bad_answer_next(&self, count: u32, answer: BadAnswer) {
        self.with(|p| p.bad_answer_next = Some(BadAnswerNext { count, answer }));
    }

    /// Answer the next `count` calls with 200 and JSON cut off mid-object.
    pub fn malformed_json_next(&self, count: u32) {
        self.bad_answer_next(count, BadAnswer::MalformedJson);
    }

    /// Answer the next `count` calls with 200 and a customer whose fields have the wrong JSON types.
    pub fn wrong_types_next(&self, count: u32) {
        self.bad_answer_next(count, BadAnswer::WrongTypes);
    }

    /// Answer the next `count` calls with 200 and a streamed JSON body of `bytes` bytes (chunked).
    pub fn huge_body_next(&self, count: u32, bytes: u64) {
        self.bad_answer_next(count, BadAnswer::HugeBody { bytes, declare_length: false });
    }

    /// Answer the next `count` calls with a proxy's 502 HTML page.
    pub fn html_error_page_next(&self, count: u32) {
        self.bad_answer_next(count, BadAnswer::HtmlErrorPage { status: 502 });
    }

    /// Answer the next `count` calls with 200 and a body sent one byte every `interval`.
    pub fn slow_drip_next(&self, count: u32, interval: Duration) {
        let interval_ms = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
        self.bad_answer_next(count, BadAnswer::SlowDrip { interval_ms });
    }

    /// Refuse the next `count` customer writes with a 400 about `field` (`code`, `message`).
    pub fn reject_next(&self, count: u32, field: &str, code: &str, message: &str) {
        let reject =
            RejectNext { count, field: field.to_owned(), code: code.to_owned(), message: message.to_owned(), shape: None };
        self.with(|p| p.reject_next = Some(reject));
    }

    /// Clear every pending fault.
    /// Like [`Faults::reject_next`], the answer written in `shape` whatever the personality.
    pub fn reject_next_shaped(&self, count: u32, field: &str, code: &str, message: &str, shape: ErrorShape) {
        let reject = RejectNext {
            count,
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
            shape: Some(shape),
        };
        self.with(|p| p.reject_next = Some(reject));
    }

    pub fn reset(&self) {
        self.with(|p| *p = FaultSettings::default());
    }

    /// Apply settings as `POST /__sandbox/faults` does.
    pub fn apply(&self, settings: FaultSettings) {
        self.with(|p| {
            if settings.reset {
                *p = FaultSettings::default();
            }
            if let Some(fail) = settings.fail_next {
                p.fail_next = Some(fail);
            }
            if let Some(delay) = settings.delay_next {
                p.delay_next = Some(delay);
            }
            if let Some(drop) = settings.drop_next {
                p.drop_next = Some(drop);
            }
            if let Some(bad) = settings.bad_answer_next {
                p.bad_answer_next = Some(bad);
            }
            if let Some(reject) = settings.reject_next {
                p.reject_next = Some(reject);
            }
        });
    }

    /// The faults still pending.
    pub fn pending(&self) -> FaultSettings {
        self.with(|p| p.clone())
    }

    /// Take one of each pending kind for the current call.
    fn take(&self) -> Plan {
        fn consume<T: Copy>(slot: &mut Option<T>, count: impl Fn(&mut T) -> &mut u32) -> Option<T> {
            let mut item = (*slot)?;
            let remaining = count(&mut item);
            if *remaining == 0 {
                *slot = None;
                return None;
            }
            *remaining -= 1;
            *slot = (*remaining > 0).then_some(item);
            Some(item)
        }
        self.with(|p| Plan {
            delay: consume(&mut p.delay_next, |d| &mut d.count).map(|d| Duration::from_millis(d.delay_ms)),
            drop: consume(&mut p.drop_next, |d| &mut d.count),
            fail: consume(&mut p.fail_next, |f| &mut f.count),
            bad_answer: consume(&mut p.bad_answer_next, |b| &mut b.count).map(|b| b.answer),
        })
    }

    /// Take one pending rejection for the current customer write.
    fn take_rejection(&self) -> Option<RejectNext> {
        self.with(|p| {
            let reject = p.reject_next.as_mut()?;
            if reject.count == 0 {
                p.reject_next = None;
                return None;
            }
            reject.count -= 1;
            let taken = reject.clone();
            if reject.count == 0 {
                p.reject_next = None;
            }
            Some(taken)
        })
    }
}

/// Check the settings of `POST /__sandbox/faults`.
pub fn check_settings(settings: &FaultSettings) -> Result<(), ApiError> {
    if let Some(reject) = &settings.reject_next {
        for (name, value) in [("field", &reject.field), ("code", &reject.code), ("message", &reject.message)] {
            if value.trim().is_empty() {
                return Err(ApiError::field("required", &format!("reject_next.{name}"), format!("{name} must not be empty")));
            }
        }
    }
    if let Some(fail) = settings.fail_next {
        if !(400..=599).contains(&fail.status) {
            return Err(ApiError::field("invalid_value", "fail_next.status", "status must be between 400 and 599"));
        }
    }
    if let Some(delay) = settings.delay_next {
        if delay.delay_ms > 600_000 {
            return Err(ApiError::field("invalid_value", "delay_next.delay_ms", "delay_ms must be at most 600000"));
        }
    }
    match settings.bad_answer_next.map(|b| b.answer) {
        Some(BadAnswer::HugeBody { bytes, .. }) if bytes > MAX_HUGE_BODY_BYTES => {
            Err(ApiError::field("invalid_value", "bad_answer_next.bytes", "bytes must be at most 1073741824"))
        }
        Some(BadAnswer::HtmlErrorPage { status }) if !(200..=599).contains(&status) => {
            Err(ApiError::field("invalid_value", "bad_answer_next.status", "status must be between 200 and 599"))
        }
        Some(BadAnswer::SlowDrip { interval_ms }) if interval_ms == 0 || interval_ms > 60_000 => {
            Err(ApiError::field("invalid_value", "bad_answer_next.interval_ms", "interval_ms must be 1 to 60000"))
        }
        _ => Ok(()),
    }
}

/// Middleware on the partner-API routes: applies the next pending faults to this call.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let plan = faults.take();
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    if let Some(delay) = plan.delay {
        tracing::info!(delay_ms = delay.as_millis() as u64, "fault: delaying the call");
        tokio::time::sleep(delay).await;
    }
    if plan.drop.is_some_and(|d| !d.after_apply) {
        return drop_connection(kill).await;
    }
    if let Some(fail) = plan.fail {
        tracing::info!(status = fail.status, "fault: failing the call");
        let status = StatusCode::from_u16(fail.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut error = ApiError::new(status, "injected_fault", format!("sandbox fault: this call fails with HTTP {}", fail.status));
        error.retry_after_secs = fail.retry_after_secs;
        return error.into_response();
    }
    if let Some(answer) = plan.bad_answer {
        tracing::info!(?answer, "fault: answering like a broken server");
        return bad_answer(answer);
    }
    let response = next.run(request).await;
    if plan.drop.is_some_and(|d| d.after_apply) {
        return drop_connection(kill).await;
    }
    response
}

/// Middleware on the customer-write routes, inside authentication and the personality: refuses the
/// write with a pending [`RejectNext`] before it is handled (the personality then shapes the error).
pub async fn reject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    match faults.take_rejection() {
        Some(reject) => {
            tracing::info!(field = %reject.field, code = %reject.code, "fault: refusing the write");
            match reject.shape {
                Some(shape) => error_shape::refusal(shape, &reject.code, &reject.field, &reject.message),
                None => ApiError::field(&reject.code, &reject.field, reject.message).into_response(),
            }
        }
        None => next.run(request).await,
    }
}

/// Close the connection this call came on; the answer is never written.
async fn drop_connection(kill: Option<ConnectionKill>) -> Response {
    match kill {
        Some(kill) => {
            tracing::info!("fault: dropping the connection");
            kill.fire();
            // The connection task drops this future with the connection; answering is a fallback.
            tokio::time::sleep(Duration::from_secs(30)).await;
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "injected_fault", "the connection should have been dropped")
                .into_response()
        }
        None => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "injected_fault", "this connection cannot be dropped")
            .into_response(),
    }
}

/// The response of a [`BadAnswer`]; bodies that are large or slow are streamed.
fn bad_answer(answer: BadAnswer) -> Response {
    const JSON: &str = "application/json";
    let (status, content_type, body) = match answer {
        BadAnswer::MalformedJson => (StatusCode::OK, JSON, Body::from(MALFORMED_JSON_BODY)),
        BadAnswer::WrongTypes => {
            (StatusCode::OK, JSON, Body::from(WRONG_TYPES_BODY))
        }
        BadAnswer::HugeBody { bytes, declare_length } => {
            let left = bytes.max(3) | 1;
            (StatusCode::OK, JSON, Body::new(HugeBody { left, started: false, declare_length }))
        }
        BadAnswer::HtmlErrorPage { status } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            (status, "text/html; charset=utf-8", Body::from(HTML_ERROR_PAGE_BODY))
        }
        BadAnswer::SlowDrip { interval_ms } => {
            let mut bytes = vec![b' '; SLOW_DRIP_PADDING];
            bytes.extend_from_slice(b"{}");
            let drip = SlowDrip { bytes, sent: 0, interval: Duration::from_millis(interval_ms), sleep: None };
            (StatusCode::OK, JSON, Body::new(drip))
        }
    };
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static(content_type));
    response
}

/// `[0,0,…,0]` of exactly `left` bytes (odd, at least 3), produced chunk by chunk as it is written.
struct HugeBody {
    left: u64,
    started: bool,
    declare_length: bool,
}

impl HttpBody for HugeBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        const CHUNK: u64 = 64 * 1024;
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(CHUNK) as usize;
        let mut chunk = vec![b'0'; n];
        // Chunks are of even size, so even positions are commas throughout; the first byte is `[`
        // and the very last `]`.
        for (i, byte) in chunk.iter_mut().enumerate() {
            if i % 2 == 0 {
                *byte = b',';
            }
        }
        if !self.started {
            chunk[0] = b'[';
            self.started = true;
        }
        self.left -= n as u64;
        if self.left == 0 {
            chunk[n - 1] = b']';
        }
        Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from(chunk)))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        if self.declare_length {
            hyper::body::SizeHint::with_exact(self.left)
        } else {
            hyper::body::SizeHint::default()
        }
    }
}

/// `bytes` written one byte per `interval`, the first at once.
struct SlowDrip {
    bytes: Vec<u8>,
    sent: usize,
    interval: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl HttpBody for SlowDrip {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        if self.sent >= self.bytes.len() {
            return Poll::Ready(None);
        }
        if let Some(sleep) = self.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
        let interval = self.interval;
        self.sleep = Some(Box::pin(tokio::time::sleep(interval)));
        let byte = self.bytes[self.sent];
        self.sent += 1;
        Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::copy_from_slice(&[byte])))))
    }

    fn is_end_stream(&self) -> bool {
        self.sent >= self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_per_call() {
        let faults = Faults::default();
        faults.fail_next(2, 503);
        faults.delay_next(1, Duration::from_millis(5));
        let first = faults.take();
        assert_eq!(first.fail.map(|f| f.status), Some(503));
        assert_eq!(first.delay, Some(Duration::from_millis(5)));
        let second = faults.take();
        assert!(second.fail.is_some() && second.delay.is_none());
        let third = faults.take();
        assert!(third.fail.is_none());
        assert_eq!(faults.pending(), FaultSettings::default());
    }

    #[test]
    fn reset_clears_everything() {
        let faults = Faults::default();
        faults.drop_next(3);
        faults.rate_limit_next(1, Duration::from_secs(2));
        faults.reset();
        assert_eq!(faults.pending(), FaultSettings::default());
        faults.apply(FaultSettings { drop_next: Some(DropNext { count: 0, after_apply: false }), ..Default::default() });
        assert!(faults.take().drop.is_none());
    }

    #[test]
    fn bad_answers_are_consumed_and_parsed_from_json() {
        let faults = Faults::default();
        faults.html_error_page_next(2);
        assert_eq!(faults.take().bad_answer, Some(BadAnswer::HtmlErrorPage { status: 502 }));
        assert_eq!(faults.take().bad_answer, Some(BadAnswer::HtmlErrorPage { status: 502 }));
        assert_eq!(faults.take().bad_answer, None);

        let json = r#"{"bad_answer_next": {"count": 1, "kind": "huge_body", "bytes": 100}}"#;
        let settings: FaultSettings = serde_json::from_str(json).unwrap();
        let expected = BadAnswer::HugeBody { bytes: 100, declare_length: false };
        assert_eq!(settings.bad_answer_next, Some(BadAnswerNext { count: 1, answer: expected }));
        assert!(check_settings(&settings).is_ok());
        let json = r#"{"bad_answer_next": {"count": 1, "kind": "slow_drip", "interval_ms": 0}}"#;
        assert!(check_settings(&serde_json::from_str(json).unwrap()).is_err());
        let json = r#"{"bad_answer_next": {"count": 1, "kind": "html_error_page"}}"#;
        let settings: FaultSettings = serde_json::from_str(json).unwrap();
        assert_eq!(settings.bad_answer_next.unwrap().answer, BadAnswer::HtmlErrorPage { status: 502 });
        let json = r#"{"bad_answer_next": {"count": 1, "kind": "teapot"}}"#;
        assert!(serde_json::from_str::<FaultSettings>(json).is_err());
        faults.apply(serde_json::from_str(r#"{"bad_answer_next": {"count": 1, "kind": "malformed_json"}}"#).unwrap());
        let round_trip = serde_json::to_value(faults.pending()).unwrap();
        assert_eq!(round_trip["bad_answer_next"]["kind"], "malformed_json");
    }

    #[test]
    fn a_rejection_is_consumed_per_write_and_checked() {
        let faults = Faults::default();
        let json = r#"{"reject_next": {"count": 2, "field": "a.b", "code": "invalid_value", "message": "no"}}"#;
        let settings: FaultSettings = serde_json::from_str(json).unwrap();
        assert!(check_settings(&settings).is_ok());
        faults.apply(settings);
        // Other kinds are taken per call without touching it.
        assert!(faults.take().fail.is_none());
        assert_eq!(faults.take_rejection().map(|r| r.field), Some("a.b".to_owned()));
        assert_eq!(faults.pending().reject_next.map(|r| r.count), Some(1));
        assert!(faults.take_rejection().is_some());
        assert!(faults.take_rejection().is_none());
        assert_eq!(faults.pending(), FaultSettings::default());
        let shaped = r#"{"reject_next": {"count": 1, "field": "a", "code": "c", "message": "m", "shape": "plain_text"}}"#;
        let settings: FaultSettings = serde_json::from_str(shaped).unwrap();
        assert_eq!(settings.reject_next.and_then(|r| r.shape), Some(ErrorShape::PlainText));
        let unknown = r#"{"reject_next": {"count": 1, "field": "a", "code": "c", "message": "m", "shape": "xml"}}"#;
        assert!(serde_json::from_str::<FaultSettings>(unknown).is_err());
        let blank = r#"{"reject_next": {"count": 1, "field": " ", "code": "x", "message": "y"}}"#;
        assert!(check_settings(&serde_json::from_str(blank).unwrap()).is_err());
    }

    #[tokio::test]
    async fn huge_body_is_valid_json_of_the_exact_size() {
        let response = bad_answer(BadAnswer::HugeBody { bytes: 200_000, declare_length: true });
        // hyper writes `Content-Length` from the exact size hint.
        assert_eq!(response.body().size_hint().exact(), Some(200_001));
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(bytes.len(), 200_001);
        let parsed: Vec<u8> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(parsed.len(), 100_000);
    }

    #[tokio::test]
    async fn slow_drip_sends_one_byte_per_interval() {
        let drip = SlowDrip { bytes: b"{}".to_vec(), sent: 0, interval: Duration::from_millis(30), sleep: None };
        let started = std::time::Instant::now();
        let bytes = axum::body::to_bytes(Body::new(drip), usize::MAX).await.unwrap();
        assert_eq!(&bytes[..], b"{}");
        assert!(started.elapsed() >= Duration::from_millis(30), "{:?}", started.elapsed());
    }
}
