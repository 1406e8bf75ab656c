//! The subscription key goes in its header and nowhere else: not in the
//! `Debug` or `Display` of the client, the builders or any error, not in the
//! URL or the body, and never to another host.

use std::time::Duration;

use face_sdk::{Error, FaceClient, RetryPolicy};
use face_sdk_tests::{
    KEY, RawReply, RawServer, answer, client, client_at, client_without_retries, expect_no_request,
    header, id, image, only_request,
};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// A distinctive part of the key, to catch a key that is only partly hidden.
const KEY_PART: &str = "5ecre7k3y";

/// Fails when `text` holds the key or any 12 characters of it in a row.
fn assert_no_key(text: &str) {
    assert!(
        !text.contains(KEY) && !text.contains(KEY_PART),
        "the key leaked: {text}"
    );
    for start in 0..=KEY.len() - 12 {
        let piece = &KEY[start..start + 12];
        assert!(
            !text.contains(piece),
            "part of the key ({piece}) leaked: {text}"
        );
    }
}

/// Formats an error every way a caller could, source chain included.
fn assert_error_hides_key(error: &Error) {
    assert_no_key(&format!("{error}"));
    assert_no_key(&format!("{error:?}"));
    assert_no_key(&format!("{error:#?}"));
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        assert_no_key(&format!("{cause} {cause:?}"));
        source = cause.source();
    }
}

#[test]
fn debug_of_the_client_and_its_builder_hides_the_key() {
    let builder = FaceClient::builder("https://westus.api.cognitive.microsoft.com").api_key(KEY);
    assert_no_key(&format!("{builder:?}"));
    assert_no_key(&format!("{builder:#?}"));
    let client = builder.timeout(Duration::from_secs(5)).build().unwrap();
    let text = format!("{client:?}");
    assert_no_key(&text);
    assert_no_key(&format!("{client:#?}"));
    assert!(
        text.contains("westus.api.cognitive.microsoft.com"),
        "{text}"
    );
    assert_no_key(&format!("{:?}", client.clone().v1_0().face()));
}

#[test]
fn debug_of_every_operation_builder_hides_the_key_and_the_header_values() {
    let client = FaceClient::new("https://westus.api.cognitive.microsoft.com", KEY).unwrap();
    let face = client.v1_0().face();
    let secret_header = "Bearer 9b1e-correlation-value";
    let texts = [
        format!(
            "{:?}",
            face.detect_with_url("https://x.test/a.jpg")
                .header("X-Trace", secret_header)
        ),
        format!(
            "{:#?}",
            face.detect_with_stream(image(2048))
                .on_upload_progress(|_| {})
                .header("X-Trace", secret_header)
        ),
        format!(
            "{:?}",
            face.find_similar(id(0))
                .face_ids([id(1)])
                .header("X-Trace", secret_header)
        ),
        format!(
            "{:?}",
            face.group([id(1), id(2)]).header("X-Trace", secret_header)
        ),
        format!(
            "{:?}",
            face.identify([id(1)])
                .person_group_id("g")
                .header("X-Trace", secret_header)
        ),
        format!(
            "{:?}",
            face.verify_face_to_face(id(1), id(2))
                .header("X-Trace", secret_header)
        ),
        format!(
            "{:?}",
            face.verify_face_to_person(id(1), id(2))
                .person_group_id("g")
                .header("X-Trace", secret_header)
        ),
    ];
    for text in texts {
        assert_no_key(&text);
        assert!(!text.contains(secret_header), "{text}");
        assert!(text.contains("X-Trace"), "{text}");
    }
}

#[tokio::test]
async fn the_key_travels_only_in_its_header() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;

    client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .return_face_id(true)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "ocp-apim-subscription-key"), Some(KEY));
    assert_eq!(
        request
            .headers
            .get_all("ocp-apim-subscription-key")
            .iter()
            .count(),
        1
    );
    assert_no_key(request.url.as_str());
    assert_no_key(&String::from_utf8_lossy(&request.body));
    for (name, value) in &request.headers {
        if name != "ocp-apim-subscription-key" {
            assert_no_key(&format!("{name}: {}", value.to_str().unwrap_or_default()));
        }
    }
}

#[tokio::test]
async fn a_per_call_header_cannot_replace_the_key() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let other_key = "0ther-5ecre7k3y-from-caller";

    let error = client(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .header("Ocp-Apim-Subscription-Key", other_key)
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "Ocp-Apim-Subscription-Key")
    );
    assert!(!format!("{error} {error:?}").contains(other_key));
}

