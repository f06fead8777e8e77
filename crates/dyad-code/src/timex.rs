//! Time expressions of a clause ("on Monday", "last week", "yesterday", "Sept. 7",
//! "on Tuesday night", "earlier this month") resolved against the story date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use dyad_core::DatePrecision;

use crate::tree::Tree;

/// A resolved event date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDate {
    pub date: NaiveDate,
    pub precision: DatePrecision,
}

/// The words of a time expression found among a predicate's dependents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpr {
    /// Lowercase lemmas/forms of the expression, in order ("last", "week").
    pub words: Vec<String>,
    /// Its token indices.
    pub tokens: Vec<usize>,
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn month_number(w: &str) -> Option<u32> {
    dyad_core::month_from_name(w)
}

fn is_time_word(w: &str) -> bool {
    WEEKDAYS.iter().any(|(n, _)| *n == w)
        || month_number(w).is_some()
        || matches!(
            w,
            "yesterday" | "today" | "tonight" | "tomorrow" | "week" | "month" | "year" | "weekend"
        )
}

/// Whether the nominal `i` heads a time expression ("on Tuesday", "last week").
pub fn is_time_nominal(tree: &Tree<'_>, i: usize) -> bool {
    tree.rel(i) == "obl:tmod"
        || is_time_word(&tree.tokens[i].form.to_lowercase())
        || is_time_word(tree.lemma(i))
        || (tree.upos(i) == "NUM"
            && tree
                .children(i)
                .iter()
                .any(|&k| month_number(&tree.tokens[k].form.to_lowercase()).is_some()))
}

/// The first time expression among `pred`'s dependents: `obl`/`obl:tmod`/`obl:npmod`/`nmod:tmod`
/// nominals headed by a time word (or a day number under a month name: "Sept. 7"), `advmod`
/// yesterday/today/tomorrow/tonight; else one the parser attached to an argument of the
/// predicate ("police on Sunday").
pub fn find(tree: &Tree<'_>, pred: usize) -> Option<TimeExpr> {
    find_among(tree, tree.children(pred)).or_else(|| {
        let nested: Vec<usize> = tree
            .children(pred)
            .iter()
            .copied()
            .filter(|&a| matches!(tree.base_rel(a), "nsubj" | "obj" | "obl" | "iobj"))
            .flat_map(|a| tree.children(a).iter().copied())
            .collect();
        find_among(tree, &nested)
    })
}

fn find_among(tree: &Tree<'_>, candidates: &[usize]) -> Option<TimeExpr> {
    for &c in candidates {
        let rel = tree.base_rel(c);
        let word = tree.tokens[c].form.to_lowercase();
        let candidate = match rel {
            "obl" | "nmod" => is_time_nominal(tree, c),
            "advmod" => matches!(
                word.as_str(),
                "yesterday" | "today" | "tomorrow" | "tonight"
            ),
            _ => false,
        };
        if !candidate {
            continue;
        }
        let tokens = tree.subtree(c, &|r| {
            matches!(r, "acl" | "acl:relcl" | "conj" | "cc" | "punct" | "appos")
        });
        let words = tokens
            .iter()
            .map(|&i| tree.tokens[i].form.to_lowercase())
            .collect();
        return Some(TimeExpr { words, tokens });
    }
    None
}

