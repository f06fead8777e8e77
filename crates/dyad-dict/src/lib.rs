//! dyad-dict: dyad's dictionaries (see `dictionaries/FORMAT.md`) parsed into typed entries,
//! validated with `file:line: message` errors, and compiled into fast matchers.
//!
//! # API
//! - [`Dictionaries::load_dir`]`(dir) -> Result<Dictionaries, DictErrors>`; [`Dictionaries::builtin`]
//!   (the workspace's `dictionaries/`, embedded at compile time by `build.rs`);
//!   [`Dictionaries::builtin_shared`] (loaded once per process),
//!   [`Dictionaries::from_sources`]`(&[(path, text)])` for in-memory sets. All errors are
//!   collected ([`DictErrors`] lists every [`DictError`]); [`check_dir`] / [`check_builtin`]
//!   return a [`CheckReport`] with per-file counts, errors and warnings.
//! - Actors: [`Dictionaries::lookup_phrase`]`(phrase, date) -> Option<ActorResolution>` resolves
//!   a noun phrase ("Iran's foreign minister" → `IRNGOV`) with a `why`;
//!   [`Dictionaries::resolve_tokens`] does the same over parsed tokens (lemmas used when set);
//!   [`Dictionaries::find_phrases`] gives the raw longest matches ([`PhraseMatch`] / [`Hit`]).
//!   [`ActorEntry::code_at`] picks a person's code by date.
//! - Verbs: [`Dictionaries::match_verb`]`(lemma, particle, obj_lemma, preps, passive) ->
//!   Option<&VerbPattern>`: the most specific matching pattern (more constraints first, then
//!   file order). A particle pattern (`call_on`) also matches when the parser attached the
//!   particle as a preposition; a pattern without particle never matches a verb with one.
//!   [`Dictionaries::match_clause`]`(&Clause)` also takes the nouns prepositions govern
//!   (`(prep, lemma)` pairs), so `call_for [talk]` can check "called for talks".
//! - Discards: [`Dictionaries::discard_in`]`(tokens) -> Option<&Discard>` for sentence stop
//!   phrases; `name:` phrases block actor matches inside [`Dictionaries::find_phrases`].
//! - CLI: [`cli::DictCommand`] (`check`, `lookup`) and [`cli::run`]; until it is wired in,
//!   `cargo run -p dyad-dict --example dict_check -- check [DIR]`. Throughput:
//!   `cargo run --release -p dyad-dict --example dict_bench [DIR]`.

pub mod cli;
mod dates;
mod entries;
mod error;
mod matcher;
mod resolve;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use dyad_core::Token;

pub use dates::{parse_date, parse_range, DateRange};
pub use entries::{
    ActorEntry, AgentEntry, Clause, DatedCode, Discard, DiscardKind, VerbPattern, Voice,
};
pub use error::{DictError, DictErrors, Loc};
pub use matcher::{Hit, PhraseMatch};
pub use resolve::{ActorResolution, Piece};

use matcher::{FxMap, PhraseMatcher};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// What a dictionary file holds, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Actors,
    Agents,
    Verbs,
    Discards,
}

impl FileKind {
    /// `actors/*.txt`, `agents.txt`, `verbs/*.txt`, `discards.txt`; other files are not
    /// dictionaries.
    pub fn of_path(rel: &str) -> Option<FileKind> {
        let rel = rel.replace('\\', "/");
        let (dir, name) = match rel.rsplit_once('/') {
            Some((d, n)) => (d, n),
            None => ("", rel.as_str()),
        };
        if !name.ends_with(".txt") {
            return None;
        }
        match (dir, name) {
            ("actors", _) => Some(FileKind::Actors),
            ("verbs", _) => Some(FileKind::Verbs),
            ("", "agents.txt") => Some(FileKind::Agents),
            ("", "discards.txt") => Some(FileKind::Discards),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Actors => "actors",
            FileKind::Agents => "agents",
            FileKind::Verbs => "verbs",
            FileKind::Discards => "discards",
        }
    }
}

/// Counts for one file, for `dyad dict check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStats {
    pub file: String,
    pub kind: FileKind,
    /// Blocks (actors), lines (agents), patterns (verbs) or phrases (discards).
    pub entries: usize,
    /// Names, aliases, adjectives and capitals (actors) or terms (agents).
    pub names: usize,
    /// Code lines (actors), distinct codes (agents, verbs).
    pub codes: usize,
    pub errors: usize,
}

