//! Errors and warnings found while reading dictionaries, always with `file:line`.

use std::fmt;

/// Where an entry was written: the file as shown to the user, and its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// One problem in a dictionary file. Line 0 means the whole file (e.g. it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictError {
    pub loc: Loc,
    pub message: String,
}

impl DictError {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        DictError {
            loc: Loc {
                file: file.to_string(),
                line,
            },
            message: message.into(),
        }
    }
}

impl fmt::Display for DictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)
    }
}

/// Every error found in a dictionary set (loading does not stop at the first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DictErrors {
    pub errors: Vec<DictError>,
}

impl fmt::Display for DictErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{n} dictionary error{}:", if n == 1 { "" } else { "s" })?;
        for e in &self.errors {
            write!(f, "\n{e}")?;
        }
        Ok(())
    }
}
