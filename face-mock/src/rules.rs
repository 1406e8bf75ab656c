//! The facts of every operation: its method and path, what its requests must look like, and
//! what its success answer is (status, headers, body shape).
//!
//! The emulator reads no spec. `cargo xtask regenerate` writes each spec's facts as one static
//! table (`src/generated/v1_0.rs`, `v1_2.rs`, types in `rules::table`) from the same lowered IR
//! the SDK is generated from, each item with the service versions that have it, so every OpenAPI construct and vendor extension is taught once,
//! in the generator's lowering: paths, ranges, item counts, lengths, patterns, enum values,
//! defaults, required fields, `x-sdk-exactly-one-of` groups, `x-sdk-allowed-items` tables and
//! `x-sdk-pagination` parameters. This module turns a table, at one of its versions, into
//! [`Rules`] (compiling the patterns) and checks requests and answers by them.

mod answer;
mod check;
mod convert;
pub(crate) mod table;

use std::collections::BTreeMap;

pub(crate) use check::{means_every, refusal};

/// The header that repeats the error code of an error answer, by the Azure REST convention
/// (the SDK's runtime reads the same name); sent only under a spec whose error answers declare it.
const ERROR_CODE_HEADER: &str = "x-ms-error-code";

/// The checks of every known operation, keyed by `operationId`.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    base_path: String,
    /// The service version, when the spec lists versions.
    version: Option<String>,
    error_code_header: Option<String>,
    /// Header → the path template of the operation that reads the status it locates.
    locations: BTreeMap<String, String>,
    operations: BTreeMap<String, OperationRules>,
    schemas: BTreeMap<String, Shape>,
}

/// Why a spec could not be turned into [`Rules`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// Where in the document the problem is, as a JSON pointer.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for RulesError {}

/// The checks of one operation.
#[derive(Debug, Clone)]
pub(crate) struct OperationRules {
    /// The HTTP method, upper-case.
    pub method: String,
    /// The path template under the base path, e.g. `/facelists/{faceListId}`.
    pub path: String,
    pub params: Vec<ParamRules>,
    pub bodies: Vec<BodyRules>,
    pub pagination: Option<Pagination>,
    /// The success status.
    pub status: u16,
    /// The headers the success answer declares.
    pub headers: Vec<String>,
    /// The schema of the JSON success answer, if any.
    pub response: Option<Shape>,
    /// Whether the success answer is raw bytes.
    pub binary_answer: bool,
    /// The path template of the operation that reports the state of the work this one starts.
    pub status_path: Option<String>,
}

/// `x-sdk-pagination`: the parameters that page a list.
#[derive(Debug, Clone)]
pub(crate) struct Pagination {
    pub cursor_parameter: String,
    pub limit_parameter: Option<String>,
}

/// One `x-sdk-allowed-items` rule: which items a list may hold by the value of another parameter.
#[derive(Debug, Clone)]
pub(crate) struct AllowedItems {
    pub parameter: String,
    pub default: Option<String>,
    pub values: BTreeMap<String, Vec<String>>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

/// One declared parameter.
#[derive(Debug, Clone)]
pub(crate) struct ParamRules {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub allowed_items: Vec<AllowedItems>,
    pub shape: Shape,
}

/// One accepted media type of a request body.
#[derive(Debug, Clone)]
pub(crate) struct BodyRules {
    pub media_type: String,
    pub shape: Shape,
}

/// What a value must look like.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    pub kind: Kind,
    pub nullable: bool,
    pub default: Option<serde_json::Value>,
}

/// The type of a value and the constraints of that type.
#[derive(Debug, Clone, Default)]
pub(crate) enum Kind {
    #[default]
    Any,
    Boolean,
    Integer(Bounds),
    Number(Bounds),
    String(StringRules),
    Array {
        items: Box<Shape>,
        min_items: Option<usize>,
        max_items: Option<usize>,
        /// The item that, alone in the list, means every item (`x-sdk-all-items`).
        every: Option<String>,
    },
    Object(ObjectRules),
    /// A named schema under `components/schemas`.
    Ref(String),
    OneOf(Vec<Shape>),
}

