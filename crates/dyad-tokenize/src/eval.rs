//! Evaluation on CoNLL-U treebanks (UD English-EWT): raw text is rebuilt from the
//! `# text` lines, gold sentence and word spans are aligned to it, and predicted
//! spans are scored by exact match (as in the CoNLL 2018 shared task).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

/// Precision, recall and F1 of exact span matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_counts(gold: usize, predicted: usize, correct: usize) -> Self {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            gold,
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// Scores of [`crate::segment`] on one treebank file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SegmentationScores {
    pub file: String,
    /// Words (syntactic tokens), exact span match.
    pub tokens: Prf,
    /// Sentences, exact span match.
    pub sentences: Prf,
    /// Bytes of reconstructed raw text.
    pub bytes: usize,
    /// Segmentation speed on that text (bytes per second, one thread).
    pub bytes_per_second: f64,
    /// Gold words whose form could not be found in the `# text` line (given the
    /// span of their multi-word token or of the next characters instead).
    pub unaligned_words: usize,
}

/// Raw text rebuilt from a CoNLL-U file with gold sentence and word spans.
#[derive(Debug, Clone, Default)]
pub struct GoldText {
    pub text: String,
    pub sentences: Vec<(usize, usize)>,
    pub words: Vec<(usize, usize)>,
    pub unaligned_words: usize,
}

/// Read a CoNLL-U treebank: sentences of one paragraph are joined by a space,
/// paragraphs and documents (`# newpar`, `# newdoc`) by a blank line.
pub fn read_gold(path: &Path) -> anyhow::Result<GoldText> {
    let data = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read treebank {}", path.display()))?;
    parse_gold(&data).with_context(|| format!("in treebank {}", path.display()))
}

/// Parse CoNLL-U text (see [`read_gold`]).
pub fn parse_gold(data: &str) -> anyhow::Result<GoldText> {
    let mut g = GoldText::default();
    let mut new_par = true;
    // State of the current sentence.
    let mut sent_base: Option<usize> = None; // byte offset of the sentence text
    let mut cursor = 0usize; // absolute offset in g.text
    let mut first_word = usize::MAX;
    let mut last_word = 0usize;
    // Remaining words of a multi-word token: (last id, span end).
    let mut mwt: Option<(u32, usize)> = None;

    let finish = |g: &mut GoldText, first: &mut usize, last: &mut usize| {
        if *first != usize::MAX {
            g.sentences.push((*first, *last));
        }
        *first = usize::MAX;
        *last = 0;
    };

    for (lineno, line) in data.lines().enumerate() {
        let lineno = lineno + 1;
        if let Some(rest) = line.strip_prefix('#') {
            let rest = rest.trim_start();
            if rest.starts_with("newdoc") || rest.starts_with("newpar") {
                new_par = true;
            } else if let Some(t) = rest.strip_prefix("text =") {
                let t = t.trim();
                if !g.text.is_empty() {
                    g.text.push_str(if new_par { "\n\n" } else { " " });
                }
                new_par = false;
                sent_base = Some(g.text.len());
                cursor = g.text.len();
                g.text.push_str(t);
            }
            continue;
        }
        if line.trim().is_empty() {
            finish(&mut g, &mut first_word, &mut last_word);
            sent_base = None;
            mwt = None;
            continue;
        }
        let mut cols = line.split('\t');
        let id = cols.next().unwrap_or("");
        let form = cols.next().unwrap_or("");
        if id.contains('.') {
            continue; // empty nodes have no surface
        }
        if sent_base.is_none() {
            anyhow::bail!("line {lineno}: token line before a '# text =' line");
        }
        if let Some((a, b)) = id.split_once('-') {
            let (_, b): (u32, u32) = (
                a.parse()
                    .with_context(|| format!("line {lineno}: bad id '{id}'"))?,
                b.parse()
                    .with_context(|| format!("line {lineno}: bad id '{id}'"))?,
            );
            let (s, e, ok) = locate(&g.text, cursor, form);
            if !ok {
                g.unaligned_words += 1;
            }
            mwt = Some((b, e));
            cursor = s;
            continue;
        }
        let id_num: u32 = id
            .parse()
            .with_context(|| format!("line {lineno}: bad id '{id}'"))?;
        let (s, e) = match mwt {
            Some((last, span_end)) if id_num <= last => {
                // A word inside a multi-word token: its characters if they are
                // there, else the rest of the token (`n't` for `nt`).
                let (s, e, ok) = locate(&g.text[..span_end], cursor, form);
                let (s, e) = if ok && e <= span_end {
                    (s, e)
                } else {
                    g.unaligned_words += 1;
                    (cursor.min(span_end), span_end)
                };
                if id_num == last {
                    mwt = None;
                    (s, span_end.max(e))
                } else {
                    (s, e)
                }
            }
            _ => {
                let (s, e, ok) = locate(&g.text, cursor, form);
                if !ok {
                    g.unaligned_words += 1;
                }
                (s, e)
            }
        };
        if s < e {
            g.words.push((s, e));
            first_word = first_word.min(s);
            last_word = last_word.max(e);
        }
        cursor = e;
    }
    finish(&mut g, &mut first_word, &mut last_word);
    Ok(g)
}

