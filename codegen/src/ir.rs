//! The checked, sorted intermediate form of the spec that `emit` turns into Rust.
//!
//! Every name here is already a valid, collision-free Rust identifier (see `naming`),
//! every reference is resolved, and every node keeps the JSON pointer it came from.
//! Models are sorted by name, groups by name and methods by name; fields, parameters
//! and enum variants keep the order the spec gives them.

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The path of the server URL after its host variable, e.g. `/face/v1.0`.
    pub base_path: String,
    /// One Rust type per schema under `components/schemas`, sorted by name.
    pub models: Vec<Model>,
    /// The operation groups (the first part of `Group_Method` operation ids), sorted by name.
    pub groups: Vec<Group>,
    /// The service versions the spec describes, oldest first: the `enum` of the server url's
    /// version variable. Empty when no variable lists values.
    pub versions: Vec<String>,
    /// The base path at each of `versions`, in the same order (`/face/v1.3-preview.1`).
    pub version_base_paths: Vec<String>,
    /// The version `base_path` and every method's `path` are at: the variable's `default`.
    pub default_version: Option<String>,
    /// The headers the spec's shared error responses (`components/responses` with a non-2xx
    /// use) declare, e.g. `x-ms-error-code`, sorted and without repeats.
    pub error_headers: Vec<String>,
    /// The kinds of id the spec declares (`x-sdk-ids`), sorted by name: one newtype each.
    pub ids: Vec<IdKind>,
    /// The lists that one listed value turns into "every item" (`x-sdk-all-items`), sorted
    /// by name: one typed choice each.
    pub all_or_lists: Vec<AllOrList>,
    /// The properties and parameters whose schema says why they carry no kind of id
    /// (`x-sdk-no-id-kind`), sorted by pointer.
    pub untyped_ids: Vec<UntypedId>,
}

/// A property or parameter that the spec says carries no kind of id, though its name may
/// suggest one (free text chosen by the caller, an id of one of several kinds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntypedId {
    /// Its wire name.
    pub name: String,
    /// Where the spec says it: the property, or the parameter's schema.
    pub pointer: String,
    pub reason: String,
}

/// A kind of id (`x-sdk-ids` at the root, `x-sdk-id` on the schemas that carry one): a
/// newtype over its wire type, so that ids of different kinds cannot be passed for each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdKind {
    /// The Rust type name (PascalCase), as the spec spells the kind.
    pub name: String,
    pub docs: Docs,
    /// Whether the wire type is a UUID (`format: uuid`), else a string.
    pub uuid: bool,
    pub pointer: String,
}

/// A list of ids in which one listed value means every item (`x-sdk-all-items`): a choice
/// between a list and all, so that a list cannot mix the two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllOrList {
    /// The Rust type name: the item kind's name in the plural (`PersonIds`).
    pub name: String,
    /// The id kind of the items.
    pub kind: String,
    /// The wire value that, alone in the list, means every item (`*`).
    pub all: String,
}

/// The service versions in which an item exists (`x-sdk-added`, `x-sdk-removed`): from
/// `added` (or the first version) up to, not including, `removed` (or for good). An item
/// inherits its container's: a field its model's, a parameter its method's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Availability {
    /// The first version that has the item; `None` for the first version of the spec.
    pub added: Option<String>,
    /// The first version that no longer has it; `None` while every later version has it.
    pub removed: Option<String>,
}

/// Documentation text taken from a spec description, one entry per line.
pub type Docs = Vec<String>;

/// A named schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The Rust type name (PascalCase).
    pub name: String,
    pub docs: Docs,
    pub pointer: String,
    pub kind: ModelKind,
    /// The versions that have the model (`x-sdk-added`/`x-sdk-removed` on its schema).
    pub availability: Availability,
    /// Why the spec deliberately differs here from the vendor's published description
    /// (`x-sdk-upstream-differs`); read by `cargo xtask upstream`, not emitted.
    pub upstream_differs: Option<String>,
}

/// What a named schema becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    Struct(Struct),
    Enum(StringEnum),
    /// A schema that is neither an object nor an enum, e.g. an array: a type alias.
    Alias(TypeRef),
}

/// An object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Groups of fields of which exactly one must be set (`x-sdk-exactly-one-of`).
    pub exactly_one_of: Vec<Vec<FieldName>>,
    /// Whether the struct gets a `validate` method: a request can carry it, and it or one of
    /// its fields has a constraint.
    pub validates: bool,
}

