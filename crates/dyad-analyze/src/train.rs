//! Training entry points: read CoNLL-U, train, write model files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::analyzer::{self, LEMMATIZER_FILE, PARSER_FILE, TAGGER_FILE};
use crate::conllu::{read_conllu, ConlluSentence};
use crate::morph::Morph;
use crate::parser::{self, ParseExample, ParseTrainOptions};
use crate::tagger::{self, TagScratch, TagTrainOptions, Tagger};

fn read(path: &Path) -> Result<Vec<ConlluSentence>> {
    read_conllu(path).with_context(|| format!("reading training data {}", path.display()))
}

fn write_model(out: &Path, file: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join(file);
    // Write then rename, so an interrupted run never leaves a half-written model.
    let tmp = out.join(format!(".{file}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(path)
}

fn logger() -> impl FnMut(&str) {
    let t0 = std::time::Instant::now();
    move |m: &str| eprintln!("[{:7.1}s] {m}", t0.elapsed().as_secs_f64())
}

/// Train the tagger on `train`, pick the epoch by `dev`, write `out/tagger.bin`.
pub fn train_tagger(
    train: &Path,
    dev: &Path,
    out: &Path,
    seed: u64,
    epochs: usize,
    prune: f32,
) -> Result<Tagger> {
    let (tr, dv) = (read(train)?, read(dev)?);
    let opts = TagTrainOptions {
        seed,
        epochs,
        prune,
        ..Default::default()
    };
    let t = tagger::train(&tr, &dv, &opts, &mut logger());
    let path = write_model(out, TAGGER_FILE, &analyzer::encode_tagger(&t))?;
    eprintln!("wrote {}", path.display());
    Ok(t)
}

/// Train the lemmatiser/feature tables on `train`, report dev lemma accuracy
/// (gold tags), write `out/lemmatizer.bin`.
pub fn train_lemmatizer(train: &Path, dev: &Path, out: &Path) -> Result<Morph> {
    let (tr, dv) = (read(train)?, read(dev)?);
    let m = Morph::train(&tr);
    let (mut ok, mut fok, mut n) = (0usize, 0usize, 0usize);
    let mut buf = String::new();
    for s in &dv {
        for w in &s.words {
            n += 1;
            ok += (m.lemma(&w.form, &w.upos, &w.xpos, &mut buf) == w.lemma) as usize;
            fok += (m.feats(&w.form, &w.upos, &w.xpos, &mut buf) == w.feats) as usize;
        }
    }
    eprintln!(
        "lemmatizer: dev lemma {:.2}%, feats {:.2}% (gold tags)",
        100.0 * ok as f64 / n.max(1) as f64,
        100.0 * fok as f64 / n.max(1) as f64
    );
    let path = write_model(out, LEMMATIZER_FILE, &analyzer::encode_morph(&m))?;
    eprintln!("wrote {}", path.display());
    Ok(m)
}

fn predicted_tags(t: &Tagger, sents: &[ConlluSentence]) -> Vec<Vec<(String, String)>> {
    let mut sc = TagScratch::default();
    let mut out = Vec::new();
    sents
        .iter()
        .map(|s| {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            t.tag(&forms, &mut sc, &mut out);
            out.iter().map(|&c| t.classes[c as usize].clone()).collect()
        })
        .collect()
}

/// Options of [`train_parser`] beyond the data paths.
#[derive(Debug, Clone)]
pub struct ParserTrainConfig {
    pub seed: u64,
    pub epochs: usize,
    /// Jackknife folds for predicted training tags (0 or 1 = gold tags).
    pub folds: usize,
    pub tagger_epochs: usize,
    /// Jackknife folds as contiguous blocks instead of every k-th sentence.
    pub contiguous_folds: bool,
    /// Weight pruning threshold of the parser.
    pub prune: f32,
    /// Pruning threshold of a tagger trained here when none exists.
    pub tagger_prune: f32,
}

/// Train the parser on predicted tags (jackknifed over `folds`), tune on dev
/// tagged by `out/tagger.bin` (trained first if absent), write `out/parser.bin`.
pub fn train_parser(
    train: &Path,
    dev: &Path,
    out: &Path,
    cfg: &ParserTrainConfig,
) -> Result<parser::Parser> {
    let (tr, dv) = (read(train)?, read(dev)?);
    let mut log = logger();
    let tagger_path = out.join(TAGGER_FILE);
    let tagger = if tagger_path.is_file() {
        let bytes = std::fs::read(&tagger_path)
            .with_context(|| format!("reading {}", tagger_path.display()))?;
        analyzer::decode_tagger(&tagger_path.display().to_string(), &bytes)?
    } else {
        log("no tagger in the output directory: training one first");
        train_tagger(
            train,
            dev,
            out,
            cfg.seed,
            cfg.tagger_epochs,
            cfg.tagger_prune,
        )?
    };
    let mut train_tags: Vec<Option<Vec<(String, String)>>> = vec![None; tr.len()];
    if cfg.folds > 1 {
        for k in 0..cfg.folds {
            // Interleaved folds share documents with their training data, so
            // held-out tags are a little cleaner than on new text; contiguous
            // blocks are as noisy as new text. Interleaved scored better on dev.
            let (held, rest): (Vec<usize>, Vec<usize>) = (0..tr.len()).partition(|&i| {
                if cfg.contiguous_folds {
                    i * cfg.folds / tr.len().max(1) == k
                } else {
                    i % cfg.folds == k
                }
            });
            let part: Vec<ConlluSentence> = rest.iter().map(|&i| tr[i].clone()).collect();
            let held_s: Vec<ConlluSentence> = held.iter().map(|&i| tr[i].clone()).collect();
            let opts = TagTrainOptions {
                seed: cfg.seed + k as u64,
                epochs: cfg.tagger_epochs,
                prune: cfg.tagger_prune,
                ..Default::default()
            };
            let mut quiet = |_: &str| {};
            // Fold taggers pick their epoch on the dev set, never on held-out data.
            let t = tagger::train(&part, &dv, &opts, &mut quiet);
            let (u, x, _) = tagger::accuracy(&t, &held_s);
            log(&format!(
                "jackknife fold {}/{}: held-out UPOS {:.2}% XPOS {:.2}%",
                k + 1,
                cfg.folds,
                100.0 * u,
                100.0 * x
            ));
            for (i, tags) in held.iter().zip(predicted_tags(&t, &held_s)) {
                train_tags[*i] = Some(tags);
            }
        }
    }
    let train_ex: Vec<ParseExample> = tr
        .iter()
        .zip(&train_tags)
        .map(|(s, t)| parser::example(s, t.as_deref()))
        .collect();
    let dev_tags = predicted_tags(&tagger, &dv);
    let dev_ex: Vec<ParseExample> = dv
        .iter()
        .zip(&dev_tags)
        .map(|(s, t)| parser::example(s, Some(t)))
        .collect();
    let opts = ParseTrainOptions {
        seed: cfg.seed,
        epochs: cfg.epochs,
        prune: cfg.prune,
        ..Default::default()
    };
    let p = parser::train(&train_ex, &dev_ex, &opts, &mut log);
    let path = write_model(out, PARSER_FILE, &analyzer::encode_parser(&p))?;
    eprintln!("wrote {}", path.display());
    Ok(p)
}
