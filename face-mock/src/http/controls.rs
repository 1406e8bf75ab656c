//! Test controls under the reserved prefix `/face-mock`: finishing a liveness
//! session the way a device would (faults are in `faults.rs`).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

use crate::app::App;
use crate::error::ApiError;
use crate::handlers::liveness::{self, DeviceAttempt};

/// Where a liveness session is finished: `POST` with a [`LivenessAttempt`] as JSON.
pub const LIVENESS_ATTEMPTS_PATH: &str = "/face-mock/liveness-sessions/{sessionId}/attempts";

/// The IP address a device calls from when the attempt names none (the loopback address the
/// emulator serves on); v1.3-preview.1 answers it in each attempt's `clientInformation`.
pub const DEFAULT_CLIENT_IP: &str = "127.0.0.1";

/// How a device finishes a liveness session: its decision, the person in
/// front of the camera (as in the `FACE-MOCK:person=` image tag), whose face a
/// liveness-with-verify session compares with its reference image, and the IP
/// address it calls from. A session created with `numberOfClientAttemptsAllowed`
/// (v1.3-preview.1) takes that many attempts; the next is refused with 409
/// `AttemptsExhausted`. A session created without it takes any number.
///
/// As JSON: `{"livenessDecision": "realface", "person": "alice", "clientIp": "203.0.113.7"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LivenessAttempt {
    /// One of the spec's `LivenessDecision` values: `realface`, `spoofface` or `uncertain`.
    pub liveness_decision: String,
    /// The person shown; none is someone seen in no other image.
    #[serde(default)]
    pub person: Option<String>,
    /// The IP address the device calls from; none is [`DEFAULT_CLIENT_IP`].
    #[serde(default)]
    pub client_ip: Option<String>,
}

impl LivenessAttempt {
    /// A live person.
    pub fn real() -> Self {
        Self::decided("realface")
    }

    /// A spoof (a photo, a screen, a mask).
    pub fn spoof() -> Self {
        Self::decided("spoofface")
    }

    /// Neither could be decided.
    pub fn uncertain() -> Self {
        Self::decided("uncertain")
    }

    fn decided(decision: &str) -> Self {
        Self {
            liveness_decision: decision.to_string(),
            person: None,
            client_ip: None,
        }
    }

    /// The person in front of the camera, e.g. `alice`: a verify image tagged
    /// `FACE-MOCK:person=alice` matches, any other does not.
    #[must_use]
    pub fn showing(mut self, person: impl Into<String>) -> Self {
        self.person = Some(person.into());
        self
    }

    /// The IP address the device calls from, e.g. `203.0.113.7`.
    #[must_use]
    pub fn from_address(mut self, address: impl Into<String>) -> Self {
        self.client_ip = Some(address.into());
        self
    }
}

/// Finishes `session_id` with `attempt`, checking the decision against the specs' values.
pub(crate) fn finish(
    app: &App,
    session_id: &str,
    attempt: LivenessAttempt,
) -> Result<(), ApiError> {
    let known = app
        .specs
        .iter()
        .flat_map(|spec| spec.enum_values("LivenessDecision"))
        .find(|value| value.eq_ignore_ascii_case(&attempt.liveness_decision))
        .cloned()
        .ok_or_else(|| {
            ApiError::bad_argument(format!(
                "'{}' is not a liveness decision of the spec.",
                attempt.liveness_decision
            ))
        })?;
    let device = DeviceAttempt {
        decision: known,
        person: attempt.person,
        client_ip: attempt
            .client_ip
            .unwrap_or_else(|| DEFAULT_CLIENT_IP.to_owned()),
    };
    liveness::finish(app, session_id, device)
}

/// The control routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route(LIVENESS_ATTEMPTS_PATH, post(finish_over_http))
}

async fn finish_over_http(
    State(app): State<App>,
    Path(session_id): Path<String>,
    body: Bytes,
) -> Response {
    let attempt: LivenessAttempt = match serde_json::from_slice(&body) {
        Ok(attempt) => attempt,
        Err(problem) => {
            return ApiError::bad_argument(format!("Invalid attempt: {problem}.")).into_response();
        }
    };
    match finish(&app, &session_id, attempt) {
        Ok(()) => crate::error::empty_response(axum::http::StatusCode::NO_CONTENT),
        Err(error) => error.into_response(),
    }
}