/// A Rust field name beside the wire name it is serialized as.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldName {
    pub rust: String,
    pub wire: String,
}

/// A property of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: FieldName,
    pub docs: Docs,
    pub ty: TypeRef,
    /// Required fields are plain `T`; others are `Option<T>`, omitted when `None`.
    pub required: bool,
    /// A nullable required field is `Option<T>` that serializes `None` as `null`.
    pub nullable: bool,
    pub default: Option<String>,
    pub checks: Vec<Check>,
    pub pointer: String,
    /// The value is held in a `Box`: the field's model holds, directly or through other
    /// fields, the struct the field belongs to (a recursive schema).
    pub boxed: bool,
    /// The versions that have the property, its model's included.
    pub availability: Availability,
    /// Why the spec deliberately differs here from the vendor's published description
    /// (`x-sdk-upstream-differs`); read by `cargo xtask upstream`, not emitted.
    pub upstream_differs: Option<String>,
}

impl Field {
    /// Whether the field always holds a value: required and not nullable. Such a field is a
    /// plain `T` (every other field an `Option<T>`), an argument of its model's `new`, and a
    /// required parameter of an operation whose JSON body is the model.
    pub fn always_present(&self) -> bool {
        self.required && !self.nullable
    }
}

/// A string enum; unknown wire values decode into the `fallback` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<Variant>,
    /// The name of the variant that carries values the spec does not list.
    pub fallback: String,
}

/// One known value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub wire: String,
    /// Other wire values that decode into this variant (`x-sdk-enum-aliases`).
    pub aliases: Vec<String>,
    /// The versions that have the value (`x-sdk-values-added`/`x-sdk-values-removed` of
    /// its enum), the enum's own included.
    pub availability: Availability,
}

/// The Rust type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    Uuid,
    DateTime,
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// A named model, by its Rust name.
    Model(String),
    Array(Box<TypeRef>),
    /// The raw bytes of an `application/octet-stream` body (`face_sdk::Body`).
    Binary,
    /// An id of one kind (`x-sdk-id`), over a UUID or a string on the wire.
    Id {
        kind: String,
        uuid: bool,
    },
    /// A list of ids of `kind`, or every item: the list holding only `all` on the wire
    /// (`x-sdk-all-items`); `name` is its [`AllOrList`].
    AllOr {
        name: String,
        kind: String,
        uuid: bool,
        all: String,
    },
}

impl TypeRef {
    /// The type as it travels: an id is its UUID or string, a choice of ids or all its list.
    #[must_use]
    pub fn wire(&self) -> TypeRef {
        match self {
            TypeRef::Id { uuid: true, .. } => TypeRef::Uuid,
            TypeRef::Id { uuid: false, .. } => TypeRef::String,
            TypeRef::AllOr { uuid, .. } => TypeRef::Array(Box::new(if *uuid {
                TypeRef::Uuid
            } else {
                TypeRef::String
            })),
            TypeRef::Array(item) => TypeRef::Array(Box::new(item.wire())),
            other => other.clone(),
        }
    }

    /// The id kind the value carries, itself or as the items of a list.
    #[must_use]
    pub fn id_kind(&self) -> Option<&str> {
        match self {
            TypeRef::Id { kind, .. } | TypeRef::AllOr { kind, .. } => Some(kind),
            TypeRef::Array(item) => item.id_kind(),
            _ => None,
        }
    }
}

/// A constraint checked on the client before a request is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Minimum {
        bound: Number,
        exclusive: bool,
    },
    Maximum {
        bound: Number,
        exclusive: bool,
    },
    MinLength(u64),
    MaxLength(u64),
    MinItems(u64),
    MaxItems(u64),
    Pattern(String),
    /// The value is a model with its own `validate` method.
    Model,
    /// Checks that apply to every item of an array.
    Items(Vec<Check>),
}

/// A numeric bound, typed as the value it bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
}

/// An operation group: `client.<accessor>()` returns its operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The accessor method and module name (snake_case), e.g. `face_list`.
    pub module: String,
    /// The type that holds the group's methods, e.g. `FaceListOperations`.
    pub type_name: String,
    pub docs: Docs,
    pub methods: Vec<Method>,
}

