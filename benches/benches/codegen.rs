//! Generating all the code of `spec/face.yaml` (its models and operations), stage by stage:
//! `spec::parse`, `lower::lower`, emit + format, and `codegen::generate` end to end.
//!
//! Emit and format are private to `codegen`, so their time is `generate` minus
//! `lower_text` (which is parse + lower with error location), printed at the end.
//! To split that further, `format_parse2` and `format_unparse` repeat what
//! `codegen`'s format step does (`syn::parse2` of each file's tokens, then
//! `prettyplease::unparse`) on tokens re-read from the generated files; emit is
//! what remains.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, SamplingMode};
use face_benches::estimates::{criterion_directory, format_ns, typical_ns};

const SPEC: &str = include_str!("../../spec/face.yaml");
const GROUP: &str = "codegen";

/// The target for the whole spec, end to end.
const TARGET_MS: f64 = 50.0;

fn main() {
    let started = SystemTime::now();
    let directory = criterion_directory(Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap());
    let mut criterion = Criterion::default()
        .output_directory(&directory)
        .without_plots()
        .configure_from_args();

    let parsed = codegen::spec::parse(SPEC).expect("the spec parses");
    let files = codegen::generate(SPEC, "spec/face.yaml").expect("the spec generates");
    let lines: usize = files.iter().map(|file| file.contents.lines().count()).sum();
    let tokens: Vec<proc_macro2::TokenStream> = files
        .iter()
        .map(|file| file.contents.parse().expect("generated code lexes"))
        .collect();
    let syntax: Vec<syn::File> = files
        .iter()
        .map(|file| syn::parse_file(&file.contents).expect("generated code parses"))
        .collect();

    let mut group = criterion.benchmark_group(GROUP);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("parse", |b| {
        b.iter(|| codegen::spec::parse(black_box(SPEC)).unwrap());
    });
    group.bench_function("lower", |b| {
        b.iter(|| codegen::lower::lower(black_box(&parsed)).unwrap());
    });
    group.bench_function("parse_and_lower", |b| {
        b.iter(|| codegen::lower_text(black_box(SPEC)).unwrap());
    });
    group.bench_function("format_parse2", |b| {
        b.iter(|| {
            for file in &tokens {
                black_box(syn::parse2::<syn::File>(file.clone()).unwrap());
            }
        });
    });
    group.bench_function("format_unparse", |b| {
        b.iter(|| {
            for file in &syntax {
                black_box(prettyplease::unparse(black_box(file)));
            }
        });
    });
    group.bench_function("generate", |b| {
        b.iter(|| codegen::generate(black_box(SPEC), "spec/face.yaml").unwrap());
    });
    group.finish();
    criterion.final_summary();
    if !std::env::args().any(|argument| argument == "--bench") {
        return; // `cargo test --benches` ran each benchmark once: nothing to summarize.
    }

    let time = |id| typical_ns(&directory, GROUP, id, started);
    println!();
    println!(
        "codegen summary: spec {} bytes -> {} files, {} lines",
        SPEC.len(),
        files.len(),
        lines
    );
    if let (Some(parse), Some(lower), Some(front), Some(parse2), Some(unparse), Some(whole)) = (
        time("parse"),
        time("lower"),
        time("parse_and_lower"),
        time("format_parse2"),
        time("format_unparse"),
        time("generate"),
    ) {
        let back = whole - front;
        println!("  parse           {:>10}", format_ns(parse));
        println!("  lower           {:>10}", format_ns(lower));
        println!(
            "  emit + format   {:>10}  (generate - parse_and_lower)",
            format_ns(back)
        );
        println!(
            "    format        {:>10}  (syn::parse2 {} + prettyplease::unparse {})",
            format_ns(parse2 + unparse),
            format_ns(parse2),
            format_ns(unparse)
        );
        println!(
            "    emit          {:>10}  (the rest)",
            format_ns(back - parse2 - unparse)
        );
        println!(
            "  generate        {:>10}  target < {TARGET_MS} ms: {}",
            format_ns(whole),
            if whole / 1e6 < TARGET_MS {
                "met"
            } else {
                "MISSED"
            }
        );
    } else {
        println!("  (some estimates were not saved in this run; run without a filter)");
    }
}
