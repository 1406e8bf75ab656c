//! What a caller gets when the service refuses, answers badly, stalls or
//! drops the connection, and what was sent meanwhile.

use std::time::{Duration, Instant};

use face_sdk::{Error, FaceClient, RetryPolicy, ServiceError};
use face_sdk_tests::{
    KEY, RawReply, RawServer, answer, client, client_at, client_without_retries, id, image,
    received,
};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn error_body(code: &str, message: &str) -> serde_json::Value {
    json!({"error": {"code": code, "message": message}})
}

/// The service error inside `error`, after checking it is one.
fn service(error: &Error) -> &ServiceError {
    match error {
        Error::Service(service) => service,
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn assert_service(error: &Error, status: u16, code: &str, message: &str) {
    let service = service(error);
    assert_eq!(service.status.as_u16(), status);
    assert_eq!(service.code.as_deref(), Some(code));
    assert_eq!(service.message.as_deref(), Some(message));
    assert_eq!(service.retry_after, None);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    let text = error.to_string();
    assert!(
        text.contains(&status.to_string()) && text.contains(code) && text.contains(message),
        "{text}"
    );
}

#[tokio::test]
async fn bad_argument_400_is_a_service_error_and_is_not_retried() {
    let server = MockServer::start().await;
    let message = "Invalid image URL.";
    answer(
        &server,
        ResponseTemplate::new(400).set_body_json(error_body("BadArgument", message)),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/not-an-image")
        .await
        .unwrap_err();

    assert_service(&error, 400, "BadArgument", message);
    assert!(!error.is_retryable());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn unauthorized_401_is_a_service_error() {
    let server = MockServer::start().await;
    let message = "Access denied due to invalid subscription key or wrong API endpoint.";
    answer(
        &server,
        ResponseTemplate::new(401).set_body_json(error_body("401", message)),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    assert_service(&error, 401, "401", message);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn person_group_not_found_404_is_a_service_error() {
    let server = MockServer::start().await;
    let message = "Person group 'employees' is not found.";
    answer(
        &server,
        ResponseTemplate::new(404).set_body_json(error_body("PersonGroupNotFound", message)),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .identify([id(1)])
        .person_group_id("employees")
        .await
        .unwrap_err();

    assert_service(&error, 404, "PersonGroupNotFound", message);
    assert_eq!(
        error.to_string(),
        "the service answered 404 Not Found: PersonGroupNotFound: Person group 'employees' is not found."
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn conflict_409_is_a_service_error() {
    let server = MockServer::start().await;
    let message = "There is a conflicting operation on the large person group.";
    answer(
        &server,
        ResponseTemplate::new(409).set_body_json(error_body("LargePersonGroupConflict", message)),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .verify_face_to_person(id(1), id(2))
        .large_person_group_id("visitors")
        .await
        .unwrap_err();

    assert_service(&error, 409, "LargePersonGroupConflict", message);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn the_code_is_taken_from_the_x_ms_error_code_header_when_the_body_has_none() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(400)
            .insert_header("x-ms-error-code", "InvalidImageSize")
            .set_body_json(json!({"error": {"message": "Image size is too big."}})),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/huge.jpg")
        .await
        .unwrap_err();

    assert_service(&error, 400, "InvalidImageSize", "Image size is too big.");
}

#[tokio::test]
async fn the_header_code_stands_alone_for_an_empty_body_and_the_body_code_wins() {
    let server = MockServer::start().await;
    let header_only = ResponseTemplate::new(403).insert_header("x-ms-error-code", "QuotaExceeded");
    Mock::given(any())
        .respond_with(header_only)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let both = ResponseTemplate::new(404)
        .insert_header("x-ms-error-code", "NotFound")
        .set_body_json(error_body("FaceListNotFound", "Face list is not found."));
    answer(&server, both).await;
    let client = client_without_retries(&server);

    let quota = client.v1_0().face_list().get("staff").await.unwrap_err();
    let not_found = client.v1_0().face_list().get("staff").await.unwrap_err();

    let quota = service(&quota);
    assert_eq!(quota.code.as_deref(), Some("QuotaExceeded"));
    assert_eq!(
        (quota.message.as_deref(), quota.body_excerpt.as_deref()),
        (None, None)
    );
    assert_eq!(
        quota.to_string(),
        "the service answered 403 Forbidden: QuotaExceeded"
    );
    assert_service(
        &not_found,
        404,
        "FaceListNotFound",
        "Face list is not found.",
    );
}

#[tokio::test]
async fn a_500_with_a_non_json_body_keeps_an_excerpt() {
    let server = MockServer::start().await;
    let page = "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>upstream failed</body>\n</html>";
    answer(
        &server,
        ResponseTemplate::new(500).set_body_raw(page, "text/html"),
    )
    .await;

    let error = client_without_retries(&server)
        .v1_0()
        .face()
        .find_similar(id(0))
        .face_ids([id(1)])
        .await
        .unwrap_err();

    let service = service(&error);
    assert_eq!(service.status.as_u16(), 500);
    assert_eq!(
        (service.code.as_deref(), service.message.as_deref()),
        (None, None)
    );
    let excerpt = service.body_excerpt.as_deref().unwrap();
    assert!(
        excerpt.contains("500 Internal Server Error") && excerpt.contains("upstream failed"),
        "{excerpt}"
    );
    assert!(error.to_string().contains("upstream failed"), "{error}");
    assert!(error.is_retryable());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_502_with_an_empty_body_says_so() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(502)).await;

    let error = client_without_retries(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    let service = service(&error);
    assert_eq!(service.status.as_u16(), 502);
    assert_eq!(
        (service.code.as_deref(), service.message.as_deref()),
        (None, None)
    );
    assert_eq!(
        error.to_string(),
        "the service answered 502 Bad Gateway: empty body"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_huge_error_body_is_cut_to_a_short_excerpt() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(500).set_body_string("x".repeat(200_000)),
    )
    .await;

    let error = client_without_retries(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    let excerpt = service(&error).body_excerpt.as_deref().unwrap();
    assert!(
        excerpt.starts_with("xxx") && excerpt.len() <= 512,
        "{} bytes",
        excerpt.len()
    );
}

#[tokio::test]
async fn a_success_status_other_than_200_is_an_error() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    let error = client(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    assert_eq!(service(&error).status.as_u16(), 204);
    assert_eq!(received(&server).await.len(), 1);
}

fn client_with_timeout(server: &MockServer, timeout: Duration) -> FaceClient {
    FaceClient::builder(&server.uri())
        .api_key(KEY)
        .timeout(timeout)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_stalled_server_times_out_at_the_client_timeout() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!([]))
            .set_delay(Duration::from_secs(10)),
    )
    .await;
    let started = Instant::now();

    let error = client_with_timeout(&server, Duration::from_millis(150))
        .v1_0()
        .face()
        .identify([id(1)])
        .person_group_id("g")
        .await
        .unwrap_err();

    let elapsed = started.elapsed();
    assert!(
        matches!(error, Error::Timeout { after } if after == Duration::from_millis(150)),
        "{error:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(150) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert_eq!(error.to_string(), "the request timed out after 150ms");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_per_call_timeout_replaces_the_client_timeout() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!([]))
            .set_delay(Duration::from_secs(10)),
    )
    .await;
    let started = Instant::now();

    let error = client_with_timeout(&server, Duration::from_secs(30))
        .v1_0()
        .face()
        .detect_with_stream(image(2048))
        .timeout(Duration::from_millis(120))
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Timeout { after } if after == Duration::from_millis(120)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_longer_per_call_timeout_lets_a_slow_answer_through() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!([]))
            .set_delay(Duration::from_millis(300)),
    )
    .await;
    let client = client_with_timeout(&server, Duration::from_millis(100));

    let faces = client
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();

    assert!(faces.is_empty());
}

#[tokio::test]
async fn a_connection_closed_mid_response_is_a_transport_error() {
    let partial = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n[{\"faceId\":\"c5c2".to_vec();
    let server = RawServer::start(vec![RawReply::Bytes(partial)]).await;

    let error = client_at(&server.uri, RetryPolicy::none())
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_body_that_stalls_half_way_times_out() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n[{\"faceId\":".to_vec();
    let server = RawServer::start(vec![RawReply::Stall(head)]).await;
    let client = FaceClient::builder(&server.uri)
        .api_key(KEY)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();

    let error = client
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Timeout { after } if after == Duration::from_millis(200)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_connection_closed_before_any_answer_is_a_transport_error() {
    let server = RawServer::start(vec![RawReply::Close]).await;

    let error = client_at(&server.uri, RetryPolicy::none())
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);

    let error = client_at(&endpoint, RetryPolicy::none())
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::Transport { message, .. } if message.contains("connect")),
        "{error:?}"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_an_excerpt() {
    let server = MockServer::start().await;
    let truncated =
        r#"[{"faceId":"c5c24a82-6845-4031-9d5d-978df9175426","faceRectangle":{"width":78,"hei"#;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(truncated, "application/json"),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .await
        .unwrap_err();

    let Error::Decode {
        status,
        message,
        excerpt,
    } = &error
    else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(excerpt, truncated);
    assert!(error.to_string().contains("could not decode"), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(
        received(&server).await.len(),
        1,
        "a decode error is not retried"
    );
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_naming_it() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"confidence": 0.5})),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    let Error::Decode {
        message, excerpt, ..
    } = &error
    else {
        panic!("expected a decode error, got {error:?}")
    };
    assert!(message.contains("isIdentical"), "{message}");
    assert_eq!(excerpt, r#"{"confidence":0.5}"#);
}

#[tokio::test]
async fn a_200_html_page_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_raw("<html><body>Captive portal</body></html>", "text/html"),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    let Error::Decode { excerpt, .. } = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert!(excerpt.contains("Captive portal"), "{excerpt}");
}
