//! One request of an operation, built up parameter by parameter.

use std::fmt::{self, Display};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{
    CONTENT_LENGTH, HOST, HeaderMap, HeaderName, HeaderValue, TRANSFER_ENCODING,
};
use serde::Serialize;

use super::encode::{encode_component, encode_list, push_query};
use super::multipart::Multipart;
use crate::credentials::API_KEY_HEADER;
use crate::{Body, Error, FilePart};

/// A request of one operation: path, query, headers and body.
///
/// The parameter setters never fail on the spot: a value that cannot be
/// sent (an empty path segment, an invalid header value...) is remembered
/// and the call fails with that error before anything is sent.
pub struct OperationRequest {
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) success_status: u16,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: RequestBody,
    pub(crate) token_scopes: Option<&'static [&'static str]>,
    pub(crate) idempotent: Option<bool>,
    pub(crate) problem: Option<Error>,
    /// The service version the request is made at, for a family that has several.
    pub(crate) version: Option<super::version::VersionAt>,
}

/// The body of a request.
pub(crate) enum RequestBody {
    Empty,
    Json(Bytes),
    Binary(Body),
    Multipart(Multipart),
}

impl OperationRequest {
    /// A request of the operation `operation_id` (e.g. `Face_Detect`) to
    /// `path`, the server's base path plus the operation's template (e.g.
    /// `/face/v1.0/facelists/{faceListId}`), which succeeds with exactly
    /// `success_status`.
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path: &str,
        success_status: u16,
    ) -> Self {
        Self {
            operation_id,
            method,
            path: path.to_owned(),
            success_status,
            query: String::new(),
            headers: HeaderMap::new(),
            body: RequestBody::Empty,
            token_scopes: None,
            idempotent: None,
            problem: None,
            version: None,
        }
    }

    /// The operation id given to [`new`](Self::new).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// Replaces `{name}` in the path by `value`, percent-encoded with only
    /// unreserved characters left as they are. An empty value, `.` or `..`
    /// would change the path's meaning and fails the call.
    pub fn path_param(&mut self, name: &str, value: &(impl Display + ?Sized)) {
        let value = value.to_string();
        if matches!(value.as_str(), "" | "." | "..") {
            self.fail(invalid(
                name,
                format!("`{name}` must not be empty, `.` or `..`"),
            ));
            return;
        }
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            let message = format!(
                "the path of {} has no parameter `{name}`",
                self.operation_id
            );
            self.fail(Error::Config { message });
            return;
        }
        self.path = self.path.replace(&placeholder, &encode_component(&value));
    }

    /// Sets the header `name` to `value`.
    pub fn header_param(&mut self, name: &str, value: &(impl Display + ?Sized)) {
        match checked_header(name, &value.to_string()) {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(error) => self.fail(error),
        }
    }

    /// Adds `name=value` to the query, the value percent-encoded. Parameters
    /// keep the order of the calls.
    pub fn query(&mut self, name: &str, value: &(impl Display + ?Sized)) {
        push_query(&mut self.query, name, &encode_component(&value.to_string()));
    }

    /// Adds `name=a,b,c` to the query: each item percent-encoded, joined by a
    /// literal comma. An empty list adds nothing.
    pub fn query_list<I>(&mut self, name: &str, values: I)
    where
        I: IntoIterator,
        I::Item: Display,
    {
        let joined = encode_list(values);
        if !joined.is_empty() {
            push_query(&mut self.query, name, &joined);
        }
    }

    /// [`query`](Self::query) when the value is set.
    #[doc(hidden)]
    pub fn query_if<T: Display + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// [`query_list`](Self::query_list) when the list is set.
    #[doc(hidden)]
    pub fn query_list_if<I>(&mut self, name: &str, values: Option<I>)
    where
        I: IntoIterator,
        I::Item: Display,
    {
        if let Some(values) = values {
            self.query_list(name, values);
        }
    }

    /// Sets a JSON body (`Content-Type: application/json; charset=utf-8`).
    pub fn json_body<B: Serialize + ?Sized>(&mut self, body: &B) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            invalid(
                "body",
                format!(
                    "the body of {} cannot be written as JSON: {error}",
                    self.operation_id
                ),
            )
        })?;
        self.body = RequestBody::Json(Bytes::from(bytes));
        Ok(())
    }

    /// Sets a binary body (`Content-Type: application/octet-stream`).
    pub fn binary_body(&mut self, body: Body) {
        self.body = RequestBody::Binary(body);
    }

    /// The OAuth2 scopes a token must have to call this operation, for a
    /// client with a [`TokenCredential`](crate::TokenCredential). The
    /// generated code sets them on every operation of an API that accepts
    /// tokens; a request without scopes accepts only a subscription key, and
    /// a client with a token credential refuses to send it ([`Error::Config`]).
    /// A client with a key ignores them.
    pub fn token_scopes(&mut self, scopes: &'static [&'static str]) {
        self.token_scopes = Some(scopes);
    }

    /// Whether applying the request twice has the effect of applying it
    /// once, which decides after which failures it is retried (see
    /// [`RetryPolicy`](crate::RetryPolicy)). When not set, it follows the
    /// method: a POST is not idempotent; GET, PUT, PATCH, DELETE and the
    /// others are. The generated code marks the POSTs that only read.
    pub fn set_idempotent(&mut self, idempotent: bool) {
        self.idempotent = Some(idempotent);
    }

    /// Whether the request is idempotent: as set by
    /// [`set_idempotent`](Self::set_idempotent), else by its method.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or(self.method != Method::POST)
    }

    /// Adds a field part to a `multipart/form-data` body:
    /// `Content-Disposition: form-data; name="<name>"` and the value as text.
    /// Parts are sent in the order they were added; the first part replaces
    /// any other body. A `"`, CR or LF in a name is sent percent-encoded.
    pub fn multipart_text(&mut self, name: &str, value: &(impl Display + ?Sized)) {
        let value = value.to_string();
        self.add_part(|form| form.text(name, value));
    }

    /// Adds a file part to a `multipart/form-data` body:
    /// `Content-Disposition: form-data; name="<name>"; filename="<file name>"`,
    /// `Content-Type: <content type>` and the bytes of the part's body. The file name is the
    /// part's own ([`FilePart::file_name`]), else `name`; the content type the part's own
    /// ([`FilePart::content_type`]), else `default_content_type`. The form is sent again on a
    /// retry only when every file part is in-memory bytes; upload progress covers the whole
    /// form. An empty file name, or a content type that is empty or not a valid header
    /// value, fails the call before sending.
    pub fn multipart_file(
        &mut self,
        name: &str,
        default_content_type: &str,
        part: impl Into<FilePart>,
    ) {
        let FilePart {
            body,
            file_name,
            content_type,
        } = part.into();
        let content_type = content_type.as_deref().unwrap_or(default_content_type);
        if content_type.is_empty() || HeaderValue::from_str(content_type).is_err() {
            self.fail(invalid(
                name,
                format!("the content type of `{name}` must be a non-empty header value"),
            ));
            return;
        }
        let file_name = file_name.as_deref().unwrap_or(name);
        if file_name.is_empty() {
            self.fail(invalid(
                name,
                format!("the file name of `{name}` must not be empty"),
            ));
            return;
        }
        self.add_part(|form| form.file(name, file_name, content_type, body));
    }

    /// Adds to the multipart body, started when there is none yet.
    fn add_part(&mut self, add: impl FnOnce(&mut Multipart)) {
        match &mut self.body {
            RequestBody::Multipart(form) => add(form),
            other => {
                let mut form = Multipart::new();
                add(&mut form);
                *other = RequestBody::Multipart(form);
            }
        }
    }

    /// Remembers the first problem, reported when the call is sent.
    fn fail(&mut self, error: Error) {
        self.problem.get_or_insert(error);
    }
}