#[tokio::test]
async fn a_service_error_echoing_the_key_does_not_show_it() {
    let server = MockServer::start().await;
    let message = format!(
        "Access denied due to invalid subscription key {KEY}. Make sure to provide a valid key."
    );
    answer(
        &server,
        ResponseTemplate::new(401)
            .set_body_json(json!({"error": {"code": "401", "message": message}})),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert_error_hides_key(&error);
    let service = error.service_error().unwrap();
    assert_eq!(
        (service.status.as_u16(), service.code.as_deref()),
        (401, Some("401"))
    );
    assert!(
        service
            .message
            .as_deref()
            .unwrap()
            .starts_with("Access denied due to invalid subscription key")
    );
}

#[tokio::test]
async fn a_non_json_error_body_echoing_the_key_does_not_show_it() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(500).set_body_string(format!("proxy error for key={KEY} upstream")),
    )
    .await;

    let error = client_without_retries(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    assert_error_hides_key(&error);
    assert!(
        error.to_string().contains("proxy error for key="),
        "{error}"
    );
}

#[tokio::test]
async fn a_key_echoed_after_a_long_run_of_whitespace_does_not_show_even_in_part() {
    // Gateway error pages are often indented HTML; the whitespace collapses in the excerpt.
    let server = MockServer::start().await;
    let page = format!("<html>{}<p>rejected key {KEY}</p></html>", " ".repeat(2000));
    answer(
        &server,
        ResponseTemplate::new(502).set_body_raw(page, "text/html"),
    )
    .await;

    let error = client_without_retries(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();

    assert!(error.to_string().contains("rejected key"), "{error}");
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn a_decode_error_with_the_key_after_a_long_run_of_whitespace_does_not_show_it_in_part() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_string(format!("{{{}\"echo\": \"{KEY}\"", "\n".repeat(2010))),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn a_decoder_message_quoting_the_key_does_not_show_it() {
    // serde_json quotes a string of the wrong type in its message.
    let server = MockServer::start().await;
    let body = json!({"isIdentical": true, "confidence": KEY});
    answer(&server, ResponseTemplate::new(200).set_body_json(body)).await;

    let error = client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    let Error::Decode { message, .. } = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert!(message.contains("invalid type"), "{message}");
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn a_decode_error_echoing_the_key_does_not_show_it() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_string(format!("{{\"debug\": \"{KEY}\", \"isIdent")),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn validation_timeout_and_transport_errors_do_not_show_the_key() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!([]))
            .set_delay(Duration::from_secs(10)),
    )
    .await;
    let face = client_without_retries(&server).v1_0().face();

    let invalid = face
        .identify(Vec::<face_sdk::v1_0::models::FaceId>::new())
        .person_group_id("g")
        .await
        .unwrap_err();
    assert_error_hides_key(&invalid);
    let timeout = face
        .detect_with_url("https://x.test/a.jpg")
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");
    assert_error_hides_key(&timeout);

    let closing = RawServer::start(vec![RawReply::Close]).await;
    let transport = client_at(&closing.uri, RetryPolicy::none())
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap_err();
    assert!(
        matches!(transport, Error::Transport { .. }),
        "{transport:?}"
    );
    assert_error_hides_key(&transport);
}

#[test]
fn configuration_errors_do_not_show_the_key() {
    let broken_key = format!("{KEY}\r\n");
    let error =
        FaceClient::new("https://westus.api.cognitive.microsoft.com", broken_key).unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert_error_hides_key(&error);
    let in_url =
        FaceClient::new(&format!("https://user:{KEY}@westus.example.test"), KEY).unwrap_err();
    assert!(matches!(in_url, Error::Config { .. }), "{in_url:?}");
    assert_error_hides_key(&in_url);
    let missing = FaceClient::builder("https://westus.example.test")
        .build()
        .unwrap_err();
    assert!(matches!(missing, Error::Config { .. }), "{missing:?}");
}

#[tokio::test]
async fn a_redirect_is_not_followed_so_the_key_stays_home() {
    let elsewhere = MockServer::start().await;
    expect_no_request(&elsewhere).await;
    let server = MockServer::start().await;
    let target = format!("{}/face/v1.0/detect", elsewhere.uri());
    answer(
        &server,
        ResponseTemplate::new(307).insert_header("location", target.as_str()),
    )
    .await;

    let error = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
