//! When to try again: exponential backoff with full jitter, never sooner than `Retry-After`.

use std::time::Duration;

use rand::Rng as _;

/// Longest `Retry-After` the outbox waits for. A partner asking for more is not waited for: the
/// entry fails with the partner's value, for the officer to retry when it suits them.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// Why a `Retry-After` is not waited for, when it asks for more than [`MAX_RETRY_AFTER`].
pub fn retry_after_not_waited_for(retry_after: Option<Duration>) -> Option<String> {
    let asked = retry_after.filter(|asked| *asked > MAX_RETRY_AFTER)?;
    Some(format!("the partner asked to retry after {} s; not waited for (more than an hour)", asked.as_secs()))
}

/// How failed attempts that are safe to retry are spaced, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Upper bound of the first wait.
    pub base: Duration,
    /// Growth of the upper bound per attempt.
    pub factor: f64,
    /// Largest upper bound (a `Retry-After` may still ask for longer, and is honoured).
    pub max_delay: Duration,
    /// Tries (each a fetch for the lost-update check and/or a send) before the entry is
    /// `Failed`; the officer can then retry it, which starts a new count.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 1 s, ×2, capped at 60 s, 10 attempts.
    fn default() -> Self {
        Self { base: Duration::from_secs(1), factor: 2.0, max_delay: Duration::from_secs(60), max_attempts: 10 }
    }
}

impl RetryPolicy {
    /// Upper bound of the wait after the `attempt`-th failed try (1-based):
    /// `min(max_delay, base × factor^(attempt-1))`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(1_000) as i32;
        let factor = if self.factor.is_finite() && self.factor >= 1.0 { self.factor } else { 1.0 };
        let secs = self.base.as_secs_f64() * factor.powi(exponent);
        let cap = self.max_delay.as_secs_f64();
        if !secs.is_finite() || secs >= cap {
            self.max_delay
        } else {
            Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or(self.max_delay)
        }
    }

    /// The wait after the `attempt`-th failed try: uniformly random in `[0, ceiling]` ("full
    /// jitter", so many clients do not retry in step), and never less than `retry_after` (up to
    /// [`MAX_RETRY_AFTER`]).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let ceiling = self.ceiling(attempt);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        let jittered = Duration::from_millis(rand::rng().random_range(0..=millis));
        jittered.max(retry_after.unwrap_or(Duration::ZERO).min(MAX_RETRY_AFTER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_grows_then_caps() {
        let policy = RetryPolicy::default();
        let secs: Vec<u64> = (1..=9).map(|n| policy.ceiling(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(policy.ceiling(u32::MAX), Duration::from_secs(60));
        assert_eq!(policy.ceiling(0), Duration::from_secs(1));
        let odd = RetryPolicy { factor: f64::NAN, ..policy };
        assert_eq!(odd.ceiling(5), Duration::from_secs(1));
    }

    #[test]
    fn delay_is_jittered_within_the_ceiling_and_honours_retry_after() {
        let policy = RetryPolicy { base: Duration::from_millis(100), factor: 2.0, max_delay: Duration::from_millis(300), max_attempts: 3 };
        let delays: Vec<Duration> = (0..200).map(|_| policy.delay(3, None)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(300)));
        assert!(delays.iter().any(|d| *d != delays[0]), "jittered");
        for _ in 0..50 {
            assert!(policy.delay(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
        }
        assert_eq!(policy.delay(1, Some(Duration::from_secs(36_000))), MAX_RETRY_AFTER);
    }

    #[test]
    fn retry_after_beyond_an_hour_is_not_waited_for() {
        assert_eq!(retry_after_not_waited_for(None), None);
        assert_eq!(retry_after_not_waited_for(Some(MAX_RETRY_AFTER)), None);
        assert_eq!(
            retry_after_not_waited_for(Some(Duration::from_secs(36_000))).as_deref(),
            Some("the partner asked to retry after 36000 s; not waited for (more than an hour)")
        );
    }
}
