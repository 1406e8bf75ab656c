//! The deadline of a call bounds all of it: attempts, waits and
//! `Retry-After`. A retry whose wait would reach the deadline is not made,
//! and the last attempt's timeout is cut to what is left.

use std::time::{Duration, Instant};

use face_sdk::runtime::{self, CallOptions, OperationRequest};
use face_sdk::{DEFAULT_DEADLINE, Error, FaceClient, RetryPolicy};
use face_sdk_tests::{KEY, answer, expect_no_request, received};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// How late a call may end after its deadline on a loaded machine.
const MARGIN: Duration = Duration::from_secs(1);

fn busy(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(503)
        .insert_header("retry-after", retry_after)
        .set_body_json(json!({"error": {"code": "ServiceUnavailable", "message": "busy"}}))
}

/// Answers after a minute: a server that hangs after taking the request.
fn hang() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"faceListId": "staff", "name": "Staff"}))
        .set_delay(Duration::from_mins(1))
}

async fn then(server: &MockServer, times: u64, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// A client with the default 30 s timeout and retry policy, and `deadline`.
fn client_with_deadline(server: &MockServer, deadline: Duration) -> FaceClient {
    FaceClient::builder(&server.uri())
        .api_key(KEY)
        .deadline(deadline)
        .build()
        .unwrap()
}

#[test]
fn the_default_deadline_is_120_seconds() {
    assert_eq!(DEFAULT_DEADLINE, Duration::from_mins(2));
    let client = FaceClient::new("https://example.test", KEY).unwrap();
    assert_eq!(client.deadline(), DEFAULT_DEADLINE);
}

#[tokio::test]
async fn two_503s_with_retry_after_then_a_hang_end_at_the_deadline() {
    let server = MockServer::start().await;
    then(&server, 1, busy("1")).await;
    then(&server, 1, busy("1")).await;
    then(&server, 1, hang()).await;
    let client = client_with_deadline(&server, Duration::from_millis(2500));
    let started = Instant::now();

    let error = client.v1_0().face_list().get("staff").await.unwrap_err();

    let elapsed = started.elapsed();
    assert!(
        matches!(error, Error::Timeout { after } if after < Duration::from_secs(1)),
        "{error:?}"
    );
    assert!(elapsed >= Duration::from_millis(2400), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(2500) + MARGIN,
        "{elapsed:?}"
    );
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_retry_whose_wait_would_reach_the_deadline_is_not_made() {
    let server = MockServer::start().await;
    then(&server, 1, busy("5")).await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"faceListId": "staff", "name": "Staff"})),
    )
    .await;
    let client = client_with_deadline(&server, Duration::from_secs(4));
    let started = Instant::now();

    let error = client.v1_0().face_list().get("staff").await.unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let service = error.service_error().expect("the last answer");
    assert_eq!(
        (service.status.as_u16(), service.retry_after),
        (503, Some(Duration::from_secs(5)))
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn backoff_waits_count_against_the_deadline() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(503)).await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .deadline(Duration::from_millis(700))
        .retry(
            RetryPolicy::default()
                .max_retries(100)
                .initial_backoff(Duration::from_millis(100))
                .max_backoff(Duration::from_millis(100)),
        )
        .build()
        .unwrap();
    let started = Instant::now();

    let error = client.v1_0().face_list().get("staff").await.unwrap_err();

    assert!(
        started.elapsed() < Duration::from_millis(700) + MARGIN,
        "{:?}",
        started.elapsed()
    );
    // The call ends with the last answer, or, when the last attempt's timeout was cut to
    // the little that was left of the deadline, with that timeout.
    assert!(
        error.status().map(|status| status.as_u16()) == Some(503)
            || matches!(error, Error::Timeout { after } if after < Duration::from_millis(700)),
        "{error:?}"
    );
    assert!(received(&server).await.len() > 2);
}

#[tokio::test]
async fn a_per_call_deadline_replaces_the_clients() {
    let server = MockServer::start().await;
    answer(&server, hang()).await;
    let client = client_with_deadline(&server, Duration::from_mins(2));
    let mut options = CallOptions::default();
    options.set_deadline(Duration::from_millis(400));
    let request = OperationRequest::new("FaceList_List", Method::GET, "/face/v1.0/facelists", 200);
    let started = Instant::now();

    let error = runtime::send_json::<Value>(&client, request, options)
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_millis(400) + MARGIN,
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_zero_per_call_deadline_fails_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let mut options = CallOptions::default();
    options.set_deadline(Duration::ZERO);
    let request = OperationRequest::new("FaceList_List", Method::GET, "/face/v1.0/facelists", 200);

    let error = runtime::send_json::<Value>(
        &client_with_deadline(&server, DEFAULT_DEADLINE),
        request,
        options,
    )
    .await
    .unwrap_err();

    assert!(matches!(error, Error::Config { .. }), "{error:?}");
}
