//! Misbehaviour on demand, for tests of the client and of whatever retries: fail, delay or drop
//! the next N partner-API calls. Each call consumes at most one of each kind; the kinds combine
//! in this order: delay, then drop (before handling), then fail, then drop (after handling).
//!
//! Set programmatically with [`Faults`] or over HTTP with `POST /__sandbox/faults`:
//! ```json
//! {"reset": true,
//!  "fail_next":  {"count": 2, "status": 429, "retry_after_secs": 3},
//!  "delay_next": {"count": 1, "delay_ms": 1500},
//!  "drop_next":  {"count": 1, "after_apply": false}}
//! ```

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
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

    /// Clear every pending fault.
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
        })
    }
}

/// Check the settings of `POST /__sandbox/faults`.
pub fn check_settings(settings: &FaultSettings) -> Result<(), ApiError> {
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
    Ok(())
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
    let response = next.run(request).await;
    if plan.drop.is_some_and(|d| d.after_apply) {
        return drop_connection(kill).await;
    }
    response
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
}
