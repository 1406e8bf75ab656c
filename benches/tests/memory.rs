//! What a call holds when a server sends a 500 MB body, counted by this test
//! binary's allocator (bytes held, not time; the figures are printed by
//! `cargo bench -p face-benches --bench huge_body`). With the default limit, a
//! body read whole ends the call once the limit is passed, holding no more
//! than the limit plus 10%; one that says its size up front is refused before
//! it is read; an error body is cut to its start; a stream holds a chunk; and
//! a body under the limit that says its size is held once, not copied.

use face_benches::huge::{HUGE, HugeBody, Measured, Read, measure};
use face_benches::memory::Counting;
use face_sdk::{DEFAULT_MAX_RESPONSE_BODY, Error};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const LIMIT: u64 = DEFAULT_MAX_RESPONSE_BODY;
const MIB: usize = 1024 * 1024;

fn run(body: HugeBody, read: Read) -> Measured {
    // One call at a time: the counters are the process's.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    face_benches::client_runtime().block_on(measure(body, read))
}

/// The call ended with `ResponseTooLarge` naming the limit, holding at most
/// the limit plus 10% on the way.
fn assert_cut_at_the_limit(measured: &Measured) {
    assert!(
        matches!(measured.outcome, Err(Error::ResponseTooLarge { limit, .. }) if limit == LIMIT),
        "{:?}",
        measured.outcome
    );
    assert!(
        measured.held as u64 <= LIMIT + LIMIT / 10,
        "held {} bytes for a limit of {LIMIT}",
        measured.held
    );
}

#[test]
fn a_chunked_500_mb_json_body_holds_at_most_the_limit_plus_ten_percent() {
    let measured = run(HugeBody::json(200, true), Read::Json);
    assert_cut_at_the_limit(&measured);
}

#[test]
fn a_declared_500_mb_body_is_refused_before_it_is_read() {
    let measured = run(HugeBody::json(200, false), Read::Json);
    assert_cut_at_the_limit(&measured);
    assert!(measured.held < MIB, "held {} bytes", measured.held);
}

#[test]
fn a_500_mb_error_body_is_cut_to_its_start() {
    let measured = run(HugeBody::text(500, true), Read::Json);
    match &measured.outcome {
        Err(Error::Service(error)) => {
            assert_eq!(error.status.as_u16(), 500);
            let excerpt = error.body_excerpt.as_deref().unwrap_or_default();
            assert!(excerpt.starts_with("xxxx"), "{excerpt}");
            assert!(excerpt.len() <= 512, "{} bytes", excerpt.len());
        }
        other => panic!("{other:?}"),
    }
    assert!(measured.held < MIB, "held {} bytes", measured.held);
}

#[test]
fn a_500_mb_binary_download_read_whole_holds_at_most_the_limit_plus_ten_percent() {
    let measured = run(HugeBody::binary(true), Read::Bytes);
    assert_cut_at_the_limit(&measured);
}

#[test]
fn a_500_mb_binary_download_read_as_a_stream_is_read_whole_holding_little() {
    let measured = run(HugeBody::binary(true), Read::Stream);
    assert_eq!(measured.outcome.as_ref().ok(), Some(&HUGE));
    assert!(measured.held < MIB, "held {} bytes", measured.held);
}

#[test]
fn a_declared_32_mib_download_is_held_once() {
    let size = 32 * 1024 * 1024;
    let measured = run(HugeBody::binary(false).sized(size), Read::Bytes);
    assert_eq!(measured.outcome.as_ref().ok(), Some(&size));
    assert!(
        measured.held as u64 <= size + size / 10,
        "held {} bytes for a body of {size}",
        measured.held
    );
}
