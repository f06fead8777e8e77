//! UD evaluation (CoNLL 2018 conventions: punctuation included, LAS compares
//! the universal part of the relation; full-label LAS is reported too).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use dyad_core::{Document, Sentence};

use crate::analyzer::Analyzer;
use crate::conllu::{read_conllu, to_document, ConlluSentence};

/// Scores in percent. With gold tokens precision = recall = F1 = accuracy.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct UdScores {
    pub file: String,
    pub mode: String,
    pub gold_words: usize,
    pub system_words: usize,
    pub sentences_f1: Option<f64>,
    pub tokens_f1: f64,
    pub upos: f64,
    pub xpos: f64,
    pub ufeats: f64,
    pub lemma: f64,
    pub uas: f64,
    pub las: f64,
    pub las_full_labels: f64,
    pub gold_nonprojective_arcs: usize,
    pub seconds: f64,
}

#[derive(Default)]
struct Counts {
    upos: usize,
    xpos: usize,
    feats: usize,
    lemma: usize,
    uas: usize,
    las: usize,
    las_full: usize,
    aligned: usize,
}

fn f1(correct: usize, gold: usize, system: usize) -> f64 {
    if gold + system == 0 {
        return 100.0;
    }
    200.0 * correct as f64 / (gold + system) as f64
}

fn universal(l: &str) -> &str {
    l.split(':').next().unwrap_or(l)
}

/// FEATS compared as a set (order-insensitive).
fn same_feats(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s
            .split('|')
            .filter(|x| !x.is_empty() && *x != "_")
            .collect();
        v.sort_unstable();
        v
    }
    norm(a) == norm(b)
}

/// Compare one system token (heads mapped to gold word indices) with one gold word.
fn count(
    c: &mut Counts,
    sys: &dyad_core::Token,
    sys_head: Option<usize>,
    gold: &crate::conllu::ConlluWord,
    gold_head: Option<usize>,
) {
    c.aligned += 1;
    c.upos += (sys.upos == gold.upos) as usize;
    c.xpos += (sys.xpos == gold.xpos) as usize;
    c.feats += same_feats(&sys.feats, &gold.feats) as usize;
    c.lemma += (sys.lemma == gold.lemma) as usize;
    if sys_head == gold_head {
        c.uas += 1;
        c.las += (universal(&sys.deprel) == universal(&gold.deprel)) as usize;
        c.las_full += (sys.deprel == gold.deprel) as usize;
    }
}

fn nonprojective(sents: &[ConlluSentence]) -> usize {
    sents
        .iter()
        .map(|s| {
            let h: Vec<u32> = s.words.iter().map(|w| w.head).collect();
            crate::parser::nonprojective_arcs(&h).len()
        })
        .sum()
}

