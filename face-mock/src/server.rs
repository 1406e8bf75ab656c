//! Running the emulator on a loopback port, and stopping it.

use std::net::SocketAddr;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::app::App;
use crate::clock::Clock;
use crate::config::MockConfig;
use crate::error::ApiError;
use crate::http::controls::LivenessAttempt;
use crate::http::faults::Fault;

/// Why an emulator could not start.
#[derive(Debug)]
pub enum StartError {
    /// The OpenAPI document could not be read into checks.
    Spec(String),
    /// The seed could not be applied.
    Seed(String),
    /// The listening socket could not be opened.
    Bind(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Spec(message) => write!(f, "spec: {message}"),
            Self::Seed(message) => write!(f, "{message}"),
            Self::Bind(error) => write!(f, "bind: {error}"),
        }
    }
}

impl std::error::Error for StartError {}

/// Builds the emulator's router for in-process use (e.g. with `tower::ServiceExt::oneshot`).
/// Routes are under each served version's base path: `/face/v1.0`, `/face/v1.2` and
/// `/face/v1.3-preview.1`.
pub fn router(config: &MockConfig) -> Result<axum::Router, StartError> {
    crate::http::router::router(App::new(config)?)
}

/// A running emulator; dropping it shuts it down.
#[derive(Debug)]
pub struct MockServer {
    endpoint: String,
    address: SocketAddr,
    key: String,
    clock: Clock,
    account: Uuid,
    app: App,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts an emulator on `127.0.0.1` at a free port. Must be called within a Tokio runtime.
    pub async fn start(config: MockConfig) -> Result<Self, StartError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts an emulator on the given address (port 0 picks a free one).
    pub async fn start_on(config: MockConfig, address: SocketAddr) -> Result<Self, StartError> {
        let app = App::new(&config)?;
        let account = app.account;
        let router = crate::http::router::router(app.clone())?;
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(StartError::Bind)?;
        let address = listener.local_addr().map_err(StartError::Bind)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::http::serve::serve(
            listener,
            router,
            config.header_timeout,
            stopped,
        ));
        Ok(Self {
            endpoint: format!("http://{address}"),
            address,
            key: config.key,
            clock: config.clock,
            account,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The endpoint to give a client, e.g. `http://127.0.0.1:41234` (without `/face/v1.0`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The address the emulator listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The subscription key the emulator accepts.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The emulator's clock; advance it when it is a manual clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The account id the emulator reports on snapshots.
    pub fn account_id(&self) -> Uuid {
        self.account
    }

    /// A bearer token the emulator accepts besides the key, if it accepts a listed one.
    pub fn bearer_token(&self) -> Option<&str> {
        match &self.app.tokens {
            crate::BearerTokens::Listed(tokens) => tokens.first().map(String::as_str),
            crate::BearerTokens::Any => None,
        }
    }

    /// Makes chosen operations answer with a fault (see [`Fault`]), after the
    /// faults already set; the same as `POST /face-mock/faults` with the fault as JSON.
    /// A fault for an operation the spec does not have is refused.
    pub fn inject(&self, fault: Fault) -> Result<(), String> {
        if let Some(problem) = fault.problem(&self.app.operation_ids()) {
            return Err(problem);
        }
        self.app.faults.add(fault);
        Ok(())
    }

    /// Finishes a liveness (or liveness-with-verify) session with one attempt,
    /// as the end user's device would; the same as `POST
    /// /face-mock/liveness-sessions/{sessionId}/attempts` with the attempt as JSON.
    pub fn finish_liveness_session(
        &self,
        session_id: &str,
        attempt: LivenessAttempt,
    ) -> Result<(), ApiError> {
        crate::http::controls::finish(&self.app, session_id, attempt)
    }

    /// Clears every fault; the same as `DELETE /face-mock/faults`.
    pub fn clear_faults(&self) {
        self.app.faults.clear();
    }

    /// Stops accepting connections and waits until open ones are done.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
