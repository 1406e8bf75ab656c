//! `multipart/form-data` bodies (RFC 7578): a small reader of the parts, each
//! with its name, optional file name and content, and the form as the
//! validation layer sees it (typed, checked and defaulted fields; files aside).

use axum::body::Bytes;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::rules::Rules;
use crate::rules::refusal;

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content: Bytes,
}

/// The `boundary` parameter of a multipart `Content-Type`.
pub(crate) fn boundary(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    value.split(';').find_map(|parameter| {
        let (name, value) = parameter.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_string())
    })
}

/// The file parts of a form, by name.
pub(crate) type Files = Vec<(String, Bytes)>;

/// Reads a multipart form: text parts become fields of the types the spec
/// gives them, file parts are kept aside; then the fields are checked and
/// defaulted as a JSON body would be. A file part must name a file name.
pub(crate) fn form_body(
    spec: &Rules,
    operation: &str,
    bytes: &[u8],
    boundary: &str,
) -> Result<(Map<String, Value>, Files), ApiError> {
    let parts = parse(bytes, boundary)
        .ok_or_else(|| ApiError::bad_argument("The multipart body is malformed."))?;
    let mut fields = Map::new();
    let mut files = Vec::new();
    for part in parts {
        if spec.is_binary_property(operation, &part.name) {
            if part.filename.is_none() {
                return Err(ApiError::bad_argument(format!(
                    "The part '{}' must name a file name.",
                    part.name
                )));
            }
            // The file stands in the fields as present; its bytes are checked by the handler.
            fields.insert(part.name.clone(), Value::String(String::new()));
            files.push((part.name, part.content));
        } else {
            let text = String::from_utf8_lossy(&part.content).into_owned();
            let value = spec
                .parse_property(operation, &part.name, &text)
                .map_err(|violation| refusal(operation, &violation))?;
            fields.insert(part.name, value);
        }
    }
    let value = Value::Object(fields);
    spec.check_json_body(operation, &value)
        .map_err(|violation| refusal(operation, &violation))?;
    let Value::Object(mut fields) = value else {
        return Err(ApiError::bad_argument("Request body is invalid."));
    };
    spec.fill_defaults(operation, &mut fields);
    Ok((fields, files))
}

/// The parts of `body` delimited by `boundary`; none when the body is malformed.
pub(crate) fn parse(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let mut rest = body.get(find(body, delimiter.as_bytes())? + delimiter.len()..)?;
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let end = find(rest, next_delimiter.as_bytes())?;
        let part = &rest[..end];
        rest = rest.get(end + next_delimiter.len()..)?;
        let split = find(part, b"\r\n\r\n")?;
        let headers = std::str::from_utf8(&part[..split]).ok()?;
        let content = Bytes::copy_from_slice(&part[split + 4..]);
        let disposition = headers.split("\r\n").find(|line| {
            line.to_ascii_lowercase()
                .starts_with("content-disposition:")
        })?;
        parts.push(Part {
            name: parameter(disposition, "name")?,
            filename: parameter(disposition, "filename"),
            content,
        });
    }
}

/// A parameter of a header line, e.g. `name` of `form-data; name="x"`.
fn parameter(line: &str, wanted: &str) -> Option<String> {
    line.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case(wanted)
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_read_with_names_file_names_and_bytes() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nPassive\r\n--XyZ\r\nContent-Disposition: form-data; name=\"verifyImage\"; filename=\"a.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n\xFF\xD8\r\n\xFF\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").expect("a form");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "mode");
        assert_eq!(&parts[0].content[..], b"Passive");
        assert_eq!(parts[1].filename.as_deref(), Some("a.jpg"));
        assert_eq!(&parts[1].content[..], b"\xFF\xD8\r\n\xFF");
        assert_eq!(parse(b"--XyZ\r\nno end", "XyZ"), None);
    }
}
