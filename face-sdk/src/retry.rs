//! When a failed attempt is tried again, and after how long.

use std::time::{Duration, SystemTime};

use crate::Error;

/// How failed attempts are retried.
///
/// An idempotent request (one that can be applied twice with the effect of
/// once: by default GET, PUT, PATCH and DELETE, and the POSTs the operation
/// marks so, such as the read-only ones) is retried after a timeout, a
/// transport failure or the statuses 408, 429, 500, 502, 503 and 504.
///
/// A request that is not idempotent (by default a POST: creating a person or
/// adding a face creates a new id each time it is applied) is retried only
/// when it surely was not applied: the connection failed before the request
/// was sent, or the service answered 408, 429 or 503 (it refused the request
/// before processing it). It is never retried after a 500, 502 or 504, a
/// timeout or a connection cut after sending, where the first attempt may
/// already have been applied; [`retry_non_idempotent`](Self::retry_non_idempotent)
/// opts in to retrying those too.
///
/// A request whose body is a one-shot stream is never retried. The delay
/// before a retry is the service's `Retry-After` (seconds or HTTP date),
/// capped; without one, an exponential backoff with full jitter. The call's
/// deadline ([`FaceClientBuilder::deadline`](crate::FaceClientBuilder::deadline))
/// bounds it all.
///
/// ```
/// use std::time::Duration;
/// use face_sdk::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200));
/// let never = RetryPolicy::none();
/// # let _ = (policy, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "the setters return the changed policy"]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    max_elapsed: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Up to 3 retries, backoff from 500 ms up to 8 s, `Retry-After` honoured
    /// up to 60 s, no retry that would start more than 90 s after the first
    /// attempt, requests that are not idempotent retried only when surely not applied.
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_mins(1),
            max_elapsed: Duration::from_secs(90),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a failed attempt may be retried (so at most `n + 1` attempts).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The backoff ceiling of the first retry; it doubles on each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait a `Retry-After` header can ask for; longer ones are cut to it.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// No retry starts later than this after the first attempt started.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Whether a request that is not idempotent is also retried after a
    /// failure that may have come after it was applied (500, 502, 504, a
    /// timeout, a cut connection), at the risk of applying it twice, e.g.
    /// creating two persons (default false).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }
}

/// Whether the failed attempt surely was not applied by the service: the
/// connection failed before the request was sent, or the service refused it
/// before processing it (408, 429, 503).
pub(crate) fn surely_not_applied(error: &Error) -> bool {
    match error {
        Error::Service(service) => matches!(service.status.as_u16(), 408 | 429 | 503),
        Error::Transport { source, .. } => source
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_connect),
        _ => false,
    }
}

/// Whether the request may be sent again after `error`, whatever the count
/// and the time: its body can be replayed, and it is idempotent, or the policy
/// says to retry it anyway, or the failed attempt surely was not applied.
pub(crate) fn may_repeat(
    policy: &RetryPolicy,
    error: &Error,
    body_replayable: bool,
    idempotent: bool,
) -> bool {
    body_replayable && (idempotent || policy.retry_non_idempotent || surely_not_applied(error))
}

/// Full-jitter exponential backoff before retry number `retry` (0 for the
/// first): `random` (in `[0, 1)`) times `min(max_backoff, initial * 2^retry)`.
pub(crate) fn backoff_delay(policy: &RetryPolicy, retry: u32, random: f64) -> Duration {
    let ceiling = policy
        .initial_backoff
        .saturating_mul(2_u32.saturating_pow(retry))
        .min(policy.max_backoff);
    let factor = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    Duration::try_from_secs_f64(ceiling.as_secs_f64() * factor)
        .unwrap_or(ceiling)
        .min(ceiling)
}