/// Find `form` in `text` at `cursor` after whitespace; returns (start, end, found).
/// When the form is not there verbatim, it takes as many characters as the form has.
fn locate(text: &str, cursor: usize, form: &str) -> (usize, usize, bool) {
    let cursor = cursor.min(text.len());
    let rest = &text[cursor..];
    let skipped = rest.len() - rest.trim_start().len();
    let s = cursor + skipped;
    if text[s..].starts_with(form) {
        return (s, s + form.len(), true);
    }
    let n = form.chars().count();
    let e = text[s..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| s + i);
    (s, e, false)
}

/// Count of equal elements in two sorted span lists.
fn matches(gold: &[(usize, usize)], pred: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < gold.len() && j < pred.len() {
        match gold[i].cmp(&pred[j]) {
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    n
}

/// Score [`crate::segment`] (the embedded model) on a CoNLL-U file.
pub fn eval_conllu(path: &Path) -> anyhow::Result<SegmentationScores> {
    eval_conllu_with(crate::Segmenter::embedded(), path)
}

/// Score any [`crate::Segmenter`] (e.g. a retrained model) on a CoNLL-U file.
pub fn eval_conllu_with(seg: &crate::Segmenter, path: &Path) -> anyhow::Result<SegmentationScores> {
    let gold = read_gold(path)?;
    Ok(score(seg, &gold, &path.display().to_string()))
}

/// Score a segmenter on rebuilt gold text.
pub fn score(seg: &crate::Segmenter, gold: &GoldText, name: &str) -> SegmentationScores {
    let t0 = Instant::now();
    let sentences = seg.segment(&gold.text);
    let secs = t0.elapsed().as_secs_f64();
    let pred_s: Vec<(usize, usize)> = sentences.iter().map(|s| (s.start, s.end)).collect();
    let pred_w: Vec<(usize, usize)> = sentences
        .iter()
        .flat_map(|s| s.tokens.iter().map(|t| (t.start, t.end)))
        .collect();
    let mut gold_s = gold.sentences.clone();
    gold_s.sort_unstable();
    let mut gold_w = gold.words.clone();
    gold_w.sort_unstable();
    SegmentationScores {
        file: name.to_string(),
        tokens: Prf::from_counts(gold_w.len(), pred_w.len(), matches(&gold_w, &pred_w)),
        sentences: Prf::from_counts(gold_s.len(), pred_s.len(), matches(&gold_s, &pred_s)),
        bytes: gold.text.len(),
        bytes_per_second: if secs > 0.0 {
            gold.text.len() as f64 / secs
        } else {
            0.0
        },
        unaligned_words: gold.unaligned_words,
    }
}

/// `dyad eval segment FILE`: score sentence splitting and tokenisation on a
/// CoNLL-U treebank.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalSegmentArgs {
    /// CoNLL-U file with `# text` lines (e.g. en_ewt-ud-test.conllu).
    pub file: PathBuf,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Run [`eval_conllu`] and print a table (or JSON) to stdout.
pub fn run_eval(args: &EvalSegmentArgs) -> anyhow::Result<()> {
    let s = eval_conllu(&args.file)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    println!("{}", format_table(&s));
    Ok(())
}

/// Human-readable score table.
pub fn format_table(s: &SegmentationScores) -> String {
    let row = |name: &str, p: &Prf| {
        format!(
            "{name:<10} {:>8} {:>9} {:>8} {:>9.2} {:>8.2} {:>8.2}\n",
            p.gold,
            p.predicted,
            p.correct,
            100.0 * p.precision,
            100.0 * p.recall,
            100.0 * p.f1
        )
    };
    let mut out = format!("segmentation scores for {}\n", s.file);
    out.push_str(&format!(
        "{:<10} {:>8} {:>9} {:>8} {:>9} {:>8} {:>8}\n",
        "", "gold", "predicted", "correct", "precision", "recall", "F1"
    ));
    out.push_str(&row("tokens", &s.tokens));
    out.push_str(&row("sentences", &s.sentences));
    out.push_str(&format!(
        "{} bytes, {:.1} MB/s, {} gold words not found verbatim",
        s.bytes,
        s.bytes_per_second / 1e6,
        s.unaligned_words
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "# newdoc id = d1\n# newpar id = p1\n# sent_id = 1\n# text = I don't know.\n\
1\tI\t_\n2-3\tdon't\t_\n2\tdo\t_\n3\tn't\t_\n4\tknow\t_\n5\t.\t_\n\n\
# sent_id = 2\n# text = Fine.\n1\tFine\t_\n2\t.\t_\n\n\
# newpar id = p2\n# sent_id = 3\n# text = Dont go\n1-2\tDont\t_\n1\tDo\t_\n2\tnt\t_\n3\tgo\t_\n\n";

    #[test]
    fn rebuilds_text_and_spans() {
        let g = parse_gold(SAMPLE).unwrap();
        assert_eq!(g.text, "I don't know. Fine.\n\nDont go");
        let words: Vec<&str> = g.words.iter().map(|&(s, e)| &g.text[s..e]).collect();
        assert_eq!(
            words,
            ["I", "do", "n't", "know", ".", "Fine", ".", "Do", "nt", "go"]
        );
        let sents: Vec<&str> = g.sentences.iter().map(|&(s, e)| &g.text[s..e]).collect();
        assert_eq!(sents, ["I don't know.", "Fine.", "Dont go"]);
        let s = score(crate::Segmenter::embedded(), &g, "sample");
        assert_eq!(s.tokens.correct, 10);
        assert_eq!(s.sentences.correct, 3);
        assert!((s.tokens.f1 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn prf_handles_zero() {
        let p = Prf::from_counts(0, 0, 0);
        assert_eq!(p.f1, 0.0);
        let p = Prf::from_counts(4, 2, 2);
        assert!((p.precision - 1.0).abs() < 1e-9);
        assert!((p.recall - 0.5).abs() < 1e-9);
    }

    #[test]
    fn bad_id_is_an_error_with_line() {
        let err = parse_gold("# text = a\nx\ta\n").unwrap_err();
        assert!(format!("{err:#}").contains("line 2"));
    }

    #[test]
    fn ewt_test_scores_when_available() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/ud-english-ewt/en_ewt-ud-test.conllu");
        if !path.exists() {
            eprintln!("skipping: {} not found", path.display());
            return;
        }
        let s = eval_conllu(&path).unwrap();
        eprintln!("{}", format_table(&s));
        assert!(s.tokens.f1 > 0.97, "token F1 {}", s.tokens.f1);
        assert!(s.sentences.f1 > 0.80, "sentence F1 {}", s.sentences.f1);
    }
}
