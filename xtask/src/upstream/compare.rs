//! The comparison of the spec, as one service version sees it, with the official document:
//! both are walked together from each operation down to every property, and each wire fact
//! that differs becomes a [`Difference`] at a readable place.

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::{
    Api, Body, Check, Method, Model, ModelKind, Number, Param, ResponseBody, TypeRef,
};
use serde_json::Value;

use super::official::{self, Official};

/// One wire fact on which the two descriptions differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// Where: `METHOD /path [form] › parameter or body › property › …`.
    pub place: String,
    /// What differs, ours first.
    pub what: String,
    /// The spec's `x-sdk-upstream-differs` reason when it marks this place deliberate.
    pub deliberate: Option<String>,
}

struct Walk<'a> {
    api: &'a Api,
    official: &'a Official,
    models: BTreeMap<&'a str, &'a Model>,
    /// (our model, official definition, in a request) already compared, so each shared model
    /// is reported once, at the first place it is reached.
    seen: BTreeSet<(String, String, bool)>,
    out: Vec<Difference>,
}

/// Every difference between `api` (the spec at one version) and the official document.
pub fn compare(api: &Api, official: &Official) -> Result<Vec<Difference>, String> {
    let mut walk = Walk {
        api,
        official,
        models: api
            .models
            .iter()
            .map(|model| (model.name.as_str(), model))
            .collect(),
        seen: BTreeSet::new(),
        out: Vec::new(),
    };
    let theirs = official.operations()?;
    let mut ours: BTreeMap<String, Vec<&Method>> = BTreeMap::new();
    for method in api.groups.iter().flat_map(|group| &group.methods) {
        let path = method
            .path
            .strip_prefix(&api.base_path)
            .unwrap_or(&method.path);
        let key = format!(
            "{} {path}",
            format!("{:?}", method.http_method).to_uppercase()
        );
        ours.entry(key).or_default().push(method);
    }
    for (key, forms) in &theirs {
        match ours.remove(key) {
            Some(methods) => walk.operation(key, &methods, forms),
            None => walk.differ(key, "only in the official document", None),
        }
    }
    for (key, methods) in ours {
        let reason = methods
            .iter()
            .find_map(|method| method.upstream_differs.as_deref());
        walk.differ(&key, "only in our spec", reason);
    }
    walk.out.sort();
    walk.out.dedup();
    Ok(walk.out)
}

/// The key of a method's body form, as `official::Form::key` keys the official overloads.
fn body_key(api: &Api, method: &Method) -> String {
    match &method.body {
        None => "no body".to_owned(),
        Some(Body::Binary { .. }) => "octet-stream".to_owned(),
        Some(Body::Multipart { .. }) => "multipart".to_owned(),
        Some(Body::Json { model, .. }) => {
            let mut required: Vec<&str> = api
                .models
                .iter()
                .find(|candidate| &candidate.name == model)
                .and_then(|model| match &model.kind {
                    ModelKind::Struct(object) => Some(object),
                    _ => None,
                })
                .into_iter()
                .flat_map(|object| &object.fields)
                .filter(|field| field.required)
                .map(|field| field.name.wire.as_str())
                .collect();
            required.sort_unstable();
            format!("json{{{}}}", required.join(","))
        }
    }
}

/// A number as both documents would write it: whole numbers without a fraction.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        #[expect(clippy::cast_possible_truncation, reason = "a whole number below 1e15")]
        let whole = value as i64;
        whole.to_string()
    } else {
        value.to_string()
    }
}

fn our_number(bound: &Number) -> String {
    match *bound {
        Number::I32(value) => value.to_string(),
        Number::I64(value) => value.to_string(),
        Number::F32(value) => number(f64::from(value)),
        Number::F64(value) => number(value),
    }
}

/// The bounds a list of checks states, by their Swagger keyword.
fn our_bounds(checks: &[Check]) -> BTreeMap<&'static str, String> {
    let mut bounds = BTreeMap::new();
    for check in checks {
        match check {
            Check::Minimum { bound, exclusive } => {
                bounds.insert("minimum", our_number(bound));
                if *exclusive {
                    bounds.insert("exclusiveMinimum", "true".to_owned());
                }
            }
            Check::Maximum { bound, exclusive } => {
                bounds.insert("maximum", our_number(bound));
                if *exclusive {
                    bounds.insert("exclusiveMaximum", "true".to_owned());
                }
            }
            Check::MinLength(n) => _ = bounds.insert("minLength", n.to_string()),
            Check::MaxLength(n) => _ = bounds.insert("maxLength", n.to_string()),
            Check::MinItems(n) => _ = bounds.insert("minItems", n.to_string()),
            Check::MaxItems(n) => _ = bounds.insert("maxItems", n.to_string()),
            Check::Pattern(pattern) => _ = bounds.insert("pattern", pattern.clone()),
            Check::Model | Check::Items(_) => {}
        }
    }
    bounds
}

