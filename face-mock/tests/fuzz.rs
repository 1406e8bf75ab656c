//! Sends a fixed-seed stream of random and malformed requests and checks that
//! every answer has a known status and, for errors, the service's error shape,
//! and that the emulator stays up and answers in time throughout.

mod common;

use std::time::Duration;

use common::{Client, Reply, assert_error_shape, exchange, jpeg, png, start};
use face_mock::{MockConfig, Seed};
use serde_json::{Value, json};

const REQUESTS: usize = 2_000;
const GARBAGE_EXCHANGES: usize = 60;
// 501 is the answer of a spec operation the emulator has no handler for yet.
const STATUSES: [u16; 11] = [200, 202, 204, 400, 401, 403, 404, 409, 413, 415, 501];

const METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "FROB", "post",
];
const FIELDS: [&str; 28] = [
    "sessionImageId",
    "livenessOperationMode",
    "deviceCorrelationId",
    "deviceCorrelationIdSetInClient",
    "personIds",
    "dynamicPersonGroupId",
    "url",
    "faceId",
    "faceIds",
    "faceId1",
    "faceId2",
    "personId",
    "personGroupId",
    "largePersonGroupId",
    "faceListId",
    "largeFaceListId",
    "maxNumOfCandidatesReturned",
    "mode",
    "confidenceThreshold",
    "name",
    "userData",
    "recognitionModel",
    "type",
    "objectId",
    "applyScope",
    "nested",
    "",
    "\u{0}",
];
const PARAMS: [&str; 13] = [
    "returnFaceId",
    "returnFaceLandmarks",
    "returnFaceAttributes",
    "recognitionModel",
    "returnRecognitionModel",
    "detectionModel",
    "faceIdTimeToLive",
    "top",
    "start",
    "userData",
    "targetFace",
    "type",
    "applyScope",
];

struct Fuzzer {
    rng: fastrand::Rng,
    uuids: Vec<String>,
    /// `(method, full path template)` of every operation of both specs.
    routes: Vec<(String, String)>,
}

/// Every operation of both specs, as the method and the path under its base path.
fn spec_routes() -> Vec<(String, String)> {
    ["face.yaml", "face-v1.2.yaml"]
        .iter()
        .flat_map(|file| common::routes(&common::ir(file)))
        .map(|(_, method, path)| (method, path))
        .collect()
}

impl Fuzzer {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn text(&mut self) -> String {
        match self.rng.u8(..8) {
            0 => String::new(),
            1 => "x".repeat(self.rng.usize(60..20_000)),
            2 => ["friends", "g1", "l1", "staff", "Bad Id", "a/b", "%zz", "é"][self.rng.usize(..8)]
                .to_string(),
            3 => self.uuid(),
            4 => [
                "recognition_04",
                "detection_03",
                "matchFace",
                "PersonGroup",
                "CreateNew",
            ][self.rng.usize(..5)]
            .to_string(),
            5 => "https://images.invalid/a.jpg?FACE-MOCK:person%3Dalice".to_string(),
            _ => (0..self.rng.usize(0..12))
                .map(|_| self.rng.char(..))
                .collect(),
        }
    }

    fn uuid(&mut self) -> String {
        if !self.uuids.is_empty() && self.rng.bool() {
            return self.uuids[self.rng.usize(..self.uuids.len())].clone();
        }
        match self.rng.u8(..4) {
            0 => "not-a-uuid".to_string(),
            _ => format!(
                "{:08x}-0000-4000-8000-{:012x}",
                self.rng.u32(..),
                self.rng.u64(..1 << 48)
            ),
        }
    }

    fn value(&mut self, depth: u32) -> Value {
        match self.rng.u8(..12) {
            0 => Value::Null,
            1 => json!(self.rng.bool()),
            2 => json!(self.rng.i64(..)),
            3 => json!(self.rng.f64() * 10f64.powi(self.rng.i32(-300..300))),
            4 => json!([0, 1, 2, 5, 10, 11, 100, 1000, 1001, -1][self.rng.usize(..10)]),
            5 | 6 => json!(self.text()),
            7 => json!(self.uuid()),
            8 if depth < 3 => Value::Array(
                (0..self.rng.usize(0..6))
                    .map(|_| self.value(depth + 1))
                    .collect(),
            ),
            9 => Value::Array(
                (0..[0, 1, 2, 10, 11, 1001][self.rng.usize(..6)])
                    .map(|_| json!(self.uuid()))
                    .collect(),
            ),
            10 if depth < 3 => self.object(depth + 1),
            _ => json!(self.rng.f64()),
        }
    }

