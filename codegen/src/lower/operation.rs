//! Lowering of paths and operations into groups of methods.

use super::{Context, docs, resolve, schema};
use crate::error::child;
use crate::ir::{
    FieldName, Group, HttpMethod, Location, Method, ModelKind, Param, Response, TypeRef,
};
use crate::{Error, naming};
use openapiv3::{
    Operation, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, Schema,
    StatusCode,
};
use std::collections::BTreeMap;

mod body;
mod long_running;
mod pagination;

/// Names a method by one body form of an operation with several.
const METHOD_EXTENSION: &str = "x-sdk-method";

/// All operations, as methods grouped by the first part of their `Group_Method` ids.
pub fn lower_groups(context: &Context, base_path: &str) -> Result<Vec<Group>, Error> {
    let mut groups: BTreeMap<String, Vec<Method>> = BTreeMap::new();
    let mut pending: Vec<long_running::Pending> = Vec::new();
    let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &context.spec.paths.paths {
        let path_pointer = child("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            return Err(Error::at(
                path_pointer,
                "a path item that is a $ref is not supported",
            ));
        };
        for (http_method, name, operation) in operations(item, &path_pointer)? {
            let pointer = child(&path_pointer, name);
            let id = operation
                .operation_id
                .as_deref()
                .ok_or_else(|| Error::at(&pointer, "the operation has no operationId"))?;
            if let Some(other) = operation_ids.insert(id.to_owned(), pointer.clone()) {
                return Err(Error::at(
                    child(&pointer, "operationId"),
                    format!("duplicate operationId `{id}`, first used at {other}"),
                ));
            }
            let (group, method) = split_operation_id(id, &child(&pointer, "operationId"))?;
            let source = Source {
                context,
                base_path,
                path,
                item,
                operation,
                http_method,
                pointer: pointer.clone(),
                path_pointer: path_pointer.clone(),
                default_name: method,
            };
            let methods = lower_operation(&source)?;
            if let Some(value) = operation.extensions.get(long_running::EXTENSION) {
                let pointer = child(&pointer, long_running::EXTENSION);
                pending.extend(methods.iter().map(|method| long_running::Pending {
                    group: group.clone(),
                    method: method.name.clone(),
                    value: value.clone(),
                    pointer: pointer.clone(),
                }));
            }
            groups.entry(group).or_default().extend(methods);
        }
    }
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(module, methods)| lower_group(context, module, methods))
        .collect::<Result<_, _>>()?;
    long_running::resolve(context, &mut groups, pending)?;
    Ok(groups)
}

/// Everything one operation is lowered from.
pub(super) struct Source<'a> {
    pub context: &'a Context<'a>,
    pub base_path: &'a str,
    pub path: &'a str,
    pub item: &'a PathItem,
    pub operation: &'a Operation,
    pub http_method: HttpMethod,
    pub pointer: String,
    /// The pointer of the path item.
    pub path_pointer: String,
    /// The snake_case method name from the operationId.
    pub default_name: String,
}

fn operations<'a>(
    item: &'a PathItem,
    pointer: &str,
) -> Result<Vec<(HttpMethod, &'static str, &'a Operation)>, Error> {
    for (name, operation) in [
        ("head", &item.head),
        ("options", &item.options),
        ("trace", &item.trace),
    ] {
        if operation.is_some() {
            return Err(Error::at(
                child(pointer, name),
                format!("`{name}` operations are not supported"),
            ));
        }
    }
    let all = [
        (HttpMethod::Get, "get", &item.get),
        (HttpMethod::Put, "put", &item.put),
        (HttpMethod::Post, "post", &item.post),
        (HttpMethod::Delete, "delete", &item.delete),
        (HttpMethod::Patch, "patch", &item.patch),
    ];
    Ok(all
        .into_iter()
        .filter_map(|(method, name, operation)| {
            operation
                .as_ref()
                .map(|operation| (method, name, operation))
        })
        .collect())
}

/// `FaceList_AddFace` → (`face_list`, `add_face`).
fn split_operation_id(id: &str, pointer: &str) -> Result<(String, String), Error> {
    let invalid = || {
        Error::at(
            pointer,
            format!("operationId `{id}` is not of the form `Group_Method`"),
        )
    };
    let (group, method) = id.split_once('_').ok_or_else(invalid)?;
    Ok((
        naming::snake_case(group).ok_or_else(invalid)?,
        naming::snake_case(method).ok_or_else(invalid)?,
    ))
}

fn lower_group(
    context: &Context,
    module: String,
    mut methods: Vec<Method>,
) -> Result<Group, Error> {
    methods.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = methods.windows(2).find(|pair| pair[0].name == pair[1].name) {
        return Err(Error::at(
            &pair[1].pointer,
            format!(
                "two operations of group `{module}` become the method `{}`",
                pair[0].name
            ),
        ));
    }
    let tag = context
        .spec
        .tags
        .iter()
        .find(|tag| naming::snake_case(&tag.name).as_deref() == Some(module.as_str()));
    let mut docs = docs::optional(tag.and_then(|tag| tag.description.as_ref()));
    if docs.is_empty() {
        docs.push(format!("The operations of the `{module}` group."));
    }
    Ok(Group {
        type_name: naming::group_type_name(&module),
        module,
        docs,
        methods,
    })
}

