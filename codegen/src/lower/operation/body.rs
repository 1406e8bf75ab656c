//! Lowering of request bodies: one body form per media type or `oneOf` alternative, each
//! with the parameters that travel in it.

use super::{METHOD_EXTENSION, Source};
use crate::error::child;
use crate::ir::{Availability, Body, Check, FieldName, Location, ModelKind, Param, TypeRef};
use crate::lower::{constraint, docs, resolve};
use crate::{Error, naming};
use openapiv3::{
    MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

mod multipart;

/// Maps the alternatives of a `oneOf` body to method names.
const METHODS_EXTENSION: &str = "x-sdk-methods";
/// Names the parameter that carries a binary body.
const BODY_NAME_EXTENSION: &str = "x-sdk-body-name";

/// One way of calling an operation: its method name and its body.
pub struct BodyForm {
    pub name: String,
    pub pointer: String,
    pub body: Option<Body>,
}

/// The body forms of an operation; an operation without a body has one form with none.
pub fn lower_body_forms(source: &Source) -> Result<Vec<BodyForm>, Error> {
    let Some(request_body) = &source.operation.request_body else {
        return Ok(vec![BodyForm {
            name: source.default_name.clone(),
            pointer: source.pointer.clone(),
            body: None,
        }]);
    };
    let pointer = child(&source.pointer, "requestBody");
    let (request_body, pointer) =
        resolve::request_body(source.context.spec, request_body, &pointer)?;
    if request_body.content.is_empty() {
        return Err(Error::at(
            child(&pointer, "content"),
            "the request body has no media type",
        ));
    }
    let several = request_body.content.len() > 1;
    let mut forms = Vec::new();
    for (media_type, media) in &request_body.content {
        let media_pointer = child(&child(&pointer, "content"), media_type);
        let schema = media
            .schema
            .as_ref()
            .ok_or_else(|| Error::at(&media_pointer, "the media type has no schema"))?;
        let schema_pointer = child(&media_pointer, "schema");
        if media_type.starts_with("application/json") {
            if let ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::OneOf { one_of },
                ..
            }) = schema
            {
                forms.extend(lower_one_of(source, media, one_of, &media_pointer)?);
            } else {
                let method_name =
                    method_name(media, several, &source.default_name, &media_pointer)?;
                forms.push(json_form(source, method_name, schema, &schema_pointer)?);
            }
        } else if media_type == "application/octet-stream" {
            let method_name = method_name(media, several, &source.default_name, &media_pointer)?;
            let docs = docs::required(
                request_body.description.as_ref(),
                &pointer,
                "the request body",
            )?;
            forms.push(binary_form(
                media,
                method_name,
                schema,
                docs,
                &schema_pointer,
            )?);
        } else if media_type == "multipart/form-data" {
            let method_name = method_name(media, several, &source.default_name, &media_pointer)?;
            forms.push(multipart::lower_multipart_form(
                source,
                media,
                method_name,
                schema,
                &schema_pointer,
            )?);
        } else {
            return Err(Error::at(
                media_pointer,
                format!(
                    "unsupported request media type `{media_type}`; the generator takes `application/json`, `application/octet-stream` and `multipart/form-data`"
                ),
            ));
        }
    }
    Ok(forms)
}

/// The method name of a media type: its `x-sdk-method`, required when there are several.
fn method_name(
    media: &MediaType,
    several: bool,
    default_name: &str,
    pointer: &str,
) -> Result<String, Error> {
    match media.extensions.get(METHOD_EXTENSION) {
        Some(value) => value.as_str().and_then(naming::snake_case).ok_or_else(|| {
            Error::at(
                child(pointer, METHOD_EXTENSION),
                "`x-sdk-method` must be a method name",
            )
        }),
        None if several => Err(Error::at(
            pointer,
            "an operation with several request media types needs `x-sdk-method` on each (or `x-sdk-methods` on a `oneOf`)",
        )),
        None => Ok(default_name.to_owned()),
    }
}

fn lower_one_of(
    source: &Source,
    media: &MediaType,
    one_of: &[ReferenceOr<Schema>],
    pointer: &str,
) -> Result<Vec<BodyForm>, Error> {
    let names_pointer = child(pointer, METHODS_EXTENSION);
    let names = media
        .extensions
        .get(METHODS_EXTENSION)
        .and_then(|value| value.as_object())
        .ok_or_else(|| Error::at(pointer, "a `oneOf` body needs `x-sdk-methods`, a map from each alternative's schema name to its method name"))?;
    let mut forms = Vec::new();
    for (index, alternative) in one_of.iter().enumerate() {
        let alternative_pointer = child(&child(&child(pointer, "schema"), "oneOf"), index);
        let ReferenceOr::Reference { reference } = alternative else {
            return Err(Error::at(
                alternative_pointer,
                "each `oneOf` alternative of a body must be a $ref",
            ));
        };
        let schema_name = reference.rsplit('/').next().unwrap_or_default();
        let method = names
            .get(schema_name)
            .and_then(|value| value.as_str())
            .and_then(naming::snake_case)
            .ok_or_else(|| {
                Error::at(
                    &names_pointer,
                    format!("no method name for the alternative `{schema_name}`"),
                )
            })?;
        forms.push(json_form(
            source,
            method,
            alternative,
            &alternative_pointer,
        )?);
    }
    if let Some(extra) = names.keys().find(|name| !one_of.iter().any(|alternative| matches!(alternative, ReferenceOr::Reference { reference } if reference.rsplit('/').next() == Some(name.as_str())))) {
        return Err(Error::at(names_pointer, format!("`{extra}` is not one of the body's alternatives")));
    }
    Ok(forms)
}

