//! Where a piece of input came from, and how its positions are reported.

use std::fmt;
use std::sync::Arc;

use crate::yaml::Pos;

/// The input an object was read from, and the file it is reported against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The input as the user named it (`<stdin>` for `-`).
    pub input: Arc<str>,
    /// The file findings name: the Helm template from a `# Source:` comment
    /// when there is one, else the input itself.
    pub file: Arc<str>,
    /// Lines to subtract from input positions to get positions in `file`.
    pub line_offset: u32,
}

impl Origin {
    pub fn input(name: Arc<str>) -> Self {
        Self {
            file: name.clone(),
            input: name,
            line_offset: 0,
        }
    }

    /// A Helm-rendered document: `template` is the `# Source:` path and
    /// `comment_line` the input line of that comment.
    pub fn rendered(input: Arc<str>, template: &str, comment_line: u32) -> Self {
        Self {
            input,
            file: template.into(),
            line_offset: comment_line,
        }
    }

    pub fn is_rendered(&self) -> bool {
        self.line_offset != 0 || self.input != self.file
    }

    /// The position in `file` of an input position.
    pub fn locate(&self, pos: Pos) -> Pos {
        Pos::new(pos.line.saturating_sub(self.line_offset).max(1), pos.column)
    }
}

/// A reportable place: a file and a position in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub origin: Arc<Origin>,
    /// The position in the input.
    pub input_pos: Pos,
}

impl Location {
    pub fn new(origin: Arc<Origin>, input_pos: Pos) -> Self {
        Self { origin, input_pos }
    }

    pub fn file(&self) -> &str {
        &self.origin.file
    }

    /// The position in [`Location::file`].
    pub fn pos(&self) -> Pos {
        self.origin.locate(self.input_pos)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file(), self.pos())
    }
}

/// A problem with an input (or a notice about it), in the one-line form
/// `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: Arc<str>,
    pub line: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: Arc<str>, line: Option<u32>, message: impl Into<String>) -> Self {
        Self {
            file,
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}
