//! Binary request bodies (in-memory bytes that can be sent again, or one-shot
//! streams) and the upload progress reported while they are sent.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncSeekExt;
use tokio_util::io::ReaderStream;

/// Size of the chunks in which files are read and in-memory bodies are
/// handed to the connection when upload progress is reported.
const CHUNK_SIZE: usize = 64 * 1024;

/// The chunks of a body as they are handed to the connection.
pub(crate) type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// Called with the progress of an upload.
pub(crate) type ProgressCallback = Arc<dyn Fn(UploadProgress) + Send + Sync>;

/// How much of a request body has been handed to the connection.
///
/// Reported once per chunk; a retried request reports again from zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes sent so far in this attempt.
    pub sent: u64,
    /// Size of the whole body, when known.
    pub total: Option<u64>,
}

/// The body of a binary upload, such as the image of a detect call.
///
/// In-memory bodies (`Vec<u8>`, [`Bytes`], [`Body::from_static`]) are never copied
/// and can be sent again when a request is retried; a borrowed `&[u8]` is copied once,
/// into a body of its own. A stream
/// ([`Body::from_stream`], [`Body::from_file`]) is read once, so a request
/// carrying one is never retried.
pub struct Body {
    kind: Kind,
}

enum Kind {
    Bytes(Bytes),
    // The mutex only makes `Body` `Sync`; it is never locked.
    Stream {
        stream: Mutex<Option<ChunkStream>>,
        len: Option<u64>,
    },
}

/// An empty body, of length 0.
impl Default for Body {
    fn default() -> Self {
        Body::from(Bytes::new())
    }
}

impl Body {
    /// A body of bytes that live for the whole program, sent without a copy.
    pub fn from_static(bytes: &'static [u8]) -> Body {
        Body::from(Bytes::from_static(bytes))
    }

    /// A body read from a stream of chunks, once; `len` is its size in bytes
    /// when known (sent as `Content-Length`; otherwise the upload is chunked).
    pub fn from_stream<S>(stream: S, len: Option<u64>) -> Body
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        let stream: ChunkStream = Box::pin(stream);
        Body {
            kind: Kind::Stream {
                stream: Mutex::new(Some(stream)),
                len,
            },
        }
    }

    /// A body streamed from a file, from its current position to its end,
    /// without reading it into memory. The length comes from the file's metadata.
    pub async fn from_file(mut file: tokio::fs::File) -> io::Result<Body> {
        let metadata = file.metadata().await?;
        let len = if metadata.is_file() {
            let position = file.stream_position().await?;
            Some(metadata.len().saturating_sub(position))
        } else {
            None
        };
        Ok(Body::from_stream(
            ReaderStream::with_capacity(file, CHUNK_SIZE),
            len,
        ))
    }

    /// Size in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match &self.kind {
            Kind::Bytes(bytes) => Some(bytes.len() as u64),
            Kind::Stream { len, .. } => *len,
        }
    }

    /// Whether the body is known to be empty (`None` when its size is unknown).
    pub fn is_empty(&self) -> Option<bool> {
        self.len().map(|len| len == 0)
    }

    /// Whether the body can be sent more than once (so a request carrying it
    /// can be retried): true for in-memory bytes, false for streams.
    pub fn is_replayable(&self) -> bool {
        matches!(self.kind, Kind::Bytes(_))
    }

    /// The body for one attempt: a cheap clone of in-memory bytes, or the
    /// stream itself (`None` once it was taken). With a progress callback the
    /// body is sent as a stream of chunks, each reported after it is handed over.
    pub(crate) fn for_attempt(
        &mut self,
        progress: Option<&ProgressCallback>,
    ) -> Option<reqwest::Body> {
        if let (Kind::Bytes(bytes), None) = (&self.kind, progress) {
            return Some(reqwest::Body::from(bytes.clone()));
        }
        let total = self.len();
        let stream = self.chunks_for_attempt(progress.is_some())?;
        Some(with_progress(stream, total, progress))
    }

    /// The chunks of the body for one attempt: in-memory bytes as one chunk,
    /// or as chunks of 64 KiB when `split` (to report progress), without
    /// copying; a stream itself (`None` once it was taken).
    pub(crate) fn chunks_for_attempt(&mut self, split: bool) -> Option<ChunkStream> {
        match &mut self.kind {
            Kind::Bytes(bytes) if split => Some(chunks(bytes.clone())),
            Kind::Bytes(bytes) => Some(Box::pin(futures_util::stream::iter([Ok(bytes.clone())]))),
            Kind::Stream { stream, .. } => stream
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        }
    }
}

