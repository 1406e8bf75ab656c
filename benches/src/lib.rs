//! Shared pieces of the benchmarks of the Face SDK workspace: realistic detect
//! responses, a loopback server that answers them, the plain `reqwest` client
//! the SDK is measured against, and the reading of criterion's estimates.
//!
//! The benchmarks themselves are in `benches/`: `codegen` (the generator's
//! stages on the whole spec), `detect` (per-call overhead and decoding),
//! `upload` (allocations of a 6 MB upload) and `huge_body` (memory held when a
//! server sends 500 MB). Run them all with `cargo bench -p face-benches`.

pub mod estimates;
pub mod fixtures;
pub mod huge;
pub mod memory;
pub mod plain;
pub mod server;

use bytes::Bytes;
use face_sdk::FaceClient;

pub use plain::PlainClient;
pub use server::{CapturedRequest, LoopbackServer};

/// The subscription key the benchmarks send (the loopback server checks nothing).
pub const KEY: &str = "0123456789abcdef0123456789abcdef";

/// The image URL of the detect-with-URL calls.
pub const IMAGE_URL: &str = "https://example.com/people.jpg";

/// The names under which the loopback server answers, and their bodies:
/// `few` (3 faces), `hundred` (100 faces) and `empty` (no face).
pub fn standard_server() -> LoopbackServer {
    LoopbackServer::start([
        ("few", Bytes::from(fixtures::detect_response(3))),
        ("hundred", Bytes::from(fixtures::detect_response(100))),
        ("empty", Bytes::from(fixtures::detect_response(0))),
    ])
}

/// An SDK client with its default configuration (retries, timeouts, HTTP
/// client), pointed at `endpoint`.
pub fn sdk_client(endpoint: &str) -> FaceClient {
    FaceClient::new(endpoint, KEY).expect("a loopback endpoint is accepted")
}

/// The current-thread runtime the clients run on: one core for the client,
/// the other for the server.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the client's runtime")
}

/// Sends one detect-with-URL request through the SDK and one through the
/// plain client, and returns them as the server saw them.
pub fn capture_both(
    runtime: &tokio::runtime::Runtime,
    server: &LoopbackServer,
    sdk: &FaceClient,
    plain: &PlainClient,
) -> (CapturedRequest, CapturedRequest) {
    server.start_capture();
    let sdk_faces = runtime
        .block_on(sdk.v1_0().face().detect_with_url(IMAGE_URL).send())
        .expect("the SDK call succeeds");
    let plain_faces = runtime
        .block_on(plain.detect_with_url(IMAGE_URL))
        .expect("the plain call succeeds");
    assert_eq!(sdk_faces, plain_faces, "both calls decode the same faces");
    let mut captured = server.take_captured();
    assert_eq!(captured.len(), 2, "the server saw both requests");
    let plain_request = captured.pop().expect("two requests");
    let sdk_request = captured.pop().expect("two requests");
    (sdk_request, plain_request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_and_the_plain_client_send_the_same_request() {
        let server = standard_server();
        let runtime = client_runtime();
        let endpoint = server.endpoint("few");
        let (sdk, plain) = capture_both(
            &runtime,
            &server,
            &sdk_client(&endpoint),
            &PlainClient::new(&endpoint, KEY),
        );
        assert_eq!(sdk, plain);
        assert_eq!(sdk.method, "POST");
        assert_eq!(sdk.uri, "/face/v1.0/detect");
        assert_eq!(
            sdk.body.as_ref(),
            br#"{"url":"https://example.com/people.jpg"}"#
        );
        let names: Vec<&str> = sdk.headers.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "accept",
                "content-length",
                "content-type",
                "host",
                "ocp-apim-subscription-key",
                "user-agent"
            ]
        );
    }

    #[test]
    fn uploads_reach_the_server_whole() {
        let server = standard_server();
        let runtime = client_runtime();
        let endpoint = server.endpoint("empty");
        let image = Bytes::from(vec![0xA5_u8; 4096]);
        server.start_capture();
        let faces = runtime
            .block_on(
                sdk_client(&endpoint)
                    .v1_0()
                    .face()
                    .detect_with_stream(image.clone())
                    .send(),
            )
            .unwrap();
        assert!(faces.is_empty());
        runtime
            .block_on(PlainClient::new(&endpoint, KEY).detect_with_stream(image.clone()))
            .unwrap();
        let captured = server.take_captured();
        assert_eq!(captured.len(), 2);
        assert_eq!(captured[0], captured[1]);
        assert_eq!(captured[0].body, image);
    }
}
