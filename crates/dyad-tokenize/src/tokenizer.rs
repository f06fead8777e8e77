//! Rule-based tokeniser following UD English-EWT conventions.
//!
//! The text is cut at whitespace into chunks; each chunk is scanned once, left to
//! right, into words (letters/digits with word-internal `.`, `@`, `&`, `-`, …),
//! URLs, emoticons and punctuation runs. Words are then split into syntactic
//! words (clitics `'s`, `n't`, …, and `cannot`, `gonna`). Every step is linear in
//! the chunk length, and no allocation is made per character.

use crate::abbrev;

/// Characters that separate tokens and never belong to one: whitespace, control
/// characters and zero-width formatting characters.
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

#[inline]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`' | 'ʼ')
}

/// Sentence-final punctuation; runs of these form one token (`...`, `?!`, `!!!`).
#[inline]
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。' | '！' | '？'
    )
}

/// Brackets and quotes are always single-character tokens.
#[inline]
fn is_single_punct(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '„'
            | '‘'
            | '’'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '%'
            | ','
            | ';'
    )
}

/// Schemes and prefixes that start a URL, matched case-insensitively.
const URL_STARTS: &[&str] = &["http://", "https://", "ftp://", "www.", "mailto:"];

/// A token as the scanner finds it: a byte span of the text and its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span<'t> {
    pub start: usize,
    pub end: usize,
    pub form: &'t str,
}

/// Does whitespace (or the end of the text) follow byte offset `end`?
#[inline]
pub(crate) fn space_after(text: &str, end: usize) -> bool {
    text[end..].chars().next().is_none_or(is_space)
}

/// Reusable scanner state so that tokenising many texts allocates little.
pub(crate) struct Scanner<'t> {
    text: &'t str,
    chars: Vec<(usize, char)>,
}

