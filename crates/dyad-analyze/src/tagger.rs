//! Averaged-perceptron POS tagger predicting a joint `UPOS|XPOS` tag, greedy
//! left to right, with a tag dictionary for frequent unambiguous words and
//! ambiguity classes (the tags a word took in training) for look-ahead.

use crate::conllu::ConlluSentence;
use crate::hash::{f1, f2, f3, hash_str, HashMap64};
use crate::model_io::{ByteReader, ByteWriter, ReadError};
use crate::rng::Rng;
use crate::weights::{argmax, argmax_i32, Perceptron, Scorer, Weights};
use crate::words::{add_affixes, lowercase_into, word_hashes, word_hashes_core, WordHashes};

/// Sentinel "tags" for positions before the sentence start.
const START: u64 = 0xffff_0001;
const NONE: u64 = 0xffff_0002;

/// A trained tagger.
#[derive(Clone)]
pub struct Tagger {
    /// (UPOS, XPOS) per class id.
    pub classes: Vec<(String, String)>,
    /// Identity of these weights, so a thread's score cache is never reused
    /// across different models (clones share it: same weights).
    id: u64,
    weights: Weights,
    /// Exact form hash → class for frequent, (nearly) unambiguous words.
    tagdict: HashMap64<u16>,
    /// Lowercased form hash → ambiguity class hash.
    ambig: HashMap64<u64>,
    /// Verb classes for the finite-verb repair (derived from `classes`).
    verbs: VerbClasses,
}

/// Class ids the finite-verb repair needs: a greedy tagger reads "The army
/// arrested fighters." as a noun phrase with a reduced relative (VBN), and the
/// parser then makes "army" the root. A full sentence needs a finite verb.
#[derive(Clone, Debug, Default)]
pub(crate) struct VerbClasses {
    /// (VERB, VBD) and (VERB, VBN).
    pub(crate) vbd: Option<u16>,
    pub(crate) vbn: Option<u16>,
    /// Per class: a finite verb or modal (VBD, VBZ, VBP, MD).
    finite: Vec<bool>,
    /// Per class: sentence-final punctuation (XPOS ".").
    stop: Vec<bool>,
}

/// Largest VBN-over-VBD score margin (perceptron units) the repair
/// overrides. Chosen on EWT dev (best UAS among 2-200; tags unchanged within
/// 0.02); on dyad's own news fixtures it turns 8 more sentences into exact
/// events.
const REPAIR_MARGIN: f32 = 50.0;

impl VerbClasses {
    pub(crate) fn new(classes: &[(String, String)]) -> VerbClasses {
        let find = |u: &str, x: &str| {
            classes
                .iter()
                .position(|(cu, cx)| cu == u && cx == x)
                .map(|i| i as u16)
        };
        VerbClasses {
            vbd: find("VERB", "VBD"),
            vbn: find("VERB", "VBN"),
            finite: classes
                .iter()
                .map(|(_, x)| matches!(x.as_str(), "VBD" | "VBZ" | "VBP" | "MD"))
                .collect(),
            stop: classes.iter().map(|(_, x)| x == ".").collect(),
        }
    }

    /// Whether a tagged sentence (class ids) needs the finite-verb repair:
    /// three words or more, a full stop at the end, no finite verb.
    pub(crate) fn lacks_finite_verb(&self, tags: &[u16]) -> bool {
        let n = tags.len();
        n >= 3 && self.stop[tags[n - 1] as usize] && !tags.iter().any(|&c| self.finite[c as usize])
    }
}

/// Scratch space reused across sentences.
#[derive(Default)]
pub struct TagScratch {
    pub words: Vec<WordHashes>,
    amb: Vec<u64>,
    feats: Vec<u64>,
    scores: Vec<f32>,
    iscores: Vec<i32>,
    lower: String,
    /// Word-type key → start of its cached [`word_features`] scores in
    /// `cached_scores` (n_classes each). Cleared when full, so memory stays
    /// bounded on an endless stream of new words.
    cache: HashMap64<u32>,
    cached_scores: Vec<i32>,
    /// [`Tagger`] id the cache was filled by.
    cache_owner: u64,
    /// Per word of the current sentence: VBN score minus VBD score when
    /// the tagger chose VBN, else i32::MAX.
    margins: Vec<i32>,
}

