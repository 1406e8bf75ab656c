//! Helpers shared by the integration tests of the Face SDK: clients aimed at
//! a loopback mock server, readers of what the server received, assertions
//! on errors, a raw TCP server for answers `wiremock` cannot give, the `face-mock`
//! helpers of [`emulator`], and readers of the specs through the generator's IR.

pub mod emulator;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use face_sdk::{AccessToken, Error, FaceClient, RetryPolicy, TokenCredential, TokenFuture};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The subscription key of every test client; no response or error may show it.
pub const KEY: &str = "f00dfeed-4c1e-4e7b-9a3d-5ecre7k3y0042";

/// The start of every token a [`CountingCredential`] gives; no response or error may show it.
pub const TOKEN: &str = "eyJ0eXAiOiJKV1Qi.t0k3n-s3cr3t";

/// A token credential that counts its calls and remembers the scopes asked
/// for. Its n-th token (from 1) is `{TOKEN}-{n}`; each lives `lifetime` and
/// takes `delay` to come.
pub struct CountingCredential {
    calls: AtomicUsize,
    scopes: Mutex<Vec<Vec<String>>>,
    lifetime: Duration,
    delay: Duration,
    fail_with: Option<String>,
}

impl CountingCredential {
    /// Tokens that live `lifetime` and come at once.
    pub fn new(lifetime: Duration) -> Arc<Self> {
        Self::build(lifetime, Duration::ZERO, None)
    }

    /// Tokens that live an hour and take `delay` to come.
    pub fn slow(delay: Duration) -> Arc<Self> {
        Self::build(Duration::from_hours(1), delay, None)
    }

    /// Tokens that live `lifetime` and take `delay` to come.
    pub fn slow_and_short(delay: Duration, lifetime: Duration) -> Arc<Self> {
        Self::build(lifetime, delay, None)
    }

    /// A credential that always fails with `Error::Credential { message }`.
    pub fn failing(message: &str) -> Arc<Self> {
        Self::build(
            Duration::from_hours(1),
            Duration::ZERO,
            Some(message.to_owned()),
        )
    }

    fn build(lifetime: Duration, delay: Duration, fail_with: Option<String>) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            scopes: Mutex::new(Vec::new()),
            lifetime,
            delay,
            fail_with,
        })
    }

    /// How many tokens were asked for.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The scopes of each request for a token, in order.
    pub fn scopes(&self) -> Vec<Vec<String>> {
        self.scopes.lock().expect("not poisoned").clone()
    }
}

/// Lets a test keep an `Arc` to the credential it gives to the client.
pub struct Shared(pub Arc<CountingCredential>);

impl TokenCredential for Shared {
    fn get_token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        let this = &self.0;
        Box::pin(async move {
            let n = this.calls.fetch_add(1, Ordering::SeqCst) + 1;
            this.scopes.lock().expect("not poisoned").push(
                scopes
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
            );
            tokio::time::sleep(this.delay).await;
            if let Some(message) = &this.fail_with {
                return Err(Error::credential(message.clone()));
            }
            Ok(AccessToken::new(
                format!("{TOKEN}-{n}"),
                SystemTime::now() + this.lifetime,
            ))
        })
    }
}

/// A client of `endpoint` with `credential` and fast retries.
pub fn token_client(endpoint: &str, credential: &Arc<CountingCredential>) -> FaceClient {
    FaceClient::builder(endpoint)
        .credential(Shared(Arc::clone(credential)))
        .retry(fast_retries())
        .build()
        .expect("a valid client")
}

/// Retries as by default, with backoffs of a few milliseconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
}

/// A client of `endpoint` with the test key and `retry`.
pub fn client_at(endpoint: &str, retry: RetryPolicy) -> FaceClient {
    FaceClient::builder(endpoint)
        .api_key(KEY)
        .retry(retry)
        .build()
        .expect("a valid client")
}

/// A client of the mock server with fast retries.
pub fn client(server: &MockServer) -> FaceClient {
    client_at(&server.uri(), fast_retries())
}

/// A client of the mock server that never retries.
pub fn client_without_retries(server: &MockServer) -> FaceClient {
    client_at(&server.uri(), RetryPolicy::none())
}

/// A face id (or person id) that differs by `n`, shaped like the service's.
pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(0xc5c2_4a82_6845_4031_9d5d_978d_f917_5400 + n)
}

/// `len` bytes that start like a JPEG file.
pub fn image(len: usize) -> Vec<u8> {
    let header = [
        0xff_u8, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
    ];
    (0..len)
        .map(|i| header.get(i).copied().unwrap_or((i * 31 % 251) as u8))
        .collect()
}

