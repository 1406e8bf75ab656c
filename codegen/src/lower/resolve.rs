//! Following `$ref`s to parameters, request bodies and responses.

use crate::Error;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response};

/// The parameter a reference points at, with the pointer of its definition.
pub fn parameter<'a>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<Parameter>,
    pointer: &str,
) -> Result<(&'a Parameter, String), Error> {
    component(spec, item, pointer, "parameters", |components| {
        &components.parameters
    })
}

/// The request body a reference points at, with the pointer of its definition.
pub fn request_body<'a>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<RequestBody>,
    pointer: &str,
) -> Result<(&'a RequestBody, String), Error> {
    component(spec, item, pointer, "requestBodies", |components| {
        &components.request_bodies
    })
}

/// The response a reference points at, with the pointer of its definition.
pub fn response<'a>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<Response>,
    pointer: &str,
) -> Result<(&'a Response, String), Error> {
    component(spec, item, pointer, "responses", |components| {
        &components.responses
    })
}

fn component<'a, T>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
    pointer: &str,
    section: &str,
    select: impl Fn(&'a openapiv3::Components) -> &'a indexmap_like::Map<T>,
) -> Result<(&'a T, String), Error> {
    let reference = match item {
        ReferenceOr::Item(value) => return Ok((value, pointer.to_owned())),
        ReferenceOr::Reference { reference } => reference,
    };
    let prefix = format!("#/components/{section}/");
    let name = reference.strip_prefix(&prefix).ok_or_else(|| {
        Error::at(
            pointer,
            format!("unsupported $ref `{reference}`: expected `{prefix}…`"),
        )
    })?;
    let target = spec
        .components
        .as_ref()
        .and_then(|components| select(components).get(name));
    match target {
        Some(ReferenceOr::Item(value)) => Ok((
            value,
            crate::error::child(&format!("#/components/{section}"), name),
        )),
        Some(ReferenceOr::Reference { .. }) => Err(Error::at(
            pointer,
            format!("`{reference}` is itself a $ref; chains of references are not supported"),
        )),
        None => Err(Error::at(
            pointer,
            format!("dangling $ref `{reference}`: no such component"),
        )),
    }
}

/// The map type `openapiv3` uses for components, named once.
mod indexmap_like {
    pub type Map<T> = indexmap::IndexMap<String, openapiv3::ReferenceOr<T>>;
}
