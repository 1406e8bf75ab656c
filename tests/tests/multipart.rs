//! `multipart/form-data` bodies on the wire: part names, file names, content
//! types and bytes, in order; retries of replayable forms; upload progress.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use face_sdk::runtime::{self, CallOptions, OperationRequest, UploadProgress};
use face_sdk::{Body, Error, Response};
use face_sdk_tests::{
    answer_json, boundary, client, client_without_retries, expect_no_request, header, image,
    only_request, received,
};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A session request with a text field, a number field and an image.
fn session_request(image: Body) -> OperationRequest {
    let mut request = OperationRequest::new(
        "LivenessSession_CreateWithVerify",
        Method::POST,
        "/face/v1.2/detectLivenessWithVerify-sessions",
        200,
    );
    request.multipart_text("livenessOperationMode", "Passive");
    request.multipart_text("deviceCorrelationId", &42);
    request.multipart_file("verifyImage", "image/jpeg", image);
    request
}

async fn send(
    client: &face_sdk::FaceClient,
    request: OperationRequest,
    options: CallOptions,
) -> Result<Response<Value>, Error> {
    runtime::send_json(client, request, options).await
}

/// What the session request above looks like on the wire.
fn expected_body(boundary: &str, image: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\n\
         Content-Disposition: form-data; name=\"livenessOperationMode\"\r\n\r\n\
         Passive\r\n\
         --{boundary}\r\n\
         Content-Disposition: form-data; name=\"deviceCorrelationId\"\r\n\r\n\
         42\r\n\
         --{boundary}\r\n\
         Content-Disposition: form-data; name=\"verifyImage\"; filename=\"verifyImage\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn parts_go_in_order_with_their_names_content_types_and_exact_bytes() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"sessionId": "s1"})).await;
    let image = image(70_000);

    send(
        &client(&server),
        session_request(Body::from(image.clone())),
        CallOptions::default(),
    )
    .await
    .unwrap();

    let request = only_request(&server).await;
    let boundary = boundary(&request);
    assert!(boundary.len() >= 32, "a random boundary: {boundary}");
    assert_eq!(request.body, expected_body(&boundary, &image));
    let length = request.body.len().to_string();
    assert_eq!(header(&request, "content-length"), Some(length.as_str()));
    assert_eq!(header(&request, "accept"), Some("application/json"));
}

#[tokio::test]
async fn a_stream_part_of_unknown_length_is_sent_chunked_and_intact() {
    let server = MockServer::start().await;
    answer_json(&server, json!({})).await;
    let image = image(200_000);
    let chunks: Vec<Result<Bytes, std::io::Error>> = image
        .chunks(30_000)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks), None);

    send(
        &client(&server),
        session_request(body),
        CallOptions::default(),
    )
    .await
    .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.body, expected_body(&boundary(&request), &image));
    assert_eq!(header(&request, "content-length"), None);
}

#[tokio::test]
async fn an_in_memory_form_is_sent_again_on_a_retry() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer_json(&server, json!({})).await;

    send(
        &client(&server),
        session_request(Body::from(image(5_000))),
        CallOptions::default(),
    )
    .await
    .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[0].body,
        expected_body(&boundary(&requests[0]), &image(5_000))
    );
}

#[tokio::test]
async fn a_form_with_a_one_shot_stream_is_not_retried() {
    let server = MockServer::start().await;
    face_sdk_tests::answer(&server, ResponseTemplate::new(503)).await;
    let chunks = futures_util::stream::iter([Ok(Bytes::from(image(100)))]);

    let error = send(
        &client(&server),
        session_request(Body::from_stream(chunks, Some(100))),
        CallOptions::default(),
    )
    .await
    .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn upload_progress_covers_the_whole_form() {
    let server = MockServer::start().await;
    answer_json(&server, json!({})).await;
    let reports = Arc::new(Mutex::new(Vec::<UploadProgress>::new()));
    let seen = Arc::clone(&reports);
    let mut options = CallOptions::default();
    options.set_upload_progress(move |progress| seen.lock().unwrap().push(progress));

    send(
        &client_without_retries(&server),
        session_request(Body::from(image(200_000))),
        options,
    )
    .await
    .unwrap();

    let length = only_request(&server).await.body.len() as u64;
    let reports = reports.lock().unwrap();
    assert!(reports.len() > 4, "the image in 64 KiB chunks: {reports:?}");
    assert!(reports.windows(2).all(|pair| pair[0].sent < pair[1].sent));
    assert!(reports.iter().all(|report| report.total == Some(length)));
    assert_eq!(reports.last().map(|report| report.sent), Some(length));
}

#[tokio::test]
async fn a_content_type_that_is_not_a_header_value_fails_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let mut request = session_request(Body::from(image(10)));
    request.multipart_file(
        "other",
        "image/jpeg\r\nX-Injected: yes",
        Body::from(image(10)),
    );

    let error = send(&client(&server), request, CallOptions::default())
        .await
        .unwrap_err();

    face_sdk_tests::assert_invalid(&error, "other", &["content type"]);
}
