//! Unicode, quote and whitespace normalisation, and paragraph structure.

use std::iter::Peekable;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC; typographic quotes to ASCII quotes; exotic spaces to a space; zero-width and control
/// characters removed; line endings to `\n`; runs of spaces collapsed; lines trimmed.
///
/// Quotes are folded because scrapers mix `"`, `“ ”` and even `”…”` for the same role, and the
/// tokenizer, dictionaries and shortcode attributes then need only one form.
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Most text is already NFC (all ASCII text is); the quick check spares it the composer.
    if is_nfc_quick(raw.chars()) == IsNormalized::Yes {
        fold_chars(raw.chars().peekable(), &mut out);
    } else {
        fold_chars(raw.nfc().peekable(), &mut out);
    }
    out.trim_matches(|c: char| c == '\n' || c == ' ')
        .to_string()
}

/// The character mapping of [`normalize_text`], appended to `out`.
fn fold_chars(mut chars: Peekable<impl Iterator<Item = char>>, out: &mut String) {
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        let mapped = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                '\n'
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => '\n',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\t' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => continue,
            c if c.is_control() && c != '\n' => continue,
            c => c,
        };
        match mapped {
            ' ' => pending_space = true,
            '\n' => {
                // Trim trailing spaces of the line; the newline itself is kept.
                pending_space = false;
                out.push('\n');
            }
            c => {
                if pending_space && !out.is_empty() && !out.ends_with('\n') {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
}

/// Split normalised text into paragraphs.
///
/// Blank lines always separate paragraphs. A single newline separates paragraphs too when the
/// line before it ends a sentence or is visibly shorter than the block's long lines (a headline,
/// a one-line paragraph of a scraped page); otherwise it is a hard wrap and becomes a space.
pub fn to_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let mut current = String::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                let prev = lines[i - 1];
                if is_paragraph_break(prev, line, longest) {
                    paragraphs.push(std::mem::take(&mut current));
                } else {
                    current.push(' ');
                }
            }
            current.push_str(line);
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
    }
    paragraphs
}

fn is_paragraph_break(prev: &str, next: &str, longest: usize) -> bool {
    let ends_sentence = prev
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | '"' | '\'' | ')' | ']'));
    if ends_sentence {
        return true;
    }
    let next_starts_upper = next
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c == '"' || c == '(' || c == '[');
    let short = prev.chars().count() * 4 < longest * 3;
    next_starts_upper && short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_quotes_spaces_and_controls() {
        let raw = "Syria\u{2019}s  \u{201C}war\u{201D}\u{A0}goes\u{200B} on\u{7}.\r\nNext\r\n";
        assert_eq!(normalize_text(raw), "Syria's \"war\" goes on.\nNext");
    }

    #[test]
    fn composes_to_nfc() {
        // "e" + combining acute → "é"
        assert_eq!(normalize_text("Cafe\u{301}"), "Caf\u{e9}");
    }

    #[test]
    fn trims_line_ends() {
        assert_eq!(normalize_text("a  \n  b"), "a\nb");
    }

    #[test]
    fn one_line_paragraphs_and_blank_line_paragraphs() {
        let p = to_paragraphs("First sentence here.\nSecond paragraph.\n\nThird.");
        assert_eq!(
            p,
            vec!["First sentence here.", "Second paragraph.", "Third."]
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let text = "The minister said the talks would go on\nfor several days and end with a deal\nthat both sides accept.";
        assert_eq!(to_paragraphs(text).len(), 1);
    }

    #[test]
    fn short_headline_line_is_its_own_paragraph() {
        let text = "Iran hosts summit\nIran will host a summit of the three leaders on Friday, officials said on Monday.";
        assert_eq!(to_paragraphs(text).len(), 2);
    }
}
