//! A scratch workspace with copies of face-sdk-types and face-sdk, laid out as in this
//! workspace, for checking generated code with the compiler: each generated file goes into the
//! crate of its layer (generated operations add setters to the runtime's `Call`, which only
//! code inside face-sdk can do), as a module of its own.
//!
//! Test code of two crates: codegen's mutation test and xtask's API change report corpus
//! include this file by its path.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The copies of the SDK's two crates, members `face-sdk-types` and `face-sdk` of a scratch
/// workspace.
pub struct ScratchSdk {
    /// The scratch workspace's folder.
    pub root: PathBuf,
    /// The `lib.rs` of each copy as the workspace has it, which generated modules are added to.
    types_lib: String,
    client_lib: String,
    /// The modules the last `write` wrote.
    written: Vec<String>,
}

/// A module of generated code: its name, one line of docs, and the generated files.
pub struct Module<'a> {
    pub name: &'a str,
    pub doc: &'a str,
    pub files: &'a [codegen::GeneratedFile],
}

impl ScratchSdk {
    /// Empties `root` and copies into it the sources of face-sdk-types and face-sdk of the
    /// workspace at `workspace`, with their features and dependencies (face-sdk names
    /// face-sdk-types by its relative path, which the copies keep) over the workspace's
    /// dependency table and `Cargo.lock`. `others` are further members the caller writes.
    pub fn create(workspace: &Path, root: PathBuf, others: &[&str]) -> Self {
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).expect("scratch folder");
        let workspace_manifest =
            fs::read_to_string(workspace.join("Cargo.toml")).expect("workspace manifest");
        let members: Vec<String> = ["face-sdk-types", "face-sdk"]
            .iter()
            .chain(others)
            .map(|member| format!("\"{member}\""))
            .collect();
        fs::write(
            root.join("Cargo.toml"),
            format!(
                "[workspace]\nmembers = [{}]\nresolver = \"3\"\n\n{}{}",
                members.join(", "),
                section(&workspace_manifest, "[workspace.dependencies]"),
                section(&workspace_manifest, "[workspace.lints.rust]"),
            ),
        )
        .expect("scratch workspace manifest");
        fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).expect("lock file");
        let copy = |name: &str| {
            let from = workspace.join(name);
            copy_tree(&from.join("src"), &root.join(name).join("src"));
            let manifest = fs::read_to_string(from.join("Cargo.toml")).expect("a crate manifest");
            fs::write(
                root.join(name).join("Cargo.toml"),
                format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n{}{}[lints]\nworkspace = true\n",
                    section(&manifest, "[features]"),
                    section(&manifest, "[dependencies]"),
                ),
            )
            .expect("crate manifest");
            fs::read_to_string(from.join("src/lib.rs")).expect("a crate's lib.rs")
        };
        let types_lib = copy("face-sdk-types");
        let client_lib = copy("face-sdk");
        ScratchSdk {
            root,
            types_lib,
            client_lib,
            written: Vec::new(),
        }
    }

    /// Writes `modules` into the copies, in place of the modules an earlier call wrote: the
    /// models of each into face-sdk-types, its operations into face-sdk, which re-exports the
    /// models as the SDK's version modules do.
    pub fn write(&mut self, modules: &[Module<'_>]) {
        for name in self.written.drain(..) {
            for crate_name in ["face-sdk-types", "face-sdk"] {
                let _ = fs::remove_dir_all(self.root.join(crate_name).join("src").join(&name));
            }
        }
        let mut types_lib = self.types_lib.clone();
        let mut client_lib = self.client_lib.clone();
        for module in modules {
            self.written.push(module.name.to_owned());
            for file in module.files {
                let crate_name = match file.layer {
                    codegen::Layer::Types => "face-sdk-types",
                    codegen::Layer::Client => "face-sdk",
                };
                let path = self
                    .root
                    .join(crate_name)
                    .join("src")
                    .join(module.name)
                    .join(&file.path);
                fs::create_dir_all(path.parent().expect("a folder")).expect("module folder");
                fs::write(&path, &file.contents).expect("generated file");
            }
            let (name, doc) = (module.name, module.doc.replace('\n', " "));
            writeln!(
                types_lib,
                "\n/// {doc}\npub mod {name} {{\n    /// Models.\n    pub mod models;\n}}"
            )
            .expect("writing to a String");
            writeln!(
                client_lib,
                "\n/// {doc}\n#[allow(unused_imports)]\npub mod {name} {{\n    pub use face_sdk_types::{name}::models;\n    /// Operations.\n    pub mod operations;\n}}"
            )
            .expect("writing to a String");
        }
        fs::write(self.root.join("face-sdk-types/src/lib.rs"), types_lib).expect("lib.rs");
        fs::write(self.root.join("face-sdk/src/lib.rs"), client_lib).expect("lib.rs");
    }
}

/// Copies the files under `from` to `to`, folders included.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("scratch folder");
    for entry in fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("folder entry");
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            fs::copy(&path, to.join(entry.file_name())).expect("copied file");
        }
    }
}

/// The table `header` of a Cargo manifest, from its header to the next table.
fn section(manifest: &str, header: &str) -> String {
    let mut lines = manifest.lines().skip_while(|line| line.trim() != header);
    let mut text = lines
        .next()
        .map(|line| format!("{line}\n"))
        .unwrap_or_default();
    for line in lines.take_while(|line| !line.starts_with('[')) {
        text.push_str(line);
        text.push('\n');
    }
    text
}
