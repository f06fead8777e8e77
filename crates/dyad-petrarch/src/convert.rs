//! PETRARCH dictionaries → dyad's dictionary format (`dictionaries/FORMAT.md`), loaded with
//! [`dyad_dict::Dictionaries::from_sources`].
//!
//! - actors → `actors/petrarch.txt` blocks: names (title case), one code line per PETRARCH
//!   code, date restrictions as ranges (`<D` → `..D`, `>D` → `D..`, `A-B` → `A..B`);
//! - agents → `agents.txt` lines (`[~CODE]` only: dyad agents add roles after the actor);
//! - discards → `discards.txt` (story-level `+` phrases become sentence discards: a PETRARCH
//!   record is one sentence);
//! - verbs → `verbs/petrarch.txt` patterns where expressible: verb lemma (+ particle), the
//!   head noun of the object phrase as `[object]`, `PREP +` as `{prep}`. PETRARCH finds the
//!   target anywhere in the verb's phrase, so a pattern whose target is not pinned to a
//!   preposition also gets a variant taking the object of a common preposition. Anything else
//!   (words before the verb, `%` compounds, the source after the verb, prepositional phrases
//!   that hold no target, transformations) is counted and listed by reason.
//!
//! Codes dyad does not know are carried through a [`CodeMap`]. Each generated line ends with
//! a `# file:line` comment naming its PETRARCH origin.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dyad_dict::Dictionaries;

use crate::actors::{
    parse_actors, parse_agents, parse_discards, ActorDictionary, AgentDictionary, AgentPlace,
    DiscardList, Restriction,
};
use crate::codes::CodeMap;
use crate::error::{LoadError, PetrError};
use crate::text::{singular, title_case};
use crate::verbs::{parse_verbs, Elem, Pattern, VerbDictionary, VerbForm};

/// Which PETRARCH dictionary a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PetrKind {
    Verbs,
    Actors,
    Agents,
    Discards,
}

impl PetrKind {
    /// From the file name, as PETRARCH's own files are named: `*.verbs.txt` or `CAMEO*`,
    /// `*.actors.txt`, `*.agents.txt`, `*.discards.txt`.
    pub fn of_path(path: &Path) -> Option<PetrKind> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        if name.contains("verbs") || name.starts_with("cameo") {
            Some(PetrKind::Verbs)
        } else if name.contains("actors") {
            Some(PetrKind::Actors)
        } else if name.contains("agents") {
            Some(PetrKind::Agents)
        } else if name.contains("discard") {
            Some(PetrKind::Discards)
        } else {
            None
        }
    }
}

/// Per-file counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub file: String,
    pub kind: PetrKind,
    /// Actors, agent lines, verb patterns (plus verb forms) or discard phrases read.
    pub read: usize,
    /// Lines reported as errors by the reader.
    pub errors: usize,
}

/// What the conversion did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConversionReport {
    pub files: Vec<FileSummary>,
    /// Lines the readers could not load (`file:line: message`).
    pub errors: Vec<PetrError>,
    /// Entries that dyad's format cannot express, with the reason (`file:line: message`).
    pub unexpressed: Vec<PetrError>,
    /// Count per reason of `unexpressed`.
    pub unexpressed_by_reason: BTreeMap<String, usize>,
    /// Entries expressed with some loss (count per kind of loss).
    pub approximated: BTreeMap<String, usize>,
    pub actors: usize,
    pub actor_names: usize,
    pub actor_codes: usize,
    pub agent_terms: usize,
    pub discards: usize,
    pub verb_patterns_read: usize,
    pub verb_patterns_written: usize,
    /// Generated dyad patterns identical to an earlier one (first one kept).
    pub verb_patterns_merged: usize,
    pub code_map: CodeMap,
    /// The generated dyad-format files: (path, text).
    #[serde(skip)]
    pub generated: Vec<(String, String)>,
}

impl ConversionReport {
    fn unexpressed(&mut self, file: &str, line: usize, reason: &str, detail: &str) {
        *self
            .unexpressed_by_reason
            .entry(reason.to_string())
            .or_default() += 1;
        self.unexpressed.push(PetrError::new(
            file,
            line,
            format!("not expressible in dyad: {reason}: {detail}"),
        ));
    }
    fn approx(&mut self, what: &str) {
        *self.approximated.entry(what.to_string()).or_default() += 1;
    }
}