/// A request body from chunks, reporting progress when there is a callback.
pub(crate) fn with_progress(
    stream: ChunkStream,
    total: Option<u64>,
    progress: Option<&ProgressCallback>,
) -> reqwest::Body {
    match progress {
        Some(callback) => reqwest::Body::wrap_stream(ProgressStream {
            inner: stream,
            sent: 0,
            total,
            callback: Arc::clone(callback),
        }),
        None => reqwest::Body::wrap_stream(stream),
    }
}

/// In-memory bytes as a stream of zero-copy slices.
fn chunks(bytes: Bytes) -> ChunkStream {
    let count = bytes.len().div_ceil(CHUNK_SIZE);
    Box::pin(futures_util::stream::iter((0..count).map(move |index| {
        let start = index * CHUNK_SIZE;
        let end = bytes.len().min(start + CHUNK_SIZE);
        Ok(bytes.slice(start..end))
    })))
}

/// Passes chunks through, reporting the running total after each.
struct ProgressStream {
    inner: ChunkStream,
    sent: u64,
    total: Option<u64>,
    callback: ProgressCallback,
}

impl Stream for ProgressStream {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.poll_next_unpin(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            self.sent = self.sent.saturating_add(chunk.len() as u64);
            (self.callback)(UploadProgress {
                sent: self.sent,
                total: self.total,
            });
        }
        polled
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            Kind::Bytes(_) => "bytes",
            Kind::Stream { .. } => "stream",
        };
        f.debug_struct("Body")
            .field("kind", &kind)
            .field("len", &self.len())
            .finish()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body {
            kind: Kind::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::from(Bytes::from(bytes))
    }
}

/// Copies the borrowed bytes once, into a body that owns them (so the slice need not
/// outlive the call); use [`Body::from_static`] for a `&'static [u8]`, or give a `Vec<u8>`
/// or [`Bytes`] to send without a copy.
impl From<&[u8]> for Body {
    fn from(bytes: &[u8]) -> Self {
        Body::from(Bytes::copy_from_slice(bytes))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    fn one_chunk_stream() -> impl Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
        futures_util::stream::iter([Ok(Bytes::from_static(b"abc"))])
    }

    #[test]
    fn lengths_and_replayability() {
        let body = Body::from(vec![1_u8; 10]);
        assert_eq!(body.len(), Some(10));
        assert!(body.is_replayable());
        assert_eq!(Body::from(&b""[..]).is_empty(), Some(true));
        let stream = Body::from_stream(one_chunk_stream(), Some(3));
        assert_eq!(stream.len(), Some(3));
        assert!(!stream.is_replayable());
        assert_eq!(Body::from_stream(one_chunk_stream(), None).len(), None);
    }

    #[tokio::test]
    async fn a_borrowed_slice_is_copied_and_a_static_one_is_not() {
        static IMAGE: [u8; 3] = [1, 2, 3];
        let mut owner = vec![5_u8; 40];
        let mut copied = Body::from(owner.as_slice());
        let chunk = copied.chunks_for_attempt(false).unwrap().next().await;
        assert_ne!(chunk.unwrap().unwrap().as_ptr(), owner.as_ptr(), "a copy");
        // The body owns its copy: the slice's owner can change or go before it is sent.
        owner.fill(0);
        drop(owner);
        let sent: Vec<u8> = sent_bytes(&mut copied).await;
        assert_eq!(sent, vec![5_u8; 40]);
        assert!(copied.is_replayable());
        assert_eq!(sent_bytes(&mut copied).await, vec![5_u8; 40], "sent again");
        let mut shared = Body::from_static(&IMAGE);
        let chunk = shared.chunks_for_attempt(false).unwrap().next().await;
        assert_eq!(
            chunk.unwrap().unwrap().as_ptr(),
            IMAGE.as_ptr(),
            "not copied"
        );
    }

