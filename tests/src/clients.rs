//! Clients aimed at a loopback server, and request values shaped like the service's.

use std::sync::Arc;
use std::time::Duration;

use face_sdk::FaceClient;
use face_sdk::RetryPolicy;
use face_sdk::v1_2::ServiceVersion;
use uuid::Uuid;
use wiremock::MockServer;

use crate::CountingCredential;
use crate::KEY;
use crate::Shared;

/// A client of `endpoint` with `credential` and fast retries.
pub fn token_client(endpoint: &str, credential: &Arc<CountingCredential>) -> FaceClient {
    FaceClient::builder(endpoint)
        .credential(Shared(Arc::clone(credential)))
        .retry(fast_retries())
        .build()
        .expect("a valid client")
}

/// Retries as by default, with backoffs of a few milliseconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
}

/// A client of `endpoint` with the test key and `retry`.
pub fn client_at(endpoint: &str, retry: RetryPolicy) -> FaceClient {
    FaceClient::builder(endpoint)
        .api_key(KEY)
        .retry(retry)
        .build()
        .expect("a valid client")
}

/// A client of the mock server with fast retries.
pub fn client(server: &MockServer) -> FaceClient {
    client_at(&server.uri(), fast_retries())
}

/// A client of the mock server with fast retries that calls the v1.2 family at `version`.
pub fn client_at_version(server: &MockServer, version: ServiceVersion) -> FaceClient {
    FaceClient::builder(&server.uri())
        .api_key(KEY)
        .retry(fast_retries())
        .service_version(version)
        .build()
        .expect("a valid client")
}

/// A client of the mock server that never retries.
pub fn client_without_retries(server: &MockServer) -> FaceClient {
    client_at(&server.uri(), RetryPolicy::none())
}

/// A face id (or person id) that differs by `n`, shaped like the service's.
pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(0xc5c2_4a82_6845_4031_9d5d_978d_f917_5400 + n)
}

/// `len` bytes that start like a JPEG file.
pub fn image(len: usize) -> Vec<u8> {
    let header = [
        0xff_u8, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
    ];
    (0..len)
        .map(|i| header.get(i).copied().unwrap_or((i * 31 % 251) as u8))
        .collect()
}

/// A v1.2 liveness session with id `session_id` that has not started: the smallest body
/// that `LivenessSession` decodes.
pub fn liveness_session_body(session_id: &str) -> serde_json::Value {
    serde_json::json!({
        "sessionId": session_id,
        "authToken": "session-auth-token",
        "status": "NotStarted",
        "results": {"attempts": []},
    })
}

/// A v1.2 liveness-with-verify session with id `session_id` that has not started: the
/// smallest body that `LivenessWithVerifySession` decodes.
pub fn liveness_with_verify_session_body(session_id: &str) -> serde_json::Value {
    let mut body = liveness_session_body(session_id);
    body["results"]["verifyReferences"] = serde_json::json!([]);
    body
}
