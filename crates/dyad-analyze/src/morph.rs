//! Lemmatiser and morphological-feature predictor learned from a treebank.
//!
//! Lemmas: an exception table keyed by (form, XPOS), then (lowercased form,
//! XPOS), for every pair seen in training, then suffix-edit rules keyed by (XPOS, last k letters),
//! longest matching suffix first. A rule says whether to lowercase, how many
//! characters to strip and what to append, so it also works for capitalised
//! and unseen words ("Militias" → "militia"). Among the suffix rules, the
//! longest one whose output is a lemma seen in training wins (also with a
//! final "e" restored: "provoked" → "provoke"), else the longest one.
//!
//! Features: the most frequent FEATS for (lowercased form, UPOS, XPOS), else
//! for (UPOS, XPOS).

use std::collections::HashMap;

use crate::conllu::ConlluSentence;
use crate::hash::{f1, f2, f3, hash_str, HashMap64};
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
    /// f1(lowercased lemma) of every lemma in the training data: a suffix rule whose
    /// output is a known word is preferred over one whose output is not ("provoked" →
    /// "provoke", not "provok"). Empty for models written before it existed.
    lexicon: HashMap64<()>,
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

/// A cardinal written with thousands separators has the plain digits as its lemma
/// ("420,588" → "420588"), as every such number in UD English-EWT's training data does.
fn digit_group_lemma(form: &str, tag: &str) -> Option<String> {
    if tag != "CD" && tag != "NUM" {
        return None;
    }
    let (int, frac) = match form.split_once('.') {
        Some((i, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (i, Some(f)),
        Some(_) => return None,
        None => (form, None),
    };
    let mut groups = int.split(',');
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    rest.peek()?;
    if !first_ok || !rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut out: String = int.chars().filter(|&c| c != ',').collect();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// A proper noun written in capitals that is too long to be an acronym ("SOUTER",
/// "MANAGEMENT") is lemmatised as the title-cased word, as the treebank does for
/// names in shouted text (six letters and more: acronyms are mostly shorter).
fn shouted_name(form: &str, tag: &str) -> Option<String> {
    if !matches!(tag, "NNP" | "NNPS" | "PROPN")
        || form.chars().count() < 6
        || !form.chars().all(|c| c.is_alphabetic() && c.is_uppercase())
    {
        return None;
    }
    let mut chars = form.chars();
    let first = chars.next()?;
    Some(first.to_string() + &chars.as_str().to_lowercase())
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
        // Conventions of UD English that unseen words cannot teach the suffix rules.
        if let Some(l) = digit_group_lemma(form, tag) {
            return l;
        }
        if let Some(title) = shouted_name(form, tag) {
            return self.lemma(&title, upos, xpos, buf);
        }
        let mut longest: Option<String> = None;
        for k in (0..=MAX_SUFFIX).rev() {
            if let Some(key) = suffix_key(th, lower, k) {
                if let Some(&r) = self.suffixes.get(&key) {
                    let rule = &self.rules[r as usize];
                    if undoubles_without_double(rule, lower) {
                        continue;
                    }
                    if let Some(l) = rule.apply_to(form, lower) {
                        if self.lexicon.is_empty() || self.known(&l) {
                            return l;
                        }
                        // A stripped ending may have taken a silent "e" with it.
                        if rule.strip > 0 && rule.append.is_empty() {
                            let with_e = l.clone() + "e";
                            if self.known(&with_e) {
                                return with_e;
                            }
                        }
                        longest.get_or_insert(l);
                    }
                }
            }
        }
        longest.unwrap_or_else(|| form.to_string())
    }

    /// Whether `lemma` (any case) was a lemma in the training data.
    fn known(&self, lemma: &str) -> bool {
        let key = if lemma.chars().any(char::is_uppercase) {
            hash_str(&lemma.to_lowercase())
        } else {
            hash_str(lemma)
        };
        self.lexicon.contains_key(&f1(0x4d, key))
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
        let mut lexicon: Vec<u64> = self.lexicon.keys().copied().collect();
        lexicon.sort_unstable();
        w.u32(lexicon.len() as u32);
        for k in lexicon {
            w.u64(k);
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
        // Models written before the lexicon end here; they lemmatise as they always did.
        let mut lexicon = HashMap64::default();
        if r.remaining() > 0 {
            let n = r.count(8)?;
            lexicon.reserve(n);
            for _ in 0..n {
                lexicon.insert(r.u64()?, ());
            }
        }
        Ok(Morph {
            rules,
            exceptions,
            suffixes,
            feats,
            word_feats,
            tag_feats,
            lexicon,
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
        let mut lexicon: HashMap64<()> = HashMap64::default();
        for s in train {
            for w in &s.words {
                if w.lemma.is_empty() {
                    continue;
                }
                lexicon.insert(f1(0x4d, hash_str(&w.lemma.to_lowercase())), ());
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
            lexicon,
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

    #[test]
    fn numbers_with_thousands_separators_lose_the_commas() {
        assert_eq!(
            digit_group_lemma("420,588", "CD").as_deref(),
            Some("420588")
        );
        assert_eq!(
            digit_group_lemma("3,500,000.25", "CD").as_deref(),
            Some("3500000.25")
        );
        // Not digit groups: a list, a European decimal, a plain number, another tag.
        assert_eq!(digit_group_lemma("3,4", "CD"), None);
        assert_eq!(digit_group_lemma("1234,567", "CD"), None);
        assert_eq!(digit_group_lemma("32.500", "CD"), None);
        assert_eq!(digit_group_lemma("2018", "CD"), None);
        assert_eq!(digit_group_lemma("1,000", "NN"), None);
        assert_eq!(digit_group_lemma(",000", "CD"), None);
    }

    #[test]
    fn shouted_names_are_title_cased_but_acronyms_kept() {
        assert_eq!(shouted_name("GINSBURG", "NNP").as_deref(), Some("Ginsburg"));
        assert_eq!(shouted_name("NATO", "NNP"), None);
        assert_eq!(shouted_name("HEZBOLLAH", "NN"), None);
        assert_eq!(shouted_name("Zarif", "NNP"), None);
        assert_eq!(shouted_name("F-16S", "NNP"), None);
    }

    /// A tiny treebank: "-ped" verbs mostly just lose "ed", and "wipe" is a known lemma.
    fn toy_morph() -> Morph {
        let rows = [
            ("helped", "help", "VBD"),
            ("jumped", "jump", "VBD"),
            ("camped", "camp", "VBD"),
            ("wipe", "wipe", "VB"),
            ("smell", "smell", "VB"),
        ];
        let mut text = String::new();
        for (form, lemma, xpos) in rows {
            text.push_str(&format!(
                "1\t{form}\t{lemma}\tVERB\t{xpos}\t_\t0\troot\t_\t_\n\n"
            ));
        }
        let sents = crate::conllu::parse_conllu(&text, "toy").expect("toy treebank parses");
        Morph::train(&sents)
    }

    #[test]
    fn suffix_rules_prefer_known_lemmas() {
        let m = toy_morph();
        let mut b = String::new();
        // The "-ped" rule strips "ed"; "wip" is unknown but "wipe" is a known lemma.
        assert_eq!(m.lemma("wiped", "VERB", "VBD", &mut b), "wipe");
        // Nothing known either way: the longest rule's output stands.
        assert_eq!(m.lemma("zorped", "VERB", "VBD", &mut b), "zorp");
        assert_eq!(m.lemma("helped", "VERB", "VBD", &mut b), "help");
    }

    #[test]
    fn lexicon_survives_the_model_round_trip_and_old_models_still_load() {
        let m = toy_morph();
        let mut w = ByteWriter::default();
        m.write(&mut w);
        let back = Morph::read(&mut ByteReader::new(&w.buf)).expect("reads back");
        assert_eq!(back.lexicon.len(), m.lexicon.len());
        let mut b = String::new();
        assert_eq!(back.lemma("wiped", "VERB", "VBD", &mut b), "wipe");
        // A model file from before the lexicon ends after the feature tables.
        let cut = w.buf.len() - 4 - 8 * m.lexicon.len();
        let old = Morph::read(&mut ByteReader::new(&w.buf[..cut])).expect("old format reads");
        assert!(old.lexicon.is_empty());
        assert_eq!(old.lemma("wiped", "VERB", "VBD", &mut b), "wip");
    }
}