    fn object(&mut self, depth: u32) -> Value {
        let mut object = serde_json::Map::new();
        for _ in 0..self.rng.usize(0..6) {
            let field = self.pick(&FIELDS).to_string();
            let value = self.value(depth);
            object.insert(field, value);
        }
        Value::Object(object)
    }

    /// A method and a path: mostly a served pair, sometimes any method or any path.
    fn route(&mut self) -> (&'static str, String) {
        if self.rng.u8(..10) == 0 {
            let segments: Vec<String> = (0..self.rng.usize(0..5))
                .map(|_| encode(&self.text()))
                .collect();
            return (
                self.pick(&METHODS),
                format!("/face/v1.{}/{}", self.rng.u8(..3), segments.join("/")),
            );
        }
        let (served, template) = self.routes[self.rng.usize(..self.routes.len())].clone();
        let method = if self.rng.u8(..5) == 0 {
            self.pick(&METHODS)
        } else {
            METHODS
                .iter()
                .copied()
                .find(|method| *method == served)
                .unwrap_or("GET")
        };
        let mut path = String::new();
        for segment in template.split('/').skip(1) {
            let segment = if segment.starts_with('{') {
                match self.rng.u8(..10) {
                    0..=3 => ["friends", "staff", "l1", "new-1"][self.rng.usize(..4)].to_string(),
                    4..=7 => encode(&self.uuid()),
                    _ => encode(&self.text()),
                }
            } else {
                segment.to_string()
            };
            path.push('/');
            path.push_str(&segment);
        }
        (method, path)
    }

