//! Memory a call holds when a server sends a 500 MB body, with the client's
//! default body limit (`face_sdk::DEFAULT_MAX_RESPONSE_BODY`): the peak held on
//! the heap above what was held before the call (this binary's counting
//! allocator), and the kernel's resident-set peak above the resident set
//! before it. The target: no more than the limit plus 10%.
//!
//! Each case is one call on a current-thread runtime, its server a task of the
//! same runtime writing from one 64 KiB buffer.

use face_benches::huge::{HugeBody, Read, measure};
use face_benches::memory::Counting;
use face_sdk::DEFAULT_MAX_RESPONSE_BODY;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let runtime = face_benches::client_runtime();
    let limit = DEFAULT_MAX_RESPONSE_BODY;
    let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
    let cases = [
        ("200 JSON, chunked", HugeBody::json(200, true), Read::Json),
        (
            "200 JSON, Content-Length",
            HugeBody::json(200, false),
            Read::Json,
        ),
        (
            "500 text (error), chunked",
            HugeBody::text(500, true),
            Read::Json,
        ),
        (
            "200 binary, chunked, send()",
            HugeBody::binary(true),
            Read::Bytes,
        ),
        (
            "200 binary, chunked, send_stream()",
            HugeBody::binary(true),
            Read::Stream,
        ),
    ];
    println!(
        "huge_body summary: a 500 MB body, default limit {:.0} MiB; peaks above the baseline",
        mib(limit as f64)
    );
    println!(
        "  {:<36} {:>14} {:>9} {:>16} {:>9}  outcome",
        "case", "heap peak", "x limit", "resident peak", "x limit"
    );
    let mut worst: u64 = 0;
    for (name, body, read) in cases {
        let measured = runtime.block_on(measure(body, read));
        let resident = measured.resident.unwrap_or(0);
        worst = worst.max(measured.held as u64).max(resident);
        let outcome = match &measured.outcome {
            Ok(bytes) => format!("ok, {bytes} bytes read"),
            Err(error) => error.to_string().chars().take(60).collect(),
        };
        println!(
            "  {:<36} {:>10.2} MiB {:>8.3}x {:>12.2} MiB {:>8.3}x  {outcome}",
            name,
            mib(measured.held as f64),
            measured.held as f64 / limit as f64,
            mib(resident as f64),
            resident as f64 / limit as f64,
        );
    }
    println!(
        "  target: at most the limit plus 10% ({:.1} MiB): worst {:.2} MiB: {}",
        mib((limit + limit / 10) as f64),
        mib(worst as f64),
        if worst <= limit + limit / 10 {
            "met"
        } else {
            "MISSED"
        }
    );
}
