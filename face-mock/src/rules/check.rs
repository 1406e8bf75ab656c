//! Checks request values (JSON bodies, query, path and header strings) against [`Rules`].

use serde_json::{Map, Value};

use super::{Bounds, Kind, Location, ObjectRules, Rules, Shape, StringRules};
use crate::error::ApiError;

/// How deep `$ref`s and nested values are followed before giving up.
const MAX_DEPTH: usize = 32;

/// A rule a request broke: which field, and a sentence saying how.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Violation {
    /// The wire name of the field, with `[i]` or `.name` for nested items.
    pub field: String,
    /// What is wrong, as a sentence.
    pub message: String,
    /// Set when an `x-sdk-exactly-one-of` group was broken: the group and how many were set.
    pub exactly_one_of: Option<(Vec<String>, usize)>,
}

impl Violation {
    pub(crate) fn new(field: &str, message: String) -> Self {
        Self {
            field: field.to_string(),
            message,
            exactly_one_of: None,
        }
    }
}

/// The service's answer to a broken rule: `BadArgument` with the rule's
/// sentence, except where the service has its own code.
pub(crate) fn refusal(operation: &str, violation: &Violation) -> ApiError {
    match (operation, &violation.exactly_one_of) {
        ("Face_Identify", Some((_, 0))) => {
            ApiError::bad_argument("Large person group ID and person group ID are both null.")
                .with_code("PersonGroupIdAndLargePersonGroupIdBothNull")
        }
        ("Face_Identify", Some(_)) => {
            ApiError::bad_argument("Large person group ID and person group ID are both not null.")
                .with_code("PersonGroupIdAndLargePersonGroupIdBothNotNull")
        }
        _ => ApiError::bad_argument(violation.message.clone()),
    }
}

impl Rules {
    /// Checks the JSON body of `operation_id` sent with `media_type`; unknown operations pass.
    pub(crate) fn check_json_body(
        &self,
        operation_id: &str,
        body: &Value,
    ) -> Result<(), Violation> {
        let Some(operation) = self.operation(operation_id) else {
            return Ok(());
        };
        match operation
            .bodies
            .iter()
            .find(|body| is_structured(&body.media_type))
        {
            Some(rules) => self.check_value(body, &rules.shape, "body", 0),
            None => Ok(()),
        }
    }

