//! Reading a request: path, query, media type and a size- and time-capped body,
//! each checked against the operation's rules.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use serde_json::{Map, Value};

use crate::app::App;
use crate::error::ApiError;
use crate::http::body_guard::{MAX_BODY_BYTES, too_large};
use crate::rules::{Location, Violation};

/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// A request taken apart.
#[derive(Debug)]
pub(crate) struct Call {
    /// Path parameters, percent-decoded.
    pub path: Vec<(String, String)>,
    /// Query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// The media type of the body, lower-case, without parameters.
    pub media_type: Option<String>,
    /// The body.
    pub body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Call {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let (mut parts, body) = request.into_parts();
        let path = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| ApiError::no_such_resource())?
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        let query = parts.uri.query().map(parse_query).unwrap_or_default();
        let media_type = crate::http::body_guard::media_type(&parts.headers);
        let body = read_body(body, media_type.as_deref()).await?;
        Ok(Self {
            path,
            query,
            media_type,
            body,
        })
    }
}

async fn read_body(body: Body, media_type: Option<&str>) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(too_large(media_type)),
        Err(_) => Err(ApiError::bad_argument(
            "Request body is invalid: it was not received in time.",
        )),
    }
}

/// Splits a query string into decoded pairs (`+` is a space, as the service reads it).
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl Call {
    /// A path parameter.
    pub fn path_param(&self, name: &str) -> &str {
        self.path
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    /// Checks the path parameters; a bad id is the service's "not found"
    /// (or `BadArgument` when `creating` the object it names).
    pub fn check_path(
        &self,
        app: &App,
        operation_id: &str,
        creating: bool,
    ) -> Result<(), ApiError> {
        app.rules
            .check_params(operation_id, Location::Path, &self.path)
            .map(drop)
            .map_err(|violation| {
                if creating {
                    ApiError::bad_argument(violation.message)
                } else {
                    not_found_for(&violation.field)
                }
            })
    }

    /// Checks and parses the query parameters the operation declares.
    pub fn query_params(&self, app: &App, operation_id: &str) -> Result<Params, ApiError> {
        app.rules
            .check_params(operation_id, Location::Query, &self.query)
            .map(Params)
            .map_err(|violation| ApiError::bad_argument(violation.message))
    }

    /// Requires a JSON body, parses it and checks it against the operation's schema.
    pub fn json_body(&self, app: &App, operation_id: &str) -> Result<Value, ApiError> {
        self.json_body_with(app, operation_id, |violation| {
            ApiError::bad_argument(violation.message.clone())
        })
    }

    /// As [`Call::json_body`], with a custom answer to a broken rule.
    pub fn json_body_with(
        &self,
        app: &App,
        operation_id: &str,
        on_violation: impl Fn(&Violation) -> ApiError,
    ) -> Result<Value, ApiError> {
        if self.media_type.as_deref() != Some("application/json") {
            return Err(ApiError::unsupported_media_type());
        }
        self.parse_json_body(app, operation_id, on_violation)
    }

    /// Parses the body as JSON whatever the media type and checks it.
    pub fn parse_json_body(
        &self,
        app: &App,
        operation_id: &str,
        on_violation: impl Fn(&Violation) -> ApiError,
    ) -> Result<Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_argument("Request body is invalid."));
        }
        let value: Value = serde_json::from_slice(&self.body)
            .map_err(|_| ApiError::bad_argument("JSON parsing error."))?;
        if !value.is_object() {
            return Err(ApiError::bad_argument("Request body is invalid."));
        }
        app.rules
            .check_json_body(operation_id, &value)
            .map_err(|violation| on_violation(&violation))?;
        Ok(value)
    }
}

/// The "not found" answer for a malformed path id.
pub(crate) fn not_found_for(field: &str) -> ApiError {
    let (code, what) = match field {
        "faceListId" => ("FaceListNotFound", "Face list"),
        "largeFaceListId" => ("LargeFaceListNotFound", "Large face list"),
        "personGroupId" => ("PersonGroupNotFound", "Person group"),
        "largePersonGroupId" => ("LargePersonGroupNotFound", "Large person group"),
        "personId" => ("PersonNotFound", "Person"),
        "persistedFaceId" => ("PersistedFaceNotFound", "Persisted face"),
        "snapshotId" => ("SnapshotNotFound", "Snapshot"),
        "operationId" => ("OperationNotFound", "Operation"),
        _ => return ApiError::no_such_resource(),
    };
    ApiError::not_found(code, format!("{what} ID is invalid."))
}

/// Checked query parameters with typed accessors; absent values fall back to the caller's default.
#[derive(Debug, Default)]
pub(crate) struct Params(pub Map<String, Value>);

impl Params {
    /// A boolean parameter.
    pub fn bool(&self, name: &str, default: bool) -> bool {
        self.0.get(name).and_then(Value::as_bool).unwrap_or(default)
    }

    /// An integer parameter.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(Value::as_i64)
    }

    /// A string parameter.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// A list parameter, as strings.
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        let items = self.0.get(name)?.as_array()?;
        Some(
            items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| item.to_string())
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_split_and_decoded() {
        let pairs = parse_query("a=1&b=x%2Fy&&c&d=p+q&returnFaceAttributes=age,glasses");
        assert_eq!(pairs[1], ("b".to_string(), "x/y".to_string()));
        assert_eq!(pairs[2], ("c".to_string(), String::new()));
        assert_eq!(pairs[3].1, "p q");
        assert_eq!(pairs[4].1, "age,glasses");
    }
}