/// Parsed PETRARCH dictionaries.
#[derive(Debug, Default)]
pub struct PetrarchSet {
    pub verbs: Vec<VerbDictionary>,
    pub actors: Vec<ActorDictionary>,
    pub agents: Vec<AgentDictionary>,
    pub discards: Vec<DiscardList>,
}

impl PetrarchSet {
    /// Every reader's line errors: verbs, actors, agents, discards, in file order.
    pub fn errors(&self) -> Vec<PetrError> {
        let verbs = self.verbs.iter().flat_map(|d| &d.errors);
        let actors = self.actors.iter().flat_map(|d| &d.errors);
        let agents = self.agents.iter().flat_map(|d| &d.errors);
        let discards = self.discards.iter().flat_map(|d| &d.errors);
        verbs
            .chain(actors)
            .chain(agents)
            .chain(discards)
            .cloned()
            .collect()
    }

    /// Parse in-memory files: (path shown in messages, kind, text).
    pub fn parse(files: &[(String, PetrKind, String)]) -> PetrarchSet {
        let mut s = PetrarchSet::default();
        for (name, kind, text) in files {
            match kind {
                PetrKind::Verbs => s.verbs.push(parse_verbs(name, text)),
                PetrKind::Actors => s.actors.push(parse_actors(name, text)),
                PetrKind::Agents => s.agents.push(parse_agents(name, text)),
                PetrKind::Discards => s.discards.push(parse_discards(name, text)),
            }
        }
        s
    }
}

/// Read PETRARCH dictionary files as (shown name, kind, text); kinds come from their
/// names ([`PetrKind::of_path`]). Shared by the converter and the PETRARCH coder.
pub fn read_petrarch_files(
    files: &[PathBuf],
) -> Result<Vec<(String, PetrKind, String)>, LoadError> {
    let mut inputs = Vec::new();
    for p in files {
        let shown = p.display().to_string();
        let kind = PetrKind::of_path(p).ok_or_else(|| {
            LoadError::Input(PetrError::new(
                &shown,
                0,
                "cannot tell the dictionary kind from the file name (expected *.verbs.txt or CAMEO*, *.actors.txt, *.agents.txt, *.discards.txt)",
            ))
        })?;
        let bytes = std::fs::read(p).map_err(|e| {
            LoadError::Input(PetrError::new(&shown, 0, format!("cannot read file: {e}")))
        })?;
        // Some PETRARCH files carry Latin-1 bytes; keep going with replacement characters.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        inputs.push((shown, kind, text));
    }
    Ok(inputs)
}

/// Read PETRARCH dictionary files (kinds from their names, see [`PetrKind::of_path`]),
/// convert them and load the result into dyad.
pub fn load_petrarch_dictionaries(
    files: &[PathBuf],
) -> Result<(Dictionaries, ConversionReport), LoadError> {
    load_petrarch_sources(&read_petrarch_files(files)?)
}

