//! A successful response: status, headers and the decoded body.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// The header by which the service points at a long-running operation.
const OPERATION_LOCATION: &str = "operation-location";

/// A successful response with its body decoded into `T` (`()` when the
/// operation answers without a body).
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// Assembles a response.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The `Operation-Location` header, which the `train`, snapshot `take`
    /// and snapshot `apply` operations answer with: the URL to poll for the
    /// state of the operation they started.
    pub fn operation_location(&self) -> Option<&str> {
        self.headers.get(OPERATION_LOCATION)?.to_str().ok()
    }

    /// The same response with its body transformed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn accessors_and_operation_location() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "Operation-Location",
            HeaderValue::from_static("https://example.test/face/v1.0/operations/42"),
        );
        let response = Response::new(StatusCode::ACCEPTED, headers, ());
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(
            response.operation_location(),
            Some("https://example.test/face/v1.0/operations/42")
        );
        let mapped = response.map(|()| 5);
        assert_eq!(*mapped.body(), 5);
        let (status, headers, body) = mapped.into_parts();
        assert_eq!((status, headers.len(), body), (StatusCode::ACCEPTED, 1, 5));
    }

    #[test]
    fn missing_or_non_text_operation_location_is_none() {
        let response = Response::new(StatusCode::OK, HeaderMap::new(), "body");
        assert_eq!(response.operation_location(), None);
        assert_eq!(response.into_body(), "body");
        let mut headers = HeaderMap::new();
        headers.insert(
            "operation-location",
            HeaderValue::from_bytes(b"\xff").unwrap(),
        );
        assert_eq!(
            Response::new(StatusCode::OK, headers, ()).operation_location(),
            None
        );
    }
}
