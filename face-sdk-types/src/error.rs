//! The one error type of the Face SDK, and the service's own error answer.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::StatusCode;

/// Everything a call can fail with.
///
/// [`Error::is_retryable`] tells whether trying again may help; the client
/// already retried such errors according to its `face_sdk::RetryPolicy`
/// before returning one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was rejected before it was sent: a parameter breaks a rule
    /// of the service, such as a range, a length or a pattern.
    #[error("invalid request: {rule}")]
    InvalidRequest {
        /// Wire name of the parameter at fault; for a rule over several
        /// parameters, their names joined by `, `.
        parameter: String,
        /// The broken rule as a sentence naming the parameter, e.g.
        /// "`faceIds` must have at most 10 items (got 11)".
        rule: String,
    },
    /// The service answered with a status other than the operation's success status.
    #[error(transparent)]
    Service(ServiceError),
    /// The request could not be sent or the response could not be read:
    /// DNS, connection, TLS or protocol failure.
    #[error("transport error: {message}")]
    Transport {
        /// What the client was doing when it failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Box<dyn StdError + Send + Sync + 'static>,
    },
    /// An attempt took longer than its timeout: the per-attempt timeout, or
    /// what was left of the call's deadline when that was shorter.
    #[error("the request timed out after {after:?}")]
    Timeout {
        /// The timeout that was exceeded.
        after: Duration,
    },
    /// A success response whose body does not decode into the expected type.
    #[error("could not decode the response body (status {status}): {message}")]
    Decode {
        /// Status of the response.
        status: StatusCode,
        /// What the JSON decoder reported.
        message: String,
        /// The start of the body, at most 512 bytes.
        excerpt: String,
    },
    /// A response body was larger than the client's limit
    /// (`face_sdk::FaceClientBuilder::max_response_body`).
    /// The call ended as soon as that was known: from `Content-Length`, or when
    /// the bytes read passed the limit; nothing past the limit was kept.
    #[error("the response body (status {status}) is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// Status of the response.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
    },
    /// Background work that an operation started (training, a snapshot) ended in failure.
    #[error("the operation failed: {message}")]
    OperationFailed {
        /// The state the service reported, and its explanation when it gave one.
        message: String,
    },
    /// Background work was still under way when the wait for it ran out.
    #[error("the operation had not finished after {after:?}")]
    WaitTimeout {
        /// How long the client waited.
        after: Duration,
    },
    /// A `face_sdk::TokenCredential` could not give a token
    /// (or gave one that cannot be sent); nothing was sent.
    #[error("the token credential failed: {message}")]
    Credential {
        /// What went wrong, never the token itself.
        message: String,
    },
    /// The client is misconfigured: endpoint, key, header name, HTTP client...
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// An [`Error::Credential`] with `message`, for implementors of
    /// `face_sdk::TokenCredential`. The message must not
    /// contain a token or another secret.
    pub fn credential(message: impl Into<String>) -> Self {
        Error::Credential {
            message: message.into(),
        }
    }

    /// Whether the same request may succeed if sent again: a timeout, a
    /// transport failure, or a service answer 408, 429, 500, 502, 503 or 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(service) => is_retryable_status(service.status),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::InvalidRequest { .. }
            | Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Config { .. }
            | Error::Credential { .. }
            | Error::OperationFailed { .. }
            | Error::WaitTimeout { .. } => false,
        }
    }

    /// The HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Service(service) => Some(service.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service's answer, when the error is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(service) => Some(service),
            _ => None,
        }
    }
}

/// An error answered by the service: its status and, when the body is the
/// usual `{"error": {"code", "message"}}`, its code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// The service's error code, e.g. `BadArgument` or `PersonGroupNotFound`: from
    /// the body, or from the `x-ms-error-code` header when the body has none.
    pub code: Option<String>,
    /// The service's explanation.
    pub message: Option<String>,
    /// How long the service asked to wait before trying again (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// When the body had neither code nor message (empty, not JSON, or
    /// another JSON shape), its start: at most 512 bytes, whitespace collapsed.
    pub body_excerpt: Option<String>,
}