/// One operation becomes one method per body form.
fn lower_operation(source: &Source) -> Result<Vec<Method>, Error> {
    let mut docs = docs::optional(source.operation.summary.as_ref());
    let description = docs::optional(source.operation.description.as_ref());
    if !docs.is_empty() && !description.is_empty() {
        docs.push(String::new());
    }
    docs.extend(description);
    if docs.is_empty() {
        return Err(Error::at(
            &source.pointer,
            "the operation has neither summary nor description; they become the method's documentation",
        ));
    }
    let params = lower_parameters(source)?;
    let response = lower_response(source)?;
    let forms = body::lower_body_forms(source)?;
    forms
        .into_iter()
        .map(|form| {
            let mut all_params = params.clone();
            all_params.extend(form.params);
            let params = order_params(all_params, &form.pointer)?;
            let pagination = pagination::lower_pagination(source, &params, &response)?;
            Ok(Method {
                builder: naming::builder_name(&form.name),
                name: form.name,
                operation_id: source.operation.operation_id.clone().unwrap_or_default(),
                http_method: source.http_method,
                path: format!("{}{}", source.base_path, source.path),
                docs: docs.clone(),
                pointer: form.pointer,
                params,
                body: form.body,
                response: response.clone(),
                pagination,
                long_running: None,
            })
        })
        .collect()
}

/// Positional parameters first, in the order they are declared (path, query and header, then
/// the body's `required` list); then the optional ones. Refuses names that collide.
fn order_params(params: Vec<Param>, pointer: &str) -> Result<Vec<Param>, Error> {
    let mut taken = BTreeMap::new();
    for param in &params {
        let rust = param.name.rust.trim_start_matches("r#");
        if naming::BUILDER_METHODS.contains(&rust) || ["client", "options"].contains(&rust) {
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
    let (required, optional): (Vec<Param>, Vec<Param>) =
        params.into_iter().partition(|param| param.required);
    Ok(required.into_iter().chain(optional).collect())
}

fn lower_parameters(source: &Source) -> Result<Vec<Param>, Error> {
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
        .map(|(param, pointer)| lower_parameter(source.context, param, pointer))
        .collect::<Result<_, _>>()?;
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

fn lower_parameter(context: &Context, param: &Parameter, pointer: &str) -> Result<Param, Error> {
    let data = param.parameter_data_ref();
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
    let (ty, checks) = schema::type_and_checks(context, &as_ref(schema), &schema_pointer)?;
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
    })
}

fn as_ref(schema: &ReferenceOr<Schema>) -> ReferenceOr<&Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// The one success response: its status and the type of its JSON body, if any.
fn lower_response(source: &Source) -> Result<Response, Error> {
    let responses_pointer = child(&source.pointer, "responses");
    let mut successes =
        source
            .operation
            .responses
            .responses
            .iter()
            .filter_map(|(status, response)| match status {
                StatusCode::Code(code) if (200..300).contains(code) => Some(Ok((*code, response))),
                StatusCode::Range(2) => Some(Err(Error::at(
                    child(&responses_pointer, "2XX"),
                    "a range of success statuses is not supported; name the status",
                ))),
                _ => None,
            });
    let (status, response) = successes
        .next()
        .ok_or_else(|| Error::at(&responses_pointer, "the operation declares no 2xx response"))??;
    if successes.next().is_some() {
        return Err(Error::at(
            &responses_pointer,
            "more than one 2xx response is not supported",
        ));
    }
    let pointer = child(&responses_pointer, status);
    let (response, pointer) = resolve::response(source.context.spec, response, &pointer)?;
    let mut content = response.content.iter();
    let body = match content.next() {
        None => None,
        Some((media_type, _)) if content.next().is_some() => {
            return Err(Error::at(
                child(&pointer, "content"),
                format!("more than one response media type (`{media_type}`, …) is not supported"),
            ));
        }
        Some((media_type, media)) if media_type.starts_with("application/json") => {
            let media_pointer = child(&child(&pointer, "content"), media_type);
            let schema = media.schema.as_ref().ok_or_else(|| {
                Error::at(&media_pointer, "the response media type has no schema")
            })?;
            Some(
                schema::type_and_checks(
                    source.context,
                    &as_ref(schema),
                    &child(&media_pointer, "schema"),
                )?
                .0,
            )
        }
        Some((media_type, _)) => {
            return Err(Error::at(
                child(&pointer, "content"),
                format!("unsupported response media type `{media_type}`"),
            ));
        }
    };
    Ok(Response { status, body })
}
