//! `multipart/form-data` request bodies: text fields and file parts, in the
//! order they were added, written as one stream per attempt.
//!
//! Written here rather than with reqwest's `multipart::Form`: a form is not
//! `Clone` and reports no progress over the whole body, while these parts are
//! kept (in-memory bytes shared, never copied) and turned into a fresh stream
//! for each attempt, with an exact `Content-Length` when every length is known
//! and upload progress over the whole body.

use std::fmt::Write as _;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;

use crate::Body;
use crate::body::{ChunkStream, ProgressCallback, with_progress};

/// The parts of a form and the boundary between them.
pub(crate) struct Multipart {
    boundary: String,
    parts: Vec<Part>,
}

/// One part: its head (boundary line and headers) and its content.
struct Part {
    head: Bytes,
    content: Content,
}

enum Content {
    Text(Bytes),
    File(Body),
}

const CRLF: &[u8] = b"\r\n";

impl Multipart {
    /// An empty form with a random boundary.
    pub(crate) fn new() -> Self {
        let boundary = format!(
            "face-sdk-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        Self {
            boundary,
            parts: Vec::new(),
        }
    }

    /// The value of the `Content-Type` header.
    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// Adds a field part.
    pub(crate) fn text(&mut self, name: &str, value: String) {
        let head = self.head(name, None);
        self.parts.push(Part {
            head,
            content: Content::Text(Bytes::from(value)),
        });
    }

    /// Adds a file part. `content_type` must already be checked to be a header value.
    pub(crate) fn file(&mut self, name: &str, file_name: &str, content_type: &str, body: Body) {
        let head = self.head(name, Some((file_name, content_type)));
        self.parts.push(Part {
            head,
            content: Content::File(body),
        });
    }

    /// The boundary line and headers of a part; a file part has a file name and content type.
    fn head(&self, name: &str, file: Option<(&str, &str)>) -> Bytes {
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            escape(name)
        );
        if let Some((file_name, content_type)) = file {
            let _ = write!(
                head,
                "; filename=\"{}\"\r\nContent-Type: {content_type}",
                escape(file_name)
            );
        }
        head.push_str("\r\n\r\n");
        Bytes::from(head)
    }

    fn closing(&self) -> Bytes {
        Bytes::from(format!("--{}--\r\n", self.boundary))
    }

    /// The size of the whole body, when every file's size is known.
    pub(crate) fn len(&self) -> Option<u64> {
        let mut total = self.closing().len() as u64;
        for part in &self.parts {
            let content = match &part.content {
                Content::Text(text) => text.len() as u64,
                Content::File(body) => body.len()?,
            };
            total += part.head.len() as u64 + content + CRLF.len() as u64;
        }
        Some(total)
    }

    /// Whether every part can be sent again.
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|part| match &part.content {
            Content::Text(_) => true,
            Content::File(body) => body.is_replayable(),
        })
    }

    /// The body of one attempt (`None` when a one-shot file part was already sent).
    pub(crate) fn for_attempt(
        &mut self,
        progress: Option<&ProgressCallback>,
    ) -> Option<reqwest::Body> {
        let total = self.len();
        let whole = self.chunks_for_attempt(progress.is_some())?;
        Some(with_progress(whole, total, progress))
    }

    /// The chunks of the whole body for one attempt; file bytes split in
    /// chunks of 64 KiB when `split`, never copied.
    fn chunks_for_attempt(&mut self, split: bool) -> Option<ChunkStream> {
        let closing = self.closing();
        let mut pieces: Vec<ChunkStream> = Vec::with_capacity(self.parts.len() * 3 + 1);
        for part in &mut self.parts {
            pieces.push(one(part.head.clone()));
            pieces.push(match &mut part.content {
                Content::Text(text) => one(text.clone()),
                Content::File(body) => body.chunks_for_attempt(split)?,
            });
            pieces.push(one(Bytes::from_static(CRLF)));
        }
        pieces.push(one(closing));
        Some(Box::pin(stream::iter(pieces).flatten()))
    }

    /// The parts, for `Debug`: name-free kinds and sizes.
    pub(crate) fn describe(&self) -> String {
        let kinds: Vec<String> = self
            .parts
            .iter()
            .map(|part| match &part.content {
                Content::Text(text) => format!("text ({} bytes)", text.len()),
                Content::File(body) => format!("file {body:?}"),
            })
            .collect();
        format!("multipart [{}]", kinds.join(", "))
    }
}

fn one(bytes: Bytes) -> ChunkStream {
    Box::pin(stream::iter([Ok(bytes)]))
}

/// Escapes a name for a quoted header parameter as browsers do: `"`, CR and
/// LF percent-encoded.
fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt;

    use super::*;

    async fn collect(form: &mut Multipart) -> Vec<u8> {
        let chunks = form.chunks_for_attempt(false).expect("a body");
        let chunks: Vec<Bytes> = chunks.try_collect().await.expect("no error");
        chunks.concat()
    }

    #[tokio::test]
    async fn parts_in_order_with_exact_length() {
        let mut form = Multipart::new();
        form.text("name", "Ada \"L\"".to_owned());
        form.file(
            "image",
            "face \"1\".jpg",
            "image/jpeg",
            Body::from_static(b"\xff\xd8\x00\r\n--"),
        );
        let boundary = form.boundary.clone();
        let bytes = collect(&mut form).await;
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda \"L\"\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"face %221%22.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        );
        let mut expected = expected.into_bytes();
        expected.extend_from_slice(b"\xff\xd8\x00\r\n--\r\n");
        expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        assert_eq!(bytes, expected);
        assert_eq!(form.len(), Some(expected.len() as u64));
        assert!(form.is_replayable());
        assert_eq!(collect(&mut form).await, expected, "sent again the same");
    }

    #[test]
    fn names_are_escaped_and_boundaries_differ() {
        assert_eq!(escape("a\"b\r\nc"), "a%22b%0D%0Ac");
        assert_ne!(Multipart::new().boundary, Multipart::new().boundary);
        assert!(
            Multipart::new()
                .content_type()
                .starts_with("multipart/form-data; boundary=face-sdk-")
        );
    }

    #[tokio::test]
    async fn a_stream_part_makes_the_form_one_shot_of_unknown_length() {
        let mut form = Multipart::new();
        let chunks = stream::iter([Ok(Bytes::from_static(b"abc"))]);
        form.file(
            "image",
            "image",
            "application/octet-stream",
            Body::from_stream(chunks, None),
        );
        assert_eq!(form.len(), None);
        assert!(!form.is_replayable());
        let sent = collect(&mut form).await;
        assert!(sent.windows(3).any(|window| window == b"abc"));
        assert!(form.for_attempt(None).is_none());
        assert!(form.describe().contains("stream"));
    }
}
