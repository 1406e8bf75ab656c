//! The service's error answers: a status and `{"error": {"code", "message"}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One error answer of the emulated service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The service's error code, e.g. `BadArgument` or `PersonGroupNotFound`.
    pub code: String,
    /// The human-readable explanation.
    pub message: String,
}

impl ApiError {
    /// An error with any status, code and message.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// 400 `BadArgument`.
    pub fn bad_argument(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadArgument", message)
    }

    /// 400 `InvalidImage`.
    pub fn invalid_image(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidImage", message)
    }

    /// 400 `InvalidImageSize`.
    pub fn invalid_image_size(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidImageSize", message)
    }

    /// 400 `InvalidURL`.
    pub fn invalid_url() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidURL", "Invalid image URL.")
    }

    /// 404 with a `*NotFound` code.
    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 409 with a `*Conflict`, `*Exists` or `*TrainingNotFinished` code.
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// 415 for a body whose media type the operation does not take.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BadArgument",
            "Invalid Media Type.",
        )
    }

    /// 404 for a path or method the service does not serve.
    pub fn no_such_resource() -> Self {
        Self::new(StatusCode::NOT_FOUND, "404", "Resource not found")
    }

    /// The same error with another status (some operations answer 400 where others answer 404).
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The same error with another code.
    #[must_use]
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = code.to_string();
        self
    }

    /// The JSON body of the answer.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": { "code": self.code, "message": self.message } })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, &self.body());
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("AzureApiManagementKey realm=\"face\",name=\"Ocp-Apim-Subscription-Key\",type=\"header\""),
            );
        }
        response
    }
}

/// A JSON answer with the given status.
pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// An answer with a status and no body (success of create, update, delete).
pub(crate) fn empty_response(status: StatusCode) -> Response {
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = status;
    response
}

/// What a handler answers on success. The status, the names of the headers and the shape of
/// the body are the spec's: the router takes the status and headers from the operation's table
/// and checks the body against its response schema before sending it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    /// The success answer without a body.
    Empty,
    /// A JSON body.
    Json(serde_json::Value),
    /// Raw bytes, for an operation whose success answer is binary.
    Bytes(Vec<u8>),
    /// Background work was started: each header the answer declares locates the status of
    /// the work `id`.
    Started(uuid::Uuid),
}

/// What a handler returns.
pub(crate) type ApiResult<T = Answer> = Result<T, ApiError>;
