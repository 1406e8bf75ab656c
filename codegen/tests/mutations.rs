//! The generator either refuses a broken spec with a located error, or generates code that
//! compiles: the two real specs, mutated a few hundred deterministic ways (keys deleted, types
//! changed, references dangled or emptied, odd names, contradictory bounds, duplicate keys,
//! broken defaults), never make it panic, and every refusal names its pointer.
//!
//! With `FACE_MUTATION_COMPILE=1` (set by `.ci/run`) a sample of the accepted mutations is also
//! compiled with `-D warnings`, each as a module of the scratch copies of face-sdk-types and
//! face-sdk under the target dir.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch_sdk.rs"]
mod scratch_sdk;
use scratch_sdk::{Module, ScratchSdk};

const SPECS: [&str; 2] = ["spec/face.yaml", "spec/face-v1.2.yaml"];
/// At most this many mutations of one operator per spec.
const PER_OPERATOR: usize = 14;
/// How many accepted mutations the compile step builds.
const COMPILE_SAMPLE: usize = 24;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every line index where `matches` holds, thinned to at most `PER_OPERATOR` spread evenly.
fn sites(lines: &[&str], matches: impl Fn(&str) -> bool) -> Vec<usize> {
    let all: Vec<usize> = (0..lines.len()).filter(|&i| matches(lines[i])).collect();
    let step = all.len().div_ceil(PER_OPERATOR).max(1);
    all.into_iter().step_by(step).collect()
}

fn indent(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The mutated texts of one spec, each with a name saying what was done.
fn mutations(spec: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = spec.lines().collect();
    let mut out = Vec::new();
    let mut edit = |name: String, index: usize, replacement: Vec<String>| {
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            if i == index {
                for line in &replacement {
                    text.push_str(line);
                    text.push('\n');
                }
            } else {
                text.push_str(line);
                text.push('\n');
            }
        }
        out.push((name, text));
    };
    let key_line = |l: &str| {
        let t = l.trim_start();
        !t.starts_with('#') && t.contains(": ") && !t.starts_with("- ")
    };
    for i in sites(&lines, |l| {
        !l.trim().is_empty() && !l.trim_start().starts_with('#')
    }) {
        edit(format!("delete line {}", i + 1), i, vec![]);
    }
    for (from, to) in [
        ("type: integer", "type: string"),
        ("type: string", "type: integer"),
        ("type: object", "type: array"),
        ("type: array", "type: object"),
        ("type: boolean", "type: nothing"),
    ] {
        for i in sites(&lines, |l| l.trim() == from) {
            edit(
                format!("line {}: {from} → {to}", i + 1),
                i,
                vec![lines[i].replace(from, to)],
            );
        }
    }
    for i in sites(&lines, |l| l.trim().starts_with("type: ")) {
        edit(
            format!("line {}: type removed", i + 1),
            i,
            vec![format!("{}x-removed: true", indent(lines[i]))],
        );
    }
    for i in sites(&lines, |l| l.trim_start().starts_with("$ref: ")) {
        let ind = indent(lines[i]);
        edit(
            format!("line {}: $ref dangled", i + 1),
            i,
            vec![lines[i].replace(
                "$ref: '#/components/schemas/",
                "$ref: '#/components/schemas/Nowhere",
            )],
        );
        edit(
            format!("line {}: $ref emptied", i + 1),
            i,
            vec![format!("{ind}$ref: ''")],
        );
        edit(
            format!("line {}: $ref replaced by {{}}", i + 1),
            i,
            vec![format!("{ind}x-was-ref: true")],
        );
    }
    for i in sites(&lines, |l| {
        key_line(l)
            && l.trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
    }) {
        let (key, rest) = lines[i].trim_start().split_once(':').unwrap_or_default();
        for odd in ["type", "self", "9lives", "x y-z", "Ünïcode", "r#match"] {
            edit(
                format!("line {}: key `{key}` renamed `{odd}`", i + 1),
                i,
                vec![format!("{}'{odd}':{rest}", indent(lines[i]))],
            );
        }
    }
    for (key, value) in [
        ("maximum", "-5"),
        ("minimum", "100000"),
        ("maxLength", "0"),
        ("maxItems", "0"),
        ("minLength", "100000"),
        ("minItems", "100000"),
    ] {
        for i in sites(&lines, |l| l.trim_start().starts_with(&format!("{key}: "))) {
            edit(
                format!("line {}: {key}: {value}", i + 1),
                i,
                vec![format!("{}{key}: {value}", indent(lines[i]))],
            );
        }
    }
    for i in sites(&lines, |l| l.trim_start().starts_with("default: ")) {
        for value in ["-7", "'not-a-value'", "[]", "true"] {
            edit(
                format!("line {}: default: {value}", i + 1),
                i,
                vec![format!("{}default: {value}", indent(lines[i]))],
            );
        }
    }
    for i in sites(&lines, key_line) {
        edit(
            format!("line {}: duplicated", i + 1),
            i,
            vec![lines[i].to_owned(), lines[i].to_owned()],
        );
    }
    for i in sites(&lines, |l| l.trim_start().starts_with("description: ")) {
        edit(
            format!("line {}: description emptied", i + 1),
            i,
            vec![format!("{}description: ''", indent(lines[i]))],
        );
    }
    out
}

