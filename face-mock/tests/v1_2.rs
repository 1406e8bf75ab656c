//! `/face/v1.2`, served from `spec/face-v1.2.yaml` beside `/face/v1.0` over the
//! same store: what differs from v1.0 (no snapshots, identify's default,
//! retired attributes, `x-ms-error-code`), and liveness sessions finished
//! through the test control.

mod common;

use codegen::ir::Api;
use common::{Client, Reply, exchange, jpeg, png, start};
use face_mock::{LivenessAttempt, MockConfig, MockServer, Seed};
use serde_json::{Value, json};

fn v1_0() -> Api {
    common::ir("face.yaml")
}

fn v1_2() -> Api {
    common::ir("face-v1.2.yaml")
}

async fn get(client: &Client, path: &str) -> Reply {
    client.send_to("GET", path, &[], b"").await
}

async fn post_json(client: &Client, path: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).unwrap_or_default();
    client
        .send_to("POST", path, &[("Content-Type", "application/json")], &body)
        .await
}

#[tokio::test]
async fn both_versions_share_one_store() {
    let (_server, client) = start(MockConfig::new()).await;
    client
        .put("/persongroups/shared", &json!({"name": "Shared"}))
        .await
        .expect(200, "");
    let listed = get(&client, "/face/v1.2/persongroups").await;
    listed.expect(200, "");
    assert_eq!(listed.json()[0]["personGroupId"], json!("shared"));
}

#[tokio::test]
async fn v1_2_errors_carry_x_ms_error_code_and_v1_0_errors_do_not() {
    let (_server, client) = start(MockConfig::new()).await;
    let missing = get(&client, "/face/v1.2/persongroups/nobody").await;
    missing.expect(404, "PersonGroupNotFound");
    assert_eq!(
        missing.header("x-ms-error-code"),
        Some("PersonGroupNotFound")
    );
    let wrong_key = Client {
        address: client.address,
        key: "wrong".into(),
    };
    let refused = get(&wrong_key, "/face/v1.2/persongroups").await;
    assert_eq!(refused.header("x-ms-error-code"), Some("401"));
    let old = client.get("/persongroups/nobody").await;
    old.expect(404, "PersonGroupNotFound");
    assert_eq!(old.header("x-ms-error-code"), None);
}

#[tokio::test]
async fn v1_2_has_no_snapshots() {
    let (_server, client) = start(MockConfig::new()).await;
    assert!(
        common::routes(&v1_2())
            .iter()
            .all(|(id, _, _)| !id.starts_with("Snapshot_"))
    );
    let body = json!({"type": "PersonGroup", "objectId": "x", "applyScope": []});
    post_json(&client, "/face/v1.2/snapshots", &body)
        .await
        .expect(404, "404");
    get(
        &client,
        "/face/v1.2/operations/00000000-0000-4000-8000-000000000000",
    )
    .await
    .expect(404, "404");
}

