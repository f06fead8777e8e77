//! Per-word hashed properties computed once per token and shared by all
//! feature templates (no strings are built per feature).

use crate::hash::{finish, hash_str, mix};

/// Hashes of the strings and classes a word contributes to features.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WordHashes {
    pub form: u64,
    pub lower: u64,
    pub pre: [u64; 3],
    pub suf: [u64; 4],
    pub shape: u64,
    pub flags: u64,
}

pub const FLAG_DIGIT: u64 = 1;
pub const FLAG_HYPHEN: u64 = 2;
pub const FLAG_UPPER: u64 = 4;
pub const FLAG_ALL_UPPER: u64 = 8;
pub const FLAG_INIT_CAP: u64 = 16;
pub const FLAG_ALPHA: u64 = 32;
pub const FLAG_FIRST: u64 = 64;
pub const FLAG_LONG: u64 = 128;

/// Hash a word. `lower` is a scratch buffer reused across calls.
pub fn word_hashes(form: &str, first: bool, lower: &mut String) -> WordHashes {
    let mut h = word_hashes_core(form, first, lower);
    add_affixes(&mut h, lower);
    h
}

/// [`word_hashes`] without the prefixes and the 1-, 2- and 4-letter suffixes
/// (left 0): what features of *neighbouring* words need, so the tagger hashes
/// the rest only for words it has to score afresh. `lower` is left holding the
/// lowercased form.
pub fn word_hashes_core(form: &str, first: bool, lower: &mut String) -> WordHashes {
    lower.clear();
    let mut flags = if first { FLAG_FIRST } else { 0 };
    let mut shape: u64 = 0x9e37_79b9;
    let mut last_shape = 0u8;
    let mut run = 0;
    let mut n_chars = 0usize;
    let mut n_upper = 0usize;
    let mut n_alpha = 0usize;
    for (i, c) in form.chars().enumerate() {
        n_chars += 1;
        let s = if c.is_uppercase() {
            n_upper += 1;
            n_alpha += 1;
            if i == 0 {
                flags |= FLAG_INIT_CAP;
            }
            b'X'
        } else if c.is_alphabetic() {
            n_alpha += 1;
            b'x'
        } else if c.is_ascii_digit() {
            flags |= FLAG_DIGIT;
            b'd'
        } else if c == '-' {
            flags |= FLAG_HYPHEN;
            b'-'
        } else if c.is_control() {
            b'c'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'o'
        };
        // Short shape: runs longer than two collapse ("Xxxxx" -> "Xxx").
        if s == last_shape {
            run += 1;
        } else {
            run = 1;
            last_shape = s;
        }
        if run <= 2 {
            shape = mix(shape, s as u64);
        }
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else {
            lower.extend(c.to_lowercase());
        }
    }
    if n_upper > 0 {
        flags |= FLAG_UPPER;
        if n_upper == n_alpha && n_alpha > 1 {
            flags |= FLAG_ALL_UPPER;
        }
    }
    if n_alpha > 0 {
        flags |= FLAG_ALPHA;
    }
    if n_chars > 12 {
        flags |= FLAG_LONG;
    }
    let mut h = WordHashes {
        form: hash_str(form),
        lower: hash_str(lower),
        shape: finish(shape),
        flags,
        ..Default::default()
    };
    h.suf[2] = suffix_hash(lower, 2);
    h
}

/// Hash of the last `k + 1` characters (the whole word when shorter), tagged
/// with `k` so that equal strings of different suffix lengths differ.
fn suffix_hash(l: &str, k: usize) -> u64 {
    let start = l.char_indices().rev().nth(k).map_or(0, |(i, _)| i);
    hash_str(&l[start..]) ^ (k as u64 + 1)
}

/// Fill the prefix and suffix hashes of `h` from the lowercased form.
pub fn add_affixes(h: &mut WordHashes, lower: &str) {
    // Prefixes and suffixes of the lowercased form, by characters.
    let l = lower;
    let mut ends = [0usize; 3];
    for (k, (i, c)) in l.char_indices().take(3).enumerate() {
        ends[k] = i + c.len_utf8();
    }
    for (pre, &end) in h.pre.iter_mut().zip(&ends) {
        let e = if end == 0 { l.len() } else { end };
        *pre = hash_str(&l[..e]);
    }
    for (k, suf) in h.suf.iter_mut().enumerate() {
        *suf = suffix_hash(l, k);
    }
}

/// Lowercase into a buffer (shared by the lemmatizer and feature code).
pub fn lowercase_into(form: &str, out: &mut String) {
    out.clear();
    for c in form.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_flags_and_affixes() {
        let mut buf = String::new();
        let a = word_hashes("Damascus", false, &mut buf);
        let b = word_hashes("Teheran", false, &mut buf);
        assert_eq!(a.shape, b.shape, "both are Xxx");
        assert!(a.flags & FLAG_INIT_CAP != 0 && a.flags & FLAG_ALL_UPPER == 0);
        let c = word_hashes("damascus", false, &mut buf);
        assert_eq!(a.lower, c.lower);
        assert_ne!(a.form, c.form);
        assert_eq!(a.suf, c.suf);
        let d = word_hashes("1,200-odd", true, &mut buf);
        assert!(
            d.flags & FLAG_DIGIT != 0 && d.flags & FLAG_HYPHEN != 0 && d.flags & FLAG_FIRST != 0
        );
        let e = word_hashes("UN", false, &mut buf);
        assert!(e.flags & FLAG_ALL_UPPER != 0);
        // "forces" and "voices": same last three letters, not four.
        let f = word_hashes("forces", false, &mut buf);
        let g = word_hashes("voices", false, &mut buf);
        assert_eq!(f.suf[2], g.suf[2]);
        assert_ne!(f.suf[3], g.suf[3]);
    }

    #[test]
    fn core_hashes_plus_affixes_equal_full_hashes() {
        let mut buf = String::new();
        for w in [
            "Damascus",
            "a",
            "ab",
            "abc",
            "İstanbul",
            "forces",
            "",
            "日本語",
        ] {
            let full = word_hashes(w, true, &mut buf);
            let mut core = word_hashes_core(w, true, &mut buf);
            assert_eq!(core.suf[2], full.suf[2], "{w}");
            assert_eq!(
                (core.form, core.lower, core.shape, core.flags),
                (full.form, full.lower, full.shape, full.flags)
            );
            add_affixes(&mut core, &buf);
            assert_eq!(core, full, "{w}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut buf = String::new();
        for w in [
            "",
            "\u{0}",
            "ß",
            "İstanbul",
            "日本語テキスト",
            "a\u{301}",
            "\u{202e}x",
        ] {
            let _ = word_hashes(w, false, &mut buf);
        }
    }
}