struct Outcome {
    refused: usize,
    accepted: Vec<(String, Vec<codegen::GeneratedFile>)>,
}

fn run(spec_path: &str) -> Outcome {
    let spec = fs::read_to_string(workspace().join(spec_path)).expect("the spec");
    let mut outcome = Outcome {
        refused: 0,
        accepted: Vec::new(),
    };
    let mut problems = Vec::new();
    for (name, text) in mutations(&spec) {
        let result = panic::catch_unwind(|| codegen::generate(&text, spec_path));
        match result {
            Err(_) => problems.push(format!("{spec_path}, {name}: the generator panicked")),
            Ok(Err(error)) => {
                outcome.refused += 1;
                let unreadable = error.message.starts_with("the spec is not readable YAML");
                if error.pointer.is_none() && !(unreadable && error.line.is_some()) {
                    problems.push(format!(
                        "{spec_path}, {name}: refused without a pointer: {error}"
                    ));
                }
                let first = error.message.chars().next();
                if first.is_some_and(char::is_uppercase) || error.message.ends_with('.') {
                    problems.push(format!(
                        "{spec_path}, {name}: not lower-case without a period: {error}"
                    ));
                }
            }
            Ok(Ok(files)) => outcome.accepted.push((name, files)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    outcome
}

#[test]
fn mutated_specs_are_refused_with_a_pointer_or_generate() {
    let started = std::time::Instant::now();
    panic::set_hook(Box::new(|_| {}));
    let outcomes: Vec<(&str, Outcome)> = SPECS.iter().map(|spec| (*spec, run(spec))).collect();
    let _ = panic::take_hook();
    let refused: usize = outcomes.iter().map(|(_, outcome)| outcome.refused).sum();
    let accepted: usize = outcomes
        .iter()
        .map(|(_, outcome)| outcome.accepted.len())
        .sum();
    println!(
        "mutations: {refused} refused, {accepted} accepted in {:?}",
        started.elapsed()
    );
    assert!(
        refused + accepted >= 300,
        "only {} mutations",
        refused + accepted
    );
    assert!(refused > 0 && accepted >= COMPILE_SAMPLE);
    if std::env::var_os("FACE_MUTATION_COMPILE").is_some() {
        let compiled = compile_sample(&outcomes);
        println!("mutations: {compiled} accepted ones compiled with -D warnings");
    }
}

/// Writes a sample of the accepted mutations, each its own module, into copies of
/// face-sdk-types and face-sdk laid out as in the workspace (`support/scratch_sdk.rs`), and
/// checks both with `-D warnings`; returns how many it compiled.
fn compile_sample(outcomes: &[(&str, Outcome)]) -> usize {
    let target = workspace().join("target");
    let mut scratch = ScratchSdk::create(&workspace(), target.join("mutation-check"), &[]);
    let sample: Vec<&(String, Vec<codegen::GeneratedFile>)> = outcomes
        .iter()
        .flat_map(|(_, outcome)| {
            let step = (outcome.accepted.len() / (COMPILE_SAMPLE / 2)).max(1);
            outcome
                .accepted
                .iter()
                .step_by(step)
                .take(COMPILE_SAMPLE / 2)
        })
        .collect();
    let names: Vec<String> = (0..sample.len())
        .map(|index| format!("m{index:03}"))
        .collect();
    let modules: Vec<Module<'_>> = sample
        .iter()
        .zip(&names)
        .map(|((mutation, files), name)| Module {
            name,
            doc: mutation,
            files,
        })
        .collect();
    scratch.write(&modules);
    let status = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--quiet",
            "--workspace",
            "--no-default-features",
            "--manifest-path",
        ])
        .arg(scratch.root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target.join("mutation-check-target"))
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .expect("cargo check runs");
    assert!(
        status.success(),
        "accepted mutations do not compile; see target/mutation-check"
    );
    sample.len()
}
