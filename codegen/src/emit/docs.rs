//! Documentation attributes from spec text, made safe for rustdoc.

use crate::ir::Availability;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line of markdown.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #text] }
    });
    quote! { #(#lines)* }
}

/// Appends to the last line of `lines` (its paragraph) the service versions in which an
/// item exists, when they differ from its container's (`within`): "Available from
/// v1.3-preview.1." or "Removed in …"; the note costs no line of its own.
pub fn note_availability(lines: &mut Vec<String>, item: &Availability, within: &Availability) {
    let mut notes = Vec::new();
    if let Some(added) = item
        .added
        .as_ref()
        .filter(|added| Some(*added) != within.added.as_ref())
    {
        notes.push(format!("Available from {added}."));
    }
    if let Some(removed) = item
        .removed
        .as_ref()
        .filter(|removed| Some(*removed) != within.removed.as_ref())
    {
        notes.push(format!("Removed in {removed}."));
    }
    if notes.is_empty() {
        return;
    }
    let note = notes.join(" ");
    match lines.last_mut() {
        Some(last) if !last.is_empty() => {
            last.push(' ');
            last.push_str(&note);
        }
        _ => lines.push(note),
    }
}

/// Spec text as markdown lines that rustdoc shows as written.
pub fn spec_docs(lines: &[String]) -> Vec<String> {
    lines.iter().map(|line| sanitize(line)).collect()
}

/// Escapes what rustdoc would read as links or HTML, and wraps bare URLs in `<…>`.
fn sanitize(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("http://") || word.starts_with("https://") {
                let end = word.trim_end_matches(['.', ',', ';', ':', ')']).len();
                format!("<{}>{}", &word[..end], &word[end..])
            } else {
                word.replace('\\', "\\\\")
                    .replace('[', "\\[")
                    .replace(']', "\\]")
                    .replace('<', "\\<")
                    .replace('>', "\\>")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_links_html_and_urls() {
        assert_eq!(
            sanitize("a value in [0, 1] for <uuid>"),
            "a value in \\[0, 1\\] for \\<uuid\\>"
        );
        assert_eq!(
            sanitize("see https://example.com/a."),
            "see <https://example.com/a>."
        );
    }
}