/// The PETRARCH dictionary files directly inside `dir` (kinds recognised by
/// [`PetrKind::of_path`]), sorted by name; other files are left out.
pub fn petrarch_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_file() && PetrKind::of_path(&p).is_some() {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// [`load_petrarch_dictionaries`] over in-memory files: (path, kind, text).
pub fn load_petrarch_sources(
    files: &[(String, PetrKind, String)],
) -> Result<(Dictionaries, ConversionReport), LoadError> {
    let set = PetrarchSet::parse(files);
    let report = convert(&set);
    let dicts = Dictionaries::from_sources(&report.generated).map_err(LoadError::Dyad)?;
    Ok((dicts, report))
}

/// Words PETRARCH patterns use as prepositions.
const PREPS: &[&str] = &[
    "ABOUT", "ABOVE", "ACROSS", "AFTER", "AGAINST", "ALONG", "AMONG", "AROUND", "AS", "AT",
    "BEFORE", "BEHIND", "BETWEEN", "BEYOND", "BY", "DURING", "FOR", "FROM", "IN", "INSIDE", "INTO",
    "NEAR", "OF", "OFF", "ON", "ONTO", "OUTSIDE", "OVER", "THROUGH", "TO", "TOWARD", "TOWARDS",
    "UNDER", "UNTIL", "UPON", "VIA", "WITH", "WITHIN", "WITHOUT",
];
/// Prepositions whose object PETRARCH would take as the target when a pattern does not say
/// (it takes the first actor in the verb's phrase). "for" and "over" mostly carry purposes and
/// times ("for 1990") and are left out.
const TARGET_PREPS: &str = "{with|against|to|toward|towards|on|upon|into|from|at|of}";

/// The open-target variant of a pattern body.
fn open_variants(code: &str, body: &str, origin: &str, out: &mut Vec<(String, String)>) {
    out.push((format!("{code} {body} {TARGET_PREPS}"), origin.to_string()));
}

/// Whether a pattern whose object carries modifiers is kept with its head noun only (broader
/// than PETRARCH's) rather than reported as not expressible.
const MODIFIED_OBJECTS: bool = false;

/// Collect every code segment and event code used, so stand-ins avoid them.
fn used_codes(set: &PetrarchSet) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut segs = BTreeSet::new();
    let mut add = |code: &str| {
        let c = code.to_uppercase();
        if c.len().is_multiple_of(3) && c.is_ascii() {
            for i in 0..c.len() / 3 {
                segs.insert(c[i * 3..i * 3 + 3].to_string());
            }
        }
    };
    for d in &set.actors {
        for a in &d.actors {
            for c in &a.codes {
                add(&c.code);
            }
        }
    }
    for d in &set.agents {
        for a in &d.agents {
            add(&a.code);
        }
    }
    let mut events = BTreeSet::new();
    for d in &set.verbs {
        for b in &d.blocks {
            let codes = b
                .code
                .iter()
                .chain(b.verbs.iter().filter_map(|v| v.code.as_ref()))
                .chain(b.patterns.iter().map(|p| &p.code));
            for c in codes {
                for part in c.split(':') {
                    events.insert(part.trim().to_string());
                }
            }
        }
    }
    (segs, events)
}

/// Convert parsed PETRARCH dictionaries into dyad-format texts (in `report.generated`).
pub fn convert(set: &PetrarchSet) -> ConversionReport {
    let (segs, events) = used_codes(set);
    let mut r = ConversionReport {
        code_map: CodeMap::new(&segs, &events),
        ..Default::default()
    };
    for d in &set.verbs {
        r.files.push(FileSummary {
            file: d.file.clone(),
            kind: PetrKind::Verbs,
            read: d.pattern_count() + d.blocks.iter().map(|b| b.verbs.len()).sum::<usize>(),
            errors: d.errors.len(),
        });
    }
    for d in &set.actors {
        r.files.push(FileSummary {
            file: d.file.clone(),
            kind: PetrKind::Actors,
            read: d.actors.len(),
            errors: d.errors.len(),
        });
    }
    for d in &set.agents {
        r.files.push(FileSummary {
            file: d.file.clone(),
            kind: PetrKind::Agents,
            read: d.agents.len(),
            errors: d.errors.len(),
        });
    }
    for d in &set.discards {
        r.files.push(FileSummary {
            file: d.file.clone(),
            kind: PetrKind::Discards,
            read: d.discards.len(),
            errors: d.errors.len(),
        });
    }
    r.errors.extend(set.errors());
    let actors = convert_actors(set, &mut r);
    let agents = convert_agents(set, &mut r);
    let verbs = convert_verbs(set, &mut r);
    let discards = convert_discards(set, &mut r);
    let dropped: usize = r.code_map.dropped_segments.values().sum();
    if dropped > 0 {
        r.approximated.insert(
            "code segment dropped (no unused dyad role left to stand in)".into(),
            dropped,
        );
    }
    let mut generated = Vec::new();
    // dyad needs at least one file; an empty kind is simply left out.
    for (path, text) in [
        ("petrarch/actors/petrarch.txt", actors),
        ("petrarch/agents.txt", agents),
        ("petrarch/verbs/petrarch.txt", verbs),
        ("petrarch/discards.txt", discards),
    ] {
        if !text.trim().is_empty() {
            generated.push((path.to_string(), text));
        }
    }
    r.generated = generated;
    r
}

/// A name dyad can match: has a letter or digit, no `|` or `#`.
fn usable_name(words: &[String]) -> Option<String> {
    let name = title_case(words);
    (name.chars().any(char::is_alphanumeric) && !name.contains(['|', '#'])).then_some(name)
}

