//! Lowering of the parameters of an operation: path, query and header parameters, checked
//! against the path template, and the check that no two arguments of a method collide.

use super::{Source, allowed_items};
use crate::error::child;
use crate::ir::{FieldName, Location, ModelKind, Param, TypeRef};
use crate::lower::{docs, resolve, schema};
use crate::{Error, naming};
use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};
use std::collections::BTreeMap;

/// Refuses arguments of one method (parameters and body parameters) whose Rust names collide
/// with each other or with the builder's own methods.
pub fn check_names(params: &[&Param], pointer: &str) -> Result<(), Error> {
    let mut taken = BTreeMap::new();
    for param in params {
        let rust = param.name.rust.trim_start_matches("r#");
        if naming::BUILDER_METHODS.contains(&rust) {
            return Err(Error::at(
                pointer,
                format!(
                    "parameter `{}` becomes `{rust}`, a name every builder already uses",
                    param.name.wire
                ),
            ));
        }
        if let Some(other) = taken.insert(param.name.rust.clone(), param.name.wire.clone()) {
            return Err(Error::at(
                pointer,
                format!(
                    "parameters `{other}` and `{}` both become `{}`",
                    param.name.wire, param.name.rust
                ),
            ));
        }
    }
    Ok(())
}

pub fn lower_parameters(source: &Source) -> Result<Vec<Param>, Error> {
    let spec = source.context.spec;
    let mut resolved: Vec<(&Parameter, String)> = Vec::new();
    let item_params = source
        .item
        .parameters
        .iter()
        .enumerate()
        .map(|(index, param)| {
            (
                param,
                child(&child(&source.path_pointer, "parameters"), index),
            )
        });
    let operation_params = source
        .operation
        .parameters
        .iter()
        .enumerate()
        .map(|(index, param)| (param, child(&child(&source.pointer, "parameters"), index)));
    for (param, pointer) in item_params.chain(operation_params) {
        let (param, pointer) = resolve::parameter(spec, param, &pointer)?;
        let data = param.parameter_data_ref();
        resolved.retain(|(other, _)| {
            other.parameter_data_ref().name != data.name
                || std::mem::discriminant(*other) != std::mem::discriminant(param)
        });
        resolved.push((param, pointer));
    }
    let mut params: Vec<Param> = resolved
        .iter()
        .map(|(param, pointer)| lower_parameter(source, param, pointer))
        .collect::<Result<_, _>>()?;
    for (index, (param, pointer)) in resolved.iter().enumerate() {
        let rules =
            allowed_items::lower_allowed_items(source.context, &params, index, param, pointer)?;
        if let Some(param) = params.get_mut(index) {
            param.allowed_items = rules;
        }
    }
    let template_names = path_template_names(source.path);
    for param in params
        .iter()
        .filter(|param| param.location == Location::Path)
    {
        if !template_names.contains(&param.name.wire) {
            return Err(Error::at(
                &source.pointer,
                format!(
                    "path parameter `{}` does not appear in the path `{}`",
                    param.name.wire, source.path
                ),
            ));
        }
    }
    for name in &template_names {
        if !params
            .iter()
            .any(|param| param.location == Location::Path && &param.name.wire == name)
        {
            return Err(Error::at(
                &source.pointer,
                format!(
                    "the path `{}` uses `{{{name}}}` but no path parameter declares it",
                    source.path
                ),
            ));
        }
    }
    params.sort_by_key(|param| match param.location {
        Location::Path => template_names
            .iter()
            .position(|name| name == &param.name.wire)
            .unwrap_or(0),
        _ => template_names.len(),
    });
    Ok(params)
}

fn path_template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}'))
        .map(|(name, _)| name.to_owned())
        .collect()
}

fn lower_parameter(source: &Source, param: &Parameter, pointer: &str) -> Result<Param, Error> {
    let context = source.context;
    let data = param.parameter_data_ref();
    let own = context.versions().read(&data.extensions, pointer)?;
    let availability =
        context
            .versions()
            .within(own, &source.availability, data.required, pointer)?;
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => schema,
        ParameterSchemaOrContent::Content(_) => {
            return Err(Error::at(
                pointer,
                "parameters with `content` are not supported; use `schema`",
            ));
        }
    };
    let schema_pointer = child(pointer, "schema");
    crate::lower::ids::refuse_on_parameter(&data.extensions, pointer)?;
    let (ty, checks) = schema::type_and_checks(context, &schema::as_ref(schema), &schema_pointer)?;
    if let ReferenceOr::Item(item) = schema {
        crate::lower::ids::note_untyped(context, item, &data.name, &schema_pointer);
    }
    if matches!(ty, TypeRef::AllOr { .. }) {
        return Err(Error::at(
            child(&schema_pointer, crate::lower::ids::ALL_ITEMS_EXTENSION),
            format!(
                "`{}` is supported on a property of a JSON body, not on a parameter",
                crate::lower::ids::ALL_ITEMS_EXTENSION
            ),
        ));
    }
    let is_array = matches!(ty, TypeRef::Array(_));
    let location = match param {
        Parameter::Path { .. } if !data.required => {
            return Err(Error::at(pointer, "a path parameter must be required"));
        }
        Parameter::Path { style, .. } if *style != openapiv3::PathStyle::Simple || is_array => {
            return Err(Error::at(
                pointer,
                "only single-value path parameters of style `simple` are supported",
            ));
        }
        Parameter::Path { .. } => Location::Path,
        Parameter::Query {
            style: QueryStyle::Form,
            ..
        } if is_array && data.explode != Some(false) => {
            return Err(Error::at(
                pointer,
                "array query parameters must be `style: form, explode: false` (one key, items joined by commas)",
            ));
        }
        Parameter::Query {
            style: QueryStyle::Form,
            ..
        } => Location::Query,
        Parameter::Query { .. } => {
            return Err(Error::at(
                pointer,
                "only query parameters of style `form` are supported",
            ));
        }
        Parameter::Header { .. } if is_array => {
            return Err(Error::at(
                pointer,
                "array header parameters are not supported",
            ));
        }
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => {
            return Err(Error::at(pointer, "cookie parameters are not supported"));
        }
    };
    if let TypeRef::Model(name) = &ty
        && !matches!(
            context.models.get(name).map(|model| &model.kind),
            Some(ModelKind::Enum(_))
        )
    {
        return Err(Error::at(
            &schema_pointer,
            "a parameter can refer only to an enum schema",
        ));
    }
    let rust = naming::snake_case(&data.name).ok_or_else(|| {
        Error::at(
            pointer,
            format!("parameter name `{}` has no letters or digits", data.name),
        )
    })?;
    let default = match schema {
        ReferenceOr::Item(schema) => schema.schema_data.default.as_ref().map(ToString::to_string),
        ReferenceOr::Reference { reference } => context.referenced_default(reference),
    };
    Ok(Param {
        name: FieldName {
            rust,
            wire: data.name.clone(),
        },
        docs: docs::required(data.description.as_ref(), pointer, "parameter")?,
        location,
        ty,
        required: data.required,
        default,
        checks,
        allowed_items: Vec::new(),
        availability,
        upstream_differs: crate::lower::versions::upstream_differs(&data.extensions, pointer)?,
    })
}
