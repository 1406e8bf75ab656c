//! face-sdk-types, the models, ids and error type, depends on nothing of HTTP: a user's build
//! then compiles it beside reqwest's chain rather than after it (`benches/build-cost.sh`).

use std::process::Command;

/// The crates of the HTTP client's side of the graph, which face-sdk-types must not wait for.
const HTTP_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "h2",
    "tokio",
    "tower",
    "rustls",
    "native-tls",
    "aws-lc-rs",
    "ring",
];

/// The crates `package` depends on, directly or not, with every feature: one name per line
/// of `cargo tree`.
fn dependencies(package: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--all-features",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--package",
            package,
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn face_sdk_types_depends_on_nothing_of_http() {
    let types = dependencies("face-sdk-types");
    assert!(
        types.iter().any(|name| name == "serde"),
        "the list is read: {types:?}"
    );
    let http: Vec<&String> = types
        .iter()
        .filter(|name| HTTP_CRATES.contains(&name.as_str()))
        .collect();
    assert!(
        http.is_empty(),
        "face-sdk-types depends on {http:?}, so it compiles after them"
    );
}

#[test]
fn face_sdk_takes_its_models_from_face_sdk_types() {
    let client = dependencies("face-sdk");
    assert!(
        client.iter().any(|name| name == "face-sdk-types"),
        "{client:?}"
    );
    assert!(client.iter().any(|name| name == "reqwest"), "{client:?}");
}
