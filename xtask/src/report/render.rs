//! The API change report printed as text, for the terminal, or as Markdown, for a pull request.

use std::fmt::Write as _;

use super::{Change, Piece};

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

impl Change {
    /// The change's sentence, code in backticks in Markdown.
    fn render(&self, format: Format) -> String {
        self.pieces
            .iter()
            .map(|piece| match (piece, format) {
                (Piece::Text(text), _) | (Piece::Code(text), Format::Text) => text.clone(),
                (Piece::Code(code), Format::Markdown) => format!("`{code}`"),
            })
            .collect()
    }
}

/// The report of one spec's changes, titled with the spec's path and what it is compared with.
pub fn render(spec_path: &str, against: &str, changes: &[Change], format: Format) -> String {
    let breaking = changes.iter().filter(|change| change.breaking).count();
    let summary = match changes.len() {
        0 => "no changes to the public surface".to_owned(),
        1 => format!("1 change, {breaking} breaking"),
        count => format!("{count} changes, {breaking} breaking"),
    };
    let mut report = String::new();
    match format {
        Format::Text => {
            let _ = writeln!(
                report,
                "API changes in {spec_path} since {against}: {summary}"
            );
            for change in changes {
                let mark = if change.breaking { "breaking" } else { "" };
                let _ = writeln!(report, "  {mark:<9}{}", change.render(format));
            }
        }
        Format::Markdown => {
            let _ = writeln!(
                report,
                "### API changes in `{spec_path}` since `{against}`\n"
            );
            let _ = writeln!(report, "{}{}.", summary[..1].to_uppercase(), &summary[1..]);
            if !changes.is_empty() {
                report.push('\n');
            }
            for change in changes {
                let mark = if change.breaking {
                    "**breaking**: "
                } else {
                    ""
                };
                let _ = writeln!(report, "- {mark}{}", change.render(format));
            }
        }
    }
    report
}
