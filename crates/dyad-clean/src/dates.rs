//! Month names and full dates written in prose ("September 3, 2018", "3 Sept. 2018", "2018-09-03").

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

pub use dyad_core::month_from_name;

/// The regex alternation of month names, longest forms first.
pub(crate) const MONTH_PATTERN: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?";

/// A full calendar date found in text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullDate {
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
}

/// Every valid full date in `text`, in text order.
pub fn find_full_dates(text: &str) -> Vec<FullDate> {
    static MDY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b({MONTH_PATTERN})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"
        ))
        .unwrap()
    });
    static DMY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_PATTERN}),?\s+((?:19|20)\d\d)\b"
        ))
        .unwrap()
    });
    static ISO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b").unwrap());

    let mut found = Vec::new();
    let mut push = |y: &str, m: Option<u32>, d: &str, start: usize, end: usize| {
        let (Ok(y), Some(m), Ok(d)) = (y.parse::<i32>(), m, d.parse::<u32>()) else {
            return;
        };
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            found.push(FullDate { date, start, end });
        }
    };
    for c in MDY.captures_iter(text) {
        let all = c.get(0).unwrap();
        push(&c[3], month_from_name(&c[1]), &c[2], all.start(), all.end());
    }
    for c in DMY.captures_iter(text) {
        let all = c.get(0).unwrap();
        push(&c[3], month_from_name(&c[2]), &c[1], all.start(), all.end());
    }
    for c in ISO.captures_iter(text) {
        let all = c.get(0).unwrap();
        push(&c[1], c[2].parse().ok(), &c[3], all.start(), all.end());
    }
    found.sort_by_key(|d| d.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dates_in_three_styles() {
        let text = "on September 3, 2018 and 7 Sept. 2018, filed 2018-09-10; not Sept 31, 2018";
        let dates: Vec<String> = find_full_dates(text)
            .iter()
            .map(|d| d.date.to_string())
            .collect();
        assert_eq!(dates, vec!["2018-09-03", "2018-09-07", "2018-09-10"]);
    }
}
