//! Binary responses: `send_bytes` returns the body byte for byte, `send_stream`
//! hands it over chunk by chunk; error statuses are service errors, and
//! failures while streaming are typed items of the stream.

use std::time::Duration;

use bytes::Bytes;
use face_sdk::runtime::{self, CallOptions, OperationRequest};
use face_sdk::{ByteStream, Error, FaceClient, Response};
use face_sdk_tests::{
    RawReply, RawServer, answer, client, client_at, fast_retries, header, only_request, received,
};
use futures_util::{StreamExt, TryStreamExt};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every byte value, then a long tail: not text, not JSON.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 256) as u8).collect()
}

fn image_request() -> OperationRequest {
    let mut request = OperationRequest::new(
        "LivenessSession_GetSessionImage",
        Method::GET,
        "/face/v1.2/sessionImages/{sessionImageId}",
        200,
    );
    request.path_param("sessionImageId", "img-1");
    request
}

async fn bytes(client: &FaceClient) -> Result<Response<Bytes>, Error> {
    runtime::send_bytes(client, image_request(), CallOptions::default()).await
}

async fn stream(client: &FaceClient) -> Result<Response<ByteStream>, Error> {
    runtime::send_stream(client, image_request(), CallOptions::default()).await
}

fn jpeg(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "image/jpeg")
}

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404)
        .set_body_json(json!({"error": {"code": "NotFound", "message": "Image not found."}}))
}

#[tokio::test]
async fn send_bytes_returns_the_body_byte_exact() {
    let server = MockServer::start().await;
    answer(&server, jpeg(binary(300_000))).await;

    let response = bytes(&client(&server)).await.unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.body().as_ref(), binary(300_000).as_slice());
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/face/v1.2/sessionImages/img-1");
    assert_eq!(header(&request, "accept"), Some("*/*"));
}

#[tokio::test]
async fn a_request_can_ask_for_its_own_accept() {
    let server = MockServer::start().await;
    answer(&server, jpeg(binary(10))).await;
    let mut request = image_request();
    request.header_param("Accept", "image/jpeg");

    runtime::send_bytes(&client(&server), request, CallOptions::default())
        .await
        .unwrap();

    assert_eq!(
        header(&only_request(&server).await, "accept"),
        Some("image/jpeg")
    );
}

#[tokio::test]
async fn an_error_status_is_a_service_error_for_bytes_and_streams() {
    let server = MockServer::start().await;
    answer(&server, not_found()).await;
    let client = client(&server);

    let from_bytes = bytes(&client).await.unwrap_err();
    let from_stream = stream(&client).await.unwrap_err();

    for error in [from_bytes, from_stream] {
        let service = error.service_error().expect("a service error");
        assert_eq!(service.status.as_u16(), 404);
        assert_eq!(service.code.as_deref(), Some("NotFound"));
        assert_eq!(service.message.as_deref(), Some("Image not found."));
    }
}

#[tokio::test]
async fn send_stream_hands_over_the_body_byte_exact() {
    let server = MockServer::start().await;
    answer(&server, jpeg(binary(1_000_000))).await;

    let response = stream(&client(&server)).await.unwrap();

    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let mut body = response.into_body();
    assert_eq!(format!("{body:?}"), "ByteStream { done: false, .. }");
    let chunks: Vec<Bytes> = (&mut body).try_collect().await.unwrap();
    assert_eq!(chunks.concat(), binary(1_000_000));
    assert_eq!(format!("{body:?}"), "ByteStream { done: true, .. }");
    assert_eq!(header(&only_request(&server).await, "accept"), Some("*/*"));
}

#[tokio::test]
async fn a_stream_is_retried_only_before_the_headers() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    answer(&server, jpeg(binary(1000))).await;

    let response = stream(&client_at(&server.uri(), fast_retries()))
        .await
        .unwrap();

    let chunks: Vec<Bytes> = response.into_body().try_collect().await.unwrap();
    assert_eq!(chunks.concat(), binary(1000));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_connection_cut_mid_stream_is_a_transport_error_item_and_the_end() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: 100000\r\n\r\n";
    let mut reply = head.as_bytes().to_vec();
    reply.extend_from_slice(&binary(10_000));
    let server = RawServer::start(vec![RawReply::Bytes(reply)]).await;

    let mut body = stream(&client_at(&server.uri, fast_retries()))
        .await
        .unwrap()
        .into_body();

    let mut received = 0;
    let error = loop {
        match body.next().await {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error after {received} bytes"),
        }
    };
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(received <= 10_000);
    assert!(body.next().await.is_none(), "an error ends the stream");
    assert_eq!(server.connections(), 1, "not retried");
}

#[tokio::test]
async fn a_stream_that_stalls_ends_with_a_timeout_item() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: 100000\r\n\r\n";
    let mut reply = head.as_bytes().to_vec();
    reply.extend_from_slice(&binary(1_000));
    let server = RawServer::start(vec![RawReply::Stall(reply)]).await;
    let client = FaceClient::builder(&server.uri)
        .api_key(face_sdk_tests::KEY)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let mut body = stream(&client).await.unwrap().into_body();

    let mut last = None;
    while let Some(item) = body.next().await {
        last = Some(item);
    }
    let error = last.expect("an item").unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}
