//! Reading the YAML text of the spec into `openapiv3` types.

use crate::Error;
use crate::error::child;
use openapiv3::OpenAPI;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

mod shape;

/// Parses the spec text; a syntax error carries its YAML line, a shape error its pointer.
///
/// The text goes through a JSON value first: `openapiv3` reads references more robustly
/// from one than straight from YAML, and the value lets a shape error name its path.
pub fn parse(spec_yaml: &str) -> Result<OpenAPI, Error> {
    let value = read_value(spec_yaml)?;
    refuse_annotated_refs(&value, "#")?;
    let spec: OpenAPI = serde_path_to_error::deserialize(&value).map_err(|error| {
        let pointer = error
            .path()
            .iter()
            .fold("#".to_owned(), |pointer, segment| match segment {
                serde_path_to_error::Segment::Seq { index } => child(&pointer, index),
                serde_path_to_error::Segment::Map { key } => child(&pointer, key),
                serde_path_to_error::Segment::Enum { variant } => child(&pointer, variant),
                serde_path_to_error::Segment::Unknown => pointer,
            });
        let (pointer, message) = shape::deepest(&value, pointer, error.inner().to_string());
        Error::at(
            pointer,
            format!("not a valid OpenAPI 3.0 document here: {message}"),
        )
    })?;
    if !spec.openapi.starts_with("3.0.") {
        return Err(Error::at(
            "#/openapi",
            format!(
                "unsupported OpenAPI version `{}`, expected 3.0.x",
                spec.openapi
            ),
        ));
    }
    Ok(spec)
}

/// The annotations a `$ref` cannot carry: in OpenAPI 3.0 the keys beside a `$ref` are
/// ignored, so an annotation there would silently not apply.
const REF_ANNOTATIONS: [&str; 3] = ["x-sdk-added", "x-sdk-removed", "x-sdk-upstream-differs"];

fn refuse_annotated_refs(value: &Value, pointer: &str) -> Result<(), Error> {
    match value {
        Value::Object(map) => {
            if map.contains_key("$ref")
                && let Some(key) = REF_ANNOTATIONS.iter().find(|key| map.contains_key(**key))
            {
                return Err(Error::at(
                    child(pointer, key),
                    format!(
                        "a `$ref` cannot carry `{key}` (OpenAPI 3.0 ignores the keys beside it); write the reference as `allOf: [{{$ref: …}}]` and annotate that schema"
                    ),
                ));
            }
            map.iter()
                .try_for_each(|(key, value)| refuse_annotated_refs(value, &child(pointer, key)))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, value)| refuse_annotated_refs(value, &child(pointer, index))),
        _ => Ok(()),
    }
}

/// The YAML text as an order-preserving JSON value. A key that one mapping names twice is
/// refused with both lines: read as is, the last one would silently win.
fn read_value(spec_yaml: &str) -> Result<Value, Error> {
    let duplicate = RefCell::new(None);
    let seed = ValueSeed {
        pointer: "#".to_owned(),
        duplicate: &duplicate,
    };
    let deserializer = yaml_serde::Deserializer::from_str(spec_yaml);
    seed.deserialize(deserializer).map_err(|error| {
        let line = error.location().map(|location| location.line());
        match duplicate.into_inner() {
            Some((pointer, key)) => duplicate_key(spec_yaml, pointer, &key, line),
            None => Error {
                pointer: None,
                line,
                message: format!("the spec is not readable YAML: {error}"),
                first_line: None,
            },
        }
    })
}

fn duplicate_key(spec_yaml: &str, pointer: String, key: &str, line: Option<usize>) -> Error {
    let lines = crate::locate::lines_of(spec_yaml, &pointer);
    let (first, again) = match lines.as_slice() {
        [first, .., again] => (Some(*first), Some(*again)),
        _ => (None, line),
    };
    Error {
        message: format!(
            "duplicate key `{key}`: a mapping names each key once, so keep one and remove or rename the other"
        ),
        pointer: Some(pointer),
        line: again,
        first_line: first,
    }
}

/// Deserializes one YAML node into a JSON value, noting the pointer of a repeated key.
struct ValueSeed<'a> {
    pointer: String,
    duplicate: &'a RefCell<Option<(String, String)>>,
}

impl ValueSeed<'_> {
    fn child(&self, segment: impl fmt::Display) -> Self {
        ValueSeed {
            pointer: child(&self.pointer, segment),
            duplicate: self.duplicate,
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(items.len()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let pointer = child(&self.pointer, &key);
                *self.duplicate.borrow_mut() = Some((pointer, key.clone()));
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(self.child(&key))?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}
