//! The story date: from metadata, else from the dateline's month/day with a year found elsewhere,
//! else from the user's `--date`, else unknown. Nothing is invented: a year-less dateline with no
//! year anywhere leaves the date unknown.

use chrono::{Datelike, NaiveDate};
use dyad_core::{DatePrecision, DateSource, Document, StoryDate};

use crate::dates::find_full_dates;

/// Fill `doc.date` from the evidence gathered by the clean stage.
pub fn settle_story_date(doc: &mut Document, fallback: Option<NaiveDate>) {
    if doc.date.is_some() {
        return; // the reader found a metadata date
    }
    let day = |date, source| StoryDate {
        date,
        precision: DatePrecision::Day,
        source,
    };
    if let Some(dl) = &doc.meta.dateline {
        if let (Some(month), Some(dom)) = (dl.month, dl.day) {
            if let Some(year) = dl.year {
                if let Some(date) = NaiveDate::from_ymd_opt(year, month, dom) {
                    doc.date = Some(day(date, DateSource::Dateline));
                    return;
                }
            }
            let captions: Vec<&str> = doc.meta.captions.iter().map(|c| c.text.as_str()).collect();
            let candidates = [
                (
                    year_from(&captions, month, dom),
                    DateSource::DatelineCaptionYear,
                ),
                (
                    year_from(&[doc.text.as_str()], month, dom),
                    DateSource::DatelineBodyYear,
                ),
                (
                    fallback.map(|f| year_near(f, month, dom)),
                    DateSource::DatelineOptionYear,
                ),
            ];
            for (year, source) in candidates {
                if let Some(date) = year.and_then(|y| NaiveDate::from_ymd_opt(y, month, dom)) {
                    doc.date = Some(day(date, source));
                    return;
                }
            }
        }
    }
    if let Some(date) = fallback {
        doc.date = Some(day(date, DateSource::Option));
    }
}

/// The year of a full date in `texts`: one with the dateline's month and day if any, else the
/// first full date's year when it lies within a month of that month/day (a caption written the
/// same day, or a story reaching back a few days).
fn year_from(texts: &[&str], month: u32, day: u32) -> Option<i32> {
    let dates: Vec<NaiveDate> = texts
        .iter()
        .flat_map(|t| find_full_dates(t))
        .map(|d| d.date)
        .collect();
    if let Some(same) = dates.iter().find(|d| d.month() == month && d.day() == day) {
        return Some(same.year());
    }
    dates.iter().find_map(|d| {
        let candidate = NaiveDate::from_ymd_opt(d.year(), month, day)?;
        ((candidate - *d).num_days().abs() <= 31).then_some(d.year())
    })
}

/// The year for a month/day written near the reference date `near` (a dateline is not in the
/// future of the date the user gave by more than a week, so December datelines with a January
/// `--date` belong to the year before).
fn year_near(near: NaiveDate, month: u32, day: u32) -> i32 {
    match NaiveDate::from_ymd_opt(near.year(), month, day) {
        Some(d) if (d - near).num_days() > 7 => near.year() - 1,
        _ => near.year(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{Caption, Dateline, Origin};

    fn doc_with_dateline(month: u32, day: u32) -> Document {
        let mut doc = Document::new(Origin::default(), String::new());
        doc.meta.dateline = Some(Dateline {
            month: Some(month),
            day: Some(day),
            ..Default::default()
        });
        doc
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn caption_year_completes_dateline() {
        let mut doc = doc_with_dateline(9, 3);
        doc.meta.captions.push(Caption {
            text: "Leaders meet in Damascus, Syria September 3, 2018. Handout".into(),
            ..Default::default()
        });
        settle_story_date(&mut doc, Some(ymd(2020, 1, 1)));
        let d = doc.date.unwrap();
        assert_eq!(d.date, ymd(2018, 9, 3));
        assert_eq!(d.source, DateSource::DatelineCaptionYear);
        assert_eq!(d.precision, DatePrecision::Day);
    }

    #[test]
    fn body_year_then_option_year() {
        let mut doc = doc_with_dateline(3, 2);
        doc.text = "The deal signed on February 27, 2021 expires soon.".into();
        settle_story_date(&mut doc, None);
        assert_eq!(doc.date.unwrap().date, ymd(2021, 3, 2));
        assert_eq!(doc.date.unwrap().source, DateSource::DatelineBodyYear);

        let mut doc = doc_with_dateline(12, 30);
        settle_story_date(&mut doc, Some(ymd(2019, 1, 2)));
        assert_eq!(doc.date.unwrap().date, ymd(2018, 12, 30));
        assert_eq!(doc.date.unwrap().source, DateSource::DatelineOptionYear);
    }

    #[test]
    fn no_year_anywhere_leaves_date_unknown() {
        let mut doc = doc_with_dateline(9, 3);
        settle_story_date(&mut doc, None);
        assert!(doc.date.is_none());
    }

    #[test]
    fn metadata_date_wins() {
        let mut doc = doc_with_dateline(9, 3);
        let meta = StoryDate {
            date: ymd(2018, 9, 4),
            precision: DatePrecision::Day,
            source: DateSource::Metadata,
        };
        doc.date = Some(meta);
        settle_story_date(&mut doc, Some(ymd(2020, 1, 1)));
        assert_eq!(doc.date, Some(meta));
    }

    #[test]
    fn option_date_without_dateline() {
        let mut doc = Document::new(Origin::default(), String::new());
        settle_story_date(&mut doc, Some(ymd(2020, 5, 6)));
        assert_eq!(doc.date.unwrap().source, DateSource::Option);
    }
}
