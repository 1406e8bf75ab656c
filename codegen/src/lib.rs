//! Turns the Face API's OpenAPI document into the Rust code of `face-sdk`.
//!
//! The pipeline is a chain of pure functions: [`spec::parse`] reads the YAML text,
//! [`lower::lower`] checks it and builds the sorted [`ir::Api`], `emit` turns that into
//! tokens and `format` prints them. Nothing here reads or writes files.

mod emit;
mod error;
mod format;
pub mod ir;
mod locate;
pub mod lower;
pub mod naming;
pub mod spec;

pub use error::Error;

/// Which crate a generated file belongs in.
///
/// The data types need no HTTP client, so they compile in a crate of their own
/// (`face-sdk-types`) beside the HTTP stack; the operations need the client's runtime
/// (`face-sdk`). Both crates offer generated code the same paths: `crate::Error`,
/// `crate::runtime::check::…` and the `crate::__…!` macros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// `models.rs`: the structs, enums and kinds of id of the wire format.
    Types,
    /// `operations/`: the groups, their methods and the `Api` that holds them, which name the
    /// models as `super::models::…`.
    Client,
}

/// A file of generated code, relative to the API version's folder below its crate's
/// `src/generated/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The crate the file belongs in.
    pub layer: Layer,
    /// The path below the version's folder, with `/` separators, e.g. `operations/face.rs`.
    pub path: String,
    /// The whole text of the file, header included.
    pub contents: String,
}

/// Generates the files of one API version from the text of its spec; `spec_path` is where the
/// spec lives, named in each file's header.
pub fn generate(spec_yaml: &str, spec_path: &str) -> Result<Vec<GeneratedFile>, Error> {
    let api = lower_text(spec_yaml)?;
    emit::files(&api)
        .into_iter()
        .map(|(layer, path, tokens)| {
            Ok(GeneratedFile {
                contents: format::rust_file(tokens, spec_path)
                    .map_err(|error| error.locate(spec_yaml))?,
                layer,
                path,
            })
        })
        .collect()
}

/// The emulator's table of one spec (`face-mock/src/generated/<version>.rs`): the same lowered
/// `ir::Api` as [`generate`]'s, as static data the emulator routes, checks requests and checks
/// its answers by, so that it never reads the spec itself.
///
/// # Errors
///
/// The same errors as [`generate`]: the spec does not parse or lower.
pub fn generate_emulator(spec_yaml: &str, spec_path: &str) -> Result<String, Error> {
    let api = lower_text(spec_yaml)?;
    format::rust_file(emit::emulator::tables(&api), spec_path)
        .map_err(|error| error.locate(spec_yaml))
}

/// Parses and lowers the spec text, pointing errors at their YAML line.
pub fn lower_text(spec_yaml: &str) -> Result<ir::Api, Error> {
    let spec = spec::parse(spec_yaml).map_err(|error| error.locate(spec_yaml))?;
    lower::lower(&spec).map_err(|error| error.locate(spec_yaml))
}

#[cfg(test)]
mod tests {
    use super::{emit, format, ir, lower_text};
    use std::path::Path;

    /// The lines of the formatted files generated from `api`.
    fn generated_lines(api: &ir::Api) -> usize {
        emit::files(api)
            .into_iter()
            .map(|(_, path, tokens)| {
                format::rust_file(tokens, &path)
                    .expect("the generated code formats")
                    .lines()
                    .count()
            })
            .sum()
    }

    /// A later service version of a family costs what it adds, not a copy: the code generated
    /// for every version a spec lists is at most 5% more than for its first version alone.
    #[test]
    fn later_service_versions_cost_at_most_five_percent_of_the_first() {
        let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let mut families = 0;
        for entry in std::fs::read_dir(&specs).expect("the spec folder") {
            let path = entry.expect("a spec file").path();
            let text = std::fs::read_to_string(&path).expect("a readable spec");
            let api = lower_text(&text).expect("the spec lowers");
            if api.versions.len() < 2 {
                continue;
            }
            families += 1;
            let mut first = api.at_version(&api.versions[0]).expect("a listed version");
            first.versions.truncate(1);
            first.version_base_paths.truncate(1);
            let (all, alone) = (generated_lines(&api), generated_lines(&first));
            assert!(
                all * 100 <= alone * 105,
                "{}: {all} generated lines for {:?}, {alone} for {} alone: {:.2}% more",
                path.display(),
                api.versions,
                api.versions[0],
                (all - alone) as f64 * 100.0 / alone as f64
            );
        }
        assert!(families > 0, "a spec lists several service versions");
    }
}
