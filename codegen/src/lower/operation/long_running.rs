//! `x-sdk-long-running`: an operation that starts background work, and the operation that
//! reports how that work is going.

use crate::Error;
use crate::error::child;
use crate::ir::{Group, LongRunning, Method, ModelKind, ResponseBody, StatusArg, TypeRef};
use crate::lower::Context;
use serde_json::Value;

/// The extension on an operation:
/// `{statusOperation, statusFromHeader?, stateProperty, succeeded, failed, messageProperty?}`.
pub const EXTENSION: &str = "x-sdk-long-running";

/// A method whose operation carries the extension, to resolve once every method is lowered.
pub struct Pending {
    pub group: String,
    pub method: String,
    pub value: Value,
    pub pointer: String,
}

/// Resolves the status operation of every pending method and records it on the method.
pub fn resolve(
    context: &Context,
    groups: &mut [Group],
    pending: Vec<Pending>,
) -> Result<(), Error> {
    for item in pending {
        let long_running = lower_long_running(context, groups, &item)?;
        let method = groups
            .iter_mut()
            .filter(|group| group.module == item.group)
            .flat_map(|group| group.methods.iter_mut())
            .find(|method| method.name == item.method);
        if let Some(method) = method {
            method.long_running = Some(long_running);
        }
    }
    Ok(())
}

fn lower_long_running(
    context: &Context,
    groups: &[Group],
    item: &Pending,
) -> Result<LongRunning, Error> {
    let pointer = &item.pointer;
    let text = |key: &str| item.value.get(key).and_then(Value::as_str);
    let words = |key: &str| -> Result<Vec<String>, Error> {
        let list = item
            .value
            .get(key)
            .and_then(Value::as_array)
            .filter(|list| !list.is_empty());
        list.and_then(|list| {
            list.iter()
                .map(|value| value.as_str().map(str::to_owned))
                .collect()
        })
        .ok_or_else(|| {
            Error::at(
                child(pointer, key),
                format!("`{key}` must be a non-empty list of state values"),
            )
        })
    };
    let status_id = text("statusOperation")
        .ok_or_else(|| Error::at(pointer, "`statusOperation` must name an operationId"))?;
    let (group, status) = groups
        .iter()
        .flat_map(|group| group.methods.iter().map(move |method| (group, method)))
        .find(|(_, method)| method.operation_id == status_id && method.body.is_none())
        .ok_or_else(|| {
            Error::at(
                pointer,
                format!("no operation `{status_id}` without a body to poll"),
            )
        })?;
    let starter = find_method(groups, item)
        .ok_or_else(|| Error::at(pointer, "internal error: the method is missing"))?;
    let status_args = status_args(status, starter, text("statusFromHeader"), pointer)?;
    let ResponseBody::Json(TypeRef::Model(status_model)) = &status.response.body else {
        return Err(Error::at(
            pointer,
            format!("`{status_id}` must answer a named object schema"),
        ));
    };
    let Some(ModelKind::Struct(object)) = context.models.get(status_model).map(|model| &model.kind)
    else {
        return Err(Error::at(
            pointer,
            format!("`{status_id}` must answer a named object schema"),
        ));
    };
    let state = text("stateProperty")
        .ok_or_else(|| Error::at(pointer, "`stateProperty` must name a property"))?;
    let is_text = |ty: &TypeRef| match ty {
        TypeRef::String => true,
        TypeRef::Model(name) => matches!(
            context.models.get(name).map(|model| &model.kind),
            Some(ModelKind::Enum(_))
        ),
        _ => false,
    };
    let state_field = object
        .fields
        .iter()
        .find(|field| field.name.wire == state && field.always_present() && is_text(&field.ty))
        .ok_or_else(|| {
            Error::at(
                pointer,
                format!("`{state}` is not a required string or enum property of `{status_model}`"),
            )
        })?;
    let message_field = match text("messageProperty") {
        None => None,
        Some(message) => {
            let field = object
                .fields
                .iter()
                .find(|field| field.name.wire == message && field.ty == TypeRef::String)
                .ok_or_else(|| {
                    Error::at(
                        pointer,
                        format!("`{message}` is not a string property of `{status_model}`"),
                    )
                })?;
            Some((field.name.rust.clone(), field.always_present()))
        }
    };
    Ok(LongRunning {
        status_group: group.module.clone(),
        status_group_type: group.type_name.clone(),
        status_method: status.name.clone(),
        status_args,
        status_model: status_model.clone(),
        state_field: state_field.name.rust.clone(),
        succeeded: words("succeeded")?,
        failed: words("failed")?,
        message_field,
    })
}

fn find_method<'a>(groups: &'a [Group], item: &Pending) -> Option<&'a Method> {
    groups
        .iter()
        .filter(|group| group.module == item.group)
        .flat_map(|group| &group.methods)
        .find(|method| method.name == item.method)
}

/// Each required parameter of the status method comes from the starting method's parameter
/// of the same name, or, for the one parameter it has when `statusFromHeader` is set, from
/// the last segment of the URL in that response header.
fn status_args(
    status: &Method,
    starter: &Method,
    header: Option<&str>,
    pointer: &str,
) -> Result<Vec<StatusArg>, Error> {
    let required: Vec<_> = status
        .arguments()
        .into_iter()
        .filter(|param| param.required)
        .collect();
    if let Some(header) = header {
        return match required.as_slice() {
            [param] => Ok(vec![StatusArg::Header {
                name: param.name.rust.clone(),
                header: header.to_owned(),
                ty: param.ty.clone(),
            }]),
            _ => Err(Error::at(
                pointer,
                "with `statusFromHeader`, the status operation must take exactly one required parameter",
            )),
        };
    }
    required
        .iter()
        .map(|param| {
            starter
                .arguments()
                .into_iter()
                .find(|own| own.name.wire == param.name.wire && own.required && own.ty == param.ty)
                .map(|own| StatusArg::Param {
                    name: own.name.rust.clone(),
                    ty: own.ty.clone(),
                })
                .ok_or_else(|| {
                    Error::at(
                        pointer,
                        format!(
                            "the status operation needs `{}`, which this operation does not take",
                            param.name.wire
                        ),
                    )
                })
        })
        .collect()
}
