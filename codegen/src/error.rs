//! The one error type of the generator: what is wrong, and where in the spec.

use std::fmt;

/// A spec the generator cannot turn into Rust, with the place that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The JSON pointer of the offending node, e.g. `#/paths/~1detect/post/requestBody`.
    pub pointer: Option<String>,
    /// The 1-based line in the YAML text, where it can be found.
    pub line: Option<usize>,
    /// What is wrong, in lower case with no trailing period.
    pub message: String,
}

impl Error {
    /// An error about the node at `pointer`; its line is filled in by [`Error::locate`].
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            pointer: Some(pointer.into()),
            line: None,
            message: message.into(),
        }
    }

    /// Fills in the line of the pointer in the spec text or, when that node cannot be
    /// found (flow-style YAML), of its nearest ancestor that can.
    pub fn locate(mut self, spec_yaml: &str) -> Self {
        let mut pointer = self.pointer.as_deref();
        while self.line.is_none() {
            let Some(current) = pointer else { break };
            self.line = crate::locate::line_of(spec_yaml, current);
            pointer = current
                .rsplit_once('/')
                .map(|(parent, _)| parent)
                .filter(|parent| parent.contains('/'));
        }
        self
    }

    /// The error as a compiler-style line naming `file`: `spec/face.yaml:12: #/paths/…: message`.
    pub fn render(&self, file: &str) -> String {
        match self.line {
            Some(line) => format!("{file}:{line}: {}", self.without_line()),
            None => format!("{file}: {}", self.without_line()),
        }
    }

    fn without_line(&self) -> String {
        match &self.pointer {
            Some(pointer) => format!("{pointer}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(formatter, "line {line}: ")?;
        }
        formatter.write_str(&self.without_line())
    }
}

impl std::error::Error for Error {}

/// Escapes one segment of a JSON pointer (`/` → `~1`, `~` → `~0`).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a segment.
pub fn child(pointer: &str, segment: impl fmt::Display) -> String {
    format!("{pointer}/{}", pointer_segment(&segment.to_string()))
}
