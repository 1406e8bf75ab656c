//! A raw HTTP/1.1 client over loopback TCP for the emulator's tests, and test images.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use face_mock::{MockConfig, MockServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long one exchange may take before the test fails.
pub const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(30);

/// One answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// A header value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The error code of an error answer.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("<none>")
            .to_string()
    }

    /// Asserts the status and, for errors, the code and the error body shape.
    #[track_caller]
    pub fn expect(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        if status >= 400 {
            assert_error_shape(self);
            assert_eq!(
                self.code(),
                code,
                "body: {}",
                String::from_utf8_lossy(&self.body)
            );
        }
        self
    }
}

/// Asserts `{"error": {"code": string, "message": string}}`.
#[track_caller]
pub fn assert_error_shape(reply: &Reply) {
    let body = reply.json();
    assert!(
        body["error"]["code"].is_string(),
        "no error code in {}",
        String::from_utf8_lossy(&reply.body)
    );
    assert!(
        body["error"]["message"].is_string(),
        "no error message in {}",
        String::from_utf8_lossy(&reply.body)
    );
    let content_type = reply.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "content type {content_type}"
    );
}

/// Sends raw bytes and reads the answer until the server closes the connection.
pub async fn exchange(address: SocketAddr, request: &[u8]) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(address).await?;
    // The server may answer (and close) before reading a whole oversized body.
    let _ = stream.write_all(request).await;
    let mut raw = Vec::new();
    let mut buffer = vec![0u8; 65536];
    loop {
        match stream.read(&mut buffer).await {
            Ok(0) => break,
            Ok(read) => raw.extend_from_slice(&buffer[..read]),
            Err(error) if raw.is_empty() => return Err(error),
            Err(_) => break,
        }
    }
    parse_reply(&raw).ok_or_else(|| {
        std::io::Error::other(format!(
            "unparsable answer: {:?}",
            String::from_utf8_lossy(&raw)
        ))
    })
}

fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let end = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value.contains("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|window| window == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// A client of one emulator.
pub struct Client {
    pub address: SocketAddr,
    pub key: String,
}

impl Client {
    /// Sends a request under `/face/v1.0` with the key, `Connection: close` and the given extra headers.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        self.send_to(method, &format!("/face/v1.0{path}"), headers, body)
            .await
    }

    /// Sends a request to a full path (e.g. `/face/v1.2/detect`) with the key,
    /// `Connection: close` and the given extra headers.
    pub async fn send_to(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\nOcp-Apim-Subscription-Key: {}\r\nContent-Length: {}\r\n",
            self.address,
            self.key,
            body.len()
        );
        for (name, value) in headers {
            write!(request, "{name}: {value}\r\n").expect("writing to a String");
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        tokio::time::timeout(EXCHANGE_TIMEOUT, exchange(self.address, &bytes))
            .await
            .expect("the emulator answers in time")
            .expect("the emulator answers")
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], b"").await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, &[], b"").await
    }

    pub async fn json(&self, method: &str, path: &str, body: &Value) -> Reply {
        let body = serde_json::to_vec(body).unwrap_or_default();
        self.send(
            method,
            path,
            &[("Content-Type", "application/json; charset=utf-8")],
            &body,
        )
        .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.json("POST", path, body).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.json("PUT", path, body).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.json("PATCH", path, body).await
    }

    pub async fn post_image(&self, path: &str, image: &[u8]) -> Reply {
        self.send(
            "POST",
            path,
            &[("Content-Type", "application/octet-stream")],
            image,
        )
        .await
    }

    /// Detects the faces of an image and returns their ids.
    pub async fn face_ids(&self, image: &[u8]) -> Vec<String> {
        let reply = self
            .post_image("/detect?recognitionModel=recognition_04", image)
            .await;
        reply.expect(200, "");
        reply
            .json()
            .as_array()
            .map(|faces| {
                faces
                    .iter()
                    .filter_map(|face| face["faceId"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Starts an emulator with `config` and a client for it.
pub async fn start(config: MockConfig) -> (MockServer, Client) {
    let server = MockServer::start(config)
        .await
        .expect("the emulator starts");
    let client = Client {
        address: server.address(),
        key: server.key().to_string(),
    };
    (server, client)
}

/// A PNG-looking image of 2 KB carrying `tag` (e.g. `FACE-MOCK:person=alice`) and some `salt`.
pub fn png(tag: &str, salt: &str) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(b"\0\0\0\x20tEXtComment\0");
    bytes.extend_from_slice(tag.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(salt.as_bytes());
    bytes.resize(2048, 0x42);
    bytes
}

/// A JPEG-looking image of 3 KB carrying `tag` in a comment segment.
pub fn jpeg(tag: &str, salt: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x40];
    bytes.extend_from_slice(tag.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(salt.as_bytes());
    bytes.resize(3072, 0x11);
    bytes
}

/// One keep-alive connection: requests are written as given, answers read one at a time.
pub struct Connection {
    reader: tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: Option<tokio::net::tcp::OwnedWriteHalf>,
}

impl Connection {
    /// Opens a connection.
    pub async fn open(address: SocketAddr) -> std::io::Result<Self> {
        let (read, write) = TcpStream::connect(address).await?.into_split();
        Ok(Self {
            reader: tokio::io::BufReader::new(read),
            writer: Some(write),
        })
    }

    /// Writes bytes; a server that stops reading (and closes) makes this fail.
    pub async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.writer {
            Some(writer) => writer.write_all(bytes).await,
            None => Err(std::io::Error::other("the writer was handed to a task")),
        }
    }

    /// Writes `bytes` from a task of its own, so answers can be read while it
    /// writes; the connection cannot be written to afterwards.
    pub fn write_in_background(&mut self, bytes: Vec<u8>) -> tokio::task::JoinHandle<()> {
        let writer = self.writer.take();
        tokio::spawn(async move {
            if let Some(mut writer) = writer {
                let _ = writer.write_all(&bytes).await;
            }
        })
    }

    /// Reads one answer (head, then a `Content-Length` or chunked body).
    pub async fn read_reply(&mut self) -> std::io::Result<Reply> {
        use tokio::io::AsyncBufReadExt;
        let broken = |what: &str| std::io::Error::other(what.to_string());
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            if self.reader.read_until(b'\n', &mut head).await? == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the server closed the connection",
                ));
            }
        }
        let mut reply = parse_reply(&head).ok_or_else(|| broken("unparsable head"))?;
        if reply
            .header("transfer-encoding")
            .is_some_and(|value| value.contains("chunked"))
        {
            loop {
                let mut line = Vec::new();
                self.reader.read_until(b'\n', &mut line).await?;
                let text = String::from_utf8_lossy(&line);
                let size =
                    usize::from_str_radix(text.trim(), 16).map_err(|_| broken("chunk size"))?;
                let mut chunk = vec![0u8; size + 2];
                self.reader.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                reply.body.extend_from_slice(&chunk[..size]);
            }
        } else {
            let length: usize = reply
                .header("content-length")
                .and_then(|value| value.parse().ok())
                .unwrap_or(0);
            reply.body = vec![0u8; length];
            self.reader.read_exact(&mut reply.body).await?;
        }
        Ok(reply)
    }

    /// Whether the server closes the connection (reads end) within `wait`.
    pub async fn closes_within(&mut self, wait: Duration) -> bool {
        let mut buffer = [0u8; 1024];
        let until_closed = async { while let Ok(1..) = self.reader.read(&mut buffer).await {} };
        tokio::time::timeout(wait, until_closed).await.is_ok()
    }
}

