//! [`Analyzer`]: tagger + lemmatiser/features + parser applied to dyad documents.

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use dyad_core::{Document, Sentence};

use crate::biaffine::{Biaffine, BiaffineScratch, BIAFFINE_FILE, BIAFFINE_KIND};
use crate::hash::HashMap64;
use crate::lstm_tagger::{LstmTagger, LstmTaggerScratch};
use crate::model_io::{self, ModelError};
use crate::morph::Morph;
use crate::parser::{ParseInput, ParseScratch, Parser};
use crate::tagger::{TagScratch, Tagger};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub const TAGGER_FILE: &str = "tagger.bin";
pub const LEMMATIZER_FILE: &str = "lemmatizer.bin";
pub const PARSER_FILE: &str = "parser.bin";

/// Environment variable naming a directory whose models replace the embedded ones.
pub const MODEL_DIR_ENV: &str = "DYAD_MODEL_DIR";

/// Which dependency parser [`Analyzer::annotate_sentence`] uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ParserChoice {
    /// Greedy arc-hybrid perceptron (models/parser.bin).
    #[default]
    Fast,
    /// BiLSTM tagger and BiLSTM + biaffine parser (models/biaffine.bin):
    /// more accurate, much slower; sentences over 200 words still go to the
    /// perceptron tagger and the fast parser.
    Accurate,
}

/// The trained models.
#[derive(Clone)]
pub struct Analyzer {
    pub tagger: Tagger,
    pub morph: Morph,
    pub parser: Parser,
    /// The accurate parser, when chosen ([`Analyzer::with_parser`]).
    pub biaffine: Option<Arc<Biaffine>>,
    /// The BiLSTM tagger stored with it, if its file has one.
    pub lstm_tagger: Option<Arc<LstmTagger>>,
    /// The perceptron tagger's class id for each of the BiLSTM tagger's
    /// classes (`None`: a tag pair the perceptron never saw, whose words keep
    /// the perceptron's tag).
    lstm_classes: Vec<Option<u16>>,
    /// Identity for the per-thread lemma cache (see [`Scratch`]).
    id: u64,
}

#[derive(Default)]
struct Scratch {
    tag: TagScratch,
    classes: Vec<u16>,
    parse: ParseScratch,
    biaffine: BiaffineScratch,
    lstm_tagger: LstmTaggerScratch,
    /// Sentences waiting for the accurate parser, and its output.
    batch: Vec<usize>,
    batch_out: Vec<Vec<(u32, u16)>>,
    batch_tags: Vec<Vec<u16>>,
    input: ParseInput,
    arcs: Vec<(u32, u16)>,
    buf: String,
    /// (tag class, form) → index into `lemmas`: lemma and FEATS depend on
    /// nothing else, and news reuses a few thousand of them for most tokens.
    morph_cache: HashMap64<u32>,
    lemmas: Vec<(String, Option<u32>)>,
    /// [`Analyzer`] id the cache was filled by.
    morph_owner: u64,
}

/// Entries a thread's lemma cache holds before it starts over.
const MORPH_CACHE_ENTRIES: usize = 32 * 1024;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

pub fn decode_tagger(file: &str, bytes: &[u8]) -> Result<Tagger, ModelError> {
    let payload = model_io::unseal(file, "tagger", bytes)?;
    Tagger::read(&mut model_io::ByteReader::new(payload)).map_err(|e| ModelError::Corrupt {
        file: file.into(),
        detail: e.to_string(),
        rebuild: model_io::rebuild_command("tagger"),
    })
}

pub fn decode_morph(file: &str, bytes: &[u8]) -> Result<Morph, ModelError> {
    let payload = model_io::unseal(file, "lemmatizer", bytes)?;
    Morph::read(&mut model_io::ByteReader::new(payload)).map_err(|e| ModelError::Corrupt {
        file: file.into(),
        detail: e.to_string(),
        rebuild: model_io::rebuild_command("lemmatizer"),
    })
}