/// Numeric bounds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
}

/// String constraints; for `format: binary` the lengths bound the body in bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct StringRules {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<(String, regex_lite::Regex)>,
    pub format: Option<String>,
    pub values: Vec<String>,
}

/// Object constraints.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectRules {
    pub properties: Vec<(String, Shape)>,
    pub required: Vec<String>,
    pub exactly_one_of: Vec<Vec<String>>,
}

impl Rules {
    /// The rules of v1.0 (`spec/face.yaml`), from its generated table.
    pub fn v1_0() -> Result<Self, RulesError> {
        Self::from_table(&crate::generated::v1_0::API, None)
    }

    /// The rules of v1.2 (`spec/face-v1.2.yaml` at `v1.2`), from its generated table.
    pub fn v1_2() -> Result<Self, RulesError> {
        Self::v1_2_at("v1.2")
    }

    /// The rules of one service version of the v1.2 family (`spec/face-v1.2.yaml`), e.g.
    /// `v1.3-preview.1`: what that version has, under its base path. Fails on a version the
    /// spec does not list.
    pub fn v1_2_at(version: &str) -> Result<Self, RulesError> {
        Self::from_table(&crate::generated::v1_2::API, Some(version))
    }

    /// The rules of every service version the emulator serves, each under its own base path:
    /// v1.0, then every version the v1.2 family lists, oldest first.
    pub fn served() -> Result<Vec<Self>, RulesError> {
        let mut served = Vec::new();
        for table in crate::generated::TABLES {
            if table.versions.is_empty() {
                served.push(Self::from_table(table, None)?);
            }
            for (version, _) in table.versions {
                served.push(Self::from_table(table, Some(version))?);
            }
        }
        Ok(served)
    }

    /// The rules of one generated table at `version` (`None` for a table that lists no
    /// versions); fails on a version the table does not list or a pattern the regex engine refuses.
    pub(crate) fn from_table(
        table: &table::Api,
        version: Option<&str>,
    ) -> Result<Self, RulesError> {
        convert::rules(table, version)
    }

    /// The service version these rules are of (`None` for a spec that lists no versions).
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Whether the success answer of `operation_id` at this version has a property `name`
    /// anywhere in it: handlers add a property a later version adds only where it does.
    pub(crate) fn answers_property(&self, operation_id: &str, name: &str) -> bool {
        self.operation(operation_id)
            .and_then(|operation| operation.response.as_ref())
            .and_then(|shape| self.find_property(shape, name, 0))
            .is_some()
    }

    /// The path every operation's path is under, from the first server URL, e.g. `/face/v1.0`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The header that repeats the error code on error answers (`x-ms-error-code`), if the spec declares one.
    pub fn error_code_header(&self) -> Option<&str> {
        self.error_code_header.as_deref()
    }

