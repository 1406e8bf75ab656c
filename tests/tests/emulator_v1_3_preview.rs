//! The flow of Face v1.3-preview.1 end to end: `face-sdk` at that service version against
//! the `face-mock` emulator, started in-process: abuse monitoring turned on, a liveness
//! session that allows two attempts (a third refused by the emulator's test control), its
//! result with the fields v1.3-preview.1 adds, and a client assets token.

use face_mock::{LivenessAttempt, MockConfig, MockServer};
use face_sdk::FaceClient;
use face_sdk::v1_2::ServiceVersion;
use face_sdk::v1_2::models::{
    LivenessAbuseMonitoringSettingUpdate, LivenessOperationMode, OperationState,
};

/// The emulator, and a client of it at v1.3-preview.1.
async fn start() -> (MockServer, FaceClient) {
    let server = MockServer::start(MockConfig::new())
        .await
        .expect("the emulator starts");
    let client = FaceClient::builder(server.endpoint())
        .api_key(server.key())
        .service_version(ServiceVersion::V1_3Preview1)
        .build()
        .expect("a valid client");
    (server, client)
}

#[tokio::test]
async fn a_preview_session_with_abuse_monitoring_and_two_attempts() {
    let (server, client) = start().await;
    let sessions = client.v1_2().liveness_session();

    let mut turn_on = LivenessAbuseMonitoringSettingUpdate::default();
    turn_on.enabled = Some(true);
    let settings = sessions
        .update_settings()
        .liveness_abuse_monitoring(turn_on)
        .await
        .expect("the settings change");
    assert!(settings.liveness_abuse_monitoring.enabled);
    let settings = sessions
        .get_settings()
        .await
        .expect("the settings are read");
    assert!(
        settings.liveness_abuse_monitoring.enabled,
        "the emulator keeps the setting"
    );

    let created = sessions
        .create(LivenessOperationMode::Passive)
        .device_correlation_id("device-1")
        .number_of_client_attempts_allowed(2)
        .expected_client_ip_address("203.0.113.7")
        .await
        .expect("the session is created");
    for address in ["203.0.113.7", "203.0.113.8"] {
        server
            .finish_liveness_session(
                &created.session_id,
                LivenessAttempt::real().from_address(address),
            )
            .expect("an attempt within the two allowed");
    }
    let third = server.finish_liveness_session(&created.session_id, LivenessAttempt::real());
    assert!(third.is_err(), "a third attempt is refused: {third:?}");

    let session = sessions
        .get_result(created.session_id.clone())
        .await
        .expect("the result is read");
    assert_eq!(session.status, OperationState::Succeeded);
    assert_eq!(session.is_abuse_monitoring_enabled, Some(true));
    assert_eq!(
        session.expected_client_ip_address.as_deref(),
        Some("203.0.113.7")
    );
    let attempts = &session.results.attempts;
    assert_eq!(attempts.len(), 2, "{attempts:#?}");
    let addresses: Vec<Vec<String>> = attempts
        .iter()
        .map(|attempt| {
            attempt
                .client_information
                .iter()
                .flatten()
                .map(|client| client.ip.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        addresses,
        [
            vec!["203.0.113.7".to_owned()],
            vec!["203.0.113.8".to_owned()]
        ]
    );

    let token = sessions
        .get_client_assets_access_token()
        .await
        .expect("a client assets token");
    assert!(!token.access_token.is_empty());
    assert!(
        std::time::SystemTime::from(token.expiry) > std::time::SystemTime::now(),
        "the token expires later: {}",
        token.expiry
    );
}

#[tokio::test]
async fn a_v1_2_client_of_the_emulator_has_no_preview_fields() {
    let (server, preview) = start().await;
    let client = FaceClient::new(server.endpoint(), server.key()).expect("a valid client");
    let created = client
        .v1_2()
        .liveness_session()
        .create(LivenessOperationMode::Passive)
        .device_correlation_id("device-1")
        .await
        .expect("the session is created");
    let session = client
        .v1_2()
        .liveness_session()
        .get_result(created.session_id)
        .await
        .expect("the result is read");
    assert_eq!(session.is_abuse_monitoring_enabled, None, "absent at v1.2");
    assert!(
        preview
            .v1_2()
            .liveness_session()
            .get_settings()
            .await
            .is_ok(),
        "the same emulator answers the settings at v1.3-preview.1"
    );
}
