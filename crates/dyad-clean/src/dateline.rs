//! Wire datelines: `Sept 3 (Reuters) –`, `BEIRUT (Reuters) -`, `WASHINGTON, Jan. 5 (AP) —`,
//! `(AFP) -`, `KABUL, Afghanistan (AP) —`, `LONDON —`.

use dyad_core::Dateline;
use regex::{Captures, Regex};
use std::sync::LazyLock;

use crate::dates::{month_from_name, MONTH_PATTERN};

/// A dateline found at the start of a paragraph; `len` bytes of the paragraph belong to it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatelineMatch {
    pub dateline: Dateline,
    pub len: usize,
}

/// Agencies written in datelines, as they are usually spelled there.
const AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "AFP",
    "Xinhua",
    "dpa",
    "DPA",
    "UPI",
    "ANSA",
    "EFE",
    "Bloomberg",
    "TASS",
    "Interfax",
    "RIA",
    "RIA Novosti",
    "Sputnik",
    "IANS",
    "PTI",
    "Anadolu",
    "AA",
    "CNN",
    "BBC",
    "KUNA",
    "WAM",
    "SPA",
    "IRNA",
    "SANA",
    "Yonhap",
    "Kyodo",
    "Bernama",
    "MENA",
    "QNA",
    "Fars",
    "Tasnim",
    "ISNA",
    "NNA",
    "Al Jazeera",
    "JTA",
    "CP",
    "AAP",
    "PA",
    "Ukrinform",
    "Antara",
    "APA",
];

static WITH_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?P<place>\p{{Lu}}[\p{{L}}.'\- ]{{0,40}}?(?:, ?\p{{Lu}}[\p{{L}}.'\- ]{{0,30}}?)?),? )?(?:(?P<month>{MONTH_PATTERN}) (?P<day>\d{{1,2}})(?:, (?P<year>(?:19|20)\d\d))? ?)?\((?P<agency>[^()\n]{{1,40}})\) ?(?:[-–—:]+ ?)"
    ))
    .unwrap()
});

static CAPS_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<place>\p{{Lu}}[\p{{Lu}}.'\- ]{{1,40}}\p{{Lu}}\.?(?:, ?\p{{Lu}}[\p{{L}}.'\- ]{{0,30}}?)?)(?:, (?P<month>{MONTH_PATTERN}) (?P<day>\d{{1,2}})(?:, (?P<year>(?:19|20)\d\d))?)? ?(?:[–—]|--?) "
    ))
    .unwrap()
});

/// Parse a dateline at the very start of `paragraph`.
pub fn parse_dateline(paragraph: &str) -> Option<DatelineMatch> {
    if let Some(c) = WITH_AGENCY.captures(paragraph) {
        let agency = c["agency"].trim();
        if is_agency(agency) {
            return Some(build(&c, Some(agency.to_string())));
        }
    }
    let c = CAPS_PLACE.captures(paragraph)?;
    Some(build(&c, None))
}

fn is_agency(s: &str) -> bool {
    if AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(s)) {
        return true;
    }
    // An agency the list lacks: a short capitalised name ("Thomson Reuters Foundation").
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn build(c: &Captures<'_>, agency: Option<String>) -> DatelineMatch {
    let whole = c.get(0).unwrap();
    let place = c
        .name("place")
        .map(|m| m.as_str().trim().trim_end_matches(',').trim().to_string());
    let month = c.name("month").and_then(|m| month_from_name(m.as_str()));
    let day = c
        .name("day")
        .and_then(|d| d.as_str().parse::<u32>().ok())
        .filter(|d| (1..=31).contains(d));
    let year = c.name("year").and_then(|y| y.as_str().parse::<i32>().ok());
    DatelineMatch {
        dateline: Dateline {
            raw: whole.as_str().trim().to_string(),
            agency,
            place: place.filter(|p| !p.is_empty()),
            month: month.filter(|_| day.is_some()),
            day: day.filter(|_| month.is_some()),
            year,
        },
        len: whole.end(),
    }
}

/// Look for a dateline at the start of the first paragraph, or of the second/third when the ones
/// before them are short title or byline lines.
pub(crate) fn find_in_leading_paragraphs(paragraphs: &[String]) -> Option<(usize, DatelineMatch)> {
    for (i, p) in paragraphs.iter().enumerate().take(3) {
        if let Some(m) = parse_dateline(p) {
            return Some((i, m));
        }
        let heading_like = p.chars().count() <= 150 && !p.ends_with(['.', '!', '?', '"']);
        if !heading_like {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(s: &str) -> Dateline {
        parse_dateline(s)
            .unwrap_or_else(|| panic!("no dateline in {s:?}"))
            .dateline
    }

    #[test]
    fn month_day_agency() {
        let m = parse_dateline("Sept 3 (Reuters) – Iran called on Monday").unwrap();
        assert_eq!(m.dateline.agency.as_deref(), Some("Reuters"));
        assert_eq!((m.dateline.month, m.dateline.day), (Some(9), Some(3)));
        assert_eq!(m.dateline.place, None);
        assert_eq!(
            &"Sept 3 (Reuters) – Iran called on Monday"[m.len..],
            "Iran called on Monday"
        );
    }

    #[test]
    fn place_agency() {
        let d = dl("BEIRUT (Reuters) - Syrian forces shelled");
        assert_eq!(d.place.as_deref(), Some("BEIRUT"));
        assert_eq!(d.agency.as_deref(), Some("Reuters"));
        assert_eq!(d.month, None);
    }

    #[test]
    fn place_month_day_agency() {
        let d = dl("WASHINGTON, Jan. 5 (AP) — The Senate voted");
        assert_eq!(d.place.as_deref(), Some("WASHINGTON"));
        assert_eq!((d.month, d.day), (Some(1), Some(5)));
        assert_eq!(d.agency.as_deref(), Some("AP"));
    }

    #[test]
    fn agency_only() {
        let d = dl("(AFP) - Troops entered the town");
        assert_eq!(d.agency.as_deref(), Some("AFP"));
        assert_eq!(d.place, None);
    }

    #[test]
    fn place_with_country_and_year() {
        let d = dl("KABUL, Afghanistan, March 2, 2021 (AP) — A bomb");
        assert_eq!(d.place.as_deref(), Some("KABUL, Afghanistan"));
        assert_eq!(d.year, Some(2021));
        let d = dl("BEIRUT, Sept 3 (Reuters) - Talks");
        assert_eq!(d.place.as_deref(), Some("BEIRUT"));
        assert_eq!(d.day, Some(3));
    }

    #[test]
    fn caps_place_and_dash_without_agency() {
        let d = dl("LONDON — Britain said on Monday");
        assert_eq!(d.place.as_deref(), Some("LONDON"));
        assert_eq!(d.agency, None);
    }

    #[test]
    fn ordinary_sentences_are_not_datelines() {
        for s in [
            "Iran called on Monday for talks.",
            "The meeting (which was private) - ended.",
            "US - Iran talks resume",
            "He said (in a statement) - nothing more.",
        ] {
            assert!(parse_dateline(s).is_none(), "{s}");
        }
    }

    #[test]
    fn dateline_after_a_headline_paragraph() {
        let paras = vec![
            "Iran hosts summit".to_string(),
            "TEHRAN (Reuters) - Iran will host a summit.".to_string(),
        ];
        let (i, m) = find_in_leading_paragraphs(&paras).unwrap();
        assert_eq!(i, 1);
        assert_eq!(m.dateline.place.as_deref(), Some("TEHRAN"));
    }
}
