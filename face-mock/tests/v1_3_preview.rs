//! `/face/v1.3-preview.1`, served from the one table of the v1.2 family beside `/face/v1.2`
//! over the same store: the liveness settings, the client assets token, the number of client
//! attempts a session allows (enforced by the test control), and what answers add at this
//! version and leave out at v1.2. Base paths, bounds and the versions' lists come from the IR.

mod common;

use std::time::{Duration, SystemTime};

use codegen::ir::Api;
use common::{Client, Reply, base_path_at, bounds, field, jpeg, start};
use face_mock::{Clock, LivenessAttempt, MockConfig, MockServer};
use serde_json::{Value, json};

fn family() -> Api {
    common::ir("face-v1.2.yaml")
}

/// The base paths of the family's first version (v1.2) and of its last (v1.3-preview.1).
fn base_paths() -> (String, String) {
    let family = family();
    let first = family.versions.first().expect("the family lists versions");
    let last = family.versions.last().expect("the family lists versions");
    assert_ne!(first, last, "the family lists a later version");
    (base_path_at(&family, first), base_path_at(&family, last))
}

async fn send(client: &Client, method: &str, path: &str, body: Option<&Value>) -> Reply {
    match body {
        Some(body) => {
            let bytes = serde_json::to_vec(body).unwrap_or_default();
            client
                .send_to(
                    method,
                    path,
                    &[("Content-Type", "application/json")],
                    &bytes,
                )
                .await
        }
        None => client.send_to(method, path, &[], b"").await,
    }
}

/// A multipart body with the given text fields and a verify image file part.
fn form(fields: &[(&str, &str)], image: &[u8]) -> (String, Vec<u8>) {
    let boundary = "v13-boundary-7c2a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"verifyImage\"; filename=\"me.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn finish(server: &MockServer, session: &str, address: &str) -> Result<(), face_mock::ApiError> {
    server.finish_liveness_session(session, LivenessAttempt::real().from_address(address))
}