/// A v1.2 liveness session with id `session_id` that has not started: the smallest body
/// that `LivenessSession` decodes.
pub fn liveness_session_body(session_id: &str) -> serde_json::Value {
    serde_json::json!({
        "sessionId": session_id,
        "authToken": "session-auth-token",
        "status": "NotStarted",
        "results": {"attempts": []},
    })
}

/// A v1.2 liveness-with-verify session with id `session_id` that has not started: the
/// smallest body that `LivenessWithVerifySession` decodes.
pub fn liveness_with_verify_session_body(session_id: &str) -> serde_json::Value {
    let mut body = liveness_session_body(session_id);
    body["results"]["verifyReferences"] = serde_json::json!([]);
    body
}

/// Answers every request with 200 and `body` as JSON.
pub async fn answer_json(server: &MockServer, body: serde_json::Value) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

/// Answers every request with `response`.
pub async fn answer(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// Fails the test (when the server is dropped) if any request arrives.
pub async fn expect_no_request(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(0)
        .mount(server)
        .await;
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The value of a request header, as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("a text header"))
}

/// The query of a request as raw (still percent-encoded) `name=value` pairs, sorted.
pub fn raw_query(request: &Request) -> Vec<String> {
    let mut pairs: Vec<String> = request
        .url
        .query()
        .unwrap_or_default()
        .split('&')
        .map(str::to_owned)
        .collect();
    pairs.retain(|pair| !pair.is_empty());
    pairs.sort();
    pairs
}

/// The JSON body of a request.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).expect("a JSON request body")
}

/// The boundary of a `multipart/form-data` request, from its `Content-Type`.
pub fn boundary(request: &Request) -> String {
    let content_type = header(request, "content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type}"));
    boundary.to_owned()
}

/// One part of a `multipart/form-data` body, as it was on the wire. Its `Debug` shows a
/// text body as text and a binary one by its length and a checksum.
#[derive(Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename` of its `Content-Disposition`, if any.
    pub filename: Option<String>,
    /// Its `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Its bytes.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for FormPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = match std::str::from_utf8(&self.body) {
            Ok(text) => format!("{text:?}"),
            Err(_) => format!("<{} bytes, {}>", self.body.len(), checksum(&self.body)),
        };
        f.debug_struct("FormPart")
            .field("name", &self.name)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("{body}"))
            .finish()
    }
}

/// The FNV-1a hash of `bytes`, to tell binary bodies apart in failure messages.
fn checksum(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("fnv {hash:016x}")
}

/// Checks that `actual` is `expected` byte for byte; a failure tells the lengths and the
/// first offset where they differ rather than printing the bytes.
#[track_caller]
pub fn assert_same_bytes(actual: &[u8], expected: &[u8]) {
    let differs_at = actual
        .iter()
        .zip(expected)
        .position(|(a, e)| a != e)
        .or((actual.len() != expected.len()).then(|| actual.len().min(expected.len())));
    if let Some(at) = differs_at {
        panic!(
            "{} bytes where {} were expected; they differ from offset {at}",
            actual.len(),
            expected.len()
        );
    }
}

impl FormPart {
    /// A text field: no file name, no content type.
    pub fn text(name: &str, value: &str) -> FormPart {
        FormPart {
            name: name.to_owned(),
            filename: None,
            content_type: None,
            body: value.as_bytes().to_vec(),
        }
    }

    /// A file part.
    pub fn file(name: &str, filename: &str, content_type: &str, body: &[u8]) -> FormPart {
        FormPart {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.to_owned()),
            body: body.to_vec(),
        }
    }
}