/// One method of the SDK: an operation, or one body form of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// The method name (snake_case).
    pub name: String,
    /// The builder type returned by the method (an alias of the runtime's `Call` over
    /// [`Method::input`]).
    pub builder: String,
    /// The type that holds the method's parameters and builds its request.
    pub input: String,
    pub operation_id: String,
    pub http_method: HttpMethod,
    /// The full path template, base path included, e.g. `/face/v1.0/facelists/{faceListId}`.
    pub path: String,
    pub docs: Docs,
    pub pointer: String,
    /// The path, query and header parameters: path parameters in path order, then the others
    /// in spec order. [`Method::arguments`] adds the body's and orders them as the caller
    /// gives them.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// How to read every page of a list operation (`x-sdk-pagination`).
    pub pagination: Option<Pagination>,
    /// How to wait for the background work an operation starts (`x-sdk-long-running`).
    pub long_running: Option<LongRunning>,
    /// The scopes a bearer token is asked for; empty when the operation takes only keys.
    pub token_scopes: Vec<String>,
    /// Whether repeating the request is safe: every GET, PUT, PATCH and DELETE, and a POST the
    /// spec marks with `x-sdk-idempotent: true`. Others are retried only when surely not applied.
    pub idempotent: bool,
    /// The versions that have the operation (`x-sdk-added`/`x-sdk-removed` on it).
    pub availability: Availability,
    /// Why the spec deliberately differs here from the vendor's published description
    /// (`x-sdk-upstream-differs`); read by `cargo xtask upstream`, not emitted.
    pub upstream_differs: Option<String>,
}

/// A list operation whose results can be read as one stream over all pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The optional query parameter that takes the key of the last item read (Rust name).
    pub cursor_param: String,
    /// The optional integer query parameter that sets the page size (Rust name).
    pub limit_param: Option<String>,
    /// The model of one item (Rust name).
    pub item: String,
    /// The required field of an item whose value is the next cursor (Rust name).
    pub item_key: String,
    /// Whether that field is a `String` (else it is formatted with `to_string`).
    pub item_key_is_string: bool,
}

/// An operation that starts background work, and the operation that reports its status.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRunning {
    /// The group module and method name of the status operation.
    pub status_group: String,
    /// The type that holds the status operation's group.
    pub status_group_type: String,
    pub status_method: String,
    /// The positional arguments of the status method, in order.
    pub status_args: Vec<StatusArg>,
    /// The model the status operation answers (Rust name).
    pub status_model: String,
    /// The required field that holds the state (a string or string enum; Rust name).
    pub state_field: String,
    /// Wire values of the state that mean the work is over.
    pub succeeded: Vec<String>,
    pub failed: Vec<String>,
    /// The optional text field that explains a failure (Rust name), and whether it is required.
    pub message_field: Option<(String, bool)>,
}

/// Where an argument of a status operation comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusArg {
    /// The parameter of the same name of the operation that started the work (Rust name).
    Param { name: String, ty: TypeRef },
    /// The last path segment of a URL in a response header, parsed as `ty` into the local
    /// variable `name` (the status parameter's Rust name).
    Header {
        name: String,
        header: String,
        ty: TypeRef,
    },
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
}

/// A parameter of a method, wherever it travels.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: FieldName,
    pub docs: Docs,
    pub location: Location,
    pub ty: TypeRef,
    pub required: bool,
    pub default: Option<String>,
    /// Checks of path, query, header and multipart parameters; JSON body properties are checked
    /// by their model.
    pub checks: Vec<Check>,
    /// Which items of this list parameter another parameter's value allows (`x-sdk-allowed-items`).
    pub allowed_items: Vec<AllowedItems>,
    /// The versions that have the parameter, its method's included.
    pub availability: Availability,
    /// Why the spec deliberately differs here from the vendor's published description
    /// (`x-sdk-upstream-differs`); read by `cargo xtask upstream`, not emitted.
    pub upstream_differs: Option<String>,
}

/// The items a list parameter may hold, by the value of another parameter of the operation.
#[derive(Debug, Clone, PartialEq)]
pub struct AllowedItems {
    /// The parameter whose value decides (a string or string enum).
    pub control: FieldName,
    /// Whether that parameter is required; when it is not, `default` is its value when unset.
    pub control_required: bool,
    pub default: String,
    /// Value of the control → the items allowed with it; other values allow anything.
    pub table: Vec<(String, Vec<String>)>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    /// A query parameter; arrays are one key with items joined by commas.
    Query,
    Header,
    /// In the request body, as the method's [`Body`] that holds the parameter shapes it.
    Body,
}