pub fn decode_parser(file: &str, bytes: &[u8]) -> Result<Parser, ModelError> {
    let payload = model_io::unseal(file, "parser", bytes)?;
    Parser::read(&mut model_io::ByteReader::new(payload)).map_err(|e| ModelError::Corrupt {
        file: file.into(),
        detail: e.to_string(),
        rebuild: model_io::rebuild_command("parser"),
    })
}

pub fn decode_biaffine(file: &str, bytes: &[u8]) -> Result<Biaffine, ModelError> {
    Biaffine::decode(file, bytes)
}

pub fn encode_tagger(t: &Tagger) -> Vec<u8> {
    let mut w = model_io::ByteWriter::default();
    t.write(&mut w);
    model_io::seal("tagger", &w.buf)
}

pub fn encode_morph(m: &Morph) -> Vec<u8> {
    let mut w = model_io::ByteWriter::default();
    m.write(&mut w);
    model_io::seal("lemmatizer", &w.buf)
}

pub fn encode_parser(p: &Parser) -> Vec<u8> {
    let mut w = model_io::ByteWriter::default();
    p.write(&mut w);
    model_io::seal("parser", &w.buf)
}

impl Analyzer {
    /// Put trained or decoded models together.
    pub fn new(tagger: Tagger, morph: Morph, parser: Parser) -> Analyzer {
        Analyzer {
            tagger,
            morph,
            parser,
            biaffine: None,
            lstm_tagger: None,
            lstm_classes: Vec::new(),
            id: crate::next_model_id(),
        }
    }

