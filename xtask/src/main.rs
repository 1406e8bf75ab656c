//! Maintainer tasks of the Face SDK workspace, run as `cargo xtask <task>`.
//!
//! `cargo xtask regenerate` writes `face-sdk/src/generated/` from `spec/face.yaml`;
//! `cargo xtask regenerate --check` writes nothing and fails when those files are stale.

mod regenerate;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regenerate [--check]";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let outcome =
        regenerate::Workspace::locate().and_then(|workspace| match arguments.as_slice() {
            ["regenerate"] => regenerate::write(&workspace),
            ["regenerate", "--check"] => regenerate::check(&workspace),
            _ => Err(USAGE.to_owned()),
        });
    match outcome {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
