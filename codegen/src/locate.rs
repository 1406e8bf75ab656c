//! Finds the YAML line of a JSON pointer, so that errors can point into the spec file.
//!
//! It reads block-style YAML by indentation, which is how the spec is written; for
//! anything it cannot follow (flow style, anchors) it answers `None`.

/// One key or list dash of the YAML text, with its indentation and 1-based line.
struct Entry<'a> {
    line: usize,
    indent: usize,
    /// `-` for a list item, else the text of the mapping line.
    text: &'a str,
}

/// The 1-based line where the node at `pointer` (`#/a/b/0`) starts.
pub fn line_of(spec_yaml: &str, pointer: &str) -> Option<usize> {
    let entries = entries(spec_yaml);
    let segments = pointer.strip_prefix('#')?.split('/').skip(1).map(decode);
    let mut position: Option<usize> = None;
    let mut parent_indent: Option<usize> = None;
    for segment in segments {
        let start = position.map_or(0, |position| position + 1);
        let block: Vec<(usize, &Entry)> = entries
            .iter()
            .enumerate()
            .skip(start)
            .take_while(|(_, entry)| parent_indent.is_none_or(|parent| entry.indent > parent))
            .collect();
        let child_indent = block.first()?.1.indent;
        let children = block
            .iter()
            .filter(|(_, entry)| entry.indent == child_indent);
        let found = if block.first()?.1.text == "-" {
            let index: usize = segment.parse().ok()?;
            children.clone().nth(index)
        } else {
            children
                .clone()
                .find(|(_, entry)| is_key(entry.text, &segment))
        };
        let (index, entry) = found?;
        position = Some(*index);
        parent_indent = Some(entry.indent);
    }
    position
        .and_then(|position| entries.get(position))
        .map(|entry| entry.line)
}

fn entries(spec_yaml: &str) -> Vec<Entry<'_>> {
    let mut entries = Vec::new();
    for (index, raw) in spec_yaml.lines().enumerate() {
        let mut indent = raw.len() - raw.trim_start().len();
        let mut text = raw.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        while let Some(rest) = text
            .strip_prefix("- ")
            .or(if text == "-" { Some("") } else { None })
        {
            entries.push(Entry {
                line: index + 1,
                indent,
                text: "-",
            });
            let trimmed = rest.trim_start();
            indent += 2 + (rest.len() - trimmed.len());
            text = trimmed;
            if text.is_empty() {
                break;
            }
        }
        if !text.is_empty() {
            entries.push(Entry {
                line: index + 1,
                indent,
                text,
            });
        }
    }
    entries
}

fn is_key(text: &str, key: &str) -> bool {
    [
        format!("{key}:"),
        format!("'{key}':"),
        format!("\"{key}\":"),
    ]
    .iter()
    .any(|prefix| {
        text.strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

fn decode(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /detect:\n    post:\n      parameters:\n        - name: a\n          in: query\n        - $ref: '#/x'\n      responses:\n        '200':\n          description: ok\n";

    #[test]
    fn finds_keys_and_list_items() {
        assert_eq!(line_of(YAML, "#/paths/~1detect/post"), Some(4));
        assert_eq!(line_of(YAML, "#/paths/~1detect/post/parameters/1"), Some(8));
        assert_eq!(
            line_of(YAML, "#/paths/~1detect/post/parameters/0/in"),
            Some(7)
        );
        assert_eq!(
            line_of(YAML, "#/paths/~1detect/post/responses/200/description"),
            Some(11)
        );
        assert_eq!(line_of(YAML, "#/paths/~1group"), None);
    }
}