/// A JSON body: a $ref to an object schema whose properties become parameters.
fn json_form(
    source: &Source,
    name: String,
    schema: &ReferenceOr<Schema>,
    pointer: &str,
) -> Result<BodyForm, Error> {
    let ReferenceOr::Reference { reference } = schema else {
        return Err(Error::at(
            pointer,
            "a JSON request body must be a $ref to an object schema",
        ));
    };
    let context = source.context;
    let model_name = context.model_for_ref(reference, pointer)?;
    let Some(ModelKind::Struct(object)) = context.models.get(&model_name).map(|model| &model.kind)
    else {
        return Err(Error::at(
            pointer,
            format!("the request body `{reference}` is not an object schema"),
        ));
    };
    let fields = object
        .fields
        .iter()
        .map(|field| {
            let availability = context.versions().within(
                field.availability.clone(),
                &source.availability,
                field.always_present(),
                &field.pointer,
            )?;
            Ok(Param {
                name: field.name.clone(),
                docs: if field.docs.is_empty() {
                    referenced_docs(source, &field.ty)
                } else {
                    field.docs.clone()
                },
                location: Location::Body,
                ty: field.ty.clone(),
                required: field.always_present(),
                default: field.default.clone(),
                checks: Vec::new(),
                allowed_items: Vec::new(),
                availability,
                upstream_differs: field.upstream_differs.clone(),
            })
        })
        .collect::<Result<_, Error>>()?;
    let body = Body::Json {
        model: model_name,
        validates: object.validates,
        fields,
    };
    Ok(BodyForm {
        name,
        pointer: pointer.to_owned(),
        body: Some(body),
    })
}

fn referenced_docs(source: &Source, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Model(name) => source
            .context
            .models
            .get(name)
            .map(|model| model.docs.clone())
            .unwrap_or_default(),
        TypeRef::Array(item) => referenced_docs(source, item),
        _ => Vec::new(),
    }
}

/// A binary body: a `format: binary` string whose length bounds are byte counts.
fn binary_form(
    media: &MediaType,
    name: String,
    schema: &ReferenceOr<Schema>,
    docs: Vec<String>,
    pointer: &str,
) -> Result<BodyForm, Error> {
    let not_binary = || {
        Error::at(
            pointer,
            "an `application/octet-stream` body must be `type: string, format: binary`",
        )
    };
    let ReferenceOr::Item(Schema {
        schema_kind: SchemaKind::Type(Type::String(string)),
        ..
    }) = schema
    else {
        return Err(not_binary());
    };
    if string.format != VariantOrUnknownOrEmpty::Item(StringFormat::Binary) {
        return Err(not_binary());
    }
    let min_length = string.min_length.map(|n| n as u64);
    let max_length = string.max_length.map(|n| n as u64);
    let bounds: Vec<Check> = min_length
        .map(Check::MinLength)
        .into_iter()
        .chain(max_length.map(Check::MaxLength))
        .collect();
    constraint::check_bounds(&bounds, pointer)?;
    let wire = match media.extensions.get(BODY_NAME_EXTENSION) {
        Some(value) => value
            .as_str()
            .ok_or_else(|| Error::at(pointer, "`x-sdk-body-name` must be a string"))?
            .to_owned(),
        None => "body".to_owned(),
    };
    let rust = naming::snake_case(&wire).ok_or_else(|| {
        Error::at(
            pointer,
            format!("body name `{wire}` has no letters or digits"),
        )
    })?;
    let param = Param {
        name: FieldName { rust, wire },
        docs,
        location: Location::Body,
        ty: TypeRef::Binary,
        required: true,
        default: None,
        checks: Vec::new(),
        allowed_items: Vec::new(),
        availability: Availability::default(),
        upstream_differs: crate::lower::versions::upstream_differs(&media.extensions, pointer)?,
    };
    Ok(BodyForm {
        name,
        pointer: pointer.to_owned(),
        body: Some(Body::Binary {
            param: Box::new(param),
            min_length,
            max_length,
        }),
    })
}