/// The request body of a method, with the parameters that travel in it.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON object of the model `model`, one field per parameter (required ones first).
    Json {
        model: String,
        validates: bool,
        fields: Vec<Param>,
    },
    /// Raw bytes (`application/octet-stream`), from one parameter of type `Binary`.
    Binary {
        /// Boxed: a `Param` is much larger than the other variants.
        param: Box<Param>,
        min_length: Option<u64>,
        max_length: Option<u64>,
    },
    /// `multipart/form-data`: one part per parameter, in the schema's order.
    Multipart { parts: Vec<Part> },
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The parameter sent as the part; its wire name is the part's name.
    pub param: Param,
    /// The content type of a file part (`format: binary`); `None` for a field part, sent as text.
    pub file: Option<String>,
}

impl Body {
    /// The parameters that travel in the body, in the body's order.
    pub fn params(&self) -> Vec<&Param> {
        match self {
            Body::Json { fields, .. } => fields.iter().collect(),
            Body::Binary { param, .. } => vec![&**param],
            Body::Multipart { parts } => parts.iter().map(|part| &part.param).collect(),
        }
    }
}

impl Method {
    /// Every parameter of the method, wherever it travels: the required ones first, in the
    /// order they are taken positionally (path, query and header parameters, then the body's),
    /// then the optional ones in the same order.
    pub fn arguments(&self) -> Vec<&Param> {
        let all: Vec<&Param> = self
            .params
            .iter()
            .chain(self.body.iter().flat_map(Body::params))
            .collect();
        let (required, optional): (Vec<&Param>, Vec<&Param>) =
            all.into_iter().partition(|param| param.required);
        required.into_iter().chain(optional).collect()
    }
}

/// What a successful call answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: ResponseBody,
    /// The headers the success response declares, in the spec's order.
    pub headers: Vec<String>,
}

/// The body of the success response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content: whatever arrives is read and dropped.
    Empty,
    /// JSON, decoded into this type.
    Json(TypeRef),
    /// Raw bytes (`application/octet-stream`), returned as they are.
    Binary,
}

impl Availability {
    /// Whether the item exists at `version`; `versions` are the spec's, oldest first.
    pub fn includes(&self, versions: &[String], version: &str) -> bool {
        let index = |name: &str| versions.iter().position(|known| known == name);
        let Some(at) = index(version) else {
            return false;
        };
        self.added
            .as_deref()
            .and_then(index)
            .is_none_or(|added| added <= at)
            && self
                .removed
                .as_deref()
                .and_then(index)
                .is_none_or(|removed| at < removed)
    }
}

impl Api {
    /// The API as the service answers at `version`: every model, field, enum value, method and
    /// parameter that `version` lacks is left out (and groups left with no methods). `None`
    /// when the spec does not list `version`. Paths keep the base path of the spec's default
    /// version: the version segment is the one thing a client changes between versions.
    pub fn at_version(&self, version: &str) -> Option<Api> {
        if !self.versions.iter().any(|known| known == version) {
            return None;
        }
        let has = |availability: &Availability| availability.includes(&self.versions, version);
        let mut api = self.clone();
        api.models.retain(|model| has(&model.availability));
        for model in &mut api.models {
            match &mut model.kind {
                ModelKind::Struct(object) => {
                    object.fields.retain(|field| has(&field.availability));
                    let present: Vec<&FieldName> =
                        object.fields.iter().map(|field| &field.name).collect();
                    let mut groups = std::mem::take(&mut object.exactly_one_of);
                    for group in &mut groups {
                        group.retain(|name| present.contains(&name));
                    }
                    groups.retain(|group| !group.is_empty());
                    object.exactly_one_of = groups;
                }
                ModelKind::Enum(string_enum) => {
                    string_enum
                        .variants
                        .retain(|variant| has(&variant.availability));
                }
                ModelKind::Alias(_) => {}
            }
        }
        for group in &mut api.groups {
            group.methods.retain(|method| has(&method.availability));
            for method in &mut group.methods {
                method.params.retain(|param| has(&param.availability));
                match &mut method.body {
                    Some(Body::Json { fields, .. }) => {
                        fields.retain(|field| has(&field.availability));
                    }
                    Some(Body::Multipart { parts }) => {
                        parts.retain(|part| has(&part.param.availability));
                    }
                    Some(Body::Binary { .. }) | None => {}
                }
            }
        }
        api.groups.retain(|group| !group.methods.is_empty());
        Some(api)
    }
}
