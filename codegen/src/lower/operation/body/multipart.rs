//! Lowering of a `multipart/form-data` body: one part per property of its object schema.

use super::BodyForm;
use crate::error::child;
use crate::ir::{Availability, Body, FieldName, Location, ModelKind, Param, Part, TypeRef};
use crate::lower::operation::Source;
use crate::lower::{docs, schema};
use crate::{Error, naming};
use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind, Type};

/// The content type of a file part whose media type names none in its `encoding`.
const DEFAULT_FILE_CONTENT_TYPE: &str = "application/octet-stream";

/// A multipart body: a `$ref` to an object schema whose `format: binary` properties are file
/// parts and whose other properties, single values, are field parts sent as text.
pub fn lower_multipart_form(
    source: &Source,
    media: &MediaType,
    name: String,
    schema: &ReferenceOr<Schema>,
    pointer: &str,
) -> Result<BodyForm, Error> {
    let ReferenceOr::Reference { reference } = schema else {
        return Err(Error::at(
            pointer,
            "a multipart request body must be a $ref to an object schema under `components/schemas`",
        ));
    };
    let component = reference.strip_prefix("#/components/schemas/");
    let object_schema = component.and_then(|name| {
        source
            .context
            .spec
            .components
            .as_ref()?
            .schemas
            .get(name)?
            .as_item()
    });
    let (Some(component), Some(object_schema)) = (component, object_schema) else {
        return Err(Error::at(
            pointer,
            format!("dangling $ref `{reference}`: no such schema"),
        ));
    };
    let schema_pointer = child("#/components/schemas", component);
    let SchemaKind::Type(Type::Object(object)) = &object_schema.schema_kind else {
        return Err(Error::at(
            schema_pointer,
            "a multipart request body must be an object schema: each property is a part",
        ));
    };
    let properties_pointer = child(&schema_pointer, "properties");
    let encoding_pointer = child(
        pointer.strip_suffix("/schema").unwrap_or(pointer),
        "encoding",
    );
    if let Some(unknown) = media
        .encoding
        .keys()
        .find(|part| !object.properties.contains_key(part.as_str()))
    {
        return Err(Error::at(
            child(&encoding_pointer, unknown),
            format!("the encoding names `{unknown}`, which is no part (property) of the form"),
        ));
    }
    let parts = object
        .properties
        .iter()
        .map(|(wire, property)| {
            let pointer = child(&properties_pointer, wire);
            lower_part(
                source,
                media,
                wire,
                property,
                object.required.contains(wire),
                (&pointer, &encoding_pointer),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    if parts.is_empty() {
        return Err(Error::at(
            properties_pointer,
            "a multipart body needs at least one part",
        ));
    }
    Ok(BodyForm {
        name,
        pointer: pointer.to_owned(),
        body: Some(Body::Multipart { parts }),
    })
}

fn lower_part(
    source: &Source,
    media: &MediaType,
    wire: &str,
    property: &ReferenceOr<Box<Schema>>,
    required: bool,
    (pointer, encoding_pointer): (&str, &str),
) -> Result<Part, Error> {
    let context = source.context;
    let rust = naming::snake_case(wire).ok_or_else(|| {
        Error::at(
            pointer,
            format!("part name `{wire}` has no letters or digits"),
        )
    })?;
    let (docs, default) = match property {
        ReferenceOr::Reference { reference } => (
            context.referenced_docs(reference),
            context.referenced_default(reference),
        ),
        ReferenceOr::Item(schema) => (
            docs::required(schema.schema_data.description.as_ref(), pointer, "part")?,
            schema.schema_data.default.as_ref().map(ToString::to_string),
        ),
    };
    let (own, upstream_differs) = match property {
        ReferenceOr::Reference { .. } => (Availability::default(), None),
        ReferenceOr::Item(schema) => (
            context
                .versions()
                .read(&schema.schema_data.extensions, pointer)?,
            crate::lower::versions::upstream_differs(&schema.schema_data.extensions, pointer)?,
        ),
    };
    let availability = context
        .versions()
        .within(own, &source.availability, required, pointer)?;
    let file = property
        .as_item()
        .is_some_and(|schema| schema::is_binary_schema(schema));
    let (ty, checks, file) = if file {
        let content_type = match media
            .encoding
            .get(wire)
            .and_then(|encoding| encoding.content_type.as_deref())
        {
            Some(stated) => {
                let pointer = child(&child(encoding_pointer, wire), "contentType");
                one_media_type(stated, wire, &pointer)?
            }
            None => DEFAULT_FILE_CONTENT_TYPE.to_owned(),
        };
        (TypeRef::Binary, Vec::new(), Some(content_type))
    } else {
        let (ty, checks) = schema::type_and_checks(context, &schema::boxed(property), pointer)?;
        let single = match &ty {
            TypeRef::Model(model) => matches!(
                context.models.get(model).map(|model| &model.kind),
                Some(ModelKind::Enum(_))
            ),
            TypeRef::Array(_) | TypeRef::AllOr { .. } | TypeRef::Json | TypeRef::Binary => false,
            _ => true,
        };
        if !single {
            return Err(Error::at(
                pointer,
                "a multipart field part must be a single value (a string, number, boolean or string enum); send structured data as a JSON body",
            ));
        }
        (ty, checks, None)
    };
    Ok(Part {
        param: Param {
            name: FieldName {
                rust,
                wire: wire.to_owned(),
            },
            docs,
            location: Location::Body,
            ty,
            required,
            default,
            checks,
            allowed_items: Vec::new(),
            availability,
            upstream_differs,
        },
        file,
    })
}

/// The content type an encoding states for the file part `wire`, which the SDK sends when
/// the caller names none: one media type (`type/subtype`, parameters allowed). OpenAPI also
/// allows a wildcard (`image/*`) or a list (`image/png, image/jpeg`), which state what the
/// service accepts but no one type to send, so they are refused rather than guessed from.
fn one_media_type(stated: &str, wire: &str, pointer: &str) -> Result<String, Error> {
    let essence = stated.split(';').next().unwrap_or_default().trim();
    let concrete = essence.split_once('/').is_some_and(|(kind, subtype)| {
        let token = |text: &str| {
            !text.is_empty()
                && text
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&byte))
        };
        token(kind) && token(subtype)
    });
    if concrete && !stated.contains(',') && stated.is_ascii() && !stated.contains(['\r', '\n']) {
        Ok(stated.trim().to_owned())
    } else {
        Err(Error::at(
            pointer,
            format!(
                "the content type of the file part `{wire}` must be one media type \
                 (`type/subtype`), the one sent when the caller names none; `{stated}` is not"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::one_media_type;

    #[test]
    fn a_file_parts_content_type_is_one_concrete_media_type() {
        let at = "#/encoding/file/contentType";
        for good in [
            "image/jpeg",
            "application/octet-stream",
            "image/svg+xml; charset=utf-8",
        ] {
            assert_eq!(one_media_type(good, "file", at).unwrap(), good);
        }
        for bad in [
            "image/*",
            "*/*",
            "image/png, image/jpeg",
            "jpeg",
            "image/",
            "",
            "image/jpeg\r\nX: 1",
        ] {
            let error = one_media_type(bad, "file", at).unwrap_err();
            assert!(
                error.to_string().contains("must be one media type"),
                "{bad}: {error}"
            );
        }
    }
}