/// Word types whose feature scores a [`TagScratch`] keeps (about 3 MB with
/// the joint tag set); news text reuses a few thousand types for most tokens.
const CACHE_TYPES: usize = 16 * 1024;

struct Lexicon<'a> {
    tagdict: &'a HashMap64<u16>,
    ambig: &'a HashMap64<u64>,
}

/// Hash the words of a sentence; `full` adds the affix hashes that only the
/// word's own features use (inference adds them on a score-cache miss).
fn prepare(forms: &[&str], lex: &Lexicon, sc: &mut TagScratch, full: bool) {
    sc.words.clear();
    sc.amb.clear();
    for (i, f) in forms.iter().enumerate() {
        let h = if full {
            word_hashes(f, i == 0, &mut sc.lower)
        } else {
            word_hashes_core(f, i == 0, &mut sc.lower)
        };
        sc.amb
            .push(lex.ambig.get(&h.lower).copied().unwrap_or(NONE));
        sc.words.push(h);
    }
}

/// Feature templates for position `i` given the two previous predicted tags:
/// the word's own ([`word_features`]) and its context ([`context_features`]).
fn features(words: &[WordHashes], amb: &[u64], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    word_features(&words[i], amb[i], out);
    context_features(words, amb, i, p1, p2, out);
}

/// Templates that depend on the word alone (its form, affixes, shape, flags
/// and ambiguity class). Their summed scores are the same wherever the word
/// occurs, so inference caches them per word type.
fn word_features(w: &WordHashes, am_i: u64, out: &mut Vec<u64>) {
    out.push(f1(0, 0));
    out.push(f1(1, w.lower));
    out.push(f1(2, w.form));
    for k in 0..4 {
        out.push(f1(3 + k as u64, w.suf[k]));
    }
    for k in 0..3 {
        out.push(f1(7 + k as u64, w.pre[k]));
    }
    out.push(f1(10, w.shape));
    out.push(f1(11, w.flags));
    out.push(f1(25, am_i));
    out.push(f2(32, w.shape, w.flags));
    out.push(f2(33, am_i, w.suf[2]));
}

/// Templates over the neighbouring words and the previous predicted tags.
fn context_features(
    words: &[WordHashes],
    amb: &[u64],
    i: usize,
    p1: u64,
    p2: u64,
    out: &mut Vec<u64>,
) {
    let w = &words[i];
    let get = |j: isize| -> Option<&WordHashes> {
        if j < 0 {
            None
        } else {
            words.get(j as usize)
        }
    };
    let ii = i as isize;
    let (wm1, wm2, wp1, wp2) = (get(ii - 1), get(ii - 2), get(ii + 1), get(ii + 2));
    let low = |x: Option<&WordHashes>| x.map_or(START, |h| h.lower);
    let suf3 = |x: Option<&WordHashes>| x.map_or(START, |h| h.suf[2]);
    let shp = |x: Option<&WordHashes>| x.map_or(START, |h| h.shape);
    let am = |j: isize| -> u64 {
        if j < 0 || j as usize >= amb.len() {
            START
        } else {
            amb[j as usize]
        }
    };
    out.push(f1(12, p1));
    out.push(f2(13, p2, p1));
    out.push(f2(14, p1, w.lower));
    out.push(f1(15, low(wm1)));
    out.push(f1(16, suf3(wm1)));
    out.push(f1(17, low(wm2)));
    out.push(f1(18, low(wp1)));
    out.push(f1(19, suf3(wp1)));
    out.push(f1(20, low(wp2)));
    out.push(f1(21, shp(wm1)));
    out.push(f1(22, shp(wp1)));
    out.push(f2(23, w.lower, low(wp1)));
    out.push(f2(24, low(wm1), w.lower));
    out.push(f1(26, am(ii + 1)));
    out.push(f1(27, am(ii + 2)));
    out.push(f2(28, p1, am(ii)));
    out.push(f2(29, p1, w.suf[2]));
    out.push(f2(30, am(ii), am(ii + 1)));
    out.push(f3(31, p1, am(ii), am(ii + 1)));
}