fn convert_actors(set: &PetrarchSet, r: &mut ConversionReport) -> String {
    let mut out = String::new();
    for d in &set.actors {
        for a in &d.actors {
            let names: Vec<String> = a.names.iter().filter_map(|n| usable_name(n)).collect();
            if names.is_empty() {
                r.unexpressed(
                    &d.file,
                    a.line,
                    "name without letters",
                    &a.names[0].join(" "),
                );
                continue;
            }
            let mut lines = Vec::new();
            for c in &a.codes {
                let code = match r.code_map.actor(&c.code) {
                    Ok(x) => x,
                    Err(m) => {
                        r.unexpressed(&d.file, c.line, "actor code", &m);
                        continue;
                    }
                };
                let range = match c.when {
                    Restriction::Always => String::new(),
                    Restriction::Before(b) => format!(" ..{b}"),
                    Restriction::After(b) => format!(" {b}.."),
                    Restriction::Between(x, y) if x <= y => format!(" {x}..{y}"),
                    Restriction::Between(x, y) => {
                        r.unexpressed(
                            &d.file,
                            c.line,
                            "date range ends before it starts",
                            &format!("{x} - {y}"),
                        );
                        continue;
                    }
                };
                lines.push(format!("    {code}{range}    # {}:{}\n", d.file, c.line));
            }
            if lines.is_empty() {
                r.unexpressed(&d.file, a.line, "actor without a usable code", &names[0]);
                continue;
            }
            r.actors += 1;
            r.actor_names += names.len();
            r.actor_codes += lines.len();
            let _ = writeln!(out, "{}    # {}:{}", names.join(" | "), d.file, a.line);
            for l in lines {
                out.push_str(&l);
            }
            out.push('\n');
        }
    }
    out
}

fn convert_agents(set: &PetrarchSet, r: &mut ConversionReport) -> String {
    // dyad: one line per code, a term under one code only (first definition wins).
    let mut order: Vec<String> = Vec::new();
    let mut terms: HashMap<String, Vec<String>> = HashMap::new();
    let mut owner: HashMap<String, (String, String)> = HashMap::new();
    for d in &set.agents {
        for a in &d.agents {
            if a.place == AgentPlace::Prefix {
                r.unexpressed(
                    &d.file,
                    a.line,
                    "agent code before the actor code ([CODE~])",
                    &a.code,
                );
                continue;
            }
            let code = match r.code_map.agent(&a.code) {
                Ok(c) => c,
                Err(m) => {
                    r.unexpressed(&d.file, a.line, "agent code", &m);
                    continue;
                }
            };
            let mut forms = vec![a.words.join(" ").to_lowercase()];
            if let Some(pl) = &a.plurals {
                forms.extend(pl.iter().map(|w| w.join(" ").to_lowercase()));
            }
            for term in forms {
                if !term.chars().any(char::is_alphanumeric)
                    || term.contains(['|', '#'])
                    || term.starts_with('~')
                {
                    r.unexpressed(&d.file, a.line, "agent term dyad cannot match", &term);
                    continue;
                }
                match owner.get(&term) {
                    Some((c, _)) if *c == code => continue,
                    Some((c, at)) => {
                        r.unexpressed(
                            &d.file,
                            a.line,
                            "agent term already under another code",
                            &format!("'{term}' is {} at {at}", r.code_map.restore_actor(c)),
                        );
                        continue;
                    }
                    None => {}
                }
                owner.insert(
                    term.clone(),
                    (code.clone(), format!("{}:{}", d.file, a.line)),
                );
                if !terms.contains_key(&code) {
                    order.push(code.clone());
                }
                terms.entry(code.clone()).or_default().push(term);
                r.agent_terms += 1;
            }
        }
    }
    let mut out = String::new();
    for code in order {
        let _ = writeln!(out, "{code} {}", terms[&code].join(" | "));
    }
    out
}

fn convert_discards(set: &PetrarchSet, r: &mut ConversionReport) -> String {
    let mut out = String::new();
    let mut seen = BTreeSet::new();
    for d in &set.discards {
        for x in &d.discards {
            let phrase = x.words.join(" ").to_lowercase();
            if phrase.starts_with("name:") || !seen.insert(phrase.clone()) {
                continue;
            }
            if x.story {
                r.approx("story discard used as sentence discard");
            }
            r.discards += 1;
            let _ = writeln!(out, "{phrase}    # {}:{}", d.file, x.line);
        }
    }
    out
}

