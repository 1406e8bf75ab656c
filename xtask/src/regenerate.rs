//! Regenerating `face-sdk-types/src/generated/` (the models), `face-sdk/src/generated/` (the
//! operations) and the emulator's tables in `face-mock/src/generated/` from the specs, and
//! checking that they are up to date.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::report::{self, Format};

/// Each API version of the SDK: its spec, relative to the workspace root, and the name of the
/// folder its code is generated into, below each crate's `src/generated/`.
pub const APIS: &[(&str, &str)] = &[("spec/face.yaml", "v1_0"), ("spec/face-v1.2.yaml", "v1_2")];
/// Where each crate's generated code lives, relative to the workspace root.
fn generated_root(layer: codegen::Layer) -> &'static str {
    match layer {
        codegen::Layer::Types => "face-sdk-types/src/generated",
        codegen::Layer::Client => "face-sdk/src/generated",
    }
}
/// Each API version the emulator serves: its spec and the file of its tables.
const EMULATOR_TABLES: &[(&str, &str)] = &[
    ("spec/face.yaml", "face-mock/src/generated/v1_0.rs"),
    ("spec/face-v1.2.yaml", "face-mock/src/generated/v1_2.rs"),
];
/// The folders of all generated code, relative to the workspace root; a file in them that no
/// spec produces is removed.
const GENERATED: &[&str] = &[
    "face-sdk-types/src/generated",
    "face-sdk/src/generated",
    "face-mock/src/generated",
];
/// How many lines of diff `--check` prints per stale file.
const DIFF_LINES: usize = 40;

/// What a run prints: what happened to the files, and the API change report.
#[derive(Debug)]
pub struct Output {
    pub log: String,
    pub report: String,
}

impl Output {
    pub fn log(log: String) -> Self {
        Output {
            log,
            report: String::new(),
        }
    }
}

/// The paths this task reads and writes.
pub struct Workspace {
    root: PathBuf,
}

/// What regenerating would do to one file.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Create {
        path: String,
        contents: String,
    },
    Update {
        path: String,
        old: String,
        contents: String,
    },
    Remove {
        path: String,
        old: String,
    },
}

impl Workspace {
    /// The workspace around the `xtask` crate's manifest folder.
    pub fn from_manifest_dir(manifest_dir: &Path) -> Self {
        Workspace {
            root: manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf(),
        }
    }

