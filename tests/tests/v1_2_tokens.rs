//! Token credentials through the generated methods: every v1.2 operation takes a bearer
//! token for the Cognitive Services scope, while v1.0's spec declares only key
//! authentication, so a client with a credential refuses its calls.

use std::time::Duration;

use face_sdk::{Error, FaceClient, TOKEN_REFRESH_MARGIN};
use face_sdk_tests::{
    CountingCredential, TOKEN, answer, answer_json, expect_no_request, header, only_request,
    received, token_client,
};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// The scope the v1.2 spec declares for its tokens.
const SCOPE: &str = "https://cognitiveservices.azure.com/.default";

/// Lists the large person groups: a v1.2 call that answers `[]`.
async fn list_groups(client: &FaceClient) -> Result<(), Error> {
    client
        .v1_2()
        .large_person_group()
        .list()
        .await
        .map(|groups| assert!(groups.is_empty()))
}

/// The `Authorization` header of every request the server received, in order.
async fn authorizations(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|request| {
            header(request, "authorization")
                .unwrap_or("none")
                .to_owned()
        })
        .collect()
}

fn bearer(n: usize) -> String {
    format!("Bearer {TOKEN}-{n}")
}

#[tokio::test]
async fn a_v1_2_call_sends_a_bearer_token_for_the_cognitive_services_scope_and_no_key() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential = CountingCredential::new(Duration::from_hours(1));

    list_groups(&token_client(&server.uri(), &credential))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some(bearer(1).as_str()));
    assert_eq!(header(&request, "ocp-apim-subscription-key"), None);
    assert_eq!(credential.scopes(), [[SCOPE]]);
}

#[tokio::test]
async fn a_token_is_renewed_once_it_is_within_the_refresh_margin_of_its_expiry() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    // Within the margin from one second after it was given.
    let credential = CountingCredential::new(TOKEN_REFRESH_MARGIN + Duration::from_secs(1));
    let client = token_client(&server.uri(), &credential);

    list_groups(&client).await.unwrap();
    list_groups(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    list_groups(&client).await.unwrap();

    assert_eq!(credential.calls(), 2);
    assert_eq!(
        authorizations(&server).await,
        [bearer(1), bearer(1), bearer(2)]
    );
    assert_eq!(credential.scopes(), [[SCOPE], [SCOPE]]);
}

#[tokio::test]
async fn concurrent_v1_2_calls_share_one_token_request() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let credential = CountingCredential::slow(Duration::from_millis(200));
    let client = token_client(&server.uri(), &credential);

    let calls = (0..12).map(|_| list_groups(&client));
    let results = futures_util::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(credential.calls(), 1);
    assert_eq!(authorizations(&server).await, vec![bearer(1); 12]);
}

#[tokio::test]
async fn a_v1_0_call_with_a_token_credential_is_refused_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let credential = CountingCredential::new(Duration::from_hours(1));

    let error = token_client(&server.uri(), &credential)
        .v1_0()
        .large_person_group()
        .list()
        .await
        .unwrap_err();

    let Error::Config { message } = &error else {
        panic!("expected a configuration error, got {error:?}");
    };
    assert!(
        message.contains("LargePersonGroup_List accepts only a subscription key"),
        "{message}"
    );
    assert_eq!(credential.calls(), 0);
}

#[tokio::test]
async fn a_token_echoed_in_a_v1_2_error_body_is_not_in_the_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({
            "error": {"code": "PermissionDenied", "message": format!("{} is not allowed", bearer(1))}
        })),
    )
    .await;
    let credential = CountingCredential::new(Duration::from_hours(1));

    let error = list_groups(&token_client(&server.uri(), &credential))
        .await
        .unwrap_err();

    let service = error.service_error().expect("a service error");
    assert_eq!(service.code.as_deref(), Some("PermissionDenied"));
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "the error shows the token");
        assert!(text.contains("is not allowed"), "the message is kept");
    }
}
