//! Turning failed exchanges into [`Error`]s: service answers, undecodable
//! bodies and transport failures, with network text bounded and redacted.

use std::time::SystemTime;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::credentials::redact;
use crate::error::{EXCERPT_LIMIT, bounded_text, excerpt};
use crate::retry::parse_retry_after;
use crate::{Error, ServiceError};

/// Longest code or message kept from an error body.
const FIELD_LIMIT: usize = 1024;

/// The header in which the service also gives its error code.
const ERROR_CODE_HEADER: &str = "x-ms-error-code";

/// The service's error answer: code and message from the usual
/// `{"error": {"code", "message"}}` body (or a top-level `code`/`message`),
/// the code from the `x-ms-error-code` header when the body has none,
/// otherwise an excerpt of the body.
pub(crate) fn service_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    secret: &str,
    now: SystemTime,
) -> ServiceError {
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, now));
    let parsed = serde_json::from_slice::<Value>(body).ok();
    let detail = parsed
        .as_ref()
        .map(|value| value.get("error").unwrap_or(value));
    let field = |name: &str| {
        let value = detail?.get(name)?;
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            _ => return None,
        };
        Some(bounded_text(&redact(secret, &text), FIELD_LIMIT))
    };
    let header_code = || {
        let value = headers.get(ERROR_CODE_HEADER)?.to_str().ok()?.trim();
        let code = bounded_text(&redact(secret, value), FIELD_LIMIT);
        (!code.is_empty()).then_some(code)
    };
    let code = field("code").or_else(header_code);
    let message = field("message");
    let body_excerpt = if code.is_none() && message.is_none() {
        Some(excerpt(body, secret))
    } else {
        None
    };
    let mut error = ServiceError::new(status);
    error.code = code;
    error.message = message;
    error.retry_after = retry_after;
    error.body_excerpt = body_excerpt;
    error
}

/// A 2xx body that does not decode into the expected type.
pub(crate) fn decode_error(
    status: StatusCode,
    error: &serde_json::Error,
    body: &[u8],
    secret: &str,
) -> Error {
    Error::Decode {
        status,
        message: bounded_text(&redact(secret, &error.to_string()), EXCERPT_LIMIT),
        excerpt: excerpt(body, secret),
    }
}

/// A failure reported by the HTTP client. `doing` says what was under way.
pub(crate) fn transport_error(error: reqwest::Error, doing: &str) -> Error {
    if error.is_builder() {
        return Error::Config {
            message: format!("the request could not be built: {error}"),
        };
    }
    let message = if error.is_connect() {
        "could not connect to the service"
    } else if error.is_timeout() {
        "the HTTP client timed out"
    } else if error.is_body() {
        "the request or response body failed"
    } else {
        doing
    };
    Error::Transport {
        message: message.to_owned(),
        source: Box::new(error),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::HeaderValue;

    use super::*;

    const SECRET: &str = "KEY-1234567890";

    fn parse(status: u16, body: &str) -> ServiceError {
        let status = StatusCode::from_u16(status).unwrap();
        service_error(
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            SECRET,
            SystemTime::now(),
        )
    }

    #[test]
    fn the_usual_error_body() {
        let error = parse(
            404,
            r#"{"error":{"code":"PersonGroupNotFound","message":"Person group is not found."}}"#,
        );
        assert_eq!(error.code.as_deref(), Some("PersonGroupNotFound"));
        assert_eq!(error.message.as_deref(), Some("Person group is not found."));
        assert_eq!(error.body_excerpt, None);
        let numeric = parse(401, r#"{"error":{"code":401,"message":"Access denied"}}"#);
        assert_eq!(numeric.code.as_deref(), Some("401"));
        let gateway = parse(
            401,
            r#"{"statusCode":401,"message":"Access denied due to invalid subscription key."}"#,
        );
        assert_eq!(
            gateway.message.as_deref(),
            Some("Access denied due to invalid subscription key.")
        );
    }

    #[test]
    fn empty_and_non_json_bodies_keep_an_excerpt() {
        let empty = parse(502, "");
        assert_eq!(empty.body_excerpt.as_deref(), Some(""));
        assert!(empty.to_string().ends_with("empty body"));
        let html = parse(500, "<html>\n  <body>Internal error</body>\n</html>");
        assert_eq!(
            html.body_excerpt.as_deref(),
            Some("<html> <body>Internal error</body> </html>")
        );
        let other_json = parse(500, r#"{"oops":true}"#);
        assert_eq!(other_json.body_excerpt.as_deref(), Some(r#"{"oops":true}"#));
        let long = parse(500, &"x".repeat(10_000));
        assert!(long.body_excerpt.unwrap().len() <= EXCERPT_LIMIT);
    }

    #[test]
    fn the_key_is_redacted_from_network_text() {
        let echoed = parse(
            401,
            r#"{"error":{"code":"401","message":"bad key KEY-1234567890"}}"#,
        );
        assert_eq!(echoed.message.as_deref(), Some("bad key <redacted>"));
        let excerpt = parse(500, "key was KEY-1234567890!");
        assert_eq!(excerpt.body_excerpt.as_deref(), Some("key was <redacted>!"));
    }

    fn with_headers(status: u16, pairs: &[(&'static str, &str)], body: &str) -> ServiceError {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        let status = StatusCode::from_u16(status).unwrap();
        service_error(status, &headers, body.as_bytes(), SECRET, SystemTime::now())
    }

    #[test]
    fn the_code_comes_from_the_header_when_the_body_has_none() {
        let header = [("x-ms-error-code", "InvalidImageSize")];
        let empty = with_headers(400, &header, "");
        assert_eq!(empty.code.as_deref(), Some("InvalidImageSize"));
        assert_eq!(empty.body_excerpt, None);
        let message_only = with_headers(400, &header, r#"{"error":{"message":"Too big."}}"#);
        assert_eq!(
            (
                message_only.code.as_deref(),
                message_only.message.as_deref()
            ),
            (Some("InvalidImageSize"), Some("Too big."))
        );
        let both = with_headers(400, &header, r#"{"error":{"code":"BadArgument"}}"#);
        assert_eq!(both.code.as_deref(), Some("BadArgument"), "the body wins");
        let blank = with_headers(400, &[("x-ms-error-code", "  ")], "oops");
        assert_eq!(
            (blank.code, blank.body_excerpt.as_deref()),
            (None, Some("oops"))
        );
        let echoed = with_headers(401, &[("x-ms-error-code", "bad KEY-1234567890")], "");
        assert_eq!(echoed.code.as_deref(), Some("bad <redacted>"));
    }

    #[test]
    fn retry_after_header() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        let error = service_error(
            StatusCode::TOO_MANY_REQUESTS,
            &headers,
            b"",
            SECRET,
            SystemTime::now(),
        );
        assert_eq!(error.retry_after, Some(Duration::from_secs(3)));
    }

    #[test]
    fn decode_errors_are_bounded() {
        let body = format!(r#"{{"value": "{}"}}"#, "y".repeat(5000));
        let json_error = serde_json::from_str::<u32>(&body).unwrap_err();
        let Error::Decode {
            message,
            excerpt,
            status,
        } = decode_error(StatusCode::OK, &json_error, body.as_bytes(), SECRET)
        else {
            panic!("not a decode error");
        };
        assert_eq!(status, StatusCode::OK);
        assert!(message.len() <= EXCERPT_LIMIT && excerpt.len() <= EXCERPT_LIMIT);
    }
}
