//! The clean stage: from a reader's `raw_text` to the body text dyad analyses.
//!
//! ```text
//! clean(&mut Document, &CleanOptions)
//!   normalise  — NFC, quotes, spaces, control characters, paragraphs ("\n\n" between them)
//!   shortcodes — WordPress/CMS `[name …]…[/name]` removed; captions and image URLs → meta.captions
//!   dateline   — `BEIRUT, Sept 3 (Reuters) -` parsed into meta.dateline and removed
//!   credits    — `(Reporting by …; Editing by …)` parsed into meta.credits and removed
//!   story date — metadata, else dateline month/day + a year found in captions/body/--date
//! ```
//! Each step is a plain function over strings so that it can be tested alone.

mod credits;
mod dateline;
mod dates;
mod normalize;
mod shortcode;
mod story_date;

use chrono::NaiveDate;
use dyad_core::Document;

pub use credits::parse_credits;
pub use dateline::{parse_dateline, DatelineMatch};
pub use dates::{find_full_dates, month_from_name, FullDate};
pub use normalize::{normalize_text, to_paragraphs};
pub use shortcode::{strip_shortcodes, ShortcodeOutput};
pub use story_date::settle_story_date;

/// Options of the clean stage.
#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    /// The user's `--date`: a fallback story date, and a year for year-less datelines.
    pub fallback_date: Option<NaiveDate>,
}

/// Clean `doc.raw_text` into `doc.text`, filling captions, dateline, credits and the story date.
pub fn clean(doc: &mut Document, opts: &CleanOptions) {
    let normalized = normalize_text(&doc.raw_text);
    let stripped = strip_shortcodes(&normalized);
    doc.meta.captions.extend(stripped.captions);
    doc.warnings.extend(stripped.warnings);

    let mut paragraphs: Vec<String> = to_paragraphs(&stripped.text);

    if let Some((index, found)) = dateline::find_in_leading_paragraphs(&paragraphs) {
        let rest = paragraphs[index][found.len..].trim_start().to_string();
        paragraphs[index] = rest;
        doc.meta.dateline = Some(found.dateline);
    }

    if let Some((index, found)) = credits::find_in_paragraphs(&paragraphs) {
        paragraphs[index] = found.remainder;
        doc.meta.credits = Some(found.credits);
    }

    paragraphs.retain(|p| !p.trim().is_empty());
    doc.text = paragraphs.join("\n\n");
    settle_story_date(doc, opts.fallback_date);
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{DateSource, Origin};

    const STORY: &str = "Sept 3 (Reuters) – Iran called on Monday for militants to be “cleaned out” of Syria’s Idlib province.\n\
Zarif met Assad in Damascus.\n\
[aesop_image img=”https://example.org/a.jpg” align=”center” caption=”Officials meet in Damascus, Syria September 3, 2018. Handout via REUTERS” lightbox=”on”]\n\
“The region should be placed back under control,” he said.\n\
(Reporting by Ann Example; Additional reporting by Bo Writer in Beirut Editing by Cy Editor)";

    #[test]
    fn cleans_a_wire_story_end_to_end() {
        let mut doc = Document::new(Origin::default(), STORY.to_string());
        clean(&mut doc, &CleanOptions::default());
        assert!(
            doc.text.starts_with("Iran called on Monday"),
            "{}",
            doc.text
        );
        assert!(!doc.text.contains("aesop"));
        assert!(!doc.text.contains("Reporting"));
        assert!(!doc.text.contains("Reuters"));
        assert!(doc.text.contains("\"cleaned out\""));
        assert_eq!(doc.text.matches("\n\n").count(), 2);
        let dl = doc.meta.dateline.as_ref().unwrap();
        assert_eq!(dl.agency.as_deref(), Some("Reuters"));
        assert_eq!((dl.month, dl.day), (Some(9), Some(3)));
        let cr = doc.meta.credits.as_ref().unwrap();
        assert_eq!(cr.reporters, vec!["Ann Example"]);
        assert_eq!(cr.additional_reporters, vec!["Bo Writer"]);
        assert_eq!(cr.editors, vec!["Cy Editor"]);
        assert_eq!(cr.places, vec!["Beirut"]);
        assert_eq!(doc.meta.captions.len(), 1);
        assert_eq!(
            doc.meta.captions[0].image_url.as_deref(),
            Some("https://example.org/a.jpg")
        );
        let date = doc.date.unwrap();
        assert_eq!(date.date, NaiveDate::from_ymd_opt(2018, 9, 3).unwrap());
        assert_eq!(date.source, DateSource::DatelineCaptionYear);
    }

    #[test]
    fn text_without_any_apparatus_is_only_normalised() {
        let mut doc = Document::new(Origin::default(), "  Plain  text.\r\n".to_string());
        clean(&mut doc, &CleanOptions::default());
        assert_eq!(doc.text, "Plain text.");
        assert!(doc.meta.dateline.is_none());
        assert!(doc.meta.credits.is_none());
        assert!(doc.date.is_none());
    }
}
