//! Drives the runtime against a mock HTTP server: what goes on the wire, and
//! how answers, failures and timeouts come back. Retries are tested in one place,
//! `tests/tests/retries.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use face_sdk::runtime::{self, CallOptions, OperationRequest, UploadProgress};
use face_sdk::{Body, Error, FaceClient, RetryPolicy};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "test-subscription-key-0123456789";

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
}

fn client_at(endpoint: &str, retry: RetryPolicy) -> FaceClient {
    FaceClient::builder(endpoint)
        .api_key(KEY)
        .retry(retry)
        .build()
        .unwrap()
}

fn client(server: &MockServer, retry: RetryPolicy) -> FaceClient {
    client_at(&server.uri(), retry)
}

async fn answer(server: &MockServer, response: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(server)
        .await;
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

fn group_request() -> OperationRequest {
    let mut request = OperationRequest::new("Face_Group", Method::POST, "/face/v1.0/group", 200);
    request
        .json_body(&serde_json::json!({"faceIds": ["a", "b"]}))
        .unwrap();
    request
}

fn error_body(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"error": {"code": code, "message": message}})
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct SimilarFace {
    face_id: String,
    confidence: f64,
}

#[tokio::test]
async fn json_call_on_the_wire() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!([{"faceId": "f1", "confidence": 0.75}])),
    )
    .await;
    let client = client_at(&format!("{}/", server.uri()), fast_retries());
    let mut request = OperationRequest::new(
        "Face_FindSimilar",
        Method::POST,
        "/face/v1.0/findsimilars",
        200,
    );
    request.query("returnFaceId", &true);
    request.query_list("returnFaceAttributes", ["age", "glasses"]);
    request.query("userData", "a b/c,d");
    request.header_param("X-Spec-Header", &7);
    request
        .json_body(&serde_json::json!({"faceId": "f0", "faceIds": ["f1"]}))
        .unwrap();
    let mut options = CallOptions::default();
    options.set_header("X-Call", "yes");

    let response = runtime::send_json::<Vec<SimilarFace>>(&client, request, options)
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.body(),
        &[SimilarFace {
            face_id: "f1".into(),
            confidence: 0.75
        }]
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), "/face/v1.0/findsimilars");
    assert_eq!(
        sent.url.query(),
        Some("returnFaceId=true&returnFaceAttributes=age,glasses&userData=a%20b%2Fc%2Cd")
    );
    assert_eq!(header(sent, "ocp-apim-subscription-key"), Some(KEY));
    assert_eq!(header(sent, "accept"), Some("application/json"));
    assert_eq!(
        header(sent, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(header(sent, "x-spec-header"), Some("7"));
    assert_eq!(header(sent, "x-call"), Some("yes"));
    assert_eq!(sent.body, br#"{"faceId":"f0","faceIds":["f1"]}"#);
}

#[tokio::test]
async fn path_params_are_encoded_and_no_query_means_no_question_mark() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"faceListId": "x"})),
    )
    .await;
    let client = client(&server, fast_retries());
    let mut request = OperationRequest::new(
        "FaceList_Get",
        Method::GET,
        "/face/v1.0/facelists/{faceListId}",
        200,
    );
    request.path_param("faceListId", "a b/c");

    runtime::send_json::<serde_json::Value>(&client, request, CallOptions::default())
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].url.path(), "/face/v1.0/facelists/a%20b%2Fc");
    assert_eq!(requests[0].url.query(), None);
    assert!(!requests[0].url.as_str().contains('?'));
    assert!(requests[0].body.is_empty());
}

#[tokio::test]
async fn binary_body_with_progress() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/face/v1.0/detect"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = client(&server, fast_retries());
    let image: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
    let mut request = OperationRequest::new(
        "Face_DetectWithStream",
        Method::POST,
        "/face/v1.0/detect",
        200,
    );
    request.binary_body(Body::from(image.clone()));
    let last = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&last);
    let mut options = CallOptions::default();
    options.set_upload_progress(move |progress: UploadProgress| {
        assert_eq!(progress.total, Some(200_000));
        seen.store(progress.sent, Ordering::SeqCst);
    });
    // Fails fast instead of stalling if the body were not sent.
    options.set_timeout(Duration::from_secs(5));

    let response = runtime::send_json::<Vec<serde_json::Value>>(&client, request, options)
        .await
        .unwrap();

    assert!(response.into_body().is_empty());
    assert_eq!(last.load(Ordering::SeqCst), 200_000);
    let sent = &received(&server).await[0];
    assert_eq!(
        header(sent, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(header(sent, "content-length"), Some("200000"));
    assert_eq!(sent.body, image);
}

#[tokio::test]
async fn streams_with_and_without_a_known_length() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(202)).await;
    let client = client(&server, fast_retries());
    for len in [Some(6), None] {
        let chunks = futures_util::stream::iter([
            Ok(Bytes::from_static(b"abc")),
            Ok(Bytes::from_static(b"def")),
        ]);
        let mut request = OperationRequest::new("Thing_Upload", Method::POST, "/upload", 202);
        request.binary_body(Body::from_stream(chunks, len));
        runtime::send_empty(&client, request, CallOptions::default())
            .await
            .unwrap();
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(header(&requests[0], "content-length"), Some("6"));
    assert_eq!(header(&requests[1], "content-length"), None);
    assert!(requests.iter().all(|request| request.body == b"abcdef"));
}