/// The result of validating a dictionary set.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub files: Vec<FileStats>,
    pub errors: Vec<DictError>,
    pub warnings: Vec<DictError>,
}

/// A loaded, validated dictionary set with its matchers.
#[derive(Debug, Clone)]
pub struct Dictionaries {
    actors: Vec<ActorEntry>,
    agents: Vec<AgentEntry>,
    verbs: Vec<VerbPattern>,
    discards: Vec<Discard>,
    phrases: PhraseMatcher,
    discard_phrases: PhraseMatcher,
    /// Lemma → pattern indices, most specific first, then file order.
    verb_index: FxMap<String, Vec<u32>>,
    files: Vec<FileStats>,
    warnings: Vec<DictError>,
}

/// Validate the dictionaries in `dir` without failing on errors.
pub fn check_dir(dir: impl AsRef<Path>) -> CheckReport {
    match read_dir_sources(dir.as_ref()) {
        Ok(sources) => build(&borrowed(&sources)).1,
        Err(errors) => CheckReport {
            errors,
            ..Default::default()
        },
    }
}

/// Validate the built-in dictionaries.
pub fn check_builtin() -> CheckReport {
    build(&builtin_sources()).1
}

/// A dictionary file: the path shown in messages, the path relative to the dictionary root
/// (which decides its kind), and its text.
struct Source<'a> {
    shown: String,
    rel: String,
    text: &'a str,
}

fn builtin_sources() -> Vec<Source<'static>> {
    builtin::BUILTIN
        .iter()
        .map(|(rel, text)| Source {
            shown: format!("dictionaries/{rel}"),
            rel: (*rel).to_string(),
            text,
        })
        .collect()
}