/// The parts of a `multipart/form-data` request, in order; panics on a body that is not
/// a well-formed form with the boundary of its `Content-Type`.
pub fn form_parts(request: &Request) -> Vec<FormPart> {
    let delimiter = format!("--{}", boundary(request)).into_bytes();
    let body = &request.body;
    let closing = [b"\r\n".as_slice(), &delimiter, b"--\r\n"].concat();
    assert!(
        body.starts_with(&delimiter),
        "the form starts with its boundary"
    );
    assert!(
        body.ends_with(&closing),
        "the form ends with its closing boundary"
    );
    let inner = &body[delimiter.len()..body.len() - closing.len()];
    let separator = [b"\r\n".as_slice(), &delimiter].concat();
    split_bytes(inner, &separator)
        .into_iter()
        .map(|raw| {
            let raw = raw
                .strip_prefix(b"\r\n")
                .expect("a CRLF after each boundary");
            let end = find_bytes(raw, b"\r\n\r\n").expect("a blank line after the part headers");
            let head = std::str::from_utf8(&raw[..end]).expect("text part headers");
            let mut part = FormPart {
                name: String::new(),
                filename: None,
                content_type: None,
                body: raw[end + 4..].to_vec(),
            };
            for line in head.split("\r\n") {
                let (name, value) = line.split_once(": ").expect("a `Name: value` header");
                match name.to_ascii_lowercase().as_str() {
                    "content-disposition" => {
                        let mut fields = value.split("; ");
                        assert_eq!(fields.next(), Some("form-data"), "{line}");
                        for field in fields {
                            let (key, quoted) = field.split_once('=').expect("key=value");
                            let text = quoted.trim_matches('"').to_owned();
                            match key {
                                "name" => part.name = text,
                                "filename" => part.filename = Some(text),
                                other => panic!("unexpected disposition field {other}"),
                            }
                        }
                    }
                    "content-type" => part.content_type = Some(value.to_owned()),
                    other => panic!("unexpected part header {other}"),
                }
            }
            part
        })
        .collect()
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `bytes` cut at each `separator`.
fn split_bytes<'a>(mut bytes: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    while let Some(at) = find_bytes(bytes, separator) {
        pieces.push(&bytes[..at]);
        bytes = &bytes[at + separator.len()..];
    }
    pieces.push(bytes);
    pieces
}

/// Checks the headers every JSON call carries.
pub fn assert_json_call(request: &Request, path: &str) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), path);
    assert_eq!(header(request, "ocp-apim-subscription-key"), Some(KEY));
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        header(request, "content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let text = String::from_utf8_lossy(&request.body);
    assert!(
        !text.contains("null"),
        "an unset field was sent as null: {text}"
    );
}

/// Checks that `error` rejects the parameter `parameter` with a rule
/// that names it and contains every one of `fragments`.
pub fn assert_invalid(error: &Error, parameter: &str, fragments: &[&str]) {
    let Error::InvalidRequest {
        parameter: actual,
        rule,
    } = error
    else {
        panic!("expected an invalid request naming `{parameter}`, got {error:?}");
    };
    assert_eq!(actual, parameter, "{rule}");
    let first_name = parameter.split(", ").next().unwrap_or(parameter);
    assert!(
        rule.contains(&format!("`{first_name}`")),
        "the rule does not name `{first_name}`: {rule}"
    );
    for fragment in fragments {
        assert!(
            rule.contains(fragment),
            "the rule lacks {fragment:?}: {rule}"
        );
    }
    assert!(error.to_string().contains(rule.as_str()));
    assert!(!error.is_retryable());
}

/// What a raw server connection answers.
#[derive(Debug, Clone)]
pub enum RawReply {
    /// Writes these bytes, then closes the connection.
    Bytes(Vec<u8>),
    /// Closes the connection without answering.
    Close,
    /// Writes these bytes, then keeps the connection open for ten seconds.
    Stall(Vec<u8>),
}

/// A complete HTTP/1.1 response with a JSON body.
pub fn complete_json_reply(status_line: &str, body: &str) -> RawReply {
    RawReply::Bytes(
        format!(
            "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A TCP server on loopback that reads each request, answers with the next
/// of its scripted replies (the last one again once they run out) and closes
/// the connection.
pub struct RawServer {
    /// `http://127.0.0.1:PORT`.
    pub uri: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts the server on a free port.
    pub async fn start(replies: Vec<RawReply>) -> RawServer {
        assert!(!replies.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let uri = format!("http://{}", listener.local_addr().expect("a bound address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let index = counter.fetch_add(1, Ordering::SeqCst);
                let reply = replies[index.min(replies.len() - 1)].clone();
                tokio::spawn(serve_one(stream, reply));
            }
        });
        RawServer { uri, connections }
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve_one(mut stream: TcpStream, reply: RawReply) {
    read_request(&mut stream).await;
    match reply {
        RawReply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        RawReply::Close => {}
        RawReply::Stall(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_secs(10)).await;
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads the head of a request and as many body bytes as its `content-length` says.
async fn read_request(stream: &mut TcpStream) {
    read_message(stream).await;
}

/// Reads the head of an HTTP/1.1 message and as many body bytes as its
/// `content-length` says, and returns them (what could be read, if the
/// connection ends first).
async fn read_message(stream: &mut TcpStream) -> Vec<u8> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return data;
            }
        }
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return data,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
}

/// One method of the SDK, as the generator makes it from a spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecMethod {
    /// The group accessor, e.g. `face_list`.
    pub group: String,
    /// The method name, e.g. `add_face_from_url`.
    pub name: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template, base path included.
    pub path: String,
    /// The status of the success response.
    pub status: u16,
}

impl SpecMethod {
    /// `group.method`, the key of this method in tests that call every one.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The path template with each `{name}` replaced by the value of `name` in `args`;
    /// panics if the template names a parameter that `args` does not give.
    pub fn path_with(&self, args: &[(&str, &str)]) -> String {
        let path = args.iter().fold(self.path.clone(), |path, (name, value)| {
            path.replace(&format!("{{{name}}}"), value)
        });
        assert!(
            !path.contains('{'),
            "{self}: no value for a parameter of {path}"
        );
        path
    }
}

impl std::fmt::Display for SpecMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.group, self.name)
    }
}

