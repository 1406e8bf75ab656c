//! Token credentials: the bearer header, one token per scope set shared by
//! concurrent calls and renewed before it expires, the operations that take
//! only a key, and the token kept out of every error and `Debug`.

use std::sync::Arc;
use std::time::Duration;

use face_sdk::runtime::{self, CallOptions, OperationRequest};
use face_sdk::{Error, FaceClient, Response, TOKEN_REFRESH_MARGIN};
use face_sdk_tests::{
    CountingCredential, KEY, Shared, TOKEN, answer, answer_json, client, expect_no_request, header,
    only_request, received, token_client,
};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

const SCOPES: &[&str] = &["https://cognitiveservices.azure.com/.default"];
const OTHER_SCOPES: &[&str] = &["api://face/.default", "offline_access"];

/// A request of an operation that accepts tokens with `scopes`.
fn list_request(scopes: &'static [&'static str]) -> OperationRequest {
    let mut request =
        OperationRequest::new("FaceList_List", Method::GET, "/face/v1.0/facelists", 200);
    request.token_scopes(scopes);
    request
}

async fn list(
    client: &FaceClient,
    scopes: &'static [&'static str],
) -> Result<Response<Value>, Error> {
    runtime::send_json(client, list_request(scopes), CallOptions::default()).await
}

fn an_hour() -> Arc<CountingCredential> {
    CountingCredential::new(Duration::from_hours(1))
}

#[tokio::test]
async fn the_token_goes_in_a_bearer_header_and_no_key_is_sent() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential = an_hour();

    list(&token_client(&server.uri(), &credential), SCOPES)
        .await
        .unwrap();

    let request = only_request(&server).await;
    let expected = format!("Bearer {TOKEN}-1");
    assert_eq!(header(&request, "authorization"), Some(expected.as_str()));
    assert_eq!(header(&request, "ocp-apim-subscription-key"), None);
    assert_eq!(credential.scopes(), [SCOPES]);
}

#[tokio::test]
async fn a_token_is_reused_per_scope_set() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential = an_hour();
    let client = token_client(&server.uri(), &credential);

    for _ in 0..3 {
        list(&client, SCOPES).await.unwrap();
    }
    list(&client, OTHER_SCOPES).await.unwrap();
    list(&client, OTHER_SCOPES).await.unwrap();

    assert_eq!(credential.calls(), 2);
    assert_eq!(credential.scopes(), [SCOPES, OTHER_SCOPES]);
    let sent: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| header(request, "authorization").unwrap().to_owned())
        .collect();
    let first = format!("Bearer {TOKEN}-1");
    let second = format!("Bearer {TOKEN}-2");
    assert_eq!(sent, [&*first, &first, &first, &second, &second]);
}

#[tokio::test]
async fn concurrent_calls_share_one_token_request() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential = CountingCredential::slow(Duration::from_millis(200));
    let client = token_client(&server.uri(), &credential);

    let calls = (0..16).map(|_| list(&client, SCOPES));
    let results = futures_util::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok));
    assert_eq!(credential.calls(), 1);
    assert_eq!(received(&server).await.len(), 16);
}

#[tokio::test]
async fn concurrent_calls_share_one_request_even_for_a_short_lived_token() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential =
        CountingCredential::slow_and_short(Duration::from_millis(200), Duration::from_mins(1));
    let client = token_client(&server.uri(), &credential);

    let calls = (0..16).map(|_| list(&client, SCOPES));
    let results = futures_util::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok));
    assert_eq!(credential.calls(), 1);
}

#[tokio::test]
async fn a_token_is_renewed_five_minutes_before_it_expires() {
    assert_eq!(TOKEN_REFRESH_MARGIN, Duration::from_mins(5));
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    // Renewed from one second after it was given, while still valid for five minutes.
    let credential = CountingCredential::new(TOKEN_REFRESH_MARGIN + Duration::from_secs(1));
    let client = token_client(&server.uri(), &credential);

    list(&client, SCOPES).await.unwrap();
    list(&client, SCOPES).await.unwrap();
    assert_eq!(credential.calls(), 1, "fresh: reused");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    list(&client, SCOPES).await.unwrap();

    assert_eq!(credential.calls(), 2, "within the margin: renewed");
    let last = received(&server).await.pop().unwrap();
    let expected = format!("Bearer {TOKEN}-2");
    assert_eq!(header(&last, "authorization"), Some(expected.as_str()));
}

