//! The SDK's cost per call and on decoding, against a loopback server in this process.
//!
//! - `overhead/sdk` is `client.v1_0().face().detect_with_url(url).await` and
//!   `overhead/reqwest` the same request (URL, headers and body checked equal
//!   before measuring) sent with a plain `reqwest::Client` and decoded into the
//!   same `Vec<DetectedFace>`; the server answers 3 faces with every field.
//! - `decode/serde_json_floor` is `serde_json::from_slice::<Vec<DetectedFace>>`
//!   on a body of 100 faces with all 27 landmarks and all attributes. The SDK's
//!   decode is not public, so it is measured through calls: the SDK call on that
//!   body minus the SDK call on `[]`, less what the exchange itself costs (the
//!   same two bodies fetched as bytes with plain reqwest, no decoding).
//!   `decode/reqwest_json_100` (the plain call decoding the 100 faces) gives the
//!   same estimate for the plain client, for comparison.
//!
//! After criterion's output, a summary prints the ratios from criterion's
//! estimates, and again from an interleaved measurement (all sides of a
//! comparison run in alternating rounds, the statistic taken per round), which
//! is less sensitive to other load on a shared machine than benchmarks run one
//! after the other.

use std::future::Future;
use std::hint::black_box;
use std::path::Path;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use criterion::Criterion;
use face_benches::estimates::{criterion_directory, format_ns, typical_ns};
use face_benches::{
    IMAGE_URL, KEY, PlainClient, capture_both, client_runtime, fixtures, sdk_client,
    standard_server,
};
use face_sdk::v1_0::models::DetectedFace;
use tokio::runtime::Runtime;

/// Target: the SDK call costs at most this much more than the plain call.
const OVERHEAD_TARGET: f64 = 1.10;
/// Target: the SDK's decode costs at most this much more than `serde_json::from_slice`.
const DECODE_TARGET: f64 = 1.2;

fn main() {
    let started = SystemTime::now();
    let directory = criterion_directory(Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap());
    let mut criterion = Criterion::default()
        .output_directory(&directory)
        .without_plots()
        .configure_from_args();

    let server = standard_server();
    let runtime = client_runtime();
    let few = server.endpoint("few");
    let (sdk_few, plain_few) = (sdk_client(&few), PlainClient::new(&few, KEY));
    let (sdk_request, plain_request) = capture_both(&runtime, &server, &sdk_few, &plain_few);
    assert_eq!(
        sdk_request, plain_request,
        "the SDK and the plain client must send the same request"
    );
    let few_faces = runtime
        .block_on(plain_few.detect_with_url(IMAGE_URL))
        .unwrap()
        .len();

    let mut group = criterion.benchmark_group("overhead");
    group
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));
    group.bench_function("sdk", |b| {
        b.to_async(&runtime).iter(|| async {
            sdk_few
                .v1_0()
                .face()
                .detect_with_url(IMAGE_URL)
                .await
                .unwrap()
        });
    });
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| async { plain_few.detect_with_url(IMAGE_URL).await.unwrap() });
    });
    group.finish();

    let hundred_body = fixtures::detect_response(100);
    let (hundred, empty) = (server.endpoint("hundred"), server.endpoint("empty"));
    let (sdk_hundred, sdk_empty) = (sdk_client(&hundred), sdk_client(&empty));
    let (plain_hundred, plain_empty) = (
        PlainClient::new(&hundred, KEY),
        PlainClient::new(&empty, KEY),
    );
    let mut group = criterion.benchmark_group("decode");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("serde_json_floor", |b| {
        b.iter(|| serde_json::from_slice::<Vec<DetectedFace>>(black_box(&hundred_body)).unwrap());
    });
    group.bench_function("sdk_call_100", |b| {
        b.to_async(&runtime).iter(|| async {
            sdk_hundred
                .v1_0()
                .face()
                .detect_with_url(IMAGE_URL)
                .await
                .unwrap()
        });
    });
    group.bench_function("sdk_call_empty", |b| {
        b.to_async(&runtime).iter(|| async {
            sdk_empty
                .v1_0()
                .face()
                .detect_with_url(IMAGE_URL)
                .await
                .unwrap()
        });
    });
    group.bench_function("reqwest_bytes_100", |b| {
        b.to_async(&runtime).iter(|| async {
            plain_hundred
                .detect_with_url_bytes(IMAGE_URL)
                .await
                .unwrap()
        });
    });
    group.bench_function("reqwest_json_100", |b| {
        b.to_async(&runtime)
            .iter(|| async { plain_hundred.detect_with_url(IMAGE_URL).await.unwrap() });
    });
    group.bench_function("reqwest_bytes_empty", |b| {
        b.to_async(&runtime)
            .iter(|| async { plain_empty.detect_with_url_bytes(IMAGE_URL).await.unwrap() });
    });
    group.finish();
    criterion.final_summary();

    let arguments: Vec<String> = std::env::args().collect();
    if !arguments.iter().any(|argument| argument == "--bench")
        || arguments
            .iter()
            .any(|argument| argument == "--profile-time")
    {
        // `cargo test --benches` ran each benchmark once, `--profile-time` ran
        // them without measuring: nothing to summarize.
        return;
    }
    println!();
    let time = |group, id| typical_ns(&directory, group, id, started);
    let sdk_call = || async {
        sdk_few
            .v1_0()
            .face()
            .detect_with_url(IMAGE_URL)
            .await
            .unwrap()
    };
    let plain_call = || async { plain_few.detect_with_url(IMAGE_URL).await.unwrap() };
    let overhead = interleaved(&runtime, &[contender(sdk_call), contender(plain_call)]);
    print_overhead(
        time("overhead", "sdk"),
        time("overhead", "reqwest"),
        &overhead,
        few_faces,
    );
    let decode = interleaved(
        &runtime,
        &[
            contender(|| async {
                serde_json::from_slice::<Vec<DetectedFace>>(black_box(&hundred_body)).unwrap()
            }),
            contender(|| async {
                sdk_hundred
                    .v1_0()
                    .face()
                    .detect_with_url(IMAGE_URL)
                    .await
                    .unwrap()
            }),
            contender(|| async {
                sdk_empty
                    .v1_0()
                    .face()
                    .detect_with_url(IMAGE_URL)
                    .await
                    .unwrap()
            }),
            contender(|| async {
                plain_hundred
                    .detect_with_url_bytes(IMAGE_URL)
                    .await
                    .unwrap()
            }),
            contender(|| async { plain_empty.detect_with_url_bytes(IMAGE_URL).await.unwrap() }),
            contender(|| async { plain_hundred.detect_with_url(IMAGE_URL).await.unwrap() }),
        ],
    );
    print_decode(
        hundred_body.len(),
        [
            time("decode", "serde_json_floor"),
            time("decode", "sdk_call_100"),
            time("decode", "sdk_call_empty"),
            time("decode", "reqwest_bytes_100"),
            time("decode", "reqwest_bytes_empty"),
            time("decode", "reqwest_json_100"),
        ],
        &decode,
    );
}