#[tokio::test]
async fn accepted_with_operation_location_and_an_empty_post() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(202).insert_header(
            "Operation-Location",
            "https://host.test/face/v1.0/operations/1",
        ),
    )
    .await;
    let client = client(&server, fast_retries());
    let mut request = OperationRequest::new(
        "PersonGroup_Train",
        Method::POST,
        "/face/v1.0/persongroups/{personGroupId}/train",
        202,
    );
    request.path_param("personGroupId", "group-1");

    let response = runtime::send_empty(&client, request, CallOptions::default())
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        response.operation_location(),
        Some("https://host.test/face/v1.0/operations/1")
    );
    let sent = &received(&server).await[0];
    assert_eq!(sent.url.path(), "/face/v1.0/persongroups/group-1/train");
    assert_eq!(header(sent, "content-length"), Some("0"));
    assert_eq!(header(sent, "content-type"), None);
}

#[tokio::test]
async fn another_success_status_is_a_service_error() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200)).await;
    let client = client(&server, fast_retries());
    let request = OperationRequest::new("PersonGroup_Train", Method::POST, "/train", 202);

    let error = runtime::send_empty(&client, request, CallOptions::default())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::OK));
    assert!(matches!(error, Error::Service(_)));
}

#[tokio::test]
async fn the_client_timeout_applies_without_a_call_timeout() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let error = runtime::send_empty(&client, group_request(), CallOptions::default())
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Timeout { after } if after == Duration::from_millis(50)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_non_json_500_keeps_an_excerpt() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(500)
            .set_body_string("<html>\n<h1>Internal Server Error</h1>\n</html>"),
    )
    .await;
    let client = client(&server, RetryPolicy::none());

    let error =
        runtime::send_json::<serde_json::Value>(&client, group_request(), CallOptions::default())
            .await
            .unwrap_err();

    let service = error.service_error().expect("a service error");
    assert_eq!(service.code, None);
    assert_eq!(
        service.body_excerpt.as_deref(),
        Some("<html> <h1>Internal Server Error</h1> </html>")
    );
    assert_eq!(
        error.to_string(),
        "the service answered 500 Internal Server Error: <html> <h1>Internal Server Error</h1> </html>"
    );
}

#[tokio::test]
async fn an_empty_502_says_so() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(502)).await;
    let client = client(&server, RetryPolicy::none());

    let error = runtime::send_empty(&client, group_request(), CallOptions::default())
        .await
        .unwrap_err();

    assert_eq!(
        error.to_string(),
        "the service answered 502 Bad Gateway: empty body"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_string(r#"{"not": "a list"}"#),
    )
    .await;
    let client = client(&server, fast_retries());

    let error =
        runtime::send_json::<Vec<SimilarFace>>(&client, group_request(), CallOptions::default())
            .await
            .unwrap_err();

    let Error::Decode {
        status, excerpt, ..
    } = &error
    else {
        panic!("not a decode error: {error:?}");
    };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(excerpt, r#"{"not": "a list"}"#);
    assert!(!error.is_retryable());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn invalid_requests_fail_before_sending() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200)).await;
    let client = client(&server, fast_retries());

    let mut options = CallOptions::default();
    options.set_header("Ocp-Apim-Subscription-Key", "someone-else");
    let key_override = runtime::send_empty(&client, group_request(), options)
        .await
        .unwrap_err();
    let mut options = CallOptions::default();
    options.set_header("X-Bad", "line\nbreak");
    let bad_value = runtime::send_empty(&client, group_request(), options)
        .await
        .unwrap_err();
    let mut request = OperationRequest::new(
        "FaceList_Get",
        Method::GET,
        "/face/v1.0/facelists/{faceListId}",
        200,
    );
    request.path_param("faceListId", "..");
    let dot_dot = runtime::send_empty(&client, request, CallOptions::default())
        .await
        .unwrap_err();

    for error in [key_override, bad_value, dot_dot] {
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_key_never_shows_in_errors() {
    let server = MockServer::start().await;
    let echo = format!("your key {KEY} is not valid");
    answer(
        &server,
        ResponseTemplate::new(401).set_body_json(error_body("401", &echo)),
    )
    .await;
    let client = client(&server, fast_retries());

    let error = runtime::send_empty(&client, group_request(), CallOptions::default())
        .await
        .unwrap_err();

    let text = format!("{error} {error:?} {client:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("<redacted>"));
}
