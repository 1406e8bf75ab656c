//! Pointing a shape error at the deepest node that is wrong.
//!
//! `openapiv3` reads a path item, a `$ref`-or-object and a parameter through untagged or
//! flattened serde types, which report a wrong value deep inside only at their own start
//! (`#/paths`). Here the failing node is read again as the OpenAPI object its place says it
//! is (a path item, an operation, a schema, …), step by step downwards, until the error
//! names the node itself.

use crate::error::child;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The kinds of OpenAPI object a pointer can name.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Schema,
}

const OPERATIONS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The deepest pointer at or below `pointer` where `root` is not of the shape OpenAPI asks
/// for, with what is wrong there.
pub fn deepest(root: &Value, pointer: String, message: String) -> (String, String) {
    let found = kind_of(&pointer).and_then(|kind| {
        let node = root.pointer(pointer.trim_start_matches('#'))?;
        first_error(kind, node, 0)
    });
    match found {
        Some((segments, message)) => (
            segments
                .iter()
                .fold(pointer, |pointer, segment| child(&pointer, segment)),
            message,
        ),
        None => (pointer, message),
    }
}

/// What kind of OpenAPI object the node at `pointer` is, as far as its place tells.
fn kind_of(pointer: &str) -> Option<Kind> {
    let segments: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut kind = match segments.first().map(String::as_str) {
        Some("paths") => Kind::Paths,
        Some("components") => {
            let kind = match segments.get(1).map(String::as_str) {
                Some("schemas") => Kind::Schema,
                Some("parameters") => Kind::Parameter,
                Some("requestBodies") => Kind::RequestBody,
                Some("responses") => Kind::Response,
                _ => return None,
            };
            return descend(kind, segments.get(3..)?);
        }
        _ => return None,
    };
    kind = descend(kind, segments.get(1..)?)?;
    Some(kind)
}

fn descend(mut kind: Kind, segments: &[String]) -> Option<Kind> {
    let mut index = 0;
    while index < segments.len() {
        let segment = segments[index].as_str();
        let next = segments.get(index + 1).map(String::as_str);
        let (to, step) = match (kind, segment) {
            (Kind::Paths, _) => (Kind::PathItem, 1),
            (Kind::PathItem, method) if OPERATIONS.contains(&method) => (Kind::Operation, 1),
            (Kind::PathItem | Kind::Operation, "parameters") if next.is_some() => {
                (Kind::Parameter, 2)
            }
            (Kind::Operation, "requestBody") => (Kind::RequestBody, 1),
            (Kind::Operation, "responses") => (Kind::Responses, 1),
            (Kind::Responses, _) => (Kind::Response, 1),
            (Kind::RequestBody | Kind::Response, "content") if next.is_some() => {
                (Kind::MediaType, 2)
            }
            (Kind::MediaType | Kind::Parameter, "schema")
            | (Kind::Schema, "items" | "not" | "additionalProperties") => (Kind::Schema, 1),
            (Kind::Schema, "properties" | "allOf" | "oneOf" | "anyOf") if next.is_some() => {
                (Kind::Schema, 2)
            }
            _ => return None,
        };
        kind = to;
        index += step;
    }
    Some(kind)
}

/// The path below `node` of its first shape error as a `kind`, and the error: in the
/// deepest child object that has one, else at the key of `node` that breaks it.
fn first_error(kind: Kind, node: &Value, depth: usize) -> Option<(Vec<String>, String)> {
    if let Some(reference) = node.as_object().and_then(|object| object.get("$ref")) {
        return (!reference.is_string()).then(|| {
            (
                vec!["$ref".to_owned()],
                "a `$ref` must be a string".to_owned(),
            )
        });
    }
    let (own_path, message) = errors_as(kind, node)?;
    if depth < 64 {
        for (segments, child_kind) in children(kind, node) {
            let Some(child_node) = segments.iter().try_fold(node, |node, segment| match node {
                Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
                _ => node.get(segment),
            }) else {
                continue;
            };
            if let Some((deeper, message)) = first_error(child_kind, child_node, depth + 1) {
                return Some(([segments, deeper].concat(), message));
            }
        }
    }
    if !own_path.is_empty() {
        return Some((own_path, message));
    }
    // A struct with flattened extensions loses the path of its fields: find the key without
    // which the node reads.
    let object = node.as_object()?;
    let culprit = object.keys().find(|key| {
        let mut without = object.clone();
        without.remove(*key);
        errors_as(kind, &Value::Object(without)).is_none()
    });
    Some((culprit.into_iter().cloned().collect(), message))
}

