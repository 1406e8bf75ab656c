//! Reading the YAML text of the spec into `openapiv3` types.

use crate::Error;
use crate::error::child;
use openapiv3::OpenAPI;

/// Parses the spec text; a syntax error carries its YAML line, a shape error its pointer.
///
/// The text goes through a JSON value first: `openapiv3` reads references more robustly
/// from one than straight from YAML, and the value lets a shape error name its path.
pub fn parse(spec_yaml: &str) -> Result<OpenAPI, Error> {
    let value: serde_json::Value = yaml_serde::from_str(spec_yaml).map_err(|error| Error {
        pointer: None,
        line: error.location().map(|location| location.line()),
        message: format!("the spec is not readable YAML: {error}"),
    })?;
    let spec: OpenAPI = serde_path_to_error::deserialize(value).map_err(|error| {
        let pointer = error
            .path()
            .iter()
            .fold("#".to_owned(), |pointer, segment| match segment {
                serde_path_to_error::Segment::Seq { index } => child(&pointer, index),
                serde_path_to_error::Segment::Map { key } => child(&pointer, key),
                serde_path_to_error::Segment::Enum { variant } => child(&pointer, variant),
                serde_path_to_error::Segment::Unknown => pointer,
            });
        Error::at(
            pointer,
            format!("not a valid OpenAPI 3.0 document here: {}", error.inner()),
        )
    })?;
    if !spec.openapi.starts_with("3.0.") {
        return Err(Error::at(
            "#/openapi",
            format!(
                "unsupported OpenAPI version `{}`, expected 3.0.x",
                spec.openapi
            ),
        ));
    }
    Ok(spec)
}
