//! dyad-analyze: English POS tagging, lemmatisation, morphological features
//! and UD dependency parsing, trained in-project on UD English-EWT.
//!
//! # API
//! - [`Analyzer`]: `load_default() -> Result<Analyzer, ModelError>` (models embedded at
//!   build time; `$DYAD_MODEL_DIR` overrides), `load_dir(&Path)`, `from_bytes(..)`,
//!   `annotate_sentence(&self, &mut Sentence)` (fills upos, xpos, lemma, feats, head
//!   (1-based, 0 = root), deprel), `annotate(&self, &mut Document)`,
//!   `annotate_sentences` (the accurate parser batches them), `annotate_parallel` (rayon
//!   over chunks of sentences), `tag_sentence` (no parse), `with_parser(ParserChoice, dir)`.
//! - [`write_conllu`]`(&Document, &mut impl Write)`, [`conllu::read_conllu`],
//!   [`conllu::parse_conllu`], [`conllu::to_document`].
//! - Training: [`train::train_tagger`], [`train::train_lemmatizer`],
//!   [`train::train_parser`]; CLI glue [`TrainArgs`] + [`run_train`]
//!   (`dyad train tagger|lemmatizer|parser|all --train F --dev F --out models`).
//! - Evaluation: [`EvalUdArgs`] + [`run_eval_ud`] (`dyad eval ud FILE [--raw] [--json]`),
//!   [`eval::eval_gold`], [`eval::eval_raw`].
//!
//! Examples (no CLI needed): `examples/train_all.rs` (`train_all all --train F --dev F
//! --out models`), `examples/eval_ud.rs` (`eval_ud FILE [--raw] [--json]`),
//! `examples/bench_analyze.rs` (throughput, used by `bench/analyze.sh`).
//!
//! Models: `models/{tagger,lemmatizer,parser}.bin`, format in [`model_io`]
//! (magic, version, kind, length, checksum). Tagger: greedy averaged perceptron
//! over joint UPOS|XPOS tags. Lemmatiser: exception table + suffix rules.
//! Parser: greedy arc-hybrid, averaged perceptron, dynamic oracle. Accurate pipeline
//! (`models/biaffine.bin`, opt-in with [`ParserChoice::Accurate`]): a BiLSTM tagger
//! ([`lstm_tagger`]) and a BiLSTM + biaffine parser ([`biaffine`]) on its tags, trained with
//! PyTorch by `scripts/train-biaffine.py` and `scripts/train-lstm-tagger.py`, run here with
//! int8 weights and AVX2 kernels (`nn`).
//!
//! Training diagnostics: with `DYAD_PRUNE_SWEEP=0,0.5,1` set, every epoch also
//! logs model size and dev accuracy at each pruning threshold.

pub mod analyzer;
pub mod biaffine;
pub mod cli;
pub mod conllu;
pub mod eval;
pub mod hash;
pub mod lstm_tagger;
pub mod model_io;
pub mod morph;
pub(crate) mod nn;
pub mod parser;
pub mod rng;
pub mod tagger;
pub mod train;
pub mod weights;
pub mod words;

pub use analyzer::{Analyzer, ParserChoice};
pub use cli::{run_eval_ud, run_train, EvalUdArgs, TrainArgs, TrainCommand, TrainOpts};
pub use conllu::write_conllu;
pub use model_io::ModelError;

/// A fresh identity for a loaded or trained model, so per-thread caches
/// keyed by word never mix two models' answers.
pub(crate) fn next_model_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
