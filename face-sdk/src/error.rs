//! The one error type of the crate, and the service's own error answer.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// Most bytes of a response body kept in an error.
pub(crate) const EXCERPT_LIMIT: usize = 512;

/// Most bytes of a body looked at to make an excerpt (before whitespace is
/// collapsed), plus the length of the secret to redact.
const EXCERPT_WINDOW: usize = 4 * EXCERPT_LIMIT;

/// Everything a call can fail with.
///
/// [`Error::is_retryable`] tells whether trying again may help; the client
/// already retried such errors according to its [`RetryPolicy`](crate::RetryPolicy)
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
    /// ([`FaceClientBuilder::max_response_body`](crate::FaceClientBuilder::max_response_body)).
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
    /// A [`TokenCredential`](crate::TokenCredential) could not give a token
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
    /// [`TokenCredential`](crate::TokenCredential). The message must not
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
            Error::Service(service) => crate::retry::is_retryable_status(service.status),
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

/// Text that came from the network made safe to keep in an error: at most
/// `limit` bytes (cut at a char boundary, `…` marking the cut), whitespace and
/// control characters collapsed into single spaces.
pub(crate) fn bounded_text(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit));
    let mut truncated = false;
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        let needed = ch.len_utf8() + usize::from(pending_space);
        if out.len() + needed > limit {
            truncated = true;
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    if truncated {
        const MARK: char = '…';
        while out.len() + MARK.len_utf8() > limit {
            if out.pop().is_none() {
                break;
            }
        }
        if out.len() + MARK.len_utf8() <= limit {
            out.push(MARK);
        }
    }
    out
}

/// The start of a response body as text, at most [`EXCERPT_LIMIT`] bytes,
/// with every occurrence of `secret` replaced by `<redacted>`.
///
/// Only a window of the body is copied, however large the body: its first
/// 2 KiB plus the length of the secret, so a secret that starts inside the
/// 2 KiB is whole in the window and redacted. A secret that starts later and
/// runs past the window's end leaves a piece of its start at the end; that
/// piece is dropped before the text is cut to size.
pub(crate) fn excerpt(body: &[u8], secret: &str) -> String {
    let window_len = body.len().min(EXCERPT_WINDOW + secret.len());
    let window = String::from_utf8_lossy(&body[..window_len]);
    let mut text = crate::credentials::redact(secret, &window).into_owned();
    if window_len < body.len() {
        let piece = (1..secret.len())
            .rev()
            .find(|&len| secret.is_char_boundary(len) && text.ends_with(&secret[..len]));
        if let Some(len) = piece {
            text.truncate(text.len() - len);
        }
    }
    bounded_text(&text, EXCERPT_LIMIT)
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
    fn bounded_text_collapses_whitespace() {
        assert_eq!(bounded_text("  a\n\n b\t\u{0}c  ", 100), "a b c");
        assert_eq!(bounded_text("", 10), "");
        assert_eq!(bounded_text("abcdef", 6), "abcdef");
        assert_eq!(bounded_text("abcdefg", 6), "abc…");
    }

    #[test]
    fn bounded_text_counts_the_collapsed_spaces_and_the_mark() {
        // "ab cd" fills 5 bytes; " e" would take 2 more, so the text is cut
        // and the mark (3 bytes) replaces what no longer fits.
        assert_eq!(bounded_text("ab cd e", 5), "ab…");
        assert_eq!(bounded_text("ab cd", 5), "ab cd");
        // No room for even the mark: nothing rather than more than the limit.
        assert_eq!(bounded_text("abcdef", 2), "");
    }

    #[test]
    fn excerpt_is_bounded_at_char_boundaries() {
        for prefix in 0..4 {
            let body = format!("{}{}", "x".repeat(prefix), "é€😀".repeat(400));
            let text = excerpt(body.as_bytes(), "");
            assert!(text.len() <= EXCERPT_LIMIT, "{} bytes", text.len());
            assert!(text.ends_with('…'));
            assert!(text.len() > EXCERPT_LIMIT - 8);
        }
        let short = excerpt(b"Bad Gateway", "");
        assert_eq!(short, "Bad Gateway");
    }

    #[test]
    fn excerpt_of_invalid_utf8_is_bounded() {
        let body = vec![0xff_u8; 5000];
        let text = excerpt(&body, "");
        assert!(text.len() <= EXCERPT_LIMIT);
        assert!(text.starts_with('\u{fffd}'));
    }

    #[test]
    fn excerpt_applies_redaction_before_cutting() {
        let body = format!("{}SECRETKEY rest", "a".repeat(505));
        let text = excerpt(body.as_bytes(), "SECRETKEY");
        assert!(!text.contains("SECRET"));
        assert!(text.len() <= EXCERPT_LIMIT);
    }

    #[test]
    fn excerpt_copies_a_window_and_redacts_across_its_end() {
        let secret = "SECRETKEY-0123456789";
        // Whitespace collapses, so the excerpt reaches the end of the window.
        for start in EXCERPT_WINDOW - 30..EXCERPT_WINDOW + 30 {
            let mut body = " ".repeat(start).into_bytes();
            body.extend_from_slice(secret.as_bytes());
            body.extend_from_slice(&vec![b'x'; 100_000]);
            let text = excerpt(&body, secret);
            for len in 4..=secret.len() {
                assert!(!text.contains(&secret[..len]), "start {start}: {text}");
            }
            assert!(text.len() <= EXCERPT_LIMIT);
        }
        // The window ends with the secret's first 4 bytes: only those are dropped.
        let mut body = " "
            .repeat(EXCERPT_WINDOW + secret.len() - 4 - 5)
            .into_bytes();
        body.extend_from_slice(b"hello");
        body.extend_from_slice(secret.as_bytes());
        body.extend_from_slice(b" tail");
        assert_eq!(excerpt(&body, secret), "hello");
        // A short body that ends like the secret starts was not cut: kept whole.
        assert_eq!(excerpt(b"key: SECR", secret), "key: SECR");
        let mut body = " ".repeat(EXCERPT_WINDOW).into_bytes();
        body.extend_from_slice(b"SECRETKEY-0123456789 tail");
        assert_eq!(
            excerpt(&body, secret),
            "<redacted>",
            "the window ends with the secret"
        );
    }
}