    /// The workspace this run of `cargo xtask` was started in, found at run time.
    ///
    /// `cargo run` sets `CARGO_MANIFEST_DIR` for the process it starts; without it (the
    /// binary run by hand), the nearest folder above the current one whose `Cargo.toml`
    /// declares a `[workspace]`. Never the folder the binary was compiled in: checkouts that
    /// share a target dir share one `xtask` binary.
    pub fn locate() -> Result<Self, String> {
        if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
            return Ok(Self::from_manifest_dir(Path::new(&manifest_dir)));
        }
        let current = std::env::current_dir()
            .map_err(|error| format!("cannot read the current directory: {error}"))?;
        current
            .ancestors()
            .find(|folder| {
                fs::read_to_string(folder.join("Cargo.toml"))
                    .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
            })
            .map(|root| Workspace {
                root: root.to_path_buf(),
            })
            .ok_or_else(|| {
                format!(
                    "{}: not inside a cargo workspace (no Cargo.toml with [workspace] above it)",
                    current.display()
                )
            })
    }

    /// The root folder of the workspace.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The changes that would bring the generated folder in line with the specs, with paths
    /// relative to the generated folder. Every spec is generated before anything is planned,
    /// so one broken spec leaves every file as it was.
    fn plan(&self) -> Result<Vec<Change>, String> {
        let mut generated = BTreeMap::new();
        for (spec_path, version) in APIS {
            let spec = fs::read_to_string(self.root.join(spec_path))
                .map_err(|error| format!("{spec_path}: cannot read the spec: {error}"))?;
            let files = codegen::generate(&spec, spec_path)
                .map_err(|error| format!("error: {}", error.render(spec_path)))?;
            generated.extend(files.into_iter().map(|file| {
                let root = generated_root(file.layer);
                (format!("{root}/{version}/{}", file.path), file.contents)
            }));
        }
        for (spec_path, file) in EMULATOR_TABLES {
            let spec = fs::read_to_string(self.root.join(spec_path))
                .map_err(|error| format!("{spec_path}: cannot read the spec: {error}"))?;
            let contents = codegen::generate_emulator(&spec, spec_path)
                .map_err(|error| format!("error: {}", error.render(spec_path)))?;
            generated.insert((*file).to_owned(), contents);
        }
        let mut existing = BTreeMap::new();
        for folder in GENERATED {
            existing.extend(
                read_tree(&self.root.join(folder))?
                    .into_iter()
                    .map(|(path, contents)| (format!("{folder}/{path}"), contents)),
            );
        }
        Ok(diff(existing, generated))
    }

    /// The API change report of every spec: its surface at `HEAD` against the work tree's.
    fn api_report(&self, format: Format) -> String {
        let reports: Vec<String> = APIS
            .iter()
            .map(|(spec_path, _)| self.spec_report(spec_path, format))
            .collect();
        reports.join(if format == Format::Markdown { "\n" } else { "" })
    }

    /// The report of one spec, or one line saying why there is none: a report is an aid, so
    /// a missing git or a spec that `HEAD` lacks never fails the run.
    fn spec_report(&self, spec_path: &str, format: Format) -> String {
        let surfaces = self.committed_spec(spec_path).and_then(|committed| {
            let old = codegen::lower_text(&committed).map_err(|error| {
                format!("the spec at HEAD is refused: {}", error.render(spec_path))
            })?;
            let current = fs::read_to_string(self.root.join(spec_path))
                .map_err(|error| format!("cannot read the spec: {error}"))?;
            let new = codegen::lower_text(&current)
                .map_err(|error| format!("the spec is refused: {}", error.render(spec_path)))?;
            Ok((old, new))
        });
        match surfaces {
            Ok((old, new)) => {
                report::render(spec_path, "HEAD", &report::compare(&old, &new), format)
            }
            Err(reason) => {
                let reason = reason.lines().next().unwrap_or_default();
                format!("no API change report for {spec_path}: {reason}\n")
            }
        }
    }

    /// The text of a spec as committed at `HEAD`, read with `git show` in the workspace root
    /// (`./` makes the path relative to it, also when the workspace is inside a larger repository
    /// or is an untracked copy inside one).
    fn committed_spec(&self, spec_path: &str) -> Result<String, String> {
        let output = Command::new("git")
            .args(["show", &format!("HEAD:./{spec_path}")])
            .current_dir(&self.root)
            .output()
            .map_err(|error| format!("cannot run git: {error}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!(
                "`git show HEAD:./{spec_path}` failed: {}",
                stderr.lines().next().unwrap_or("no message")
            ));
        }
        String::from_utf8(output.stdout).map_err(|_| "the spec at HEAD is not UTF-8".to_owned())
    }
}

/// Every `.rs` file below `dir`, by its `/`-separated path relative to `dir`.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(format!("{}: {error}", folder.display())),
        };
        for entry in entries {
            let path = entry
                .map_err(|error| format!("{}: {error}", folder.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let contents = fs::read_to_string(&path)
                    .map_err(|error| format!("{}: {error}", path.display()))?;
                files.insert(relative, contents);
            }
        }
    }
    Ok(files)
}

fn diff(
    mut existing: BTreeMap<String, String>,
    generated: BTreeMap<String, String>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (path, contents) in generated {
        match existing.remove(&path) {
            None => changes.push(Change::Create { path, contents }),
            Some(old) if old != contents => changes.push(Change::Update {
                path,
                old,
                contents,
            }),
            Some(_) => {}
        }
    }
    changes.extend(
        existing
            .into_iter()
            .map(|(path, old)| Change::Remove { path, old }),
    );
    changes
}

/// Writes the changed files (each through a temporary file and a rename) and removes stale
/// ones, then reports what changed in the public surface since `HEAD`.
pub fn write(workspace: &Workspace, format: Format) -> Result<Output, Output> {
    let log = write_files(workspace).map_err(Output::log)?;
    Ok(Output {
        log,
        report: workspace.api_report(format),
    })
}

