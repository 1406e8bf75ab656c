//! Response bodies are read within the client's limit: a larger success
//! body ends the call at once with `Error::ResponseTooLarge`; error bodies are
//! cut at 64 KiB and still give the service's error.

use face_sdk::runtime::{self, CallOptions, OperationRequest};
use face_sdk::{DEFAULT_MAX_RESPONSE_BODY, Error, FaceClient, RetryPolicy};
use face_sdk_tests::{KEY, RawReply, RawServer, answer, client_without_retries, received};
use reqwest::Method;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

const LIMIT: u64 = 1024 * 1024;

fn limited(endpoint: &str, limit: u64) -> FaceClient {
    FaceClient::builder(endpoint)
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .max_response_body(limit)
        .build()
        .unwrap()
}

fn assert_too_large(error: &Error, status: u16, limit: u64) {
    let Error::ResponseTooLarge {
        status: actual,
        limit: named,
    } = error
    else {
        panic!("expected ResponseTooLarge, got {error:?}");
    };
    assert_eq!((actual.as_u16(), *named), (status, limit));
    assert_eq!(
        error.to_string(),
        format!("the response body (status {actual}) is larger than the limit of {limit} bytes")
    );
    assert!(!error.is_retryable());
}

/// A JSON face list whose `userData` makes it `len` bytes long.
fn face_list_of(len: usize) -> String {
    let head = r#"{"faceListId":"staff","name":"Staff","userData":""#;
    let tail = r#"","persistedFaces":[]}"#;
    format!("{head}{}{tail}", "u".repeat(len - head.len() - tail.len()))
}

#[test]
fn the_default_limit_is_64_mib() {
    assert_eq!(DEFAULT_MAX_RESPONSE_BODY, 64 * 1024 * 1024);
    let client = FaceClient::new("https://example.test", KEY).unwrap();
    assert_eq!(client.max_response_body(), DEFAULT_MAX_RESPONSE_BODY);
}

#[tokio::test]
async fn a_success_body_at_the_limit_is_read_and_one_byte_more_is_refused() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(face_list_of(LIMIT as usize), "application/json"),
    )
    .await;

    let at_limit = limited(&server.uri(), LIMIT)
        .v1_0()
        .face_list()
        .get("staff")
        .await;
    let one_less = limited(&server.uri(), LIMIT - 1)
        .v1_0()
        .face_list()
        .get("staff")
        .await;

    assert_eq!(at_limit.unwrap().face_list_id, "staff");
    assert_too_large(&one_less.unwrap_err(), 200, LIMIT - 1);
}

#[tokio::test]
async fn a_200_whose_content_length_passes_the_limit_is_refused_and_not_retried() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(vec![b' '; 3 * LIMIT as usize], "application/json"),
    )
    .await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .retry(face_sdk_tests::fast_retries())
        .max_response_body(LIMIT)
        .build()
        .unwrap();

    let error = client.v1_0().face_list().get("staff").await.unwrap_err();

    assert_too_large(&error, 200, LIMIT);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_chunked_body_that_grows_past_the_limit_is_refused() {
    let chunk = vec![b' '; 64 * 1024];
    let mut reply =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..40 {
        reply.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        reply.extend_from_slice(&chunk);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"0\r\n\r\n");
    let server = RawServer::start(vec![RawReply::Bytes(reply)]).await;

    let error = limited(&server.uri, LIMIT)
        .v1_0()
        .face_list()
        .get("staff")
        .await
        .unwrap_err();

    assert_too_large(&error, 200, LIMIT);
}

#[tokio::test]
async fn send_bytes_keeps_to_the_limit() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(vec![7_u8; LIMIT as usize + 1], "image/jpeg"),
    )
    .await;
    let mut request =
        OperationRequest::new("X_Image", Method::GET, "/face/v1.2/sessionImages/1", 200);
    request.header_param("Accept", "image/jpeg");

    let error = runtime::send_bytes(
        &limited(&server.uri(), LIMIT),
        request,
        CallOptions::default(),
    )
    .await
    .unwrap_err();

    assert_too_large(&error, 200, LIMIT);
}

