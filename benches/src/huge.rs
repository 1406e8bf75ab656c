//! A loopback server that answers one request with a huge body, written from
//! one 64 KiB buffer so that the server itself holds next to nothing: what a
//! broken proxy or endpoint may send a client.

use std::time::Duration;

use face_sdk::{FaceClient, RetryPolicy};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::{KEY, memory};

/// 500 MB, the size of the huge bodies measured.
pub const HUGE: u64 = 500 * 1000 * 1000;

/// What the server answers.
#[derive(Debug, Clone, Copy)]
pub struct HugeBody {
    /// The status code, e.g. 200 or 500.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body's size in bytes.
    pub size: u64,
    /// Chunked (`true`), or with a `Content-Length` (`false`).
    pub chunked: bool,
    /// The byte the body is made of.
    pub fill: u8,
}

impl HugeBody {
    /// A 500 MB body of spaces that says it is JSON.
    pub fn json(status: u16, chunked: bool) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            size: HUGE,
            chunked,
            fill: b' ',
        }
    }

    /// A 500 MB body that is not JSON, e.g. a proxy's page.
    pub fn text(status: u16, chunked: bool) -> Self {
        Self {
            status,
            content_type: "text/plain",
            size: HUGE,
            chunked,
            fill: b'x',
        }
    }

    /// This body with another size.
    #[must_use]
    pub fn sized(self, size: u64) -> Self {
        Self { size, ..self }
    }

    /// A 500 MB binary body.
    pub fn binary(chunked: bool) -> Self {
        Self {
            status: 200,
            content_type: "application/octet-stream",
            size: HUGE,
            chunked,
            fill: 0xA5,
        }
    }

    /// Serves one request with this body on a loopback port, from a task of
    /// the current Tokio runtime, and returns the endpoint (`http://IP:PORT`).
    /// The server stops writing when the client goes away.
    ///
    /// # Panics
    /// When no loopback port can be bound.
    pub async fn serve_once(self) -> String {
        const CHUNK: usize = 64 * 1024;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let endpoint = format!("http://{}", listener.local_addr().expect("its address"));
        tokio::spawn(async move {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut request = [0_u8; 8192];
            let _ = stream.read(&mut request).await;
            let framing = if self.chunked {
                "transfer-encoding: chunked".to_owned()
            } else {
                format!("content-length: {}", self.size)
            };
            let head = format!(
                "HTTP/1.1 {} X\r\ncontent-type: {}\r\n{framing}\r\n\r\n",
                self.status, self.content_type
            );
            // 64 KiB, counted in what a measurement sees held: small beside any limit.
            let fill = vec![self.fill; CHUNK];
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut left = self.size;
            while left > 0 {
                let take = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
                let framed = if self.chunked {
                    let size = format!("{take:x}\r\n");
                    stream.write_all(size.as_bytes()).await.is_ok()
                        && stream.write_all(&fill[..take]).await.is_ok()
                        && stream.write_all(b"\r\n").await.is_ok()
                } else {
                    stream.write_all(&fill[..take]).await.is_ok()
                };
                if !framed {
                    return;
                }
                left -= take as u64;
            }
            if self.chunked {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
            let _ = stream.flush().await;
        });
        endpoint
    }
}

/// How the client reads the huge body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// A JSON call (`v1_2().face_list().get(..)`), decoded whole.
    Json,
    /// A binary download read whole (`v1_2().session_image().get(..).send()`).
    Bytes,
    /// A binary download read chunk by chunk and dropped (`send_stream()`).
    Stream,
}

/// What one call cost.
#[derive(Debug)]
pub struct Measured {
    /// The bytes the call returned, or its error.
    pub outcome: Result<u64, face_sdk::Error>,
    /// The most bytes held on the heap at once during the call, above what
    /// was held before it (counted by [`memory::Counting`]).
    pub held: usize,
    /// The kernel's resident-set peak during the call, above the resident
    /// set before it; `None` where the kernel does not say.
    pub resident: Option<u64>,
}

/// Makes one call of the SDK (default limit, no retries, a 10 s deadline) to a server that
/// answers `body`, reading it as `read`, and measures what it held.
///
/// # Panics
/// When the process's global allocator is not [`memory::Counting`]: the
/// measurement would read zero.
pub async fn measure(body: HugeBody, read: Read) -> Measured {
    assert!(
        memory::counting(),
        "declare face_benches::memory::Counting as the #[global_allocator]"
    );
    let endpoint = body.serve_once().await;
    let client = FaceClient::builder(&endpoint)
        .api_key(KEY)
        .retry(RetryPolicy::none())
        // Reading 500 MB over loopback takes about a second: a call that
        // stalls or repeats fails in 10 s rather than the default deadline.
        .deadline(Duration::from_secs(10))
        .build()
        .expect("a loopback endpoint is accepted");
    let resident_reset = memory::reset_resident_peak();
    let resident_before = memory::resident();
    let baseline = memory::reset();
    let outcome = match read {
        Read::Json => client
            .v1_2()
            .face_list()
            .get("staff")
            .await
            .map(|list| list.face_list_id.len() as u64),
        Read::Bytes => client
            .v1_2()
            .session_image()
            .get("image")
            .await
            .map(|image| image.len() as u64),
        Read::Stream => drain(&client).await,
    };
    let held = memory::peak_above(baseline);
    let resident = match (resident_reset, resident_before, memory::resident()) {
        (true, Some((before, _)), Some((_, peak))) => Some(peak.saturating_sub(before)),
        _ => None,
    };
    Measured {
        outcome,
        held,
        resident,
    }
}

async fn drain(client: &FaceClient) -> Result<u64, face_sdk::Error> {
    let mut stream = client
        .v1_2()
        .session_image()
        .get("image")
        .send_stream()
        .await?
        .into_body();
    let mut total = 0;
    while let Some(chunk) = stream.next().await {
        total += chunk?.len() as u64;
    }
    Ok(total)
}
