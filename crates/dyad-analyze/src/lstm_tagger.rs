//! The accurate pipeline's tagger: a two-layer BiLSTM over word, GloVe, affix
//! and word-shape embeddings that predicts each word's joint UPOS|XPOS tag.
//!
//! It reads the whole sentence in both directions before it tags a word, which
//! the greedy perceptron ([`crate::tagger`]) cannot, and it shares the GloVe
//! vectors and word vocabulary of the accurate parser: both live in
//! `models/biaffine.bin` (tensors `tag.*`, metadata `tagger_*`), written by
//! `scripts/train-lstm-tagger.py`. About 1 M multiply-adds a word, so it runs
//! with the accurate parser only ([`crate::ParserChoice::Accurate`]).

use std::collections::HashMap;
use std::sync::Arc;

use crate::model_io::ModelError;
use crate::nn::{
    corrupt, gemm_q, meta_usize, open_weights, vocabulary, BiLstm, Dense, LstmScratch, Matrix,
    Reader, WordVectors,
};
use crate::tagger::VerbClasses;

// Rows of the affix table: 1 unknown, then the affixes.
const AFFIX_UNK: u32 = 1;
const FIRST_AFFIX: u32 = 2;
/// Suffixes of 1 to 4 letters, then prefixes of 1 to 3.
const AFFIXES: usize = 7;
const SHAPES: usize = 32;

/// The trained BiLSTM tagger.
#[derive(Clone, Debug)]
pub struct LstmTagger {
    vectors: Arc<WordVectors>,
    affixes: HashMap<String, u32>,
    /// (UPOS, XPOS) per class id.
    pub classes: Vec<(String, String)>,
    word_emb: Matrix,
    affix_emb: Matrix,
    shape_emb: Matrix,
    lstm: BiLstm,
    out: Dense,
    verbs: FiniteVerbRepair,
}

/// The finite-verb repair, as in the perceptron tagger ([`VerbClasses`]):
/// the BiLSTM reads some headline-like news sentences ("Turkish troops
/// shelled positions held by militias.") as a noun phrase with reduced
/// relatives, VBN throughout, and the parser then has no verb to hang the
/// sentence on. A sentence ending in a full stop needs a finite verb; when it
/// has none, the VBN that came closest to VBD becomes VBD.
#[derive(Clone, Debug, Default)]
struct FiniteVerbRepair(VerbClasses);

/// Largest VBN-over-VBD logit margin the repair overrides. Chosen on EWT dev:
/// at 5 the tags score the same and the accurate parser gains 0.09 UAS; at 10
/// or without a limit, XPOS loses 0.04-0.05.
const REPAIR_MARGIN: f32 = 5.0;

impl FiniteVerbRepair {
    fn new(classes: &[(String, String)]) -> FiniteVerbRepair {
        FiniteVerbRepair(VerbClasses::new(classes))
    }

    /// Repair `tags` given the logits of its words (rows of `n` classes).
    fn apply(&self, tags: &mut [u16], logits: &[f32], n: usize) {
        let v = &self.0;
        let (Some(vbd), Some(vbn)) = (v.vbd, v.vbn) else {
            return;
        };
        if !v.lacks_finite_verb(tags) {
            return;
        }
        let (vbd, vbn) = (vbd as usize, vbn as usize);
        let best = tags
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c as usize == vbn)
            .map(|(i, _)| (i, logits[i * n + vbn] - logits[i * n + vbd]))
            .filter(|&(_, m)| m <= REPAIR_MARGIN)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = best {
            tags[i] = vbd as u16;
        }
    }
}

/// Reusable buffers for [`LstmTagger::tag_batch`].
#[derive(Default)]
pub struct LstmTaggerScratch {
    x: Vec<f32>,
    lstm: LstmScratch,
    spans: Vec<(usize, usize)>,
    logits: Vec<f32>,
    lower: String,
    affix: String,
}

/// The shape class of a word, as scripts/train-lstm-tagger.py computes it:
/// no letters (with or without a digit), lowercase, capitalised, all
/// capitals or mixed; plus whether it comes first and whether it has a hyphen.
fn shape(word: &str, first: bool) -> usize {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    let k = if letters == 0 {
        if word.bytes().any(|b| b.is_ascii_digit()) {
            1
        } else {
            2
        }
    } else if upper == 0 {
        3
    } else if upper == 1 && word.chars().next().is_some_and(char::is_uppercase) {
        4
    } else if upper == letters {
        5
    } else {
        6
    };
    2 * k + first as usize + if word.contains('-') { 16 } else { 0 }
}

/// The word's 1- to 4-letter suffixes and 1- to 3-letter prefixes (by
/// characters; the whole word when it is shorter), of its lowercased form.
fn affixes(lower: &str, buf: &mut String, mut each: impl FnMut(&str)) {
    let n = lower.chars().count();
    for k in 1..=4 {
        let start = lower
            .char_indices()
            .nth(n.saturating_sub(k))
            .map_or(0, |(i, _)| i);
        each(&lower[start..]);
    }
    for k in 1..=3 {
        buf.clear();
        buf.extend(lower.chars().take(k));
        each(buf);
    }
}

