//! Which failures are tried again, how often, after how long, and which are
//! not; and the requests that are not idempotent (creates), which are tried
//! again only when they surely were not applied.

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

/// The answer of `GET /facelists/staff`, an idempotent request.
fn face_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"faceListId": "staff", "name": "Staff"}))
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
    then(&server, face_list()).await;

    let policy = fast_retries().max_retries(6);
    client_at(&server.uri(), policy)
        .v1_0()
        .face_list()
        .get("staff")
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
    then(&server, face_list()).await;

    let policy = fast_retries().max_retries(2);
    let error = client_at(&server.uri(), policy)
        .v1_0()
        .face_list()
        .get("staff")
        .await
        .unwrap_err();

    let service = error.service_error().expect("a service error");
    assert_eq!(service.status.as_u16(), 503);
    assert_eq!(
        (service.code.as_deref(), service.message.as_deref()),
        (Some("ServiceUnavailable"), Some("third"))
    );
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "the service answered 503 Service Unavailable: ServiceUnavailable: third"
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3, "max_retries + 1 attempts");
    assert!(
        requests
            .iter()
            .all(|request| request.url == requests[0].url)
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
async fn a_per_call_policy_of_none_sends_once_where_the_clients_policy_retries() {
    let server = MockServer::start().await;
    then(&server, error(503, "ServiceUnavailable", "busy")).await;
    let client = fast_client(&server);
    let list = client.v1_0().face_list();

    let once = list
        .get("staff")
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();

    assert_eq!(once.status().map(|s| s.as_u16()), Some(503));
    assert!(once.is_retryable(), "retryable, yet not retried");
    assert_eq!(received(&server).await.len(), 1);
    // The same call without its own policy is retried as the client says (3 retries).
    let retried = list.get("staff").await.unwrap_err();
    assert_eq!(retried.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1 + 4);
}

#[tokio::test]
async fn a_per_call_policy_retries_where_the_client_never_does() {
    let server = MockServer::start().await;
    first(&server, 2, error(503, "ServiceUnavailable", "busy")).await;
    then(&server, face_list()).await;
    let client = client_at(&server.uri(), RetryPolicy::none());

    let list = client
        .v1_0()
        .face_list()
        .get("staff")
        .retry(fast_retries().max_retries(2))
        .await
        .unwrap();

    assert_eq!(list.name, "Staff");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_per_call_policy_holds_for_every_page_of_a_stream() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    // A full first page of one list, then the next page is refused.
    first(
        &server,
        1,
        ResponseTemplate::new(200).set_body_json(json!([{"largeFaceListId": "a", "name": "A"}])),
    )
    .await;
    then(&server, error(503, "ServiceUnavailable", "busy")).await;

    let items: Vec<_> = fast_client(&server)
        .v1_0()
        .large_face_list()
        .list()
        .top(1)
        .retry(RetryPolicy::none())
        .into_stream()
        .collect()
        .await;

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().large_face_list_id, "a");
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the second page sent once, not retried");
    assert_eq!(requests[1].url.query(), Some("start=a&top=1"));
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried() {
    let server = MockServer::start().await;
    first(&server, 1, face_list().set_delay(Duration::from_secs(10))).await;
    then(&server, face_list()).await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(150))
        .retry(fast_retries())
        .build()
        .unwrap();

    let result = client.v1_0().face_list().get("staff").await.unwrap();

    assert_eq!(result.face_list_id, "staff");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn attempts_that_all_time_out_end_in_a_timeout() {
    let server = MockServer::start().await;
    then(&server, face_list().set_delay(Duration::from_secs(10))).await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(100))
        .retry(fast_retries().max_retries(2))
        .build()
        .unwrap();

    let error = client.v1_0().face_list().get("staff").await.unwrap_err();

    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_call_timeout_applies_to_each_attempt() {
    let server = MockServer::start().await;
    then(&server, face_list().set_delay(Duration::from_secs(5))).await;
    let started = Instant::now();

    let error = client_at(&server.uri(), fast_retries().max_retries(1))
        .v1_0()
        .face_list()
        .get("staff")
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Timeout { after } if after == Duration::from_millis(100)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(received(&server).await.len(), 2, "each attempt timed out");
}

#[tokio::test]
async fn a_refused_connection_is_retryable_and_its_error_hides_the_key() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);

    let error = client_at(&format!("http://{address}"), fast_retries())
        .v1_0()
        .face_list()
        .get("staff")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert!(std::error::Error::source(&error).is_some());
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let body = r#"{"faceListId":"staff","name":"Staff"}"#;
    let server = RawServer::start(vec![RawReply::Close, complete_json_reply("200 OK", body)]).await;

    let result = client_at(&server.uri, fast_retries())
        .v1_0()
        .face_list()
        .get("staff")
        .await
        .unwrap();

    assert_eq!(result.name, "Staff");
    assert_eq!(server.connections(), 2);
}

