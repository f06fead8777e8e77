//! The document pipeline shared by every subcommand that reads stories:
//! read (dyad-ingest) → clean (dyad-clean) → segment (dyad-tokenize).

use std::path::PathBuf;

use chrono::NaiveDate;
use dyad_clean::CleanOptions;
use dyad_core::{Document, InputFormat};
use dyad_ingest::{JsonlFields, ReadOptions};

/// Input options common to `ingest`, `parse` and the other reading subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for standard input.
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Files larger than this many bytes are refused.
    #[arg(long, value_name = "BYTES", default_value_t = ReadOptions::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Story date to use when a document has none (YYYY-MM-DD); also gives the year of
    /// year-less datelines when the document itself has no full date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// JSON Lines field holding the document id.
    #[arg(long, value_name = "FIELD", default_value = "id")]
    pub jsonl_id: String,
    /// JSON Lines field holding plain text.
    #[arg(long, value_name = "FIELD", default_value = "text")]
    pub jsonl_text: String,
    /// JSON Lines field holding HTML (used when the text field is absent).
    #[arg(long, value_name = "FIELD", default_value = "html")]
    pub jsonl_html: String,
    /// JSON Lines field holding the publication date.
    #[arg(long, value_name = "FIELD", default_value = "date")]
    pub jsonl_date: String,
    /// JSON Lines field holding the URL.
    #[arg(long, value_name = "FIELD", default_value = "url")]
    pub jsonl_url: String,
    /// JSON Lines field holding the title.
    #[arg(long, value_name = "FIELD", default_value = "title")]
    pub jsonl_title: String,
    /// JSON Lines field holding the publisher.
    #[arg(long, value_name = "FIELD", default_value = "publisher")]
    pub jsonl_publisher: String,
    /// JSON Lines field holding the authors (a string or an array).
    #[arg(long, value_name = "FIELD", default_value = "authors")]
    pub jsonl_authors: String,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("'{s}' is not YYYY-MM-DD: {e}"))
}

impl InputArgs {
    /// Reader options; `format` forces an input format instead of detection.
    pub fn read_options(&self, format: Option<InputFormat>) -> ReadOptions {
        ReadOptions {
            format,
            max_bytes: self.max_bytes,
            jsonl: JsonlFields {
                id: self.jsonl_id.clone(),
                text: self.jsonl_text.clone(),
                html: self.jsonl_html.clone(),
                date: self.jsonl_date.clone(),
                url: self.jsonl_url.clone(),
                title: self.jsonl_title.clone(),
                publisher: self.jsonl_publisher.clone(),
                authors: self.jsonl_authors.clone(),
                ..JsonlFields::default()
            },
        }
    }

    pub fn clean_options(&self) -> CleanOptions {
        CleanOptions {
            fallback_date: self.date,
        }
    }
}

/// A document (or a whole file) that could not be processed, named for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `path` or `path:line`.
    pub name: String,
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.reason)
    }
}

impl From<dyad_ingest::IngestError> for Failure {
    fn from(e: dyad_ingest::IngestError) -> Self {
        Failure {
            name: e.name.clone(),
            reason: e.message.clone(),
        }
    }
}

/// Clean and segment a document the reader produced. A document with no text left once cleaned
/// is a failure: there is nothing to store or code.
pub fn prepare(mut doc: Document, clean: &CleanOptions) -> Result<Document, Failure> {
    dyad_clean::clean(&mut doc, clean);
    if doc.text.trim().is_empty() {
        return Err(Failure {
            name: doc.display_name(),
            reason: "no body text left after cleaning".into(),
        });
    }
    doc.sentences = dyad_tokenize::segment(&doc.text);
    Ok(doc)
}
