//! Lowering of the named schemas under `components/schemas` into models: structs with their
//! fields and rules, enums, and aliases.

use super::schema::{boxed, type_and_checks};
use super::string_enum::lower_enum;
use super::{Context, docs};
use crate::error::child;
use crate::ir::{
    Availability, Body, Check, Field, FieldName, Group, Model, ModelKind, Struct, TypeRef,
};
use crate::{Error, naming};
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

/// The extension that lists groups of properties of which exactly one must be set.
const EXACTLY_ONE_OF: &str = "x-sdk-exactly-one-of";

/// Component schema name → Rust type name, refusing two schemas with one Rust name.
pub fn model_names(
    spec: &OpenAPI,
    origins: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Error> {
    let mut names = BTreeMap::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for name in spec
        .components
        .iter()
        .flat_map(|components| components.schemas.keys())
    {
        let pointer = origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| child("#/components/schemas", name));
        let rust = naming::pascal_case(name).ok_or_else(|| {
            Error::at(
                &pointer,
                format!("schema name `{name}` has no letters or digits"),
            )
        })?;
        if naming::PRELUDE_TYPES.contains(&rust.as_str()) {
            return Err(Error::at(
                pointer,
                format!(
                    "schema `{name}` becomes `{rust}`, a name the generated models use for the standard type"
                ),
            ));
        }
        if let Some(other) = taken.insert(rust.clone(), name.clone()) {
            return Err(Error::at(
                pointer,
                format!("schema `{name}` and schema `{other}` both become the Rust type `{rust}`"),
            ));
        }
        names.insert(name.clone(), rust);
    }
    Ok(names)
}

/// One model per component schema, in spec order, but for multipart forms: an object with a
/// `format: binary` property cannot be JSON, so it is only the shape of a multipart body.
pub fn lower_models(context: &Context) -> Result<Vec<Model>, Error> {
    let schemas = context
        .spec
        .components
        .iter()
        .flat_map(|components| components.schemas.iter())
        .filter(|(_, schema)| !schema.as_item().is_some_and(is_multipart_form));
    schemas
        .map(|(name, schema)| {
            let pointer = context.schema_pointer(name);
            let schema = match schema {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::at(
                        pointer,
                        "a component schema that is only a $ref is not supported",
                    ));
                }
            };
            lower_model(context, &context.model_names[name], schema, &pointer)
        })
        .collect()
}

/// Whether a schema is an object with a `format: binary` property.
pub fn is_multipart_form(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Object(object))
    if object.properties.values().any(|property| {
        property
            .as_item()
            .is_some_and(|property| super::schema::is_binary_schema(property))
    }))
}

fn lower_model(
    context: &Context,
    name: &str,
    schema: &Schema,
    pointer: &str,
) -> Result<Model, Error> {
    let docs = docs::required(schema.schema_data.description.as_ref(), pointer, "schema")?;
    super::schema::says_any(schema, pointer)?;
    let availability = context
        .versions()
        .read(&schema.schema_data.extensions, pointer)?;
    let model = &availability;
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            ModelKind::Struct(lower_struct(context, schema, object, model, pointer)?)
        }
        SchemaKind::AllOf { all_of } => {
            let object = merge_all_of(context, all_of, None, pointer, 0)?;
            ModelKind::Struct(lower_struct(context, schema, &object, model, pointer)?)
        }
        SchemaKind::Any(any) if !any.all_of.is_empty() => {
            let own = openapiv3::ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                ..Default::default()
            };
            let object = merge_all_of(context, &any.all_of, Some(own), pointer, 0)?;
            ModelKind::Struct(lower_struct(context, schema, &object, model, pointer)?)
        }
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            ModelKind::Enum(lower_enum(
                &context.versions(),
                schema,
                &string.enumeration,
                model,
                pointer,
            )?)
        }
        _ => ModelKind::Alias(type_and_checks(context, &ReferenceOr::Item(schema), pointer)?.0),
    };
    Ok(Model {
        name: name.to_owned(),
        docs,
        pointer: pointer.to_owned(),
        kind,
        availability,
        upstream_differs: super::versions::upstream_differs(
            &schema.schema_data.extensions,
            pointer,
        )?,
    })
}