/// The issue's flow on v1.3-preview.1: abuse monitoring turned on and kept, a session that
/// allows 2 attempts takes two and refuses a third, its result carries the new fields, and a
/// client assets token expires by the emulator's clock.
#[tokio::test]
async fn abuse_monitoring_attempt_limits_and_the_client_assets_token() {
    let start_time = SystemTime::UNIX_EPOCH + Duration::from_hours(500_000);
    let (server, client) = start(MockConfig::new().with_clock(Clock::manual(start_time))).await;
    let (_, v13) = base_paths();

    let settings = format!("{v13}/settings");
    let before = send(&client, "GET", &settings, None).await;
    before.expect(200, "");
    assert_eq!(
        before.json(),
        json!({"livenessAbuseMonitoring": {"enabled": false}})
    );
    let on = json!({"livenessAbuseMonitoring": {"enabled": true}});
    let patched = send(&client, "PATCH", &settings, Some(&on)).await;
    patched.expect(200, "");
    assert_eq!(patched.json(), on, "the PATCH answers the settings");
    // An update that names nothing keeps what is set.
    let kept = send(&client, "PATCH", &settings, Some(&json!({}))).await;
    assert_eq!(kept.json(), on);
    assert_eq!(send(&client, "GET", &settings, None).await.json(), on);

    let create = json!({
        "livenessOperationMode": "Passive",
        "deviceCorrelationId": "device-1",
        "numberOfClientAttemptsAllowed": 2,
        "expectedClientIpAddress": "203.0.113.0/24",
        "userCorrelationId": "d2c4e0a2-0000-4000-8000-000000000001",
    });
    let created = send(
        &client,
        "POST",
        &format!("{v13}/detectLiveness-sessions"),
        Some(&create),
    )
    .await;
    created.expect(200, "");
    assert_eq!(created.json()["isAbuseMonitoringEnabled"], json!(true));
    let id = created.json()["sessionId"]
        .as_str()
        .expect("a session id")
        .to_owned();

    finish(&server, &id, "203.0.113.7").expect("the first attempt");
    finish(&server, &id, "203.0.113.8").expect("the second attempt");
    let refused = finish(&server, &id, "203.0.113.9").expect_err("a third attempt is refused");
    assert_eq!(refused.status.as_u16(), 409);
    assert_eq!(refused.code, "AttemptsExhausted");
    assert!(refused.message.contains("allows 2"), "{}", refused.message);
    // Over HTTP the control refuses it alike.
    let control = client
        .send_to(
            "POST",
            &face_mock::LIVENESS_ATTEMPTS_PATH.replace("{sessionId}", &id),
            &[("Content-Type", "application/json")],
            br#"{"livenessDecision": "realface"}"#,
        )
        .await;
    control.expect(409, "AttemptsExhausted");

    let result = send(
        &client,
        "GET",
        &format!("{v13}/detectLiveness-sessions/{id}"),
        None,
    )
    .await;
    result.expect(200, "");
    let result = result.json();
    assert_eq!(result["isAbuseMonitoringEnabled"], json!(true));
    assert_eq!(result["expectedClientIpAddress"], json!("203.0.113.0/24"));
    let attempts = result["results"]["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 2, "the refused attempt left no trace");
    for (attempt, address) in attempts.iter().zip(["203.0.113.7", "203.0.113.8"]) {
        assert_eq!(attempt["clientInformation"], json!([{"ip": address}]));
        assert_eq!(
            attempt["abuseMonitoringResult"]["isAbuseDetected"],
            json!(false)
        );
    }

    let token = send(
        &client,
        "GET",
        &format!("{v13}/settings/getClientAssetsAccessToken"),
        None,
    )
    .await;
    token.expect(200, "");
    let token = token.json();
    let expiry = token["expiry"].as_str().expect("an expiry");
    let expiry = chrono::DateTime::parse_from_rfc3339(expiry).expect("a date-time");
    let now: chrono::DateTime<chrono::Utc> = start_time.into();
    assert_eq!(
        expiry,
        now + chrono::Duration::hours(1),
        "the token expires one hour after the emulator's clock"
    );
    let access = token["accessToken"].as_str().expect("a token");
    assert!(!access.is_empty());
    assert_ne!(token["base64AccessToken"], token["accessToken"]);
}

/// The settings kept by v1.3-preview.1 apply to a session made there; a session made with
/// monitoring off says so, and one made without an attempt count takes any number.
#[tokio::test]
async fn sessions_follow_the_settings_at_their_creation() {
    let (server, client) = start(MockConfig::new()).await;
    let (_, v13) = base_paths();
    let create = json!({"livenessOperationMode": "Passive", "deviceCorrelationId": "device-1"});
    let created = send(
        &client,
        "POST",
        &format!("{v13}/detectLiveness-sessions"),
        Some(&create),
    )
    .await;
    created.expect(200, "");
    assert_eq!(created.json()["isAbuseMonitoringEnabled"], json!(false));
    assert!(created.json().get("expectedClientIpAddress").is_none());
    let id = created.json()["sessionId"]
        .as_str()
        .expect("an id")
        .to_owned();
    for _ in 0..4 {
        server
            .finish_liveness_session(&id, LivenessAttempt::real())
            .expect("no limit was asked for");
    }
    let result = send(
        &client,
        "GET",
        &format!("{v13}/detectLiveness-sessions/{id}"),
        None,
    )
    .await;
    let attempts = result.json()["results"]["attempts"].clone();
    assert_eq!(attempts.as_array().map(Vec::len), Some(4));
    assert_eq!(
        attempts[0]["clientInformation"],
        json!([{"ip": face_mock::DEFAULT_CLIENT_IP}]),
        "the documented default address"
    );
    assert!(
        attempts[0].get("abuseMonitoringResult").is_none(),
        "monitoring was off"
    );
}

/// v1.2 answers carry no property that only v1.3-preview.1 adds, for a session made at either
/// version (one store), and a field only v1.3-preview.1 takes is ignored by v1.2, as every field
/// its schema does not name is: the attempt count sent to v1.2 sets no limit.
#[tokio::test]
async fn v1_2_ignores_and_leaves_out_what_v1_3_preview_adds() {
    let (server, client) = start(MockConfig::new()).await;
    let (v12, v13) = base_paths();
    let on = json!({"livenessAbuseMonitoring": {"enabled": true}});
    send(&client, "PATCH", &format!("{v13}/settings"), Some(&on))
        .await
        .expect(200, "");
    let create = json!({
        "livenessOperationMode": "Passive",
        "deviceCorrelationId": "device-1",
        "numberOfClientAttemptsAllowed": 1,
        "expectedClientIpAddress": "198.51.100.1",
    });
    let created = send(
        &client,
        "POST",
        &format!("{v12}/detectLiveness-sessions"),
        Some(&create),
    )
    .await;
    created.expect(200, "");
    for property in ["isAbuseMonitoringEnabled", "expectedClientIpAddress"] {
        assert!(created.json().get(property).is_none(), "{property} at v1.2");
    }
    let id = created.json()["sessionId"]
        .as_str()
        .expect("an id")
        .to_owned();
    server
        .finish_liveness_session(&id, LivenessAttempt::real())
        .expect("one");
    server
        .finish_liveness_session(&id, LivenessAttempt::real())
        .expect("v1.2 ignored the attempt count");
    let at_v12 = send(
        &client,
        "GET",
        &format!("{v12}/detectLiveness-sessions/{id}"),
        None,
    )
    .await;
    at_v12.expect(200, "");
    let attempt = &at_v12.json()["results"]["attempts"][0];
    for property in ["clientInformation", "abuseMonitoringResult"] {
        assert!(attempt.get(property).is_none(), "{property} at v1.2");
    }
    // The same session read at v1.3-preview.1 answers what that version adds, from the store;
    // the address sent to v1.2 was never kept.
    let at_v13 = send(
        &client,
        "GET",
        &format!("{v13}/detectLiveness-sessions/{id}"),
        None,
    )
    .await;
    at_v13.expect(200, "");
    let json = at_v13.json();
    assert_eq!(json["isAbuseMonitoringEnabled"], json!(true));
    assert!(json.get("expectedClientIpAddress").is_none());
    assert!(
        json["results"]["attempts"][0]
            .get("clientInformation")
            .is_some()
    );
}

/// The form field `numberOfClientAttemptsAllowed` of liveness-with-verify is checked at
/// v1.3-preview.1 by the IR's bounds (the bounds pass, one beyond is refused) and enforced.
#[tokio::test]
async fn the_with_verify_form_field_is_bounded_and_enforced() {
    let (server, client) = start(MockConfig::new()).await;
    let (_, v13) = base_paths();
    let family = family();
    let at = family
        .at_version(family.versions.last().expect("versions"))
        .expect("a listed version");
    let ((min, max), _) = bounds(
        &field(
            &at,
            "LivenessWithVerifySession_Create",
            "numberOfClientAttemptsAllowed",
        )
        .0,
    );
    let (min, max) = (min.expect("a minimum"), max.expect("a maximum"));
    let image = jpeg("FACE-MOCK:person=alice", "ref");
    let path = format!("{v13}/detectLivenessWithVerify-sessions");
    let mut sessions = Vec::new();
    for (value, status) in [(min, 200), (max, 200), (min - 1.0, 400), (max + 1.0, 400)] {
        let count = value.to_string();
        let fields = [
            ("livenessOperationMode", "Passive"),
            ("deviceCorrelationId", "device-1"),
            ("numberOfClientAttemptsAllowed", count.as_str()),
        ];
        let (content_type, body) = form(&fields, &image);
        let reply = client
            .send_to(
                "POST",
                &path,
                &[("Content-Type", content_type.as_str())],
                &body,
            )
            .await;
        reply.expect(status, "BadArgument");
        if status == 200 {
            let id = reply.json()["sessionId"]
                .as_str()
                .expect("an id")
                .to_owned();
            sessions.push((id, value));
        }
    }
    for (id, allowed) in sessions {
        let mut made = 0.0;
        while server
            .finish_liveness_session(&id, LivenessAttempt::real().showing("alice"))
            .is_ok()
        {
            made += 1.0;
            assert!(made <= allowed, "{id} takes no more than {allowed}");
        }
        assert!(
            (made - allowed).abs() < f64::EPSILON,
            "{id} took {made} of {allowed}"
        );
    }
}
