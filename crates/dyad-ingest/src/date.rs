//! Publication dates as inputs write them: RFC 3339 / ISO 8601, RFC 2822, `YYYYMMDD`,
//! `September 3, 2018`, `3 Sept. 2018`, `Monday, Sep 3rd 2018 10:00 AM`, `2018/09/03`.
//! The calendar date is taken as written (no time-zone conversion): a story dated
//! 23:30 at UTC-5 happened on that local day.

use chrono::{DateTime, NaiveDate};
use dyad_core::{DatePrecision, DateSource, StoryDate};

/// A metadata date at day precision, when `s` parses.
pub fn metadata_date(s: &str) -> Option<StoryDate> {
    parse_date(s).map(|date| StoryDate {
        date,
        precision: DatePrecision::Day,
        source: DateSource::Metadata,
    })
}

/// Parse the calendar day in a date string; `None` when no full day is given.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if t.is_empty() || t.len() > 200 {
        return None;
    }
    let b = t.as_bytes();
    // YYYYMMDD (PETRARCH, GDELT), possibly followed by a time: 20180903, 20180903T1200.
    if b.len() >= 8
        && b[..8].iter().all(u8::is_ascii_digit)
        && !matches!(b.get(8), Some(c) if c.is_ascii_digit())
    {
        return ymd(num(&t[..4])?, num(&t[4..6])?, num(&t[6..8])?);
    }
    // YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD with anything after (time, zone).
    if let Some(d) = leading_iso(t) {
        return Some(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(t) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.date_naive());
    }
    words_date(t).or_else(|| numeric_dmy(t))
}

fn num(s: &str) -> Option<u32> {
    s.parse().ok()
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1000..=2999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

fn leading_iso(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = b[4];
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let rest = &t[5..];
    let m_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&m_len) || rest.as_bytes().get(m_len) != Some(&sep) {
        return None;
    }
    let rest2 = &rest[m_len + 1..];
    let d_len = rest2.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&d_len) {
        return None;
    }
    ymd(num(&t[..4])?, num(&rest[..m_len])?, num(&rest2[..d_len])?)
}

#[derive(Debug, Clone, Copy)]
enum Tok<'a> {
    Word(&'a str),
    Num(&'a str),
}

fn tokens(t: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Tok::Num(&t[start..i]));
        } else if c.is_ascii_alphabetic() {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Tok::Word(&t[start..i]));
        } else {
            i += 1;
        }
    }
    out
}

/// `September 3, 2018`, `3 September 2018`, `Mon, 3 Sep 2018 10:00 EST`, `Sep 3rd 2018`.
fn words_date(t: &str) -> Option<NaiveDate> {
    let toks = tokens(t);
    let (mi, month) = toks.iter().enumerate().find_map(|(i, tok)| match tok {
        Tok::Word(w) => dyad_core::month_from_name(w).map(|m| (i, m)),
        Tok::Num(_) => None,
    })?;
    let is_day = |tok: Option<&Tok>| match tok {
        Some(Tok::Num(n)) if n.len() <= 2 => num(n).filter(|d| (1..=31).contains(d)),
        _ => None,
    };
    let after = is_day(toks.get(mi + 1));
    let before = mi.checked_sub(1).and_then(|i| is_day(toks.get(i)));
    let day = after.or(before)?;
    // The year: the first 4-digit number after the day/month pair ("Sep 3 2018"),
    // else anywhere ("2018 Sep 3").
    let year = toks
        .iter()
        .filter_map(|tok| match tok {
            Tok::Num(n) if n.len() == 4 => num(n),
            _ => None,
        })
        .next()?;
    ymd(year, month, day)
}

/// `03/09/2018` style: only when the order is unambiguous (one part over 12).
fn numeric_dmy(t: &str) -> Option<NaiveDate> {
    let toks = tokens(t);
    let nums: Vec<&str> = toks
        .iter()
        .map_while(|tok| match tok {
            Tok::Num(n) => Some(*n),
            Tok::Word(_) => None,
        })
        .take(3)
        .collect();
    if nums.len() != 3 || nums[2].len() != 4 || nums[0].len() > 2 || nums[1].len() > 2 {
        return None;
    }
    let (a, b, y) = (num(nums[0])?, num(nums[1])?, num(nums[2])?);
    match (a > 12, b > 12) {
        (true, false) => ymd(y, b, a),
        (false, true) => ymd(y, a, b),
        _ if a == b => ymd(y, a, b),
        _ => None,
    }
}

/// A date from a Unix timestamp in seconds or milliseconds (JSONL numeric dates).
pub fn epoch_date(n: f64) -> Option<NaiveDate> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    // Values this large are milliseconds: 1e11 seconds is the year 5138.
    let secs = if n >= 1e11 { n / 1000.0 } else { n };
    DateTime::from_timestamp(secs as i64, 0).map(|dt| dt.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn iso_and_rfc3339_keep_the_written_day() {
        assert_eq!(parse_date("2018-09-03"), d(2018, 9, 3));
        assert_eq!(parse_date("2018-09-03T23:30:00-05:00"), d(2018, 9, 3));
        assert_eq!(parse_date("2018-09-03 14:00"), d(2018, 9, 3));
        assert_eq!(parse_date("2018/9/3"), d(2018, 9, 3));
        assert_eq!(parse_date(" 2018-09-03T10:00:00.000Z "), d(2018, 9, 3));
    }

    #[test]
    fn compact_and_rfc2822() {
        assert_eq!(parse_date("20080804"), d(2008, 8, 4));
        assert_eq!(parse_date("Mon, 03 Sep 2018 14:00:00 GMT"), d(2018, 9, 3));
        assert_eq!(parse_date("Mon, 3 Sep 2018 14:00:00 +0200"), d(2018, 9, 3));
        // A wrong weekday makes RFC 2822 strict parsing fail; the words parser still reads it.
        assert_eq!(parse_date("Tue, 03 Sep 2018 14:00:00 EST"), d(2018, 9, 3));
    }

    #[test]
    fn written_forms() {
        assert_eq!(parse_date("September 3, 2018"), d(2018, 9, 3));
        assert_eq!(parse_date("Sept. 3, 2018"), d(2018, 9, 3));
        assert_eq!(parse_date("3 September 2018"), d(2018, 9, 3));
        assert_eq!(parse_date("Monday, Sep 3rd 2018 10:00 AM"), d(2018, 9, 3));
        assert_eq!(parse_date("25/12/2019"), d(2019, 12, 25));
        assert_eq!(parse_date("12/25/2019"), d(2019, 12, 25));
    }

    #[test]
    fn rejects_partial_or_invalid() {
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("121108"), None);
        assert_eq!(parse_date("2018-02-30"), None);
        assert_eq!(parse_date("September 2018"), None);
        assert_eq!(parse_date("03/04/2018"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn epochs() {
        assert_eq!(epoch_date(1_535_980_000.0), d(2018, 9, 3));
        assert_eq!(epoch_date(1_535_980_000_000.0), d(2018, 9, 3));
        assert_eq!(epoch_date(f64::NAN), None);
    }
}
