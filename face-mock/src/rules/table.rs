//! The types of the generated tables (`src/generated/`): each spec's operations and schemas as
//! static data, written by `cargo xtask regenerate` from the generator's IR, the one reading of
//! the spec. One table serves every service version its spec lists: each item carries the
//! versions that have it. [`Rules::from_table`](super::Rules::from_table) turns a table, at one
//! version, into the rules the emulator checks by.

/// One spec: an API family.
#[derive(Debug)]
pub(crate) struct Api {
    /// The path every operation's path is under at the spec's default version, e.g. `/face/v1.0`.
    pub base_path: &'static str,
    /// The service versions the spec lists, oldest first, each with its base path
    /// (e.g. `("v1.3-preview.1", "/face/v1.3-preview.1")`); empty when it lists none.
    pub versions: &'static [(&'static str, &'static str)],
    /// The headers the spec's error answers declare.
    pub error_headers: &'static [&'static str],
    /// Each header that locates the status of background work, with the path template of the
    /// operation that reads that status.
    pub locations: &'static [(&'static str, &'static str)],
    /// The operations, sorted by id.
    pub operations: &'static [Operation],
    /// The named schemas, by their model name.
    pub schemas: &'static [(&'static str, Shape, Availability)],
}

/// The service versions that have an item (`x-sdk-added`, `x-sdk-removed`): from `added` (or
/// the first version) up to, not including, `removed` (or for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Availability {
    pub added: Option<&'static str>,
    pub removed: Option<&'static str>,
}

/// An item every version has.
pub(crate) const ALWAYS: Availability = Availability {
    added: None,
    removed: None,
};

impl Availability {
    /// Whether `version` has the item; `versions` are the table's, oldest first. Every item
    /// is in a table that lists no versions (`version` is then `None`).
    pub(crate) fn includes(self, versions: &[(&str, &str)], version: Option<&str>) -> bool {
        let Some(version) = version else {
            return true;
        };
        let index = |name: &str| versions.iter().position(|(known, _)| *known == name);
        let Some(at) = index(version) else {
            return false;
        };
        self.added.and_then(index).is_none_or(|added| added <= at)
            && self
                .removed
                .and_then(index)
                .is_none_or(|removed| at < removed)
    }
}

/// One operation.
#[derive(Debug)]
pub(crate) struct Operation {
    pub id: &'static str,
    pub availability: Availability,
    /// The HTTP method, upper-case.
    pub method: &'static str,
    /// The path template under the base path.
    pub path: &'static str,
    pub params: &'static [Param],
    pub bodies: &'static [Body],
    pub pagination: Option<Pagination>,
    /// The success status.
    pub status: u16,
    /// The headers the success answer declares.
    pub headers: &'static [&'static str],
    /// The shape of the JSON success answer, if it has one.
    pub response: Option<Shape>,
    /// Whether the success answer is raw bytes.
    pub binary_answer: bool,
    /// For an operation that starts background work, the path template of the operation that
    /// reports its state (its parameters are this operation's of the same names).
    pub status_path: Option<&'static str>,
}

/// The parameters that page a list.
#[derive(Debug)]
pub(crate) struct Pagination {
    pub cursor: &'static str,
    pub limit: Option<&'static str>,
}

/// A path, query or header parameter.
#[derive(Debug)]
pub(crate) struct Param {
    pub name: &'static str,
    pub availability: Availability,
    pub location: Location,
    pub required: bool,
    pub allowed_items: &'static [AllowedItems],
    pub shape: Shape,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    #[expect(
        dead_code,
        reason = "neither spec has a header parameter; the generator writes one for a spec that has"
    )]
    Header,
    #[expect(
        dead_code,
        reason = "body parameters travel in a body; the generator writes the variant for completeness"
    )]
    Body,
}

/// Which items a list may hold by the value of another parameter.
#[derive(Debug)]
pub(crate) struct AllowedItems {
    pub parameter: &'static str,
    pub default: Option<&'static str>,
    pub values: &'static [(&'static str, &'static [&'static str])],
}

/// One accepted media type of a request body.
#[derive(Debug)]
pub(crate) struct Body {
    pub media_type: &'static str,
    pub shape: Shape,
}

/// What a value must look like.
#[derive(Debug)]
pub(crate) struct Shape {
    pub kind: Kind,
    pub nullable: bool,
    /// The default, as JSON text.
    pub default: Option<&'static str>,
}

/// The type of a value and its constraints.
#[derive(Debug)]
pub(crate) enum Kind {
    #[expect(
        dead_code,
        reason = "neither spec has an `x-sdk-any` schema; the generator writes one for a spec that has"
    )]
    Any,
    Boolean,
    Integer(Bounds),
    Number(Bounds),
    String(Text),
    Array {
        items: &'static Shape,
        min_items: Option<usize>,
        max_items: Option<usize>,
        /// The item that, alone in the list, means every item (`x-sdk-all-items`).
        every: Option<&'static str>,
    },
    Object(Object),
    /// A named schema.
    Ref(&'static str),
    OneOf(&'static [Shape]),
}

/// Numeric bounds.
#[derive(Debug)]
pub(crate) struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
}

/// String constraints; for `format: binary` the lengths bound the bytes.
#[derive(Debug)]
pub(crate) struct Text {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<&'static str>,
    pub format: Option<&'static str>,
    /// The enum values, each with the versions that have it.
    pub values: &'static [(&'static str, Availability)],
}

/// Object constraints.
#[derive(Debug)]
pub(crate) struct Object {
    /// The properties (or form parts), each with the versions that have it.
    pub properties: &'static [(&'static str, Shape, Availability)],
    pub required: &'static [&'static str],
    pub exactly_one_of: &'static [&'static [&'static str]],
}

/// Whether `name` is a parameter, a body property or a form part of the operation `operation_id`
/// in any version the emulator serves: the names handlers may read a request by.
pub(crate) fn is_input_name(operation_id: &str, name: &str) -> bool {
    crate::generated::TABLES.into_iter().any(|api| {
        api.operations
            .iter()
            .filter(|operation| operation.id == operation_id)
            .any(|operation| {
                operation.params.iter().any(|param| param.name == name)
                    || operation
                        .bodies
                        .iter()
                        .any(|body| has_property(api, &body.shape, name, 0))
            })
    })
}

/// Whether a body shape (an object, a named one, or `oneOf` them) has the property `name`.
fn has_property(api: &Api, shape: &Shape, name: &str, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match &shape.kind {
        Kind::Object(object) => object.properties.iter().any(|(key, _, _)| *key == name),
        Kind::Ref(model) => api
            .schemas
            .iter()
            .filter(|(key, _, _)| key == model)
            .any(|(_, shape, _)| has_property(api, shape, name, depth + 1)),
        Kind::OneOf(alternatives) => alternatives
            .iter()
            .any(|alternative| has_property(api, alternative, name, depth + 1)),
        _ => false,
    }
}
