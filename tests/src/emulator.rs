//! Helpers of the tests that drive the SDK against the `face-mock` emulator, started
//! in-process: a server and a client of it, the tagged photos and images the emulator
//! reads a person from, and assertions on the service errors it answers.
//!
//! The emulator's images say which person they show with a `FACE-MOCK:person=<name>` tag
//! (in the URL, or in a JPEG comment of uploaded bytes): two images of the same name show
//! the same person.

use face_mock::{MockConfig, MockServer};
use face_sdk::v1_0::models::RecognitionModel;
use face_sdk::{Error, FaceClient, ServiceError};

/// The recognition model of every list, group and detection of the emulator tests.
pub const MODEL: RecognitionModel = RecognitionModel::Recognition04;

/// An emulator whose trainings and operations finish at once, and a client of it.
pub async fn start() -> (MockServer, FaceClient) {
    start_with(MockConfig::new().with_training_polls(0)).await
}

/// An emulator of `config`, and a client of it with its key.
pub async fn start_with(config: MockConfig) -> (MockServer, FaceClient) {
    let server = MockServer::start(config)
        .await
        .expect("the emulator starts");
    let client = FaceClient::new(server.endpoint(), server.key()).expect("a valid client");
    (server, client)
}

pub use face_mock::tagged_jpeg;

/// The URL of photo `n` of `person`, tagged so the emulator knows who it shows.
pub fn photo(person: &str, n: u32) -> String {
    format!("https://example.com/{person}-{n}.jpg?FACE-MOCK:person%3D{person}")
}

/// Detects the one face of an image URL with [`MODEL`] and returns its face id.
pub async fn face_of(client: &FaceClient, url: &str) -> face_sdk::v1_0::models::FaceId {
    let faces = client
        .v1_0()
        .face()
        .detect_with_url(url)
        .recognition_model(MODEL)
        .await
        .expect("detect succeeds");
    assert_eq!(faces.len(), 1, "one face in {url}");
    faces[0].face_id.expect("a face id is returned by default")
}

/// The service error inside `error`, failing the test if it is another kind of error.
#[track_caller]
pub fn service(error: Error) -> ServiceError {
    match error {
        Error::Service(service) => service,
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// Asserts that `result` failed with the service's `status` and `code`, and that the
/// service's message is kept.
#[track_caller]
pub fn assert_service<T: std::fmt::Debug>(result: Result<T, Error>, status: u16, code: &str) {
    let error = match result {
        Err(error) => service(error),
        Ok(value) => panic!("expected a {status} {code} service error, got {value:?}"),
    };
    assert_eq!(error.status.as_u16(), status, "{error}");
    assert_eq!(error.code.as_deref(), Some(code), "{error}");
    assert!(
        error
            .message
            .as_deref()
            .is_some_and(|message| !message.is_empty()),
        "the service's message is kept: {error:?}"
    );
}

/// Asserts that `result` is the 404 service error with `code` (what get answers after a
/// delete).
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T, Error>, code: &str) {
    assert_service(result, 404, code);
}
