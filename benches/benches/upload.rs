//! Memory of a 6 MB `detect_with_stream` upload, counted by a `#[global_allocator]`
//! of this binary: what is allocated on the way from the caller's buffer to
//! the socket, and the peak of memory held above what was live before the call,
//! compared with the size of the image.
//!
//! The client runs on this thread (a current-thread runtime, so hyper's
//! connection task runs here too); the loopback server runs on a thread of its
//! own and reads the body chunk by chunk. Allocations are split by thread; the
//! peak is of the whole process, so it includes the server's read buffer.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use bytes::Bytes;
use face_benches::memory::{self, Counting, Side};
use face_benches::{KEY, PlainClient, client_runtime, sdk_client, standard_server};
use face_sdk::Body;
use tokio::runtime::Runtime;

/// The largest image detect accepts: 6 MB.
const IMAGE_SIZE: usize = 6 * 1024 * 1024;

/// Calls of the upload progress callback, to show that the chunked path was taken.
static PROGRESS_CALLS: AtomicU64 = AtomicU64::new(0);

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one upload cost.
#[derive(Clone, Copy, Default)]
struct Usage {
    client_allocations: u64,
    client_bytes: u64,
    client_big: u64,
    client_largest: usize,
    server_bytes: u64,
    peak_above_start: usize,
    millis: f64,
}

/// Prepares the input with `prepare` (not counted), then counts one `upload` of it.
fn measure<I, F, T, E>(
    runtime: &Runtime,
    runs: usize,
    prepare: impl Fn() -> I,
    upload: impl Fn(I) -> F,
) -> Usage
where
    F: Future<Output = Result<T, E>>,
    E: std::fmt::Debug,
{
    // One upload first, so that the connection and lazily built state exist.
    runtime
        .block_on(upload(prepare()))
        .expect("the upload succeeds");
    let mut worst = Usage::default();
    let mut millis = Vec::new();
    for _ in 0..runs {
        let input = prepare();
        let baseline = memory::reset();
        let started = Instant::now();
        let result = runtime.block_on(upload(input));
        millis.push(started.elapsed().as_secs_f64() * 1e3);
        let client = memory::allocated(Side::Client);
        let usage = Usage {
            client_allocations: client.allocations,
            client_bytes: client.bytes,
            client_big: client.big,
            client_largest: client.largest,
            server_bytes: memory::allocated(Side::Others).bytes,
            peak_above_start: memory::peak_above(baseline),
            millis: 0.0,
        };
        result.expect("the upload succeeds");
        worst = Usage {
            client_allocations: worst.client_allocations.max(usage.client_allocations),
            client_bytes: worst.client_bytes.max(usage.client_bytes),
            client_big: worst.client_big.max(usage.client_big),
            client_largest: worst.client_largest.max(usage.client_largest),
            server_bytes: worst.server_bytes.max(usage.server_bytes),
            peak_above_start: worst.peak_above_start.max(usage.peak_above_start),
            millis: 0.0,
        };
    }
    millis.sort_by(f64::total_cmp);
    worst.millis = millis[millis.len() / 2];
    worst
}

fn image() -> Vec<u8> {
    (0..IMAGE_SIZE).map(|index| (index % 251) as u8).collect()
}

fn main() {
    let benchmarking = std::env::args().any(|argument| argument == "--bench");
    let runs = if benchmarking { 5 } else { 1 };
    memory::mark_client_thread();
    let server = standard_server();
    let runtime = client_runtime();
    let endpoint = server.endpoint("few");
    let sdk = &sdk_client(&endpoint);
    let plain = &PlainClient::new(&endpoint, KEY);
    let file_path =
        std::env::temp_dir().join(format!("face-benches-upload-{}.bin", std::process::id()));
    std::fs::write(&file_path, image()).expect("a temporary image file");

    let rows: Vec<(&str, Usage)> = vec![
        (
            "sdk, Vec<u8>",
            measure(&runtime, runs, image, |image| {
                sdk.v1_0().face().detect_with_stream(image).send()
            }),
        ),
        (
            "sdk, Bytes + on_upload_progress",
            measure(
                &runtime,
                runs,
                || Bytes::from(image()),
                |image| {
                    sdk.v1_0()
                        .face()
                        .detect_with_stream(image)
                        .on_upload_progress(|progress| {
                            std::hint::black_box(progress);
                            PROGRESS_CALLS.fetch_add(1, Relaxed);
                        })
                        .send()
                },
            ),
        ),
        (
            "sdk, Body::from_file",
            measure(
                &runtime,
                runs,
                || {
                    runtime
                        .block_on(tokio::fs::File::open(&file_path))
                        .expect("the image file opens")
                },
                |file| async move {
                    let body = Body::from_file(file).await.expect("the file's length");
                    sdk.v1_0().face().detect_with_stream(body).send().await
                },
            ),
        ),
        (
            "plain reqwest, Bytes",
            measure(
                &runtime,
                runs,
                || Bytes::from(image()),
                |image| plain.detect_with_stream(image),
            ),
        ),
    ];
    let _ = std::fs::remove_file(&file_path);

    let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
    println!(
        "upload summary: detect_with_stream of {IMAGE_SIZE} bytes ({:.1} MiB), worst of {runs} runs \
         after a warm-up; 'x image' is bytes / image size",
        mib(IMAGE_SIZE as f64)
    );
    println!(
        "  {:<32} {:>11} {:>17} {:>10} {:>13} {:>17} {:>14} {:>9}",
        "body",
        "client allocs",
        "client bytes",
        ">= 1 MiB",
        "largest",
        "peak held",
        "server bytes",
        "median"
    );
    for (name, usage) in &rows {
        let ratio = |bytes: f64| bytes / IMAGE_SIZE as f64;
        println!(
            "  {:<32} {:>11} {:>8.2} MiB {:>5.2}x {:>10} {:>8.3} MiB {:>8.2} MiB {:>5.2}x {:>10.2} MiB {:>6.2} ms",
            name,
            usage.client_allocations,
            mib(usage.client_bytes as f64),
            ratio(usage.client_bytes as f64),
            usage.client_big,
            mib(usage.client_largest as f64),
            mib(usage.peak_above_start as f64),
            ratio(usage.peak_above_start as f64),
            mib(usage.server_bytes as f64),
            usage.millis
        );
    }
    println!(
        "  the progress callback ran {} times per upload (64 KiB chunks)",
        PROGRESS_CALLS.load(Relaxed) / (runs as u64 + 1)
    );
    let worst_sdk_peak = rows
        .iter()
        .filter(|(name, _)| name.starts_with("sdk"))
        .map(|(_, usage)| usage.peak_above_start)
        .max()
        .unwrap_or(0);
    println!(
        "  target: the upload holds at most one extra copy of the image: worst SDK peak {:.2}x image: {}",
        worst_sdk_peak as f64 / IMAGE_SIZE as f64,
        if worst_sdk_peak <= IMAGE_SIZE {
            "met"
        } else {
            "MISSED"
        }
    );
}