/// Reads a `Retry-After` value: whole seconds or an HTTP date (a date in the
/// past means no wait).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether to retry after `error`, and after which delay.
///
/// `retries_done` counts the retries already made, `elapsed` the time since
/// the first attempt started, `may_repeat` is [`may_repeat`]'s answer,
/// `random` is a number in `[0, 1)` for the jitter.
pub(crate) fn retry_delay(
    policy: &RetryPolicy,
    retries_done: u32,
    elapsed: Duration,
    error: &Error,
    may_repeat: bool,
    random: f64,
) -> Option<Duration> {
    if retries_done >= policy.max_retries || !may_repeat || !error.is_retryable() {
        return None;
    }
    let retry_after = error
        .service_error()
        .and_then(|service| service.retry_after);
    let delay = match retry_after {
        Some(wait) => wait.min(policy.max_retry_after),
        None => backoff_delay(policy, retries_done, random),
    };
    if elapsed.saturating_add(delay) > policy.max_elapsed {
        return None;
    }
    Some(delay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServiceError;
    use reqwest::StatusCode;

    fn service(status: u16, retry_after: Option<Duration>) -> Error {
        let mut answer = ServiceError::new(StatusCode::from_u16(status).unwrap());
        answer.retry_after = retry_after;
        Error::Service(answer)
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(backoff_delay(&policy, 0, 0.5), Duration::from_millis(250));
        assert_eq!(backoff_delay(&policy, 1, 0.5), Duration::from_millis(500));
        assert_eq!(backoff_delay(&policy, 3, 0.5), Duration::from_secs(2));
        assert_eq!(backoff_delay(&policy, 4, 0.5), Duration::from_secs(4));
        assert_eq!(backoff_delay(&policy, 10, 0.5), Duration::from_secs(4));
        assert_eq!(
            backoff_delay(&policy, u32::MAX, 0.5),
            Duration::from_secs(4)
        );
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let policy = RetryPolicy::default();
        for retry in 0..8 {
            let ceiling = Duration::from_millis(500 * 2_u64.pow(retry)).min(Duration::from_secs(8));
            for _ in 0..200 {
                let delay = backoff_delay(&policy, retry, fastrand::f64());
                assert!(delay <= ceiling, "{delay:?} > {ceiling:?}");
            }
            assert_eq!(backoff_delay(&policy, retry, 0.0), Duration::ZERO);
            assert_eq!(backoff_delay(&policy, retry, 1.0), ceiling);
        }
    }

    #[test]
    fn odd_random_values_and_huge_backoffs_do_not_panic() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        for random in [f64::NAN, f64::INFINITY, -1.0, 2.0, 1.0] {
            let _ = backoff_delay(&policy, 40, random);
        }
        assert_eq!(backoff_delay(&policy, 1, f64::NAN), Duration::ZERO);
    }

    #[test]
    fn retry_after_in_seconds_and_as_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn retry_after_takes_precedence_and_is_capped() {
        let policy = RetryPolicy::default();
        let error = service(429, Some(Duration::from_secs(5)));
        assert_eq!(
            retry_delay(&policy, 0, Duration::ZERO, &error, true, 0.9),
            Some(Duration::from_secs(5))
        );
        let long = service(503, Some(Duration::from_mins(10)));
        assert_eq!(
            retry_delay(&policy, 0, Duration::ZERO, &long, true, 0.9),
            Some(Duration::from_mins(1))
        );
    }

    #[test]
    fn no_retry_when_not_retryable_exhausted_or_one_shot() {
        let policy = RetryPolicy::default();
        let busy = service(503, None);
        assert!(retry_delay(&policy, 0, Duration::ZERO, &busy, true, 0.5).is_some());
        assert!(retry_delay(&policy, 2, Duration::ZERO, &busy, true, 0.5).is_some());
        assert_eq!(
            retry_delay(&policy, 3, Duration::ZERO, &busy, true, 0.5),
            None
        );
        assert_eq!(
            retry_delay(&policy, 0, Duration::ZERO, &busy, false, 0.5),
            None
        );
        assert_eq!(
            retry_delay(&policy, 0, Duration::ZERO, &service(404, None), true, 0.5),
            None
        );
        assert_eq!(
            retry_delay(&RetryPolicy::none(), 0, Duration::ZERO, &busy, true, 0.5),
            None
        );
        let config = Error::Config {
            message: "x".into(),
        };
        assert_eq!(
            retry_delay(&policy, 0, Duration::ZERO, &config, true, 0.5),
            None
        );
    }

    #[test]
    fn transport_errors_and_timeouts_are_retried_with_backoff() {
        let policy = RetryPolicy::default();
        let timeout = Error::Timeout {
            after: Duration::from_secs(30),
        };
        assert_eq!(
            retry_delay(&policy, 1, Duration::ZERO, &timeout, true, 0.5),
            Some(Duration::from_millis(500))
        );
        let transport = Error::Transport {
            message: "m".into(),
            source: "refused".into(),
        };
        assert_eq!(
            retry_delay(&policy, 0, Duration::ZERO, &transport, true, 0.5),
            Some(Duration::from_millis(250))
        );
    }

    #[test]
    fn elapsed_budget_stops_retries() {
        let policy = RetryPolicy::default();
        let error = service(429, Some(Duration::from_secs(20)));
        assert!(retry_delay(&policy, 0, Duration::from_secs(70), &error, true, 0.5).is_some());
        assert_eq!(
            retry_delay(&policy, 0, Duration::from_secs(71), &error, true, 0.5),
            None
        );
    }

    #[test]
    fn setters_change_only_their_own_setting() {
        let base = RetryPolicy::default().max_retries(7);
        let changed = base
            .clone()
            .initial_backoff(Duration::from_millis(3))
            .max_backoff(Duration::from_millis(40))
            .max_retry_after(Duration::from_secs(2))
            .max_elapsed(Duration::from_secs(9))
            .retry_non_idempotent(true);
        assert_eq!(changed.max_retries, 7);
        assert_eq!(changed.initial_backoff, Duration::from_millis(3));
        assert_eq!(changed.max_backoff, Duration::from_millis(40));
        assert_eq!(changed.max_retry_after, Duration::from_secs(2));
        assert_eq!(changed.max_elapsed, Duration::from_secs(9));
        assert!(changed.retry_non_idempotent);
    }

    #[test]
    fn a_request_that_is_not_idempotent_is_repeated_only_when_surely_not_applied() {
        let policy = RetryPolicy::default();
        for status in [408, 429, 503] {
            assert!(
                may_repeat(&policy, &service(status, None), true, false),
                "{status}"
            );
        }
        for status in [500, 502, 504] {
            assert!(
                !may_repeat(&policy, &service(status, None), true, false),
                "{status}"
            );
            assert!(
                may_repeat(&policy, &service(status, None), true, true),
                "{status}"
            );
        }
        let timeout = Error::Timeout {
            after: Duration::from_secs(1),
        };
        let cut = Error::Transport {
            message: "m".into(),
            source: "connection reset".into(),
        };
        for error in [&timeout, &cut] {
            assert!(!may_repeat(&policy, error, true, false));
            assert!(may_repeat(&policy, error, true, true));
            assert!(may_repeat(
                &policy.clone().retry_non_idempotent(true),
                error,
                true,
                false
            ));
        }
        assert!(
            !may_repeat(&policy, &service(503, None), false, true),
            "one-shot body"
        );
    }

    #[test]
    fn defaults() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_retries, 3);
        assert_eq!(policy.initial_backoff, Duration::from_millis(500));
        assert_eq!(policy.max_backoff, Duration::from_secs(8));
        assert_eq!(policy.max_retry_after, Duration::from_mins(1));
        assert_eq!(policy.max_elapsed, Duration::from_secs(90));
        assert!(!policy.retry_non_idempotent);
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }
}
