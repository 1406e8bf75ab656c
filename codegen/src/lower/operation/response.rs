//! Lowering of the one success response of an operation: no content, JSON or raw bytes.

use super::Source;
use crate::Error;
use crate::error::child;
use crate::ir::{Response, ResponseBody};
use crate::lower::{resolve, schema};
use openapiv3::StatusCode;

/// The one success response: its status and what its body is.
pub fn lower_response(source: &Source) -> Result<Response, Error> {
    let responses_pointer = child(&source.pointer, "responses");
    check_all_responses(source, &responses_pointer)?;
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
        None => ResponseBody::Empty,
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
            ResponseBody::Json(
                schema::type_and_checks(
                    source.context,
                    &schema::as_ref(schema),
                    &child(&media_pointer, "schema"),
                )?
                .0,
            )
        }
        Some((media_type, media)) if media_type == "application/octet-stream" => {
            let media_pointer = child(&child(&pointer, "content"), media_type);
            if !media.schema.as_ref().is_some_and(schema::is_binary) {
                return Err(Error::at(
                    child(&media_pointer, "schema"),
                    "an `application/octet-stream` response must be `type: string, format: binary`",
                ));
            }
            ResponseBody::Binary
        }
        Some((media_type, _)) => {
            return Err(Error::at(
                child(&pointer, "content"),
                format!("unsupported response media type `{media_type}`"),
            ));
        }
    };
    let headers = response.headers.keys().cloned().collect();
    Ok(Response {
        status,
        body,
        headers,
    })
}

/// Every response, error statuses and `default` included, resolves and says what it means;
/// every `$ref` in its schemas names a schema that exists.
fn check_all_responses(source: &Source, responses_pointer: &str) -> Result<(), Error> {
    let responses = &source.operation.responses;
    let statuses = responses
        .responses
        .iter()
        .map(|(status, response)| {
            let status = match status {
                StatusCode::Code(code) => code.to_string(),
                StatusCode::Range(range) => format!("{range}XX"),
            };
            (status, response)
        })
        .chain(
            responses
                .default
                .iter()
                .map(|response| ("default".to_owned(), response)),
        );
    for (status, response) in statuses {
        let pointer = child(responses_pointer, status);
        let (response, pointer) = resolve::response(source.context.spec, response, &pointer)?;
        if response.description.trim().is_empty() {
            return Err(Error::at(
                child(&pointer, "description"),
                "the response has an empty description; say what the response means",
            ));
        }
        for (media_type, media) in &response.content {
            if let Some(media_schema) = &media.schema {
                let media_pointer = child(&child(&pointer, "content"), media_type);
                schema::check_references(
                    source.context,
                    &schema::as_ref(media_schema),
                    &child(&media_pointer, "schema"),
                )?;
            }
        }
    }
    Ok(())
}