    /// The media types the operation's body may have (none when it takes no body).
    pub(crate) fn media_types(&self, operation_id: &str) -> Vec<&str> {
        self.operation(operation_id)
            .map(|operation| {
                operation
                    .bodies
                    .iter()
                    .map(|body| body.media_type.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Puts the spec's default of every absent property on a checked JSON body
    /// (for a `oneOf`, of the alternative the body fits).
    pub(crate) fn fill_defaults(&self, operation_id: &str, body: &mut Map<String, Value>) {
        let Some(shape) = self.operation(operation_id).and_then(|operation| {
            operation
                .bodies
                .iter()
                .find(|body| is_structured(&body.media_type))
                .map(|body| &body.shape)
        }) else {
            return;
        };
        let objects = self.objects_of(shape);
        let Some(object) = objects
            .iter()
            .max_by_key(|object| Self::fit_object(body, object))
        else {
            return;
        };
        for (name, property) in &object.properties {
            if body.get(name).is_none_or(Value::is_null)
                && let Some(default) = self.default_of(property)
            {
                body.insert(name.clone(), default);
            }
        }
    }

    /// Whether a body property of an operation is binary (`format: binary`), e.g. a form's file part.
    pub(crate) fn is_binary_property(&self, operation_id: &str, name: &str) -> bool {
        self.find_field(operation_id, name)
            .and_then(|shape| self.resolve(shape))
            .is_some_and(|shape| {
                matches!(&shape.kind, Kind::String(rules) if rules.format.as_deref() == Some("binary"))
            })
    }

    /// Turns the text of a form field into a JSON value of the property's type.
    pub(crate) fn parse_property(
        &self,
        operation_id: &str,
        name: &str,
        text: &str,
    ) -> Result<Value, Violation> {
        match self.find_field(operation_id, name) {
            Some(shape) => self.parse_text(text, shape, name),
            None => Ok(Value::String(text.to_string())),
        }
    }

    /// Checks one value against the schema of a parameter or body property of an operation.
    pub(crate) fn check_property(
        &self,
        operation_id: &str,
        name: &str,
        value: &Value,
    ) -> Result<(), Violation> {
        match self.find_field(operation_id, name) {
            Some(shape) => self.check_value(value, shape, name, 0),
            None => Ok(()),
        }
    }

    /// Parses, defaults and checks the query, then checks each list against its
    /// `x-sdk-allowed-items` table by the value (or default) of the parameter it names.
    pub(crate) fn check_query(
        &self,
        operation_id: &str,
        given: &[(String, String)],
    ) -> Result<Map<String, Value>, Violation> {
        let values = self.check_params(operation_id, Location::Query, given)?;
        let Some(operation) = self.operation(operation_id) else {
            return Ok(values);
        };
        for param in &operation.params {
            let Some(items) = values.get(&param.name).and_then(Value::as_array) else {
                continue;
            };
            for rule in &param.allowed_items {
                let chosen = values
                    .get(&rule.parameter)
                    .and_then(Value::as_str)
                    .or(rule.default.as_deref());
                let Some((chosen, allowed)) =
                    chosen.and_then(|chosen| Some((chosen, rule.values.get(chosen)?)))
                else {
                    continue;
                };
                let name = &param.name;
                if allowed.is_empty() && !items.is_empty() {
                    return Err(Violation::new(
                        name,
                        format!("'{name}' is not supported by {chosen}."),
                    ));
                }
                if let Some(item) = items
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|item| !allowed.iter().any(|allowed| allowed == item))
                {
                    return Err(Violation::new(
                        name,
                        format!("Invalid argument {name}: '{item}' is not supported by {chosen}."),
                    ));
                }
            }
        }
        Ok(values)
    }

    /// The byte bounds `(minLength, maxLength)` of the binary body of an operation.
    pub(crate) fn binary_bounds(&self, operation_id: &str) -> (Option<usize>, Option<usize>) {
        let body = self.operation(operation_id).and_then(|operation| {
            operation
                .bodies
                .iter()
                .find(|body| body.media_type == "application/octet-stream")
        });
        match body
            .and_then(|body| self.resolve(&body.shape))
            .map(|shape| &shape.kind)
        {
            Some(Kind::String(rules)) => (rules.min_length, rules.max_length),
            _ => (None, None),
        }
    }

    /// Parses and checks the declared parameters found in `location`; returns
    /// each one given (or defaulted by the spec) as a JSON value.
    pub(crate) fn check_params(
        &self,
        operation_id: &str,
        location: Location,
        given: &[(String, String)],
    ) -> Result<Map<String, Value>, Violation> {
        let mut values = Map::new();
        let Some(operation) = self.operation(operation_id) else {
            return Ok(values);
        };
        for param in operation
            .params
            .iter()
            .filter(|param| param.location == location)
        {
            let raw = given
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&param.name))
                .map(|(_, raw)| raw);
            match raw {
                Some(raw) => {
                    let value = self.parse_text(raw, &param.shape, &param.name)?;
                    self.check_value(&value, &param.shape, &param.name, 0)?;
                    values.insert(param.name.clone(), value);
                }
                None if param.required => {
                    return Err(Violation::new(
                        &param.name,
                        format!("'{}' is required.", param.name),
                    ));
                }
                None => {
                    if let Some(default) = self.default_of(&param.shape) {
                        values.insert(param.name.clone(), default);
                    }
                }
            }
        }
        Ok(values)
    }

    pub(crate) fn default_of(&self, shape: &Shape) -> Option<Value> {
        shape
            .default
            .clone()
            .or_else(|| self.resolve(shape).and_then(|shape| shape.default.clone()))
    }

    /// Turns the text of a query, path or header parameter into a JSON value of its shape.
    pub(crate) fn parse_text(
        &self,
        raw: &str,
        shape: &Shape,
        field: &str,
    ) -> Result<Value, Violation> {
        let invalid = || Violation::new(field, format!("'{field}' is invalid."));
        let Some(resolved) = self.resolve(shape) else {
            return Ok(Value::String(raw.to_string()));
        };
        match &resolved.kind {
            Kind::Boolean => match raw.to_ascii_lowercase().as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(invalid()),
            },
            Kind::Integer(_) => raw
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| invalid()),
            Kind::Number(_) => match raw.trim().parse::<f64>() {
                Ok(number) => serde_json::Number::from_f64(number)
                    .map(Value::Number)
                    .ok_or_else(invalid),
                Err(_) => Err(invalid()),
            },
            Kind::Array { items, .. } => {
                let items = raw
                    .split(',')
                    .filter(|item| !item.trim().is_empty())
                    .map(|item| self.parse_text(item.trim(), items, field))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::Array(items))
            }
            _ => Ok(Value::String(raw.to_string())),
        }
    }

    /// Checks one value against a shape.
    pub(crate) fn check_value(
        &self,
        value: &Value,
        shape: &Shape,
        field: &str,
        depth: usize,
    ) -> Result<(), Violation> {
        if depth > MAX_DEPTH {
            return Err(Violation::new(
                field,
                format!("'{field}' is nested too deeply."),
            ));
        }
        if value.is_null() && shape.nullable {
            return Ok(());
        }
        let wrong_type =
            |expected: &str| Violation::new(field, format!("'{field}' must be {expected}."));
        match &shape.kind {
            Kind::Any => Ok(()),
            Kind::Ref(name) => match self.schemas.get(name) {
                Some(named) => self.check_value(value, named, field, depth + 1),
                None => Ok(()),
            },
            Kind::Boolean => value
                .as_bool()
                .map(drop)
                .ok_or_else(|| wrong_type("a boolean")),
            Kind::Integer(bounds) => {
                let number = value.as_i64().or_else(|| value.as_u64().map(|_| i64::MAX));
                let number = number.ok_or_else(|| wrong_type("an integer"))?;
                check_bounds(number as f64, bounds, field)
            }
            Kind::Number(bounds) => check_bounds(
                value.as_f64().ok_or_else(|| wrong_type("a number"))?,
                bounds,
                field,
            ),
            Kind::String(rules) => check_string(
                value.as_str().ok_or_else(|| wrong_type("a string"))?,
                rules,
                field,
            ),
            Kind::Array {
                items,
                min_items,
                max_items,
                every,
            } => {
                let array = value.as_array().ok_or_else(|| wrong_type("an array"))?;
                if means_every(every.as_deref(), array) {
                    return Ok(());
                }
                let too_few = min_items.is_some_and(|min| array.len() < min);
                let too_many = max_items.is_some_and(|max| array.len() > max);
                if too_few || too_many {
                    let range = format!("[{}, {}]", fmt_opt(*min_items), fmt_opt(*max_items));
                    return Err(Violation::new(
                        field,
                        format!(
                            "The length of {field} is not in a valid range. The valid range is between {range}."
                        ),
                    ));
                }
                for (index, item) in array.iter().enumerate() {
                    self.check_value(item, items, &format!("{field}[{index}]"), depth + 1)?;
                }
                Ok(())
            }
            Kind::Object(object) => {
                let map = value.as_object().ok_or_else(|| wrong_type("an object"))?;
                self.check_object(map, object, field, depth)
            }
            Kind::OneOf(alternatives) => {
                let map = value.as_object().ok_or_else(|| wrong_type("an object"))?;
                let chosen = alternatives
                    .iter()
                    .max_by_key(|alternative| self.fit(map, alternative))
                    .ok_or_else(|| wrong_type("a known body"))?;
                self.check_value(value, chosen, field, depth + 1)
            }
        }
    }

    /// How well an object matches an alternative: all required present first, then overlap.
    fn fit(&self, map: &Map<String, Value>, alternative: &Shape) -> (bool, usize) {
        match self.resolve(alternative).map(|shape| &shape.kind) {
            Some(Kind::Object(object)) => Self::fit_object(map, object),
            _ => (false, 0),
        }
    }

    fn fit_object(map: &Map<String, Value>, object: &ObjectRules) -> (bool, usize) {
        let present = |name: &String| map.get(name).is_some_and(|value| !value.is_null());
        let all_required = object.required.iter().all(present);
        let overlap = object
            .properties
            .iter()
            .filter(|(name, _)| present(name))
            .count();
        (all_required, overlap)
    }

    fn check_object(
        &self,
        map: &Map<String, Value>,
        object: &ObjectRules,
        field: &str,
        depth: usize,
    ) -> Result<(), Violation> {
        let is_set = |name: &str| map.get(name).is_some_and(|value| !value.is_null());
        for name in &object.required {
            if !is_set(name) {
                return Err(Violation::new(name, format!("'{name}' is required.")));
            }
        }
        for (name, shape) in &object.properties {
            if let Some(value) = map.get(name).filter(|value| !value.is_null()) {
                let path = if field == "body" {
                    name.clone()
                } else {
                    format!("{field}.{name}")
                };
                self.check_value(value, shape, &path, depth + 1)?;
            }
        }
        for group in &object.exactly_one_of {
            let set = group.iter().filter(|name| is_set(name)).count();
            if set != 1 {
                let names = group.join(", ");
                let message = if set == 0 {
                    format!("{names} are all null; exactly one of them must be given.")
                } else {
                    format!("2 or more of {names} are not null; exactly one of them must be given.")
                };
                let mut violation = Violation::new(&group.join("|"), message);
                violation.exactly_one_of = Some((group.clone(), set));
                return Err(violation);
            }
        }
        Ok(())
    }
}