/// Every dictionary file under `dir`, as (display path, text), sorted by path.
fn read_dir_sources(dir: &Path) -> Result<Vec<(String, String, String)>, Vec<DictError>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|x| x == "txt") {
                out.push(p);
            }
        }
        Ok(())
    }
    let shown = dir.display().to_string();
    let mut paths = Vec::new();
    if let Err(e) = walk(dir, &mut paths) {
        return Err(vec![DictError::new(
            &shown,
            0,
            format!("cannot read directory: {e}"),
        )]);
    }
    paths.sort();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        match std::fs::read_to_string(&p) {
            Ok(text) => {
                let rel = p
                    .strip_prefix(dir)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_else(|_| relative(&shown));
                out.push((shown, rel, text))
            }
            Err(e) => errors.push(DictError::new(&shown, 0, format!("cannot read file: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The path of `shown` relative to the dictionary root: from its last `actors/` or `verbs/`
/// component, or its file name.
fn relative(shown: &str) -> String {
    let s = shown.replace('\\', "/");
    for dir in ["actors/", "verbs/"] {
        if let Some(i) = s.rfind(&format!("/{dir}")) {
            return s[i + 1..].to_string();
        }
        if s.starts_with(dir) {
            return s;
        }
    }
    s.rsplit('/').next().unwrap_or(&s).to_string()
}

fn build(sources: &[Source<'_>]) -> (Dictionaries, CheckReport) {
    let mut report = CheckReport::default();
    let mut d = Dictionaries {
        actors: Vec::new(),
        agents: Vec::new(),
        verbs: Vec::new(),
        discards: Vec::new(),
        phrases: PhraseMatcher::new(),
        discard_phrases: PhraseMatcher::new(),
        verb_index: FxMap::default(),
        files: Vec::new(),
        warnings: Vec::new(),
    };
    let mut sorted: Vec<&Source<'_>> = sources.iter().collect();
    sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut order = 0usize;
    let mut any = false;
    for Source { shown, rel, text } in sorted {
        // Editors on some systems write a byte-order mark; it is not part of the first name.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let Some(kind) = FileKind::of_path(rel) else {
            report.warnings.push(DictError::new(
                shown,
                0,
                "not a dictionary file (expected actors/*.txt, agents.txt, verbs/*.txt, discards.txt); ignored",
            ));
            continue;
        };
        any = true;
        let before = report.errors.len();
        let mut stats = FileStats {
            file: shown.clone(),
            kind,
            entries: 0,
            names: 0,
            codes: 0,
            errors: 0,
        };
        match kind {
            FileKind::Actors => {
                let got =
                    entries::parse_actors(shown, text, &mut report.errors, &mut report.warnings);
                stats.entries = got.len();
                stats.names = got
                    .iter()
                    .map(|e| {
                        e.names.len() + e.aliases.len() + e.adjectives.len() + e.capitals.len()
                    })
                    .sum();
                stats.codes = got.iter().map(|e| e.codes.len()).sum();
                d.actors.extend(got);
            }
            FileKind::Agents => {
                let got = entries::parse_agents(shown, text, &mut report.errors);
                stats.entries = got.len();
                stats.names = got.iter().map(|a| a.terms.len() + a.suffixes.len()).sum();
                stats.codes = distinct(got.iter().map(|a| a.code.as_str()));
                d.agents.extend(got);
            }
            FileKind::Verbs => {
                let got = entries::parse_verbs(shown, text, &mut order, &mut report.errors);
                stats.entries = got.len();
                stats.codes = distinct(got.iter().map(|p| p.code.as_str()));
                d.verbs.extend(got);
            }
            FileKind::Discards => {
                let got = entries::parse_discards(shown, text, &mut report.errors);
                stats.entries = got.len();
                d.discards.extend(got);
            }
        }
        stats.errors = report.errors.len() - before;
        report.files.push(stats);
    }
    if !any {
        report.errors.push(DictError::new(
            "<dictionaries>",
            0,
            "no dictionary files (expected actors/*.txt, agents.txt, verbs/*.txt, discards.txt)",
        ));
    }
    d.compile(&mut report);
    // Errors found while compiling belong to their files' counts too.
    for f in &mut report.files {
        f.errors = report
            .errors
            .iter()
            .filter(|e| e.loc.file == f.file)
            .count();
    }
    d.files = report.files.clone();
    d.warnings = report.warnings.clone();
    (d, report)
}

fn borrowed(sources: &[(String, String, String)]) -> Vec<Source<'_>> {
    sources
        .iter()
        .map(|(shown, rel, text)| Source {
            shown: shown.clone(),
            rel: rel.clone(),
            text,
        })
        .collect()
}

fn distinct<'a>(it: impl Iterator<Item = &'a str>) -> usize {
    let mut v: Vec<&str> = it.collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

impl Dictionaries {
    /// Load and validate every dictionary file under `dir`.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Self, DictErrors> {
        let sources = read_dir_sources(dir.as_ref()).map_err(|errors| DictErrors { errors })?;
        Self::finish(build(&borrowed(&sources)))
    }

    /// The dictionaries shipped with dyad (`dictionaries/` at build time).
    pub fn builtin() -> Result<Self, DictErrors> {
        Self::finish(build(&builtin_sources()))
    }

    /// The built-in dictionaries, loaded once per process and shared (threads included).
    pub fn builtin_shared() -> Result<&'static Dictionaries, DictErrors> {
        static SHARED: OnceLock<Result<Dictionaries, DictErrors>> = OnceLock::new();
        SHARED
            .get_or_init(Self::builtin)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Load from in-memory files: (path, text); the path decides the file kind
    /// (`actors/x.txt`, `agents.txt`, `verbs/x.txt`, `discards.txt`, optionally under a directory).
    pub fn from_sources<P: AsRef<str>, T: AsRef<str>>(
        files: &[(P, T)],
    ) -> Result<Self, DictErrors> {
        let sources: Vec<Source<'_>> = files
            .iter()
            .map(|(p, t)| Source {
                shown: p.as_ref().to_string(),
                rel: relative(p.as_ref()),
                text: t.as_ref(),
            })
            .collect();
        Self::finish(build(&sources))
    }

    fn finish((d, report): (Dictionaries, CheckReport)) -> Result<Self, DictErrors> {
        if report.errors.is_empty() {
            Ok(d)
        } else {
            Err(DictErrors {
                errors: report.errors,
            })
        }
    }

    /// Build the phrase matchers and the verb index; report ambiguities.
    fn compile(&mut self, report: &mut CheckReport) {
        let (phrases, discard_phrases) =
            compile_phrases(&self.actors, &self.agents, &self.discards, report);
        self.phrases = phrases;
        self.discard_phrases = discard_phrases;
        self.verb_index = compile_verbs(&self.verbs, report);
    }
}

fn compile_phrases<'d>(
    actors: &'d [ActorEntry],
    agents: &'d [AgentEntry],
    discards: &'d [Discard],
    report: &mut CheckReport,
) -> (PhraseMatcher, PhraseMatcher) {
    // Normalised phrase → where it was first defined, per meaning, to report clashes.
    let mut seen: FxMap<(u8, String), (&Loc, usize)> = FxMap::default();
    let mut add = |m: &mut PhraseMatcher,
                   phrase: &str,
                   hit: Hit,
                   owner: usize,
                   loc: &'d Loc,
                   report: &mut CheckReport| {
        let toks = dyad_tokenize::tokenize(phrase);
        let forms: Vec<&str> = toks.iter().map(|t| t.form.as_str()).collect();
        if !m.insert(&forms, hit) {
            report.errors.push(DictError::new(
                &loc.file,
                loc.line,
                format!("'{phrase}' has no words to match"),
            ));
            return;
        }
        let key_kind = match hit {
            Hit::Agent(_) => 1,
            Hit::Discard(_) | Hit::NotActor(_) => 2,
            _ => 0,
        };
        let key = (
            key_kind,
            forms
                .iter()
                .map(|f| matcher::normalize(f))
                .collect::<Vec<_>>()
                .join(" "),
        );
        match seen.get(&key) {
            Some((first, first_owner)) if *first_owner != owner => {
                let msg = format!("'{phrase}' is also defined at {first}");
                if key_kind == 1 {
                    report.errors.push(DictError::new(&loc.file, loc.line, msg));
                } else {
                    report.warnings.push(DictError::new(
                        &loc.file,
                        loc.line,
                        format!("{msg}; the first definition wins"),
                    ));
                }
            }
            Some(_) => {}
            None => {
                seen.insert(key, (loc, owner));
            }
        }
    };
    let mut phrases = PhraseMatcher::new();
    let mut discard_phrases = PhraseMatcher::new();
    for (i, e) in actors.iter().enumerate() {
        let owner = i;
        let hit = Hit::Actor(i as u32);
        for n in e.names.iter().chain(&e.aliases) {
            add(&mut phrases, n, hit, owner, &e.loc, report);
        }
        for n in &e.adjectives {
            add(
                &mut phrases,
                n,
                Hit::Adjective(i as u32),
                owner,
                &e.loc,
                report,
            );
        }
        for n in &e.capitals {
            add(
                &mut phrases,
                n,
                Hit::Capital(i as u32),
                owner,
                &e.loc,
                report,
            );
        }
    }
    let base = actors.len();
    for (i, a) in agents.iter().enumerate() {
        for t in &a.terms {
            add(
                &mut phrases,
                t,
                Hit::Agent(i as u32),
                base + i,
                &a.loc,
                report,
            );
        }
    }
    let base = base + agents.len();
    for (i, x) in discards.iter().enumerate() {
        let owner = base + i;
        match x.kind {
            DiscardKind::Name => add(
                &mut phrases,
                &x.phrase,
                Hit::NotActor(i as u32),
                owner,
                &x.loc,
                report,
            ),
            DiscardKind::Sentence => add(
                &mut discard_phrases,
                &x.phrase,
                Hit::Discard(i as u32),
                owner,
                &x.loc,
                report,
            ),
        }
    }
    (phrases, discard_phrases)
}

/// Lemma → pattern indices, most specific first; the same pattern twice is a warning, with two
/// codes an error.
fn compile_verbs(verbs: &[VerbPattern], report: &mut CheckReport) -> FxMap<String, Vec<u32>> {
    type PatternKey = (
        String,
        Option<String>,
        Vec<String>,
        Vec<String>,
        bool,
        Option<Voice>,
    );
    let mut seen_patterns: FxMap<PatternKey, usize> = FxMap::default();
    let mut index: FxMap<String, Vec<u32>> = FxMap::default();
    for (i, p) in verbs.iter().enumerate() {
        let mut objects = p.objects.clone();
        objects.sort();
        let mut preps = p.preps.clone();
        preps.sort();
        let key = (
            p.lemma.clone(),
            p.particle.clone(),
            objects,
            preps,
            p.no_obj,
            p.voice,
        );
        if let Some(&j) = seen_patterns.get(&key) {
            let first = &verbs[j];
            if first.code == p.code {
                report.warnings.push(DictError::new(
                    &p.loc.file,
                    p.loc.line,
                    format!("pattern '{}' repeats {}", p.text, first.loc),
                ));
            } else {
                report.errors.push(DictError::new(
                    &p.loc.file,
                    p.loc.line,
                    format!(
                        "pattern '{}' ({}) is the same as {} ({}); the second can never apply",
                        p.text, p.code, first.loc, first.code
                    ),
                ));
            }
            continue;
        }
        seen_patterns.insert(key, i);
        index.entry(p.lemma.clone()).or_default().push(i as u32);
    }
    for list in index.values_mut() {
        list.sort_by_key(|&i| {
            let p = &verbs[i as usize];
            (std::cmp::Reverse(p.specificity()), p.order)
        });
    }
    index
}

impl Dictionaries {
    pub fn actors(&self) -> &[ActorEntry] {
        &self.actors
    }

    pub fn agents(&self) -> &[AgentEntry] {
        &self.agents
    }

    pub fn verbs(&self) -> &[VerbPattern] {
        &self.verbs
    }

    pub fn discards(&self) -> &[Discard] {
        &self.discards
    }

    /// Per-file counts from loading.
    pub fn files(&self) -> &[FileStats] {
        &self.files
    }

    /// Non-fatal findings (a name defined in two blocks, overlapping date ranges, …).
    pub fn warnings(&self) -> &[DictError] {
        &self.warnings
    }

    /// Number of trie nodes of the actor/agent matcher (a size measure).
    pub fn matcher_size(&self) -> usize {
        self.phrases.node_count()
    }

    /// Longest non-overlapping actor/adjective/capital/agent/`name:` matches in `tokens`, left
    /// to right. Hit indices point into [`Self::actors`], [`Self::agents`], [`Self::discards`].
    pub fn find_phrases(&self, tokens: &[Token]) -> Vec<PhraseMatch> {
        let words = self.phrases.words(tokens);
        self.phrases.find(tokens, &words)
    }

    /// Resolve the tokens of one noun phrase to an actor (see `resolve.rs` for the rules),
    /// without the explanation (`pieces` and `why` stay empty).
    pub fn resolve_tokens(
        &self,
        tokens: &[Token],
        date: Option<NaiveDate>,
    ) -> Option<ActorResolution> {
        let matches = self.find_phrases(tokens);
        resolve::resolve(self, tokens, &matches, date, false)
    }

    /// Resolve a noun phrase given as text: "Iran's foreign minister" → `IRNGOV`, with the
    /// explanation (`pieces`, `why`) that [`Self::resolve_tokens`] leaves empty.
    pub fn lookup_phrase(&self, phrase: &str, date: Option<NaiveDate>) -> Option<ActorResolution> {
        let tokens = dyad_tokenize::tokenize(phrase);
        let matches = self.find_phrases(&tokens);
        resolve::resolve(self, &tokens, &matches, date, true)
    }

    /// The first sentence discard phrase found in `tokens`.
    pub fn discard_in(&self, tokens: &[Token]) -> Option<&Discard> {
        let words = self.discard_phrases.words(tokens);
        self.discard_phrases
            .find(tokens, &words)
            .into_iter()
            .find_map(|m| match m.hits.first() {
                Some(Hit::Discard(i)) => self.discards.get(*i as usize),
                _ => None,
            })
    }

    /// Patterns for a predicate lemma, most specific first.
    pub fn verb_patterns<'a>(&'a self, lemma: &str) -> impl Iterator<Item = &'a VerbPattern> + 'a {
        self.verb_index
            .get(matcher::normalize(lemma).as_ref())
            .into_iter()
            .flatten()
            .map(|&i| &self.verbs[i as usize])
    }

    /// The most specific pattern that matches the predicate: `lemma` (+ `particle`), the lemma
    /// of its direct object, the prepositions of its oblique/nominal dependents, and voice.
    pub fn match_verb(
        &self,
        lemma: &str,
        particle: Option<&str>,
        obj_lemma: Option<&str>,
        preps: &[&str],
        passive: bool,
    ) -> Option<&VerbPattern> {
        self.verb_patterns(lemma)
            .find(|p| p.matches(particle, obj_lemma, preps, passive))
    }

    /// Like [`Self::match_verb`], with the nouns that prepositions govern, so that a
    /// `call_for [talk]` pattern can check "called for talks".
    pub fn match_clause(&self, clause: &Clause<'_>) -> Option<&VerbPattern> {
        self.verb_patterns(clause.lemma)
            .find(|p| p.matches_clause(clause))
    }
}

#[cfg(test)]
mod tests;
