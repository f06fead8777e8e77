//! Training the boundary model on CoNLL-U treebanks (deterministic).

use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use crate::eval::{read_gold, score, GoldText};
use crate::model::{self, FeatMap, Model};
use crate::{segmenter, tokenizer, Segmenter};

/// What [`train_segmenter`] did.
#[derive(Debug, Clone, Serialize)]
pub struct TrainReport {
    pub examples: usize,
    pub positives: usize,
    pub epochs: usize,
    /// Number of bagged perceptrons (one per shuffle seed).
    pub seeds: usize,
    pub threshold: f32,
    pub features: usize,
    pub model_bytes: usize,
    /// Sentence F1 on dev with the saved model.
    pub dev_sentence_f1: f64,
    pub dev_token_f1: f64,
}

struct Example {
    feats: Vec<u32>,
    positive: bool,
}

/// Candidate gaps of a treebank with gold labels.
fn examples(gold: &GoldText) -> Vec<Example> {
    let text = gold.text.as_str();
    let mut tokens = Vec::new();
    tokenizer::tokenize_range(text, 0, text.len(), &mut tokens);
    let hard = segmenter::line_ends(text, &tokens);
    let info = model::infos(&tokens);
    let dist = model::distances_to_break(&hard);
    let from = model::distances_from_break(&hard);
    let inside = model::bracketed(&tokens, &hard);
    let mut gold_ends: Vec<usize> = gold.sentences.iter().map(|s| s.1).collect();
    gold_ends.sort_unstable();
    let is_end = |off: usize| gold_ends.binary_search(&off).is_ok();
    let mut out = Vec::new();
    let mut feats = Vec::new();
    for k in 0..tokens.len() {
        if hard[k] {
            continue;
        }
        let positive = is_end(tokens[k].end);
        if model::abbreviation_rule(&tokens, &info, k).is_none()
            && model::is_candidate(&tokens, &info, &inside, k)
        {
            let gap = segmenter::gap(text, tokens[k].end, tokens[k + 1].start);
            model::features(&info, k, gap, (dist[k], from[k]), &mut feats);
            out.push(Example {
                feats: feats.clone(),
                positive,
            });
        }
    }
    out
}

/// Averaged perceptron state (lazy averaging: `avg = w - u / c`).
#[derive(Default)]
struct Perceptron {
    w: FeatMap<f32>,
    u: FeatMap<f64>,
    c: f64,
}

impl Perceptron {
    fn score(&self, feats: &[u32]) -> f32 {
        feats.iter().filter_map(|f| self.w.get(f)).sum()
    }

    fn update(&mut self, feats: &[u32], y: f32) {
        for &f in feats {
            *self.w.entry(f).or_insert(0.0) += y;
            *self.u.entry(f).or_insert(0.0) += self.c * f64::from(y);
        }
    }

    fn averaged(&self, threshold: f32) -> Model {
        let mut weights = FeatMap::default();
        for (&f, &w) in &self.w {
            let a = f64::from(w) - self.u.get(&f).copied().unwrap_or(0.0) / self.c.max(1.0);
            if a.abs() > 1e-6 {
                weights.insert(f, a as f32);
            }
        }
        Model { weights, threshold }
    }
}

/// Deterministic xorshift for shuffling.
fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

fn dev_f1(model: &Model, dev: &GoldText) -> (f64, f64) {
    let seg = Segmenter::with_model(model.clone());
    let s = score(&seg, dev, "dev");
    (s.sentences.f1, s.tokens.f1)
}