#[tokio::test]
async fn a_token_that_lives_less_than_the_margin_is_asked_for_each_call() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential = CountingCredential::new(Duration::from_mins(1));
    let client = token_client(&server.uri(), &credential);

    list(&client, SCOPES).await.unwrap();
    list(&client, SCOPES).await.unwrap();

    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn an_expired_token_is_a_credential_error() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let credential = CountingCredential::new(Duration::ZERO);

    let error = list(&token_client(&server.uri(), &credential), SCOPES)
        .await
        .unwrap_err();

    assert!(matches!(&error, Error::Credential { message } if message.contains("already expired")));
}

#[tokio::test]
async fn an_operation_without_scopes_is_refused_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let credential = an_hour();
    let request = OperationRequest::new("Face_Detect", Method::POST, "/face/v1.0/detect", 200);

    let error = runtime::send_json::<Value>(
        &token_client(&server.uri(), &credential),
        request,
        CallOptions::default(),
    )
    .await
    .unwrap_err();

    let Error::Config { message } = &error else {
        panic!("expected a configuration error, got {error:?}");
    };
    assert!(
        message.contains("Face_Detect accepts only a subscription key"),
        "{message}"
    );
    assert_eq!(credential.calls(), 0);
}

#[tokio::test]
async fn a_key_client_sends_its_key_to_an_operation_with_scopes() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    list(&client(&server), SCOPES).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "ocp-apim-subscription-key"), Some(KEY));
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn a_failing_credential_is_a_credential_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let credential = CountingCredential::failing("no managed identity here");

    let error = list(&token_client(&server.uri(), &credential), SCOPES)
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::Credential { message } if message == "no managed identity here")
    );
    assert_eq!(
        error.to_string(),
        "the token credential failed: no managed identity here"
    );
    assert!(!error.is_retryable());
    assert_eq!(credential.calls(), 1, "not retried");
}

#[tokio::test]
async fn a_token_echoed_by_the_server_is_redacted() {
    let server = MockServer::start().await;
    let echo = format!("token {TOKEN}-1 is not valid for this resource");
    answer(
        &server,
        ResponseTemplate::new(401)
            .set_body_json(json!({"error": {"code": "401", "message": echo}})),
    )
    .await;
    let credential = an_hour();
    let client = token_client(&server.uri(), &credential);

    let error = list(&client, SCOPES).await.unwrap_err();

    let service = error.service_error().expect("a service error");
    assert_eq!(
        service.message.as_deref(),
        Some("token <redacted> is not valid for this resource")
    );
    for text in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains("t0k3n-s3cr3t"), "{text}");
    }
}

#[tokio::test]
async fn a_token_echoed_in_a_non_json_body_is_redacted() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(502)
            .set_body_string(format!("<html>Authorization: Bearer {TOKEN}-1</html>")),
    )
    .await;
    let credential = an_hour();
    let client = FaceClient::builder(&server.uri())
        .credential(Shared(Arc::clone(&credential)))
        .retry(face_sdk::RetryPolicy::none())
        .build()
        .unwrap();

    let error = list(&client, SCOPES).await.unwrap_err();

    let excerpt = error.service_error().unwrap().body_excerpt.clone().unwrap();
    assert_eq!(excerpt, "<html>Authorization: Bearer <redacted></html>");
}

#[test]
fn a_key_or_a_credential_is_required_but_not_both() {
    let neither = FaceClient::builder("https://example.test")
        .build()
        .unwrap_err();
    assert!(
        matches!(&neither, Error::Config { message } if message.contains("an API key or a token credential is required"))
    );
    let both = FaceClient::builder("https://example.test")
        .api_key(KEY)
        .credential(Shared(an_hour()))
        .build()
        .unwrap_err();
    assert!(matches!(&both, Error::Config { message } if message.contains("give only one")));
}

#[test]
fn plain_http_is_refused_for_tokens_too_except_to_loopback() {
    let builder = || FaceClient::builder("http://face.example.test").credential(Shared(an_hour()));
    let error = builder().build().unwrap_err();
    assert!(error.to_string().contains("plain http"), "{error}");
    assert!(builder().allow_insecure_http(true).build().is_ok());
    let local = FaceClient::builder("http://127.0.0.1:5005").credential(Shared(an_hour()));
    assert!(local.build().is_ok());
}

#[test]
fn debug_of_a_token_client_and_builder_shows_no_token() {
    let builder = FaceClient::builder("https://example.test").credential(Shared(an_hour()));
    let client = builder.clone().build().unwrap();
    let texts = [format!("{builder:?}"), format!("{client:#?}")];
    assert!(texts[0].contains("credential: true"), "{}", texts[0]);
    assert!(texts[1].contains("TokenCredential"), "{}", texts[1]);
}