/// Tag one sentence greedily with frozen weights.
fn run(
    model: &Weights,
    owner: u64,
    verbs: &VerbClasses,
    lex: &Lexicon,
    forms: &[&str],
    sc: &mut TagScratch,
    out: &mut Vec<u16>,
) {
    if sc.cache_owner != owner {
        sc.cache.clear();
        sc.cached_scores.clear();
        sc.cache_owner = owner;
    }
    prepare(forms, lex, sc, false);
    out.clear();
    sc.margins.clear();
    tag_rest(model, lex, verbs, forms, sc, out);
    // Finite-verb repair: a sentence ending in a full stop, with no finite
    // verb, whose closest VBN/VBD call went to VBN: make that word VBD and
    // tag the words after it again.
    let (Some(vbd), Some(_)) = (verbs.vbd, verbs.vbn) else {
        return;
    };
    if !verbs.lacks_finite_verb(out) {
        return;
    }
    let limit = (REPAIR_MARGIN * model.scale()) as i64;
    let best = sc
        .margins
        .iter()
        .enumerate()
        .filter(|&(_, &m)| (m as i64) <= limit)
        .min_by_key(|&(i, &m)| (m, i));
    if let Some((j, _)) = best {
        out.truncate(j);
        out.push(vbd);
        sc.margins.truncate(j + 1);
        sc.margins[j] = i32::MAX;
        tag_rest(model, lex, verbs, forms, sc, out);
    }
}

/// Greedily tag the words after those already in `out`, noting in
/// `sc.margins` how far each VBN beat VBD (i32::MAX when not a VBN call).
fn tag_rest(
    model: &Weights,
    lex: &Lexicon,
    verbs: &VerbClasses,
    forms: &[&str],
    sc: &mut TagScratch,
    out: &mut Vec<u16>,
) {
    let n = model.n_classes();
    let mut feats = std::mem::take(&mut sc.feats);
    for i in out.len()..sc.words.len() {
        sc.margins.push(i32::MAX);
        let p1 = if i >= 1 { out[i - 1] as u64 } else { START };
        let p2 = if i >= 2 { out[i - 2] as u64 } else { START };
        let w = sc.words[i];
        if let Some(&c) = lex.tagdict.get(&w.form) {
            out.push(c);
            continue;
        }
        // The flags include "first in sentence", which word_features sees.
        let key = crate::hash::f1(w.flags, w.form);
        let start = match sc.cache.get(&key) {
            Some(&start) => start as usize,
            None => {
                if sc.cache.len() >= CACHE_TYPES {
                    sc.cache.clear();
                    sc.cached_scores.clear();
                }
                let start = sc.cached_scores.len();
                sc.cached_scores.resize(start + n, 0);
                let mut full = w;
                lowercase_into(forms[i], &mut sc.lower);
                add_affixes(&mut full, &sc.lower);
                feats.clear();
                word_features(&full, sc.amb[i], &mut feats);
                model.score_i32(&feats, &mut sc.cached_scores[start..]);
                sc.cache.insert(key, start as u32);
                start
            }
        };
        sc.iscores.clear();
        sc.iscores
            .extend_from_slice(&sc.cached_scores[start..start + n]);
        feats.clear();
        context_features(&sc.words, &sc.amb, i, p1, p2, &mut feats);
        model.score_i32(&feats, &mut sc.iscores);
        let c = argmax_i32(&sc.iscores) as u16;
        if let (Some(vbd), Some(vbn)) = (verbs.vbd, verbs.vbn) {
            if c == vbn {
                sc.margins[i] = sc.iscores[vbn as usize] - sc.iscores[vbd as usize];
            }
        }
        out.push(c);
    }
    sc.feats = feats;
}

