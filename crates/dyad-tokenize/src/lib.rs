//! dyad-tokenize: sentence splitting and tokenisation for news text, following
//! UD English-EWT conventions, with UTF-8 byte offsets into the text.
//!
//! # API
//! - [`segment`]`(text: &str) -> Vec<Sentence>`: sentences with their tokens.
//! - [`tokenize`]`(text: &str) -> Vec<Token>`: tokens of `text` as one unit (no sentence split).
//! - [`Segmenter`]: the same with an explicit boundary model (`Segmenter::embedded()`,
//!   `Segmenter::from_bytes`, `Segmenter::rules()`).
//! - [`eval_conllu`]`(path) -> anyhow::Result<SegmentationScores>`, [`EvalSegmentArgs`] +
//!   [`run_eval`]: token and sentence F1 on a CoNLL-U treebank (`dyad eval segment FILE`).
//! - [`train_segmenter`]`(train, dev, out) -> anyhow::Result<TrainReport>`: retrain the
//!   boundary model (averaged perceptron, deterministic).
//!
//! Tokens carry `start`, `end` (byte offsets, `text[start..end] == form`), `form` and
//! `no_space_after`; the other [`Token`] fields are left empty for later stages.
//! Multi-word tokens are emitted as their syntactic words, each spanning its own
//! characters: `don't` → `do` + `n't`, `Syria's` → `Syria` + `'s`, `cannot` → `can` + `not`.
//! A sentence-final abbreviation gives its period to the sentence as EWT does
//! (`... in the U.S.` → `U.S` `.`); [`tokenize`] keeps it (`Apple Inc.`).
//!
//! Sentence boundaries: a blank line always ends a sentence; a single line break
//! ends one after sentence punctuation or before a headline-like line (short
//! compared with the text's longest line), never in hard-wrapped prose. Titles
//! and initials (`Gen.`, `W.`) never end a sentence; another abbreviation
//! followed by a sentence starter does (`in the U.S. The ...`). Everywhere else
//! a bagged averaged perceptron over hashed token features decides
//! (`models/segmenter.bin`, embedded with `include_bytes!`; retrain with
//! `cargo run -p dyad-tokenize --example train_segmenter`). Inside short
//! brackets, and before a lower-case word, only sentence punctuation can end a
//! sentence.
//!
//! Scores: `cargo test -p dyad-tokenize ewt -- --nocapture`, or
//! `dyad eval segment ../shared/data/ud-english-ewt/en_ewt-ud-test.conllu`.

mod abbrev;
pub mod eval;
mod model;
mod segmenter;
mod tokenizer;
mod train;

use std::sync::OnceLock;

pub use dyad_core::{Sentence, Token};
pub use eval::{eval_conllu, eval_conllu_with, run_eval, EvalSegmentArgs, Prf, SegmentationScores};
pub use model::{Model, ModelError};
pub use train::{train_segmenter, TrainReport};

/// The boundary model shipped with dyad (trained on UD English-EWT train).
static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../models/segmenter.bin");

/// Sentence splitter: tokeniser plus a boundary model (or rules only).
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    model: Option<Model>,
}

impl Segmenter {
    /// The segmenter with the embedded model (rules only if the model is empty).
    pub fn embedded() -> &'static Segmenter {
        static S: OnceLock<Segmenter> = OnceLock::new();
        S.get_or_init(|| match Model::from_bytes(EMBEDDED_MODEL) {
            Ok(m) if !m.is_empty() => Segmenter { model: Some(m) },
            _ => Segmenter::rules(),
        })
    }

    /// Hand-written rules only.
    pub fn rules() -> Segmenter {
        Segmenter { model: None }
    }

    /// A segmenter with a model read from bytes written by [`train_segmenter`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Segmenter, ModelError> {
        Ok(Segmenter::with_model(Model::from_bytes(bytes)?))
    }

    pub fn with_model(model: Model) -> Segmenter {
        Segmenter { model: Some(model) }
    }

    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Sentences of `text` with their tokens.
    pub fn segment(&self, text: &str) -> Vec<Sentence> {
        let spans = spans(text);
        let ends = match &self.model {
            Some(m) => model::model_ends(text, &spans, m),
            None => segmenter::rule_ends(text, &spans),
        };
        segmenter::group(text, &spans, &ends)
    }
}