// Requests that are not idempotent: a create applied twice makes two persons.

fn created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"personId": id(7)}))
}

async fn create_person(client: &FaceClient) -> Result<face_sdk::v1_0::models::Person, Error> {
    client
        .v1_0()
        .person_group_person()
        .create("staff")
        .name("Ada")
        .await
}

#[tokio::test]
async fn a_create_answered_500_502_or_504_is_sent_once() {
    for status in [500, 502, 504] {
        let server = MockServer::start().await;
        first(
            &server,
            1,
            error(status, "InternalServerError", "applied, then failed"),
        )
        .await;
        then(&server, created()).await;

        let error = create_person(&fast_client(&server)).await.unwrap_err();

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(error.is_retryable(), "retryable in itself, yet not retried");
        assert_eq!(
            received(&server).await.len(),
            1,
            "{status}: one POST, one person"
        );
    }
}

#[tokio::test]
async fn a_create_refused_with_408_429_or_503_is_retried() {
    let server = MockServer::start().await;
    first(&server, 1, ResponseTemplate::new(408)).await;
    first(&server, 1, throttled("0")).await;
    first(&server, 1, error(503, "ServiceUnavailable", "busy")).await;
    then(&server, created()).await;

    let person = create_person(&fast_client(&server)).await.unwrap();

    assert_eq!(person.person_id, id(7));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4);
    assert!(
        requests
            .iter()
            .all(|request| request.method.as_str() == "POST")
    );
}

#[tokio::test]
async fn a_create_that_times_out_after_sending_is_not_retried() {
    let server = MockServer::start().await;
    first(&server, 1, created().set_delay(Duration::from_secs(10))).await;
    then(&server, created()).await;
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(150))
        .retry(fast_retries())
        .build()
        .unwrap();

    let error = create_person(&client).await.unwrap_err();

    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_create_whose_connection_is_cut_after_sending_is_not_retried() {
    let body = r#"{"personId":"c5c24a82-6845-4031-9d5d-978df9175407"}"#;
    let server = RawServer::start(vec![RawReply::Close, complete_json_reply("200 OK", body)]).await;

    let error = create_person(&client_at(&server.uri, fast_retries()))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_create_whose_connection_failed_before_sending_is_retried() {
    // A free port with nothing listening yet: the first attempts are refused.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let policy = RetryPolicy::default()
        .max_retries(10)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100));
    let client = client_at(&format!("http://{address}"), policy);
    let late_server = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = std::net::TcpListener::bind(address).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        then(&server, created()).await;
        server
    };

    let (person, server) = tokio::join!(create_person(&client), late_server);

    assert_eq!(person.unwrap().person_id, id(7));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_policy_can_opt_in_to_retrying_creates_after_a_500() {
    let server = MockServer::start().await;
    first(&server, 1, error(500, "InternalServerError", "boom")).await;
    then(&server, created()).await;
    let client = client_at(&server.uri(), fast_retries().retry_non_idempotent(true));

    create_person(&client).await.unwrap();

    assert_eq!(received(&server).await.len(), 2);
}