/// The generator's IR of `spec` (a path relative to the workspace root): what the SDK is
/// made from, and so what tests read the spec's lists and counts from.
pub fn spec_api(spec: &str) -> codegen::ir::Api {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    codegen::lower_text(&text).unwrap_or_else(|error| panic!("{spec}: {error}"))
}

/// Every method of the SDK that the generator makes from `spec` (a path relative to the
/// workspace root), read from the generator's IR: the list of record for tests that must
/// cover the whole surface.
pub fn spec_methods(spec: &str) -> Vec<SpecMethod> {
    spec_api(spec)
        .groups
        .iter()
        .flat_map(|group| {
            group.methods.iter().map(|method| SpecMethod {
                group: group.module.clone(),
                name: method.name.clone(),
                http_method: format!("{:?}", method.http_method).to_uppercase(),
                path: method.path.clone(),
                status: method.response.status,
            })
        })
        .collect()
}

/// The model `name` (its Rust type name, e.g. `FaceLandmarks`) of `spec`; panics if the
/// spec has none.
fn spec_model(spec: &str, name: &str) -> codegen::ir::ModelKind {
    spec_api(spec)
        .models
        .into_iter()
        .find(|model| model.name == name)
        .unwrap_or_else(|| panic!("{spec} has no model {name}"))
        .kind
}

/// The wire names of the fields of the object model `name` of `spec`, in the spec's order.
pub fn spec_fields(spec: &str, name: &str) -> Vec<String> {
    match spec_model(spec, name) {
        codegen::ir::ModelKind::Struct(object) => object
            .fields
            .into_iter()
            .map(|field| field.name.wire)
            .collect(),
        other => panic!("{spec}: {name} is not an object: {other:?}"),
    }
}

/// The wire values of the string enum `name` of `spec`, in the spec's order.
pub fn spec_enum_values(spec: &str, name: &str) -> Vec<String> {
    match spec_model(spec, name) {
        codegen::ir::ModelKind::Enum(values) => values
            .variants
            .into_iter()
            .map(|variant| variant.wire)
            .collect(),
        other => panic!("{spec}: {name} is not a string enum: {other:?}"),
    }
}

/// A loopback proxy in front of a server that applies each request and then
/// fails: it forwards the request to `upstream`, waits for its answer (so the
/// request was applied), drops that answer and replies with an empty
/// `status_line` instead, as a service that fails after doing the work.
pub struct ApplyThenFail {
    /// `http://127.0.0.1:PORT`.
    pub uri: String,
    forwarded: Arc<AtomicUsize>,
}

impl ApplyThenFail {
    /// Starts the proxy in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str, status_line: &str) -> ApplyThenFail {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let reply =
            format!("HTTP/1.1 {status_line}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let uri = format!("http://{}", listener.local_addr().expect("a bound address"));
        let forwarded = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&forwarded);
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (upstream, reply, counter) =
                    (upstream.clone(), reply.clone(), Arc::clone(&counter));
                tokio::spawn(async move {
                    let request = read_message(&mut client).await;
                    let mut server = TcpStream::connect(&upstream).await.expect("the upstream");
                    server.write_all(&request).await.expect("forwarded");
                    read_message(&mut server).await;
                    counter.fetch_add(1, Ordering::SeqCst);
                    let _ = client.write_all(reply.as_bytes()).await;
                    let _ = client.shutdown().await;
                });
            }
        });
        ApplyThenFail { uri, forwarded }
    }

    /// How many requests were forwarded and answered by the upstream.
    pub fn forwarded(&self) -> usize {
        self.forwarded.load(Ordering::SeqCst)
    }
}