    /// Use `choice`'s parser, loading the accurate one from where
    /// [`Analyzer::load_default`] loads models (`dir` when given).
    pub fn with_parser(
        mut self,
        choice: ParserChoice,
        dir: Option<&Path>,
    ) -> Result<Analyzer, ModelError> {
        self.biaffine = None;
        self.lstm_tagger = None;
        self.lstm_classes.clear();
        if choice == ParserChoice::Fast {
            return Ok(self);
        }
        let dir = dir
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os(MODEL_DIR_ENV).map(Into::into));
        let (name, bytes) = match dir {
            Some(d) => {
                let path = d.join(BIAFFINE_FILE);
                let bytes = model_io::read_file(&path, BIAFFINE_KIND)?;
                (path.display().to_string(), std::borrow::Cow::Owned(bytes))
            }
            None => (
                format!("<embedded>/models/{BIAFFINE_FILE}"),
                std::borrow::Cow::Borrowed(embedded::BIAFFINE),
            ),
        };
        // One file holds both models: open (unseal, checksum, index) it once,
        // and read the word and GloVe tables they share once.
        let (meta, weights) = crate::nn::open_weights(&name, &bytes)?;
        let vectors = Arc::new(crate::nn::WordVectors::read(&meta, &weights)?);
        self.biaffine = Some(Arc::new(Biaffine::from_weights(&meta, &weights, &vectors)?));
        if let Some(t) = LstmTagger::from_weights(&meta, &weights, &vectors)? {
            self.lstm_classes = t
                .classes
                .iter()
                .map(|(u, x)| self.tagger.class_id(u, x))
                .collect();
            self.lstm_tagger = Some(Arc::new(t));
        }
        Ok(self)
    }

    /// The models embedded at build time, or those in `$DYAD_MODEL_DIR` when set.
    pub fn load_default() -> Result<Analyzer, ModelError> {
        if let Some(dir) = std::env::var_os(MODEL_DIR_ENV) {
            return Analyzer::load_dir(Path::new(&dir));
        }
        Analyzer::from_bytes(
            embedded::TAGGER,
            embedded::LEMMATIZER,
            embedded::PARSER,
            "<embedded>",
        )
    }

    /// Load `tagger.bin`, `lemmatizer.bin` and `parser.bin` from a directory.
    pub fn load_dir(dir: &Path) -> Result<Analyzer, ModelError> {
        let path = |f: &str| dir.join(f);
        let t = model_io::read_file(&path(TAGGER_FILE), "tagger")?;
        let m = model_io::read_file(&path(LEMMATIZER_FILE), "lemmatizer")?;
        let p = model_io::read_file(&path(PARSER_FILE), "parser")?;
        let name = |f: &str| path(f).display().to_string();
        Ok(Analyzer::new(
            decode_tagger(&name(TAGGER_FILE), &t)?,
            decode_morph(&name(LEMMATIZER_FILE), &m)?,
            decode_parser(&name(PARSER_FILE), &p)?,
        ))
    }

    /// Decode models from bytes; `origin` names where they came from in errors.
    pub fn from_bytes(
        tagger: &[u8],
        lemmatizer: &[u8],
        parser: &[u8],
        origin: &str,
    ) -> Result<Analyzer, ModelError> {
        let name = |f: &str| format!("{origin}/models/{f}");
        Ok(Analyzer::new(
            decode_tagger(&name(TAGGER_FILE), tagger)?,
            decode_morph(&name(LEMMATIZER_FILE), lemmatizer)?,
            decode_parser(&name(PARSER_FILE), parser)?,
        ))
    }

    /// Fill UPOS, XPOS, lemma and FEATS only, with the perceptron tagger
    /// (the BiLSTM tagger runs in [`Analyzer::annotate_sentences`]).
    pub fn tag_sentence(&self, s: &mut Sentence) {
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let sc = &mut *guard;
            self.tag_with(s, sc);
        })
    }

    fn tag_with(&self, s: &mut Sentence, sc: &mut Scratch) {
        {
            let forms: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
            self.tagger.tag(&forms, &mut sc.tag, &mut sc.classes);
        }
        self.apply_tags(s, sc);
    }

    /// Set UPOS, XPOS, lemma and FEATS from the tagger classes in
    /// `sc.classes`, for the words hashed in `sc.tag.words`.
    #[inline]
    fn apply_tags(&self, s: &mut Sentence, sc: &mut Scratch) {
        if sc.morph_owner != self.id {
            sc.morph_cache.clear();
            sc.lemmas.clear();
            sc.morph_owner = self.id;
        }
        for ((t, &c), w) in s.tokens.iter_mut().zip(&sc.classes).zip(&sc.tag.words) {
            let (u, x) = &self.tagger.classes[c as usize];
            t.upos.clone_from(u);
            t.xpos.clone_from(x);
            let key = crate::hash::f1(c as u64, w.form);
            let i = match sc.morph_cache.get(&key) {
                Some(&i) => i as usize,
                None => {
                    if sc.lemmas.len() >= MORPH_CACHE_ENTRIES {
                        sc.morph_cache.clear();
                        sc.lemmas.clear();
                    }
                    let lemma = self.morph.lemma(&t.form, u, x, &mut sc.buf);
                    let feats = self.morph.feats_id(w.lower, u, x);
                    sc.lemmas.push((lemma, feats));
                    sc.morph_cache.insert(key, (sc.lemmas.len() - 1) as u32);
                    sc.lemmas.len() - 1
                }
            };
            let (lemma, feats) = &sc.lemmas[i];
            t.lemma.clone_from(lemma);
            t.feats.clear();
            t.feats.push_str(self.morph.feats_str(*feats));
        }
    }

    /// Fill upos, xpos, lemma, feats, head (1-based, 0 = root) and deprel of
    /// every token, given their forms.
    pub fn annotate_sentence(&self, s: &mut Sentence) {
        self.annotate_sentences(std::slice::from_mut(s));
    }

    /// [`Analyzer::annotate_sentence`] for several sentences; the accurate
    /// parser takes them in batches, which is faster than one at a time.
    pub fn annotate_sentences(&self, sents: &mut [Sentence]) {
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let sc = &mut *guard;
            sc.batch.clear();
            for (i, s) in sents.iter_mut().enumerate() {
                if s.tokens.is_empty() {
                    continue;
                }
                match &self.biaffine {
                    Some(_) if s.tokens.len() <= crate::biaffine::MAX_WORDS => {
                        // With a BiLSTM tagger, the batch is tagged below.
                        if self.lstm_tagger.is_none() {
                            self.tag_with(s, sc);
                        }
                        sc.batch.push(i);
                    }
                    _ => {
                        self.tag_with(s, sc);
                        self.fast_parse(s, sc);
                    }
                }
            }
            let Some(b) = self.biaffine.as_deref() else {
                return;
            };
            let batch = std::mem::take(&mut sc.batch);
            for chunk in batch.chunks(BIAFFINE_BATCH) {
                if let Some(t) = self.lstm_tagger.as_deref() {
                    self.retag(t, chunk, sents, sc);
                }
                sc.batch_out.resize_with(chunk.len(), Vec::new);
                {
                    let words: Vec<(Vec<&str>, Vec<&str>)> = chunk
                        .iter()
                        .map(|&i| {
                            let t = &sents[i].tokens;
                            (
                                t.iter().map(|t| t.form.as_str()).collect(),
                                t.iter().map(|t| t.xpos.as_str()).collect(),
                            )
                        })
                        .collect();
                    let inputs: Vec<(&[&str], &[&str])> = words
                        .iter()
                        .map(|(f, x)| (f.as_slice(), x.as_slice()))
                        .collect();
                    b.parse_batch(&inputs, &mut sc.biaffine, &mut sc.batch_out[..chunk.len()]);
                }
                for (&i, arcs) in chunk.iter().zip(&sc.batch_out) {
                    for (t, &(h, l)) in sents[i].tokens.iter_mut().zip(arcs) {
                        t.head = Some(h);
                        t.deprel.clone_from(&b.labels[l as usize]);
                    }
                }
            }
            sc.batch = batch;
        })
    }

    /// Tag the sentences `chunk` of `sents` again with the BiLSTM tagger, and
    /// redo their lemmas and features with its tags.
    fn retag(&self, t: &LstmTagger, chunk: &[usize], sents: &mut [Sentence], sc: &mut Scratch) {
        sc.batch_tags.resize_with(chunk.len(), Vec::new);
        {
            let words: Vec<Vec<&str>> = chunk
                .iter()
                .map(|&i| sents[i].tokens.iter().map(|t| t.form.as_str()).collect())
                .collect();
            let inputs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
            t.tag_batch(
                &inputs,
                &mut sc.lstm_tagger,
                &mut sc.batch_tags[..chunk.len()],
            );
        }
        for (k, &i) in chunk.iter().enumerate() {
            let s = &mut sents[i];
            let forms: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
            self.tagger.tag(&forms, &mut sc.tag, &mut sc.classes);
            for (c, &nc) in sc.classes.iter_mut().zip(&sc.batch_tags[k]) {
                if let Some(Some(pc)) = self.lstm_classes.get(nc as usize) {
                    *c = *pc;
                }
            }
            self.apply_tags(s, sc);
        }
    }

    fn fast_parse(&self, s: &mut Sentence, sc: &mut Scratch) {
        sc.input.clear();
        for (t, w) in s.tokens.iter().zip(&sc.tag.words) {
            sc.input.push(w.lower, &t.xpos, &t.upos);
        }
        self.parser.parse(&sc.input, &mut sc.parse, &mut sc.arcs);
        for (t, &(h, l)) in s.tokens.iter_mut().zip(&sc.arcs) {
            t.head = Some(h);
            t.deprel.clone_from(&self.parser.labels[l as usize]);
        }
    }

    /// Annotate every sentence of a (segmented) document.
    pub fn annotate(&self, doc: &mut Document) {
        self.annotate_sentences(&mut doc.sentences);
    }

    /// [`Analyzer::annotate`] with sentences spread over the rayon thread pool.
    pub fn annotate_parallel(&self, doc: &mut Document) {
        use rayon::prelude::*;
        // The accurate parser wants batches; the fast one is per sentence.
        let chunk = if self.biaffine.is_some() {
            BIAFFINE_BATCH
        } else {
            1
        };
        doc.sentences
            .par_chunks_mut(chunk)
            .for_each(|c| self.annotate_sentences(c));
    }
}

