//! `cargo xtask report --from <v> --to <w> [--spec <spec.yaml>] [--report text|markdown]`: the
//! API change report between two service versions of one spec, each seen through
//! `ir::Api::at_version`, with the same rule of what is breaking as `regenerate`'s report.

use std::path::Path;

use crate::report::{self, Format};

pub const USAGE: &str = "usage: cargo xtask report --from <version> --to <version> [--spec <spec.yaml>] [--report text|markdown]";

/// What `report` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub from: String,
    pub to: String,
    pub spec: String,
    pub format: Format,
}

pub fn parse(arguments: &[&str]) -> Result<Options, String> {
    let (mut from, mut to) = (None, None);
    let mut spec = "spec/face-v1.2.yaml".to_owned();
    let mut format = Format::Text;
    let mut rest = arguments.iter();
    while let Some(argument) = rest.next() {
        let value = (*rest.next().ok_or(USAGE)?).to_owned();
        match *argument {
            "--from" => from = Some(value),
            "--to" => to = Some(value),
            "--spec" => spec = value,
            "--report" => {
                format = match value.as_str() {
                    "text" => Format::Text,
                    "markdown" => Format::Markdown,
                    _ => return Err(USAGE.to_owned()),
                }
            }
            _ => return Err(USAGE.to_owned()),
        }
    }
    match (from, to) {
        (Some(from), Some(to)) => Ok(Options {
            from,
            to,
            spec,
            format,
        }),
        _ => Err(USAGE.to_owned()),
    }
}

/// The report between two versions of the spec text.
pub fn between(
    spec_path: &str,
    spec_yaml: &str,
    from: &str,
    to: &str,
    format: Format,
) -> Result<String, String> {
    let api = codegen::lower_text(spec_yaml).map_err(|error| error.render(spec_path))?;
    let at = |version: &str| {
        api.at_version(version).ok_or_else(|| {
            format!(
                "{spec_path} does not describe `{version}`; its server version variable lists {}",
                api.versions.join(", ")
            )
        })
    };
    let (old, new) = (at(from)?, at(to)?);
    Ok(report::render(
        &format!("{spec_path} at {to}"),
        from,
        &report::compare(&old, &new),
        format,
    ))
}

pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join(&options.spec))
        .map_err(|error| format!("cannot read {}: {error}", options.spec))?;
    between(
        &options.spec,
        &text,
        &options.from,
        &options.to,
        options.format,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../fixtures/upstream/spec.yaml");

    #[test]
    fn reports_what_a_later_version_adds_and_nothing_breaking() {
        let text =
            between("spec.yaml", SPEC, "v1", "v2", Format::Text).expect("both versions are listed");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("API changes in spec.yaml at v2 since v1: 5 changes, 0 breaking")
        );
        let rest: Vec<&str> = lines.map(str::trim).collect();
        assert!(
            rest.iter()
                .any(|line| line.starts_with("added method settings.get()")),
            "{text}"
        );
        assert!(
            rest.iter()
                .any(|line| line.starts_with("added optional field Item.note")),
            "{text}"
        );
        // Going back removes what v2 added, which is breaking.
        let back =
            between("spec.yaml", SPEC, "v2", "v1", Format::Text).expect("both versions are listed");
        assert!(
            back.starts_with("API changes in spec.yaml at v1 since v2: 5 changes, 5 breaking"),
            "{back}"
        );
    }

    /// What the README and the CHANGELOG promise of the specs themselves: a later service
    /// version of a family only adds.
    #[test]
    fn every_later_version_of_a_spec_breaks_nothing() {
        let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let mut compared = 0;
        for entry in std::fs::read_dir(&specs).expect("the spec folder") {
            let path = entry.expect("a spec file").path();
            let text = std::fs::read_to_string(&path).expect("a readable spec");
            let versions = codegen::lower_text(&text)
                .expect("the spec lowers")
                .versions;
            for later in versions.iter().skip(1) {
                let report = between("spec", &text, &versions[0], later, Format::Text)
                    .expect("both versions are listed");
                let summary = report.lines().next().unwrap_or_default();
                assert!(
                    summary.ends_with(", 0 breaking"),
                    "{}: {report}",
                    path.display()
                );
                compared += 1;
            }
        }
        assert!(compared > 0, "a spec lists a later service version");
    }

    #[test]
    fn refuses_a_version_the_spec_does_not_list() {
        assert_eq!(
            between("spec.yaml", SPEC, "v1", "v9", Format::Text),
            Err(
                "spec.yaml does not describe `v9`; its server version variable lists v1, v2"
                    .to_owned()
            )
        );
        assert!(parse(&["--from", "v1"]).is_err());
        assert_eq!(
            parse(&["--to", "b", "--from", "a"]).map(|options| (options.from, options.to)),
            Ok(("a".to_owned(), "b".to_owned()))
        );
    }
}
