//! Fault injection: chosen operations answer 429 with `Retry-After`, a 5xx, or
//! slowly, a number of times or until cleared, set from the test or over HTTP.

mod common;

use std::time::{Duration, Instant};

use common::{Client, png, start};
use face_mock::{FAULTS_PATH, Fault, MockConfig};
use serde_json::json;

async fn detect(client: &Client) -> common::Reply {
    client.post_image("/detect", &png("", "x")).await
}

/// Sends a request outside `/face/v1.0` (the fault control) with the key.
async fn control(client: &Client, method: &str, body: &serde_json::Value) -> common::Reply {
    let body = serde_json::to_vec(body).unwrap_or_default();
    let request = format!(
        "{method} {FAULTS_PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOcp-Apim-Subscription-Key: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        client.key,
        body.len()
    );
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(&body);
    common::exchange(client.address, &bytes)
        .await
        .expect("an answer")
}

#[tokio::test]
async fn a_throttle_answers_429_with_retry_after_the_given_number_of_times() {
    let (server, client) = start(MockConfig::new()).await;
    server
        .inject(Fault::throttle("Face_Detect", Duration::from_secs(7)).times(2))
        .expect("a valid fault");
    for _ in 0..2 {
        let reply = detect(&client).await;
        reply.expect(429, "429");
        assert_eq!(reply.header("retry-after"), Some("7"));
    }
    detect(&client).await.expect(200, "");
    client.get("/persongroups").await.expect(200, "");
}

#[tokio::test]
async fn an_error_lasts_until_cleared_and_applies_only_to_its_operation() {
    let (server, client) = start(MockConfig::new()).await;
    server
        .inject(Fault::error("PersonGroup_List", 503))
        .expect("a valid fault");
    for _ in 0..3 {
        client
            .get("/persongroups")
            .await
            .expect(503, "ServiceUnavailable");
    }
    detect(&client).await.expect(200, "");
    server.clear_faults();
    client.get("/persongroups").await.expect(200, "");
}

#[tokio::test]
async fn a_slow_fault_delays_the_usual_answer() {
    let (server, client) = start(MockConfig::new()).await;
    server
        .inject(Fault::slow("*", Duration::from_millis(300)).times(1))
        .expect("a valid fault");
    let started = Instant::now();
    detect(&client).await.expect(200, "");
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    detect(&client).await.expect(200, "");
    assert!(started.elapsed() < Duration::from_millis(300), "only once");
}

#[tokio::test]
async fn faults_are_set_listed_and_cleared_over_http() {
    let (_server, client) = start(MockConfig::new()).await;
    control(
        &client,
        "POST",
        &json!({"operation": "Face_Group", "status": 500, "times": 1}),
    )
    .await
    .expect(204, "");
    let listed = control(&client, "GET", &json!(null)).await;
    assert_eq!(listed.json()[0]["operation"], json!("Face_Group"));
    client
        .post("/group", &json!({"faceIds": []}))
        .await
        .expect(500, "InternalServerError");
    control(
        &client,
        "POST",
        &json!({"operation": "Face_Group", "status": 502}),
    )
    .await
    .expect(204, "");
    control(&client, "DELETE", &json!(null))
        .await
        .expect(204, "");
    assert_eq!(
        control(&client, "GET", &json!(null)).await.json(),
        json!([])
    );
    for bad in [
        json!({"operation": "Face_Nothing", "status": 500}),
        json!({"operation": "Face_Group", "status": 404}),
        json!({"operation": "Face_Group"}),
        json!({"operation": "Face_Group", "status": "500"}),
    ] {
        control(&client, "POST", &bad)
            .await
            .expect(400, "BadArgument");
    }
}

#[tokio::test]
async fn the_fault_control_needs_the_key() {
    let (_server, client) = start(MockConfig::new()).await;
    let wrong = Client {
        address: client.address,
        key: "wrong".into(),
    };
    control(&wrong, "DELETE", &json!(null))
        .await
        .expect(401, "401");
}

/// A fault names an operation, so it applies in every version that has it.
#[tokio::test]
async fn a_fault_applies_to_its_operation_in_both_versions() {
    let (server, client) = start(MockConfig::new()).await;
    server
        .inject(Fault::error("PersonGroup_List", 500).times(2))
        .expect("a valid fault");
    client
        .get("/persongroups")
        .await
        .expect(500, "InternalServerError");
    let v1_2 = client
        .send_to("GET", "/face/v1.2/persongroups", &[], b"")
        .await;
    v1_2.expect(500, "InternalServerError");
    assert_eq!(v1_2.header("x-ms-error-code"), Some("InternalServerError"));
    client.get("/persongroups").await.expect(200, "");
}
