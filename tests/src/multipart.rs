//! A reader of the `multipart/form-data` bodies a `wiremock` server received.

use wiremock::Request;

use crate::header;

/// The boundary of a `multipart/form-data` request, from its `Content-Type`.
pub fn boundary(request: &Request) -> String {
    let content_type = header(request, "content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type}"));
    boundary.to_owned()
}

/// One part of a `multipart/form-data` body, as it was on the wire. Its `Debug` shows a
/// text body as text and a binary one by its length and a checksum.
#[derive(Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename` of its `Content-Disposition`, if any.
    pub filename: Option<String>,
    /// Its `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Its bytes.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for FormPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = match std::str::from_utf8(&self.body) {
            Ok(text) => format!("{text:?}"),
            Err(_) => format!("<{} bytes, {}>", self.body.len(), checksum(&self.body)),
        };
        f.debug_struct("FormPart")
            .field("name", &self.name)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("{body}"))
            .finish()
    }
}

/// The FNV-1a hash of `bytes`, to tell binary bodies apart in failure messages.
fn checksum(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("fnv {hash:016x}")
}

/// Checks that `actual` is `expected` byte for byte; a failure tells the lengths and the
/// first offset where they differ rather than printing the bytes.
#[track_caller]
pub fn assert_same_bytes(actual: &[u8], expected: &[u8]) {
    let differs_at = actual
        .iter()
        .zip(expected)
        .position(|(a, e)| a != e)
        .or((actual.len() != expected.len()).then(|| actual.len().min(expected.len())));
    if let Some(at) = differs_at {
        panic!(
            "{} bytes where {} were expected; they differ from offset {at}",
            actual.len(),
            expected.len()
        );
    }
}

impl FormPart {
    /// A text field: no file name, no content type.
    pub fn text(name: &str, value: &str) -> FormPart {
        FormPart {
            name: name.to_owned(),
            filename: None,
            content_type: None,
            body: value.as_bytes().to_vec(),
        }
    }

    /// A file part.
    pub fn file(name: &str, filename: &str, content_type: &str, body: &[u8]) -> FormPart {
        FormPart {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.to_owned()),
            body: body.to_vec(),
        }
    }
}

/// The parts of a `multipart/form-data` request, in order; panics on a body that is not
/// a well-formed form with the boundary of its `Content-Type`.
pub fn form_parts(request: &Request) -> Vec<FormPart> {
    let delimiter = format!("--{}", boundary(request)).into_bytes();
    let body = &request.body;
    let closing = [b"\r\n".as_slice(), &delimiter, b"--\r\n"].concat();
    assert!(
        body.starts_with(&delimiter),
        "the form starts with its boundary"
    );
    assert!(
        body.ends_with(&closing),
        "the form ends with its closing boundary"
    );
    let inner = &body[delimiter.len()..body.len() - closing.len()];
    let separator = [b"\r\n".as_slice(), &delimiter].concat();
    split_bytes(inner, &separator)
        .into_iter()
        .map(|raw| {
            let raw = raw
                .strip_prefix(b"\r\n")
                .expect("a CRLF after each boundary");
            let end = find_bytes(raw, b"\r\n\r\n").expect("a blank line after the part headers");
            let head = std::str::from_utf8(&raw[..end]).expect("text part headers");
            let mut part = FormPart {
                name: String::new(),
                filename: None,
                content_type: None,
                body: raw[end + 4..].to_vec(),
            };
            for line in head.split("\r\n") {
                let (name, value) = line.split_once(": ").expect("a `Name: value` header");
                match name.to_ascii_lowercase().as_str() {
                    "content-disposition" => {
                        let mut fields = value.split("; ");
                        assert_eq!(fields.next(), Some("form-data"), "{line}");
                        for field in fields {
                            let (key, quoted) = field.split_once('=').expect("key=value");
                            let text = quoted.trim_matches('"').to_owned();
                            match key {
                                "name" => part.name = text,
                                "filename" => part.filename = Some(text),
                                other => panic!("unexpected disposition field {other}"),
                            }
                        }
                    }
                    "content-type" => part.content_type = Some(value.to_owned()),
                    other => panic!("unexpected part header {other}"),
                }
            }
            part
        })
        .collect()
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `bytes` cut at each `separator`.
fn split_bytes<'a>(mut bytes: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    while let Some(at) = find_bytes(bytes, separator) {
        pieces.push(&bytes[..at]);
        bytes = &bytes[at + separator.len()..];
    }
    pieces.push(bytes);
    pieces
}