/// One side of an interleaved measurement: a call whose output is dropped.
type Contender<'a> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + 'a>> + 'a>;

fn contender<'a, F, Fut, T>(call: F) -> Contender<'a>
where
    F: Fn() -> Fut + 'a,
    Fut: Future<Output = T> + 'a,
{
    Box::new(move || {
        let future = call();
        Box::pin(async move {
            black_box(future.await);
        })
    })
}

/// Nanoseconds per call of each contender, one row per round.
struct Rounds {
    calls: Vec<u32>,
    times: Vec<Vec<f64>>,
}

impl Rounds {
    /// Quartiles of `statistic` computed on each round.
    fn quartiles(&self, statistic: impl Fn(&[f64]) -> f64) -> [f64; 3] {
        let mut values: Vec<f64> = self.times.iter().map(|round| statistic(round)).collect();
        [
            quantile(&mut values, 0.25),
            quantile(&mut values, 0.5),
            quantile(&mut values, 0.75),
        ]
    }

    /// The median time per call of contender `index`.
    fn median(&self, index: usize) -> f64 {
        self.quartiles(|round| round[index])[1]
    }
}

/// Runs the contenders in rounds of about `SLICE` each, the order rotating
/// from round to round, so that a change in the machine's load hits all of
/// them alike; a statistic computed per round (a ratio, a difference) then
/// compares like with like.
fn interleaved(runtime: &Runtime, contenders: &[Contender<'_>]) -> Rounds {
    const ROUNDS: usize = 40;
    const SLICE: Duration = Duration::from_millis(15);
    async fn timed(calls: u32, contender: &Contender<'_>) -> f64 {
        let start = Instant::now();
        for _ in 0..calls {
            contender().await;
        }
        start.elapsed().as_nanos() as f64 / f64::from(calls)
    }
    runtime.block_on(async {
        let mut calls = Vec::new();
        for contender in contenders {
            // Warm up, and size the slice of each contender.
            let per_call = timed(20, contender).await;
            calls.push(((SLICE.as_nanos() as f64 / per_call) as u32).max(1));
        }
        let mut times = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            let mut row = vec![0.0; contenders.len()];
            for step in 0..contenders.len() {
                let index = (round + step) % contenders.len();
                row[index] = timed(calls[index], &contenders[index]).await;
            }
            times.push(row);
        }
        Rounds { calls, times }
    })
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let index = ((values.len() - 1) as f64 * q).round() as usize;
    values[index]
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

fn print_overhead(sdk: Option<f64>, plain: Option<f64>, rounds: &Rounds, faces: usize) {
    println!("overhead summary: detect_with_url, response of {faces} faces, loopback HTTP/1.1");
    if let (Some(sdk), Some(plain)) = (sdk, plain) {
        println!(
            "  criterion:   sdk {} vs reqwest {}: ratio {:.3} ({} per call)",
            format_ns(sdk),
            format_ns(plain),
            sdk / plain,
            signed_ns(sdk - plain)
        );
    }
    let [low, median, high] = rounds.quartiles(|round| round[0] / round[1]);
    let (sdk, plain) = (rounds.median(0), rounds.median(1));
    println!(
        "  interleaved: sdk {} vs reqwest {}: ratio {median:.3} (quartiles {low:.3}..{high:.3} \
         over {} rounds of {} and {} calls), {} per call; target <= {OVERHEAD_TARGET:.2}: {}",
        format_ns(sdk),
        format_ns(plain),
        rounds.times.len(),
        rounds.calls[0],
        rounds.calls[1],
        signed_ns(sdk - plain),
        verdict(median <= OVERHEAD_TARGET)
    );
}

/// The SDK's decode estimated from one set of times: floor, SDK call on 100
/// faces and on none, the exchange alone on 100 faces and on none.
fn sdk_decode(times: &[f64]) -> f64 {
    (times[1] - times[2]) - (times[3] - times[4])
}

/// The same decode done inside the plain reqwest call (`Response::json`):
/// plain call decoding 100 faces minus the exchange alone on 100 faces.
fn plain_decode(times: &[f64]) -> f64 {
    times[5] - times[3]
}

fn print_decode(body_len: usize, criterion: [Option<f64>; 6], rounds: &Rounds) {
    println!("decode summary: 100 faces, all landmarks and attributes, {body_len} bytes");
    println!(
        "  sdk decode = (sdk call 100 faces - sdk call empty) - (reqwest bytes 100 - reqwest bytes empty)"
    );
    println!(
        "  plain decode = reqwest json 100 - reqwest bytes 100 (the same from_slice, inside a call)"
    );
    if let Some(times) = criterion.into_iter().collect::<Option<Vec<f64>>>() {
        let decode = sdk_decode(&times);
        println!(
            "  criterion:   floor {} ({:.0} MB/s); sdk decode {} = ({} - {}) - ({} - {}) = {:.3} x floor",
            format_ns(times[0]),
            body_len as f64 / times[0] * 1e3,
            format_ns(decode),
            format_ns(times[1]),
            format_ns(times[2]),
            format_ns(times[3]),
            format_ns(times[4]),
            decode / times[0]
        );
        println!(
            "               plain decode {} = {} - {} = {:.3} x floor; sdk decode / plain decode {:.3}",
            format_ns(plain_decode(&times)),
            format_ns(times[5]),
            format_ns(times[3]),
            plain_decode(&times) / times[0],
            decode / plain_decode(&times)
        );
    }
    let [low, median, high] = rounds.quartiles(|round| sdk_decode(round) / round[0]);
    println!(
        "  interleaved: floor {}; sdk decode {}: {median:.3} x floor (quartiles {low:.3}..{high:.3} \
         over {} rounds); target <= {DECODE_TARGET}: {}",
        format_ns(rounds.median(0)),
        format_ns(rounds.quartiles(sdk_decode)[1]),
        rounds.times.len(),
        verdict(median <= DECODE_TARGET)
    );
    let [low, median, high] = rounds.quartiles(|round| plain_decode(round) / round[0]);
    println!(
        "               plain decode {}: {median:.3} x floor (quartiles {low:.3}..{high:.3}); \
         sdk decode / plain decode {:.3}",
        format_ns(rounds.quartiles(plain_decode)[1]),
        rounds.quartiles(|round| sdk_decode(round) / plain_decode(round))[1]
    );
}

fn signed_ns(ns: f64) -> String {
    if ns < 0.0 {
        format!("-{}", format_ns(-ns))
    } else {
        format!("+{}", format_ns(ns))
    }
}