/// Resolve `expr` against the story date. `future` prefers the next matching weekday/date
/// (announced events), otherwise the most recent one on or before the story date.
pub fn resolve(expr: &TimeExpr, story: NaiveDate, future: bool) -> Option<EventDate> {
    let w: Vec<&str> = expr.words.iter().map(String::as_str).collect();
    let has = |x: &str| w.contains(&x);
    let day = |date| EventDate {
        date,
        precision: DatePrecision::Day,
    };
    if has("yesterday") {
        return Some(day(story - Duration::days(1)));
    }
    if has("today") || has("tonight") {
        return Some(day(story));
    }
    if has("tomorrow") {
        return Some(day(story + Duration::days(1)));
    }
    // Month + day ("Sept. 7", "7 September"), with a year when written.
    if let Some(mi) = w.iter().position(|x| month_number(x).is_some()) {
        let month = month_number(w[mi]).unwrap();
        let day_num = w
            .iter()
            .filter_map(|x| {
                x.trim_end_matches(|c: char| c.is_alphabetic())
                    .parse::<u32>()
                    .ok()
            })
            .find(|d| (1..=31).contains(d));
        let year = w
            .iter()
            .filter_map(|x| x.parse::<i32>().ok())
            .find(|y| (1900..=2100).contains(y));
        let pick_year = |m: u32, d: u32| -> Option<NaiveDate> {
            if let Some(y) = year {
                return NaiveDate::from_ymd_opt(y, m, d);
            }
            let this = NaiveDate::from_ymd_opt(story.year(), m, d)?;
            // A date more than half a year away belongs to the neighbouring year.
            let gap = (this - story).num_days();
            if future && gap < -30 {
                NaiveDate::from_ymd_opt(story.year() + 1, m, d)
            } else if !future && gap > 183 {
                NaiveDate::from_ymd_opt(story.year() - 1, m, d)
            } else {
                Some(this)
            }
        };
        return match day_num {
            Some(d) => pick_year(month, d).map(day),
            None => pick_year(month, 1).map(|date| EventDate {
                date,
                precision: DatePrecision::Month,
            }),
        };
    }
    if let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| has(n)) {
        let story_wd = story.weekday().num_days_from_monday() as i64;
        let target = wd.num_days_from_monday() as i64;
        let offset = if future && !has("last") {
            (target - story_wd).rem_euclid(7)
        } else {
            -((story_wd - target).rem_euclid(7))
        };
        return Some(day(story + Duration::days(offset)));
    }
    let shift = if has("last") || has("past") || has("previous") {
        -1
    } else if has("next") || has("coming") {
        1
    } else {
        0
    };
    if has("week") || has("weekend") {
        return Some(EventDate {
            date: story + Duration::days(7 * shift),
            precision: DatePrecision::Week,
        });
    }
    if has("month") {
        let date = shift_months(story, shift)?;
        return Some(EventDate {
            date,
            precision: DatePrecision::Month,
        });
    }
    if has("year") {
        let date = NaiveDate::from_ymd_opt(story.year() + shift as i32, story.month(), 1)?;
        return Some(EventDate {
            date,
            precision: DatePrecision::Year,
        });
    }
    None
}

fn shift_months(d: NaiveDate, by: i64) -> Option<NaiveDate> {
    let total = d.year() as i64 * 12 + d.month0() as i64 + by;
    NaiveDate::from_ymd_opt((total / 12) as i32, (total % 12) as u32 + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(words: &[&str]) -> TimeExpr {
        TimeExpr {
            words: words.iter().map(|w| w.to_string()).collect(),
            tokens: vec![],
        }
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // 2018-09-03 was a Monday.
    const STORY: (i32, u32, u32) = (2018, 9, 3);

    fn story() -> NaiveDate {
        ymd(STORY.0, STORY.1, STORY.2)
    }

    #[test]
    fn weekdays_past_and_future() {
        let on_monday = resolve(&expr(&["on", "monday"]), story(), false).unwrap();
        assert_eq!(on_monday.date, story());
        let friday = resolve(&expr(&["on", "friday"]), story(), false).unwrap();
        assert_eq!(friday.date, ymd(2018, 8, 31));
        let friday_next = resolve(&expr(&["on", "friday"]), story(), true).unwrap();
        assert_eq!(friday_next.date, ymd(2018, 9, 7));
        let night = resolve(&expr(&["on", "tuesday", "night"]), ymd(2018, 9, 5), false).unwrap();
        assert_eq!(night.date, ymd(2018, 9, 4));
    }

    #[test]
    fn relative_weeks_months_days() {
        let lw = resolve(&expr(&["last", "week"]), story(), false).unwrap();
        assert_eq!(
            (lw.date, lw.precision),
            (ymd(2018, 8, 27), DatePrecision::Week)
        );
        let em = resolve(&expr(&["earlier", "this", "month"]), story(), false).unwrap();
        assert_eq!(
            (em.date, em.precision),
            (ymd(2018, 9, 1), DatePrecision::Month)
        );
        let lm = resolve(&expr(&["last", "month"]), story(), false).unwrap();
        assert_eq!(lm.date, ymd(2018, 8, 1));
        assert_eq!(
            resolve(&expr(&["yesterday"]), story(), false).unwrap().date,
            ymd(2018, 9, 2)
        );
    }

    #[test]
    fn month_and_day() {
        let d = resolve(&expr(&["on", "sept.", "7"]), story(), true).unwrap();
        assert_eq!((d.date, d.precision), (ymd(2018, 9, 7), DatePrecision::Day));
        // A past-tense December date in a January story is last year's.
        let d = resolve(&expr(&["on", "dec.", "28"]), ymd(2019, 1, 4), false).unwrap();
        assert_eq!(d.date, ymd(2018, 12, 28));
        let d = resolve(&expr(&["in", "march"]), story(), false).unwrap();
        assert_eq!(
            (d.date, d.precision),
            (ymd(2018, 3, 1), DatePrecision::Month)
        );
        let d = resolve(&expr(&["on", "march", "2", ",", "2015"]), story(), false).unwrap();
        assert_eq!(d.date, ymd(2015, 3, 2));
    }

    #[test]
    fn non_time_words_resolve_to_nothing() {
        assert_eq!(resolve(&expr(&["in", "damascus"]), story(), false), None);
    }
}
