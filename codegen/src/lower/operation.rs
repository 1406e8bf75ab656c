//! Lowering of paths and operations into groups of methods.

use super::{Context, docs};
use crate::error::child;
use crate::ir::{Availability, Body, Group, HttpMethod, Method, Param};
use crate::{Error, naming};
use openapiv3::{Operation, PathItem, ReferenceOr};
use std::collections::BTreeMap;

mod allowed_items;
mod body;
mod long_running;
mod pagination;
mod parameter;
mod response;
mod security;

/// Marks a POST operation as safe to repeat.
const IDEMPOTENT_EXTENSION: &str = "x-sdk-idempotent";

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
            let availability = context.versions().read(&operation.extensions, &pointer)?;
            let source = Source {
                availability,
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
    /// The versions that have the operation.
    pub availability: Availability,
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
    let params = parameter::lower_parameters(source)?;
    let response = response::lower_response(source)?;
    let forms = body::lower_body_forms(source)?;
    let token_scopes = security::lower_token_scopes(source)?;
    let idempotent = lower_idempotent(source)?;
    let upstream_differs =
        super::versions::upstream_differs(&source.operation.extensions, &source.pointer)?;
    forms
        .into_iter()
        .map(|form| {
            let all: Vec<&Param> = params
                .iter()
                .chain(form.body.iter().flat_map(Body::params))
                .collect();
            parameter::check_names(&all, &form.pointer)?;
            let params = params.clone();
            let pagination = pagination::lower_pagination(source, &params, &response)?;
            Ok(Method {
                builder: naming::builder_name(&form.name),
                input: naming::input_name(&form.name),
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
                token_scopes: token_scopes.clone(),
                idempotent,
                availability: source.availability.clone(),
                upstream_differs: upstream_differs.clone(),
            })
        })
        .collect()
}

/// Whether repeating the operation is safe: GET, PUT, PATCH and DELETE always are; a POST only
/// when the spec says so with `x-sdk-idempotent: true`.
fn lower_idempotent(source: &Source) -> Result<bool, Error> {
    let pointer = child(&source.pointer, IDEMPOTENT_EXTENSION);
    match (
        source.operation.extensions.get(IDEMPOTENT_EXTENSION),
        source.http_method,
    ) {
        (None, HttpMethod::Post) => Ok(false),
        (None, _) => Ok(true),
        (Some(value), HttpMethod::Post) => value
            .as_bool()
            .ok_or_else(|| Error::at(pointer, "`x-sdk-idempotent` must be `true` or `false`")),
        (Some(_), _) => Err(Error::at(
            pointer,
            "`x-sdk-idempotent` is for POST operations; GET, PUT, PATCH and DELETE are always safe to repeat",
        )),
    }
}