impl LstmTagger {
    /// The tagger stored in the accurate parser's model file, or `None` when
    /// the file has none; `file` names it in errors.
    pub fn decode(file: &str, bytes: &[u8]) -> Result<Option<LstmTagger>, ModelError> {
        let (meta, r) = open_weights(file, bytes)?;
        LstmTagger::from_weights(&meta, &r, &Arc::new(WordVectors::read(&meta, &r)?))
    }

    /// The tagger in an opened model file ([`crate::nn::open_weights`]), or
    /// `None` when it has none.
    pub(crate) fn from_weights(
        meta: &HashMap<String, String>,
        r: &Reader,
        vectors: &Arc<WordVectors>,
    ) -> Result<Option<LstmTagger>, ModelError> {
        let file = r.file;
        if !meta.contains_key("tagger_classes") {
            return Ok(None);
        }
        let layers = meta_usize(file, meta, "tagger_layers")?;
        let hidden = meta_usize(file, meta, "tagger_hidden")?;
        let (affix_list, affixes) = vocabulary(file, meta, "tagger_affixes", FIRST_AFFIX)?;
        let (class_lines, _) = vocabulary(file, meta, "tagger_classes", 0)?;
        let classes = class_lines
            .iter()
            .map(|l| {
                l.split_once('\t')
                    .map(|(u, x)| (u.to_string(), x.to_string()))
                    .ok_or_else(|| {
                        corrupt(file, format!("tagger class {l:?} is not UPOS<tab>XPOS"))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let word_emb = r.quantised("tag.wemb.weight", &[Some(vectors.word_rows), None])?;
        let affix_emb = r.quantised(
            "tag.aemb.weight",
            &[Some(affix_list.len() + FIRST_AFFIX as usize), None],
        )?;
        let shape_emb = r.quantised("tag.semb.weight", &[Some(SHAPES), None])?;
        let input = word_emb.cols + vectors.glove.cols + AFFIXES * affix_emb.cols + shape_emb.cols;
        let lstm = BiLstm::read(r, "tag.lstm.", layers, hidden, input)?;
        let out = r.dense("tag.out", classes.len(), 2 * hidden)?;
        Ok(Some(LstmTagger {
            verbs: FiniteVerbRepair::new(&classes),
            vectors: Arc::clone(vectors),
            affixes,
            classes,
            word_emb,
            affix_emb,
            shape_emb,
            lstm,
            out,
        }))
    }

    fn input_width(&self) -> usize {
        self.word_emb.cols
            + self.vectors.glove.cols
            + AFFIXES * self.affix_emb.cols
            + self.shape_emb.cols
    }

    /// Tag several sentences at once (faster than one by one, with the same
    /// results): `out[i]` gets class ids into [`LstmTagger::classes`] for
    /// the words of `batch[i]`.
    pub fn tag_batch(&self, batch: &[&[&str]], sc: &mut LstmTaggerScratch, out: &mut [Vec<u16>]) {
        debug_assert_eq!(batch.len(), out.len());
        sc.spans.clear();
        sc.x.clear();
        let mut total = 0;
        for forms in batch {
            sc.spans.push((total, forms.len()));
            total += forms.len();
            for (i, f) in forms.iter().enumerate() {
                self.embed(f, i == 0, sc);
            }
        }
        self.lstm
            .encode(&mut sc.x, self.input_width(), &sc.spans, &mut sc.lstm);
        let n = self.classes.len();
        sc.logits.clear();
        sc.logits.resize(total * n, 0.0);
        gemm_q(
            &sc.x,
            total,
            self.out.w.cols,
            &self.out.w,
            &self.out.b,
            &mut sc.logits,
        );
        for (o, &(start, len)) in out.iter_mut().zip(&sc.spans) {
            o.clear();
            o.extend((start..start + len).map(|t| {
                let row = &sc.logits[t * n..(t + 1) * n];
                crate::weights::argmax(row) as u16
            }));
            self.verbs
                .apply(o, &sc.logits[start * n..(start + len) * n], n);
        }
    }

    fn embed(&self, form: &str, first: bool, sc: &mut LstmTaggerScratch) {
        sc.lower.clear();
        sc.lower.extend(form.chars().flat_map(char::to_lowercase));
        let (w, g) = self.vectors.rows(&sc.lower);
        sc.x.extend_from_slice(self.word_emb.row(w as usize));
        sc.x.extend_from_slice(self.vectors.glove.row(g as usize));
        let (x, table, index) = (&mut sc.x, &self.affix_emb, &self.affixes);
        affixes(&sc.lower, &mut sc.affix, |a| {
            let id = index.get(a).copied().unwrap_or(AFFIX_UNK);
            x.extend_from_slice(table.row(id as usize));
        });
        sc.x.extend_from_slice(self.shape_emb.row(shape(form, first)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biaffine::tests::{tiny_model, TINY_CLASSES};

    #[test]
    fn shape_classes_match_the_training_script() {
        // Values as scripts/train-lstm-tagger.py's `shape` gives them.
        for (word, first, want) in [
            ("Damascus", false, 8),
            ("Damascus", true, 9),
            ("UN", false, 10),
            ("iPhone", false, 12),
            ("rebels", false, 6),
            ("1,200", false, 2),
            (",", false, 4),
            ("well-known", false, 22),
            ("İstanbul", false, 8),
            ("", false, 4),
        ] {
            assert_eq!(shape(word, first), want, "{word:?}");
        }
    }

    #[test]
    fn affixes_are_by_characters_and_whole_words_when_short() {
        let mut got = Vec::new();
        let mut buf = String::new();
        affixes("forces", &mut buf, |a| got.push(a.to_string()));
        assert_eq!(got, ["s", "es", "ces", "rces", "f", "fo", "for"]);
        got.clear();
        affixes("ab", &mut buf, |a| got.push(a.to_string()));
        assert_eq!(got, ["b", "ab", "ab", "ab", "a", "ab", "ab"]);
        got.clear();
        affixes("şam", &mut buf, |a| got.push(a.to_string()));
        assert_eq!(got, ["m", "am", "şam", "şam", "ş", "şa", "şam"]);
        got.clear();
        affixes("", &mut buf, |a| got.push(a.to_string()));
        assert_eq!(got, ["", "", "", "", "", "", ""]);
    }

    #[test]
    fn a_file_without_a_tagger_has_none_and_one_with_it_decodes() {
        let bare = crate::biaffine::tests::tiny_model_bytes(None);
        assert!(LstmTagger::decode("p.bin", &bare).expect("reads").is_none());
        let t = LstmTagger::decode("p.bin", &tiny_model(None, true))
            .expect("reads")
            .expect("has a tagger");
        assert_eq!(t.classes.len(), TINY_CLASSES.len());
        assert_eq!(t.classes[2], ("VERB".to_string(), "VBD".to_string()));
    }

    #[test]
    fn a_batch_tags_like_its_sentences_one_by_one() {
        let t = LstmTagger::decode("p.bin", &tiny_model(None, true))
            .expect("reads")
            .expect("has a tagger");
        let sents: [&[&str]; 3] = [
            &["The", "envoy", "met", "rebels", "."],
            &["Rebels"],
            &[
                "İstanbul",
                "\u{0}",
                "日本語",
                "well-known",
                "1,200",
                "forces",
            ],
        ];
        let mut sc = LstmTaggerScratch::default();
        let mut together = vec![Vec::new(); sents.len()];
        t.tag_batch(&sents, &mut sc, &mut together);
        for (s, want) in sents.iter().zip(&together) {
            assert_eq!(want.len(), s.len());
            assert!(want.iter().all(|&c| (c as usize) < t.classes.len()));
            let mut alone = vec![Vec::new()];
            t.tag_batch(&[s], &mut sc, &mut alone);
            assert_eq!(&alone[0], want, "{s:?}");
        }
        let mut none: Vec<Vec<u16>> = Vec::new();
        t.tag_batch(&[], &mut sc, &mut none);
    }

    #[test]
    fn a_sentence_without_a_finite_verb_gets_its_closest_vbn_as_vbd() {
        let classes: Vec<(String, String)> = [
            ("NOUN", "NNS"),
            ("VERB", "VBD"),
            ("VERB", "VBN"),
            ("PUNCT", "."),
            ("VERB", "VBZ"),
        ]
        .iter()
        .map(|(u, x)| (u.to_string(), x.to_string()))
        .collect();
        let r = FiniteVerbRepair::new(&classes);
        let n = classes.len();
        // "Troops shelled positions held ." with both verbs read as VBN;
        // "shelled" beat VBD by 1, "held" by 3.
        let mut logits = vec![0.0f32; 5 * n];
        logits[n + 2] = 1.0;
        logits[3 * n + 2] = 3.0;
        let mut tags = vec![0u16, 2, 0, 2, 3];
        r.apply(&mut tags, &logits, n);
        assert_eq!(tags, [0, 1, 0, 2, 3]);
        // Left alone: a finite verb already there, no full stop, too wide a margin.
        let mut tags = vec![0u16, 2, 4, 2, 3];
        r.apply(&mut tags, &logits, n);
        assert_eq!(tags, [0, 2, 4, 2, 3]);
        let mut tags = vec![0u16, 2, 0, 2, 0];
        r.apply(&mut tags, &logits, n);
        assert_eq!(tags, [0, 2, 0, 2, 0]);
        logits[n + 2] = REPAIR_MARGIN + 1.0;
        logits[3 * n + 2] = REPAIR_MARGIN + 2.0;
        let mut tags = vec![0u16, 2, 0, 2, 3];
        r.apply(&mut tags, &logits, n);
        assert_eq!(tags, [0, 2, 0, 2, 3]);
    }

    #[test]
    fn a_broken_tagger_is_named_with_the_file_and_tensor() {
        let e = LstmTagger::decode("b.bin", &tiny_model(Some("tag.out.weight"), true))
            .expect_err("a tensor is missing");
        let msg = e.to_string();
        assert!(
            msg.contains("b.bin") && msg.contains("tag.out.weight"),
            "{msg}"
        );
        assert!(msg.contains("train-biaffine.py"), "{msg}");
    }
}
