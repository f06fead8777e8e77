//! The story date and where it came from.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
}

/// Which evidence fixed the story date, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A date field of the input: JSONL `date`, RSS `pubDate`, HTML `article:published_time`,
    /// JSON-LD `datePublished`, `<time datetime>`, PETRARCH `date` attribute.
    Metadata,
    /// The dateline gave month and day *and* year.
    Dateline,
    /// Dateline month/day, year from a full date written in a caption.
    DatelineCaptionYear,
    /// Dateline month/day, year from a full date written in the body.
    DatelineBodyYear,
    /// Dateline month/day, year from the `--date` the user gave.
    DatelineOptionYear,
    /// The user's `--date` option.
    Option,
}

/// The date a story reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryDate {
    pub date: NaiveDate,
    pub precision: DatePrecision,
    pub source: DateSource,
}
