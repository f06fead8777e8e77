//! Lemmatiser and morphological-feature predictor learned from a treebank.
//!
//! Lemmas: an exception table keyed by (form, XPOS), then (lowercased form,
//! XPOS), for every pair seen in training, then suffix-edit rules keyed by (XPOS, last k letters),
//! longest matching suffix first. A rule says whether to lowercase, how many
//! characters to strip and what to append, so it also works for capitalised
//! and unseen words ("Militias" → "militia").
//!
//! Features: the most frequent FEATS for (lowercased form, UPOS, XPOS), else
//! for (UPOS, XPOS).

use std::collections::HashMap;

use crate::conllu::ConlluSentence;
use crate::hash::{f2, f3, hash_str, HashMap64};
use crate::model_io::{ByteReader, ByteWriter, ReadError};
use crate::words::lowercase_into;

/// A lemma edit: optionally lowercase, strip `strip` characters, append `append`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    pub lower: bool,
    pub strip: u8,
    pub append: String,
}

impl Rule {
    /// The cheapest rule turning `form` into `lemma` (lowercasing preferred on ties).
    pub fn derive(form: &str, lemma: &str) -> Rule {
        let mut lower = String::new();
        lowercase_into(form, &mut lower);
        let a = Self::edit(&lower, lemma, true);
        let b = Self::edit(form, lemma, false);
        let cost = |r: &Rule| r.strip as usize + r.append.chars().count();
        if cost(&b) < cost(&a) {
            b
        } else {
            a
        }
    }

    fn edit(src: &str, lemma: &str, lower: bool) -> Rule {
        let common = src
            .chars()
            .zip(lemma.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let strip = src.chars().count() - common;
        Rule {
            lower,
            strip: strip.min(255) as u8,
            append: lemma.chars().skip(common).collect(),
        }
    }

    /// Apply to a form; `None` when the form is too short for the rule.
    pub fn apply(&self, form: &str, buf: &mut String) -> Option<String> {
        lowercase_into(form, buf);
        self.apply_to(form, buf)
    }

    /// Apply given the form and its lowercased version.
    fn apply_to(&self, form: &str, lower: &str) -> Option<String> {
        let src = if self.lower { lower } else { form };
        let n = src.chars().count();
        if (self.strip as usize) > n || (self.strip as usize == n && self.append.is_empty()) {
            return None;
        }
        let keep = n - self.strip as usize;
        let cut = src.char_indices().nth(keep).map_or(src.len(), |(i, _)| i);
        let mut out = String::with_capacity(cut + self.append.len());
        out.push_str(&src[..cut]);
        out.push_str(&self.append);
        Some(out)
    }
}

const MAX_SUFFIX: usize = 6;

/// Lemmatiser plus FEATS predictor (stored together in `lemmatizer.bin`).
#[derive(Clone)]
pub struct Morph {
    rules: Vec<Rule>,
    /// f2(lower form, xpos) → rule.
    exceptions: HashMap64<u32>,
    /// f3(xpos, k, suffix of length k) → rule.
    suffixes: HashMap64<u32>,
    feats: Vec<String>,
    /// f3(lower, upos, xpos) → feats id.
    word_feats: HashMap64<u32>,
    /// f2(upos, xpos) → feats id.
    tag_feats: HashMap64<u32>,
}

/// Whether a suffix rule strips a doubled consonant plus an ending
/// ("grabbed" → "grab" strips "bed") from a word whose consonant is not
/// doubled ("bombed" must not become "bom"): a shorter suffix decides then.
fn undoubles_without_double(rule: &Rule, lower: &str) -> bool {
    if !rule.append.is_empty() || rule.strip < 3 {
        return false;
    }
    let chars: Vec<char> = lower.chars().collect();
    let strip = rule.strip as usize;
    if strip + 1 > chars.len() {
        return false;
    }
    let cut = chars.len() - strip;
    let ending: String = chars[cut + 1..].iter().collect();
    if !matches!(ending.as_str(), "ed" | "ing" | "er" | "est") {
        return false;
    }
    let doubled = chars[cut];
    !(doubled.is_alphabetic() && chars[cut - 1] == doubled)
}

fn suffix_key(xpos: u64, lower: &str, k: usize) -> Option<u64> {
    let n = lower.chars().count();
    if k > n {
        return None;
    }
    let start = if k == 0 {
        lower.len()
    } else {
        lower.char_indices().rev().nth(k - 1).map(|(i, _)| i)?
    };
    Some(f3(0x5f, xpos, k as u64, hash_str(&lower[start..])))
}

impl Morph {
    /// Lemma for a word with the given XPOS (UPOS breaks ties for treebanks without XPOS).
    pub fn lemma(&self, form: &str, upos: &str, xpos: &str, buf: &mut String) -> String {
        let tag = if xpos.is_empty() { upos } else { xpos };
        let th = hash_str(tag);
        lowercase_into(form, buf);
        let lower = buf.as_str();
        let lh = hash_str(lower);
        // Exact form first ("i" → "I" but "I" stays), then the lowercased form.
        let exact = self.exceptions.get(&f2(0x45, hash_str(form), th));
        if let Some(&r) = exact.or_else(|| self.exceptions.get(&f2(0x4c, lh, th))) {
            if let Some(l) = self.rules[r as usize].apply_to(form, lower) {
                return l;
            }
        }
        for k in (0..=MAX_SUFFIX).rev() {
            if let Some(key) = suffix_key(th, lower, k) {
                if let Some(&r) = self.suffixes.get(&key) {
                    let rule = &self.rules[r as usize];
                    if undoubles_without_double(rule, lower) {
                        continue;
                    }
                    if let Some(l) = rule.apply_to(form, lower) {
                        return l;
                    }
                }
            }
        }
        form.to_string()
    }

