//! Dates and date ranges as written in dictionaries: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, and
//! ranges `FROM..TO` with either side open.

use chrono::NaiveDate;

/// An inclusive range of days; `None` is open on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    /// Always in force.
    pub const ALWAYS: DateRange = DateRange {
        from: None,
        to: None,
    };

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date <= t)
    }

    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// Whether two ranges share at least one day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        let starts_before_other_ends = match (self.from, other.to) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        };
        let other_starts_before_end = match (other.from, self.to) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_end
    }
}

impl std::fmt::Display for DateRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(d) = self.from {
            write!(f, "{d}")?;
        }
        f.write_str("..")?;
        if let Some(d) = self.to {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. A partial date names a period; `end` picks its last
/// day instead of its first (so `..2021` runs to 2021-12-31).
pub fn parse_date(s: &str, end: bool) -> Result<NaiveDate, String> {
    let bad = || format!("bad date '{s}' (expected YYYY-MM-DD, YYYY-MM or YYYY)");
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Result<u32, String> {
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse::<u32>().map_err(|_| bad())
    };
    let year = num(parts[0], 4)? as i32;
    let date = match parts.len() {
        1 => {
            if end {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, 1, 1)
            }
        }
        2 => {
            let month = num(parts[1], 2)?;
            let first = NaiveDate::from_ymd_opt(year, month, 1);
            if end {
                first.and_then(|d| {
                    let next = if month == 12 {
                        NaiveDate::from_ymd_opt(year + 1, 1, 1)
                    } else {
                        NaiveDate::from_ymd_opt(year, month + 1, 1)
                    };
                    next.and_then(|n| n.pred_opt()).filter(|l| *l >= d)
                })
            } else {
                first
            }
        }
        3 => NaiveDate::from_ymd_opt(year, num(parts[1], 2)?, num(parts[2], 2)?),
        _ => None,
    };
    date.ok_or_else(|| format!("invalid date '{s}'"))
}

/// Parse `FROM..TO` (either side may be empty).
pub fn parse_range(s: &str) -> Result<DateRange, String> {
    let Some((from, to)) = s.split_once("..") else {
        return Err(format!(
            "bad date range '{s}' (expected FROM..TO, e.g. 2013-08-15..2021-08-25 or 2013..)"
        ));
    };
    let from = from.trim();
    let to = to.trim();
    let range = DateRange {
        from: (!from.is_empty())
            .then(|| parse_date(from, false))
            .transpose()?,
        to: (!to.is_empty()).then(|| parse_date(to, true)).transpose()?,
    };
    if let (Some(f), Some(t)) = (range.from, range.to) {
        if t < f {
            return Err(format!("date range '{s}' ends before it starts"));
        }
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn partial_dates_cover_their_period() {
        assert_eq!(parse_date("2013-08-15", false).unwrap(), d(2013, 8, 15));
        assert_eq!(parse_date("2013-02", true).unwrap(), d(2013, 2, 28));
        assert_eq!(parse_date("2012-02", true).unwrap(), d(2012, 2, 29));
        assert_eq!(parse_date("2013-12", true).unwrap(), d(2013, 12, 31));
        assert_eq!(parse_date("2013", false).unwrap(), d(2013, 1, 1));
        assert_eq!(parse_date("2013", true).unwrap(), d(2013, 12, 31));
        for bad in [
            "13-01-01",
            "2013-1-01",
            "2013-13",
            "2013-02-30",
            "",
            "x",
            "2013-01-01-01",
        ] {
            assert!(parse_date(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges() {
        let r = parse_range("2013-08-15..2021-08-25").unwrap();
        assert!(r.contains(d(2013, 8, 15)) && r.contains(d(2021, 8, 25)));
        assert!(!r.contains(d(2013, 8, 14)) && !r.contains(d(2021, 8, 26)));
        let open = parse_range("2021-08-26..").unwrap();
        assert!(open.to.is_none() && open.contains(d(2030, 1, 1)));
        assert!(parse_range("..").unwrap().is_always());
        assert!(parse_range("2013").is_err());
        assert!(parse_range("2021..2013")
            .unwrap_err()
            .contains("ends before"));
        assert!(!r.overlaps(&open) && r.overlaps(&parse_range("2020..").unwrap()));
        assert_eq!(r.to_string(), "2013-08-15..2021-08-25");
    }
}
