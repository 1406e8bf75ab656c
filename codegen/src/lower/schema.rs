//! Lowering of schemas: named models, the Rust type of any schema, and its constraints.

use super::{Context, docs};
use crate::error::child;
use crate::ir::{
    Check, Field, FieldName, Model, ModelKind, Number, StringEnum, Struct, TypeRef, Variant,
};
use crate::{Error, naming};
use openapiv3::{
    IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// The name of the enum variant that holds values the spec does not list.
const FALLBACK_VARIANT: &str = "Unrecognized";
/// The extension that lists groups of properties of which exactly one must be set.
const EXACTLY_ONE_OF: &str = "x-sdk-exactly-one-of";
/// The extension that maps enum values to the value they are another spelling of.
const ENUM_ALIASES: &str = "x-sdk-enum-aliases";

/// Component schema name → Rust type name, refusing two schemas with one Rust name.
pub fn model_names(spec: &OpenAPI) -> Result<BTreeMap<String, String>, Error> {
    let mut names = BTreeMap::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for name in spec
        .components
        .iter()
        .flat_map(|components| components.schemas.keys())
    {
        let pointer = child("#/components/schemas", name);
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

/// One model per component schema, in spec order.
pub fn lower_models(context: &Context) -> Result<Vec<Model>, Error> {
    let schemas = context
        .spec
        .components
        .iter()
        .flat_map(|components| components.schemas.iter());
    schemas
        .map(|(name, schema)| {
            let pointer = child("#/components/schemas", name);
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

fn lower_model(
    context: &Context,
    name: &str,
    schema: &Schema,
    pointer: &str,
) -> Result<Model, Error> {
    let docs = docs::required(schema.schema_data.description.as_ref(), pointer, "schema")?;
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            ModelKind::Struct(lower_struct(context, schema, object, pointer)?)
        }
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            ModelKind::Enum(lower_enum(schema, &string.enumeration, pointer)?)
        }
        _ => ModelKind::Alias(type_ref(context, schema, pointer)?),
    };
    Ok(Model {
        name: name.to_owned(),
        docs,
        pointer: pointer.to_owned(),
        kind,
    })
}

fn lower_struct(
    context: &Context,
    schema: &Schema,
    object: &openapiv3::ObjectType,
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
    pointer: &str,
) -> Result<Field, Error> {
    let rust = naming::snake_case(wire).ok_or_else(|| {
        Error::at(
            pointer,
            format!("property name `{wire}` has no letters or digits"),
        )
    })?;
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
    let (ty, checks) = type_and_checks(context, &boxed(property), pointer)?;
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

fn lower_enum(
    schema: &Schema,
    values: &[Option<String>],
    pointer: &str,
) -> Result<StringEnum, Error> {
    let aliases = enum_aliases(schema, values, pointer)?;
    let mut variants: Vec<Variant> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let value_pointer = child(&child(pointer, "enum"), index);
        let wire = value
            .as_ref()
            .ok_or_else(|| Error::at(&value_pointer, "null is not supported as an enum value"))?;
        if aliases.contains_key(wire) {
            continue;
        }
        let name = naming::pascal_case(wire).ok_or_else(|| {
            Error::at(
                &value_pointer,
                format!("enum value `{wire}` has no letters or digits"),
            )
        })?;
        if name == FALLBACK_VARIANT {
            return Err(Error::at(
                value_pointer,
                format!(
                    "enum value `{wire}` becomes `{name}`, the variant kept for values the spec does not list"
                ),
            ));
        }
        if let Some(other) = variants.iter().find(|variant| variant.name == name) {
            return Err(Error::at(
                value_pointer,
                format!(
                    "enum values `{}` and `{wire}` both become the variant `{name}`",
                    other.wire
                ),
            ));
        }
        let own_aliases = aliases
            .iter()
            .filter(|(_, target)| *target == wire)
            .map(|(alias, _)| alias.clone())
            .collect();
        variants.push(Variant {
            name,
            wire: wire.clone(),
            aliases: own_aliases,
        });
    }
    Ok(StringEnum {
        variants,
        fallback: FALLBACK_VARIANT.to_owned(),
    })
}

/// `x-sdk-enum-aliases`: listed values that decode into the variant of another listed value.
fn enum_aliases(
    schema: &Schema,
    values: &[Option<String>],
    pointer: &str,
) -> Result<BTreeMap<String, String>, Error> {
    let Some(value) = schema.schema_data.extensions.get(ENUM_ALIASES) else {
        return Ok(BTreeMap::new());
    };
    let pointer = child(pointer, ENUM_ALIASES);
    let listed = |wire: &str| values.iter().any(|value| value.as_deref() == Some(wire));
    let map = value.as_object().ok_or_else(|| {
        Error::at(
            &pointer,
            format!("`{ENUM_ALIASES}` must map alias values to the values they stand for"),
        )
    })?;
    let mut aliases = BTreeMap::new();
    for (alias, target) in map {
        let target = target
            .as_str()
            .filter(|target| listed(target) && !map.contains_key(*target));
        match target {
            Some(target) if listed(alias) => aliases.insert(alias.clone(), target.to_owned()),
            _ => {
                return Err(Error::at(
                    &pointer,
                    format!(
                        "alias `{alias}` and what it stands for must both be enum values, and the latter no alias"
                    ),
                ));
            }
        };
    }
    Ok(aliases)
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

fn boxed(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<&Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// The Rust type of a schema or reference, and the constraints it states.
pub fn type_and_checks(
    context: &Context,
    schema: &ReferenceOr<&Schema>,
    pointer: &str,
) -> Result<(TypeRef, Vec<Check>), Error> {
    match schema {
        ReferenceOr::Reference { reference } => {
            let name = context.model_for_ref(reference, pointer)?;
            let mut checks = Vec::new();
            if context.validates(&name) {
                checks.push(Check::Model);
            }
            Ok((TypeRef::Model(name), checks))
        }
        ReferenceOr::Item(schema) => {
            let ty = type_ref(context, schema, pointer)?;
            let checks = checks(context, schema, &ty, pointer)?;
            Ok((ty, checks))
        }
    }
}

/// The Rust type of an inline schema.
pub fn type_ref(context: &Context, schema: &Schema, pointer: &str) -> Result<TypeRef, Error> {
    let unsupported = |what: &str| {
        Error::at(
            pointer,
            format!(
                "{what} is not supported here; define it under `components/schemas` and use a $ref"
            ),
        )
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
        SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Ok(TypeRef::I32),
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64)
            | VariantOrUnknownOrEmpty::Empty => Ok(TypeRef::I64),
            VariantOrUnknownOrEmpty::Unknown(format) => Err(Error::at(
                pointer,
                format!("unsupported integer format `{format}`"),
            )),
        },
        SchemaKind::Type(Type::Number(number)) => match &number.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Ok(TypeRef::F32),
            VariantOrUnknownOrEmpty::Item(NumberFormat::Double)
            | VariantOrUnknownOrEmpty::Empty => Ok(TypeRef::F64),
            VariantOrUnknownOrEmpty::Unknown(format) => Err(Error::at(
                pointer,
                format!("unsupported number format `{format}`"),
            )),
        },
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            Err(unsupported("an inline enum"))
        }
        SchemaKind::Type(Type::String(string)) => match &string.format {
            VariantOrUnknownOrEmpty::Empty => Ok(TypeRef::String),
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ok(TypeRef::DateTime),
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Err(Error::at(
                pointer,
                "`format: binary` is supported only as an `application/octet-stream` request body",
            )),
            VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => Ok(TypeRef::Uuid),
            VariantOrUnknownOrEmpty::Item(format) => Err(Error::at(
                pointer,
                format!("unsupported string format `{format:?}`"),
            )),
            VariantOrUnknownOrEmpty::Unknown(format) => Err(Error::at(
                pointer,
                format!("unsupported string format `{format}`"),
            )),
        },
        SchemaKind::Type(Type::Array(array)) => {
            let items = array
                .items
                .as_ref()
                .ok_or_else(|| Error::at(pointer, "an array schema needs `items`"))?;
            let (item, _) = type_and_checks(context, &boxed(items), &child(pointer, "items"))?;
            Ok(TypeRef::Array(Box::new(item)))
        }
        SchemaKind::Type(Type::Object(_)) => Err(unsupported("an inline object schema")),
        SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => Ok(TypeRef::Json),
        SchemaKind::OneOf { .. } => Err(unsupported("`oneOf`")),
        SchemaKind::AllOf { .. } => Err(Error::at(
            pointer,
            "`allOf` is not supported; list the properties in one object schema",
        )),
        SchemaKind::AnyOf { .. } => Err(Error::at(pointer, "`anyOf` is not supported")),
        SchemaKind::Not { .. } => Err(Error::at(pointer, "`not` is not supported")),
        SchemaKind::Any(_) => Err(Error::at(
            pointer,
            "a schema without a single `type` is not supported",
        )),
    }
}

/// The constraints an inline schema states about a value of type `ty`.
fn checks(
    context: &Context,
    schema: &Schema,
    ty: &TypeRef,
    pointer: &str,
) -> Result<Vec<Check>, Error> {
    let mut checks = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => {
            if let Some(bound) = integer.minimum {
                checks.push(Check::Minimum {
                    bound: integer_bound(bound, ty, &child(pointer, "minimum"))?,
                    exclusive: integer.exclusive_minimum,
                });
            }
            if let Some(bound) = integer.maximum {
                checks.push(Check::Maximum {
                    bound: integer_bound(bound, ty, &child(pointer, "maximum"))?,
                    exclusive: integer.exclusive_maximum,
                });
            }
        }
        SchemaKind::Type(Type::Number(number)) => {
            let bound = |value: f64, key: &str| {
                if !value.is_finite() || (*ty == TypeRef::F32 && !(value as f32).is_finite()) {
                    return Err(Error::at(
                        child(pointer, key),
                        format!("bound {value} is not a finite number of this format"),
                    ));
                }
                Ok(if *ty == TypeRef::F32 {
                    Number::F32(value as f32)
                } else {
                    Number::F64(value)
                })
            };
            if let Some(value) = number.minimum {
                checks.push(Check::Minimum {
                    bound: bound(value, "minimum")?,
                    exclusive: number.exclusive_minimum,
                });
            }
            if let Some(value) = number.maximum {
                checks.push(Check::Maximum {
                    bound: bound(value, "maximum")?,
                    exclusive: number.exclusive_maximum,
                });
            }
        }
        SchemaKind::Type(Type::String(string)) => {
            checks.extend(
                string
                    .min_length
                    .map(|length| Check::MinLength(length as u64)),
            );
            checks.extend(
                string
                    .max_length
                    .map(|length| Check::MaxLength(length as u64)),
            );
            if let Some(pattern) = &string.pattern {
                regex::Regex::new(pattern).map_err(|error| {
                    Error::at(
                        child(pointer, "pattern"),
                        format!("invalid pattern `{pattern}`: {error}"),
                    )
                })?;
                checks.push(Check::Pattern(pattern.clone()));
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            checks.extend(array.min_items.map(|count| Check::MinItems(count as u64)));
            checks.extend(array.max_items.map(|count| Check::MaxItems(count as u64)));
            if let Some(items) = &array.items {
                let (_, item_checks) =
                    type_and_checks(context, &boxed(items), &child(pointer, "items"))?;
                if !item_checks.is_empty() {
                    checks.push(Check::Items(item_checks));
                }
            }
        }
        _ => {}
    }
    Ok(checks)
}

fn integer_bound(value: i64, ty: &TypeRef, pointer: &str) -> Result<Number, Error> {
    match ty {
        TypeRef::I32 => i32::try_from(value).map(Number::I32).map_err(|_| {
            Error::at(
                pointer,
                format!("bound {value} does not fit the `int32` format"),
            )
        }),
        _ => Ok(Number::I64(value)),
    }
}
