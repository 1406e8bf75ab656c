//! The subscription key, kept out of every `Debug`, `Display`, log and error,
//! and the redaction of keys and tokens from network text.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};

use crate::Error;

/// The header that carries the subscription key on every request.
pub(crate) const API_KEY_HEADER: HeaderName = HeaderName::from_static("ocp-apim-subscription-key");

/// What is printed in place of a key or token.
pub(crate) const REDACTED: &str = "<redacted>";

/// A subscription key: prints as `<redacted>`, never as its value.
#[derive(Clone)]
pub(crate) struct ApiKey(Arc<str>);

impl ApiKey {
    /// Wraps a key without checking it; [`ApiKey::header_value`] checks it.
    pub(crate) fn new(key: String) -> Self {
        Self(Arc::from(key))
    }

    /// The header value for the key, marked sensitive so that HTTP/2 does not
    /// index it and `Debug` of a header map does not print it.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, Error> {
        if self.0.is_empty() {
            return Err(Error::Config {
                message: "the API key is empty".to_owned(),
            });
        }
        // The parse error is not kept: some versions print the rejected value.
        let mut value = HeaderValue::from_str(self.expose()).map_err(|_| Error::Config {
            message: "the API key is not a valid header value (it must not contain \
                      line breaks or other control characters)"
                .to_owned(),
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// The key itself, to redact network text with: keep it out of logs.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The key, shared, to redact network text with.
    pub(crate) fn shared(&self) -> Arc<str> {
        Arc::clone(&self.0)
    }
}

/// Replaces every occurrence of `secret` (a key or a token) in `text` by
/// `<redacted>`, for text that came from the network and goes into an error.
pub(crate) fn redact<'a>(secret: &str, text: &'a str) -> Cow<'a, str> {
    if secret.is_empty() || !text.contains(secret) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.replace(secret, REDACTED))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({REDACTED})")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_key() {
        let key = ApiKey::new("s3cr3t-key-value".to_owned());
        assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
        assert_eq!(key.to_string(), "<redacted>");
        assert!(!format!("{key:#?}").contains("s3cr3t"));
    }

    #[test]
    fn header_value_is_sensitive() {
        let value = ApiKey::new("abc123".to_owned()).header_value().unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.as_bytes(), b"abc123");
        assert!(!format!("{value:?}").contains("abc123"));
    }

    #[test]
    fn empty_or_control_characters_are_config_errors_without_the_key() {
        let empty = ApiKey::new(String::new()).header_value().unwrap_err();
        assert!(matches!(empty, Error::Config { .. }));
        let error = ApiKey::new("line\nbreak-secret".to_owned())
            .header_value()
            .unwrap_err();
        assert!(matches!(error, Error::Config { .. }));
        assert!(!error.to_string().contains("secret"));
        assert!(!format!("{error:?}").contains("secret"));
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let key = ApiKey::new("k3y".to_owned());
        assert_eq!(
            redact(key.expose(), "a k3y and k3y"),
            "a <redacted> and <redacted>"
        );
        assert!(matches!(redact("k3y", "nothing"), Cow::Borrowed("nothing")));
        assert!(matches!(redact("", "nothing"), Cow::Borrowed("nothing")));
    }
}