    /// FEATS string ("" when none).
    pub fn feats(&self, form: &str, upos: &str, xpos: &str, buf: &mut String) -> &str {
        lowercase_into(form, buf);
        self.feats_hashed(hash_str(buf), upos, xpos)
    }

    /// [`Morph::feats`] given the hash of the lowercased form.
    pub fn feats_hashed(&self, lower_hash: u64, upos: &str, xpos: &str) -> &str {
        self.feats_str(self.feats_id(lower_hash, upos, xpos))
    }

    /// Which FEATS string [`Morph::feats_hashed`] gives, as an id for
    /// [`Morph::feats_str`] (callers cache ids, not strings).
    pub fn feats_id(&self, lower_hash: u64, upos: &str, xpos: &str) -> Option<u32> {
        let (uh, xh) = (hash_str(upos), hash_str(xpos));
        self.word_feats
            .get(&f3(0x46, lower_hash, uh, xh))
            .or_else(|| self.tag_feats.get(&f2(0x47, uh, xh)))
            .copied()
    }

    /// The FEATS string of an id from [`Morph::feats_id`] ("" for none).
    pub fn feats_str(&self, id: Option<u32>) -> &str {
        id.and_then(|i| self.feats.get(i as usize))
            .map_or("", |s| s.as_str())
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.u32(self.rules.len() as u32);
        for r in &self.rules {
            w.u8(r.lower as u8);
            w.u8(r.strip);
            w.string(&r.append);
        }
        w.strings(&self.feats);
        for m in [
            &self.exceptions,
            &self.suffixes,
            &self.word_feats,
            &self.tag_feats,
        ] {
            let mut v: Vec<_> = m.iter().map(|(&k, &v)| (k, v)).collect();
            v.sort_unstable();
            w.u32(v.len() as u32);
            for (k, x) in v {
                w.u64(k);
                w.u32(x);
            }
        }
    }

    pub fn read(r: &mut ByteReader) -> Result<Morph, ReadError> {
        let n = r.count(6)?;
        let mut rules = Vec::with_capacity(n);
        for _ in 0..n {
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.string()?;
            rules.push(Rule {
                lower,
                strip,
                append,
            });
        }
        let feats = r.strings()?;
        let mut maps: Vec<HashMap64<u32>> = Vec::with_capacity(4);
        for (i, limit) in [rules.len(), rules.len(), feats.len(), feats.len()]
            .into_iter()
            .enumerate()
        {
            let m = r.count(12)?;
            let mut map = HashMap64::default();
            map.reserve(m);
            for _ in 0..m {
                let k = r.u64()?;
                let v = r.u32()?;
                if v as usize >= limit {
                    return Err(ReadError(format!("table {i}: index {v} out of range")));
                }
                map.insert(k, v);
            }
            maps.push(map);
        }
        let tag_feats = maps.pop().unwrap_or_default();
        let word_feats = maps.pop().unwrap_or_default();
        let suffixes = maps.pop().unwrap_or_default();
        let exceptions = maps.pop().unwrap_or_default();
        Ok(Morph {
            rules,
            exceptions,
            suffixes,
            feats,
            word_feats,
            tag_feats,
        })
    }

