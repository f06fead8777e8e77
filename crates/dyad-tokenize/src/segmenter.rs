//! Sentence boundaries over a token sequence: shared pieces and the rule-only
//! fallback.
//!
//! Line structure decides first (a blank line always ends a sentence; a single
//! line break ends one before a headline-like or new-paragraph line). Elsewhere
//! the learned model (`model.rs`) decides; without a model, the rules here
//! decide after terminal punctuation (`.`, `?`, `!`, `...`, with closing quotes
//! and brackets absorbed) and after abbreviations ending in a period.

use dyad_core::{Sentence, Token};

use crate::abbrev;
use crate::tokenizer::{is_terminal, space_after, Span};

/// What separates token `k` from token `k + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    None,
    Space,
    Newline,
    BlankLine,
}

pub(crate) fn gap(text: &str, a: usize, b: usize) -> Gap {
    let between = &text[a..b];
    if between.is_empty() {
        return Gap::None;
    }
    let mut newlines = 0;
    for c in between.chars() {
        if c == '\n' || c == '\u{2029}' {
            newlines += 1;
        }
    }
    match newlines {
        0 => Gap::Space,
        1 => Gap::Newline,
        _ => Gap::BlankLine,
    }
}

/// Closing quotes and brackets that stay with the sentence they close.
#[inline]
pub(crate) fn is_closer(form: &str) -> bool {
    matches!(
        form,
        "\"" | "”" | "’" | "'" | "''" | ")" | "]" | "}" | "»" | "›"
    )
}

#[inline]
pub(crate) fn is_opener(form: &str) -> bool {
    matches!(
        form,
        "\"" | "“" | "‘" | "'" | "`" | "``" | "(" | "[" | "{" | "«" | "‹"
    )
}

/// A token made only of terminal punctuation (`.`, `?!`, `...`).
#[inline]
pub(crate) fn is_terminal_token(form: &str) -> bool {
    !form.is_empty() && form.chars().all(is_terminal)
}

#[inline]
fn starts_upper(form: &str) -> bool {
    form.chars().next().is_some_and(|c| c.is_uppercase())
}

#[inline]
fn starts_lower(form: &str) -> bool {
    form.chars().next().is_some_and(|c| c.is_lowercase())
}

/// Words that commonly open a sentence; after an abbreviation they signal a
/// boundary (`in the U.S. The president ...`), while a name does not.
pub(crate) fn is_sentence_starter(form: &str) -> bool {
    matches!(
        form,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "In"
            | "On"
            | "At"
            | "For"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "Our"
            | "My"
            | "Your"
            | "If"
            | "When"
            | "While"
            | "After"
            | "Before"
            | "As"
            | "Although"
            | "However"
            | "Meanwhile"
            | "Mr."
            | "Mrs."
            | "Ms."
            | "Dr."
            | "Some"
            | "Many"
            | "Most"
            | "What"
            | "Why"
            | "How"
            | "Who"
            | "Where"
            | "Yet"
            | "Still"
            | "Also"
            | "Then"
            | "Now"
            | "Last"
            | "Earlier"
            | "Later"
            | "Since"
            | "Under"
            | "According"
            | "Both"
            | "Each"
            | "Such"
            | "Not"
            | "Other"
            | "All"
            | "Is"
            | "Are"
            | "Was"
            | "Were"
            | "Do"
            | "Does"
            | "Did"
            | "Can"
            | "Will"
            | "Would"
            | "Should"
            | "Let"
            | "Please"
            | "Thanks"
            | "Thank"
            | "Here"
            | "Despite"
            | "During"
            | "Instead"
            | "Asked"
    )
}