impl Tagger {
    /// Tag forms; returns class ids into [`Tagger::classes`].
    pub fn tag(&self, forms: &[&str], sc: &mut TagScratch, out: &mut Vec<u16>) {
        let lex = Lexicon {
            tagdict: &self.tagdict,
            ambig: &self.ambig,
        };
        run(&self.weights, self.id, &self.verbs, &lex, forms, sc, out);
    }

    pub fn class_id(&self, upos: &str, xpos: &str) -> Option<u16> {
        self.classes
            .iter()
            .position(|(u, x)| u == upos && x == xpos)
            .map(|i| i as u16)
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.u32(self.classes.len() as u32);
        for (u, x) in &self.classes {
            w.string(u);
            w.string(x);
        }
        let mut td: Vec<_> = self.tagdict.iter().map(|(&k, &v)| (k, v)).collect();
        td.sort_unstable();
        w.u32(td.len() as u32);
        for (k, v) in td {
            w.u64(k);
            w.u16(v);
        }
        let mut am: Vec<_> = self.ambig.iter().map(|(&k, &v)| (k, v)).collect();
        am.sort_unstable();
        w.u32(am.len() as u32);
        for (k, v) in am {
            w.u64(k);
            w.u64(v);
        }
        self.weights.write(w);
    }

    pub fn read(r: &mut ByteReader) -> Result<Tagger, ReadError> {
        let n = r.count(8)?;
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            classes.push((r.string()?, r.string()?));
        }
        let m = r.count(10)?;
        let mut tagdict = HashMap64::default();
        tagdict.reserve(m);
        for _ in 0..m {
            let k = r.u64()?;
            let v = r.u16()?;
            if v as usize >= n {
                return Err(ReadError(format!("tag dictionary class {v} out of range")));
            }
            tagdict.insert(k, v);
        }
        let m = r.count(16)?;
        let mut ambig = HashMap64::default();
        ambig.reserve(m);
        for _ in 0..m {
            let k = r.u64()?;
            ambig.insert(k, r.u64()?);
        }
        let weights = Weights::read(r)?;
        if weights.n_classes() != n {
            return Err(ReadError("tagger weights do not match its classes".into()));
        }
        Ok(Tagger {
            verbs: VerbClasses::new(&classes),
            classes,
            id: crate::next_model_id(),
            weights,
            tagdict,
            ambig,
        })
    }

    pub fn n_weight_rows(&self) -> usize {
        self.weights.n_rows()
    }
}

/// Options for [`train`].
#[derive(Debug, Clone)]
pub struct TagTrainOptions {
    pub seed: u64,
    pub epochs: usize,
    /// Minimum count for the tag dictionary.
    pub dict_min_count: usize,
    /// Minimum share of the majority tag for the tag dictionary.
    pub dict_min_share: f64,
    /// Averaged weights below this magnitude are dropped from the model.
    pub prune: f32,
}

impl Default for TagTrainOptions {
    fn default() -> Self {
        TagTrainOptions {
            seed: 1,
            epochs: 10,
            dict_min_count: 20,
            dict_min_share: 0.995,
            prune: 0.0,
        }
    }
}

fn class_key(upos: &str, xpos: &str) -> (String, String) {
    (upos.to_string(), xpos.to_string())
}