/// The one object an `allOf` describes: the properties of every member (a `$ref` to an object
/// schema, itself maybe an `allOf`, or an inline object), in order, and every `required` list.
fn merge_all_of(
    context: &Context,
    all_of: &[ReferenceOr<Schema>],
    own: Option<openapiv3::ObjectType>,
    pointer: &str,
    depth: usize,
) -> Result<openapiv3::ObjectType, Error> {
    if depth > 16 {
        return Err(Error::at(
            pointer,
            "`allOf` members refer to each other in a cycle",
        ));
    }
    let mut merged = openapiv3::ObjectType::default();
    let mut add = |object: &openapiv3::ObjectType, member_pointer: &str| {
        for (name, property) in &object.properties {
            if merged
                .properties
                .insert(name.clone(), property.clone())
                .is_some()
            {
                return Err(Error::at(
                    child(&child(member_pointer, "properties"), name),
                    format!("property `{name}` is declared by two members of the `allOf`"),
                ));
            }
        }
        for name in &object.required {
            if !merged.required.contains(name) {
                merged.required.push(name.clone());
            }
        }
        Ok(())
    };
    for (index, member) in all_of.iter().enumerate() {
        let member_pointer = child(&child(pointer, "allOf"), index);
        let (schema, schema_pointer) = match member {
            ReferenceOr::Reference { reference } => {
                context.model_for_ref(reference, &member_pointer)?;
                let name = reference.trim_start_matches("#/components/schemas/");
                let schema = context.component(name).ok_or_else(|| {
                    Error::at(
                        &member_pointer,
                        format!("`{reference}` is itself only a $ref"),
                    )
                })?;
                (schema, context.schema_pointer(name))
            }
            ReferenceOr::Item(schema) => (schema, member_pointer.clone()),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => add(object, &schema_pointer)?,
            SchemaKind::AllOf { all_of } => {
                let inner = merge_all_of(context, all_of, None, &schema_pointer, depth + 1)?;
                add(&inner, &schema_pointer)?;
            }
            _ => {
                return Err(Error::at(
                    member_pointer,
                    "each member of an `allOf` must be an object schema (or a $ref to one); its properties are merged into one struct",
                ));
            }
        }
    }
    if let Some(own) = own {
        add(&own, pointer)?;
    }
    Ok(merged)
}

fn lower_struct(
    context: &Context,
    schema: &Schema,
    object: &openapiv3::ObjectType,
    model: &Availability,
    pointer: &str,
) -> Result<Struct, Error> {
    let properties_pointer = child(pointer, "properties");
    for required in &object.required {
        if !object.properties.contains_key(required) {
            return Err(Error::at(
                child(pointer, "required"),
                format!("required property `{required}` is not among the properties"),
            ));
        }
    }
    let mut fields = Vec::new();
    let mut taken = BTreeMap::new();
    for (wire, property) in &object.properties {
        let field_pointer = child(&properties_pointer, wire);
        let field = lower_field(
            context,
            wire,
            property,
            object.required.contains(wire),
            model,
            &field_pointer,
        )?;
        if let Some(other) = taken.insert(field.name.rust.clone(), wire.clone()) {
            return Err(Error::at(
                field_pointer,
                format!(
                    "properties `{other}` and `{wire}` both become the Rust field `{}`",
                    field.name.rust
                ),
            ));
        }
        fields.push(field);
    }
    let exactly_one_of = lower_exactly_one_of(schema, &fields, pointer)?;
    Ok(Struct {
        fields,
        exactly_one_of,
        validates: false,
    })
}

fn lower_field(
    context: &Context,
    wire: &str,
    property: &ReferenceOr<Box<Schema>>,
    required: bool,
    model: &Availability,
    pointer: &str,
) -> Result<Field, Error> {
    let rust = naming::snake_case(wire).ok_or_else(|| {
        Error::at(
            pointer,
            format!("property name `{wire}` has no letters or digits"),
        )
    })?;
    let (ty, checks) = type_and_checks(context, &boxed(property), pointer)?;
    if let ReferenceOr::Item(schema) = property {
        super::ids::note_untyped(context, schema, wire, pointer);
    }
    let (own, upstream_differs) = match property {
        ReferenceOr::Reference { .. } => (Availability::default(), None),
        ReferenceOr::Item(schema) => (
            context
                .versions()
                .read(&schema.schema_data.extensions, pointer)?,
            super::versions::upstream_differs(&schema.schema_data.extensions, pointer)?,
        ),
    };
    let availability = context.versions().within(own, model, required, pointer)?;
    let (docs, nullable, default) = match property {
        ReferenceOr::Reference { reference } => (
            context.referenced_docs(reference),
            false,
            context.referenced_default(reference),
        ),
        ReferenceOr::Item(schema) => (
            docs::required(schema.schema_data.description.as_ref(), pointer, "property")?,
            schema.schema_data.nullable,
            schema.schema_data.default.as_ref().map(ToString::to_string),
        ),
    };
    Ok(Field {
        name: FieldName {
            rust,
            wire: wire.to_owned(),
        },
        docs,
        ty,
        required,
        nullable,
        default,
        checks,
        pointer: pointer.to_owned(),
        boxed: false,
        availability,
        upstream_differs,
    })
}

fn lower_exactly_one_of(
    schema: &Schema,
    fields: &[Field],
    pointer: &str,
) -> Result<Vec<Vec<FieldName>>, Error> {
    let Some(value) = schema.schema_data.extensions.get(EXACTLY_ONE_OF) else {
        return Ok(Vec::new());
    };
    let pointer = child(pointer, EXACTLY_ONE_OF);
    let shape_error = || {
        Error::at(
            &pointer,
            format!("`{EXACTLY_ONE_OF}` must be a list of lists of property names"),
        )
    };
    let groups = value.as_array().ok_or_else(shape_error)?;
    groups
        .iter()
        .map(|group| {
            let names = group.as_array().filter(|names| names.len() >= 2).ok_or_else(shape_error)?;
            names
                .iter()
                .map(|name| {
                    let name = name.as_str().ok_or_else(shape_error)?;
                    let field = fields.iter().find(|field| field.name.wire == name);
                    match field {
                        Some(field) if !field.required => Ok(field.name.clone()),
                        Some(_) => Err(Error::at(&pointer, format!("property `{name}` is required, so it cannot be one of several alternatives"))),
                        None => Err(Error::at(&pointer, format!("`{name}` is not a property of this schema"))),
                    }
                })
                .collect()
        })
        .collect()
}