impl<'t> Scanner<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Scanner {
            text,
            chars: Vec::with_capacity(64),
        }
    }

    /// Tokenise `text[range]` and append the tokens to `out`.
    pub(crate) fn run(&mut self, from: usize, to: usize, out: &mut Vec<Span<'t>>) {
        let text = self.text;
        let mut pos = from;
        while pos < to {
            // Skip separators.
            let rest = &text[pos..to];
            let mut chunk_start = to;
            for (i, c) in rest.char_indices() {
                if !is_space(c) {
                    chunk_start = pos + i;
                    break;
                }
            }
            if chunk_start >= to {
                break;
            }
            let mut chunk_end = to;
            for (i, c) in text[chunk_start..to].char_indices() {
                if is_space(c) {
                    chunk_end = chunk_start + i;
                    break;
                }
            }
            self.chars.clear();
            self.chars.extend(
                text[chunk_start..chunk_end]
                    .char_indices()
                    .map(|(i, c)| (chunk_start + i, c)),
            );
            self.chunk(chunk_end, out);
            pos = chunk_end;
        }
    }

    /// Byte offset of char index `i` in the current chunk (or the chunk end).
    #[inline]
    fn off(&self, i: usize, chunk_end: usize) -> usize {
        self.chars.get(i).map_or(chunk_end, |&(o, _)| o)
    }

    /// Byte offset just after the char before index `k` (`k >= 1`).
    #[inline]
    fn end_of(&self, k: usize) -> usize {
        let (o, c) = self.chars[k - 1];
        o + c.len_utf8()
    }

    #[inline]
    fn ch(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn chunk(&mut self, chunk_end: usize, out: &mut Vec<Span<'t>>) {
        let n = self.chars.len();
        let mut i = 0;
        while i < n {
            let c = self.chars[i].1;
            let start = self.chars[i].0;
            let prev_word = i > 0 && is_word_char(self.chars[i - 1].1);

            // URLs run to the end of the chunk, less trailing punctuation.
            if !prev_word && self.url_starts_at(i) {
                let j = self.url_end(i, n);
                self.push(out, start, self.off(j, chunk_end), false);
                i = j;
                continue;
            }
            // Emoticons.
            if let Some(len) = self.emoticon_at(i, n) {
                let j = i + len;
                self.push(out, start, self.off(j, chunk_end), false);
                i = j;
                continue;
            }
            let signed =
                c == '+' && !prev_word && self.ch(i + 1).is_some_and(|d| d.is_ascii_digit());
            if is_word_char(c)
                || signed
                || (is_apostrophe(c) && !prev_word && self.decade_at(i + 1))
            {
                let j = self.word_end(i, n);
                let mut end_off = self.off(j, chunk_end);
                let mut j = j;
                // Attach a trailing period to abbreviations and initials.
                // `Inc..` (abbreviation + sentence period) keeps one; `etc...` keeps none.
                let single_or_double = self.ch(j + 1) != Some('.') || self.ch(j + 2) != Some('.');
                if self.ch(j) == Some('.')
                    && single_or_double
                    && self.period_belongs(start, end_off, j, chunk_end)
                {
                    j += 1;
                    end_off = self.off(j, chunk_end);
                    self.push(out, start, end_off, false);
                } else {
                    self.push(out, start, end_off, true);
                }
                i = j;
                continue;
            }
            // File extensions after punctuation: `(draft).doc`.
            if c == '.' && i > 0 {
                if let Some(len) = self.extension_at(i + 1, n) {
                    let j = i + 1 + len;
                    self.push(out, start, self.off(j, chunk_end), false);
                    i = j;
                    continue;
                }
            }
            // Punctuation and symbols.
            let mut j = i + 1;
            if is_terminal(c) {
                while j < n && is_terminal(self.chars[j].1) {
                    j += 1;
                }
            } else if !is_single_punct(c) || is_apostrophe(c) {
                while j < n && self.chars[j].1 == c {
                    j += 1;
                }
            }
            self.push(out, start, self.off(j, chunk_end), false);
            i = j;
        }
    }

    /// Length in chars of a known file extension at `i` that ends the word.
    fn extension_at(&self, i: usize, n: usize) -> Option<usize> {
        let mut k = i;
        while k < n && self.chars[k].1.is_ascii_alphanumeric() {
            k += 1;
        }
        if k == i || (k < n && is_word_char(self.chars[k].1)) {
            return None;
        }
        let a = self.chars[i].0;
        let b = self.end_of(k);
        let mut buf = [0u8; 8];
        lower_ascii(&self.text[a..b], &mut buf)
            .is_some_and(abbrev::is_file_extension)
            .then_some(k - i)
    }

    /// `'90s`, `'08`: an apostrophe before two digits starts a word.
    fn decade_at(&self, i: usize) -> bool {
        matches!((self.ch(i), self.ch(i + 1)), (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit())
            && !self.ch(i + 2).is_some_and(|c| c.is_ascii_digit())
    }

    fn url_starts_at(&self, i: usize) -> bool {
        let start = self.chars[i].0;
        let rest = &self.text.as_bytes()[start..];
        URL_STARTS.iter().any(|p| {
            rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p.as_bytes()) && {
                // Something URL-like must follow the prefix.
                let next = rest[p.len()];
                next.is_ascii_alphanumeric() || next == b'/'
            }
        })
    }

    /// End (char index) of a URL starting at `i`: the chunk end, less trailing
    /// punctuation that is more likely sentence punctuation; `)` stays when the URL
    /// opened a parenthesis.
    fn url_end(&self, i: usize, n: usize) -> usize {
        let mut open = 0i32;
        let mut close = 0i32;
        for &(_, c) in &self.chars[i..n] {
            if c == '(' {
                open += 1;
            } else if c == ')' {
                close += 1;
            }
        }
        let mut j = n;
        while j > i + 1 {
            let c = self.chars[j - 1].1;
            let strip = match c {
                ')' if close > open => {
                    close -= 1;
                    true
                }
                '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '”' | '’' | '»' | ']' | '}'
                | '>' => true,
                _ => false,
            };
            if !strip {
                break;
            }
            j -= 1;
        }
        j
    }

    /// Length in chars of an emoticon starting at `i`, if one does and it stands
    /// apart from letters on its right.
    fn emoticon_at(&self, i: usize, n: usize) -> Option<usize> {
        let c = self.chars[i].1;
        if !matches!(c, ':' | ';' | '=' | '^' | '<' | 'X') {
            return None;
        }
        if c == 'X' && i > 0 && is_word_char(self.chars[i - 1].1) {
            return None;
        }
        let start = self.chars[i].0;
        let rest = &self.text[start..];
        for emo in abbrev::EMOTICONS {
            if rest.starts_with(emo) {
                let len = emo.chars().count();
                let after = i + len;
                if after < n && is_word_char(self.chars[after].1) {
                    continue;
                }
                // `:/` inside `http://` is not a smiley; URLs are caught earlier,
                // but `a:/b` should not be either.
                if *emo == ":/" && after < n {
                    continue;
                }
                // Letter emoticons (`XD`, `:D`, `:P`, `:O`) need a boundary on the left too.
                if emo.ends_with(|ch: char| ch.is_ascii_alphabetic())
                    && i > 0
                    && is_word_char(self.chars[i - 1].1)
                {
                    continue;
                }
                return Some(len);
            }
        }
        None
    }

    /// End (char index) of the word starting at `i`.
    fn word_end(&self, i: usize, n: usize) -> usize {
        let mut j = i + 1;
        // Start (char index) of the current hyphen-separated segment.
        let mut seg = i;
        while j < n {
            let d = self.chars[j].1;
            if is_word_char(d) {
                // `5m`, `10am`, `3.5bn`: a number and its unit are two tokens.
                if d.is_alphabetic()
                    && self.chars[j - 1].1.is_ascii_digit()
                    && self.unit_at(j, n)
                    && self.chars[i..j]
                        .iter()
                        .all(|&(_, c)| c.is_ascii_digit() || c == '.' || c == ',' || c == '+')
                {
                    break;
                }
                j += 1;
                continue;
            }
            // Truncated e-mail addresses: `franz371...@gmail.com`.
            if d == '.' {
                let mut k = j;
                while self.ch(k) == Some('.') {
                    k += 1;
                }
                if k > j + 1 && self.ch(k) == Some('@') && self.ch(k + 1).is_some_and(is_word_char)
                {
                    j = k + 1;
                    continue;
                }
            }
            // `w/` (with): one token.
            if d == '/'
                && j == i + 1
                && matches!(self.chars[i].1, 'w' | 'W')
                && !self.ch(j + 1).is_some_and(is_word_char)
            {
                j += 1;
                break;
            }
            let (Some(l), Some(r)) = (self.ch(j - 1), self.ch(j + 1)) else {
                break;
            };
            if !is_word_char(l) || !is_word_char(r) {
                break;
            }
            let digits = l.is_ascii_digit() && r.is_ascii_digit();
            let keep = match d {
                '.' | '@' | '_' | '&' => true,
                // `1,000`, and also `3,40` (decimal comma) as EWT keeps it.
                ',' => digits,
                ':' => digits,
                // `9/11`, `11/28/2000`; `b/c`, `w/o`, `l/c` (single letters).
                '/' => {
                    digits
                        || (j == i + 1
                            && l.is_alphabetic()
                            && r.is_alphabetic()
                            && !self.ch(j + 2).is_some_and(is_word_char))
                }
                '-' | '‐' => {
                    if digits {
                        self.number_hyphen_kept(j)
                    } else {
                        let a = self.chars[seg].0;
                        let b = self.chars[j].0;
                        let part = &self.text[a..b];
                        part.len() <= 8 && {
                            let mut buf = [0u8; 8];
                            let lower = lower_ascii(part, &mut buf);
                            lower.is_some_and(abbrev::is_hyphen_prefix)
                                // Arabic name particles before a capital stay with the name
                                // ("al-Assad", "bin-Salman"), so names match as one token.
                                || (r.is_uppercase()
                                    && lower.is_some_and(abbrev::is_name_particle))
                        }
                    }
                }
                c if is_apostrophe(c) => l.is_alphabetic() && r.is_alphabetic(),
                _ => false,
            };
            if !keep {
                break;
            }
            if d == '-' || d == '‐' {
                seg = j + 1;
            }
            j += 1;
        }
        j
    }

    /// Is the letter run at char index `j` a unit written after a number?
    fn unit_at(&self, j: usize, n: usize) -> bool {
        let mut k = j;
        while k < n && self.chars[k].1.is_ascii_alphabetic() {
            k += 1;
        }
        if k < n && is_word_char(self.chars[k].1) {
            return false;
        }
        let a = self.chars[j].0;
        let b = self.end_of(k);
        let mut buf = [0u8; 8];
        lower_ascii(&self.text[a..b], &mut buf).is_some_and(abbrev::is_unit)
    }

    /// A hyphen between digits at char index `j` stays inside phone numbers and
    /// dates (`713-853-3989`, `646-8420`, `11-20-2000`) but splits ranges (`13-17`).
    fn number_hyphen_kept(&self, j: usize) -> bool {
        let digit = |x: usize| self.ch(x).is_some_and(|c| c.is_ascii_digit());
        let mut l = 0;
        while l < j && digit(j - 1 - l) {
            l += 1;
        }
        let mut r = 0;
        while digit(j + 1 + r) {
            r += 1;
        }
        let before_is_hyphen = l < j && self.ch(j - 1 - l) == Some('-');
        let after = j + 1 + r;
        let after_is_group = self.ch(after) == Some('-') && digit(after + 1);
        (l != 4 && r == 4) || before_is_hyphen || after_is_group
    }

    /// Does the period at char index `j` belong to the word `text[ws..we]`?
    fn period_belongs(&self, ws: usize, we: usize, j: usize, chunk_end: usize) -> bool {
        let word = &self.text[ws..we];
        if abbrev::is_abbreviation_before_number(word) {
            // Only before a number: `No. 1`, but `said No.` ends the sentence.
            let after = &self.text[self.off(j + 1, chunk_end)..];
            let next = after.trim_start_matches(is_space).chars().next();
            return next.is_some_and(|c| c.is_ascii_digit());
        }
        if abbrev::is_abbreviation(word) {
            return true;
        }
        let mut chars = word.chars();
        let first = chars.next();
        // Initials: `J.`, `W.`.
        if chars.next().is_none() {
            return first.is_some_and(|c| c.is_uppercase());
        }
        // Dotted abbreviations: `U.S`, `a.m`, `e.g`, `Ph.D` (short parts only).
        if word.contains('.') {
            return word.split('.').all(|p| {
                !p.is_empty() && p.chars().count() <= 2 && p.chars().all(char::is_alphabetic)
            });
        }
        false
    }

    /// Push a word or punctuation token, splitting clitics from words.
    fn push(&self, out: &mut Vec<Span<'t>>, start: usize, end: usize, split_clitics: bool) {
        if split_clitics {
            if let Some(at) = clitic_split(&self.text[start..end]) {
                push_token(out, self.text, start, start + at);
                push_token(out, self.text, start + at, end);
                return;
            }
        }
        push_token(out, self.text, start, end);
    }
}

