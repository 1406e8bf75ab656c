//! Checks the emulator's own success answers against the operation's response schema before
//! they are sent: every property is one the schema names, every required one is there, and
//! every value has its type, enum value, format and bounds. A handler that writes a property,
//! an enum value or a shape the spec does not state is caught on its first answer.

use serde_json::Value;

use super::{Kind, Rules, Shape};

/// How deep nested answers are followed.
const MAX_DEPTH: usize = 32;

/// Where an answer departs from its operation's response schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub operation: String,
    /// The JSON path of the value, e.g. `$[0].faceRectangle.top`.
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the answer of {} departs from its response schema at {}: {}",
            self.operation, self.at, self.message
        )
    }
}

impl Rules {
    /// Sends `null` for each required, nullable property of the answer that the handler has no
    /// value for: the spec requires the property to be there, and allows it to be empty.
    pub(crate) fn complete_answer(&self, operation_id: &str, body: &mut Value) {
        if let Some(shape) = self
            .operation(operation_id)
            .and_then(|operation| operation.response.as_ref())
        {
            self.fill_nulls(body, shape, 0);
        }
    }

    fn fill_nulls(&self, value: &mut Value, shape: &Shape, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(shape) = self.resolve(shape) else {
            return;
        };
        match (&shape.kind, value) {
            (Kind::Object(object), Value::Object(map)) => {
                for (name, property) in &object.properties {
                    let nullable = property.nullable
                        || self.resolve(property).is_some_and(|shape| shape.nullable);
                    if nullable && object.required.contains(name) && !map.contains_key(name) {
                        map.insert(name.clone(), Value::Null);
                    }
                    if let Some(value) = map.get_mut(name) {
                        self.fill_nulls(value, property, depth + 1);
                    }
                }
            }
            (Kind::Array { items, .. }, Value::Array(values)) => {
                for value in values {
                    self.fill_nulls(value, items, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Checks a success answer's JSON body (`None`: no JSON body) against the operation's
    /// response schema.
    pub(crate) fn check_answer(
        &self,
        operation_id: &str,
        body: Option<&Value>,
    ) -> Result<(), Mismatch> {
        let mismatch = |at: &str, message: String| Mismatch {
            operation: operation_id.to_owned(),
            at: at.to_owned(),
            message,
        };
        let Some(operation) = self.operation(operation_id) else {
            return Err(mismatch("$", "the operation is not in the spec".to_owned()));
        };
        match (&operation.response, body) {
            (Some(shape), Some(body)) => self
                .check_strict(body, shape, "$", 0)
                .map_err(|(at, message)| mismatch(&at, message)),
            (Some(_), None) => Err(mismatch(
                "$",
                "the spec answers a JSON body; none was given".to_owned(),
            )),
            (None, Some(_)) => Err(mismatch(
                "$",
                "the spec answers no JSON body; one was given".to_owned(),
            )),
            (None, None) => Ok(()),
        }
    }

    fn check_strict(
        &self,
        value: &Value,
        shape: &Shape,
        at: &str,
        depth: usize,
    ) -> Result<(), (String, String)> {
        let fail = |message: String| Err((at.to_owned(), message));
        if depth > MAX_DEPTH {
            return fail("nested too deeply".to_owned());
        }
        if value.is_null() {
            return if shape.nullable || self.resolve(shape).is_some_and(|shape| shape.nullable) {
                Ok(())
            } else {
                fail("null where the schema does not allow it".to_owned())
            };
        }
        match &shape.kind {
            Kind::Any => Ok(()),
            Kind::Ref(name) => match self.schemas.get(name) {
                Some(named) => self.check_strict(value, named, at, depth + 1),
                None => fail(format!("the schema {name} is not known")),
            },
            Kind::Boolean | Kind::Integer(_) | Kind::Number(_) | Kind::String(_) => {
                if let Kind::String(rules) = &shape.kind
                    && rules.format.as_deref() == Some("date-time")
                {
                    let text = value.as_str().unwrap_or_default();
                    if chrono::DateTime::parse_from_rfc3339(text).is_err() {
                        return fail(format!("{value} is not an RFC 3339 date-time"));
                    }
                }
                self.check_value(value, shape, at, depth)
                    .map_err(|violation| (at.to_owned(), violation.message))
            }
            Kind::Array {
                items,
                min_items,
                max_items,
                ..
            } => {
                let Some(array) = value.as_array() else {
                    return fail(format!("{value} is not an array"));
                };
                if min_items.is_some_and(|min| array.len() < min)
                    || max_items.is_some_and(|max| array.len() > max)
                {
                    return fail(format!("{} items, out of the schema's bounds", array.len()));
                }
                for (index, item) in array.iter().enumerate() {
                    self.check_strict(item, items, &format!("{at}[{index}]"), depth + 1)?;
                }
                Ok(())
            }
            Kind::Object(object) => {
                let Some(map) = value.as_object() else {
                    return fail(format!("{value} is not an object"));
                };
                if let Some(unknown) = map
                    .keys()
                    .find(|key| !object.properties.iter().any(|(name, _)| name == *key))
                {
                    return fail(format!("the property {unknown} is not in the schema"));
                }
                if let Some(missing) = object.required.iter().find(|name| !map.contains_key(*name))
                {
                    return fail(format!("the required property {missing} is missing"));
                }
                for (name, property) in &object.properties {
                    if let Some(value) = map.get(name) {
                        self.check_strict(value, property, &format!("{at}.{name}"), depth + 1)?;
                    }
                }
                Ok(())
            }
            Kind::OneOf(alternatives) => {
                let mut last = None;
                for alternative in alternatives {
                    match self.check_strict(value, alternative, at, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(problem) => last = Some(problem),
                    }
                }
                Err(last.unwrap_or_else(|| (at.to_owned(), "no alternative".to_owned())))
            }
        }
    }
}
