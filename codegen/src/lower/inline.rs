//! Naming of inline schemas: an inline object or enum that a property of a component schema
//! declares becomes a component schema of its own, so that it becomes a named Rust type.
//!
//! The rule: the inline schema of property `p` of schema `S` is named `S` + `P` (`p` in
//! PascalCase); the inline item schema of an array property `p` is named `S` + `P` + `Item`.
//! Nested inline schemas are named the same way from their new name. Inline objects and enums
//! anywhere else (parameters, bodies, responses) are refused with advice to name them.

use crate::error::child;
use crate::{Error, naming};
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeMap;

/// The spec with every inline property schema moved under `components/schemas`, and for each
/// moved schema the JSON pointer where the spec author wrote it.
pub fn hoist_inline_schemas(spec: &OpenAPI) -> Result<(OpenAPI, BTreeMap<String, String>), Error> {
    let mut spec = spec.clone();
    let mut origins: BTreeMap<String, String> = BTreeMap::new();
    let Some(components) = spec.components.as_mut() else {
        return Ok((spec, origins));
    };
    let mut pending: Vec<String> = components.schemas.keys().cloned().collect();
    while let Some(name) = pending.pop() {
        let origin = origins
            .get(&name)
            .cloned()
            .unwrap_or_else(|| child("#/components/schemas", &name));
        let Some(ReferenceOr::Item(schema)) = components.schemas.get(&name) else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        let mut object = object.clone();
        let mut hoisted = Vec::new();
        for (property, value) in &mut object.properties {
            let pointer = child(&child(&origin, "properties"), property);
            let Some(suffix) = naming::pascal_case(property) else {
                continue; // refused with its location when the property is lowered
            };
            let ReferenceOr::Item(inner) = value else {
                continue;
            };
            if needs_name(inner) {
                let new_name = format!("{name}{suffix}");
                hoisted.push((new_name.clone(), (**inner).clone(), pointer));
                *value = ReferenceOr::ref_(&format!("#/components/schemas/{new_name}"));
            } else if let SchemaKind::Type(Type::Array(array)) = &mut inner.schema_kind
                && let Some(ReferenceOr::Item(item)) = &array.items
                && needs_name(item)
            {
                let new_name = format!("{name}{suffix}Item");
                hoisted.push((new_name.clone(), (**item).clone(), child(&pointer, "items")));
                array.items = Some(ReferenceOr::ref_(&format!(
                    "#/components/schemas/{new_name}"
                )));
            }
        }
        if hoisted.is_empty() {
            continue;
        }
        if let Some(ReferenceOr::Item(schema)) = components.schemas.get_mut(&name) {
            schema.schema_kind = SchemaKind::Type(Type::Object(object));
        }
        for (new_name, schema, pointer) in hoisted {
            if components.schemas.contains_key(&new_name) {
                return Err(Error::at(
                    pointer,
                    format!(
                        "this inline schema would be named `{new_name}`, which a component schema already is; define it under `components/schemas` with a name of your own and use a $ref"
                    ),
                ));
            }
            components
                .schemas
                .insert(new_name.clone(), ReferenceOr::Item(schema));
            origins.insert(new_name.clone(), pointer);
            pending.push(new_name);
        }
    }
    Ok((spec, origins))
}

/// An inline object with properties, or an inline string enum: what needs a type name.
fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        _ => false,
    }
}