const BOUND_KEYWORDS: [&str; 9] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
];

fn their_bounds(schema: &Value) -> BTreeMap<&'static str, String> {
    BOUND_KEYWORDS
        .iter()
        .filter_map(|keyword| {
            let value = schema.get(*keyword)?;
            let text = match value {
                Value::Number(n) => number(n.as_f64()?),
                Value::Bool(false) => return None,
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Some((*keyword, text))
        })
        .collect()
}

fn item_checks(checks: &[Check]) -> &[Check] {
    checks
        .iter()
        .find_map(|check| match check {
            Check::Items(items) => Some(items.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

fn shown(value: Option<&str>) -> &str {
    value.unwrap_or("none")
}

impl<'a> Walk<'a> {
    fn differ(&mut self, place: &str, what: impl Into<String>, reason: Option<&str>) {
        self.out.push(Difference {
            place: place.to_owned(),
            what: what.into(),
            deliberate: reason.map(str::to_owned),
        });
    }

    fn operation(&mut self, key: &str, methods: &[&'a Method], forms: &[official::Form<'a>]) {
        let mut theirs: Vec<&official::Form<'a>> = forms.iter().collect();
        let mut unmatched: Vec<&Method> = Vec::new();
        for method in methods {
            let our_key = body_key(self.api, method);
            match theirs.iter().position(|form| form.key == our_key) {
                Some(index) => {
                    let form = theirs.remove(index);
                    self.form(&format!("{key} [{our_key}]"), method, form);
                }
                None => unmatched.push(method),
            }
        }
        // A form whose required properties differ still pairs with the one left of its kind.
        let kind = |key: &str| key.split('{').next().unwrap_or(key).to_owned();
        for method in unmatched {
            let our_key = body_key(self.api, method);
            let same_kind: Vec<usize> = (0..theirs.len())
                .filter(|index| kind(&theirs[*index].key) == kind(&our_key))
                .collect();
            let reason = method.upstream_differs.as_deref();
            if let [index] = same_kind[..] {
                let form = theirs.remove(index);
                let place = format!("{key} [{our_key}]");
                self.differ(
                    &place,
                    format!(
                        "required body properties: ours {our_key}, official {}",
                        form.key
                    ),
                    reason,
                );
                self.form(&place, method, form);
            } else {
                self.differ(
                    &format!("{key} [{our_key}]"),
                    "body form only in our spec",
                    reason,
                );
            }
        }
        for form in theirs {
            self.differ(
                &format!("{key} [{}]", form.key),
                format!(
                    "body form only in the official document ({})",
                    form.operation_id
                ),
                None,
            );
        }
    }

    fn form(&mut self, place: &str, method: &'a Method, form: &official::Form<'a>) {
        let reason = method.upstream_differs.as_deref();
        let mut theirs: BTreeMap<(String, String), &Value> = form
            .params
            .iter()
            .map(|param| {
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
                ((location.to_owned(), name.to_owned()), *param)
            })
            .collect();
        for param in &method.params {
            let location = format!("{:?}", param.location).to_lowercase();
            let key = (location.clone(), param.name.wire.clone());
            let param_place = format!("{place} › {location} {}", param.name.wire);
            let reason = param.upstream_differs.as_deref().or(reason);
            match theirs.remove(&key) {
                Some(their) => self.param(&param_place, param, their, reason),
                None => self.differ(&param_place, "parameter only in our spec", reason),
            }
        }
        for ((location, name), _) in theirs {
            self.differ(
                &format!("{place} › {location} {name}"),
                "parameter only in the official document",
                reason,
            );
        }
        self.body(place, method, form, reason);
        self.response(place, method, form, reason);
    }

    fn param(&mut self, place: &str, param: &'a Param, their: &'a Value, reason: Option<&str>) {
        let their_required = their
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if param.required != their_required {
            self.differ(
                place,
                format!(
                    "required: ours {}, official {their_required}",
                    param.required
                ),
                reason,
            );
        }
        let their_default = their.get("default").map(Value::to_string);
        if param.default != their_default {
            self.differ(
                place,
                format!(
                    "default: ours {}, official {}",
                    shown(param.default.as_deref()),
                    shown(their_default.as_deref())
                ),
                reason,
            );
        }
        self.value(place, &param.ty, &param.checks, their, true, reason);
    }

    fn body(
        &mut self,
        place: &str,
        method: &'a Method,
        form: &official::Form<'a>,
        reason: Option<&str>,
    ) {
        let place = format!("{place} › body");
        match (&method.body, &form.body) {
            (None, official::Body::None) => {}
            (Some(Body::Json { model, .. }), official::Body::Json(schema)) => {
                self.value(
                    &place,
                    &TypeRef::Model(model.clone()),
                    &[],
                    schema,
                    true,
                    reason,
                );
            }
            (
                Some(Body::Binary {
                    param,
                    min_length,
                    max_length,
                }),
                official::Body::Binary(schema),
            ) => {
                let reason = param.upstream_differs.as_deref().or(reason);
                let ours: BTreeMap<&str, String> = min_length
                    .map(|n| ("minLength", n.to_string()))
                    .into_iter()
                    .chain(max_length.map(|n| ("maxLength", n.to_string())))
                    .collect();
                self.bounds(&place, &ours, &their_bounds(schema), reason);
            }
            (Some(Body::Multipart { parts }), official::Body::Multipart(fields)) => {
                let mut theirs: BTreeMap<&str, &Value> = fields
                    .iter()
                    .map(|field| {
                        (
                            field
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or_default(),
                            *field,
                        )
                    })
                    .collect();
                for part in parts {
                    let part_place = format!("{place} › {}", part.param.name.wire);
                    let reason = part.param.upstream_differs.as_deref().or(reason);
                    match theirs.remove(part.param.name.wire.as_str()) {
                        Some(their) => self.param(&part_place, &part.param, their, reason),
                        None => self.differ(&part_place, "form field only in our spec", reason),
                    }
                }
                for name in theirs.keys() {
                    self.differ(
                        &format!("{place} › {name}"),
                        "form field only in the official document",
                        reason,
                    );
                }
            }
            _ => self.differ(&place, "the bodies are of different kinds", reason),
        }
    }

    fn response(
        &mut self,
        place: &str,
        method: &'a Method,
        form: &official::Form<'a>,
        reason: Option<&str>,
    ) {
        let place = format!("{place} › response");
        if method.response.status.to_string() != form.status {
            self.differ(
                &place,
                format!(
                    "status: ours {}, official {}",
                    method.response.status, form.status
                ),
                reason,
            );
        }
        match (&method.response.body, form.response) {
            (ResponseBody::Empty, None) => {}
            (ResponseBody::Binary, Some(schema))
                if self
                    .official
                    .resolve(schema)
                    .is_ok_and(|(schema, _)| official::kind(schema) == "binary") => {}
            (ResponseBody::Json(ty), Some(schema)) => {
                self.value(&place, ty, &[], schema, false, reason);
            }
            (ours, theirs) => self.differ(
                &place,
                format!(
                    "body: ours {}, official {}",
                    match ours {
                        ResponseBody::Empty => "none".to_owned(),
                        ResponseBody::Binary => "binary".to_owned(),
                        ResponseBody::Json(ty) => self.kind(ty),
                    },
                    theirs.map_or("none".to_owned(), |schema| {
                        self.official
                            .resolve(schema)
                            .map_or_else(|error| error, |(schema, _)| official::kind(schema))
                    })
                ),
                reason,
            ),
        }
    }

    fn kind(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Bool => "boolean".to_owned(),
            TypeRef::I32 => "integer(int32)".to_owned(),
            TypeRef::I64 => "integer(int64)".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "number".to_owned(),
            TypeRef::String => "string".to_owned(),
            TypeRef::Uuid => "string(uuid)".to_owned(),
            TypeRef::DateTime => "string(date-time)".to_owned(),
            TypeRef::Json => "any".to_owned(),
            TypeRef::Binary => "binary".to_owned(),
            TypeRef::Array(_) => "array".to_owned(),
            TypeRef::Id { .. } | TypeRef::AllOr { .. } => self.kind(&ty.wire()),
            TypeRef::Model(name) => match self.models.get(name.as_str()).map(|model| &model.kind) {
                Some(ModelKind::Struct(_)) => "object".to_owned(),
                Some(ModelKind::Enum(_)) => "string".to_owned(),
                Some(ModelKind::Alias(ty)) => self.kind(ty),
                None => format!("unknown model {name}"),
            },
        }
    }

    /// Compares one value: its kind, enum values, bounds, and what it holds.
    fn value(
        &mut self,
        place: &str,
        ty: &TypeRef,
        checks: &[Check],
        their: &'a Value,
        request: bool,
        reason: Option<&str>,
    ) {
        let wire = ty.wire();
        let ty = &wire;
        let (their, name) = match self.official.resolve(their) {
            Ok(resolved) => resolved,
            Err(error) => return self.differ(place, format!("official document: {error}"), reason),
        };
        let (ours, theirs) = (self.kind(ty), official::kind(their));
        if ours != theirs {
            return self.differ(
                place,
                format!("type: ours {ours}, official {theirs}"),
                reason,
            );
        }
        let mut ty = ty;
        let mut reason = reason.map(str::to_owned);
        while let TypeRef::Model(model) = ty {
            let Some(model) = self.models.get(model.as_str()).copied() else {
                break;
            };
            reason = reason.or_else(|| model.upstream_differs.clone());
            match &model.kind {
                ModelKind::Alias(inner) => ty = inner,
                ModelKind::Enum(string_enum) => {
                    let ours: BTreeSet<&str> = string_enum
                        .variants
                        .iter()
                        .map(|variant| variant.wire.as_str())
                        .collect();
                    let theirs: BTreeSet<&str> = their
                        .get("enum")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    if ours != theirs {
                        self.differ(
                            place,
                            format!("enum: ours {ours:?}, official {theirs:?}"),
                            reason.as_deref(),
                        );
                    }
                    break;
                }
                ModelKind::Struct(_) => {
                    let model_name = model.name.as_str();
                    return self.object(place, model_name, their, name, request, reason.as_deref());
                }
            }
        }
        if !matches!(ty, TypeRef::Model(_)) && their.get("enum").is_some() {
            self.differ(
                place,
                "enum: ours none, official lists values",
                reason.as_deref(),
            );
        }
        self.bounds(
            place,
            &our_bounds(checks),
            &their_bounds(their),
            reason.as_deref(),
        );
        if let (TypeRef::Array(item), Some(their_item)) = (ty, their.get("items")) {
            self.value(
                &format!("{place} › []"),
                item,
                item_checks(checks),
                their_item,
                request,
                reason.as_deref(),
            );
        }
    }

    fn bounds(
        &mut self,
        place: &str,
        ours: &BTreeMap<&str, String>,
        theirs: &BTreeMap<&str, String>,
        reason: Option<&str>,
    ) {
        for keyword in BOUND_KEYWORDS {
            let (ours, theirs) = (ours.get(keyword), theirs.get(keyword));
            if ours != theirs {
                self.differ(
                    place,
                    format!(
                        "{keyword}: ours {}, official {}",
                        shown(ours.map(String::as_str)),
                        shown(theirs.map(String::as_str))
                    ),
                    reason,
                );
            }
        }
    }

    /// Compares an object schema property by property, once per pair of named schemas.
    fn object(
        &mut self,
        place: &str,
        model: &str,
        their: &'a Value,
        their_name: Option<&str>,
        request: bool,
        reason: Option<&str>,
    ) {
        if let Some(their_name) = their_name
            && !self
                .seen
                .insert((model.to_owned(), their_name.to_owned(), request))
        {
            return;
        }
        let Some(model) = self.models.get(model).copied() else {
            return self.differ(place, format!("our model {model} is missing"), reason);
        };
        let ModelKind::Struct(object) = &model.kind else {
            return self.differ(
                place,
                format!("our {} is not an object", model.name),
                reason,
            );
        };
        let reason = model.upstream_differs.as_deref().or(reason);
        let mut theirs: BTreeMap<&str, &Value> = their
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| (name.as_str(), schema))
            .collect();
        let required: BTreeSet<&str> = their
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for field in &object.fields {
            let wire = field.name.wire.as_str();
            let field_place = format!("{place} › {wire}");
            let reason = field.upstream_differs.as_deref().or(reason);
            let Some(their_field) = theirs.remove(wire) else {
                self.differ(&field_place, "property only in our spec", reason);
                continue;
            };
            let their_required = required.contains(wire);
            if field.required != their_required {
                self.differ(
                    &field_place,
                    format!(
                        "required: ours {}, official {their_required}",
                        field.required
                    ),
                    reason,
                );
            }
            let their_nullable = their_field
                .get("x-nullable")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if field.nullable != their_nullable {
                self.differ(
                    &field_place,
                    format!(
                        "nullable: ours {}, official {their_nullable}",
                        field.nullable
                    ),
                    reason,
                );
            }
            // A default is the value a request leaves out; in an answer it says nothing on the
            // wire (our spec states an enum's default on the enum schema, used by both).
            let their_default = their_field.get("default").map(Value::to_string);
            if request && field.default != their_default {
                self.differ(
                    &field_place,
                    format!(
                        "default: ours {}, official {}",
                        shown(field.default.as_deref()),
                        shown(their_default.as_deref())
                    ),
                    reason,
                );
            }
            self.value(
                &field_place,
                &field.ty,
                &field.checks,
                their_field,
                request,
                reason,
            );
        }
        for name in theirs.keys() {
            self.differ(
                &format!("{place} › {name}"),
                "property only in the official document",
                reason,
            );
        }
    }
}
