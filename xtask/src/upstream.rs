//! `cargo xtask upstream <official.json> --version <v> [--spec <path>]`: checks a spec, as it
//! describes service version `v`, against the vendor's published Swagger 2.0 description of
//! that version, and lists every wire fact on which they differ: operations (method and
//! path), parameters (name, location, type, required, enum, bounds, default), request and
//! response bodies, and the properties of the objects they carry (name, type, required,
//! nullable, enum, bounds, and in requests the default).
//!
//! The spec is read through the generator (`lower_text`) and seen at the version with
//! `ir::Api::at_version`; the official document is read from the given path and never kept.
//! A difference the spec marks with `x-sdk-upstream-differs: "<reason>"` (on the operation,
//! parameter, media type, property or schema, covering what is below it) is deliberate and
//! listed apart with its reason; any other difference fails the run. Description texts, the
//! order of things, model names and documentation-only keywords are not wire facts and are
//! not compared; neither are error responses, which every operation shares.

mod compare;
mod official;

use std::fmt::Write as _;
use std::path::Path;

pub use compare::Difference;

/// What `upstream` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub official: String,
    pub version: String,
    /// The spec to check, relative to the workspace; by default the one that lists the version.
    pub spec: Option<String>,
}

pub const USAGE: &str =
    "usage: cargo xtask upstream <official Face.json> --version <version> [--spec <spec.yaml>]";

pub fn parse(arguments: &[&str]) -> Result<Options, String> {
    let mut official = None;
    let mut version = None;
    let mut spec = None;
    let mut rest = arguments.iter();
    while let Some(argument) = rest.next() {
        let slot = match *argument {
            "--version" => &mut version,
            "--spec" => &mut spec,
            other if !other.starts_with("--") && official.is_none() => {
                official = Some((*other).to_owned());
                continue;
            }
            _ => return Err(USAGE.to_owned()),
        };
        *slot = Some((*rest.next().ok_or(USAGE)?).to_owned());
    }
    match (official, version) {
        (Some(official), Some(version)) => Ok(Options {
            official,
            version,
            spec,
        }),
        _ => Err(USAGE.to_owned()),
    }
}

/// The outcome of a comparison.
#[derive(Debug)]
pub struct Report {
    pub unexplained: Vec<Difference>,
    pub deliberate: Vec<Difference>,
    pub operations: usize,
}

/// Compares the spec text at `version` with the text of the official document.
pub fn check(spec_yaml: &str, version: &str, official_json: &str) -> Result<Report, String> {
    let api = codegen::lower_text(spec_yaml).map_err(|error| error.render("the spec"))?;
    let at = api.at_version(version).ok_or_else(|| {
        format!(
            "the spec does not describe `{version}`; its server version variable lists {}",
            api.versions.join(", ")
        )
    })?;
    let official = official::Official::parse(official_json, version)
        .map_err(|error| format!("the official document: {error}"))?;
    let operations = official
        .operations()?
        .iter()
        .map(|(_, forms)| forms.len())
        .sum();
    let (deliberate, unexplained) = compare::compare(&at, &official)?
        .into_iter()
        .partition(|difference| difference.deliberate.is_some());
    Ok(Report {
        unexplained,
        deliberate,
        operations,
    })
}

impl Report {
    /// The report as printed: the unexplained differences, the deliberate ones with their
    /// reasons, and a summary line.
    pub fn render(&self, spec: &str, version: &str) -> String {
        let mut text = String::new();
        if !self.unexplained.is_empty() {
            text.push_str("Unexplained differences (fix the spec, or mark them with x-sdk-upstream-differs and a reason):\n");
            for difference in &self.unexplained {
                let _ = writeln!(text, "  {}: {}", difference.place, difference.what);
            }
        }
        if !self.deliberate.is_empty() {
            text.push_str("Deliberate differences (x-sdk-upstream-differs):\n");
            for difference in &self.deliberate {
                let _ = writeln!(
                    text,
                    "  {}: {}\n      because: {}",
                    difference.place,
                    difference.what,
                    difference.deliberate.as_deref().unwrap_or_default()
                );
            }
        }
        let _ = writeln!(
            text,
            "upstream: {spec} at {version}: {} operations compared, {} unexplained, {} deliberate differences",
            self.operations,
            self.unexplained.len(),
            self.deliberate.len()
        );
        text
    }
}

/// Runs the task in the workspace at `root`: the text to print, and whether it passed.
pub fn run(root: &Path, options: &Options, specs: &[&str]) -> Result<(String, bool), String> {
    let official = std::fs::read_to_string(&options.official)
        .map_err(|error| format!("cannot read {}: {error}", options.official))?;
    let read = |spec: &str| {
        std::fs::read_to_string(root.join(spec))
            .map_err(|error| format!("cannot read {spec}: {error}"))
    };
    let spec = if let Some(spec) = &options.spec {
        spec.clone()
    } else {
        let mut listing = Vec::new();
        for spec in specs {
            let api = codegen::lower_text(&read(spec)?).map_err(|error| error.render(spec))?;
            if api.versions.contains(&options.version) {
                listing.push(*spec);
            }
        }
        match listing[..] {
            [spec] => spec.to_owned(),
            [] => {
                return Err(format!(
                    "no spec lists version `{}`; name one with --spec",
                    options.version
                ));
            }
            _ => {
                return Err(format!(
                    "several specs list `{}`; name one with --spec",
                    options.version
                ));
            }
        }
    };
    let report = check(&read(&spec)?, &options.version, &official)
        .map_err(|error| format!("{spec}: {error}"))?;
    Ok((
        report.render(&spec, &options.version),
        report.unexplained.is_empty(),
    ))
}

#[cfg(test)]
mod tests;
