//! Typed reads of fields from a JSON body already checked against the spec;
//! each read still rejects a wrong type, so the handlers are safe on any input.

use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;

/// An optional string field (`null` counts as absent).
pub(crate) fn string(body: &Value, name: &str) -> Result<Option<String>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ApiError::bad_argument(format!(
            "'{name}' must be a string."
        ))),
    }
}

/// A required string field.
pub(crate) fn required_string(body: &Value, name: &str) -> Result<String, ApiError> {
    string(body, name)?.ok_or_else(|| ApiError::bad_argument(format!("'{name}' is required.")))
}

/// An optional id field in UUID form.
pub(crate) fn uuid(body: &Value, name: &str) -> Result<Option<Uuid>, ApiError> {
    match string(body, name)? {
        None => Ok(None),
        Some(text) => Uuid::parse_str(&text)
            .map(Some)
            .map_err(|_| ApiError::bad_argument(format!("'{name}' is not a valid id."))),
    }
}

/// A required id field in UUID form.
pub(crate) fn required_uuid(body: &Value, name: &str) -> Result<Uuid, ApiError> {
    uuid(body, name)?.ok_or_else(|| ApiError::bad_argument(format!("'{name}' is required.")))
}

/// An optional list of ids in UUID form.
pub(crate) fn uuid_list(body: &Value, name: &str) -> Result<Option<Vec<Uuid>>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().and_then(|text| Uuid::parse_str(text).ok()))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_argument(format!("'{name}' must be a list of valid ids."))
            }),
        Some(_) => Err(ApiError::bad_argument(format!(
            "'{name}' must be a list of valid ids."
        ))),
    }
}

/// An optional integer field.
pub(crate) fn integer(body: &Value, name: &str) -> Result<Option<i64>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::bad_argument(format!("The argument {name} is not valid."))),
    }
}

/// An optional number field.
pub(crate) fn number(body: &Value, name: &str) -> Result<Option<f64>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .map(Some)
            .ok_or_else(|| ApiError::bad_argument(format!("The argument {name} is not valid."))),
    }
}

/// Keeps an integer within `[low, high]`, or answers `BadArgument` naming the field.
pub(crate) fn within(value: i64, low: i64, high: i64, name: &str) -> Result<usize, ApiError> {
    if (low..=high).contains(&value) {
        Ok(usize::try_from(value).unwrap_or_default())
    } else {
        Err(ApiError::bad_argument(format!(
            "The argument {name} is not valid. The valid range is between [{low}, {high}]."
        )))
    }
}
