//! Learned sentence-boundary classifier: an averaged perceptron over hashed
//! features of the tokens around each candidate gap.
//!
//! Candidate gaps are those between tokens that are not hard line breaks and not
//! obviously inside a sentence (a word followed by a lower-case word). Features
//! look at two tokens either side (lower-cased form, shape, class), the kind of
//! whitespace, the distance from the last boundary and to the paragraph end.
//!
//! Model file (little-endian): `DYADSEG1`, `u32` count, `f32` scale, `f32`
//! threshold, then `count` × (`u32` feature hash, `i16` weight / scale), sorted
//! by hash.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::abbrev;
use crate::segmenter::{self, Gap};
use crate::tokenizer::Span;

const MAGIC: &[u8; 8] = b"DYADSEG1";

/// Feature hashes are already uniform: hash them by identity.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type FeatMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// FNV-1a over a template id and 32-bit parts.
#[inline]
fn fh(template: u8, parts: &[u32]) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    h ^= u32::from(template);
    h = h.wrapping_mul(0x0100_0193);
    for &p in parts {
        for b in p.to_le_bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// FNV-1a of the lower-cased form (first 24 chars), without allocating.
fn lower_hash(form: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for c in form.chars().take(24).flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// Hash of the word shape: `Xxxx` → `Xx`, `U.S.` → `X.X.`, `10:30` → `d:d`.
fn shape_hash(form: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    let mut last = '\0';
    let mut n = 0;
    for c in form.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphanumeric() {
            'o'
        } else {
            c
        };
        if s == last {
            continue;
        }
        last = s;
        n += 1;
        if n > 8 {
            break;
        }
        let mut buf = [0u8; 4];
        for &b in s.encode_utf8(&mut buf).as_bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// Coarse token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Class {
    Lower = 0,
    Capital,
    Upper,
    Number,
    Period,
    Question,
    Exclaim,
    Ellipsis,
    Closer,
    Opener,
    Comma,
    Colon,
    Abbrev,
    Dash,
    Symbol,
    Url,
}

fn class_of(form: &str) -> Class {
    let mut chars = form.chars();
    let Some(first) = chars.next() else {
        return Class::Symbol;
    };
    if first.is_alphanumeric() {
        if form.contains('@') || form.contains("://") || form.starts_with("www.") {
            return Class::Url;
        }
        if form.len() > 1 && form.ends_with('.') {
            return Class::Abbrev;
        }
        if first.is_ascii_digit() {
            return Class::Number;
        }
        if first.is_uppercase() {
            if form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                && form.chars().count() > 1
            {
                return Class::Upper;
            }
            return Class::Capital;
        }
        return Class::Lower;
    }
    if segmenter::is_terminal_token(form) {
        if form.contains('?') {
            return Class::Question;
        }
        if form.contains('!') {
            return Class::Exclaim;
        }
        if form == "." {
            return Class::Period;
        }
        return Class::Ellipsis;
    }
    if segmenter::is_closer(form) {
        return Class::Closer;
    }
    if segmenter::is_opener(form) {
        return Class::Opener;
    }
    match form {
        "," | ";" => Class::Comma,
        ":" => Class::Colon,
        "-" | "--" | "–" | "—" => Class::Dash,
        _ => Class::Symbol,
    }
}

/// Per-token facts, computed once per text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokInfo {
    lc: u32,
    shape: u32,
    class: Class,
    /// Length bucket, known-abbreviation and sentence-starter flags.
    len: u32,
    abbr: bool,
    starter: bool,
}

pub(crate) fn infos(tokens: &[Span]) -> Vec<TokInfo> {
    tokens
        .iter()
        .map(|t| TokInfo {
            lc: lower_hash(t.form),
            shape: shape_hash(t.form),
            class: class_of(t.form),
            len: bucket(t.form.chars().count()),
            abbr: t.form.ends_with('.') && abbrev::is_abbreviation(&t.form[..t.form.len() - 1]),
            starter: segmenter::is_sentence_starter(t.form),
        })
        .collect()
}

/// Is the gap after token `k` worth asking the classifier about?
pub(crate) fn is_candidate(tokens: &[Span], info: &[TokInfo], inside: &[bool], k: usize) -> bool {
    let Some(next) = info.get(k + 1) else {
        return false;
    };
    let cur = info[k].class;
    let terminal = matches!(
        cur,
        Class::Period | Class::Question | Class::Exclaim | Class::Ellipsis
    );
    // Inside short brackets only sentence punctuation ends a sentence; a
    // lower-case word continues the sentence unless sentence punctuation comes
    // right before it (web text: `... nothing. i need ...`).
    if (inside[k] || next.class == Class::Lower) && !terminal {
        return false;
    }
    // A wire dateline's dash does not end a sentence (`WASHINGTON (Reuters) -
    // The ...`), though web mail in the treebank has `Hi Bob -` on its own.
    if cur == Class::Dash && k > 0 && tokens[k - 1].form == ")" {
        return false;
    }
    // Tokens glued together (clitics, hyphenated parts) only split after
    // sentence punctuation.
    if tokens[k].end == tokens[k + 1].start {
        return terminal || matches!(cur, Class::Closer | Class::Abbrev);
    }
    true
}

fn bucket(n: usize) -> u32 {
    match n {
        0..=3 => n as u32,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        _ => 8,
    }
}

/// Features of the gap after token `k`; `to_break`: tokens until the next hard
/// break. (Features of the distance from the previous boundary were tried and
/// hurt: they are gold in training but predicted at run time.)
pub(crate) fn features(
    info: &[TokInfo],
    k: usize,
    gap: Gap,
    (to_break, from_break): (usize, usize),
    out: &mut Vec<u32>,
) {
    const NONE: TokInfo = TokInfo {
        lc: 1,
        shape: 1,
        class: Class::Symbol,
        len: 0,
        abbr: false,
        starter: false,
    };
    let cur = info[k];
    let nxt = info.get(k + 1).copied().unwrap_or(NONE);
    let prv = if k > 0 { info[k - 1] } else { NONE };
    let nx2 = info.get(k + 2).copied().unwrap_or(NONE);
    let (cc, nc, pc, n2c) = (
        cur.class as u32,
        nxt.class as u32,
        if k > 0 { prv.class as u32 } else { 99 },
        if k + 2 < info.len() {
            nx2.class as u32
        } else {
            99
        },
    );
    let g = gap as u32;
    out.clear();
    out.push(fh(0, &[]));
    out.push(fh(1, &[cur.lc]));
    out.push(fh(2, &[nxt.lc]));
    out.push(fh(3, &[prv.lc]));
    out.push(fh(4, &[cur.shape]));
    out.push(fh(5, &[nxt.shape]));
    out.push(fh(6, &[cur.shape, nxt.shape]));
    out.push(fh(7, &[cur.lc, nxt.shape]));
    out.push(fh(8, &[cur.shape, nxt.lc]));
    out.push(fh(9, &[prv.shape, cur.shape, nxt.shape]));
    out.push(fh(10, &[nxt.shape, nx2.shape]));
    out.push(fh(11, &[g, cc]));
    out.push(fh(12, &[cc, nc]));
    out.push(fh(13, &[pc, cc, nc, n2c]));
    out.push(fh(15, &[bucket(to_break), cc]));
    out.push(fh(29, &[bucket(from_break), cc]));
    out.push(fh(30, &[bucket(from_break), bucket(to_break)]));
    out.push(fh(16, &[cur.lc, nxt.lc]));
    out.push(fh(17, &[prv.lc, cur.lc]));
    out.push(fh(18, &[g, nc]));
    out.push(fh(19, &[cc, nxt.lc]));
    out.push(fh(20, &[pc, cc, nc]));
    out.push(fh(22, &[cc, nc, n2c]));
    out.push(fh(23, &[nx2.lc, nc]));
    out.push(fh(24, &[u32::from(nxt.starter), cc]));
    out.push(fh(25, &[u32::from(cur.abbr), nc]));
    out.push(fh(26, &[cur.len, cc, nc]));
    out.push(fh(27, &[nxt.len, nc]));
    out.push(fh(28, &[u32::from(prv.abbr), pc, cc, nc]));
}

/// A trained boundary model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub(crate) weights: FeatMap<f32>,
    pub(crate) threshold: f32,
}

