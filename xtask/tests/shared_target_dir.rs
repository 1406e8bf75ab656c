//! `cargo xtask` acts on the checkout it runs in, even when checkouts share a target dir
//! (and so share one `xtask` binary that cargo may not rebuild).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace this test belongs to.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A copy of the files of this workspace that git tracks or would track (not `target/`), as a
/// second checkout would have them.
fn checkout(root: &Path, into: &Path) {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files failed");
    for path in listed
        .stdout
        .split(|byte| *byte == 0)
        .filter(|path| !path.is_empty())
    {
        let path = Path::new(std::str::from_utf8(path).expect("paths are UTF-8"));
        let source = root.join(path);
        if !source.is_file() {
            continue; // deleted in the work tree
        }
        let target = into.join(path);
        fs::create_dir_all(target.parent().expect("a file has a parent")).expect("mkdir");
        fs::copy(&source, &target).expect("copy");
    }
}

/// Runs `cargo xtask <arguments>` in `checkout`, with `target_dir` as the target dir.
fn xtask(checkout: &Path, target_dir: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .arg("xtask")
        .args(arguments)
        .current_dir(checkout)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("cargo runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn two_checkouts_sharing_a_target_dir_each_check_and_write_only_themselves() {
    let root = workspace_root();
    // Kept below the outer target dir so that a second run reuses its build.
    let scratch = root.join("target").join("xtask-shared-target-test");
    let _ = fs::remove_dir_all(scratch.join("a"));
    let _ = fs::remove_dir_all(scratch.join("b"));
    let (a, b, shared) = (scratch.join("a"), scratch.join("b"), scratch.join("target"));
    checkout(&root, &a);
    checkout(&root, &b);

    // Checkout A's spec changes; B is untouched and builds the shared binary last.
    let spec = a.join("spec/face.yaml");
    let description = "Whether each detected face comes with a temporary face id";
    let edited = fs::read_to_string(&spec).expect("spec").replacen(
        description,
        "Whether every detected face comes with a temporary face id",
        1,
    );
    fs::write(&spec, edited).expect("write spec");

    let in_b = xtask(&b, &shared, &["regenerate", "--check"]);
    assert!(in_b.status.success(), "B is up to date: {}", text(&in_b));
    assert!(
        text(&in_b).contains(&b.display().to_string()),
        "B names itself: {}",
        text(&in_b)
    );

    let in_a = xtask(&a, &shared, &["regenerate", "--check"]);
    assert!(
        !in_a.status.success(),
        "A's spec changed, so A is stale: {}",
        text(&in_a)
    );
    assert!(
        text(&in_a).contains("stale: face-sdk/src/generated/"),
        "{}",
        text(&in_a)
    );

    let b_generated_before = generated_files(&b);
    let written = xtask(&a, &shared, &["regenerate"]);
    assert!(written.status.success(), "{}", text(&written));
    assert_eq!(
        generated_files(&b),
        b_generated_before,
        "writing A left B as it was"
    );
    let a_now = xtask(&a, &shared, &["regenerate", "--check"]);
    assert!(
        a_now.status.success(),
        "A is up to date after regenerating: {}",
        text(&a_now)
    );
    let b_now = xtask(&b, &shared, &["regenerate", "--check"]);
    assert!(
        b_now.status.success(),
        "B is still up to date: {}",
        text(&b_now)
    );
}

/// The generated files of a checkout, by path.
fn generated_files(checkout: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![
        checkout.join("face-sdk-types/src/generated"),
        checkout.join("face-sdk/src/generated"),
    ];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("read generated dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), fs::read_to_string(&path).expect("read")));
            }
        }
    }
    files.sort();
    files
}