/// Accuracy of a tagger on sentences: (UPOS, XPOS, joint) ratios.
pub fn accuracy(t: &Tagger, sents: &[ConlluSentence]) -> (f64, f64, f64) {
    let mut sc = TagScratch::default();
    let mut out = Vec::new();
    let (mut u, mut x, mut j, mut n) = (0usize, 0usize, 0usize, 0usize);
    for s in sents {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        t.tag(&forms, &mut sc, &mut out);
        for (w, &c) in s.words.iter().zip(&out) {
            let (pu, px) = &t.classes[c as usize];
            let (ok_u, ok_x) = (*pu == w.upos, *px == w.xpos);
            u += ok_u as usize;
            x += ok_x as usize;
            j += (ok_u && ok_x) as usize;
            n += 1;
        }
    }
    let d = n.max(1) as f64;
    (u as f64 / d, x as f64 / d, j as f64 / d)
}

/// Train a tagger on `train`, choosing the epoch with the best joint dev accuracy.
pub fn train(
    train: &[ConlluSentence],
    dev: &[ConlluSentence],
    opts: &TagTrainOptions,
    log: &mut dyn FnMut(&str),
) -> Tagger {
    // Classes in order of first appearance (deterministic).
    let mut classes: Vec<(String, String)> = Vec::new();
    let mut class_index: std::collections::HashMap<(String, String), u16> = Default::default();
    let mut gold: Vec<Vec<u16>> = Vec::with_capacity(train.len());
    for s in train {
        let mut g = Vec::with_capacity(s.words.len());
        for w in &s.words {
            let k = class_key(&w.upos, &w.xpos);
            let id = *class_index.entry(k.clone()).or_insert_with(|| {
                classes.push(k);
                (classes.len() - 1) as u16
            });
            g.push(id);
        }
        gold.push(g);
    }
    let n = classes.len();
    // Counts for the tag dictionary (exact forms) and ambiguity classes (lowercase).
    let mut form_counts: HashMap64<Vec<u32>> = HashMap64::default();
    let mut lower_counts: HashMap64<Vec<u32>> = HashMap64::default();
    let mut lower = String::new();
    for (s, g) in train.iter().zip(&gold) {
        for (w, &c) in s.words.iter().zip(g) {
            form_counts
                .entry(hash_str(&w.form))
                .or_insert_with(|| vec![0; n])[c as usize] += 1;
            crate::words::lowercase_into(&w.form, &mut lower);
            lower_counts
                .entry(hash_str(&lower))
                .or_insert_with(|| vec![0; n])[c as usize] += 1;
        }
    }
    let mut tagdict = HashMap64::default();
    for (&k, counts) in &form_counts {
        let total: u32 = counts.iter().sum();
        let (best, &bc) = counts
            .iter()
            .enumerate()
            .max_by_key(|(i, &c)| (c, usize::MAX - i))
            .unwrap();
        if total as usize >= opts.dict_min_count && bc as f64 / total as f64 >= opts.dict_min_share
        {
            tagdict.insert(k, best as u16);
        }
    }
    let mut ambig = HashMap64::default();
    for (&k, counts) in &lower_counts {
        let total: u32 = counts.iter().sum();
        if total < 3 {
            continue;
        }
        let mut h = 0x5151u64;
        for (c, &cnt) in counts.iter().enumerate() {
            if cnt as f64 >= 0.1 * total as f64 {
                h = crate::hash::mix(h, c as u64 + 1);
            }
        }
        ambig.insert(k, crate::hash::finish(h));
    }
    let lex = Lexicon {
        tagdict: &tagdict,
        ambig: &ambig,
    };
    {
        let (mut hit, mut all) = (0usize, 0usize);
        for sent in dev {
            for w in &sent.words {
                all += 1;
                hit += tagdict.contains_key(&hash_str(&w.form)) as usize;
            }
        }
        log(&format!(
            "tag dictionary: {} forms, covering {hit} of {all} dev tokens",
            tagdict.len()
        ));
    }
    let mut p = Perceptron::new(n);
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut sc = TagScratch::default();
    let mut out = Vec::new();
    let mut best: Option<(f64, Tagger)> = None;
    for epoch in 1..=opts.epochs {
        rng.shuffle(&mut order);
        let (mut correct, mut total) = (0usize, 0usize);
        for &si in &order {
            let s = &train[si];
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let g = &gold[si];
            run_train(&mut p, &lex, &forms, &mut sc, &mut out, g);
            correct += out.iter().zip(g).filter(|(a, b)| a == b).count();
            total += g.len();
        }
        if let Ok(sweep) = std::env::var("DYAD_PRUNE_SWEEP") {
            for th in sweep.split(',').filter_map(|x| x.parse::<f32>().ok()) {
                let t = Tagger {
                    verbs: VerbClasses::new(&classes),
                    classes: classes.clone(),
                    id: crate::next_model_id(),
                    weights: p.freeze(th),
                    tagdict: tagdict.clone(),
                    ambig: ambig.clone(),
                };
                let (du, dx, _) = accuracy(&t, dev);
                let mut w = ByteWriter::default();
                t.write(&mut w);
                log(&format!(
                    "  prune {th}: rows {} bytes {} dev UPOS {:.2} XPOS {:.2}",
                    t.n_weight_rows(),
                    w.buf.len(),
                    100.0 * du,
                    100.0 * dx
                ));
            }
        }
        let tagger = Tagger {
            verbs: VerbClasses::new(&classes),
            classes: classes.clone(),
            id: crate::next_model_id(),
            weights: p.freeze(opts.prune),
            tagdict: tagdict.clone(),
            ambig: ambig.clone(),
        };
        let (du, dx, dj) = accuracy(&tagger, dev);
        log(&format!(
            "tagger epoch {epoch}: train joint {:.2}%  dev UPOS {:.2}% XPOS {:.2}% joint {:.2}%",
            100.0 * correct as f64 / total.max(1) as f64,
            100.0 * du,
            100.0 * dx,
            100.0 * dj
        ));
        if best.as_ref().is_none_or(|(b, _)| dj > *b) {
            best = Some((dj, tagger));
        }
    }
    match best {
        Some((_, t)) => t,
        None => Tagger {
            verbs: VerbClasses::new(&classes),
            classes,
            id: crate::next_model_id(),
            weights: p.freeze(opts.prune),
            tagdict,
            ambig,
        },
    }
}