    /// The path, under the base path, that the success header `header` gives for the
    /// background work `id`: the status operation's path with `id` as its one parameter.
    ///
    /// A header no status operation reads its id from locates the operation's own status
    /// operation instead, its path parameters filled by `param` (the request's of the same names).
    pub(crate) fn location(
        &self,
        operation_id: &str,
        header: &str,
        id: &str,
        param: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        if let Some((_, template)) = self
            .locations
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(header))
        {
            return fill(template, |_| Some(id.to_owned()));
        }
        fill(self.operation(operation_id)?.status_path.as_deref()?, param)
    }

    /// The success status of an operation, and the headers its success answer declares.
    pub(crate) fn success(&self, operation_id: &str) -> Option<(u16, &[String], bool)> {
        let operation = self.operation(operation_id)?;
        Some((
            operation.status,
            &operation.headers,
            operation.binary_answer,
        ))
    }

    /// How the success answer of `operation_id` spells `value` of its `property`:
    /// the enum value equal to it but for case (`notstarted` → `notStarted`), else `value`.
    pub fn spelling(&self, operation_id: &str, property: &str, value: &str) -> String {
        let shape = self
            .operation(operation_id)
            .and_then(|operation| operation.response.as_ref());
        let values = shape
            .and_then(|shape| self.find_property(shape, property, 0))
            .and_then(|shape| match &self.resolve(shape)?.kind {
                Kind::String(rules) => Some(rules.values.as_slice()),
                _ => None,
            })
            .unwrap_or_default();
        values
            .iter()
            .find(|known| known.eq_ignore_ascii_case(value))
            .cloned()
            .unwrap_or_else(|| value.to_string())
    }

    /// A property named `name` anywhere in a shape (objects, their properties, array items).
    fn find_property<'a>(
        &'a self,
        shape: &'a Shape,
        name: &str,
        depth: usize,
    ) -> Option<&'a Shape> {
        if depth > 8 {
            return None;
        }
        match &self.resolve(shape)?.kind {
            Kind::Object(object) => object
                .properties
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, shape)| shape)
                .or_else(|| {
                    object
                        .properties
                        .iter()
                        .find_map(|(_, shape)| self.find_property(shape, name, depth + 1))
                }),
            Kind::Array { items, .. } => self.find_property(items, name, depth + 1),
            _ => None,
        }
    }

    /// Each operation as `(operationId, method, path)`, sorted by id.
    pub fn routes(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.operations.iter().map(|(id, operation)| {
            (
                id.as_str(),
                operation.method.as_str(),
                operation.path.as_str(),
            )
        })
    }

    /// The `operationId`s known, sorted.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.operations.keys().map(String::as_str).collect()
    }

    /// The enum values of a named string schema, e.g. `RecognitionModel`.
    pub fn enum_values(&self, schema: &str) -> &[String] {
        match self.schemas.get(schema).map(|shape| &shape.kind) {
            Some(Kind::String(rules)) => &rules.values,
            _ => &[],
        }
    }

    /// The property names of a named object schema, in the spec's order.
    pub fn property_names(&self, schema: &str) -> Vec<&str> {
        match self.schemas.get(schema).map(|shape| &shape.kind) {
            Some(Kind::Object(object)) => object
                .properties
                .iter()
                .map(|(name, _)| name.as_str())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The largest `maxLength` of any binary body (0 when there is none).
    pub(crate) fn largest_binary_body(&self) -> usize {
        self.operations
            .keys()
            .filter_map(|id| self.binary_bounds(id).1)
            .max()
            .unwrap_or(0)
    }

    /// Whether the `x-sdk-allowed-items` table of the list parameter `name`
    /// allows no item at all with `value` (e.g. a detection model that returns no attributes).
    pub(crate) fn allows_no_items(&self, name: &str, value: &str) -> bool {
        self.operations
            .values()
            .flat_map(|operation| &operation.params)
            .filter(|param| param.name == name)
            .flat_map(|param| &param.allowed_items)
            .any(|rule| rule.values.get(value).is_some_and(Vec::is_empty))
    }

    /// The default the spec gives a parameter or body property of an operation
    /// (for a `oneOf` body, in the first alternative that has the property).
    pub fn default_of_field(&self, operation_id: &str, name: &str) -> Option<serde_json::Value> {
        self.default_of(self.find_field(operation_id, name)?)
    }

    /// The `(cursor, limit, largest limit)` parameters of a paged list operation.
    pub(crate) fn pagination(
        &self,
        operation_id: &str,
    ) -> Option<(&str, Option<&str>, Option<f64>)> {
        let pagination = self.operation(operation_id)?.pagination.as_ref()?;
        let largest = pagination
            .limit_parameter
            .as_deref()
            .and_then(|limit| self.numeric_bounds(operation_id, limit))
            .and_then(|(_, maximum)| maximum);
        Some((
            pagination.cursor_parameter.as_str(),
            pagination.limit_parameter.as_deref(),
            largest,
        ))
    }

    /// The bounds `(minimum, maximum)` of a parameter or body property of an
    /// operation, when the spec gives any (for introspection and tests).
    pub fn numeric_bounds(
        &self,
        operation_id: &str,
        name: &str,
    ) -> Option<(Option<f64>, Option<f64>)> {
        let shape = self.find_field(operation_id, name)?;
        match &self.resolve(shape)?.kind {
            Kind::Integer(bounds) | Kind::Number(bounds) => Some((bounds.minimum, bounds.maximum)),
            _ => None,
        }
    }

    /// The item count bounds `(minItems, maxItems)` of an array parameter or property.
    pub fn item_bounds(
        &self,
        operation_id: &str,
        name: &str,
    ) -> Option<(Option<usize>, Option<usize>)> {
        let shape = self.find_field(operation_id, name)?;
        match &self.resolve(shape)?.kind {
            Kind::Array {
                min_items,
                max_items,
                ..
            } => Some((*min_items, *max_items)),
            _ => None,
        }
    }

    /// The item that, alone in the list parameter or property `name`, means every item
    /// (`x-sdk-all-items`), if the spec names one.
    pub fn every_item(&self, operation_id: &str, name: &str) -> Option<&str> {
        let shape = self.find_field(operation_id, name)?;
        match &self.resolve(shape)?.kind {
            Kind::Array { every, .. } => every.as_deref(),
            _ => None,
        }
    }

    /// The `x-sdk-exactly-one-of` groups of the JSON bodies of an operation.
    pub fn exactly_one_of(&self, operation_id: &str) -> Vec<Vec<String>> {
        let mut groups = Vec::new();
        for body in self
            .operation(operation_id)
            .map(|op| op.bodies.as_slice())
            .unwrap_or_default()
        {
            for object in self.objects_of(&body.shape) {
                groups.extend(object.exactly_one_of.iter().cloned());
            }
        }
        groups
    }

    pub(crate) fn operation(&self, operation_id: &str) -> Option<&OperationRules> {
        self.operations.get(operation_id)
    }

    /// Follows `$ref`s (a bounded number of times) to the shape they name.
    pub(crate) fn resolve<'a>(&'a self, mut shape: &'a Shape) -> Option<&'a Shape> {
        for _ in 0..32 {
            match &shape.kind {
                Kind::Ref(name) => shape = self.schemas.get(name)?,
                _ => return Some(shape),
            }
        }
        None
    }

    /// The object schemas a body shape may take (one, or the alternatives of a `oneOf`).
    pub(crate) fn objects_of<'a>(&'a self, shape: &'a Shape) -> Vec<&'a ObjectRules> {
        match self.resolve(shape).map(|shape| &shape.kind) {
            Some(Kind::Object(object)) => vec![object],
            Some(Kind::OneOf(alternatives)) => alternatives
                .iter()
                .filter_map(
                    |alternative| match self.resolve(alternative).map(|s| &s.kind) {
                        Some(Kind::Object(object)) => Some(object),
                        _ => None,
                    },
                )
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn find_field(&self, operation_id: &str, name: &str) -> Option<&Shape> {
        let operation = self.operation(operation_id)?;
        if let Some(param) = operation.params.iter().find(|param| param.name == name) {
            return Some(&param.shape);
        }
        operation.bodies.iter().find_map(|body| {
            self.objects_of(&body.shape).into_iter().find_map(|object| {
                object
                    .properties
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, shape)| shape)
            })
        })
    }
}

/// A path template with each `{name}` replaced by `value(name)`.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = start + rest[start..].find('}')?;
        out.push_str(&rest[..start]);
        out.push_str(&value(&rest[start + 1..end])?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests;
