//! Transport-level behaviour: the key, media types, malformed and oversized
//! bodies, unknown routes, the library's router and the server's lifecycle.

mod common;

use common::{Client, exchange, png, start};
use face_mock::{MockConfig, MockServer};
use serde_json::json;

#[tokio::test]
async fn the_key_is_required_and_checked() {
    let (server, client) = start(MockConfig::new().with_key("secret")).await;
    assert_eq!(server.key(), "secret");
    assert!(server.endpoint().starts_with("http://127.0.0.1:"));
    let wrong = Client {
        address: client.address,
        key: "nope".into(),
    };
    wrong.get("/persongroups").await.expect(401, "401");
    let request = "GET /face/v1.0/persongroups HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let missing = exchange(client.address, request.as_bytes())
        .await
        .expect("an answer");
    missing.expect(401, "401");
    assert!(
        missing.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("missing subscription key")
    );
    client.get("/persongroups").await.expect(200, "");
}

#[tokio::test]
async fn bodies_are_checked_before_use() {
    let (_server, client) = start(MockConfig::new()).await;
    let json_type = [("Content-Type", "application/json")];
    for body in [
        &b"{"[..],
        b"[1,2]",
        b"\"text\"",
        b"",
        b"   ",
        b"{\"faceIds\": [1e999]}",
        b"\xff\xfe",
    ] {
        let reply = client.send("POST", "/group", &json_type, body).await;
        reply.expect(400, "BadArgument");
    }
    client
        .send("POST", "/group", &[("Content-Type", "text/json")], b"{}")
        .await
        .expect(415, "BadArgument");
    client
        .send("POST", "/group", &[], b"{}")
        .await
        .expect(415, "BadArgument");
    client
        .post("/group", &json!({"faceIds": [1, 2]}))
        .await
        .expect(400, "BadArgument");
    client
        .post("/group", &json!({"faceIds": ["a", "b"]}))
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/identify",
            &json!({"faceIds": ["11111111-1111-4111-8111-111111111111"], "personGroupId": 7}),
        )
        .await
        .expect(400, "BadArgument");
    client.post("/identify", &json!({"faceIds": ["11111111-1111-4111-8111-111111111111"], "personGroupId": "g", "maxNumOfCandidatesReturned": 1.5})).await.expect(400, "BadArgument");
    client.post("/identify", &json!({"faceIds": ["11111111-1111-4111-8111-111111111111"], "personGroupId": "g", "maxNumOfCandidatesReturned": 18446744073709551615u64})).await.expect(400, "BadArgument");
    let mut oversized = b"{\"faceIds\": [\"".to_vec();
    oversized.resize(7 * 1024 * 1024, b'a');
    client
        .send("POST", "/group", &json_type, &oversized)
        .await
        .expect(400, "BadArgument");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    client
        .send("POST", "/group", &json_type, deep.as_bytes())
        .await
        .expect(400, "BadArgument");
}

#[tokio::test]
async fn unknown_routes_and_methods_are_not_found() {
    let (_server, client) = start(MockConfig::new()).await;
    client.get("/nothing").await.expect(404, "404");
    client.get("/detect").await.expect(404, "404");
    client
        .send("PUT", "/persongroups", &[], b"")
        .await
        .expect(404, "404");
    let outside = format!(
        "GET /elsewhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOcp-Apim-Subscription-Key: {}\r\n\r\n",
        client.key
    );
    exchange(client.address, outside.as_bytes())
        .await
        .expect("an answer")
        .expect(404, "404");
}

#[tokio::test]
async fn the_router_serves_in_process_and_the_server_stops() {
    let router = face_mock::router(&MockConfig::new());
    assert!(router.is_ok());
    let server = MockServer::start(MockConfig::new()).await.expect("starts");
    let address = server.address();
    let client = Client {
        address,
        key: server.key().to_string(),
    };
    client
        .post_image("/detect", &png("", "x"))
        .await
        .expect(200, "");
    server.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "nothing listens after shutdown"
    );
    let dropped = MockServer::start(MockConfig::new()).await.expect("starts");
    let address = dropped.address();
    drop(dropped);
    tokio::task::yield_now().await;
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "nothing listens after drop"
    );
}

#[tokio::test]
async fn a_bad_spec_or_seed_is_reported_at_start() {
    let spec = MockServer::start(MockConfig::new().with_spec_yaml("not: [an, openapi")).await;
    assert!(matches!(spec, Err(face_mock::StartError::Spec(_))));
    let seed = face_mock::Seed::from_json(r#"{"personGroups": [{"personGroupId": "Bad Id"}]}"#)
        .expect("parses");
    let started = MockServer::start(MockConfig::new().with_seed(seed)).await;
    assert!(matches!(started, Err(face_mock::StartError::Seed(_))));
    assert!(
        face_mock::Seed::from_json(r#"{"persongroups": []}"#).is_err(),
        "unknown keys are refused"
    );
}