/// Errors reading a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a dyad segmenter model (bad magic)")]
    BadMagic,
    #[error("segmenter model truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: usize, found: usize },
}

impl Model {
    pub(crate) fn score(&self, feats: &[u32]) -> f32 {
        feats.iter().filter_map(|f| self.weights.get(f)).sum()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let u32_at =
            |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
        let n = u32_at(8) as usize;
        let scale = f32::from_bits(u32_at(12));
        let threshold = f32::from_bits(u32_at(16));
        let expected = 20 + n * 6;
        if bytes.len() < expected {
            return Err(ModelError::Truncated {
                expected,
                found: bytes.len(),
            });
        }
        let mut weights = FeatMap::with_capacity_and_hasher(n, Default::default());
        for i in 0..n {
            let o = 20 + i * 6;
            let key = u32_at(o);
            let q = i16::from_le_bytes([bytes[o + 4], bytes[o + 5]]);
            weights.insert(key, f32::from(q) * scale);
        }
        Ok(Model { weights, threshold })
    }

    /// Serialise with 16-bit weights; weights that quantise to zero are dropped.
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.weights.values().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut entries: Vec<(u32, i16)> = self
            .weights
            .iter()
            .map(|(&k, &w)| (k, (w / scale).round().clamp(-32767.0, 32767.0) as i16))
            .filter(|&(_, q)| q != 0)
            .collect();
        entries.sort_unstable();
        let mut out = Vec::with_capacity(20 + entries.len() * 6);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_bits().to_le_bytes());
        out.extend_from_slice(&self.threshold.to_bits().to_le_bytes());
        for (k, q) in entries {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&q.to_le_bytes());
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// Gaps inside a short bracketed stretch (`(Reporting by A; Editing by B)`),
/// where only sentence punctuation may end a sentence. `inside[k]` covers the
/// gap after token `k`.
pub(crate) fn bracketed(tokens: &[Span], hard: &[bool]) -> Vec<bool> {
    const MAX_SPAN: usize = 60;
    let mut inside = vec![false; tokens.len()];
    let mut open: Vec<(usize, &str)> = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        match t.form {
            "(" | "[" => open.push((k, t.form)),
            ")" | "]" => {
                let want = if t.form == ")" { "(" } else { "[" };
                if let Some(&(o, f)) = open.last() {
                    if f == want {
                        open.pop();
                        if k - o <= MAX_SPAN {
                            for flag in &mut inside[o..k] {
                                *flag = true;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        if hard[k] {
            open.clear();
        }
    }
    inside
}

/// Tokens from each token to the next hard break (inclusive distance).
/// Tokens from the previous hard break to each token (1 for a paragraph's first token).
pub(crate) fn distances_from_break(hard: &[bool]) -> Vec<usize> {
    let mut out = vec![0; hard.len()];
    let mut d = 0;
    for k in 0..hard.len() {
        d += 1;
        out[k] = d;
        if hard[k] {
            d = 0;
        }
    }
    out
}

pub(crate) fn distances_to_break(hard: &[bool]) -> Vec<usize> {
    let mut out = vec![0; hard.len()];
    let mut d = 0;
    for k in (0..hard.len()).rev() {
        if hard[k] {
            d = 0;
        } else {
            d += 1;
        }
        out[k] = d;
    }
    out
}

/// Decisions the treebank is too small to teach (it has few news abbreviations):
/// never a boundary after a title or an initial (`Gen.`, `W.`); always one after
/// another abbreviation followed by a sentence starter (`in the U.S. The ...`).
pub(crate) fn abbreviation_rule(tokens: &[Span], info: &[TokInfo], k: usize) -> Option<bool> {
    if info[k].class != Class::Abbrev {
        return None;
    }
    let form = tokens[k].form;
    if abbrev::is_title(form) || segmenter::is_initial(form) {
        return Some(false);
    }
    let e = segmenter::absorb_closers(tokens, k);
    let next = tokens.get(e + 1)?;
    segmenter::is_sentence_starter(next.form).then_some(true)
}

/// Boundary flags (`true` after token `k`) for `tokens` of `text` with `model`.
pub(crate) fn model_ends(text: &str, tokens: &[Span], model: &Model) -> Vec<bool> {
    let mut ends = segmenter::line_ends(text, tokens);
    let info = infos(tokens);
    let dist = distances_to_break(&ends);
    let from = distances_from_break(&ends);
    let inside = bracketed(tokens, &ends);
    let mut feats = Vec::with_capacity(32);
    for k in 0..tokens.len() {
        if ends[k] {
            continue;
        }
        match abbreviation_rule(tokens, &info, k) {
            Some(true) => {
                let e = segmenter::absorb_closers(tokens, k);
                ends[e] = true;
                continue;
            }
            Some(false) => continue,
            None => {}
        }
        if !is_candidate(tokens, &info, &inside, k) {
            continue;
        }
        let gap = segmenter::gap(text, tokens[k].end, tokens[k + 1].start);
        features(&info, k, gap, (dist[k], from[k]), &mut feats);
        if model.score(&feats) > model.threshold {
            ends[k] = true;
        }
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_round_trips_through_bytes() {
        let mut m = Model::default();
        m.weights.insert(7, 1.5);
        m.weights.insert(3, -0.25);
        m.threshold = 0.125;
        let b = m.to_bytes();
        let back = Model::from_bytes(&b).unwrap();
        assert_eq!(back.weights.len(), 2);
        assert!((back.weights[&7] - 1.5).abs() < 1e-3);
        assert!((back.weights[&3] + 0.25).abs() < 1e-3);
        assert_eq!(back.threshold, 0.125);
        assert!(matches!(
            Model::from_bytes(b"nope"),
            Err(ModelError::BadMagic)
        ));
        assert!(matches!(
            Model::from_bytes(&b[..b.len() - 1]),
            Err(ModelError::Truncated { .. })
        ));
    }

    #[test]
    fn shapes_and_classes() {
        assert_eq!(shape_hash("Hello"), shape_hash("World"));
        assert_ne!(shape_hash("Hello"), shape_hash("hello"));
        assert_eq!(class_of("U.S."), Class::Abbrev);
        assert_eq!(class_of("?!"), Class::Question);
        assert_eq!(class_of("..."), Class::Ellipsis);
        assert_eq!(class_of("”"), Class::Closer);
        assert_eq!(
            distances_to_break(&[false, false, true, false, true]),
            [2, 1, 0, 1, 0]
        );
    }
}
