//! The tracing of a call: one `face.operation` span with the operation id,
//! the attempt number and the status, and never the key or a header value.
//!
//! Alone in its own test binary: tracing caches per call site whether anyone
//! listens, so a subscriber set while other tests run could miss the span.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use face_sdk::runtime::{self, CallOptions, OperationRequest};
use face_sdk::{FaceClient, RetryPolicy};
use reqwest::Method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-subscription-key-0123456789";
const TOKEN: &str = "eyJ0eXAi.test-bearer-token-9876";

/// Gives the same token, valid for an hour.
struct FixedToken;

impl face_sdk::TokenCredential for FixedToken {
    fn get_token<'a>(&'a self, _: &'a [&'a str]) -> face_sdk::TokenFuture<'a> {
        let expires_on = std::time::SystemTime::now() + Duration::from_hours(1);
        Box::pin(async move { Ok(face_sdk::AccessToken::new(TOKEN, expires_on)) })
    }
}

/// Collects span names and every field value recorded while it is the default subscriber.
#[derive(Clone, Default)]
struct Capture(Arc<std::sync::Mutex<Vec<String>>>);

impl Capture {
    fn push(&self, text: String) {
        self.0.lock().unwrap().push(text);
    }

    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

struct FieldText<'a>(&'a mut String);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        write!(self.0, " {}={value:?}", field.name()).expect("writing to a String");
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = format!("span {}", span.metadata().name());
        span.record(&mut FieldText(&mut text));
        self.push(text);
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = "record".to_owned();
        values.record(&mut FieldText(&mut text));
        self.push(text);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = "event".to_owned();
        event.record(&mut FieldText(&mut text));
        self.push(text);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_span_per_call_without_key_token_or_header_values() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("echo {KEY}")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let retry = RetryPolicy::default().initial_backoff(Duration::from_millis(1));
    let client = FaceClient::builder(&server.uri())
        .api_key(KEY)
        .retry(retry)
        .build()
        .unwrap();
    let mut request = OperationRequest::new("Face_Group", Method::POST, "/face/v1.0/group", 200);
    request
        .json_body(&serde_json::json!({"faceIds": []}))
        .unwrap();
    // Group only reads: the generated code marks it idempotent, so a 500 is retried.
    request.set_idempotent(true);
    let mut options = CallOptions::default();
    options.set_header("X-Call", "call-header-value");

    runtime::send_json::<serde_json::Value>(&client, request, options)
        .await
        .unwrap();
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503).set_body_string(format!("echo {TOKEN}")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let token_client = FaceClient::builder(&server.uri())
        .credential(FixedToken)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let mut request = OperationRequest::new("Face_Group", Method::POST, "/face/v1.0/group", 200);
    request.token_scopes(&["https://cognitiveservices.azure.com/.default"]);
    runtime::send_json::<serde_json::Value>(&token_client, request, CallOptions::default())
        .await
        .unwrap();

    let lines = capture.lines();
    let text = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("span face.operation")
                && line.contains("operation=\"Face_Group\"")),
        "{text}"
    );
    assert!(
        text.contains("attempt=2") && text.contains("status=200") && text.contains("status=500"),
        "{text}"
    );
    assert!(text.contains("status=503"), "{text}");
    assert!(
        !text.contains(KEY) && !text.contains(TOKEN) && !text.contains("call-header-value"),
        "{text}"
    );
}
