//! Face v1.3-preview.1 on the wire, as a service version of the v1.2 family: a client built
//! with `ServiceVersion::V1_3Preview1` calls `/face/v1.3-preview.1/…`, sends what that
//! version added and decodes what it answers; a client of v1.2 (the default) refuses the
//! same calls before sending, naming the version that has them.

use face_sdk::v1_2::ServiceVersion;
use face_sdk::v1_2::models::{LivenessAbuseMonitoringSettingUpdate, LivenessOperationMode};
use face_sdk::{Error, FaceClient};
use face_sdk_tests::{
    FormPart, answer_json, assert_invalid, client, client_at_version, expect_no_request,
    form_parts, image, json_body, liveness_session_body, liveness_with_verify_session_body,
    only_request,
};
use serde_json::json;
use wiremock::MockServer;

const PREVIEW: ServiceVersion = ServiceVersion::V1_3Preview1;

/// A client of `server` at v1.3-preview.1.
fn preview(server: &MockServer) -> FaceClient {
    client_at_version(server, PREVIEW)
}

#[tokio::test]
async fn settings_are_read_and_a_patch_carries_only_what_was_set() {
    let server = MockServer::start().await;
    let answer = json!({"livenessAbuseMonitoring": {"enabled": true}});
    answer_json(&server, answer.clone()).await;
    let settings = preview(&server)
        .v1_2()
        .liveness_session()
        .get_settings()
        .await
        .unwrap();
    assert!(settings.liveness_abuse_monitoring.enabled);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/face/v1.3-preview.1/settings");

    server.reset().await;
    answer_json(&server, answer.clone()).await;
    let mut turn_on = LivenessAbuseMonitoringSettingUpdate::default();
    turn_on.enabled = Some(true);
    let settings = preview(&server)
        .v1_2()
        .liveness_session()
        .update_settings()
        .liveness_abuse_monitoring(turn_on)
        .await
        .unwrap();
    assert!(settings.liveness_abuse_monitoring.enabled);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/face/v1.3-preview.1/settings");
    assert_eq!(json_body(&request), answer);

    // Nothing set: the body names nothing, so the service changes nothing.
    server.reset().await;
    answer_json(&server, answer).await;
    preview(&server)
        .v1_2()
        .liveness_session()
        .update_settings()
        .await
        .unwrap();
    assert_eq!(json_body(&only_request(&server).await), json!({}));
}

#[tokio::test]
async fn the_client_assets_token_decodes_its_expiry_as_a_date_time() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!({
            "expiry": "2026-12-06T21:30:00Z",
            "accessToken": "assets-token",
            "base64AccessToken": "YXNzZXRzLXRva2Vu",
        }),
    )
    .await;
    let token = preview(&server)
        .v1_2()
        .liveness_session()
        .get_client_assets_access_token()
        .await
        .unwrap();
    assert_eq!(token.expiry.to_rfc3339(), "2026-12-06T21:30:00+00:00");
    assert_eq!(token.access_token, "assets-token");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/face/v1.3-preview.1/settings/getClientAssetsAccessToken"
    );
}

#[tokio::test]
async fn a_v1_2_client_refuses_the_settings_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let sessions = client(&server).v1_2().liveness_session();
    for refused in [
        sessions.get_settings().await.map(drop),
        sessions.update_settings().await.map(drop),
        sessions.get_client_assets_access_token().await.map(drop),
    ] {
        let Err(Error::InvalidRequest { parameter, rule }) = refused else {
            panic!("expected a refusal, got {refused:?}");
        };
        assert!(parameter.starts_with("LivenessSession_"), "{parameter}");
        assert!(
            rule.ends_with(
                "is available from v1.3-preview.1 on; this client calls v1.2 (set the client's service version)"
            ),
            "{rule}"
        );
    }
}

#[tokio::test]
async fn the_new_session_fields_go_out_at_v1_3_and_are_refused_at_v1_2() {
    let server = MockServer::start().await;
    let mut answer = liveness_session_body("session-1");
    answer["isAbuseMonitoringEnabled"] = json!(true);
    answer["expectedClientIpAddress"] = json!("203.0.113.7");
    answer_json(&server, answer).await;
    let session = preview(&server)
        .v1_2()
        .liveness_session()
        .create(LivenessOperationMode::Passive)
        .device_correlation_id("device-1")
        .number_of_client_attempts_allowed(2)
        .expected_client_ip_address("203.0.113.7")
        .await
        .unwrap();
    assert_eq!(session.is_abuse_monitoring_enabled, Some(true));
    assert_eq!(
        session.expected_client_ip_address.as_deref(),
        Some("203.0.113.7")
    );
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/face/v1.3-preview.1/detectLiveness-sessions"
    );
    let body = json_body(&request);
    assert_eq!(body["numberOfClientAttemptsAllowed"], json!(2));
    assert_eq!(body["expectedClientIpAddress"], json!("203.0.113.7"));

    // At v1.2 the same answer without the new properties decodes, with them absent.
    server.reset().await;
    answer_json(&server, liveness_session_body("session-2")).await;
    let session = client(&server)
        .v1_2()
        .liveness_session()
        .create(LivenessOperationMode::Passive)
        .device_correlation_id("device-1")
        .await
        .unwrap();
    assert_eq!(session.is_abuse_monitoring_enabled, None);
    assert_eq!(
        only_request(&server).await.url.path(),
        "/face/v1.2/detectLiveness-sessions"
    );

    // Setting a v1.3 field on a v1.2 client is refused, and nothing is sent.
    server.reset().await;
    expect_no_request(&server).await;
    let refused = client(&server)
        .v1_2()
        .liveness_session()
        .create(LivenessOperationMode::Passive)
        .device_correlation_id("device-1")
        .number_of_client_attempts_allowed(2)
        .await
        .unwrap_err();
    assert_invalid(
        &refused,
        "numberOfClientAttemptsAllowed",
        &["available from v1.3-preview.1", "this client calls v1.2"],
    );
}

#[tokio::test]
async fn the_verify_form_carries_the_attempts_allowed_within_its_bounds() {
    let server = MockServer::start().await;
    answer_json(&server, liveness_with_verify_session_body("session-1")).await;
    let verify_image = image(2048);
    preview(&server)
        .v1_2()
        .liveness_with_verify_session()
        .create(LivenessOperationMode::Passive, verify_image.clone())
        .device_correlation_id("device-1")
        .number_of_client_attempts_allowed(3)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/face/v1.3-preview.1/detectLivenessWithVerify-sessions"
    );
    let parts = form_parts(&request);
    assert!(
        parts.contains(&FormPart::text("numberOfClientAttemptsAllowed", "3")),
        "{parts:?}"
    );

    // Out of its bounds (1 to 3), refused before sending.
    server.reset().await;
    expect_no_request(&server).await;
    for attempts in [0, 4] {
        let refused = preview(&server)
            .v1_2()
            .liveness_with_verify_session()
            .create(LivenessOperationMode::Passive, verify_image.clone())
            .device_correlation_id("device-1")
            .number_of_client_attempts_allowed(attempts)
            .await
            .unwrap_err();
        assert_invalid(&refused, "numberOfClientAttemptsAllowed", &[]);
    }
}