/// Sentences of `text` with their tokens (form, start, end byte offsets into
/// `text`, `no_space_after`), UD English-EWT conventions.
pub fn segment(text: &str) -> Vec<Sentence> {
    Segmenter::embedded().segment(text)
}

/// Tokens of `text` treated as one unit (no sentence splitting): dictionary
/// names and single-sentence records.
pub fn tokenize(text: &str) -> Vec<Token> {
    spans(text)
        .iter()
        .map(|s| segmenter::make_token(text, s.start, s.end))
        .collect()
}

fn spans(text: &str) -> Vec<tokenizer::Span<'_>> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenizer::tokenize_range(text, 0, text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        segment(text).iter().map(|s| s.text(text)).collect()
    }

    fn forms(s: &Sentence) -> Vec<&str> {
        s.tokens.iter().map(|t| t.form.as_str()).collect()
    }

    /// Spans in bounds, on char boundaries, slicing to the form, increasing and
    /// inside their sentence; sentences increasing and non-empty.
    fn check_invariants(text: &str, sentences: &[Sentence]) {
        let mut last_end = 0;
        for s in sentences {
            assert!(!s.tokens.is_empty());
            assert!(s.start >= last_end && s.start < s.end && s.end <= text.len());
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            for t in &s.tokens {
                assert!(t.start >= last_end, "token {t:?} overlaps the previous one");
                assert!(t.start < t.end && t.end <= text.len());
                assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                assert_eq!(&text[t.start..t.end], t.form);
                assert!(t.start >= s.start && t.end <= s.end);
                assert!(!t.form.chars().any(|c| c.is_whitespace() || c.is_control()));
                last_end = t.end;
            }
            assert_eq!(s.start, s.tokens[0].start);
            assert_eq!(s.end, s.tokens[s.tokens.len() - 1].end);
        }
    }

    const NEWS: &str = "Syria rejects U.S. truce plan\n\n\
BEIRUT (Reuters) - Syria's foreign minister on Sept. 7 rejected a U.S. proposal for a \
ceasefire in the north, saying Washington had \"no right\" to dictate terms.\n\
U.S. Secretary of State John Kerry said the plan was still on the table. \"We are not \
going to walk away,\" Kerry told reporters in Geneva. “The Syrian people deserve better.” \
Talks resumed at 10:30 a.m. local time. Gen. Joseph Dunford met Russian officials in \
Moscow on Jan. 12, and President George W. Bush's former aides praised the effort. \
The war has killed more than 250,000 people since 2011, the U.N. said. In the U.S. \
The debate continues.\n\
(Reporting by Jane Doe; Editing by John Roe)";

    #[test]
    fn mojibake_and_odd_apostrophes_do_not_panic() {
        for text in [
            "He couldn\u{e2}\u{20ac}\u{2122}t come.",
            "couldnâ€™t",
            "couldnâ",
            "Iâ€™m here. donâ€™t go",
            "n\u{2019}t \u{2019}s \u{e2}n't",
            "cannâ't",
        ] {
            for t in tokenize(text) {
                assert_eq!(&text[t.start..t.end], t.form);
            }
            let _ = segment(text);
        }
    }

    #[test]
    fn arabic_name_particles_stay_with_the_name() {
        let forms: Vec<String> =
            tokenize("Walid al-Muallem met bin-Salman in al-Bab; a well-known al-")
                .into_iter()
                .map(|t| t.form)
                .collect();
        assert_eq!(
            forms,
            vec![
                "Walid",
                "al-Muallem",
                "met",
                "bin-Salman",
                "in",
                "al-Bab",
                ";",
                "a",
                "well",
                "-",
                "known",
                "al",
                "-"
            ]
        );
    }

    #[test]
    fn news_paragraph_splits_exactly() {
        assert_eq!(
            sents(NEWS),
            [
                "Syria rejects U.S. truce plan",
                "BEIRUT (Reuters) - Syria's foreign minister on Sept. 7 rejected a U.S. proposal \
             for a ceasefire in the north, saying Washington had \"no right\" to dictate terms.",
                "U.S. Secretary of State John Kerry said the plan was still on the table.",
                "\"We are not going to walk away,\" Kerry told reporters in Geneva.",
                "“The Syrian people deserve better.”",
                "Talks resumed at 10:30 a.m. local time.",
                "Gen. Joseph Dunford met Russian officials in Moscow on Jan. 12, and President \
             George W. Bush's former aides praised the effort.",
                "The war has killed more than 250,000 people since 2011, the U.N. said.",
                "In the U.S.",
                "The debate continues.",
                "(Reporting by Jane Doe; Editing by John Roe)",
            ]
        );
        let s = segment(NEWS);
        check_invariants(NEWS, &s);
        assert_eq!(
            forms(&s[1])[..8],
            ["BEIRUT", "(", "Reuters", ")", "-", "Syria", "'s", "foreign"]
        );
        // A sentence-final abbreviation lends its period to the sentence (EWT).
        assert_eq!(forms(&s[8]), ["In", "the", "U.S", "."]);
        assert_eq!(
            forms(&s[4]),
            ["“", "The", "Syrian", "people", "deserve", "better", ".", "”"]
        );
        assert!(forms(&s[6]).contains(&"W."));
    }

    #[test]
    fn wire_dateline_stays_with_its_sentence() {
        let text = "WASHINGTON, Jan. 5 (AP) — The Senate voted 52-48 on Thursday to confirm \
                    Dr. Maria Lopez. Sen. Tom Harris (R-Texas) called her \"a pragmatist.\" \
                    Others disagreed.";
        assert_eq!(sents(text), [
            "WASHINGTON, Jan. 5 (AP) — The Senate voted 52-48 on Thursday to confirm Dr. Maria \
             Lopez.",
            "Sen. Tom Harris (R-Texas) called her \"a pragmatist.\"",
            "Others disagreed.",
        ]);
    }

    #[test]
    fn abbreviations_initials_decimals_parentheses() {
        let text = "Mr. J. R. R. Tolkien paid $3.50 (about 2.9 euros) on Sept. 3 at 5 p.m. \
                    No. 10 Downing St. said so. It is 1,000 km (620 mi.) long.";
        assert_eq!(
            sents(text),
            [
                "Mr. J. R. R. Tolkien paid $3.50 (about 2.9 euros) on Sept. 3 at 5 p.m. No. 10 \
             Downing St. said so.",
                "It is 1,000 km (620 mi.) long.",
            ]
        );
        let s = segment(text);
        assert_eq!(
            forms(&s[0])[..8],
            ["Mr.", "J.", "R.", "R.", "Tolkien", "paid", "$", "3.50"]
        );
        check_invariants(text, &s);
    }

    #[test]
    fn quotes_and_questions() {
        let text = "\"Is it over?\" she asked. He said, 'Yes.' Then he left (slowly). Really!";
        assert_eq!(
            sents(text),
            [
                "\"Is it over?\" she asked.",
                "He said, 'Yes.'",
                "Then he left (slowly).",
                "Really!"
            ]
        );
    }

    #[test]
    fn blank_lines_and_headlines_break() {
        let text = "Headline without period\nFirst line of the story goes on here and on and on \
                    without stopping at all, which makes it long.\n\nnext paragraph";
        assert_eq!(sents(text).len(), 3);
        // Hard-wrapped prose does not break at every line.
        let wrapped = "The minister said on Tuesday that the talks would resume in\n\
                       Geneva next week, after a pause requested by the United\n\
                       Nations and several regional powers.";
        assert_eq!(sents(wrapped).len(), 1);
    }

    #[test]
    fn tokens_have_space_flags() {
        let toks = tokenize("don't go.");
        let f: Vec<(&str, bool)> = toks
            .iter()
            .map(|t| (t.form.as_str(), t.no_space_after))
            .collect();
        assert_eq!(
            f,
            [("do", true), ("n't", false), ("go", true), (".", false)]
        );
    }

    #[test]
    fn tokenize_keeps_name_abbreviations() {
        let f: Vec<String> = tokenize("Apple Inc.").into_iter().map(|t| t.form).collect();
        assert_eq!(f, ["Apple", "Inc."]);
    }

    #[test]
    fn control_chars_and_mixed_scripts() {
        let text = "\u{0}Hello\u{7}world\u{1b}.\u{feff} قال الرئيس إن المحادثات ستستأنف. \
                    Москва заявила, что «переговоры» продолжатся. 北京表示欢迎。 Done.";
        let s = segment(text);
        check_invariants(text, &s);
        let all: Vec<&str> = s
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| t.form.as_str()))
            .collect();
        assert_eq!(all[..4], ["Hello", "world", ".", "قال"]);
        assert!(all.contains(&"«") && all.contains(&"Москва") && all.contains(&"。"));
        assert!(s.len() >= 4, "{:?}", sents(text));
    }

    /// Deterministic pseudo-random strings over a palette of troublesome characters.
    #[test]
    fn random_strings_never_break_invariants() {
        const PALETTE: &[&str] = &[
            "a", "Z", "é", "ß", "1", "0", ".", ",", "?", "!", "'", "’", "`", "\"", "“", "”", "(",
            ")", "[", "-", "/", ":", ";", "@", "&", "$", "%", "#", " ", " ", " ", "\n", "\n\n",
            "\t", "\r", "\u{0}", "\u{200b}", "\u{301}", "ا", "ж", "中", "😀", "…", "n't", "'s",
            "Mr.", "U.S.", "http://", "www.", ":)", "Inc..", "3,40", "e-mail", "gonna", "No.",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| PALETTE[(next() % PALETTE.len() as u64) as usize])
                .collect();
            let s = segment(&text);
            check_invariants(&text, &s);
            let toks = tokenize(&text);
            let n: usize = s.iter().map(|s| s.tokens.len()).sum();
            // Segmenting may only split a final abbreviation's period off.
            assert!(n >= toks.len(), "{text:?}");
        }
    }

    /// Long and pathological inputs: every step of the tokeniser and segmenter is
    /// a single pass, so these finish quickly (no timing assertion).
    #[test]
    fn long_inputs_are_handled() {
        let para =
            "The U.S. envoy met Gen. Smith on Sept. 7, officials said. \"It's done,\" he said. ";
        let text = para.repeat(800);
        let s = segment(&text);
        check_invariants(&text, &s);
        let n: usize = s.iter().map(|s| s.tokens.len()).sum();
        assert!(n > 10_000);
        assert_eq!(s.len(), 1600);
        for bad in [
            "a-".repeat(6000),
            ".".repeat(12000),
            "1a".repeat(6000),
            "\n".repeat(12000),
            "x".repeat(12000),
            "a.".repeat(6000) + "...@b.c",
            format!("http://{}", "a/".repeat(6000)),
        ] {
            let s = segment(&bad);
            check_invariants(&bad, &s);
        }
    }

    #[test]
    fn embedded_model_loads() {
        assert!(Segmenter::embedded().has_model());
        assert!(Model::from_bytes(EMBEDDED_MODEL).is_ok());
        assert!(Segmenter::from_bytes(b"junk").is_err());
        // Rules alone still split plain prose.
        let text = "One sentence. Another one.";
        assert_eq!(Segmenter::rules().segment(text).len(), 2);
    }
}
