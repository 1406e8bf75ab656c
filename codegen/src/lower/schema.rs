//! The Rust type of any schema, and the constraints it states.

use super::{Context, constraint, ids};
use crate::Error;
use crate::error::child;
use crate::ir::{Check, Number, TypeRef};
use openapiv3::{
    IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

pub fn boxed(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<&Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// Whether a schema is inline `type: string, format: binary`: raw bytes.
pub fn is_binary(schema: &ReferenceOr<Schema>) -> bool {
    schema.as_item().is_some_and(is_binary_schema)
}

/// Whether a schema is `type: string, format: binary`.
pub fn is_binary_schema(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
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
            // A named scalar (a string alias, say) is that scalar wherever it is used, with its
            // own constraints: a `$ref` to `PersonId: {type: string}` is a `String`.
            let component = reference.trim_start_matches("#/components/schemas/");
            if let Some(scalar) = context
                .component(component)
                .filter(|schema| is_scalar(schema))
            {
                let component_pointer = child("#/components/schemas", component);
                return type_and_checks(context, &ReferenceOr::Item(scalar), &component_pointer);
            }
            let mut checks = Vec::new();
            if context.validates(&name) {
                checks.push(Check::Model);
            }
            Ok((TypeRef::Model(name), checks))
        }
        ReferenceOr::Item(schema) => {
            let ty = type_ref(context, schema, pointer)?;
            let checks = checks(context, schema, &ty, pointer)?;
            constraint::check_bounds(&checks, pointer)?;
            if let Some(default) = &schema.schema_data.default {
                constraint::check_default(default, &ty, &checks, pointer)?;
            }
            Ok((ty, checks))
        }
    }
}

/// Refuses a dangling or empty `$ref` anywhere in a schema that is not otherwise lowered
/// (the schema of an error response, say).
pub fn check_references(
    context: &Context,
    schema: &ReferenceOr<&Schema>,
    pointer: &str,
) -> Result<(), Error> {
    let schema = match schema {
        ReferenceOr::Reference { reference } => {
            return context.model_for_ref(reference, pointer).map(|_| ());
        }
        ReferenceOr::Item(schema) => schema,
    };
    let members = |key: &str, members: &[ReferenceOr<Schema>]| -> Result<(), Error> {
        for (index, member) in members.iter().enumerate() {
            check_references(
                context,
                &as_ref(member),
                &child(&child(pointer, key), index),
            )?;
        }
        Ok(())
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(items) = &array.items {
                check_references(context, &boxed(items), &child(pointer, "items"))?;
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            for (name, property) in &object.properties {
                let property_pointer = child(&child(pointer, "properties"), name);
                check_references(context, &boxed(property), &property_pointer)?;
            }
        }
        SchemaKind::OneOf { one_of } => members("oneOf", one_of)?,
        SchemaKind::AllOf { all_of } => members("allOf", all_of)?,
        SchemaKind::AnyOf { any_of } => members("anyOf", any_of)?,
        SchemaKind::Not { not } => {
            check_references(context, &as_ref(not), &child(pointer, "not"))?;
        }
        SchemaKind::Any(any) => {
            members("allOf", &any.all_of)?;
            members("oneOf", &any.one_of)?;
            members("anyOf", &any.any_of)?;
            for (name, property) in &any.properties {
                let property_pointer = child(&child(pointer, "properties"), name);
                check_references(context, &boxed(property), &property_pointer)?;
            }
            if let Some(items) = &any.items {
                check_references(context, &boxed(items), &child(pointer, "items"))?;
            }
        }
        SchemaKind::Type(_) => {}
    }
    Ok(())
}

/// A schema or reference as the borrowed form `type_and_checks` takes.
pub fn as_ref(schema: &ReferenceOr<Schema>) -> ReferenceOr<&Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// Whether a schema is a single boolean, integer, number or string that is not an enum.
fn is_scalar(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.enumeration.is_empty() && !is_binary_schema(schema)
        }
        SchemaKind::Type(Type::Boolean(_) | Type::Integer(_) | Type::Number(_)) => true,
        _ => false,
    }
}

/// The extension that makes a schema without `type` stand for any JSON value.
pub const ANY_EXTENSION: &str = "x-sdk-any";