impl ServiceError {
    /// A `ServiceError` with `status` and nothing else, for tests of code that handles the
    /// service's errors: assign the other fields (`code`, `message`, …), then wrap it in
    /// [`Error::Service`].
    ///
    /// ```
    /// # use face_sdk_types::{Error, ServiceError};
    /// # use http::StatusCode; // `reqwest::StatusCode`, the same type
    /// let mut answer = ServiceError::new(StatusCode::NOT_FOUND);
    /// answer.code = Some("PersonGroupNotFound".to_owned());
    /// let error = Error::Service(answer);
    /// assert_eq!(error.to_string(), "the service answered 404 Not Found: PersonGroupNotFound");
    /// ```
    pub fn new(status: StatusCode) -> Self {
        ServiceError {
            status,
            code: None,
            message: None,
            retry_after: None,
            body_excerpt: None,
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered {}", self.status)?;
        match (&self.code, &self.message, &self.body_excerpt) {
            (Some(code), Some(message), _) => write!(f, ": {code}: {message}"),
            (Some(code), None, _) => write!(f, ": {code}"),
            (None, Some(message), _) => write!(f, ": {message}"),
            (None, None, Some(excerpt)) if !excerpt.is_empty() => write!(f, ": {excerpt}"),
            (None, None, _) => f.write_str(": empty body"),
        }
    }
}

impl StdError for ServiceError {}

/// Whether a service answer with this status is worth retrying: 408, 429, 500, 502, 503 or 504.
#[doc(hidden)]
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: Option<&str>, message: Option<&str>, excerpt: Option<&str>) -> ServiceError {
        ServiceError {
            status: StatusCode::NOT_FOUND,
            code: code.map(str::to_owned),
            message: message.map(str::to_owned),
            retry_after: None,
            body_excerpt: excerpt.map(str::to_owned),
        }
    }

    #[test]
    fn invalid_request_display() {
        let error = Error::InvalidRequest {
            parameter: "faceIds".to_owned(),
            rule: "`faceIds` must have at most 10 items (got 11)".to_owned(),
        };
        assert_eq!(
            error.to_string(),
            "invalid request: `faceIds` must have at most 10 items (got 11)"
        );
        assert!(!error.is_retryable());
        assert_eq!(error.status(), None);
    }

    #[test]
    fn service_error_display() {
        let both = service(
            Some("PersonGroupNotFound"),
            Some("Person group is not found."),
            None,
        );
        assert_eq!(
            Error::Service(both).to_string(),
            "the service answered 404 Not Found: PersonGroupNotFound: Person group is not found."
        );
        assert_eq!(
            service(Some("404"), None, None).to_string(),
            "the service answered 404 Not Found: 404"
        );
        assert_eq!(
            service(None, None, Some("")).to_string(),
            "the service answered 404 Not Found: empty body"
        );
        assert_eq!(
            service(None, None, None).to_string(),
            "the service answered 404 Not Found: empty body"
        );
        assert_eq!(
            service(None, None, Some("<html>")).to_string(),
            "the service answered 404 Not Found: <html>"
        );
    }

    #[test]
    fn retryable_and_status() {
        let mut error = service(None, None, None);
        error.status = StatusCode::TOO_MANY_REQUESTS;
        let error = Error::Service(error);
        assert!(error.is_retryable());
        assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert!(
            Error::Timeout {
                after: Duration::from_secs(1)
            }
            .is_retryable()
        );
        assert!(!Error::Service(service(None, None, None)).is_retryable());
        let decode = Error::Decode {
            status: StatusCode::OK,
            message: "m".into(),
            excerpt: "e".into(),
        };
        assert_eq!(decode.status(), Some(StatusCode::OK));
        assert!(!decode.is_retryable());
        assert_eq!(
            Error::Timeout {
                after: Duration::from_millis(50)
            }
            .to_string(),
            "the request timed out after 50ms"
        );
    }

    #[test]
    fn error_is_send_sync_static() {
        fn assert_traits<T: Send + Sync + 'static>() {}
        assert_traits::<Error>();
        assert_traits::<ServiceError>();
    }

    #[test]
    fn retryable_statuses() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                is_retryable_status(StatusCode::from_u16(status).unwrap()),
                "{status}"
            );
        }
        for status in [200, 202, 400, 401, 403, 404, 409, 501, 505] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(status).unwrap()),
                "{status}"
            );
        }
    }
}