fn write_files(workspace: &Workspace) -> Result<String, String> {
    let changes = workspace.plan()?;
    if changes.is_empty() {
        return Ok("the generated code is up to date\n".to_owned());
    }
    let dir = &workspace.root;
    let mut staged = Vec::new();
    for change in &changes {
        if let Change::Create { path, contents } | Change::Update { path, contents, .. } = change {
            let target = dir.join(path);
            let parent = target.parent().unwrap_or(dir);
            fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
            let temporary = target.with_extension("rs.tmp");
            fs::write(&temporary, contents)
                .map_err(|error| format!("{}: {error}", temporary.display()))?;
            staged.push((temporary, target));
        }
    }
    for (temporary, target) in staged {
        fs::rename(&temporary, &target)
            .map_err(|error| format!("{}: {error}", target.display()))?;
    }
    let mut report = String::new();
    for change in &changes {
        let (verb, path) = match change {
            Change::Create { path, .. } => ("created", path),
            Change::Update { path, .. } => ("updated", path),
            Change::Remove { path, .. } => ("removed", path),
        };
        if let Change::Remove { .. } = change {
            let target = dir.join(path);
            fs::remove_file(&target).map_err(|error| format!("{}: {error}", target.display()))?;
        }
        let _ = writeln!(report, "{verb} {path}");
    }
    Ok(report)
}

/// Fails, naming each stale file with a short diff and adding the API change report, when the
/// generated folder differs from the spec.
pub fn check(workspace: &Workspace, format: Format) -> Result<Output, Output> {
    let changes = workspace.plan().map_err(Output::log)?;
    if changes.is_empty() {
        return Ok(Output::log(format!(
            "the generated code is up to date with {} in {}\n",
            spec_list(),
            workspace.root.display()
        )));
    }
    let mut report = String::new();
    for change in &changes {
        let (what, path, old, new) = match change {
            Change::Create { path, contents } => ("missing", path, "", contents.as_str()),
            Change::Update {
                path,
                old,
                contents,
            } => ("stale", path, old.as_str(), contents.as_str()),
            Change::Remove { path, old } => ("not generated from the spec", path, old.as_str(), ""),
        };
        let _ = writeln!(report, "{what}: {path}");
        report.push_str(&short_diff(old, new, path));
    }
    let _ = writeln!(
        report,
        "the generated code is out of date with {}: run `cargo xtask regenerate`",
        spec_list()
    );
    Err(Output {
        log: report,
        report: workspace.api_report(format),
    })
}

/// The specs, as a maintainer reads them: `spec/a.yaml and spec/b.yaml`.
fn spec_list() -> String {
    let specs: Vec<&str> = APIS.iter().map(|(spec, _)| *spec).collect();
    specs.join(" and ")
}

fn short_diff(old: &str, new: &str, path: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let mut lines: Vec<&str> = text.lines().collect();
    let hidden = lines.len().saturating_sub(DIFF_LINES);
    lines.truncate(DIFF_LINES);
    let mut shown = lines.join("\n");
    shown.push('\n');
    if hidden > 0 {
        let _ = writeln!(shown, "… {hidden} more lines of diff");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed generated code is what the committed spec gives.
    #[test]
    fn generated_code_is_up_to_date() {
        let workspace = Workspace::from_manifest_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
        if let Err(output) = check(&workspace, Format::Text) {
            panic!("{}{}", output.log, output.report);
        }
    }

    /// Without git (here: outside any repository) there is one line per spec and no report.
    #[test]
    fn a_spec_without_a_committed_version_gets_one_line_and_no_report() {
        let root = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
        fs::create_dir_all(root.join("spec")).expect("scratch folder");
        let workspace = Workspace { root: root.clone() };
        let report = workspace.api_report(Format::Text);
        fs::remove_dir_all(&root).expect("remove scratch folder");
        assert_eq!(report.lines().count(), APIS.len(), "{report}");
        for (line, (spec_path, _)) in report.lines().zip(APIS) {
            assert!(
                line.starts_with(&format!("no API change report for {spec_path}: ")),
                "{report}"
            );
        }
    }

    #[test]
    fn plans_creations_updates_and_removals() {
        let existing = BTreeMap::from([
            ("a.rs".to_owned(), "old".to_owned()),
            ("b.rs".to_owned(), "same".to_owned()),
            ("gone.rs".to_owned(), "x".to_owned()),
        ]);
        let generated = BTreeMap::from([
            ("a.rs".to_owned(), "new".to_owned()),
            ("b.rs".to_owned(), "same".to_owned()),
            ("c.rs".to_owned(), "c".to_owned()),
        ]);
        let changes = diff(existing, generated);
        assert_eq!(
            changes,
            vec![
                Change::Update {
                    path: "a.rs".into(),
                    old: "old".into(),
                    contents: "new".into()
                },
                Change::Create {
                    path: "c.rs".into(),
                    contents: "c".into()
                },
                Change::Remove {
                    path: "gone.rs".into(),
                    old: "x".into()
                },
            ]
        );
    }
}