/// Whether a schema says `x-sdk-any: true`; refused on a schema that states a type, which
/// would then mean two things.
pub fn says_any(schema: &Schema, pointer: &str) -> Result<bool, Error> {
    let Some(value) = schema.schema_data.extensions.get(ANY_EXTENSION) else {
        return Ok(false);
    };
    let pointer = child(pointer, ANY_EXTENSION);
    let untyped = matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default());
    match value.as_bool() {
        Some(true) if untyped => Ok(true),
        Some(_) if !untyped => Err(Error::at(
            pointer,
            format!(
                "`{ANY_EXTENSION}` is for a schema without `type` or other keywords; remove it, or remove the keywords to accept any JSON value"
            ),
        )),
        Some(_) => Ok(false),
        None => Err(Error::at(
            pointer,
            format!("`{ANY_EXTENSION}` must be `true` or `false`"),
        )),
    }
}

/// The Rust type of an inline schema.
pub fn type_ref(context: &Context, schema: &Schema, pointer: &str) -> Result<TypeRef, Error> {
    says_any(schema, pointer)?;
    ids::check_placement(schema, pointer)?;
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
        SchemaKind::Type(Type::String(string)) => ids::typed(
            context,
            schema,
            match &string.format {
                // Base64 text (`byte`) travels as the string it is.
                VariantOrUnknownOrEmpty::Empty
                | VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Ok(TypeRef::String),
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ok(TypeRef::DateTime),
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Err(Error::at(
                    pointer,
                    "`format: binary` is supported only as an `application/octet-stream` request body",
                )),
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => Ok(TypeRef::Uuid),
                // A URI travels as the string it is.
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uri" => Ok(TypeRef::String),
                VariantOrUnknownOrEmpty::Item(format) => Err(Error::at(
                    pointer,
                    format!("unsupported string format `{format:?}`"),
                )),
                VariantOrUnknownOrEmpty::Unknown(format) => Err(Error::at(
                    pointer,
                    format!("unsupported string format `{format}`"),
                )),
            }?,
            pointer,
        ),
        SchemaKind::Type(Type::Array(array)) => {
            let items = array
                .items
                .as_ref()
                .ok_or_else(|| Error::at(pointer, "an array schema needs `items`"))?;
            let (item, _) = type_and_checks(context, &boxed(items), &child(pointer, "items"))?;
            ids::list(context, schema, item, pointer)
        }
        SchemaKind::Type(Type::Object(_)) => Err(unsupported("an inline object schema")),
        SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => {
            if says_any(schema, pointer)? {
                Ok(TypeRef::Json)
            } else {
                Err(Error::at(
                    pointer,
                    format!(
                        "the schema has no `type`, so any value would pass unchecked; write its `type` (or a `$ref` to a named schema), or `{ANY_EXTENSION}: true` when any JSON value is meant"
                    ),
                ))
            }
        }
        SchemaKind::OneOf { .. } => Err(unsupported("`oneOf`")),
        // `allOf: [$ref]` is how a `$ref` gets a description of its own in OpenAPI 3.0.
        SchemaKind::AllOf { all_of } if all_of.len() == 1 && all_of[0].as_item().is_none() => {
            Ok(type_and_checks(
                context,
                &as_ref(&all_of[0]),
                &child(&child(pointer, "allOf"), 0),
            )?
            .0)
        }
        SchemaKind::AllOf { .. } => Err(Error::at(
            pointer,
            "an inline `allOf` is not supported here; define it under `components/schemas` (where its members are merged into one struct) and use a $ref",
        )),
        SchemaKind::Any(any) if !any.all_of.is_empty() => Err(Error::at(
            pointer,
            "an inline `allOf` is not supported here; define it under `components/schemas` (where its members are merged into one struct) and use a $ref",
        )),
        SchemaKind::AnyOf { .. } => Err(Error::at(pointer, "`anyOf` is not supported")),
        SchemaKind::Not { .. } => Err(Error::at(pointer, "`not` is not supported")),
        SchemaKind::Any(any) => Err(Error::at(
            pointer,
            match &any.typ {
                Some(typ) => format!(
                    "unsupported `type: {typ}`; write one of `boolean`, `integer`, `number`, `string`, `array` or `object`"
                ),
                None => "the schema has keywords but no `type`; write its `type`".to_owned(),
            },
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
                regex_lite::Regex::new(pattern).map_err(|error| {
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