    fn query(&mut self) -> String {
        let pairs: Vec<String> = (0..self.rng.usize(0..4))
            .map(|_| {
                let value = match self.rng.u8(..4) {
                    0 => ["true", "false", "TRUE", "1"][self.rng.usize(..4)].to_string(),
                    1 => [
                        "age,glasses",
                        "mask",
                        "a,,b",
                        "10,20,100,120",
                        "-1",
                        "99999999999999999999",
                    ][self.rng.usize(..6)]
                    .to_string(),
                    _ => encode(&self.text()),
                };
                format!("{}={value}", self.pick(&PARAMS))
            })
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    fn body(&mut self) -> (Option<&'static str>, Vec<u8>) {
        let content_type = [
            Some("application/json"),
            Some("application/json; charset=utf-8"),
            Some("application/octet-stream"),
            Some("multipart/form-data; boundary=fuzz"),
            Some("multipart/form-data"),
            Some("text/plain"),
            None,
        ];
        let content_type = content_type[self.rng.usize(..content_type.len())];
        let body = match self.rng.u8(..8) {
            0 => Vec::new(),
            1 => {
                let text = serde_json::to_vec(&self.object(0)).unwrap_or_default();
                text[..self.rng.usize(..=text.len())].to_vec()
            }
            2 => (0..self.rng.usize(0..3000))
                .map(|_| self.rng.u8(..))
                .collect(),
            3 => png(
                &format!("FACE-MOCK:faces={}", self.rng.u8(..4)),
                &self.rng.u32(..).to_string(),
            ),
            4 => jpeg("FACE-MOCK:person=alice", &self.rng.u32(..).to_string()),
            5 => self.form(),
            _ => serde_json::to_vec(&self.object(0)).unwrap_or_default(),
        };
        (content_type, body)
    }
}

impl Fuzzer {
    /// A multipart form with boundary `fuzz`: random fields, sometimes a file, sometimes cut short.
    fn form(&mut self) -> Vec<u8> {
        let mut body = Vec::new();
        for _ in 0..self.rng.usize(0..5) {
            let name = self.pick(&FIELDS);
            let file = if self.rng.bool() {
                "; filename=\"f.jpg\""
            } else {
                ""
            };
            body.extend_from_slice(
                format!("--fuzz\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n")
                    .as_bytes(),
            );
            if file.is_empty() {
                body.extend_from_slice(self.text().as_bytes());
            } else {
                body.extend_from_slice(&jpeg("FACE-MOCK:person=alice", "f"));
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--fuzz--\r\n");
        let cut = if self.rng.u8(..4) == 0 {
            self.rng.usize(..=body.len())
        } else {
            body.len()
        };
        body.truncate(cut);
        body
    }
}

/// Percent-encodes everything but unreserved characters, so the request line stays valid HTTP.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

fn check(reply: &Reply, method: &str, description: &str) {
    assert!(
        STATUSES.contains(&reply.status),
        "unexpected status {} for {description}",
        reply.status
    );
    if reply.status >= 400 && method != "HEAD" {
        assert_error_shape(reply);
    }
}

#[tokio::test]
async fn random_requests_get_well_formed_answers() {
    let seed = Seed::from_json(
        r#"{"personGroups": [{"personGroupId": "friends", "persons": [{"name": "A", "faces": [{"person": "alice"}]}]}],
            "largePersonGroups": [{"largePersonGroupId": "staff"}],
            "faceLists": [{"faceListId": "l1", "faces": [{"person": "alice"}]}],
            "largeFaceLists": [{"largeFaceListId": "l1"}]}"#,
    )
    .expect("seed parses");
    let (_server, client) = start(MockConfig::new().with_seed(seed).with_training_polls(1)).await;
    let run = async {
        let mut fuzzer = Fuzzer {
            rng: fastrand::Rng::with_seed(0xFACE_F022),
            uuids: Vec::new(),
            routes: spec_routes(),
        };
        let mut seen = std::collections::BTreeMap::<u16, usize>::new();
        for _ in 0..REQUESTS {
            let (method, path) = fuzzer.route();
            let path = format!("{path}{}", fuzzer.query());
            let (content_type, body) = fuzzer.body();
            let mut headers = Vec::new();
            if let Some(content_type) = content_type {
                headers.push(("Content-Type", content_type));
            }
            let extra_name: String = (0..fuzzer.rng.usize(1..12))
                .map(|_| fuzzer.rng.alphanumeric())
                .collect();
            let extra_value: String = (0..fuzzer.rng.usize(0..200))
                .map(|_| fuzzer.rng.u8(0x20..0x7F) as char)
                .collect();
            if fuzzer.rng.u8(..4) == 0 {
                headers.push((extra_name.as_str(), extra_value.as_str()));
            }
            let wrong_key = fuzzer.rng.u8(..20) == 0;
            let reply = if wrong_key {
                Client {
                    address: client.address,
                    key: "wrong".into(),
                }
                .send_to(method, &path, &headers, &body)
                .await
            } else {
                client.send_to(method, &path, &headers, &body).await
            };
            check(&reply, method, &format!("{method} {path}"));
            *seen.entry(reply.status).or_default() += 1;
            if let Some(faces) = reply.json().as_array() {
                fuzzer.uuids.extend(
                    faces
                        .iter()
                        .filter_map(|face| face["faceId"].as_str().map(str::to_string)),
                );
            }
            if let Some(id) = reply.json()["personId"].as_str() {
                fuzzer.uuids.push(id.to_string());
            }
        }
        println!("statuses: {seen:?}");
        let count = |status: u16| seen.get(&status).copied().unwrap_or_default();
        assert!(
            count(200) >= 50 && count(400) >= 100 && count(404) >= 200,
            "the requests reach the handlers: {seen:?}"
        );
        for index in 0..GARBAGE_EXCHANGES {
            let raw: Vec<u8> = match index % 3 {
                0 => (0..fuzzer.rng.usize(1..400)).map(|_| fuzzer.rng.u8(..)).collect(),
                1 => b"POST /face/v1.0/detect HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n".to_vec(),
                _ => b"GET /face/v1.0/detect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
            };
            // Malformed framing is refused by the HTTP layer (400, or a closed connection).
            if let Ok(reply) = exchange(client.address, &raw).await {
                assert!(
                    reply.status >= 400 && reply.status < 500,
                    "status {}",
                    reply.status
                );
            }
        }
        client.get("/persongroups").await.expect(200, "");
    };
    tokio::time::timeout(Duration::from_mins(5), run)
        .await
        .expect("the fuzz run finishes in time");
}