fn run_train(
    p: &mut Perceptron,
    lex: &Lexicon,
    forms: &[&str],
    sc: &mut TagScratch,
    out: &mut Vec<u16>,
    gold: &[u16],
) {
    prepare(forms, lex, sc, true);
    out.clear();
    let n = p.n_classes();
    let mut feats = std::mem::take(&mut sc.feats);
    for i in 0..sc.words.len() {
        let p1 = if i >= 1 { out[i - 1] as u64 } else { START };
        let p2 = if i >= 2 { out[i - 2] as u64 } else { START };
        if let Some(&c) = lex.tagdict.get(&sc.words[i].form) {
            out.push(c);
            continue;
        }
        features(&sc.words, &sc.amb, i, p1, p2, &mut feats);
        sc.scores.clear();
        sc.scores.resize(n, 0.0);
        p.score(&feats, &mut sc.scores);
        let pred = argmax(&sc.scores);
        p.update(&feats, gold[i] as usize, pred);
        p.tick();
        out.push(pred as u16);
    }
    sc.feats = feats;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(words: &[&str]) -> Vec<WordHashes> {
        let mut buf = String::new();
        words
            .iter()
            .enumerate()
            .map(|(i, w)| word_hashes(w, i == 0, &mut buf))
            .collect()
    }

    #[test]
    fn features_use_context_and_history() {
        let w = hashes(&["Rebels", "shelled", "the", "town"]);
        let amb = vec![NONE; w.len()];
        let (mut a, mut b) = (Vec::new(), Vec::new());
        features(&w, &amb, 1, 3, START, &mut a);
        features(&w, &amb, 1, 3, START, &mut b);
        assert_eq!(a, b, "deterministic");
        features(&w, &amb, 1, 4, START, &mut b);
        assert_eq!(a.len(), b.len(), "fixed template count");
        assert_ne!(a, b, "previous tag matters");
        let w2 = hashes(&["Rebels", "shelled", "a", "town"]);
        features(&w2, &amb, 1, 3, START, &mut b);
        // Only templates that look at the next word (or pairs with it) change.
        let changed = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        assert!(
            changed > 0 && changed < a.len() / 2,
            "{changed} of {}",
            a.len()
        );
        // Positions at the edges of the sentence do not panic.
        features(&w, &amb, 0, START, START, &mut b);
        features(&w, &amb, 3, 1, 2, &mut b);
    }

    /// Greedy tagging with every template scored afresh at each token: the
    /// reference the per-type score cache must reproduce exactly.
    fn tag_uncached(t: &Tagger, forms: &[&str]) -> Vec<u16> {
        let lex = Lexicon {
            tagdict: &t.tagdict,
            ambig: &t.ambig,
        };
        let mut sc = TagScratch::default();
        prepare(forms, &lex, &mut sc, true);
        let mut out: Vec<u16> = Vec::new();
        let mut feats = Vec::new();
        for i in 0..forms.len() {
            let p1 = if i >= 1 { out[i - 1] as u64 } else { START };
            let p2 = if i >= 2 { out[i - 2] as u64 } else { START };
            if let Some(&c) = t.tagdict.get(&sc.words[i].form) {
                out.push(c);
                continue;
            }
            features(&sc.words, &sc.amb, i, p1, p2, &mut feats);
            let mut scores = vec![0i32; t.classes.len()];
            t.weights.score_i32(&feats, &mut scores);
            out.push(argmax_i32(&scores) as u16);
        }
        out
    }

    #[test]
    fn cached_word_scores_match_uncached_tagging() {
        // A tiny treebank of our own; words recur in different positions.
        let mut text = String::new();
        let sents: [&[(&str, &str, &str)]; 3] = [
            &[
                ("Troops", "NOUN", "NNS"),
                ("shelled", "VERB", "VBD"),
                ("the", "DET", "DT"),
                ("town", "NOUN", "NN"),
                (".", "PUNCT", "."),
            ],
            &[
                ("The", "DET", "DT"),
                ("town", "NOUN", "NN"),
                ("protested", "VERB", "VBD"),
                ("loudly", "ADV", "RB"),
                (".", "PUNCT", "."),
            ],
            &[
                ("Rebels", "NOUN", "NNS"),
                ("met", "VERB", "VBD"),
                ("troops", "NOUN", "NNS"),
                ("near", "ADP", "IN"),
                ("Homs", "PROPN", "NNP"),
                (".", "PUNCT", "."),
            ],
        ];
        for s in sents {
            for (i, (f, u, x)) in s.iter().enumerate() {
                let head = if i == 1 { 0 } else { 2 };
                text.push_str(&format!(
                    "{}\t{f}\t{f}\t{u}\t{x}\t_\t{head}\tdep\t_\t_\n",
                    i + 1
                ));
            }
            text.push('\n');
        }
        let data = crate::conllu::parse_conllu(&text, "own").unwrap();
        let opts = TagTrainOptions {
            epochs: 3,
            dict_min_count: 1000,
            ..Default::default()
        };
        let t = train(&data, &data, &opts, &mut |_| {});
        let mut sc = TagScratch::default();
        let mut out = Vec::new();
        let inputs: [&[&str]; 4] = [
            &["Troops", "met", "rebels", "near", "the", "town", "."],
            &["The", "rebels", "shelled", "Homs", "loudly", "."],
            &["Troops", "met", "rebels", "near", "the", "town", "."],
            &["Unseen", "words", "protested", "near", "Aleppo", "."],
        ];
        // The same scratch across sentences: later ones hit the cache.
        for forms in inputs.iter().chain(inputs.iter()) {
            t.tag(forms, &mut sc, &mut out);
            assert_eq!(out, tag_uncached(&t, forms), "{forms:?}");
        }
        assert!(!sc.cache.is_empty());
    }
}
