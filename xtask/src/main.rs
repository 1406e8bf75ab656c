//! Maintainer tasks of the Face SDK workspace, run as `cargo xtask <task>`.
//!
//! `cargo xtask regenerate` writes the generated code (the models in face-sdk-types, the
//! operations in face-sdk, the emulator's tables in face-mock) from the specs and prints what
//! changed in the public surface of each API version since `HEAD`;
//! `cargo xtask regenerate --check` writes nothing and fails when those files are stale.
//! `--report markdown` prints that report in Markdown, for a pull request's description.
//! `cargo xtask upstream <official.json> --version <v>` checks a spec against the vendor's
//! published description of that service version (see `upstream`); `cargo xtask report
//! --from <v> --to <w>` reports what changes between two service versions of one spec.

mod regenerate;
mod report;
mod surface;
mod upstream;
mod version_report;

use std::process::ExitCode;

use report::Format;

const USAGE: &str = "usage: cargo xtask regenerate [--check] [--report text|markdown]\n       cargo xtask upstream <official Face.json> --version <version> [--spec <spec.yaml>]\n       cargo xtask report --from <version> --to <version> [--spec <spec.yaml>] [--report text|markdown]";

/// What `regenerate` was asked to do.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    check: bool,
    format: Format,
}

fn parse(arguments: &[&str]) -> Result<Options, String> {
    let ["regenerate", rest @ ..] = arguments else {
        return Err(USAGE.to_owned());
    };
    let mut options = Options {
        check: false,
        format: Format::Text,
    };
    let mut rest = rest.iter();
    while let Some(argument) = rest.next() {
        match *argument {
            "--check" => options.check = true,
            "--report" => {
                options.format = match rest.next() {
                    Some(&"text") => Format::Text,
                    Some(&"markdown") => Format::Markdown,
                    _ => return Err(USAGE.to_owned()),
                }
            }
            _ => return Err(USAGE.to_owned()),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    if let ["upstream", rest @ ..] = &arguments[..] {
        return upstream_main(rest);
    }
    if let ["report", rest @ ..] = &arguments[..] {
        let outcome = version_report::parse(rest).and_then(|options| {
            version_report::run(regenerate::Workspace::locate()?.root(), &options)
        });
        return match outcome {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        };
    }
    let options = match parse(&arguments) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = regenerate::Workspace::locate()
        .map_err(regenerate::Output::log)
        .and_then(|workspace| {
            if options.check {
                regenerate::check(&workspace, options.format)
            } else {
                regenerate::write(&workspace, options.format)
            }
        });
    // In Markdown the report alone goes to standard output, ready to paste or redirect.
    let markdown = options.format == Format::Markdown;
    match outcome {
        Ok(output) => {
            if markdown {
                eprint!("{}", output.log);
            } else {
                print!("{}", output.log);
            }
            print!("{}", output.report);
            ExitCode::SUCCESS
        }
        Err(output) => {
            eprint!("{}", output.log);
            if markdown {
                print!("{}", output.report);
            } else {
                eprint!("{}", output.report);
            }
            ExitCode::FAILURE
        }
    }
}

fn upstream_main(arguments: &[&str]) -> ExitCode {
    let outcome = upstream::parse(arguments).and_then(|options| {
        let workspace = regenerate::Workspace::locate()?;
        let specs: Vec<&str> = regenerate::APIS.iter().map(|(spec, _)| *spec).collect();
        upstream::run(workspace.root(), &options, &specs)
    });
    match outcome {
        Ok((text, true)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Ok((text, false)) => {
            print!("{text}");
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_options_in_any_order() {
        let markdown_check = Options {
            check: true,
            format: Format::Markdown,
        };
        assert_eq!(
            parse(&["regenerate", "--report", "markdown", "--check"]),
            Ok(markdown_check)
        );
        assert_eq!(
            parse(&["regenerate"]),
            Ok(Options {
                check: false,
                format: Format::Text
            })
        );
        assert!(parse(&["regenerate", "--report"]).is_err());
        assert!(parse(&["regenerate", "--report", "html"]).is_err());
        assert!(parse(&["build"]).is_err());
    }
}
