//! The story date and where it came from.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Month number of an English month name or abbreviation, any case: the full name, `Sept`,
/// or a prefix of at least three letters (`Sep`, `sept.`, `Octo`), with or without a period.
pub fn month_from_name(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    if n == "sept" {
        return Some(9);
    }
    if n.len() < 3 || n.len() > 9 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(n.as_str()))
        .map(|i| i as u32 + 1)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_abbreviations() {
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("sep"), Some(9));
        assert_eq!(month_from_name("May"), Some(5));
        assert_eq!(month_from_name("DEC"), Some(12));
        assert_eq!(month_from_name("Octo"), Some(10));
        assert_eq!(month_from_name("Mayday"), None);
        assert_eq!(month_from_name("ma"), None);
    }
}