/// The child objects of `node` whose kind its kind tells, with their path below it.
fn children(kind: Kind, node: &Value) -> Vec<(Vec<String>, Kind)> {
    let keys = |value: Option<&Value>| -> Vec<String> {
        value
            .and_then(Value::as_object)
            .map(|object| {
                object
                    .keys()
                    .filter(|key| !key.starts_with("x-"))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let indexes = |key: &str| -> Vec<String> {
        node.get(key)
            .and_then(Value::as_array)
            .map(|items| (0..items.len()).map(|index| index.to_string()).collect())
            .unwrap_or_default()
    };
    let under = |key: &str, names: Vec<String>, kind: Kind| -> Vec<(Vec<String>, Kind)> {
        names
            .into_iter()
            .map(|name| (vec![key.to_owned(), name], kind))
            .collect()
    };
    let own = |key: &str, kind: Kind| -> Vec<(Vec<String>, Kind)> {
        node.get(key)
            .map(|_| (vec![key.to_owned()], kind))
            .into_iter()
            .collect()
    };
    match kind {
        Kind::Paths => keys(Some(node))
            .into_iter()
            .map(|key| (vec![key], Kind::PathItem))
            .collect(),
        Kind::PathItem => OPERATIONS
            .iter()
            .flat_map(|method| own(method, Kind::Operation))
            .chain(under("parameters", indexes("parameters"), Kind::Parameter))
            .collect(),
        Kind::Operation => under("parameters", indexes("parameters"), Kind::Parameter)
            .into_iter()
            .chain(own("requestBody", Kind::RequestBody))
            .chain(own("responses", Kind::Responses))
            .collect(),
        Kind::Responses => keys(Some(node))
            .into_iter()
            .map(|key| (vec![key], Kind::Response))
            .collect(),
        Kind::RequestBody | Kind::Response => {
            under("content", keys(node.get("content")), Kind::MediaType)
        }
        Kind::MediaType | Kind::Parameter => own("schema", Kind::Schema),
        Kind::Schema => ["items", "not", "additionalProperties"]
            .iter()
            .filter(|key| node.get(**key).is_some_and(Value::is_object))
            .flat_map(|key| own(key, Kind::Schema))
            .chain(under(
                "properties",
                keys(node.get("properties")),
                Kind::Schema,
            ))
            .chain(
                ["allOf", "oneOf", "anyOf"]
                    .iter()
                    .flat_map(|key| under(key, indexes(key), Kind::Schema)),
            )
            .collect(),
    }
}

/// The shape error of `node` read as a `kind`, with its path below `node`, if any.
fn errors_as(kind: Kind, node: &Value) -> Option<(Vec<String>, String)> {
    match kind {
        Kind::Paths => read_as::<openapiv3::Paths>(node),
        Kind::PathItem => read_as::<openapiv3::PathItem>(node),
        Kind::Operation => read_as::<openapiv3::Operation>(node),
        Kind::Parameter => read_as::<openapiv3::Parameter>(node),
        Kind::RequestBody => read_as::<openapiv3::RequestBody>(node),
        Kind::Responses => read_as::<openapiv3::Responses>(node),
        Kind::Response => read_as::<openapiv3::Response>(node),
        Kind::MediaType => read_as::<openapiv3::MediaType>(node),
        Kind::Schema => read_as::<openapiv3::Schema>(node),
    }
}

fn read_as<T: DeserializeOwned>(node: &Value) -> Option<(Vec<String>, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(node).err()?;
    let segments = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect();
    Some((segments, error.inner().to_string()))
}
