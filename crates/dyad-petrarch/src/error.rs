//! Errors with a location: every problem is reported as `file:line: message`.

use std::fmt;

/// One problem in an input file. `line` is 1-based; 0 means the whole file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PetrError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl PetrError {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        PetrError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for PetrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for PetrError {}

/// Fatal errors of [`crate::load_petrarch_dictionaries`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read or its kind could not be told from its name.
    #[error("{0}")]
    Input(PetrError),
    /// The converted dictionaries did not load into dyad (listed as `file:line: message`
    /// of the generated text, whose lines name their PETRARCH origin in a comment).
    #[error("converted dictionaries failed to load:\n{0}")]
    Dyad(dyad_dict::DictErrors),
}
