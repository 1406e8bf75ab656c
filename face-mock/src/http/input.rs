//! The one validation layer: before any handler runs, a request is checked
//! against its operation in the spec (path, query, media type, body types,
//! ranges, lengths, counts, patterns, enum values, exactly-one-of groups,
//! allowed items, binary sizes) and the spec's defaults are filled in.
//! Handlers receive the result, an [`Input`], and name no bound or default.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::Method;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::body_guard::{media_type, too_large};
use super::multipart::{Files, boundary, form_body};
use crate::error::ApiError;
use crate::rules::refusal;
use crate::rules::{Location, Rules};

/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// A checked request with the spec's defaults filled in.
#[derive(Debug)]
pub(crate) struct Input {
    /// The `operationId`, e.g. `LargeFaceList_Create`.
    pub operation: String,
    spec: Arc<Rules>,
    path: Map<String, Value>,
    query: Map<String, Value>,
    body: Payload,
    /// The file parts of a multipart form, by name.
    files: Files,
}

/// The body of a checked request.
#[derive(Debug)]
enum Payload {
    None,
    Json(Map<String, Value>),
    Bytes(Bytes),
}

/// Reads `request` as the operation `operation` of `spec` and checks it.
pub(crate) async fn read(
    spec: Arc<Rules>,
    operation: &str,
    body_limit: usize,
    request: Request,
) -> Result<Input, ApiError> {
    let (mut parts, body) = request.into_parts();
    let raw_path: Vec<(String, String)> = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .map_err(|_| ApiError::no_such_resource())?
        .iter()
        .map(|(name, value)| (name.to_string(), decode(value)))
        .collect();
    // A malformed id names nothing (not found), except in the path of a create, where it is refused.
    let creating = parts.method == Method::PUT;
    let path = spec
        .check_params(operation, Location::Path, &raw_path)
        .map_err(|violation| {
            if creating {
                refusal(operation, &violation)
            } else {
                not_found_for(&violation.field)
            }
        })?;
    let raw_query = parts.uri.query().map(parse_query).unwrap_or_default();
    let query = spec
        .check_query(operation, &raw_query)
        .map_err(|violation| refusal(operation, &violation))?;
    let accepted = spec.media_types(operation);
    let mut files = Vec::new();
    let body = if accepted.is_empty() {
        Payload::None
    } else {
        let media_type = media_type(&parts.headers)
            .filter(|given| accepted.contains(&given.as_str()))
            .ok_or_else(ApiError::unsupported_media_type)?;
        let bytes = read_body(body, body_limit, &media_type).await?;
        match media_type.as_str() {
            "application/json" => Payload::Json(json_body(&spec, operation, &bytes)?),
            "multipart/form-data" => {
                let boundary = boundary(&parts.headers)
                    .ok_or_else(|| ApiError::bad_argument("The multipart body has no boundary."))?;
                let (fields, parts) = form_body(&spec, operation, &bytes, &boundary)?;
                files = parts;
                Payload::Json(fields)
            }
            _ => {
                check_size(&spec, operation, bytes.len())?;
                Payload::Bytes(bytes)
            }
        }
    };
    Ok(Input {
        operation: operation.to_string(),
        spec,
        path,
        query,
        body,
        files,
    })
}

async fn read_body(body: Body, limit: usize, media_type: &str) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(too_large(Some(media_type))),
        Err(_) => Err(ApiError::bad_argument(
            "Request body is invalid: it was not received in time.",
        )),
    }
}

/// Parses a JSON body, checks it against the operation's schema and fills in defaults.
fn json_body(spec: &Rules, operation: &str, bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_argument("Request body is invalid."));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|_| ApiError::bad_argument("JSON parsing error."))?;
    if !value.is_object() {
        return Err(ApiError::bad_argument("Request body is invalid."));
    }
    spec.check_json_body(operation, &value)
        .map_err(|violation| refusal(operation, &violation))?;
    let Value::Object(mut map) = value else {
        return Err(ApiError::bad_argument("Request body is invalid."));
    };
    spec.fill_defaults(operation, &mut map);
    Ok(map)
}

/// Checks the size of a binary body against the spec's bounds for it.
fn check_size(spec: &Rules, operation: &str, size: usize) -> Result<(), ApiError> {
    let (min, max) = spec.binary_bounds(operation);
    if min.is_some_and(|min| size < min) {
        return Err(ApiError::invalid_image_size("Image size is too small."));
    }
    if max.is_some_and(|max| size > max) {
        return Err(ApiError::invalid_image_size("Image size is too big."));
    }
    Ok(())
}

/// Splits a query string into decoded pairs (`+` is a space, as the service reads it).
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                decode(&name.replace('+', " ")),
                decode(&value.replace('+', " ")),
            )
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The "not found" answer for a malformed path id: `faceListId` → `FaceListNotFound`, "Face list ID is invalid.".
pub(crate) fn not_found_for(field: &str) -> ApiError {
    match field.strip_suffix("Id").filter(|object| !object.is_empty()) {
        Some(object) => {
            let missing = crate::state::store::missing(object);
            let name = crate::state::kinds::sentence_case(object);
            ApiError::not_found(&missing.code, format!("{name} ID is invalid."))
        }
        None => ApiError::no_such_resource(),
    }
}