/// Train the boundary model on `train`, choose the epoch and threshold on `dev`,
/// and write the model to `out`. Deterministic: same inputs, same bytes.
pub fn train_segmenter(train: &Path, dev: &Path, out: &Path) -> anyhow::Result<TrainReport> {
    const EPOCHS: usize = 8;
    const SEEDS: usize = 9;
    let train_gold = read_gold(train)?;
    let dev_gold = read_gold(dev)?;
    let data = examples(&train_gold);
    anyhow::ensure!(
        !data.is_empty(),
        "no training examples in {}",
        train.display()
    );
    let positives = data.iter().filter(|e| e.positive).count();

    // Bagging over shuffles: each seed trains an averaged perceptron for a fixed
    // number of epochs; the saved model averages them, which steadies the
    // decisions. Only the threshold is tuned on dev.
    let mut sum: FeatMap<f32> = FeatMap::default();
    for seed in 0..SEEDS as u64 {
        let mut p = Perceptron::default();
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (seed.wrapping_mul(0xA24B_AED4_963E_E407) | 1);
        for _ in 0..EPOCHS {
            for i in (1..order.len()).rev() {
                let j = (xorshift(&mut rng) % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            for &i in &order {
                let ex = &data[i];
                let pred = p.score(&ex.feats) > 0.0;
                if pred != ex.positive {
                    p.update(&ex.feats, if ex.positive { 1.0 } else { -1.0 });
                }
                p.c += 1.0;
            }
        }
        for (f, w) in p.averaged(0.0).weights {
            *sum.entry(f).or_insert(0.0) += w / SEEDS as f32;
        }
    }
    let mut model = Model {
        weights: sum,
        threshold: 0.0,
    };
    // Threshold on dev: a small grid around 0, in units of the mean |weight|.
    let unit = {
        let n = model.weights.len().max(1) as f32;
        model.weights.values().map(|w| w.abs()).sum::<f32>() / n
    };
    let mut best_t = (f64::MIN, 0.0f32);
    for step in -16i32..=16 {
        model.threshold = unit * step as f32 * 0.125;
        let (f1, _) = dev_f1(&model, &dev_gold);
        if f1 > best_t.0 {
            best_t = (f1, model.threshold);
        }
    }
    model.threshold = best_t.1;
    let bytes = model.to_bytes();
    // Score what was saved (quantised), not the float model.
    let saved = Model::from_bytes(&bytes).context("re-reading the trained model")?;
    let (dev_sentence_f1, dev_token_f1) = dev_f1(&saved, &dev_gold);
    std::fs::write(out, &bytes).with_context(|| format!("cannot write model {}", out.display()))?;
    Ok(TrainReport {
        examples: data.len(),
        positives,
        epochs: EPOCHS,
        seeds: SEEDS,
        threshold: model.threshold,
        features: saved.weights.len(),
        model_bytes: bytes.len(),
        dev_sentence_f1,
        dev_token_f1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small CoNLL-U treebank of invented sentences, two per paragraph.
    fn treebank(n: usize) -> String {
        const SUBJECTS: &[&str] = &[
            "The minister",
            "Officials",
            "Mr. Smith",
            "The U.N. envoy",
            "Rebels",
        ];
        const VERBS: &[&str] = &["met", "criticised", "thanked", "visited", "warned"];
        const OBJECTS: &[&str] = &[
            "the council",
            "Gen. Lee",
            "the U.S. delegation",
            "villagers",
            "reporters",
        ];
        let mut out = String::new();
        for i in 0..n {
            if i % 2 == 0 {
                out.push_str(&format!("# newpar id = p{i}\n"));
            }
            let line = format!(
                "{} {} {} on Sept. {} .",
                SUBJECTS[i % 5],
                VERBS[(i / 5) % 5],
                OBJECTS[(i / 2) % 5],
                i % 28 + 1
            );
            let words: Vec<&str> = line.split(' ').collect();
            let text = words.join(" ").replace(" .", ".");
            out.push_str(&format!("# sent_id = s{i}\n# text = {text}\n"));
            for (k, w) in words.iter().enumerate() {
                out.push_str(&format!("{}\t{w}\t_\t_\t_\t_\t_\t_\t_\t_\n", k + 1));
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn training_is_deterministic_and_learns_boundaries() {
        let dir = std::env::temp_dir().join(format!("dyad-tokenize-train-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (train, dev) = (dir.join("train.conllu"), dir.join("dev.conllu"));
        std::fs::write(&train, treebank(120)).unwrap();
        std::fs::write(&dev, treebank(30)).unwrap();
        let (a, b) = (dir.join("a.bin"), dir.join("b.bin"));
        let report = train_segmenter(&train, &dev, &a).unwrap();
        train_segmenter(&train, &dev, &b).unwrap();
        let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(ba, bb, "training must be deterministic");
        assert_eq!(report.model_bytes, ba.len());
        assert!(report.dev_sentence_f1 > 0.9, "{report:?}");
        let seg = Segmenter::from_bytes(&ba).unwrap();
        let text = "Rebels warned villagers on Sept. 9. The minister met Gen. Lee on Sept. 2.";
        let sents: Vec<&str> = seg.segment(text).iter().map(|s| s.text(text)).collect();
        assert_eq!(
            sents,
            [
                "Rebels warned villagers on Sept. 9.",
                "The minister met Gen. Lee on Sept. 2."
            ]
        );
        let missing = train_segmenter(&dir.join("none.conllu"), &dev, &a).unwrap_err();
        assert!(format!("{missing:#}").contains("none.conllu"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
