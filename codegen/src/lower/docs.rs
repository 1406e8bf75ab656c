//! Spec descriptions as documentation lines.

use crate::Error;
use crate::ir::Docs;

/// The lines of a description that the spec must give.
pub fn required(description: Option<&String>, pointer: &str, what: &str) -> Result<Docs, Error> {
    match description.map(|text| lines(text)) {
        Some(docs) if !docs.is_empty() => Ok(docs),
        _ => Err(Error::at(
            pointer,
            format!("{what} has no description; it becomes the item's documentation"),
        )),
    }
}

/// The lines of an optional description.
pub fn optional(description: Option<&String>) -> Docs {
    description.map(|text| lines(text)).unwrap_or_default()
}

/// Splits a description into trimmed lines, without leading or trailing blank lines.
pub fn lines(text: &str) -> Docs {
    let lines: Vec<String> = text.lines().map(|line| line.trim().to_owned()).collect();
    let start = lines
        .iter()
        .position(|line| !line.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|line| !line.is_empty())
        .map_or(start, |index| index + 1);
    lines[start..end].to_vec()
}