impl Input {
    /// Debug builds (every test) assert that a handler reads the request by a name the
    /// operation has: a misspelt name fails at once instead of reading as absent.
    fn known<'n>(&self, name: &'n str) -> &'n str {
        debug_assert!(
            crate::rules::table::is_input_name(&self.operation, name),
            "{name} is not a parameter or body property of {}",
            self.operation
        );
        name
    }

    /// The spec the request was checked against.
    pub fn spec(&self) -> &Rules {
        &self.spec
    }

    /// The operation group, e.g. `LargeFaceList` of `LargeFaceList_Create`.
    pub fn group(&self) -> &str {
        self.operation
            .split_once('_')
            .map_or(self.operation.as_str(), |(group, _)| group)
    }

    /// A path parameter, percent-decoded.
    pub fn path(&self, name: &str) -> &str {
        self.path
            .get(self.known(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// A path parameter as given, when the request has one of that name.
    pub(crate) fn path_value(&self, name: &str) -> Option<String> {
        self.path.get(name).map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }

    /// A path parameter that the spec says is a UUID.
    pub fn path_id<Id: From<Uuid>>(&self, name: &str) -> Result<Id, ApiError> {
        Uuid::parse_str(self.path(name))
            .map(Id::from)
            .map_err(|_| not_found_for(name))
    }

    /// A query parameter, when given or defaulted by the spec.
    pub fn query(&self, name: &str) -> Option<&Value> {
        self.query.get(self.known(name))
    }

    /// A boolean query parameter; absent (with no default in the spec) counts as false.
    pub fn query_flag(&self, name: &str) -> bool {
        self.query(name).and_then(Value::as_bool).unwrap_or(false)
    }

    /// A string query parameter.
    pub fn query_str(&self, name: &str) -> Option<&str> {
        self.query(name).and_then(Value::as_str)
    }

    /// A list query parameter, as strings (empty when absent).
    pub fn query_list(&self, name: &str) -> Vec<String> {
        self.query(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .map_or_else(|| item.to_string(), str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A field of the JSON body or form (`null` counts as absent). A field the operation lacks
    /// at the request's version (one a later version adds) reads as absent: it is ignored,
    /// as every field the schema does not name is.
    pub fn field(&self, name: &str) -> Option<&Value> {
        let name = self.known(name);
        match &self.body {
            Payload::Json(map) if self.spec.find_field(&self.operation, name).is_some() => {
                map.get(name).filter(|value| !value.is_null())
            }
            _ => None,
        }
    }

    /// A string field.
    pub fn field_str(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(Value::as_str)
    }

    /// A string field, owned.
    pub fn field_string(&self, name: &str) -> Option<String> {
        self.field_str(name).map(str::to_string)
    }

    /// An id field (the spec says it is a UUID).
    pub fn field_id<Id: From<Uuid>>(&self, name: &str) -> Option<Id> {
        self.field_str(name)
            .and_then(|text| Uuid::parse_str(text).ok())
            .map(Id::from)
    }

    /// A list of ids.
    pub fn field_ids<Id: From<Uuid>>(&self, name: &str) -> Option<Vec<Id>> {
        self.field(name).and_then(Value::as_array).map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().and_then(|text| Uuid::parse_str(text).ok()))
                .map(Id::from)
                .collect()
        })
    }

    /// Whether a list field holds only the item that, by the spec (`x-sdk-all-items`), means
    /// every item.
    pub fn field_means_every(&self, name: &str) -> bool {
        let every = self.spec.every_item(&self.operation, self.known(name));
        self.field(name)
            .and_then(Value::as_array)
            .is_some_and(|items| crate::rules::means_every(every, items))
    }

    /// A number field.
    pub fn field_number(&self, name: &str) -> Option<f64> {
        self.field(name).and_then(Value::as_f64)
    }

    /// A count field (e.g. a largest number of results); absent (with no
    /// default in the spec) means no limit.
    pub fn field_limit(&self, name: &str) -> usize {
        self.field(name)
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |count| {
                usize::try_from(count).unwrap_or(usize::MAX)
            })
    }

    /// A file part of a multipart form.
    pub fn file(&self, name: &str) -> Option<&Bytes> {
        let name = self.known(name);
        self.files
            .iter()
            .find(|(part, _)| part == name)
            .map(|(_, bytes)| bytes)
    }

    /// The uploaded bytes of a binary body.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.body {
            Payload::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Rechecks a value the handler derived from a field (e.g. a list without
    /// duplicates) against that field's schema.
    pub fn recheck(&self, name: &str, value: &Value) -> Result<(), ApiError> {
        self.spec
            .check_property(&self.operation, self.known(name), value)
            .map_err(|violation| refusal(&self.operation, &violation))
    }

    /// The page of `items` (sorted by key) that the operation's `x-sdk-pagination`
    /// parameters ask for: after the cursor, at most the limit, which is at
    /// most the largest the spec allows when absent.
    pub fn page<T>(&self, items: Vec<(String, T)>) -> Vec<T> {
        let (cursor, limit) = match self.spec.pagination(&self.operation) {
            Some((cursor, limit, largest)) => {
                let cursor = self.query_str(cursor).unwrap_or_default().to_string();
                let limit = limit
                    .and_then(|limit| self.query(limit))
                    .and_then(Value::as_f64)
                    .or(largest)
                    .map_or(usize::MAX, |limit| limit as usize);
                (cursor, limit)
            }
            None => (String::new(), usize::MAX),
        };
        items
            .into_iter()
            .filter(|(key, _)| cursor.is_empty() || *key > cursor)
            .take(limit)
            .map(|(_, item)| item)
            .collect()
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

    #[test]
    fn malformed_path_ids_are_not_found_by_name() {
        let error = not_found_for("largePersonGroupId");
        assert_eq!(error.code, "LargePersonGroupNotFound");
        assert_eq!(error.message, "Large person group ID is invalid.");
        assert_eq!(
            not_found_for("persistedFaceId").code,
            "PersistedFaceNotFound"
        );
        assert_eq!(not_found_for("x").code, "404");
    }
}