/// The generator's IR of a spec of the workspace (`face.yaml`, `face-v1.2.yaml`): where tests
/// take their expected values, never from the emulator's tables under test.
pub fn ir(file: &str) -> codegen::ir::Api {
    let path = format!("{}/../spec/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the spec is readable");
    codegen::lower_text(&text).expect("the spec lowers")
}

/// The base path of one service version of a spec that lists versions, as the IR states it.
pub fn base_path_at(api: &codegen::ir::Api, version: &str) -> String {
    let at = api
        .versions
        .iter()
        .position(|known| known == version)
        .expect("a version the spec lists");
    api.version_base_paths[at].clone()
}

/// Every `(operationId, METHOD, full path template)` of an API, sorted and without repeats.
pub fn routes(api: &codegen::ir::Api) -> Vec<(String, String, String)> {
    let mut routes: Vec<_> = api
        .groups
        .iter()
        .flat_map(|group| &group.methods)
        .map(|method| {
            (
                method.operation_id.clone(),
                format!("{:?}", method.http_method).to_ascii_uppercase(),
                method.path.clone(),
            )
        })
        .collect();
    routes.sort();
    routes.dedup();
    routes
}

/// The wire values of a string enum model.
pub fn enum_values(api: &codegen::ir::Api, model: &str) -> Vec<String> {
    api.models
        .iter()
        .find(|candidate| candidate.name == model)
        .and_then(|model| match &model.kind {
            codegen::ir::ModelKind::Enum(values) => Some(
                values
                    .variants
                    .iter()
                    .map(|variant| variant.wire.clone())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{model} is an enum of the spec"))
}

/// The checks and default of a parameter or JSON body property of an operation, by wire name.
pub fn field(
    api: &codegen::ir::Api,
    operation: &str,
    wire: &str,
) -> (Vec<codegen::ir::Check>, Option<Value>) {
    let methods = api
        .groups
        .iter()
        .flat_map(|group| &group.methods)
        .filter(|method| method.operation_id == operation);
    for method in methods {
        for param in method.arguments() {
            if param.name.wire != wire {
                continue;
            }
            let model_field = match &method.body {
                Some(codegen::ir::Body::Json { model, .. }) => api
                    .models
                    .iter()
                    .find(|candidate| &candidate.name == model)
                    .and_then(|model| match &model.kind {
                        codegen::ir::ModelKind::Struct(object) => {
                            object.fields.iter().find(|field| field.name.wire == wire)
                        }
                        _ => None,
                    }),
                _ => None,
            };
            let (checks, default) = match model_field {
                Some(field) => (field.checks.clone(), field.default.clone()),
                None => (param.checks.clone(), param.default.clone()),
            };
            let default = default.map(|text| serde_json::from_str(&text).expect("a JSON default"));
            return (checks, default);
        }
    }
    panic!("{wire} is not a parameter or property of {operation}")
}

/// A lower and an upper bound, either of which may be absent.
pub type Range<T> = (Option<T>, Option<T>);

/// The `(minimum, maximum)` of a numeric field, and the `(minItems, maxItems)` of a list.
pub fn bounds(checks: &[codegen::ir::Check]) -> (Range<f64>, Range<u64>) {
    let number = |bound: &codegen::ir::Number| match *bound {
        codegen::ir::Number::I32(value) => f64::from(value),
        codegen::ir::Number::I64(value) => value as f64,
        codegen::ir::Number::F32(value) => f64::from(value),
        codegen::ir::Number::F64(value) => value,
    };
    let mut found = ((None, None), (None, None));
    for check in checks {
        match check {
            codegen::ir::Check::Minimum { bound, .. } => found.0.0 = Some(number(bound)),
            codegen::ir::Check::Maximum { bound, .. } => found.0.1 = Some(number(bound)),
            codegen::ir::Check::MinItems(count) => found.1.0 = Some(*count),
            codegen::ir::Check::MaxItems(count) => found.1.1 = Some(*count),
            _ => {}
        }
    }
    found
}
