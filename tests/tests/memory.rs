//! What a call holds when a server sends a huge body: measured with this test
//! binary's own counting allocator (bytes held, not time). A 500 MB body ends
//! the call once the client's limit is passed, holding no more than the limit
//! plus 10%; one that says its size up front is refused before it is read.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use face_sdk::{DEFAULT_MAX_RESPONSE_BODY, Error, FaceClient, RetryPolicy};
use face_sdk_tests::KEY;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Bytes allocated and not yet freed, and the most there were since the last reset.
static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

impl Counting {
    fn grow(size: usize) {
        let held = HELD.fetch_add(size, Ordering::SeqCst) + size;
        PEAK.fetch_max(held, Ordering::SeqCst);
    }
}

// SAFETY: every call is forwarded to the system allocator as is; only counters change.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            Self::grow(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(pointer, layout) };
        HELD.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            // Counted as a new block, then the old one freed: a moving realloc
            // holds both for a moment.
            Self::grow(new_size);
            HELD.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const HUGE: u64 = 500 * 1000 * 1000;
const MIB: f64 = 1024.0 * 1024.0;

/// Serves one request with a 500 MB JSON-looking body of spaces, written
/// from one static buffer: chunked, or with its `Content-Length`.
async fn huge_body_server(chunked: bool) -> String {
    static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0_u8; 4096];
        let _ = stream.read(&mut request).await;
        let framing = if chunked {
            "transfer-encoding: chunked".to_owned()
        } else {
            format!("content-length: {HUGE}")
        };
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let mut sent = 0;
        while sent < HUGE {
            if chunked && stream.write_all(b"10000\r\n").await.is_err() {
                return;
            }
            if stream.write_all(&SPACES).await.is_err() {
                return;
            }
            if chunked && stream.write_all(b"\r\n").await.is_err() {
                return;
            }
            sent += SPACES.len() as u64;
        }
    });
    uri
}

/// Calls a server that sends a 500 MB body and returns the error and the
/// most bytes held above what was held before the call.
async fn call_huge(chunked: bool) -> (Error, usize) {
    let uri = huge_body_server(chunked).await;
    let client = FaceClient::builder(&uri)
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let before = HELD.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let error = client.v1_0().face_list().get("staff").await.unwrap_err();
    let held = PEAK.load(Ordering::SeqCst).saturating_sub(before);
    (error, held)
}

#[tokio::test]
async fn a_500_mb_body_holds_at_most_the_limit_plus_ten_percent() {
    let limit = DEFAULT_MAX_RESPONSE_BODY;

    let (error, held_chunked) = call_huge(true).await;
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: named, .. } if named == limit),
        "{error:?}"
    );
    let (error, held_declared) = call_huge(false).await;
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");

    println!(
        "500 MB body, limit {:.1} MiB: chunked, peak held {:.2} MiB ({:.3}x the limit); \
         with Content-Length, peak held {:.3} MiB",
        limit as f64 / MIB,
        held_chunked as f64 / MIB,
        held_chunked as f64 / limit as f64,
        held_declared as f64 / MIB,
    );
    assert!(
        (held_chunked as u64) <= limit + limit / 10,
        "held {held_chunked} bytes for a limit of {limit}"
    );
    assert!(
        held_declared < 1024 * 1024,
        "held {held_declared} bytes before refusing"
    );
}
