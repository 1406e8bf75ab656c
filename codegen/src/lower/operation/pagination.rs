//! `x-sdk-pagination`: a list operation whose results can be read as one stream over all pages.

use super::Source;
use crate::Error;
use crate::error::child;
use crate::ir::{Location, ModelKind, Pagination, Param, Response, ResponseBody, TypeRef};

/// The extension on an operation: `{cursorParameter, limitParameter?, itemKey}`.
const EXTENSION: &str = "x-sdk-pagination";

/// The pagination of an operation, when it declares one.
pub fn lower_pagination(
    source: &Source,
    params: &[Param],
    response: &Response,
) -> Result<Option<Pagination>, Error> {
    let Some(value) = source.operation.extensions.get(EXTENSION) else {
        return Ok(None);
    };
    let pointer = child(&source.pointer, EXTENSION);
    let text = |key: &str| value.get(key).and_then(|value| value.as_str());
    let cursor = text("cursorParameter")
        .ok_or_else(|| Error::at(&pointer, "`cursorParameter` must name a query parameter"))?;
    let item_key = text("itemKey")
        .ok_or_else(|| Error::at(&pointer, "`itemKey` must name a property of the items"))?;
    let find = |wire: &str| {
        params.iter().find(|param| {
            param.name.wire == wire && param.location == Location::Query && !param.required
        })
    };
    let cursor_param = find(cursor)
        .filter(|param| param.ty == TypeRef::String)
        .ok_or_else(|| {
            Error::at(
                &pointer,
                format!("`{cursor}` is not an optional string query parameter of the operation"),
            )
        })?;
    let limit_param = match text("limitParameter") {
        None => None,
        Some(limit) => Some(
            find(limit)
                .filter(|param| matches!(param.ty, TypeRef::I32 | TypeRef::I64))
                .ok_or_else(|| {
                    Error::at(
                        &pointer,
                        format!(
                            "`{limit}` is not an optional integer query parameter of the operation"
                        ),
                    )
                })?
                .name
                .rust
                .clone(),
        ),
    };
    let ResponseBody::Json(TypeRef::Array(item)) = &response.body else {
        return Err(Error::at(
            &pointer,
            "a paged operation must answer a JSON array",
        ));
    };
    let TypeRef::Model(item) = item.as_ref() else {
        return Err(Error::at(
            &pointer,
            "the items of a paged operation must be a named object schema",
        ));
    };
    let Some(ModelKind::Struct(object)) = source.context.models.get(item).map(|model| &model.kind)
    else {
        return Err(Error::at(
            &pointer,
            "the items of a paged operation must be a named object schema",
        ));
    };
    let key_field = object
        .fields
        .iter()
        .find(|field| {
            field.name.wire == item_key
                && field.always_present()
                && matches!(field.ty.wire(), TypeRef::String | TypeRef::Uuid)
        })
        .ok_or_else(|| {
            Error::at(
                &pointer,
                format!("`{item_key}` is not a required string or uuid property of `{item}`"),
            )
        })?;
    Ok(Some(Pagination {
        cursor_param: cursor_param.name.rust.clone(),
        limit_param,
        item: item.clone(),
        item_key: key_field.name.rust.clone(),
        item_key_is_string: key_field.ty == TypeRef::String,
    }))
}