/// Whether a body of this media type is an object of named fields (JSON, or a form).
/// Whether a list holds only the value that means every item (`x-sdk-all-items`), such as
/// `["*"]`, where the spec gives one.
pub(crate) fn means_every(every: Option<&str>, items: &[Value]) -> bool {
    matches!((every, items), (Some(every), [Value::String(only)]) if only == every)
}

fn is_structured(media_type: &str) -> bool {
    media_type.starts_with("application/json") || media_type == "multipart/form-data"
}

fn check_bounds(number: f64, bounds: &Bounds, field: &str) -> Result<(), Violation> {
    let below = bounds
        .minimum
        .is_some_and(|min| number < min || (bounds.exclusive_minimum && number <= min));
    let above = bounds
        .maximum
        .is_some_and(|max| number > max || (bounds.exclusive_maximum && number >= max));
    if below || above || !number.is_finite() {
        let range = format!("[{}, {}]", fmt_opt(bounds.minimum), fmt_opt(bounds.maximum));
        return Err(Violation::new(
            field,
            format!("The argument {field} is not valid. The valid range is between {range}."),
        ));
    }
    Ok(())
}

fn check_string(text: &str, rules: &StringRules, field: &str) -> Result<(), Violation> {
    if rules.format.as_deref() == Some("binary") {
        // Bytes, not text: their size is checked where they are read.
        return Ok(());
    }
    let length = text.chars().count();
    if rules.min_length.is_some_and(|min| length < min) {
        return Err(Violation::new(
            field,
            format!("'{field}' is empty or too short."),
        ));
    }
    if rules.max_length.is_some_and(|max| length > max) {
        return Err(Violation::new(field, format!("'{field}' is too long.")));
    }
    if let Some((source, pattern)) = &rules.pattern
        && !pattern.is_match(text)
    {
        return Err(Violation::new(
            field,
            format!("'{field}' is invalid: it must match {source}."),
        ));
    }
    if !rules.values.is_empty() && !rules.values.iter().any(|value| value == text) {
        return Err(Violation::new(
            field,
            format!("'{field}' is invalid: '{text}' is not one of its values."),
        ));
    }
    if rules.format.as_deref() == Some("uuid") && uuid::Uuid::parse_str(text).is_err() {
        return Err(Violation::new(
            field,
            format!("'{field}' is not a valid id."),
        ));
    }
    Ok(())
}

fn fmt_opt<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |value| value.to_string())
}