impl fmt::Debug for OperationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        let body = match &self.body {
            RequestBody::Empty => "empty".to_owned(),
            RequestBody::Json(bytes) => format!("json ({} bytes)", bytes.len()),
            RequestBody::Binary(body) => format!("{body:?}"),
            RequestBody::Multipart(form) => form.describe(),
        };
        f.debug_struct("OperationRequest")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("body", &body)
            .field("success_status", &self.success_status)
            .field("token_scopes", &self.token_scopes)
            .field("idempotent", &self.is_idempotent())
            .finish_non_exhaustive()
    }
}

/// An [`Error::InvalidRequest`] about `parameter`.
pub(crate) use face_sdk_types::runtime::check::invalid;

/// Parses a header given by a caller, refusing the headers the client manages.
/// The value is never quoted in the error: it may be a secret.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid(name, format!("`{name}` is not a valid header name")))?;
    if [API_KEY_HEADER, CONTENT_LENGTH, TRANSFER_ENCODING, HOST].contains(&header_name) {
        return Err(invalid(
            name,
            format!("`{name}` is set by the client and cannot be given per call"),
        ));
    }
    let header_value = HeaderValue::from_str(value).map_err(|_| {
        invalid(
            name,
            format!("`{name}` must be a valid header value (no line breaks or control characters)"),
        )
    })?;
    Ok((header_name, header_value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> OperationRequest {
        OperationRequest::new("Test_Op", Method::GET, path, 200)
    }

    #[test]
    fn path_params_are_fully_encoded() {
        let mut request = request("/face/v1.0/persongroups/{personGroupId}/persons/{personId}");
        request.path_param("personGroupId", "a b/c");
        request.path_param("personId", &uuid::Uuid::nil());
        assert_eq!(
            request.path,
            "/face/v1.0/persongroups/a%20b%2Fc/persons/00000000-0000-0000-0000-000000000000"
        );
        assert!(request.problem.is_none());
    }

    #[test]
    fn dot_segments_empty_values_and_unknown_names_are_remembered() {
        for value in ["", ".", ".."] {
            let mut request = request("/x/{id}");
            request.path_param("id", value);
            let problem = request.problem.expect("a problem");
            assert!(
                matches!(problem, Error::InvalidRequest { ref parameter, .. } if parameter == "id")
            );
        }
        let mut request = request("/x/{id}");
        request.path_param("other", "v");
        assert!(matches!(request.problem, Some(Error::Config { .. })));
    }

    #[test]
    fn idempotence_follows_the_method_unless_set() {
        for (method, expected) in [
            (Method::POST, false),
            (Method::GET, true),
            (Method::PUT, true),
            (Method::PATCH, true),
            (Method::DELETE, true),
        ] {
            let mut request = OperationRequest::new("X_Op", method.clone(), "/x", 200);
            assert_eq!(request.is_idempotent(), expected, "{method}");
            request.set_idempotent(!expected);
            assert_eq!(request.is_idempotent(), !expected, "{method} set");
        }
    }

    #[test]
    fn query_in_call_order() {
        let mut request = request("/x");
        request.query("returnFaceId", &true);
        request.query("faceIdTimeToLive", &60);
        request.query_list("returnFaceAttributes", ["age", "headPose"].iter());
        request.query_list("empty", Vec::<String>::new());
        request.query("userData", "x y");
        assert_eq!(
            request.query,
            "returnFaceId=true&faceIdTimeToLive=60&returnFaceAttributes=age,headPose&userData=x%20y"
        );
    }

    #[test]
    fn headers_are_checked() {
        let mut request = request("/x");
        request.header_param("X-Custom", &42);
        assert_eq!(request.headers.get("x-custom").unwrap(), "42");
        request.header_param("Ocp-Apim-Subscription-Key", "other");
        assert!(matches!(
            request.problem,
            Some(Error::InvalidRequest { .. })
        ));
        for (name, value) in [
            ("bad name", "v"),
            ("X-Ok", "line\nhidden-value"),
            ("content-length", "3"),
            ("Host", "h"),
        ] {
            let error = checked_header(name, value).unwrap_err();
            assert!(matches!(error, Error::InvalidRequest { .. }), "{name}");
            assert!(!error.to_string().contains("hidden-value"));
        }
    }

    #[test]
    fn json_body_and_debug() {
        let mut request =
            OperationRequest::new("Face_Group", Method::POST, "/face/v1.0/group", 200);
        request
            .json_body(&serde_json::json!({"faceIds": []}))
            .unwrap();
        assert!(
            matches!(&request.body, RequestBody::Json(bytes) if bytes.as_ref() == br#"{"faceIds":[]}"#)
        );
        request.header_param("X-Secretish", "hidden-value");
        let text = format!("{request:?}");
        assert!(text.contains("Face_Group") && text.contains("x-secretish"));
        assert!(!text.contains("hidden-value"));
        assert_eq!(request.operation_id(), "Face_Group");
    }
}