    /// The bytes of one attempt of `body`.
    async fn sent_bytes(body: &mut Body) -> Vec<u8> {
        let chunks: Vec<Bytes> = body
            .chunks_for_attempt(true)
            .unwrap()
            .map(|chunk| chunk.unwrap())
            .collect()
            .await;
        chunks.concat()
    }

    #[test]
    fn debug_shows_kind_and_length_only() {
        let body = Body::from(&b"secret image bytes"[..]);
        assert_eq!(
            format!("{body:?}"),
            "Body { kind: \"bytes\", len: Some(18) }"
        );
        let stream = Body::from_stream(one_chunk_stream(), None);
        assert_eq!(
            format!("{stream:?}"),
            "Body { kind: \"stream\", len: None }"
        );
    }

    #[test]
    fn body_is_send_and_sync() {
        fn assert_traits<T: Send + Sync>() {}
        assert_traits::<Body>();
    }

    #[test]
    fn a_stream_is_taken_once_and_bytes_every_time() {
        let mut stream = Body::from_stream(one_chunk_stream(), Some(3));
        assert!(stream.for_attempt(None).is_some());
        assert!(stream.for_attempt(None).is_none());
        let mut bytes = Body::from(vec![0_u8; 4]);
        assert!(bytes.for_attempt(None).is_some());
        assert!(bytes.for_attempt(None).is_some());
    }

    #[tokio::test]
    async fn chunks_share_the_original_buffer() {
        let original = Bytes::from(vec![7_u8; CHUNK_SIZE * 2 + 5]);
        let pieces: Vec<Bytes> = chunks(original.clone())
            .map(|chunk| chunk.unwrap())
            .collect()
            .await;
        assert_eq!(
            pieces.iter().map(Bytes::len).collect::<Vec<_>>(),
            [CHUNK_SIZE, CHUNK_SIZE, 5]
        );
        assert_eq!(pieces[0].as_ptr(), original.as_ptr());
        assert_eq!(pieces[2].as_ptr(), original[CHUNK_SIZE * 2..].as_ptr());
        assert!(chunks(Bytes::new()).next().await.is_none());
    }

    #[tokio::test]
    async fn progress_reports_the_running_total() {
        let last = Arc::new(AtomicU64::new(0));
        let calls = Arc::new(AtomicU64::new(0));
        let (last_seen, call_count) = (Arc::clone(&last), Arc::clone(&calls));
        let callback: ProgressCallback = Arc::new(move |progress: UploadProgress| {
            assert_eq!(progress.total, Some((CHUNK_SIZE + 1) as u64));
            assert!(progress.sent > last_seen.swap(progress.sent, Ordering::SeqCst));
            call_count.fetch_add(1, Ordering::SeqCst);
        });
        let stream = ProgressStream {
            inner: chunks(Bytes::from(vec![0_u8; CHUNK_SIZE + 1])),
            sent: 0,
            total: Some((CHUNK_SIZE + 1) as u64),
            callback,
        };
        let total: usize = stream
            .map(|chunk| chunk.unwrap().len())
            .collect::<Vec<_>>()
            .await
            .iter()
            .sum();
        assert_eq!(total, CHUNK_SIZE + 1);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(last.load(Ordering::SeqCst), (CHUNK_SIZE + 1) as u64);
    }

    #[tokio::test]
    async fn from_file_takes_the_length_from_the_current_position() {
        let path = std::env::temp_dir().join(format!("face-sdk-body-{}.bin", std::process::id()));
        tokio::fs::write(&path, vec![1_u8; 3000]).await.unwrap();
        let mut file = tokio::fs::File::open(&path).await.unwrap();
        file.seek(std::io::SeekFrom::Start(1000)).await.unwrap();
        let mut body = Body::from_file(file).await.unwrap();
        assert_eq!(body.len(), Some(2000));
        assert!(!body.is_replayable());
        assert!(body.for_attempt(None).is_some());
        let _ = tokio::fs::remove_file(&path).await;
    }
}