/// The attributes v1.0 lists and v1.2 does not are retired: v1.2 refuses them.
#[tokio::test]
async fn v1_2_refuses_the_retired_attributes() {
    let (_server, client) = start(MockConfig::new()).await;
    let current = v1_2();
    let current = common::enum_values(&current, "FaceAttributeType");
    let retired: Vec<String> = common::enum_values(&v1_0(), "FaceAttributeType")
        .into_iter()
        .filter(|name| !current.contains(name))
        .collect();
    assert!(!retired.is_empty(), "v1.2 retires some attributes");
    for attribute in retired {
        let query = format!("?returnFaceAttributes={attribute}");
        let image = png("", "x");
        let headers = [("Content-Type", "application/octet-stream")];
        let refused = client
            .send_to(
                "POST",
                &format!("/face/v1.2/detect{query}"),
                &headers,
                &image,
            )
            .await;
        refused.expect(400, "BadArgument");
        assert!(
            refused.json()["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(&attribute),
            "{attribute}: {}",
            String::from_utf8_lossy(&refused.body)
        );
        client
            .post_image(&format!("/detect{query}"), &image)
            .await
            .expect(200, "");
    }
}

/// Identify returns as many candidates as each spec's default says when none is asked for.
#[tokio::test]
async fn identify_takes_each_versions_default_number_of_candidates() {
    let persons: Vec<Value> = (0..30)
        .map(|_| json!({"faces": [{"person": "alice"}]}))
        .collect();
    let seed = json!({"personGroups": [{"personGroupId": "many", "recognitionModel": "recognition_04", "persons": persons}]});
    let seed = Seed::from_json(&seed.to_string()).expect("a seed");
    let (_server, client) = start(MockConfig::new().with_seed(seed)).await;
    let face = client.face_ids(&png("FACE-MOCK:person=alice", "q")).await[0].clone();
    for (base, spec) in [("/face/v1.0", v1_0()), ("/face/v1.2", v1_2())] {
        let default = common::field(&spec, "Face_Identify", "maxNumOfCandidatesReturned")
            .1
            .and_then(|value| value.as_u64())
            .expect("a default");
        let body = json!({"faceIds": [face], "personGroupId": "many"});
        let reply = post_json(&client, &format!("{base}/identify"), &body).await;
        reply.expect(200, "");
        let candidates = reply.json()[0]["candidates"].as_array().map(Vec::len);
        assert_eq!(candidates, Some(default as usize), "{base}");
    }
}

/// A multipart body with the given text fields and a verify image file part.
fn form(fields: &[(&str, &str)], image: Option<&[u8]>) -> (String, Vec<u8>) {
    let boundary = "face-mock-boundary-7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(image) = image {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"verifyImage\"; filename=\"me.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(image);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn create_verify_session(client: &Client, person: &str, extra: &[(&str, &str)]) -> Value {
    let mut fields = vec![
        ("livenessOperationMode", "Passive"),
        ("deviceCorrelationId", "device-1"),
    ];
    fields.extend_from_slice(extra);
    let (content_type, body) = form(
        &fields,
        Some(&jpeg(&format!("FACE-MOCK:person={person}"), "ref")),
    );
    let reply = client
        .send_to(
            "POST",
            "/face/v1.2/detectLivenessWithVerify-sessions",
            &[("Content-Type", &content_type)],
            &body,
        )
        .await;
    reply.expect(200, "");
    reply.json()
}

#[tokio::test]
async fn a_liveness_with_verify_session_is_finished_by_the_control_and_read_back() {
    let (server, client) = start(MockConfig::new()).await;
    let created = create_verify_session(&client, "alice", &[("enableSessionImage", "true")]).await;
    let id = created["sessionId"]
        .as_str()
        .expect("a session id")
        .to_string();
    assert!(
        created["authToken"]
            .as_str()
            .is_some_and(|token| !token.is_empty())
    );
    assert_eq!(created["status"], json!("NotStarted"));
    assert_eq!(created["results"]["attempts"], json!([]));
    assert!(created["results"]["verifyReferences"][0]["faceRectangle"].is_object());

    server
        .finish_liveness_session(&id, LivenessAttempt::real().showing("alice"))
        .expect("the session exists");
    let path = format!("/face/v1.2/detectLivenessWithVerify-sessions/{id}");
    let read = get(&client, &path).await;
    read.expect(200, "");
    let session = read.json();
    assert_eq!(session["status"], json!("Succeeded"));
    let result = &session["results"]["attempts"][0]["result"];
    assert_eq!(result["livenessDecision"], json!("realface"));
    assert_eq!(result["verifyResult"]["isIdentical"], json!(true));

    let image_id = result["sessionImageId"].as_str().expect("an image id");
    let image = get(&client, &format!("/face/v1.2/sessionImages/{image_id}")).await;
    image.expect(200, "");
    assert_eq!(
        image.header("content-type"),
        Some("application/octet-stream")
    );
    let detected = post_json(
        &client,
        "/face/v1.2/detect?returnFaceId=false",
        &json!({"sessionImageId": image_id}),
    )
    .await;
    detected.expect(200, "");
    assert_eq!(
        detected.json()[0]["faceRectangle"],
        result["targets"]["color"]["faceRectangle"]
    );

    client
        .send_to("DELETE", &path, &[], b"")
        .await
        .expect(204, "");
    get(&client, &path).await.expect(404, "SessionNotFound");
    get(&client, &format!("/face/v1.2/sessionImages/{image_id}"))
        .await
        .expect(404, "SessionImageNotFound");
}

#[tokio::test]
async fn another_person_or_a_spoof_is_told_apart() {
    let (server, client) = start(MockConfig::new()).await;
    let id = |session: &Value| {
        session["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let other = id(&create_verify_session(&client, "alice", &[]).await);
    server
        .finish_liveness_session(&other, LivenessAttempt::real().showing("bob"))
        .expect("finished");
    let spoof = id(&create_verify_session(&client, "alice", &[]).await);
    control_finish(
        &client,
        &spoof,
        &json!({"livenessDecision": "spoofface", "person": "alice"}),
    )
    .await
    .expect(204, "");
    let result = |session: &str| {
        let path = format!("/face/v1.2/detectLivenessWithVerify-sessions/{session}");
        let client = &client;
        async move { get(client, &path).await.json()["results"]["attempts"][0]["result"].clone() }
    };
    let other = result(&other).await;
    assert_eq!(other["livenessDecision"], json!("realface"));
    assert_eq!(other["verifyResult"]["isIdentical"], json!(false));
    assert!(
        other.get("sessionImageId").is_none(),
        "no image unless asked for"
    );
    assert_eq!(result(&spoof).await["livenessDecision"], json!("spoofface"));
    control_finish(
        &client,
        "no-such-session",
        &json!({"livenessDecision": "realface"}),
    )
    .await
    .expect(404, "SessionNotFound");
    control_finish(&client, &spoof, &json!({"livenessDecision": "maybe"}))
        .await
        .expect(400, "BadArgument");
}

async fn control_finish(client: &Client, session: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).unwrap_or_default();
    let request = format!(
        "POST /face-mock/liveness-sessions/{session}/attempts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOcp-Apim-Subscription-Key: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        client.key,
        body.len()
    );
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(&body);
    exchange(client.address, &bytes).await.expect("an answer")
}

#[tokio::test]
async fn liveness_sessions_are_checked_as_the_service_checks_them() {
    let (server, client) = start(MockConfig::new()).await;
    let path = "/face/v1.2/detectLiveness-sessions";
    post_json(&client, path, &json!({"livenessOperationMode": "Passive"}))
        .await
        .expect(400, "BadArgument");
    post_json(
        &client,
        path,
        &json!({"livenessOperationMode": "Sometimes", "deviceCorrelationId": "d"}),
    )
    .await
    .expect(400, "BadArgument");
    let created = post_json(
        &client,
        path,
        &json!({"livenessOperationMode": "PassiveActive", "deviceCorrelationIdSetInClient": true}),
    )
    .await;
    created.expect(200, "");
    let id = created.json()["sessionId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(created.json()["results"].get("verifyReferences").is_none());
    // A plain session is not a liveness-with-verify session.
    get(
        &client,
        &format!("/face/v1.2/detectLivenessWithVerify-sessions/{id}"),
    )
    .await
    .expect(404, "SessionNotFound");
    server
        .finish_liveness_session(&id, LivenessAttempt::uncertain())
        .expect("finished");
    let read = get(&client, &format!("{path}/{id}")).await.json();
    assert_eq!(
        read["results"]["attempts"][0]["result"]["livenessDecision"],
        json!("uncertain")
    );

    let (content_type, no_file_name) = {
        let (content_type, body) = form(
            &[
                ("livenessOperationMode", "Passive"),
                ("deviceCorrelationId", "d"),
            ],
            Some(&png("", "x")),
        );
        (
            content_type,
            String::from_utf8_lossy(&body)
                .replace("; filename=\"me.jpg\"", "")
                .into_bytes(),
        )
    };
    let verify = "/face/v1.2/detectLivenessWithVerify-sessions";
    client
        .send_to(
            "POST",
            verify,
            &[("Content-Type", &content_type)],
            &no_file_name,
        )
        .await
        .expect(400, "BadArgument");
    let (content_type, no_image) = form(
        &[
            ("livenessOperationMode", "Passive"),
            ("deviceCorrelationId", "d"),
        ],
        None,
    );
    client
        .send_to(
            "POST",
            verify,
            &[("Content-Type", &content_type)],
            &no_image,
        )
        .await
        .expect(400, "BadArgument");
    let (content_type, faceless) = form(
        &[
            ("livenessOperationMode", "Passive"),
            ("deviceCorrelationId", "d"),
        ],
        Some(&png("FACE-MOCK:faces=0", "x")),
    );
    client
        .send_to(
            "POST",
            verify,
            &[("Content-Type", &content_type)],
            &faceless,
        )
        .await
        .expect(400, "InvalidImage");
    let (content_type, bad_threshold) = form(
        &[
            ("livenessOperationMode", "Passive"),
            ("deviceCorrelationId", "d"),
            ("verifyConfidenceThreshold", "2"),
        ],
        Some(&png("", "x")),
    );
    client
        .send_to(
            "POST",
            verify,
            &[("Content-Type", &content_type)],
            &bad_threshold,
        )
        .await
        .expect(400, "BadArgument");
}

#[tokio::test]
async fn a_bearer_token_reaches_v1_2() {
    let server = MockServer::start(MockConfig::new()).await.expect("starts");
    let token = server.bearer_token().expect("a token").to_string();
    let request = format!(
        "GET /face/v1.2/largepersongroups HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\r\n"
    );
    exchange(server.address(), request.as_bytes())
        .await
        .expect("an answer")
        .expect(200, "");
}

/// Each version's answer spells a status as its spec does: v1.0 `notstarted`, v1.2 `notStarted`.
#[tokio::test]
async fn training_status_is_spelled_as_each_spec_spells_it() {
    let (_server, client) = start(MockConfig::new().with_training_polls(2)).await;
    for base in ["/face/v1.0", "/face/v1.2"] {
        let group = format!("{base}/persongroups/spelled");
        let body = serde_json::to_vec(&json!({"name": "Spelled"})).unwrap_or_default();
        let headers = [("Content-Type", "application/json")];
        client.send_to("PUT", &group, &headers, &body).await;
        client
            .send_to("POST", &format!("{group}/train"), &[], b"")
            .await
            .expect(202, "");
        let status = get(&client, &format!("{group}/training")).await.json()["status"].clone();
        let expected = if base.ends_with("1.0") {
            "notstarted"
        } else {
            "notStarted"
        };
        assert_eq!(status, json!(expected), "{base}");
        client.send_to("DELETE", &group, &[], b"").await;
        get(&client, &format!("{group}/training")).await;
        get(&client, &format!("{group}/training")).await;
        client
            .send_to("DELETE", &group, &[], b"")
            .await
            .expect(200, "");
    }
}

/// The spec has no operation that fills the person directory or makes a
/// dynamic person group, so the emulator's directory is empty and it has no
/// dynamic person group.
#[tokio::test]
async fn the_person_directory_is_empty_and_there_is_no_dynamic_person_group() {
    let (_server, client) = start(MockConfig::new()).await;
    let face = client.face_ids(&png("FACE-MOCK:person=alice", "d")).await[0].clone();
    let named = json!({"faceIds": [face], "personIds": ["00000000-0000-4000-8000-000000000001"]});
    post_json(&client, "/face/v1.2/identify", &named)
        .await
        .expect(400, "PersonNotFound");
    let dynamic = json!({"faceIds": [face], "dynamicPersonGroupId": "team"});
    post_json(&client, "/face/v1.2/identify", &dynamic)
        .await
        .expect(400, "DynamicPersonGroupNotFound");
    let verify = json!({"faceId": face, "personId": "00000000-0000-4000-8000-000000000001"});
    post_json(&client, "/face/v1.2/verify", &verify)
        .await
        .expect(404, "PersonNotFound");
}

/// A list of persons holding only the spec's "every item" value (`x-sdk-all-items`) searches
/// the whole (empty) directory: each face gets no candidate. Mixed with an id, the value is
/// not a UUID and the request is refused.
#[tokio::test]
async fn every_person_of_the_directory_is_searched_by_the_all_items_value_alone() {
    let every = common::ir("face-v1.2.yaml")
        .all_or_lists
        .iter()
        .find(|list| list.name == "PersonIds")
        .expect("the spec has a list of person ids or all")
        .all
        .clone();
    let (_server, client) = start(MockConfig::new()).await;
    let face = client.face_ids(&png("FACE-MOCK:person=alice", "e")).await[0].clone();
    let everyone = json!({"faceIds": [face], "personIds": [every]});
    let reply = post_json(&client, "/face/v1.2/identify", &everyone).await;
    assert_eq!(reply.json(), json!([{"faceId": face, "candidates": []}]));
    let mixed =
        json!({"faceIds": [face], "personIds": [every, "00000000-0000-4000-8000-000000000001"]});
    post_json(&client, "/face/v1.2/identify", &mixed)
        .await
        .expect(400, "BadArgument");
}

/// A session's `verifyConfidenceThreshold` decides `isIdentical`: the same
/// person (confidence about 0.9) passes the emulator's 0.5, but not 0.99.
#[tokio::test]
async fn the_verify_threshold_of_the_session_decides_identity() {
    let (server, client) = start(MockConfig::new()).await;
    for (threshold, identical) in [(None, true), (Some("0.99"), false)] {
        let extra: Vec<(&str, &str)> = threshold
            .map(|value| ("verifyConfidenceThreshold", value))
            .into_iter()
            .collect();
        let session = create_verify_session(&client, "alice", &extra).await;
        let id = session["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        server
            .finish_liveness_session(&id, LivenessAttempt::real().showing("alice"))
            .expect("finished");
        let path = format!("/face/v1.2/detectLivenessWithVerify-sessions/{id}");
        let result = get(&client, &path).await.json()["results"]["attempts"][0]["result"].clone();
        assert_eq!(
            result["verifyResult"]["isIdentical"],
            json!(identical),
            "{threshold:?}"
        );
    }
}
