//! Fault injection: chosen operations answer 429 with `Retry-After`, a 5xx, or
//! slowly, a number of times or until cleared, so a client's retry handling
//! can be tested. Set from a test through [`crate::MockServer::inject`], or over
//! HTTP under the reserved prefix [`FAULTS_PATH`].

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::error::{ApiError, empty_response, json_response};

/// Where faults are set (`POST`), listed (`GET`) and cleared (`DELETE`); outside the API's base paths.
pub const FAULTS_PATH: &str = "/face-mock/faults";

/// Matches every operation.
pub const ANY_OPERATION: &str = "*";

/// A fault: how chosen operations answer instead of (or before) their usual answer.
///
/// ```
/// use std::time::Duration;
/// use face_mock::Fault;
///
/// let throttled = Fault::throttle("Face_Detect", Duration::from_secs(2)).times(3);
/// let failing = Fault::error("Face_Identify", 503);
/// let slow = Fault::slow("*", Duration::from_millis(500)).times(1);
/// # let _ = (throttled, failing, slow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// The `operationId` it applies to (e.g. `Face_Detect`), or `*` for every operation.
    pub operation: String,
    /// The status to answer with: 429, or one from 500 to 599; none answers as usual (after the delay).
    #[serde(default)]
    pub status: Option<u16>,
    /// The `Retry-After` seconds of a 429 (or 503) answer.
    #[serde(default)]
    pub retry_after_seconds: Option<u64>,
    /// How long to wait before answering, in milliseconds.
    #[serde(default)]
    pub delay_milliseconds: u64,
    /// How many requests it applies to; none means until cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    /// 429 `Too Many Requests` with `Retry-After` (whole seconds), until cleared.
    pub fn throttle(operation: impl Into<String>, retry_after: Duration) -> Self {
        Self {
            retry_after_seconds: Some(retry_after.as_secs()),
            ..Self::error(operation, 429)
        }
    }

    /// An error status (a 5xx, or 429) with the service's error body, until cleared.
    pub fn error(operation: impl Into<String>, status: u16) -> Self {
        Self {
            operation: operation.into(),
            status: Some(status),
            retry_after_seconds: None,
            delay_milliseconds: 0,
            times: None,
        }
    }

    /// The usual answer, after `delay`, until cleared.
    pub fn slow(operation: impl Into<String>, delay: Duration) -> Self {
        Self {
            operation: operation.into(),
            status: None,
            retry_after_seconds: None,
            delay_milliseconds: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            times: None,
        }
    }

    /// Applies to the next `times` matching requests only.
    #[must_use]
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Waits `delay` before answering too.
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay_milliseconds = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Why the fault cannot be set, if it cannot.
    pub(crate) fn problem(&self, known: &[&str]) -> Option<String> {
        if self.operation != ANY_OPERATION && !known.contains(&self.operation.as_str()) {
            return Some(format!(
                "'{}' is not an operation of the emulator.",
                self.operation
            ));
        }
        match self.status {
            Some(status) if status != 429 && !(500..=599).contains(&status) => {
                Some("'status' must be 429 or from 500 to 599.".into())
            }
            None if self.delay_milliseconds == 0 => {
                Some("a fault needs a 'status' or a 'delayMilliseconds'.".into())
            }
            _ => None,
        }
    }

    /// The answer it gives instead of the usual one, if any.
    fn answer(&self) -> Option<Response> {
        let status = StatusCode::from_u16(self.status?).ok()?;
        let error = if status == StatusCode::TOO_MANY_REQUESTS {
            let seconds = self.retry_after_seconds.unwrap_or(1);
            ApiError::new(
                status,
                "429",
                format!("Rate limit is exceeded. Try again in {seconds} seconds."),
            )
        } else {
            let code = if status == StatusCode::SERVICE_UNAVAILABLE {
                "ServiceUnavailable"
            } else {
                "InternalServerError"
            };
            ApiError::new(status, code, "The emulator was told to fail this request.")
        };
        let mut response = error.into_response();
        if let Some(seconds) = self.retry_after_seconds {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        Some(response)
    }
}

/// The faults set on one emulator, in the order they were set.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<Vec<Fault>>);

impl Faults {
    /// Adds a fault after those already set.
    pub fn add(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The faults still in force.
    pub fn list(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Takes one use of the first fault that matches `operation`.
    fn take(&self, operation: &str) -> Option<Fault> {
        let mut faults = self.lock();
        let index = faults
            .iter()
            .position(|fault| fault.operation == operation || fault.operation == ANY_OPERATION)?;
        let fault = faults[index].clone();
        match &mut faults[index].times {
            Some(1 | 0) => {
                faults.remove(index);
            }
            Some(times) => *times -= 1,
            None => {}
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Applies the fault set for `operation`, if any: waits its delay, then gives
/// its answer (or none, to answer as usual).
pub(crate) async fn apply(app: &App, operation: &str) -> Option<Response> {
    let fault = app.faults.take(operation)?;
    if fault.delay_milliseconds > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_milliseconds)).await;
    }
    fault.answer()
}

/// `POST` [`FAULTS_PATH`]: sets a fault given as JSON.
pub(crate) async fn set(State(app): State<App>, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(fault) => fault,
        Err(problem) => {
            return ApiError::bad_argument(format!("Invalid fault: {problem}.")).into_response();
        }
    };
    if let Some(problem) = fault.problem(&app.operation_ids()) {
        return ApiError::bad_argument(problem).into_response();
    }
    app.faults.add(fault);
    empty_response(StatusCode::NO_CONTENT)
}

/// `GET` [`FAULTS_PATH`]: the faults in force.
pub(crate) async fn list(State(app): State<App>) -> Response {
    let faults = serde_json::to_value(app.faults.list()).unwrap_or_default();
    json_response(StatusCode::OK, &faults)
}

/// `DELETE` [`FAULTS_PATH`]: clears every fault.
pub(crate) async fn clear(State(app): State<App>) -> Response {
    app.faults.clear();
    empty_response(StatusCode::NO_CONTENT)
}