/// Boxes every field whose model holds, directly (not through an array, which is already a
/// pointer), the struct the field belongs to: without it a recursive schema has infinite size.
pub fn box_recursive_fields(models: &mut [Model]) {
    let direct: BTreeMap<String, Vec<String>> = models
        .iter()
        .map(|model| {
            let held = match &model.kind {
                ModelKind::Struct(object) => object
                    .fields
                    .iter()
                    .filter_map(|field| match &field.ty {
                        TypeRef::Model(name) => Some(name.clone()),
                        _ => None,
                    })
                    .collect(),
                ModelKind::Alias(TypeRef::Model(name)) => vec![name.clone()],
                _ => Vec::new(),
            };
            (model.name.clone(), held)
        })
        .collect();
    let reaches = |from: &str, target: &str| {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from.to_owned()];
        while let Some(name) = pending.pop() {
            if name == target {
                return true;
            }
            if seen.insert(name.clone()) {
                pending.extend(direct.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for model in models.iter_mut() {
        if let ModelKind::Struct(object) = &mut model.kind {
            for field in &mut object.fields {
                if let TypeRef::Model(held) = &field.ty {
                    field.boxed = reaches(held, &model.name);
                }
            }
        }
    }
}

/// Sets `validates` on every struct that has a constraint of its own or holds one that does,
/// adds `Check::Model` to the fields that hold such structs, and returns their names.
pub fn mark_validating(models: &mut [Model]) -> BTreeSet<String> {
    let mut validating = BTreeSet::new();
    loop {
        let before = validating.len();
        for model in models.iter() {
            if let ModelKind::Struct(object) = &model.kind {
                let own = !object.exactly_one_of.is_empty()
                    || object.fields.iter().any(|field| !field.checks.is_empty());
                let nested = object
                    .fields
                    .iter()
                    .any(|field| holds_model(&field.ty, &validating));
                if own || nested {
                    validating.insert(model.name.clone());
                }
            }
        }
        if validating.len() == before {
            break;
        }
    }
    for model in models.iter_mut() {
        if let ModelKind::Struct(object) = &mut model.kind {
            object.validates = validating.contains(&model.name);
            for field in &mut object.fields {
                add_model_check(&field.ty, &mut field.checks, &validating);
            }
        }
    }
    validating
}

fn holds_model(ty: &TypeRef, validating: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Model(name) => validating.contains(name),
        TypeRef::Array(item) => holds_model(item, validating),
        _ => false,
    }
}

/// Adds the check that runs a held model's own `validate`.
pub fn add_model_check(ty: &TypeRef, checks: &mut Vec<Check>, validating: &BTreeSet<String>) {
    match ty {
        TypeRef::Model(name) if validating.contains(name) => checks.push(Check::Model),
        TypeRef::Array(item) if holds_model(item, validating) => {
            let mut item_checks = match checks
                .iter()
                .position(|check| matches!(check, Check::Items(_)))
            {
                Some(index) => match checks.remove(index) {
                    Check::Items(inner) => inner,
                    _ => Vec::new(),
                },
                None => Vec::new(),
            };
            add_model_check(item, &mut item_checks, validating);
            checks.push(Check::Items(item_checks));
        }
        _ => {}
    }
}

/// Keeps `validate` only on the structs a request can carry (a JSON body, a parameter, or a
/// struct or list they hold): the SDK checks what it sends, and a model only responses carry
/// is decoded, never checked.
pub fn validate_only_what_requests_carry(models: &mut BTreeMap<String, Model>, groups: &[Group]) {
    fn push_models(ty: &TypeRef, stack: &mut Vec<String>) {
        match ty {
            TypeRef::Model(name) => stack.push(name.clone()),
            TypeRef::Array(item) => push_models(item, stack),
            _ => {}
        }
    }
    let mut stack = Vec::new();
    for method in groups.iter().flat_map(|group| &group.methods) {
        if let Some(Body::Json { model, .. }) = &method.body {
            stack.push(model.clone());
        }
        for param in method.arguments() {
            push_models(&param.ty, &mut stack);
        }
    }
    let mut carried = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !carried.insert(name.clone()) {
            continue;
        }
        match models.get(&name).map(|model| &model.kind) {
            Some(ModelKind::Struct(object)) => {
                for field in &object.fields {
                    push_models(&field.ty, &mut stack);
                }
            }
            Some(ModelKind::Alias(ty)) => push_models(ty, &mut stack),
            Some(ModelKind::Enum(_)) | None => {}
        }
    }
    for model in models.values_mut() {
        if let ModelKind::Struct(object) = &mut model.kind {
            object.validates &= carried.contains(&model.name);
        }
    }
}