fn push_token<'t>(out: &mut Vec<Span<'t>>, text: &'t str, start: usize, end: usize) {
    if start < end {
        out.push(Span {
            start,
            end,
            form: &text[start..end],
        });
    }
}

/// ASCII-lowercase `s` into `buf`; `None` when it is too long or not ASCII.
fn lower_ascii<'b>(s: &str, buf: &'b mut [u8; 8]) -> Option<&'b str> {
    if s.len() > buf.len() || !s.is_ascii() {
        return None;
    }
    for (b, c) in buf.iter_mut().zip(s.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..s.len()]).ok()
}

/// Byte offset where a word splits into two syntactic words (`do|n't`, `John|'s`,
/// `can|not`, `gon|na`), if it does.
pub(crate) fn clitic_split(word: &str) -> Option<usize> {
    // The last apostrophe decides: `do|n't`, `John|'s`, `rock'n'roll` (none).
    let mut last: Option<(usize, usize)> = None;
    for (i, c) in word.char_indices() {
        if is_apostrophe(c) {
            last = Some((i, c.len_utf8()));
        }
    }
    if let Some((p, alen)) = last {
        let b = word.as_bytes();
        let suffix = &word[p + alen..];
        // n't, with a non-empty stem before the n.
        if p >= 2 && matches!(b[p - 1], b'n' | b'N') && suffix.eq_ignore_ascii_case("t") {
            return Some(p - 1);
        }
        let clitic = ["s", "re", "ve", "ll", "d", "m"]
            .iter()
            .any(|s| suffix.eq_ignore_ascii_case(s));
        if p > 0 && clitic && word[..p].chars().any(char::is_alphanumeric) {
            return Some(p);
        }
        return None;
    }
    // `Lets go` (let's) but not `the law lets them`: only capitalised.
    if word == "Lets" {
        return Some(3);
    }
    abbrev::bare_contraction_split(word)
}

