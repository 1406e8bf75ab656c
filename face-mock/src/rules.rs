//! The constraint facts of every operation, read from `spec/face.yaml` at start-up.
//!
//! The emulator checks requests against the same document the SDK is generated
//! from, so the two cannot drift: ranges, item counts, lengths, patterns, enum
//! values, required fields and `x-sdk-exactly-one-of` groups all come from the
//! spec. Start-up fails if the spec lacks an operation the emulator serves.

mod check;
mod load;

use std::collections::BTreeMap;

pub(crate) use check::Violation;

/// The spec of the workspace, compiled in.
pub const EMBEDDED_SPEC: &str = include_str!("../../spec/face.yaml");

/// Every `operationId` the emulator serves (69 methods; the two detects, the
/// two verifies and each pair of add-face methods share one operation).
pub const SERVED_OPERATIONS: [&str; 63] = [
    "Face_Detect",
    "Face_FindSimilar",
    "Face_Group",
    "Face_Identify",
    "Face_Verify",
    "FaceList_Create",
    "FaceList_Get",
    "FaceList_Update",
    "FaceList_Delete",
    "FaceList_List",
    "FaceList_AddFace",
    "FaceList_DeleteFace",
    "LargeFaceList_Create",
    "LargeFaceList_Get",
    "LargeFaceList_Update",
    "LargeFaceList_Delete",
    "LargeFaceList_List",
    "LargeFaceList_AddFace",
    "LargeFaceList_DeleteFace",
    "LargeFaceList_GetFace",
    "LargeFaceList_UpdateFace",
    "LargeFaceList_ListFaces",
    "LargeFaceList_GetTrainingStatus",
    "LargeFaceList_Train",
    "PersonGroup_Create",
    "PersonGroup_Get",
    "PersonGroup_Update",
    "PersonGroup_Delete",
    "PersonGroup_List",
    "PersonGroup_GetTrainingStatus",
    "PersonGroup_Train",
    "PersonGroupPerson_Create",
    "PersonGroupPerson_List",
    "PersonGroupPerson_Get",
    "PersonGroupPerson_Update",
    "PersonGroupPerson_Delete",
    "PersonGroupPerson_AddFace",
    "PersonGroupPerson_GetFace",
    "PersonGroupPerson_UpdateFace",
    "PersonGroupPerson_DeleteFace",
    "LargePersonGroup_Create",
    "LargePersonGroup_Get",
    "LargePersonGroup_Update",
    "LargePersonGroup_Delete",
    "LargePersonGroup_List",
    "LargePersonGroup_GetTrainingStatus",
    "LargePersonGroup_Train",
    "LargePersonGroupPerson_Create",
    "LargePersonGroupPerson_List",
    "LargePersonGroupPerson_Get",
    "LargePersonGroupPerson_Update",
    "LargePersonGroupPerson_Delete",
    "LargePersonGroupPerson_AddFace",
    "LargePersonGroupPerson_GetFace",
    "LargePersonGroupPerson_UpdateFace",
    "LargePersonGroupPerson_DeleteFace",
    "Snapshot_Take",
    "Snapshot_List",
    "Snapshot_Get",
    "Snapshot_Update",
    "Snapshot_Delete",
    "Snapshot_Apply",
    "Snapshot_GetOperationStatus",
];

/// The checks of every known operation, keyed by `operationId`.
#[derive(Debug, Clone, Default)]
pub struct Rules {
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
    pub params: Vec<ParamRules>,
    pub bodies: Vec<BodyRules>,
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
    pub pattern: Option<(String, regex::Regex)>,
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
    /// The rules of the compiled-in spec.
    pub fn embedded() -> Result<Self, RulesError> {
        Self::from_yaml(EMBEDDED_SPEC)
    }

    /// The rules of one OpenAPI 3.0 document in the workspace's conventions.
    pub fn from_yaml(spec_yaml: &str) -> Result<Self, RulesError> {
        load::load(spec_yaml)
    }

    /// The rules of a document that describes every operation the emulator serves.
    pub fn for_emulator(spec_yaml: &str) -> Result<Self, RulesError> {
        let rules = load::load(spec_yaml)?;
        match SERVED_OPERATIONS
            .iter()
            .find(|id| !rules.operations.contains_key(**id))
        {
            Some(missing) => Err(RulesError {
                location: "#/paths".into(),
                message: format!("no operation {missing}"),
            }),
            None => Ok(rules),
        }
    }

    /// The `operationId`s known, sorted.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.operations.keys().map(String::as_str).collect()
    }

    /// The enum values of a named string schema, e.g. `RecognitionModel`.
    pub fn enum_values(&self, schema: &str) -> Vec<String> {
        match self.schemas.get(schema).map(|shape| &shape.kind) {
            Some(Kind::String(rules)) => rules.values.clone(),
            _ => Vec::new(),
        }
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

    fn find_field(&self, operation_id: &str, name: &str) -> Option<&Shape> {
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

#[cfg(test)]
mod tests;