/// A dyad pattern before it is written: predicate, object heads, prepositions, code.
#[derive(Debug, Clone)]
struct Converted {
    objects: Vec<String>,
    preps: Vec<String>,
    /// The target is not pinned to a preposition: also try common prepositions.
    open_target: bool,
}

fn is_prep(w: &str) -> bool {
    PREPS.contains(&w)
}

fn word_ok(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '.'))
}

/// The head nouns an element stands for: a word, a synset's members' last words, a group's
/// last word.
fn heads(e: &Elem, d: &VerbDictionary, depth: usize, out: &mut Vec<String>) -> Result<(), String> {
    match e {
        Elem::Word(w) => out.push(singular(w)),
        Elem::Synset(s) => {
            let syn = d
                .synset(s)
                .ok_or_else(|| format!("undefined synset &{s}"))?;
            if depth > 4 {
                return Err(format!("synset &{s} nests too deeply"));
            }
            for m in &syn.members {
                let last = m.last().expect("members are non-empty");
                match last.strip_prefix('&') {
                    Some(inner) => heads(&Elem::Synset(inner.to_string()), d, depth + 1, out)?,
                    None => out.push(if syn.no_plural {
                        last.to_lowercase()
                    } else {
                        singular(last)
                    }),
                }
            }
        }
        Elem::Group(g) => match g.last() {
            Some(last) => heads(last, d, depth + 1, out)?,
            None => return Err("empty noun group {}".into()),
        },
        _ => return Err("marker inside a noun phrase".into()),
    }
    Ok(())
}

fn convert_pattern(
    p: &Pattern,
    d: &VerbDictionary,
    allow_modifiers: bool,
) -> Result<(Converted, bool), String> {
    if p.pre
        .iter()
        .any(|e| !matches!(e, Elem::Source | Elem::Skip))
    {
        return Err(if p.pre.contains(&Elem::Target) {
            "target before the verb".into()
        } else {
            "words before the verb".into()
        });
    }
    // Flatten a phrase `( PREP + )` into the sequence; other phrases hold no target.
    let mut seq: Vec<&Elem> = Vec::new();
    for e in &p.post {
        match e {
            Elem::Skip => {}
            Elem::Phrase(inner) if inner.contains(&Elem::Target) => {
                seq.extend(inner.iter().filter(|x| **x != Elem::Skip))
            }
            _ => seq.push(e),
        }
    }
    if seq.contains(&&Elem::Source) {
        return Err("source after the verb".into());
    }
    if seq.contains(&&Elem::Compound) {
        return Err("compound marker %".into());
    }
    if seq.iter().any(|e| matches!(e, Elem::Phrase(_))) {
        return Err("prepositional phrase without a target".into());
    }
    let mut i = 0;
    let mut np: Vec<&Elem> = Vec::new();
    while i < seq.len()
        && !matches!(seq[i], Elem::Target)
        && !matches!(seq[i], Elem::Word(w) if is_prep(w))
    {
        np.push(seq[i]);
        i += 1;
    }
    let mut objects = Vec::new();
    // A noun group `{FREE-TRADE &TREATY}` or words before the head ("TRADE PROTOCOL") narrow
    // the object; dyad compares only the head lemma, so such a pattern would fire on every
    // treaty. Dropping the modifiers is allowed only when the caller says so.
    let modified = np.len() > 1
        || np
            .iter()
            .any(|e| matches!(e, Elem::Group(g) if g.len() > 1));
    if modified && !allow_modifiers {
        return Err("noun modifiers (dyad constrains the object head only)".into());
    }
    let dropped_modifiers = modified;
    if let Some(last) = np.last() {
        heads(last, d, 0, &mut objects)?;
    }
    objects.retain(|w| word_ok(w));
    objects.sort_unstable();
    objects.dedup();
    if !np.is_empty() && objects.is_empty() {
        return Err("object words dyad cannot match".into());
    }
    let rest = &seq[i..];
    let conv = match rest {
        [] => Converted {
            objects,
            preps: Vec::new(),
            open_target: true,
        },
        [Elem::Target] => Converted {
            open_target: !np.is_empty(),
            objects,
            preps: Vec::new(),
        },
        [Elem::Word(prep), Elem::Target] if is_prep(prep) => Converted {
            objects,
            preps: vec![prep.to_lowercase()],
            open_target: false,
        },
        [Elem::Target, ..] => return Err("words after the target".into()),
        [Elem::Word(w), ..] if is_prep(w) => {
            return Err("prepositional phrase without a target".into())
        }
        _ => return Err("pattern shape".into()),
    };
    Ok((conv, dropped_modifiers))
}