/// Tokenise `text[from..to]`, appending to `out`.
pub(crate) fn tokenize_range<'t>(text: &'t str, from: usize, to: usize, out: &mut Vec<Span<'t>>) {
    let mut s = Scanner::new(text);
    s.run(from, to, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize_range(text, 0, text.len(), &mut out);
        for t in &out {
            assert_eq!(&text[t.start..t.end], t.form);
        }
        out.into_iter().map(|t| t.form.to_string()).collect()
    }

    #[test]
    fn clitics_split_like_ewt() {
        assert_eq!(forms("Syria's army"), ["Syria", "'s", "army"]);
        assert_eq!(forms("Syria’s army"), ["Syria", "’s", "army"]);
        assert_eq!(forms("don't"), ["do", "n't"]);
        assert_eq!(forms("can’t"), ["ca", "n’t"]);
        assert_eq!(forms("won't"), ["wo", "n't"]);
        assert_eq!(
            forms("I'm they're we've you'll she'd"),
            ["I", "'m", "they", "'re", "we", "'ve", "you", "'ll", "she", "'d"]
        );
        assert_eq!(
            forms("cannot gonna dont"),
            ["can", "not", "gon", "na", "do", "nt"]
        );
        assert_eq!(forms("parents' rights"), ["parents", "'", "rights"]);
        assert_eq!(forms("Sha'lan"), ["Sha'lan"]);
    }

    #[test]
    fn numbers_stay_whole() {
        assert_eq!(
            forms("3.5 1,000 10:30 9/11 713-853-3989"),
            ["3.5", "1,000", "10:30", "9/11", "713-853-3989"]
        );
        assert_eq!(forms("$1,200.50."), ["$", "1,200.50", "."]);
        assert_eq!(
            forms("3,40 Euros, ages 13-17, call 646-8420"),
            ["3,40", "Euros", ",", "ages", "13", "-", "17", ",", "call", "646-8420"]
        );
        assert_eq!(forms("CCNG, Inc.."), ["CCNG", ",", "Inc.", "."]);
    }

    #[test]
    fn hyphens_follow_ewt() {
        assert_eq!(forms("search-engine"), ["search", "-", "engine"]);
        assert_eq!(forms("e-mail co-workers"), ["e-mail", "co-workers"]);
        assert_eq!(forms("full-fledged"), ["full", "-", "fledged"]);
    }

    #[test]
    fn abbreviations_keep_period() {
        assert_eq!(forms("Mr. Smith"), ["Mr.", "Smith"]);
        assert_eq!(forms("the U.S. and"), ["the", "U.S.", "and"]);
        assert_eq!(forms("at 5 p.m."), ["at", "5", "p.m."]);
        assert_eq!(forms("George W. Bush"), ["George", "W.", "Bush"]);
        assert_eq!(forms("No. 1"), ["No.", "1"]);
        assert_eq!(forms("said no."), ["said", "no", "."]);
        assert_eq!(forms("end."), ["end", "."]);
        assert_eq!(forms("wait..."), ["wait", "..."]);
        assert_eq!(forms("what?!"), ["what", "?!"]);
    }

    #[test]
    fn urls_emails_emoticons() {
        assert_eq!(
            forms("see http://example.com/a?b=1."),
            ["see", "http://example.com/a?b=1", "."]
        );
        assert_eq!(forms("(www.example.org)"), ["(", "www.example.org", ")"]);
        assert_eq!(
            forms("mail john.doe@example.com,"),
            ["mail", "john.doe@example.com", ","]
        );
        assert_eq!(
            forms("great :) thanks ;-)"),
            ["great", ":)", "thanks", ";-)"]
        );
    }

    #[test]
    fn quotes_and_brackets_split() {
        assert_eq!(
            forms("\"Hello,\" he said."),
            ["\"", "Hello", ",", "\"", "he", "said", "."]
        );
        assert_eq!(forms("“Yes.”"), ["“", "Yes", ".", "”"]);
        assert_eq!(forms("(Reuters)"), ["(", "Reuters", ")"]);
        assert_eq!(forms("-- and/or"), ["--", "and", "/", "or"]);
    }
}
