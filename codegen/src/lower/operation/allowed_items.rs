//! `x-sdk-allowed-items`: which items a list parameter may hold, by the value of another
//! parameter of the same operation (the face attributes a detection model returns, say).

use crate::Error;
use crate::error::child;
use crate::ir::{AllowedItems, ModelKind, Param, TypeRef};
use crate::lower::Context;
use openapiv3::Parameter;
use serde_json::Value;

/// The extension on a list parameter: a list of
/// `{parameter, default?, values: {controlValue: [allowed items]}}`.
const EXTENSION: &str = "x-sdk-allowed-items";

/// The rules of the parameter at `index`, checked against the operation's other parameters.
pub fn lower_allowed_items(
    context: &Context,
    params: &[Param],
    index: usize,
    parameter: &Parameter,
    pointer: &str,
) -> Result<Vec<AllowedItems>, Error> {
    let Some(value) = parameter.parameter_data_ref().extensions.get(EXTENSION) else {
        return Ok(Vec::new());
    };
    let pointer = child(pointer, EXTENSION);
    let Some(TypeRef::Array(item)) = params.get(index).map(|param| &param.ty) else {
        return Err(Error::at(
            &pointer,
            "only a list parameter can limit its items",
        ));
    };
    let known = item_values(context, item)
        .ok_or_else(|| Error::at(&pointer, "the items must be strings or a string enum"))?;
    let rules = value
        .as_array()
        .ok_or_else(|| Error::at(&pointer, format!("`{EXTENSION}` must be a list of rules")))?;
    rules
        .iter()
        .enumerate()
        .map(|(rule_index, rule)| {
            lower_rule(context, params, &known, rule, &child(&pointer, rule_index))
        })
        .collect()
}

fn lower_rule(
    context: &Context,
    params: &[Param],
    known: &ItemValues,
    rule: &Value,
    pointer: &str,
) -> Result<AllowedItems, Error> {
    let name = rule
        .get("parameter")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Error::at(
                pointer,
                "`parameter` must name another parameter of the operation",
            )
        })?;
    let control = params
        .iter()
        .find(|param| param.name.wire == name && item_values(context, &param.ty).is_some())
        .ok_or_else(|| {
            Error::at(
                pointer,
                format!("`{name}` is not a string or enum parameter of the operation"),
            )
        })?;
    let default = rule.get("default").and_then(Value::as_str);
    if !control.required && default.is_none() {
        return Err(Error::at(
            pointer,
            format!("`{name}` is optional, so the rule needs its `default`"),
        ));
    }
    let values = rule
        .get("values")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            Error::at(
                pointer,
                "`values` must map values of the parameter to lists of items",
            )
        })?;
    let mut table = Vec::new();
    for (control_value, allowed) in values {
        let entry_pointer = child(&child(pointer, "values"), control_value);
        let allowed: Vec<String> = allowed
            .as_array()
            .and_then(|items| {
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect()
            })
            .ok_or_else(|| Error::at(&entry_pointer, "each value must map to a list of items"))?;
        if let Some(unknown) = allowed
            .iter()
            .find(|item| matches!(known, ItemValues::Enum(values) if !values.contains(item)))
        {
            return Err(Error::at(
                entry_pointer,
                format!("`{unknown}` is not a value of the items' enum"),
            ));
        }
        table.push((control_value.clone(), allowed));
    }
    Ok(AllowedItems {
        control: control.name.clone(),
        control_required: control.required,
        default: default.unwrap_or_default().to_owned(),
        table,
    })
}

/// What the items of a list parameter may be.
enum ItemValues {
    /// Any string.
    AnyString,
    /// The values (and aliases) of a string enum.
    Enum(Vec<String>),
}

/// The values of plain strings or of a string enum, `None` for any other type.
fn item_values(context: &Context, ty: &TypeRef) -> Option<ItemValues> {
    match ty {
        TypeRef::String => Some(ItemValues::AnyString),
        TypeRef::Model(name) => match context.models.get(name).map(|model| &model.kind) {
            Some(ModelKind::Enum(string_enum)) => Some(ItemValues::Enum(
                string_enum
                    .variants
                    .iter()
                    .flat_map(|variant| {
                        std::iter::once(variant.wire.clone()).chain(variant.aliases.iter().cloned())
                    })
                    .collect(),
            )),
            _ => None,
        },
        _ => None,
    }
}