#[tokio::test]
async fn a_500_whose_body_passes_the_limit_is_still_the_service_error() {
    let server = MockServer::start().await;
    let mut body = b"<html>upstream failed ".to_vec();
    body.extend(vec![b'x'; 2 * LIMIT as usize]);
    answer(
        &server,
        ResponseTemplate::new(500).set_body_raw(body, "text/html"),
    )
    .await;

    let error = limited(&server.uri(), LIMIT)
        .v1_0()
        .face_list()
        .get("staff")
        .await
        .unwrap_err();

    let service = error.service_error().expect("the service's error");
    assert_eq!(service.status.as_u16(), 500);
    let excerpt = service.body_excerpt.as_deref().unwrap();
    assert!(
        excerpt.starts_with("<html>upstream failed xxx") && excerpt.len() <= 512,
        "{excerpt}"
    );
}

#[tokio::test]
async fn an_error_body_of_60_kib_keeps_its_code_and_message() {
    let server = MockServer::start().await;
    let message = format!("Invalid userData: {}", "z".repeat(60 * 1024));
    answer(
        &server,
        ResponseTemplate::new(400)
            .set_body_json(json!({"error": {"code": "BadArgument", "message": message}})),
    )
    .await;

    let error = client_without_retries(&server)
        .v1_0()
        .face_list()
        .get("staff")
        .await
        .unwrap_err();

    let service = error.service_error().expect("the service's error");
    assert_eq!(service.code.as_deref(), Some("BadArgument"));
    assert!(
        service
            .message
            .as_deref()
            .unwrap()
            .starts_with("Invalid userData: zzz")
    );
}

/// The session image request, answered as a stream.
async fn image_stream(client: &FaceClient) -> Result<face_sdk::ByteStream, Error> {
    let request = OperationRequest::new("X_Image", Method::GET, "/face/v1.2/sessionImages/1", 200);
    let response = runtime::send_stream(client, request, CallOptions::default()).await?;
    Ok(response.into_body())
}

#[tokio::test]
async fn a_stream_collects_into_bytes_up_to_the_limit_and_not_one_byte_more() {
    let server = MockServer::start().await;
    let served: Vec<u8> = (0..LIMIT).map(|i| (i % 251) as u8).collect();
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(served.clone(), "image/jpeg"),
    )
    .await;

    // `face_sdk::bytes` is the `bytes` crate the SDK's types use.
    let at_limit: face_sdk::bytes::Bytes = image_stream(&limited(&server.uri(), LIMIT))
        .await
        .unwrap()
        .into_bytes()
        .await
        .unwrap();
    let one_less = image_stream(&limited(&server.uri(), LIMIT - 1))
        .await
        .unwrap()
        .into_bytes()
        .await;

    assert!(
        at_limit.as_ref() == served.as_slice(),
        "the body byte for byte"
    );
    assert_too_large(&one_less.unwrap_err(), 200, LIMIT - 1);
}

#[tokio::test]
async fn a_chunked_stream_that_grows_past_the_limit_does_not_collect() {
    let chunk = vec![b'x'; 64 * 1024];
    let mut reply =
        b"HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..17 {
        reply.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        reply.extend_from_slice(&chunk);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"0\r\n\r\n");
    let server =
        RawServer::start(vec![RawReply::Bytes(reply.clone()), RawReply::Bytes(reply)]).await;

    // 17 chunks of 64 KiB: one more than a MiB.
    let error = image_stream(&limited(&server.uri, LIMIT))
        .await
        .unwrap()
        .into_bytes()
        .await
        .unwrap_err();
    let whole = image_stream(&limited(&server.uri, 17 * 64 * 1024))
        .await
        .unwrap()
        .into_bytes()
        .await
        .unwrap();

    assert_too_large(&error, 200, LIMIT);
    assert_eq!(whole.len(), 17 * 64 * 1024);
}

#[tokio::test]
async fn a_stream_partly_read_collects_the_rest() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    let served: Vec<u8> = (0..300_000_u32).map(|i| (i % 253) as u8).collect();
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(served.clone(), "image/jpeg"),
    )
    .await;

    let mut stream = image_stream(&limited(&server.uri(), LIMIT)).await.unwrap();
    let first = stream.next().await.unwrap().unwrap();
    let rest = stream.into_bytes().await.unwrap();

    assert!(!first.is_empty());
    assert!(
        [first.as_ref(), rest.as_ref()].concat() == served,
        "the rest, byte for byte"
    );
}