/// Sentences the accurate parser takes at once.
const BIAFFINE_BATCH: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse_conllu;
    use crate::parser::{self, ParseTrainOptions};
    use crate::tagger::{self, TagTrainOptions};
    use dyad_core::Token;

    /// A tiny treebank of our own writing, for training round-trip tests.
    const MINI: &str = "\
1\tThe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t2\tdet\t_\t_
2\tenvoy\tenvoy\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_
3\tmet\tmeet\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_
4\trebels\trebel\tNOUN\tNNS\tNumber=Plur\t3\tobj\t_\t_
5\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_
6\tCairo\tCairo\tPROPN\tNNP\tNumber=Sing\t3\tobl\t_\tSpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tSoldiers\tsoldier\tNOUN\tNNS\tNumber=Plur\t2\tnsubj\t_\t_
2\tattacked\tattack\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t4\tdet\t_\t_
4\tvillage\tvillage\tNOUN\tNN\tNumber=Sing\t2\tobj\t_\t_
5\ton\ton\tADP\tIN\t_\t6\tcase\t_\t_
6\tFriday\tFriday\tPROPN\tNNP\tNumber=Sing\t2\tobl\t_\tSpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tThe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t2\tdet\t_\t_
2\tminister\tminister\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_
3\twent\tgo\tVERB\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t0\troot\t_\t_
4\tto\tto\tADP\tIN\t_\t5\tcase\t_\t_
5\tParis\tParis\tPROPN\tNNP\tNumber=Sing\t3\tobl\t_\tSpaceAfter=No
6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_
";

    fn mini_models() -> Analyzer {
        let sents = parse_conllu(MINI, "mini").expect("fixture parses");
        let mut quiet = |_: &str| {};
        let t = tagger::train(
            &sents,
            &sents,
            &TagTrainOptions {
                epochs: 5,
                ..Default::default()
            },
            &mut quiet,
        );
        let m = Morph::train(&sents);
        let ex: Vec<_> = sents.iter().map(|s| parser::example(s, None)).collect();
        let p = parser::train(
            &ex,
            &ex,
            &ParseTrainOptions {
                epochs: 5,
                ..Default::default()
            },
            &mut quiet,
        );
        Analyzer::new(t, m, p)
    }

    fn sentence(words: &[&str]) -> Sentence {
        Sentence {
            start: 0,
            end: 0,
            tokens: words
                .iter()
                .map(|w| Token {
                    form: w.to_string(),
                    ..Default::default()
                })
                .collect(),
        }
    }

    #[test]
    fn model_round_trip_gives_identical_predictions() {
        let a = mini_models();
        let b = Analyzer::from_bytes(
            &encode_tagger(&a.tagger),
            &encode_morph(&a.morph),
            &encode_parser(&a.parser),
            "test",
        )
        .expect("decodes");
        for words in [
            &["The", "envoy", "met", "rebels", "in", "Cairo", "."][..],
            &["Soldiers", "went", "to", "the", "village", "."],
            &["Unseen", "words", "everywhere"],
        ] {
            let (mut x, mut y) = (sentence(words), sentence(words));
            a.annotate_sentence(&mut x);
            b.annotate_sentence(&mut y);
            assert_eq!(x, y);
            assert!(x
                .tokens
                .iter()
                .all(|t| t.head.is_some() && !t.upos.is_empty()));
        }
        // Encoding is deterministic.
        assert_eq!(encode_parser(&a.parser), encode_parser(&b.parser));
        assert_eq!(encode_tagger(&a.tagger), encode_tagger(&b.tagger));
    }

    #[test]
    fn per_thread_caches_never_mix_two_models() {
        let a = mini_models();
        // Same tagger and parser, a lemmatiser that lemmatises "Paris" differently.
        let other = MINI.replace("\tParis\tParis\t", "\tParis\tParis-B\t");
        let m = Morph::train(&parse_conllu(&other, "other").expect("fixture parses"));
        let b = Analyzer::new(a.tagger.clone(), m, a.parser.clone());
        let words = &["The", "envoy", "went", "to", "Paris", "."][..];
        let lemma_of_paris = |an: &Analyzer| {
            let mut s = sentence(words);
            an.annotate_sentence(&mut s);
            s.tokens[4].lemma.clone()
        };
        let first = lemma_of_paris(&a);
        for _ in 0..3 {
            assert_eq!(lemma_of_paris(&a), first);
            assert_eq!(lemma_of_paris(&b), "Paris-B");
        }
        assert_eq!(first, "Paris");
    }

    #[test]
    fn corrupt_and_missing_models_name_the_file_and_the_fix() {
        let a = mini_models();
        let mut t = encode_tagger(&a.tagger);
        let mid = t.len() / 2;
        t[mid] ^= 0x55;
        let e = Analyzer::from_bytes(&t, &encode_morph(&a.morph), &encode_parser(&a.parser), "x")
            .err()
            .expect("corrupt")
            .to_string();
        assert!(
            e.contains("x/models/tagger.bin") && e.contains("dyad train tagger"),
            "{e}"
        );
        let dir = std::env::temp_dir().join(format!("dyad-analyze-missing-{}", std::process::id()));
        let e = Analyzer::load_dir(&dir).err().expect("missing").to_string();
        assert!(
            e.contains("tagger.bin") && e.contains("dyad train tagger"),
            "{e}"
        );
    }

    #[test]
    fn bad_input_does_not_panic_and_stays_linear() {
        let a = mini_models();
        let mut empty = sentence(&[]);
        a.annotate_sentence(&mut empty);
        let mut odd = sentence(&["\u{0}", "", "日本語", "\u{202e}abc", "x\ty", "ß", "🙂"]);
        a.annotate_sentence(&mut odd);
        assert!(odd.tokens.iter().all(|t| t.head.is_some()));
        assert_eq!(odd.tokens.iter().filter(|t| t.head == Some(0)).count(), 1);
        let words: Vec<String> = (0..10_000).map(|i| format!("w{}", i % 97)).collect();
        let refs: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
        let mut long = sentence(&refs);
        let t0 = std::time::Instant::now();
        a.annotate_sentence(&mut long);
        assert!(
            t0.elapsed().as_secs_f64() < 20.0,
            "10,000 tokens took {:?}",
            t0.elapsed()
        );
        let n = long.tokens.len() as u32;
        assert!(long.tokens.iter().all(|t| t.head.is_some_and(|h| h <= n)));
    }

    /// The shipped models on a sentence of our own: key arcs only.
    #[test]
    fn shipped_models_parse_a_news_sentence() {
        let an =
            Analyzer::load_default().expect("models are embedded (run `dyad train all` first)");
        let words = "The Iranian foreign minister met the Syrian president in Damascus on Monday .";
        let mut s = sentence(&words.split(' ').collect::<Vec<_>>());
        an.annotate_sentence(&mut s);
        let t = &s.tokens;
        let idx = |w: &str| t.iter().position(|x| x.form == w).expect("word") as u32 + 1;
        let met = idx("met");
        let arc = |w: &str| {
            let tok = &t[idx(w) as usize - 1];
            (tok.head, tok.deprel.as_str())
        };
        assert_eq!(arc("met"), (Some(0), "root"));
        assert_eq!(arc("minister"), (Some(met), "nsubj"));
        assert_eq!(arc("president"), (Some(met), "obj"));
        assert_eq!(arc("Damascus").0, Some(met));
        assert!(arc("Damascus").1.starts_with("obl"));
        assert_eq!(t[idx("met") as usize - 1].lemma, "meet");
        assert_eq!(t[idx("met") as usize - 1].upos, "VERB");
        assert_eq!(t[idx("Damascus") as usize - 1].upos, "PROPN");
    }

    /// The accurate parser on sentences of our own: key arcs, and the
    /// relation subtypes (passive subject, agent) the coders read.
    #[test]
    fn shipped_accurate_parser_parses_news_sentences() {
        let an = Analyzer::load_default()
            .and_then(|a| a.with_parser(ParserChoice::Accurate, None))
            .expect("models are embedded");
        let arcs = |text: &str| -> Vec<(String, Option<u32>, String)> {
            let mut s = sentence(&text.split(' ').collect::<Vec<_>>());
            an.annotate_sentence(&mut s);
            s.tokens
                .iter()
                .map(|t| (t.form.clone(), t.head, t.deprel.clone()))
                .collect()
        };
        let a =
            arcs("The Iranian foreign minister met the Syrian president in Damascus on Monday .");
        assert_eq!((a[4].1, a[4].2.as_str()), (Some(0), "root"), "{a:?}");
        assert_eq!((a[3].1, a[3].2.as_str()), (Some(5), "nsubj"), "{a:?}");
        assert_eq!((a[7].1, a[7].2.as_str()), (Some(5), "obj"), "{a:?}");
        assert_eq!((a[9].1, a[9].2.as_str()), (Some(5), "obl"), "{a:?}");
        assert_eq!((a[11].1, a[11].2.as_str()), (Some(5), "obl"), "{a:?}");
        let a = arcs("The convoy was attacked by militants near Aleppo .");
        assert_eq!((a[3].1, a[3].2.as_str()), (Some(0), "root"), "{a:?}");
        assert_eq!((a[1].1, a[1].2.as_str()), (Some(4), "nsubj:pass"), "{a:?}");
        assert_eq!((a[2].1, a[2].2.as_str()), (Some(4), "aux:pass"), "{a:?}");
        assert_eq!(a[5].1, Some(4), "{a:?}");
        assert!(a[5].2.starts_with("obl"), "{a:?}");
    }

    /// The accurate pipeline tags with the BiLSTM tagger stored beside its
    /// parser, and lemmatises with those tags.
    #[test]
    fn accurate_pipeline_tags_with_the_lstm_tagger() {
        let mut an = mini_models();
        let bytes = crate::biaffine::tests::tiny_model(None, true);
        an.biaffine = Some(Arc::new(Biaffine::decode("tiny", &bytes).expect("decodes")));
        let t = LstmTagger::decode("tiny", &bytes)
            .expect("reads")
            .expect("has a tagger");
        an.lstm_classes = t
            .classes
            .iter()
            .map(|(u, x)| an.tagger.class_id(u, x))
            .collect();
        assert!(an.lstm_classes.iter().all(Option::is_some));
        an.lstm_tagger = Some(Arc::new(t.clone()));
        let forms = ["Soldiers", "attacked", "the", "village", "."];
        let mut want = vec![Vec::new()];
        t.tag_batch(&[&forms], &mut LstmTaggerScratch::default(), &mut want);
        let mut s = sentence(&forms);
        an.annotate_sentence(&mut s);
        for (tok, &c) in s.tokens.iter().zip(&want[0]) {
            let (u, x) = &t.classes[c as usize];
            assert_eq!((&tok.upos, &tok.xpos), (u, x), "{}", tok.form);
            let mut buf = String::new();
            assert_eq!(tok.lemma, an.morph.lemma(&tok.form, u, x, &mut buf));
        }
    }

    /// The shipped accurate pipeline's tags on a sentence of our own.
    #[test]
    fn shipped_lstm_tagger_tags_a_news_sentence() {
        let an = Analyzer::load_default()
            .and_then(|a| a.with_parser(ParserChoice::Accurate, None))
            .expect("models are embedded");
        assert!(an.lstm_tagger.is_some(), "models/biaffine.bin has a tagger");
        let mut s = sentence(&[
            "Turkish",
            "troops",
            "shelled",
            "positions",
            "held",
            "by",
            "Kurdish",
            "militias",
            "near",
            "Afrin",
            "on",
            "Sunday",
            ".",
        ]);
        an.annotate_sentence(&mut s);
        let tags: Vec<(&str, &str, &str)> = s
            .tokens
            .iter()
            .map(|t| (t.form.as_str(), t.xpos.as_str(), t.lemma.as_str()))
            .collect();
        for (i, want) in [
            (0, ("Turkish", "JJ", "Turkish")),
            // EWT lemmatises "troops" as itself; the lemmatiser learned that.
            (1, ("troops", "NNS", "troops")),
            // VBN from the BiLSTM; the finite-verb repair makes it VBD.
            (2, ("shelled", "VBD", "shell")),
            (4, ("held", "VBN", "hold")),
            (7, ("militias", "NNS", "militia")),
            (9, ("Afrin", "NNP", "Afrin")),
            (11, ("Sunday", "NNP", "Sunday")),
        ] {
            assert_eq!(tags[i], want, "{tags:?}");
        }
    }

    /// Sentences longer than the accurate parser takes go to the fast one.
    #[test]
    fn accurate_parser_hands_overlong_sentences_to_the_fast_parser() {
        let mut an = mini_models();
        let tiny = crate::biaffine::tests::tiny_model_bytes(None);
        an.biaffine = Some(Arc::new(Biaffine::decode("tiny", &tiny).expect("decodes")));
        let tiny_labels = crate::biaffine::tests::TINY_LABELS;
        let mut short = sentence(&["Soldiers", "attacked", "the", "village", "."]);
        an.annotate_sentence(&mut short);
        assert!(short
            .tokens
            .iter()
            .all(|t| t.head.is_some() && tiny_labels.contains(&t.deprel.as_str())));
        let words: Vec<String> = (0..crate::biaffine::MAX_WORDS + 50)
            .map(|i| format!("w{}", i % 13))
            .collect();
        let mut long = sentence(&words.iter().map(String::as_str).collect::<Vec<_>>());
        an.annotate_sentence(&mut long);
        let n = long.tokens.len() as u32;
        assert!(long.tokens.iter().all(|t| t.head.is_some_and(|h| h <= n)));
        assert!(long
            .tokens
            .iter()
            .all(|t| an.parser.labels.contains(&t.deprel)));
    }

    /// A full sentence gets a finite verb: the greedy tagger alone reads
    /// these as noun phrases with a reduced relative ("army arrested ...").
    #[test]
    fn shipped_tagger_repairs_sentences_without_a_finite_verb() {
        let an = Analyzer::load_default().expect("models are embedded");
        for (text, verb) in [
            (
                "The Nigerian army arrested Boko Haram fighters .",
                "arrested",
            ),
            ("Syrian forces besieged rebel towns .", "besieged"),
        ] {
            let mut s = sentence(&text.split(' ').collect::<Vec<_>>());
            an.annotate_sentence(&mut s);
            let v = s.tokens.iter().find(|t| t.form == verb).expect("verb");
            assert_eq!((v.xpos.as_str(), v.head), ("VBD", Some(0)), "{text}");
        }
        // A caption fragment with a participle and no full stop keeps it.
        let mut s = sentence(&["Smoke", "seen", "over", "Idlib"]);
        an.annotate_sentence(&mut s);
        assert_eq!(s.tokens[1].xpos, "VBN");
    }

    #[test]
    fn shipped_lemmatizer_handles_irregular_forms() {
        let an = Analyzer::load_default().expect("models are embedded");
        let mut buf = String::new();
        for (form, upos, xpos, lemma) in [
            ("met", "VERB", "VBD", "meet"),
            ("forces", "NOUN", "NNS", "force"),
            ("militias", "NOUN", "NNS", "militia"),
            ("went", "VERB", "VBD", "go"),
            ("children", "NOUN", "NNS", "child"),
            ("was", "AUX", "VBD", "be"),
            ("Was", "AUX", "VBD", "be"),
            ("ceasefires", "NOUN", "NNS", "ceasefire"),
            ("bombarded", "VERB", "VBD", "bombard"),
            ("bombed", "VERB", "VBD", "bomb"),
            ("stopped", "VERB", "VBD", "stop"),
            ("mobbed", "VERB", "VBN", "mob"),
            ("Damascus", "PROPN", "NNP", "Damascus"),
            ("i", "PRON", "PRP", "I"),
        ] {
            assert_eq!(
                an.morph.lemma(form, upos, xpos, &mut buf),
                lemma,
                "{form}/{xpos}"
            );
        }
        assert_eq!(
            an.morph.feats("forces", "NOUN", "NNS", &mut buf),
            "Number=Plur"
        );
    }
}
