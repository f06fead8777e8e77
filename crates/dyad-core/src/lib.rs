//! The one document type that flows through every dyad stage.
//!
//! Like spaCy's `Doc`, a [`Document`] is created by a reader (ingest), cleaned
//! (clean), segmented (tokenize), annotated (analyze) and finally stored. Each
//! stage fills its own fields and leaves the others alone, so every stage has
//! one typed interface: `fn(&mut Document)` or `fn(&Document) -> T`.

mod date;
mod document;
mod id;

pub use date::{month_from_name, DatePrecision, DateSource, StoryDate};
pub use document::{
    Caption, Credits, Dateline, Document, InputFormat, Metadata, Origin, Sentence, Token,
};
pub use id::{content_id, stable_id};
