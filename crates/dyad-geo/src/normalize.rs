//! Place-name normalisation shared by the index builder and the run-time lookup,
//! so both sides always agree on a key.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normalise a place name to its index key: lowercase, diacritics folded,
/// apostrophes and periods dropped ("U.S." → "us", "Coeur d'Alene" → "coeur dalene"),
/// other punctuation as spaces, common abbreviations expanded ("St." → "saint",
/// "Ft." → "fort", "Mt." → "mount") and a leading "the" dropped.
pub fn normalize(s: &str) -> String {
    if s.is_ascii() {
        return expand_words(normalize_ascii(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let push = |out: &mut String, pending: &mut bool, piece: &str| {
        if *pending && !out.is_empty() {
            out.push(' ');
        }
        *pending = false;
        out.push_str(piece);
    };
    let mut buf = [0u8; 4];
    let mut handle = |c: char, out: &mut String, pending: &mut bool| match c {
        'a'..='z' | '0'..='9' => push(out, pending, c.encode_utf8(&mut buf)),
        'A'..='Z' => push(out, pending, c.to_ascii_lowercase().encode_utf8(&mut buf)),
        '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{2bb}' | '\u{2bc}' | '\u{2bf}' | '\u{2be}'
        | '\u{b4}' | '.' => {}
        'ß' => push(out, pending, "ss"),
        'æ' | 'Æ' => push(out, pending, "ae"),
        'œ' | 'Œ' => push(out, pending, "oe"),
        'ø' | 'Ø' => push(out, pending, "o"),
        'đ' | 'Đ' | 'ð' | 'Ð' => push(out, pending, "d"),
        'þ' | 'Þ' => push(out, pending, "th"),
        'ł' | 'Ł' => push(out, pending, "l"),
        'ı' => push(out, pending, "i"),
        'ħ' | 'Ħ' => push(out, pending, "h"),
        c if c.is_alphanumeric() => {
            for l in c.to_lowercase() {
                push(out, pending, l.encode_utf8(&mut [0u8; 4]));
            }
        }
        _ => *pending = true,
    };
    for c in s.nfkd() {
        if !is_combining_mark(c) {
            handle(c, &mut out, &mut pending_space);
        }
    }
    expand_words(out)
}

/// [`normalize`]'s character rules for ASCII text, byte by byte (the common case).
fn normalize_ascii(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'A'..=b'Z' => {
                if pending_space && !out.is_empty() {
                    out.push(b' ');
                }
                pending_space = false;
                out.push(b.to_ascii_lowercase());
            }
            b'\'' | b'`' | b'.' => {}
            _ => pending_space = true,
        }
    }
    // Only ASCII letters, digits and spaces were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Word-level rewrites; cheap when nothing applies.
fn expand_words(s: String) -> String {
    let needs = s.starts_with("the ")
        || s.split(' ')
            .any(|w| matches!(w, "st" | "ste" | "ft" | "mt"));
    if !needs {
        return s;
    }
    let mut words: Vec<&str> = s.split(' ').collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    let mapped: Vec<&str> = words
        .into_iter()
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            "ft" => "fort",
            "mt" => "mount",
            other => other,
        })
        .collect();
    mapped.join(" ")
}

/// The index key of a short dotted initialism ("L.A." → "la."): its normal key
/// ("la") would also be reached by "LA" and "La", so such names are indexed and
/// looked up under the letters with a final period, which [`normalize`] never
/// produces. `None` for anything else.
pub fn initialism_key(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 4 || !b.len().is_multiple_of(2) {
        return None;
    }
    let mut key = String::with_capacity(b.len() / 2 + 1);
    for pair in b.chunks(2) {
        if !pair[0].is_ascii_uppercase() || pair[1] != b'.' {
            return None;
        }
        key.push(pair[0].to_ascii_lowercase() as char);
    }
    // Longer ones ("N.Y.C." → "nyc") have an ordinary key.
    (key.len() <= 2).then(|| key + ".")
}

/// True when a key is usable for English text: ASCII letters, digits and spaces.
pub fn is_latin_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize("Îdlîb"), "idlib");
        assert_eq!(normalize("İdlib"), "idlib");
        assert_eq!(normalize("São Paulo"), "sao paulo");
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(normalize("Winston-Salem"), "winston salem");
        assert_eq!(normalize("Coeur d'Alene"), "coeur dalene");
        assert_eq!(normalize("Kraków"), "krakow");
        assert_eq!(normalize("Łódź"), "lodz");
        assert_eq!(normalize("  Washington,  D.C. "), "washington dc");
    }

    #[test]
    fn expands_abbreviations_and_drops_article() {
        assert_eq!(normalize("St. Louis"), "saint louis");
        assert_eq!(normalize("Ft. Worth"), "fort worth");
        assert_eq!(normalize("The Hague"), "hague");
        assert_eq!(normalize("The"), "the");
    }

    #[test]
    fn latin_key_check() {
        assert!(is_latin_key("sao paulo"));
        assert!(!is_latin_key("إدلب"));
        assert!(!is_latin_key(""));
    }

    #[test]
    fn dotted_initialisms_have_their_own_key() {
        assert_eq!(initialism_key("L.A.").as_deref(), Some("la."));
        assert_eq!(initialism_key(" D.C. ").as_deref(), Some("dc."));
        assert_eq!(initialism_key("LA"), None);
        assert_eq!(initialism_key("La."), None);
        assert_eq!(initialism_key("N.Y.C."), None);
        assert_eq!(initialism_key("l.a."), None);
    }
}