fn convert_verbs(set: &PetrarchSet, r: &mut ConversionReport) -> String {
    // Lines in priority passes: explicit patterns, then the open-target variants of object
    // patterns, then bare verbs with open targets, then bare verbs.
    let mut passes: [Vec<(String, String)>; 4] = Default::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for d in &set.verbs {
        for t in &d.transformations {
            r.unexpressed(&d.file, t.line, "transformation", &t.text);
        }
        for b in &d.blocks {
            let forms: Vec<(&VerbForm, String)> = b
                .verbs
                .iter()
                .filter_map(|v| {
                    if !v.pre_words().is_empty() {
                        r.unexpressed(
                            &d.file,
                            v.line,
                            "words before the verb in a multi-word verb",
                            &v.words.join("_"),
                        );
                        return None;
                    }
                    let mut pred = v.lemma();
                    for w in v.post_words() {
                        pred.push('_');
                        pred.push_str(&w.to_lowercase());
                    }
                    if !pred
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '_' || c == '-')
                    {
                        r.unexpressed(&d.file, v.line, "verb dyad cannot write", &pred);
                        return None;
                    }
                    if !v.irregular.is_empty() {
                        r.approx("irregular verb forms left to the lemmatiser");
                    }
                    Some((v, pred))
                })
                .collect();
            // Bare verbs.
            for (v, pred) in &forms {
                let Some(raw) = v.code.as_ref().or(b.code.as_ref()) else {
                    continue;
                };
                if raw == crate::codes::NULL_EVENT {
                    continue; // the isolated verb codes nothing: no pattern needed
                }
                let mut note = None;
                match r.code_map.event(raw, &mut note) {
                    Ok(code) => {
                        if note.is_some() {
                            r.approx("compound event code: first part used");
                        }
                        let origin = format!("{}:{}", d.file, v.line);
                        open_variants(&code, pred, &origin, &mut passes[2]);
                        passes[3].push((format!("{code} {pred}"), origin));
                    }
                    Err(m) => r.unexpressed(&d.file, v.line, "event code", &m),
                }
            }
            for p in &b.patterns {
                r.verb_patterns_read += 1;
                let mut note = None;
                let code = match r.code_map.event(&p.code, &mut note) {
                    Ok(c) => c,
                    Err(m) => {
                        r.unexpressed(&d.file, p.line, "event code", &m);
                        continue;
                    }
                };
                if note.is_some() {
                    r.approx("compound event code: first part used");
                }
                let (conv, dropped) = match convert_pattern(p, d, MODIFIED_OBJECTS) {
                    Ok(x) => x,
                    Err(reason) => {
                        r.unexpressed(&d.file, p.line, &reason, &p.text);
                        continue;
                    }
                };
                if dropped {
                    r.approx("noun modifiers dropped (object head only)");
                }
                let origin = format!("{}:{}", d.file, p.line);
                for (_, pred) in &forms {
                    let mut body = pred.clone();
                    if !conv.objects.is_empty() {
                        let _ = write!(body, " [{}]", conv.objects.join("|"));
                    }
                    if conv.objects.is_empty() && conv.preps.is_empty() {
                        // `- * +` says what the bare verb says, with this code.
                        open_variants(&code, &body, &origin, &mut passes[2]);
                        passes[3].push((format!("{code} {body}"), origin.clone()));
                        continue;
                    }
                    if !conv.preps.is_empty() {
                        let _ = write!(body, " {{{}}}", conv.preps.join("|"));
                        passes[0].push((format!("{code} {body}"), origin.clone()));
                    } else {
                        if conv.open_target {
                            open_variants(&code, &body, &origin, &mut passes[1]);
                        }
                        passes[0].push((format!("{code} {body}"), origin.clone()));
                    }
                }
            }
        }
    }
    let mut out = String::new();
    for pass in passes {
        for (line, origin) in pass {
            // Same predicate and constraints: dyad would keep only the first anyway.
            let key = pattern_key(&line);
            if !seen.insert(key) {
                r.verb_patterns_merged += 1;
                continue;
            }
            r.verb_patterns_written += 1;
            let _ = writeln!(out, "{line}    # {origin}");
        }
    }
    out
}

