//! Which failures are tried again, how often, after how long, and which are not.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use face_sdk::{Body, Error, FaceClient, RetryPolicy};
use face_sdk_tests::{
    KEY, RawReply, RawServer, client_at, complete_json_reply, fast_retries, id, image, json_body,
    received,
};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers the next `times` requests with `response`, before any later mount.
async fn first(server: &MockServer, times: u64, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// Answers every request not taken by an earlier mount with `response`.
async fn then(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": {"code": code, "message": message}}))
}

fn throttled(retry_after: &str) -> ResponseTemplate {
    error(429, "429", "Rate limit is exceeded. Try again later.")
        .insert_header("retry-after", retry_after)
}

fn verified() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"isIdentical": true, "confidence": 0.93}))
}

fn fast_client(server: &MockServer) -> FaceClient {
    client_at(&server.uri(), fast_retries())
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_delay() {
    let server = MockServer::start().await;
    first(&server, 1, throttled("1")).await;
    then(&server, verified()).await;
    let started = Instant::now();

    let result = fast_client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    let elapsed = started.elapsed();
    assert!(result.is_identical);
    assert!(
        elapsed >= Duration::from_secs(1),
        "retried after {elapsed:?}, before the asked second"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(json_body(&requests[0]), json_body(&requests[1]));
}

#[tokio::test]
async fn a_retry_after_of_zero_or_a_past_date_retries_at_once() {
    let server = MockServer::start().await;
    first(&server, 1, throttled("0")).await;
    first(&server, 1, throttled("Sun, 06 Nov 1994 08:49:37 GMT")).await;
    then(&server, verified()).await;
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_secs(20))
        .max_backoff(Duration::from_secs(20));
    let started = Instant::now();

    client_at(&server.uri(), policy)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_long_retry_after_is_capped_by_the_policy() {
    let server = MockServer::start().await;
    first(&server, 1, throttled("3600")).await;
    then(&server, verified()).await;
    let policy = fast_retries().max_retry_after(Duration::from_millis(50));
    let started = Instant::now();

    client_at(&server.uri(), policy)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn no_retry_starts_past_the_time_budget() {
    let server = MockServer::start().await;
    first(&server, 1, throttled("30")).await;
    then(&server, verified()).await;
    let policy = fast_retries().max_elapsed(Duration::from_secs(2));
    let started = Instant::now();

    let error = client_at(&server.uri(), policy)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(2));
    let service = error.service_error().expect("the 429 itself");
    assert_eq!(
        (service.status.as_u16(), service.code.as_deref()),
        (429, Some("429"))
    );
    assert_eq!(service.retry_after, Some(Duration::from_secs(30)));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn every_retryable_status_is_retried() {
    let server = MockServer::start().await;
    for status in [408, 429, 500, 502, 503, 504] {
        first(&server, 1, ResponseTemplate::new(status)).await;
    }
    then(&server, verified()).await;

    let policy = fast_retries().max_retries(6);
    client_at(&server.uri(), policy)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    assert_eq!(received(&server).await.len(), 7);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_service_error() {
    let server = MockServer::start().await;
    first(&server, 1, error(500, "InternalServerError", "first")).await;
    first(&server, 1, error(502, "BadGateway", "second")).await;
    first(&server, 1, error(503, "ServiceUnavailable", "third")).await;
    then(&server, verified()).await;

    let policy = fast_retries().max_retries(2);
    let error = client_at(&server.uri(), policy)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    let service = error.service_error().expect("a service error");
    assert_eq!(service.status.as_u16(), 503);
    assert_eq!(
        (service.code.as_deref(), service.message.as_deref()),
        (Some("ServiceUnavailable"), Some("third"))
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3, "max_retries + 1 attempts");
    assert!(
        requests
            .iter()
            .all(|request| request.body == requests[0].body)
    );
}

#[tokio::test]
async fn default_policy_makes_four_attempts_in_all() {
    let server = MockServer::start().await;
    then(
        &server,
        error(503, "ServiceUnavailable", "busy").insert_header("retry-after", "0"),
    )
    .await;

    let error = client_at(&server.uri(), RetryPolicy::default())
        .v1_0()
        .face()
        .identify([id(1)])
        .person_group_id("g")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn in_memory_image_bytes_are_sent_again_on_retry() {
    let server = MockServer::start().await;
    first(&server, 1, ResponseTemplate::new(503)).await;
    then(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let bytes = image(100 * 1024);
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);

    fast_client(&server)
        .v1_0()
        .face()
        .detect_with_stream(bytes.clone())
        .on_upload_progress(move |progress| sink.lock().unwrap().push(progress.sent))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|request| request.body == bytes));
    let reports = reports.lock().unwrap().clone();
    let restarts = reports.windows(2).filter(|pair| pair[1] < pair[0]).count();
    assert_eq!(
        restarts, 1,
        "progress starts again from zero on the retry: {reports:?}"
    );
    assert_eq!(reports.last(), Some(&(bytes.len() as u64)));
}

#[tokio::test]
async fn a_one_shot_stream_is_not_retried() {
    let server = MockServer::start().await;
    first(
        &server,
        1,
        error(503, "ServiceUnavailable", "busy").insert_header("retry-after", "0"),
    )
    .await;
    then(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let bytes = image(4096);
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(bytes.clone()))]);

    let error = fast_client(&server)
        .v1_0()
        .face()
        .detect_with_stream(Body::from_stream(stream, Some(4096)))
        .await
        .unwrap_err();

    let service = error.service_error().expect("the 503");
    assert_eq!(
        (service.status.as_u16(), service.message.as_deref()),
        (503, Some("busy"))
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, bytes);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    first(&server, 1, error(500, "InternalServerError", "boom")).await;
    then(&server, verified()).await;

    let error = client_at(&server.uri(), RetryPolicy::none())
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(error.is_retryable(), "retryable, yet not retried");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried() {
    let server = MockServer::start().await;
    first(&server, 1, verified().set_delay(Duration::from_secs(10))).await;
    then(&server, verified()).await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(150))
        .retry(fast_retries())
        .build()
        .unwrap();

    let result = client
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    assert!(result.is_identical);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn attempts_that_all_time_out_end_in_a_timeout() {
    let server = MockServer::start().await;
    then(&server, verified().set_delay(Duration::from_secs(10))).await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(100))
        .retry(fast_retries().max_retries(2))
        .build()
        .unwrap();

    let error = client
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let body = r#"{"isIdentical":false,"confidence":0.31}"#;
    let server = RawServer::start(vec![RawReply::Close, complete_json_reply("200 OK", body)]).await;

    let result = client_at(&server.uri, fast_retries())
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    assert_eq!((result.is_identical, result.confidence), (false, 0.31));
    assert_eq!(server.connections(), 2);
}
