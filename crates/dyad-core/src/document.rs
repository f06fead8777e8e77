//! [`Document`] and the parts every stage reads or fills.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::StoryDate;

/// The input formats dyad reads. `Auto` asks the ingest stage to sniff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Text,
    Html,
    Jsonl,
    Rss,
    Atom,
    Petrarch,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Rss => "rss",
            InputFormat::Atom => "atom",
            InputFormat::Petrarch => "petrarch",
        }
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => InputFormat::Text,
            "html" | "htm" => InputFormat::Html,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "rss" => InputFormat::Rss,
            "atom" => InputFormat::Atom,
            "petrarch" | "xml" => InputFormat::Petrarch,
            other => return Err(format!("unknown input format '{other}'")),
        })
    }
}

/// Where a document came from: enough to find it again and to name it in errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// File path, or `-` for stdin.
    pub path: Option<String>,
    /// 1-based line (JSONL) or item number (RSS/Atom, PETRARCH records) within the file.
    pub line: Option<u64>,
    pub format: Option<InputFormat>,
    /// Identifier given by the source (JSONL id, RSS guid, PETRARCH sentence id).
    pub source_id: Option<String>,
}

impl Origin {
    /// A short human name for error messages: `path:line` or `path`.
    pub fn display_name(&self) -> String {
        let path = self.path.as_deref().unwrap_or("<input>");
        match self.line {
            Some(line) => format!("{path}:{line}"),
            None => path.to_string(),
        }
    }
}

/// A caption found in a shortcode or `<figcaption>`: text dyad reads for dates and
/// events, but not body text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    pub image_url: Option<String>,
    /// Shortcode or element that carried it (`aesop_image`, `caption`, `figcaption`).
    pub source: String,
}

/// A wire dateline: `WASHINGTON, Jan. 5 (AP) —`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    pub raw: String,
    pub agency: Option<String>,
    pub place: Option<String>,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub year: Option<i32>,
}

/// A credits line: `(Reporting by A; Additional reporting by B in Beirut; Editing by C)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Credits {
    pub raw: String,
    pub reporters: Vec<String>,
    pub additional_reporters: Vec<String>,
    pub writers: Vec<String>,
    pub editors: Vec<String>,
    pub compilers: Vec<String>,
    /// Places named in the credits ("in Beirut").
    pub places: Vec<String>,
}

/// Everything known about a document besides its body text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub publisher: Option<String>,
    /// The publication date as the input wrote it (parsed into [`Document::date`]).
    pub published: Option<String>,
    pub language: Option<String>,
    pub captions: Vec<Caption>,
    pub dateline: Option<Dateline>,
    pub credits: Option<Credits>,
    /// PETRARCH record category.
    pub category: Option<String>,
    /// A parse given with the input (PETRARCH `<Parse>`: Penn Treebank or CoNLL-U), kept verbatim.
    pub given_parse: Option<String>,
    /// Any other field a reader wants to keep (e.g. PETRARCH expected codings as JSON).
    pub extra: BTreeMap<String, String>,
}

/// One token, UD English conventions. Offsets are UTF-8 byte offsets into
/// [`Document::text`]; for a multi-word token ("don't" → "do" + "n't") each word
/// gets the span of the characters it covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub form: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lemma: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub upos: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub xpos: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feats: String,
    /// 1-based index of the head within the sentence; 0 is the root. `None` before parsing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deprel: String,
    /// No whitespace follows this token in the text (CoNLL-U `SpaceAfter=No`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_space_after: bool,
}

/// A sentence: a byte span of [`Document::text`] and its tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<Token>,
}

impl Sentence {
    pub fn text<'a>(&self, doc_text: &'a str) -> &'a str {
        &doc_text[self.start..self.end]
    }
}

/// A news story on its way through the pipeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: from the source id when there is one, else from the content.
    pub id: String,
    pub origin: Origin,
    /// The text as the reader extracted it, before cleaning.
    pub raw_text: String,
    /// The clean body text: no markup, shortcodes, dateline or credits.
    pub text: String,
    pub meta: Metadata,
    pub date: Option<StoryDate>,
    pub sentences: Vec<Sentence>,
    /// Non-fatal problems met on the way (lossy UTF-8 decoding, unclosed shortcode, …).
    pub warnings: Vec<String>,
}

impl Document {
    /// A document with raw text from a reader; the id is settled by [`Document::assign_id`].
    pub fn new(origin: Origin, raw_text: String) -> Self {
        Document {
            origin,
            raw_text,
            ..Default::default()
        }
    }

    /// Settle the stable id: source id if given, else a hash of the raw text.
    pub fn assign_id(&mut self) {
        self.id = match &self.origin.source_id {
            Some(sid) if !sid.trim().is_empty() => crate::stable_id(sid.trim()),
            _ => crate::content_id(&self.raw_text),
        };
    }

    /// Name of the document for messages: its origin plus id when known.
    pub fn display_name(&self) -> String {
        self.origin.display_name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_prefers_source_id_then_content() {
        let mut a = Document::new(Origin::default(), "Some text.".into());
        a.assign_id();
        let mut b = Document::new(Origin::default(), "Some text.".into());
        b.assign_id();
        assert_eq!(a.id, b.id);
        let mut c = Document::new(
            Origin {
                source_id: Some("reuters-1".into()),
                ..Default::default()
            },
            "Some text.".into(),
        );
        c.assign_id();
        assert_ne!(a.id, c.id);
        assert!(c.id.starts_with("src-"));
    }

    #[test]
    fn format_parses_names() {
        assert_eq!("HTML".parse::<InputFormat>().unwrap(), InputFormat::Html);
        assert!("pdf".parse::<InputFormat>().is_err());
    }

    #[test]
    fn origin_display_includes_line() {
        let o = Origin {
            path: Some("a.jsonl".into()),
            line: Some(3),
            ..Default::default()
        };
        assert_eq!(o.display_name(), "a.jsonl:3");
    }
}
