//! dyad-petrarch: PETRARCH2/TABARI compatibility — dictionary readers, a PETRARCH-compatible
//! coder (the dictionaries' own pattern semantics), a converter into dyad's dictionary format,
//! the validation-record reader, and the `dyad eval petrarch` harness.
//!
//! # API
//! - PETRARCH-compatible coding: [`coder::load_petrarch_coder`]`(&[PathBuf]) ->
//!   Result<(PetrCoder, Vec<PetrError>), LoadError>`; [`coder::PetrCoder::code_tree`]`(&Tree,
//!   Option<NaiveDate>, &CodeOptions) -> Vec<(source, target, code)>` on a phrase tree
//!   ([`coder::parse_ptb`] for Penn Treebank text), [`coder::PetrCoder::code_tokens`] on an
//!   analysed sentence (UD tokens, turned into a tree by [`deptree::Prepared`]),
//!   [`coder::PetrCoder::describe`] shows what the patterns see. [`coder::CodeOptions`] holds
//!   PETRARCH's `<Config>` options (`require_dyad`, `new_actor_length`, `comma_*`) and
//!   `code_algebra` (PETRARCH2's negation and verb-combination codes, [`algebra::combine`],
//!   [`algebra::negate`]; on by default, off for records files without a `PICOfile`) and
//!   `petrarch2_discards` (PETRARCH2's discard check; off by default, on for records files
//!   with a `PICOfile`).
//!   [`coder::PetrCoder::code_tokens_detailed`]`(&[Token], Option<NaiveDate>, &CodeOptions)
//!   -> Vec<PetrEvent>` adds where each event is (verb token, source/target token spans,
//!   negation). UD parses are repaired before the tree is built (sentence-final reporting
//!   clauses, split co-ordinated subjects, subordinators read as prepositions, reduced
//!   relatives read as clauses, verbless misparses: `udfix.rs`).
//! - dyad events from PETRARCH dictionaries (`dyad code --dictionaries`):
//!   [`events::petrarch_dictionary_files`]`(&[PathBuf]) -> io::Result<Option<Vec<PathBuf>>>`
//!   tells PETRARCH-format dictionaries from a dyad dictionary directory;
//!   [`events::code_document`]`(&PetrCoder, &Document, &CodeOptions) -> Vec<dyad_code::Event>`.
//! - Readers (every line loads or is reported as `file:line: message` in `errors`):
//!   [`verbs::parse_verbs`]`(file, text) -> VerbDictionary` (synsets, verb blocks, forms,
//!   patterns, transformations), [`actors::parse_actors`] (names, `+` synonyms, dated codes),
//!   [`actors::parse_agents`] (`{plural}`, `[~CODE]`/`[CODE~]`, `!MARK!` sets),
//!   [`actors::parse_discards`].
//! - Conversion: [`load_petrarch_dictionaries`]`(&[PathBuf]) -> Result<(Dictionaries,
//!   ConversionReport), LoadError>` (kinds from file names, [`PetrKind::of_path`]);
//!   [`convert::petrarch_files_in`]`(dir)` lists a directory's PETRARCH files;
//!   [`convert::load_petrarch_sources`] for in-memory files; [`convert::convert`] gives the
//!   dyad-format texts ([`ConversionReport::generated`]) with counts of what dyad's format
//!   cannot express. Codes dyad does not know travel through [`CodeMap`]
//!   ([`CodeMap::restore_actor`], [`CodeMap::restore_event`] map dyad's output back).
//! - Records: [`records::parse_validation`]`(file, text) -> ValidationFile` (Environment,
//!   per-record Config, expected codings, text, Penn Treebank or CoNLL-U parse).
//! - Parses: [`ptb::ptb_to_tokens`]`(ptb) -> Result<(String, Vec<Token>), String>` (PTB → UD).
//! - Evaluation: [`EvalPetrarchArgs`] + [`run_eval_petrarch`] (`dyad eval petrarch FILE.xml
//!   [--dictionaries DIR|FILES…] [--route given|own] [--json] [--explain]`), coded with
//!   [`coder::PetrCoder`]; [`eval::evaluate`]`(&ValidationFile, &PetrCoder, Route,
//!   Option<&Analyzer>) -> EvalReport` for library use (per record: expected, produced,
//!   matched, missed, extra, cause; summary with failures by cause).

pub mod actors;
pub mod algebra;
pub mod coder;
pub mod codes;
pub mod convert;
pub mod deptree;
pub mod error;
pub mod eval;
pub mod events;
mod lemma;
pub mod ptb;
pub mod records;
mod text;
mod udfix;
pub mod verbs;

pub use codes::CodeMap;
pub use convert::{load_petrarch_dictionaries, ConversionReport, PetrKind};
pub use error::{LoadError, PetrError};
pub use eval::{run_eval_petrarch, EvalPetrarchArgs, Route};
