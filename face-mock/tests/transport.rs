//! Transport-level behaviour: the key, media types, malformed and oversized
//! bodies, unknown routes, the library's router and the server's lifecycle.

mod common;

use std::time::Duration;

use common::{Client, Connection, EXCHANGE_TIMEOUT, exchange, png, start};
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
    client.post("/identify", &json!({"faceIds": ["11111111-1111-4111-8111-111111111111"], "personGroupId": "g", "maxNumOfCandidatesReturned": u64::MAX})).await.expect(400, "BadArgument");
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
async fn a_bad_seed_is_reported_at_start() {
    let seed = face_mock::Seed::from_json(r#"{"personGroups": [{"personGroupId": "Bad Id"}]}"#)
        .expect("parses");
    let started = MockServer::start(MockConfig::new().with_seed(seed)).await;
    assert!(matches!(started, Err(face_mock::StartError::Seed(_))));
    // One seed type serves groups and lists; each kind takes only what it holds.
    for wrong in [
        r#"{"faceLists": [{"faceListId": "l", "persons": [{"name": "A"}]}]}"#,
        r#"{"personGroups": [{"personGroupId": "g", "faces": [{"person": "a"}]}]}"#,
    ] {
        let seed = face_mock::Seed::from_json(wrong).expect("parses");
        let started = MockServer::start(MockConfig::new().with_seed(seed)).await;
        assert!(
            matches!(&started, Err(face_mock::StartError::Seed(message)) if message.contains("holds")),
            "{wrong}"
        );
    }
    assert!(
        face_mock::Seed::from_json(r#"{"persongroups": []}"#).is_err(),
        "unknown keys are refused"
    );
}

/// The early answers of the emulator, each to a request whose body it does not need:
/// a wrong key and an unknown route, with a body of about 1 MB or a chunked one.
fn early_answered_requests(key: &str) -> Vec<(&'static str, Vec<u8>)> {
    let megabyte = vec![b'x'; 1 << 20];
    let chunked = {
        let mut body = Vec::new();
        for _ in 0..16 {
            body.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
            body.resize(body.len() + 64 * 1024, b'y');
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"0\r\n\r\n");
        body
    };
    let request = |head: String, body: &[u8]| {
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        bytes
    };
    vec![
        (
            "401, 1 MB body",
            request(
                format!("POST /face/v1.0/detect HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: wrong\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n", megabyte.len()),
                &megabyte,
            ),
        ),
        (
            "404, 1 MB body",
            request(
                format!("POST /face/v1.0/nowhere HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", megabyte.len()),
                &megabyte,
            ),
        ),
        (
            "401, chunked body",
            request(
                "POST /face/v1.0/detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n".to_string(),
                &chunked,
            ),
        ),
        (
            "404, chunked body",
            request(
                format!("PUT /face/v1.0/persongroups HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"),
                &chunked,
            ),
        ),
    ]
}

/// After an early answer a client may send its next request on the same
/// connection unless the answer said `Connection: close`. A body within the
/// cap is read to its end, so the connection stays usable; a longer one is
/// answered with `Connection: close`. The connection is never just dropped.
#[tokio::test]
async fn after_an_early_answer_the_connection_is_kept_or_closed_with_notice() {
    const ROUNDS: usize = 25;
    let (_server, client) = start(MockConfig::new()).await;
    let follow_up = format!(
        "GET /face/v1.0/persongroups HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: {}\r\n\r\n",
        client.key
    );
    let mut failed = Vec::new();
    for (name, request) in early_answered_requests(&client.key) {
        let mut lost = 0;
        for _ in 0..ROUNDS {
            let mut connection = Connection::open(client.address).await.expect("connects");
            let exchange = async {
                let _ = connection.write(&request).await;
                let first = connection.read_reply().await?;
                if first.header("connection") == Some("close") {
                    return Err(std::io::Error::other(
                        "closed a connection whose body was within the cap",
                    ));
                }
                connection.write(follow_up.as_bytes()).await?;
                Ok::<_, std::io::Error>(connection.read_reply().await?.status)
            };
            match tokio::time::timeout(EXCHANGE_TIMEOUT, exchange).await {
                Ok(Ok(200)) => {}
                _ => lost += 1,
            }
        }
        if lost > 0 {
            failed.push(format!("{name}: {lost} of {ROUNDS} follow-up calls failed"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

/// A chunked body longer than the cap cannot be drained within bounds: the
/// answer says `Connection: close`, and the connection is then closed.
#[tokio::test]
async fn an_early_answer_to_an_endless_chunked_body_says_close() {
    let (_server, client) = start(MockConfig::new()).await;
    let mut connection = Connection::open(client.address).await.expect("connects");
    let head = "POST /face/v1.0/nowhere HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: wrong\r\nTransfer-Encoding: chunked\r\n\r\n";
    connection.write(head.as_bytes()).await.expect("writes");
    let mut body = Vec::new();
    for _ in 0..8 {
        body.extend_from_slice(format!("{:x}\r\n", 1 << 20).as_bytes());
        body.resize(body.len() + (1 << 20), b'z');
        body.extend_from_slice(b"\r\n");
    }
    // Keeps sending past the cap while the answer is read.
    let _writer = connection.write_in_background(body);
    let reply = tokio::time::timeout(EXCHANGE_TIMEOUT, connection.read_reply())
        .await
        .expect("answered in time")
        .expect("an answer");
    reply.expect(401, "401");
    assert_eq!(reply.header("connection"), Some("close"));
}

/// A connection that opens and never finishes its headers is closed after the
/// configured header timeout, instead of being held for as long as it stays open.
#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let config = MockConfig::new().with_header_timeout(Duration::from_millis(300));
    let (_server, client) = start(config).await;
    let mut connection = Connection::open(client.address).await.expect("connects");
    connection
        .write(b"GET /face/v1.0/persongroups HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("writes");
    assert!(
        connection.closes_within(Duration::from_secs(3)).await,
        "the half-sent request is still held open"
    );
}

/// A declared `Content-Length` over the body limit is refused as soon as the
/// headers arrive, with the error the operation gives for a too-large body.
#[tokio::test]
async fn an_oversized_content_length_is_refused_at_once() {
    let (_server, client) = start(MockConfig::new()).await;
    let cases = [
        ("/detect", "application/octet-stream", "InvalidImageSize"),
        ("/group", "application/json", "BadArgument"),
    ];
    for (path, media_type, code) in cases {
        let mut connection = Connection::open(client.address).await.expect("connects");
        let head = format!(
            "POST /face/v1.0{path} HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: {}\r\nContent-Type: {media_type}\r\nContent-Length: {}\r\n\r\n",
            client.key,
            7 * 1024 * 1024
        );
        connection.write(head.as_bytes()).await.expect("writes");
        let reply = tokio::time::timeout(Duration::from_secs(3), connection.read_reply())
            .await
            .expect("answered before the body arrives")
            .expect("an answer");
        reply.expect(400, code);
        assert_eq!(reply.header("connection"), Some("close"), "{path}");
    }
}

/// A bearer token is accepted instead of the key: by default `mock-token`,
/// otherwise the configured ones (or any, when configured so).
#[tokio::test]
async fn bearer_tokens_are_accepted_as_configured() {
    let with_token = |address, token: &str| {
        format!(
            "GET /face/v1.0/persongroups HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\r\n"
        )
    };
    let (server, client) = start(MockConfig::new()).await;
    assert_eq!(server.bearer_token(), Some(face_mock::DEFAULT_TOKEN));
    let ask = |token: &str| {
        let request = with_token(client.address, token);
        async move {
            exchange(client.address, request.as_bytes())
                .await
                .expect("an answer")
        }
    };
    ask(face_mock::DEFAULT_TOKEN).await.expect(200, "");
    ask("another").await.expect(401, "401");

    let (_server, client) = start(MockConfig::new().with_bearer_tokens(["t1", "t2"])).await;
    for (token, status) in [("t2", 200), (face_mock::DEFAULT_TOKEN, 401), ("", 401)] {
        let request = with_token(client.address, token);
        let reply = exchange(client.address, request.as_bytes())
            .await
            .expect("an answer");
        reply.expect(status, "401");
    }

    let (_server, client) = start(MockConfig::new().with_any_bearer_token()).await;
    let request = with_token(client.address, "eyJ0eXAiOiJKV1Qi.anything");
    exchange(client.address, request.as_bytes())
        .await
        .expect("an answer")
        .expect(200, "");
}
