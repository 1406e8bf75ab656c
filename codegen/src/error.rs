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
    /// The 1-based line of an earlier node the error is also about, such as the first of two
    /// keys that a mapping repeats.
    pub first_line: Option<usize>,
}

impl Error {
    /// An error about the node at `pointer`; its line is filled in by [`Error::locate`].
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            pointer: Some(pointer.into()),
            line: None,
            message: message.into(),
            first_line: None,
        }
    }

    /// Fills in the line of the pointer in the spec text or, when that node cannot be
    /// found (flow-style YAML), of its nearest ancestor that can.
    #[must_use]
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
        let place = |line: usize| format!("{file}:{line}");
        match self.line {
            Some(line) => format!("{}: {}", place(line), self.describe(place)),
            None => format!("{file}: {}", self.describe(place)),
        }
    }

    fn describe(&self, place: impl Fn(usize) -> String) -> String {
        let mut text = match &self.pointer {
            Some(pointer) => format!("{pointer}: {}", self.message),
            None => self.message.clone(),
        };
        if let Some(line) = self.first_line {
            text = format!("{text} (first written at {})", place(line));
        }
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(formatter, "line {line}: ")?;
        }
        formatter.write_str(&self.describe(|line| format!("line {line}")))
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
