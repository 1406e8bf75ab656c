//! Answers a `wiremock` server gives, readers of what it received, and assertions on calls and errors.

use face_sdk::Error;
use wiremock::Mock;
use wiremock::MockServer;
use wiremock::Request;
use wiremock::ResponseTemplate;
use wiremock::matchers::any;

use crate::KEY;

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
