//! Lowering of string enums: one variant per listed value, aliases, and the variant that
//! keeps values the spec does not list.

use super::versions::Versions;
use crate::error::child;
use crate::ir::{Availability, StringEnum, Variant};
use crate::{Error, naming};
use openapiv3::Schema;
use std::collections::BTreeMap;

/// The name of the enum variant that holds values the spec does not list.
const FALLBACK_VARIANT: &str = "Unrecognized";
/// The extension that maps enum values to the value they are another spelling of.
const ENUM_ALIASES: &str = "x-sdk-enum-aliases";

pub fn lower_enum(
    versions: &Versions,
    schema: &Schema,
    values: &[Option<String>],
    model: &Availability,
    pointer: &str,
) -> Result<StringEnum, Error> {
    let aliases = enum_aliases(schema, values, pointer)?;
    let mut availability = versions.values(&schema.schema_data.extensions, values, pointer)?;
    if let Some(default) = &schema.schema_data.default
        && !values
            .iter()
            .any(|value| value.as_deref() == default.as_str())
    {
        return Err(Error::at(
            child(pointer, "default"),
            format!(
                "the default {default} is not one of the enum's values; write one of them, or no default"
            ),
        ));
    }
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
        let own = availability.remove(wire).unwrap_or_default();
        variants.push(Variant {
            name,
            wire: wire.clone(),
            aliases: own_aliases,
            availability: versions.within(own, model, false, &value_pointer)?,
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
