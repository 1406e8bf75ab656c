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
    lines_of(spec_yaml, pointer).first().copied()
}

/// The 1-based lines of every key that the last segment of `pointer` names in its parent:
/// one line, but two or more when the parent repeats the key.
pub fn lines_of(spec_yaml: &str, pointer: &str) -> Vec<usize> {
    let entries = entries(spec_yaml);
    let Some(segments) = pointer.strip_prefix('#') else {
        return Vec::new();
    };
    let segments: Vec<String> = segments.split('/').skip(1).map(decode).collect();
    let mut found: Vec<usize> = Vec::new();
    let mut parent_indent: Option<usize> = None;
    for segment in &segments {
        let start = found.first().map_or(0, |position| position + 1);
        let block: Vec<(usize, &Entry)> = entries
            .iter()
            .enumerate()
            .skip(start)
            .take_while(|(_, entry)| parent_indent.is_none_or(|parent| entry.indent > parent))
            .collect();
        let Some((_, first)) = block.first() else {
            return Vec::new();
        };
        let child_indent = first.indent;
        let children = block
            .iter()
            .filter(|(_, entry)| entry.indent == child_indent);
        found = if first.text == "-" {
            segment
                .parse()
                .ok()
                .and_then(|index: usize| children.clone().nth(index))
                .map(|(index, _)| *index)
                .into_iter()
                .collect()
        } else {
            children
                .filter(|(_, entry)| is_key(entry.text, segment))
                .map(|(index, _)| *index)
                .collect()
        };
        let Some(position) = found.first() else {
            return Vec::new();
        };
        parent_indent = Some(entries[*position].indent);
    }
    found
        .iter()
        .filter_map(|position| entries.get(*position))
        .map(|entry| entry.line)
        .collect()
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
    use super::{line_of, lines_of};

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

    #[test]
    fn finds_every_line_of_a_repeated_key() {
        let yaml = "a:\n  b: 1\n  c: 2\n  b: 3\n";
        assert_eq!(lines_of(yaml, "#/a/b"), vec![2, 4]);
        assert_eq!(lines_of(yaml, "#/a/c"), vec![3]);
    }
}