/// The pattern without its code, with bracket lists sorted.
fn pattern_key(line: &str) -> String {
    let body = line.split_once(' ').map_or(line, |x| x.1);
    body.split(' ')
        .map(|el| {
            if let Some(inner) = el.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                let mut v: Vec<&str> = inner.split('|').collect();
                v.sort_unstable();
                format!("[{}]", v.join("|"))
            } else if let Some(inner) = el.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let mut v: Vec<&str> = inner.split('|').collect();
                v.sort_unstable();
                format!("{{{}}}", v.join("|"))
            } else {
                el.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_set() -> Vec<(String, PetrKind, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        [
            "mini.verbs.txt",
            "mini.actors.txt",
            "mini.agents.txt",
            "mini.discards.txt",
        ]
        .iter()
        .map(|f| {
            let p = dir.join(f);
            (
                f.to_string(),
                PetrKind::of_path(&p).unwrap(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
    }

    #[test]
    fn fixture_converts_and_loads() {
        let (dict, r) = load_petrarch_sources(&fixture_set()).unwrap_or_else(|e| panic!("{e}"));
        for (p, t) in &r.generated {
            eprintln!("== {p}\n{t}");
        }
        assert!(r.actors >= 6, "{r:?}");
        // Dated codes: King Varek has three code lines, the reversed range is reported.
        let king = dict
            .actors()
            .iter()
            .find(|a| a.names[0] == "King Varek")
            .unwrap();
        assert_eq!(king.codes.len(), 3);
        assert!(r
            .unexpressed
            .iter()
            .any(|e| e.message.contains("ends before it starts")));
        // Invented country codes are carried through stand-ins and restored.
        let res = dict.lookup_phrase("Oskara", None).expect("Oskara resolves");
        assert_eq!(r.code_map.restore_actor(&res.code), "OSK");
        let res = dict
            .lookup_phrase("the Kestrian envoy", None)
            .expect("agent combines");
        assert_eq!(r.code_map.restore_actor(&res.code), "KSTGOV");
        // Verb patterns.
        let p = dict
            .match_verb("restore", None, Some("tie"), &["with"], false)
            .unwrap();
        assert_eq!(p.code, "064");
        let p = dict
            .match_verb("carry", Some("out"), Some("raid"), &["on"], false)
            .unwrap();
        assert_eq!(p.code, "190");
        let p = dict
            .match_verb("send", None, Some("blanket"), &["to"], false)
            .unwrap();
        assert_eq!(p.code, "0233");
        let p = dict
            .match_verb("meet", None, None, &["with"], false)
            .unwrap();
        assert_eq!(p.code, "040");
        // Null pattern: a stand-in code that restores to ---.
        let p = dict
            .match_verb("send", None, Some("troop"), &["to"], false)
            .unwrap();
        assert_eq!(r.code_map.restore_event(&p.code), "---");
        // What dyad cannot say is counted by reason.
        for reason in [
            "noun modifiers (dyad constrains the object head only)",
            "words before the verb",
            "compound marker %",
            "target before the verb",
            "transformation",
            "prepositional phrase without a target",
        ] {
            assert!(
                r.unexpressed_by_reason.contains_key(reason),
                "{reason}: {:?}",
                r.unexpressed_by_reason
            );
        }
        assert!(r.unexpressed.iter().any(|e| e.message.contains("[CODE~]")));
        // Reader errors keep their file and line.
        assert!(r
            .errors
            .iter()
            .any(|e| e.file == "mini.verbs.txt" && e.line > 0));
        assert!(dict
            .discards()
            .iter()
            .any(|x| x.phrase == "harvest festival"));
    }

    #[test]
    fn files_in_a_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let files = petrarch_files_in(&dir).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "mini.actors.txt",
                "mini.agents.txt",
                "mini.discards.txt",
                "mini.verbs.txt"
            ]
        );
        let (dict, _) = load_petrarch_dictionaries(&files).unwrap();
        assert!(dict.lookup_phrase("Kestria", None).is_some());
        assert!(matches!(
            load_petrarch_dictionaries(&[dir.join("mini.records.xml")]),
            Err(LoadError::Input(_))
        ));
    }

    #[test]
    fn pattern_keys_ignore_list_order() {
        assert_eq!(
            pattern_key("040 meet [b|a] {to|at}"),
            pattern_key("041 meet [a|b] {at|to}")
        );
    }
}