    /// Learn from gold-annotated sentences.
    pub fn train(train: &[ConlluSentence]) -> Morph {
        let mut rules: Vec<Rule> = Vec::new();
        let mut rule_ids: HashMap<Rule, u32> = HashMap::new();
        let mut exc_counts: HashMap64<HashMap<u32, u32>> = HashMap64::default();
        let mut suf_counts: HashMap64<HashMap<u32, u32>> = HashMap64::default();
        let mut feats: Vec<String> = Vec::new();
        let mut feat_ids: HashMap<String, u32> = HashMap::new();
        let mut wf_counts: HashMap64<HashMap<u32, u32>> = HashMap64::default();
        let mut tf_counts: HashMap64<HashMap<u32, u32>> = HashMap64::default();
        // Suffix rules learn from word types, not tokens, so frequent
        // irregular words do not drown the regular patterns.
        let mut seen_types: HashMap64<()> = HashMap64::default();
        let mut lower = String::new();
        for s in train {
            for w in &s.words {
                if w.lemma.is_empty() {
                    continue;
                }
                let tag = if w.xpos.is_empty() { &w.upos } else { &w.xpos };
                let th = hash_str(tag);
                lowercase_into(&w.form, &mut lower);
                let lh = hash_str(&lower);
                let rule = Rule::derive(&w.form, &w.lemma);
                let rid = *rule_ids.entry(rule.clone()).or_insert_with(|| {
                    rules.push(rule);
                    (rules.len() - 1) as u32
                });
                for key in [f2(0x4c, lh, th), f2(0x45, hash_str(&w.form), th)] {
                    *exc_counts.entry(key).or_default().entry(rid).or_default() += 1;
                }
                if seen_types
                    .insert(f2(0x54, hash_str(&w.form), th), ())
                    .is_none()
                {
                    for k in 0..=MAX_SUFFIX {
                        if let Some(key) = suffix_key(th, &lower, k) {
                            *suf_counts.entry(key).or_default().entry(rid).or_default() += 1;
                        }
                    }
                }
                let fid = *feat_ids.entry(w.feats.clone()).or_insert_with(|| {
                    feats.push(w.feats.clone());
                    (feats.len() - 1) as u32
                });
                let (uh, xh) = (hash_str(&w.upos), hash_str(&w.xpos));
                *wf_counts
                    .entry(f3(0x46, lh, uh, xh))
                    .or_default()
                    .entry(fid)
                    .or_default() += 1;
                *tf_counts
                    .entry(f2(0x47, uh, xh))
                    .or_default()
                    .entry(fid)
                    .or_default() += 1;
            }
        }
        // Most frequent value; ties go to the lowest id (deterministic).
        let best = |m: &HashMap<u32, u32>| -> (u32, u32, u32) {
            let total = m.values().sum();
            let (&id, &c) = m
                .iter()
                .max_by_key(|(&id, &c)| (c, u32::MAX - id))
                .expect("non-empty count map");
            (id, c, total)
        };
        let exceptions = exc_counts.iter().map(|(&k, m)| (k, best(m).0)).collect();
        // A suffix rule needs two supporting types, except the catch-all k = 0.
        let suffixes = suf_counts
            .iter()
            .filter_map(|(&k, m)| {
                let (id, c, _) = best(m);
                (c >= 2).then_some((k, id))
            })
            .collect();
        let word_feats = wf_counts.iter().map(|(&k, m)| (k, best(m).0)).collect();
        let tag_feats = tf_counts.iter().map(|(&k, m)| (k, best(m).0)).collect();
        Morph {
            rules,
            exceptions,
            suffixes,
            feats,
            word_feats,
            tag_feats,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_derive_and_apply() {
        let mut b = String::new();
        let r = Rule::derive("forces", "force");
        assert_eq!(
            r,
            Rule {
                lower: true,
                strip: 1,
                append: String::new()
            }
        );
        assert_eq!(r.apply("Sources", &mut b).as_deref(), Some("source"));
        let r = Rule::derive("Damascus", "Damascus");
        assert!(!r.lower && r.strip == 0);
        let r = Rule::derive("went", "go");
        assert_eq!(r.apply("Went", &mut b).as_deref(), Some("go"));
        let r = Rule::derive("children", "child");
        assert_eq!(
            r.apply("grandchildren", &mut b).as_deref(),
            Some("grandchild")
        );
        // Too short for the rule: no lemma rather than a panic.
        assert_eq!(Rule::derive("militias", "militia").apply("", &mut b), None);
    }
}