/// A single capital letter and a period: an initial (`W.`).
pub(crate) fn is_initial(form: &str) -> bool {
    let mut c = form.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// Per-text facts the line-break rule needs.
pub(crate) struct LineStats {
    pub max_line: usize,
}

impl LineStats {
    pub(crate) fn of(text: &str) -> Self {
        let max_line = text.split('\n').map(str::len).max().unwrap_or(0);
        LineStats { max_line }
    }
}

/// Length in bytes of the line of `text` that ends before `pos`.
fn line_len_before(text: &str, pos: usize) -> usize {
    let before = &text[..pos];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    pos - line_start
}

/// Does a single line break between tokens `k` and `k + 1` end a sentence?
pub(crate) fn newline_breaks(text: &str, tokens: &[Span], k: usize, stats: &LineStats) -> bool {
    let prev = tokens[k].form;
    let next = tokens[k + 1].form;
    // Continuations never break: a comma, hyphen, conjunction or opener at the end
    // of the line, or a lower-case word starting the next.
    if matches!(
        prev,
        "," | "-" | "–" | "—" | ";" | "&" | "and" | "or" | "but" | "of" | "the" | "a" | "to"
    ) || is_opener(prev) && !is_closer(prev)
        || starts_lower(next)
    {
        return false;
    }
    // Sentence punctuation (possibly inside a closing quote or bracket) ends the line.
    let closes_sentence = is_closer(prev)
        && k > 0
        && (is_terminal_token(tokens[k - 1].form) || is_closer(tokens[k - 1].form));
    if is_terminal_token(prev) || prev == ":" || closes_sentence {
        return true;
    }
    // A short line (headline, byline, list item) followed by a capital, digit,
    // quote or bullet: a new unit. Long lines are hard-wrapped prose.
    let line = line_len_before(text, tokens[k].end);
    let short = line * 10 < stats.max_line * 7;
    short && !starts_lower(next)
}

/// Index of the last token of the sentence-final group starting at `k` (terminal
/// punctuation plus directly attached closers), or `k` itself.
pub(crate) fn absorb_closers(tokens: &[Span], k: usize) -> usize {
    let mut e = k;
    while e + 1 < tokens.len() {
        let next = &tokens[e + 1];
        let attached = tokens[e].end == next.start;
        if attached && (is_closer(next.form) || is_terminal_token(next.form)) {
            e += 1;
        } else {
            break;
        }
    }
    e
}

/// Rule-based boundary decision after the group ending at `e`, whose first token
/// is `k` (the terminal punctuation or abbreviation).
pub(crate) fn rule_boundary(tokens: &[Span], k: usize, e: usize) -> bool {
    let Some(next) = tokens.get(e + 1) else {
        return true;
    };
    let cur = tokens[k].form;
    let nf = next.form;
    // A following token that opens a sentence: capital, digit, opener or symbol.
    let opens = |f: &str| {
        starts_upper(f)
            || f.chars().next().is_some_and(|c| c.is_ascii_digit())
            || is_opener(f)
            || f.starts_with(|c: char| !c.is_alphanumeric())
    };
    if is_terminal_token(cur) {
        if starts_lower(nf) {
            return false;
        }
        return opens(nf);
    }
    // Abbreviation with a period.
    if cur.ends_with('.') {
        if abbrev::is_title(cur) || is_initial(cur) {
            return false;
        }
        return is_sentence_starter(nf) || is_opener(nf) && !matches!(nf, "(" | "[");
    }
    false
}

/// A [`Token`] with only the fields this crate fills.
pub(crate) fn make_token(text: &str, start: usize, end: usize) -> Token {
    Token {
        start,
        end,
        form: text[start..end].to_string(),
        no_space_after: !space_after(text, end),
        ..Default::default()
    }
}

/// Tokens of one sentence; a sentence-final abbreviation gives its period to
/// the sentence, as EWT tokenises it (`... in the U.S.` → `U.S` `.`, `etc.` →
/// `etc` `.`).
fn sentence(text: &str, spans: &[Span]) -> Sentence {
    let mut last = spans.len();
    while last > 0 && is_closer(spans[last - 1].form) {
        last -= 1;
    }
    let split_at = last.checked_sub(1).filter(|&i| {
        let f = spans[i].form;
        f.len() >= 2 && f.ends_with('.') && f.starts_with(char::is_alphanumeric)
    });
    let mut tokens = Vec::with_capacity(spans.len() + 1);
    for (i, sp) in spans.iter().enumerate() {
        if Some(i) == split_at {
            let dot = sp.end - 1;
            tokens.push(make_token(text, sp.start, dot));
            tokens.push(make_token(text, dot, sp.end));
        } else {
            tokens.push(make_token(text, sp.start, sp.end));
        }
    }
    Sentence {
        start: spans[0].start,
        end: spans[spans.len() - 1].end,
        tokens,
    }
}

/// Group tokens into sentences using boundary flags (`true` after token `k`).
pub(crate) fn group(text: &str, spans: &[Span], ends: &[bool]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut first = 0;
    for k in 0..spans.len() {
        if ends.get(k).copied().unwrap_or(false) || k + 1 == spans.len() {
            sentences.push(sentence(text, &spans[first..=k]));
            first = k + 1;
        }
    }
    sentences
}

/// Hard boundaries from line structure: a blank line always, a single line
/// break when [`newline_breaks`] says so. The last token always ends a sentence.
pub(crate) fn line_ends(text: &str, tokens: &[Span]) -> Vec<bool> {
    let stats = LineStats::of(text);
    let n = tokens.len();
    let mut ends = vec![false; n];
    for k in 0..n {
        ends[k] = if k + 1 == n {
            true
        } else {
            match gap(text, tokens[k].end, tokens[k + 1].start) {
                Gap::BlankLine => true,
                Gap::Newline => newline_breaks(text, tokens, k, &stats),
                Gap::None | Gap::Space => false,
            }
        };
    }
    ends
}

/// Rule-only boundary flags for `tokens` of `text`.
pub(crate) fn rule_ends(text: &str, tokens: &[Span]) -> Vec<bool> {
    let mut ends = line_ends(text, tokens);
    let n = tokens.len();
    let mut k = 0;
    while k < n {
        let f = tokens[k].form;
        if is_terminal_token(f) || (f.len() > 1 && f.ends_with('.')) {
            let e = absorb_closers(tokens, k);
            if rule_boundary(tokens, k, e) {
                ends[e] = true;
            }
            k = e + 1;
            continue;
        }
        k += 1;
    }
    ends
}