fn save(doc: &Document, out: Option<&Path>) -> Result<()> {
    if let Some(p) = out {
        let f = std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
        let mut w = std::io::BufWriter::new(f);
        crate::conllu::write_conllu(doc, &mut w)
            .and_then(|_| std::io::Write::flush(&mut w))
            .with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(())
}

/// Evaluate on gold tokenisation and sentence splits; the system output is
/// written as CoNLL-U to `out` when given.
pub fn eval_gold(an: &Analyzer, path: &Path, out: Option<&Path>) -> Result<UdScores> {
    let gold = read_conllu(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.display().to_string();
    let mut doc = to_document(&gold, &name, false);
    let t0 = std::time::Instant::now();
    an.annotate(&mut doc);
    let seconds = t0.elapsed().as_secs_f64();
    save(&doc, out)?;
    let mut c = Counts::default();
    for (s, g) in doc.sentences.iter().zip(&gold) {
        for (t, w) in s.tokens.iter().zip(&g.words) {
            let sh = t.head.map(|h| h as usize);
            count(&mut c, t, sh, w, Some(w.head as usize));
        }
    }
    let n = c.aligned;
    let acc = |x: usize| 100.0 * x as f64 / n.max(1) as f64;
    Ok(UdScores {
        file: name,
        mode: "gold tokens".into(),
        gold_words: n,
        system_words: n,
        sentences_f1: None,
        tokens_f1: 100.0,
        upos: acc(c.upos),
        xpos: acc(c.xpos),
        ufeats: acc(c.feats),
        lemma: acc(c.lemma),
        uas: acc(c.uas),
        las: acc(c.las),
        las_full_labels: acc(c.las_full),
        gold_nonprojective_arcs: nonprojective(&gold),
        seconds,
    })
}

/// Evaluate from raw text: the text is rebuilt from the gold tokens, segmented
/// with `dyad_tokenize::segment`, annotated, and words are aligned with gold
/// words by byte span; the system output is written to `out` when given.
pub fn eval_raw(an: &Analyzer, path: &Path, out: Option<&Path>) -> Result<UdScores> {
    let gold = read_conllu(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.display().to_string();
    let gdoc = to_document(&gold, &name, true);
    let t0 = std::time::Instant::now();
    let mut sdoc = Document {
        text: gdoc.text.clone(),
        sentences: dyad_tokenize::segment(&gdoc.text),
        ..Default::default()
    };
    an.annotate(&mut sdoc);
    let seconds = t0.elapsed().as_secs_f64();
    save(&sdoc, out)?;
    // Global word indices and spans.
    let mut gold_words = Vec::new();
    let mut gold_heads = Vec::new();
    let mut span_to_gold: HashMap<(usize, usize), usize> = HashMap::new();
    for (s, g) in gdoc.sentences.iter().zip(&gold) {
        let base = gold_words.len();
        for (t, w) in s.tokens.iter().zip(&g.words) {
            span_to_gold
                .entry((t.start, t.end))
                .or_insert(gold_words.len());
            gold_words.push(w);
            gold_heads.push(if w.head == 0 {
                None
            } else {
                Some(base + w.head as usize - 1)
            });
        }
    }
    let sys: Vec<(&Sentence, usize)> = {
        let mut base = 0;
        sdoc.sentences
            .iter()
            .map(|s| {
                let r = (s, base);
                base += s.tokens.len();
                r
            })
            .collect()
    };
    let mut align: Vec<Option<usize>> = Vec::new();
    for (s, _) in &sys {
        for t in &s.tokens {
            align.push(span_to_gold.get(&(t.start, t.end)).copied());
        }
    }
    let mut c = Counts::default();
    let mut used = vec![false; gold_words.len()];
    for (s, base) in &sys {
        for (i, t) in s.tokens.iter().enumerate() {
            let Some(gi) = align[base + i] else { continue };
            if std::mem::replace(&mut used[gi], true) {
                continue;
            }
            let sh = match t.head {
                Some(0) | None => None,
                Some(h) => align.get(base + h as usize - 1).copied().flatten(),
            };
            // A system head that exists but is unaligned can never match.
            let sh_cmp = match (t.head, sh) {
                (Some(h), None) if h != 0 => Some(usize::MAX),
                _ => sh,
            };
            count(&mut c, t, sh_cmp, gold_words[gi], gold_heads[gi]);
        }
    }
    let (g, sw) = (gold_words.len(), align.len());
    let gold_sents: std::collections::HashSet<(usize, usize)> =
        gdoc.sentences.iter().map(|s| (s.start, s.end)).collect();
    let sent_ok = sdoc
        .sentences
        .iter()
        .filter(|s| gold_sents.contains(&(s.start, s.end)))
        .count();
    Ok(UdScores {
        file: name,
        mode: "raw text".into(),
        gold_words: g,
        system_words: sw,
        sentences_f1: Some(f1(sent_ok, gdoc.sentences.len(), sdoc.sentences.len())),
        tokens_f1: f1(c.aligned, g, sw),
        upos: f1(c.upos, g, sw),
        xpos: f1(c.xpos, g, sw),
        ufeats: f1(c.feats, g, sw),
        lemma: f1(c.lemma, g, sw),
        uas: f1(c.uas, g, sw),
        las: f1(c.las, g, sw),
        las_full_labels: f1(c.las_full, g, sw),
        gold_nonprojective_arcs: nonprojective(&gold),
        seconds,
    })
}

/// A plain-text table of scores.
pub fn format_scores(s: &UdScores) -> String {
    let mut out = format!(
        "{} ({}; {} gold words, {} system words, {:.2}s)\n",
        s.file, s.mode, s.gold_words, s.system_words, s.seconds
    );
    if let Some(sf) = s.sentences_f1 {
        out.push_str(&format!("Sentences  {sf:6.2}\n"));
    }
    for (k, v) in [
        ("Tokens", s.tokens_f1),
        ("UPOS", s.upos),
        ("XPOS", s.xpos),
        ("UFeats", s.ufeats),
        ("Lemmas", s.lemma),
        ("UAS", s.uas),
        ("LAS", s.las),
        ("LAS(full)", s.las_full_labels),
    ] {
        out.push_str(&format!("{k:<10} {v:6.2}\n"));
    }
    out.push_str(&format!(
        "gold non-projective arcs: {}\n",
        s.gold_nonprojective_arcs
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feats_compare_as_sets_and_f1_is_symmetric() {
        assert!(same_feats("Number=Sing|Person=3", "Person=3|Number=Sing"));
        assert!(same_feats("", "_"));
        assert!(!same_feats("Number=Sing", "Number=Plur"));
        assert!((f1(9, 10, 10) - 90.0).abs() < 1e-9);
        assert!((f1(5, 10, 0) - f1(5, 0, 10)).abs() < 1e-9);
        assert_eq!(universal("obl:tmod"), "obl");
    }
}
