//! A PETRARCH-compatible coder: the dictionaries' own verb-pattern semantics applied to a
//! phrase-structure tree, written for dyad (not a port).
//!
//! The sentence tree (Penn Treebank, or one built from UD dependencies by [`crate::deptree`])
//! is linearised as PETRARCH's dictionaries expect: noun phrases become named-entity spans
//! (`NE`, possessives and simple `NP PP NP` phrases kept whole), co-ordinated noun phrases
//! become compounds (`NEC`) whose members are coded one by one, and verb phrases keep their
//! bounds. Every verb phrase headed by a dictionary verb is matched against its block's
//! patterns: post-verb elements in order through the rest of the verb phrase, pre-verb elements
//! backwards from the verb to the start of the clause (a comma ends it); words may be skipped
//! between elements; `$`/`+` bind the source/target noun phrase, `^` skips one, `%` binds a
//! compound as both; `&SYNSET`s match any member (plurals too unless the set is marked `_`).
//! The first pattern that matches (most elements first) gives the code; `---` falls back to the
//! verb's code. Without markers the source is the nearest coded noun phrase before the verb,
//! the target the first coded one after it. A coded verb phrase is not searched further; an
//! uncoded one is (so "A is about to reopen talks with B" codes "reopen"). Passive verbs with
//! "by" swap source and target; `X:Y` codes give both directions; compound actors give one
//! event per member; comma-delimited clauses are removed per the `comma_*` options.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use chrono::NaiveDate;

use crate::actors::{AgentPlace, Restriction};
use crate::convert::PetrarchSet;
use crate::verbs::Elem;

/// A phrase-structure tree.
///
/// Its strings borrow from what it was built from (the bracketed text, or the repaired
/// tokens of [`crate::deptree::Prepared`]), and its phrases' children live in a
/// [`TreeArena`]: building and walking it copies no words, and dropping it frees nothing.
#[derive(Debug, Clone, Copy)]
pub enum Tree<'a> {
    Leaf {
        tag: &'a str,
        word: &'a str,
    },
    Phrase {
        label: &'a str,
        kids: &'a [Tree<'a>],
        /// Which of the labels the coder asks about lie inside ([`Inside`]), worked out
        /// once when the phrase is made ([`Tree::phrase`]) instead of by a walk per question.
        inside: u8,
    },
}

/// The labels [`Tree::has_label`] can be asked about, as bits of a phrase's `inside`.
pub(crate) struct Inside;

impl Inside {
    pub const CC: u8 = 1;
    pub const VP: u8 = 2;
    pub const S: u8 = 4;
    pub const POS: u8 = 8;
    pub const PP: u8 = 16;
    pub const NP: u8 = 32;
    /// A verb phrase anywhere below, relative clauses included ([`Tree::has_clause`]).
    const CLAUSE: u8 = 64;

    fn of_label(label: &str) -> u8 {
        match label {
            "CC" => Inside::CC,
            "VP" => Inside::VP | Inside::CLAUSE,
            "S" => Inside::S,
            "POS" => Inside::POS,
            "PP" => Inside::PP,
            "NP" => Inside::NP,
            _ => 0,
        }
    }
}

/// Where phrase trees are built ([`parse_ptb`], [`crate::deptree::Prepared::tree`]): one
/// per sentence or batch, freed at once with the trees in it.
pub type TreeArena = bumpalo::Bump;

impl<'a> Tree<'a> {
    /// A phrase of `kids`: a kid's own label counts as inside, and so does what is inside
    /// it, except inside an `SBAR` (a clause of its own), where only verb phrases count.
    pub fn phrase(label: &'a str, kids: &'a [Tree<'a>]) -> Tree<'a> {
        let mut inside = 0;
        for k in kids {
            inside |= Inside::of_label(k.label());
            if let Tree::Phrase {
                label: l,
                inside: i,
                ..
            } = k
            {
                inside |= if l.starts_with("SBAR") {
                    i & Inside::CLAUSE
                } else {
                    *i
                };
            }
        }
        Tree::Phrase {
            label,
            kids,
            inside,
        }
    }
    pub(crate) fn label(&self) -> &'a str {
        match self {
            Tree::Leaf { tag, .. } => tag,
            Tree::Phrase { label, .. } => label,
        }
    }
    fn kids(&self) -> &[Tree<'a>] {
        match self {
            Tree::Leaf { .. } => &[],
            Tree::Phrase { kids, .. } => kids,
        }
    }
    fn words(&self, out: &mut Words<'a>) {
        match self {
            Tree::Leaf { tag, word } => out.push((word, tag)),
            Tree::Phrase { kids, .. } => kids.iter().for_each(|k| k.words(out)),
        }
    }
    /// Whether a verb phrase lies anywhere inside (relative clauses included).
    fn has_clause(&self) -> bool {
        self.inside() & Inside::CLAUSE != 0
    }
    /// Whether any of `labels` ([`Inside`] bits) lies inside, not looking into `SBAR`s.
    fn has_label(&self, labels: u8) -> bool {
        self.inside() & labels != 0
    }
    fn inside(&self) -> u8 {
        match self {
            Tree::Leaf { .. } => 0,
            Tree::Phrase { inside, .. } => *inside,
        }
    }
}

/// Parse a Penn Treebank bracketing (`(ROOT (S …))`) into a [`Tree`] made in `arena`.
pub fn parse_ptb<'a>(s: &'a str, arena: &'a TreeArena) -> Result<Tree<'a>, String> {
    // Tokens are slices of `s`: brackets alone, anything else up to a bracket or a space.
    let mut toks: Vec<&str> = Vec::new();
    let mut from = None;
    for (i, ch) in s.char_indices() {
        if ch == '(' || ch == ')' || ch.is_whitespace() {
            if let Some(f) = from.take() {
                toks.push(&s[f..i]);
            }
            if !ch.is_whitespace() {
                toks.push(&s[i..i + 1]);
            }
        } else if from.is_none() {
            from = Some(i);
        }
    }
    if let Some(f) = from {
        toks.push(&s[f..]);
    }
    fn node<'a>(
        t: &[&'a str],
        pos: &mut usize,
        arena: &'a TreeArena,
    ) -> Result<Option<Tree<'a>>, String> {
        if t.get(*pos).copied() != Some("(") {
            return Err(format!("expected '(' at token {}", *pos + 1));
        }
        *pos += 1;
        let label: &'a str = match t.get(*pos).copied() {
            Some("(") => "",
            Some(")") => {
                *pos += 1;
                return Ok(None);
            }
            Some(l) => {
                *pos += 1;
                l
            }
            None => return Err("tree ends after '('".into()),
        };
        if let (Some(&w), Some(&c)) = (t.get(*pos), t.get(*pos + 1)) {
            if w != "(" && w != ")" && c == ")" {
                *pos += 2;
                if label == "-NONE-" {
                    return Ok(None);
                }
                return Ok(Some(Tree::Leaf {
                    tag: label,
                    word: w,
                }));
            }
        }
        let mut kids = bumpalo::collections::Vec::new_in(arena);
        loop {
            match t.get(*pos).copied() {
                Some(")") => {
                    *pos += 1;
                    break;
                }
                Some("(") => {
                    if let Some(n) = node(t, pos, arena)? {
                        kids.push(n);
                    }
                }
                Some(w) => return Err(format!("unexpected word '{w}' outside a (TAG word) pair")),
                None => return Err("unbalanced parentheses: tree not closed".into()),
            }
        }
        if kids.is_empty() {
            return Ok(None);
        }
        let base = if label.starts_with('-') {
            label
        } else if label.starts_with("NP-TMP") {
            // PETRARCH does not make temporal noun phrases into actors.
            "NP-TMP"
        } else {
            label.split(['-', '=']).next().unwrap_or("")
        };
        Ok(Some(Tree::phrase(base, kids.into_bump_slice())))
    }
    if toks.is_empty() {
        return Err("empty parse".into());
    }
    let mut pos = 0;
    let root = node(&toks, &mut pos, arena)?.ok_or("parse has no words")?;
    if pos != toks.len() {
        return Err(format!("text after the tree: '{}'", toks[pos..].join(" ")));
    }
    Ok(root)
}

/// FNV-1a: the coder's tables are keyed by short words, where SipHash's set-up cost
/// dominates the lookup.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A 256-bit signature of a set of words (one bit per word, by hash): a verb's patterns are
/// checked against the sentence's signature before their words are looked up one by one,
/// since most patterns name a word the sentence lacks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct WordSig([u64; 4]);

/// FNV-1a hash of a word, as the maps hash it.
fn word_hash(w: &str) -> u64 {
    let mut h = Fnv(0);
    std::hash::Hasher::write(&mut h, w.as_bytes());
    std::hash::Hasher::finish(&h)
}

impl WordSig {
    fn of_hashes(hashes: impl IntoIterator<Item = u64>) -> WordSig {
        let mut sig = WordSig::default();
        for h in hashes {
            let bit = h as usize % 256;
            sig.0[bit / 64] |= 1 << (bit % 64);
        }
        sig
    }

    #[cfg(test)]
    fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> WordSig {
        WordSig::of_hashes(words.into_iter().map(word_hash))
    }

    /// Whether every word of `other` may be among these (no false negatives).
    fn may_contain(&self, other: &WordSig) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }
}
type Set<K> = HashSet<K, BuildHasherDefault<Fnv>>;

/// Options of a record (PETRARCH's `<Config>` names).
#[derive(Debug, Clone, Copy)]
pub struct CodeOptions {
    pub require_dyad: bool,
    pub new_actor_length: usize,
    pub comma_min: usize,
    pub comma_max: usize,
    pub comma_bmin: usize,
    pub comma_bmax: usize,
    pub comma_emin: usize,
    pub comma_emax: usize,
    /// PETRARCH2's verb-code algebra ([`crate::algebra`]): negated verbs code the refusal,
    /// a verb governing another codes their combination. PETRARCH-1-style dictionaries and
    /// records (no internal coding ontology) code each verb alone.
    pub code_algebra: bool,
    /// PETRARCH2's discard check ([`PetrCoder::discarded_petrarch2`]: the words as
    /// written, a phrase counting only when a word follows it) in place of PETRARCH-1's
    /// phrase-anywhere check. For records coded by PETRARCH2; off by default, since the
    /// plain check drops more of what the discards name.
    pub petrarch2_discards: bool,
}

impl Default for CodeOptions {
    fn default() -> Self {
        CodeOptions {
            require_dyad: true,
            new_actor_length: 0,
            comma_min: 2,
            comma_max: 8,
            comma_bmin: 0,
            comma_bmax: 0,
            comma_emin: 2,
            comma_emax: 8,
            code_algebra: true,
            petrarch2_discards: false,
        }
    }
}

/// One pattern element, synsets resolved to their word sequences.
#[derive(Debug, Clone)]
enum PElem {
    Word(String),
    Set(usize),
    Source,
    Target,
    Skip,
    Compound,
}

#[derive(Debug, Clone)]
struct Pat {
    /// Pre-verb elements, nearest the verb first (they are matched backwards).
    pre: Vec<PElem>,
    post: Vec<PElem>,
    /// Per element (post in order, pre reversed from the verb): joined by `_` to the previous
    /// element (the verb for the first), so no word may come between.
    post_adj: Vec<bool>,
    pre_adj: Vec<bool>,
    /// Hashes of the pattern's literal words ([`word_hash`]): a sentence without one of
    /// them cannot match. A hash collision only lets a pattern through to the exact match.
    needs: Vec<u64>,
    /// [`WordSig`] of `needs`.
    needs_sig: WordSig,
    /// The first element after the verb is a plain word, not in parentheses: PETRARCH2
    /// reads it as the head of a noun phrase, so it never matches a preposition.
    bare_first: bool,
    code: String,
}

impl Pat {
    /// Whether the sentence has every literal word of the pattern.
    fn may_match(&self, s: &Lin) -> bool {
        s.vocab_sig.may_contain(&self.needs_sig)
            && self.needs.iter().all(|h| s.vocab.binary_search(h).is_ok())
    }
}

/// Which pattern elements are joined with `_` to the one before them (toward the verb for
/// pre-verb elements), read from the pattern's text: (pre, reversed from the verb; post).
fn adjacency(text: &str) -> (Vec<bool>, Vec<bool>) {
    let body = text.trim().trim_start_matches('-');
    let body = match body.rfind('[') {
        Some(p) => &body[..p],
        None => body,
    };
    // Tokens with "glued to the next one".
    let mut toks: Vec<(String, bool)> = Vec::new();
    for chunk in body.split(|c: char| c.is_whitespace() || "(){}".contains(c)) {
        let parts: Vec<&str> = chunk.split('_').filter(|p| !p.is_empty()).collect();
        for (i, p) in parts.iter().enumerate() {
            toks.push((p.to_string(), i + 1 < parts.len()));
        }
    }
    let Some(star) = toks.iter().position(|t| t.0 == "*" || t.0 == "**") else {
        return (Vec::new(), Vec::new());
    };
    let pre = &toks[..star];
    let post = &toks[star + 1..];
    // Post: element k is glued to the previous token (the verb for k = 0).
    let post_adj = (0..post.len())
        .map(|k| if k == 0 { toks[star].1 } else { post[k - 1].1 })
        .collect();
    // Pre, reversed: element k (counting back from the verb) is glued to the one after it.
    let pre_adj = (0..pre.len()).map(|k| pre[pre.len() - 1 - k].1).collect();
    (pre_adj, post_adj)
}

#[derive(Debug, Clone)]
struct VerbEntry {
    pre: Vec<String>,
    post: Vec<String>,
    code: Option<String>,
    block: usize,
}

#[derive(Debug, Clone)]
struct ActorPat {
    words: Vec<String>,
    /// [`word_hash`] of the second word (0 for one word): a phrase list for a common first
    /// word ("INTERNATIONAL" keys hundreds) is scanned without following each phrase's words.
    second: u64,
    spaced: bool,
    codes: Vec<(String, Restriction)>,
}

#[derive(Debug, Clone)]
struct AgentPat {
    words: Vec<String>,
    code: String,
    place: AgentPlace,
}

/// Read PETRARCH dictionary files (kinds from their names, see
/// [`crate::PetrKind::of_path`]) into a coder; the readers' line errors come back with it.
pub fn load_petrarch_coder(
    files: &[std::path::PathBuf],
) -> Result<(PetrCoder, Vec<crate::PetrError>), crate::LoadError> {
    let inputs = crate::convert::read_petrarch_files(files)?;
    let set = PetrarchSet::parse(&inputs);
    let errors = set.errors();
    Ok((PetrCoder::new(&set), errors))
}

/// One coded event with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct PetrEvent {
    /// Source and target actor codes (`---` unknown, `"…"` a new actor's text) and the CAMEO
    /// event code, as in PETRARCH's output.
    pub source: String,
    pub target: String,
    pub code: String,
    /// The verb that carried the event: a word index of the coded sentence (a token index
    /// from [`PetrCoder::code_tokens_detailed`]).
    pub verb: Option<usize>,
    /// First and last word (token) of the source's and target's noun phrases.
    pub source_words: Option<(usize, usize)>,
    pub target_words: Option<(usize, usize)>,
    /// The verb was negated ("did not meet"); with the code algebra a negated co-operation
    /// or yielding is already coded as its refusal (12x).
    pub negated: bool,
}

/// Each coder word's token: the words are the tokens' forms in order, some left out
/// (punctuation, possessive marks), so a forward match of uppercase forms finds them.
fn align_words(words: &[String], tokens: &[dyad_core::Token]) -> Vec<Option<usize>> {
    let forms: Vec<String> = tokens.iter().map(|t| t.form.to_uppercase()).collect();
    let mut out = Vec::with_capacity(words.len());
    let mut next = 0;
    for w in words {
        let found = (next..forms.len())
            .find(|&i| forms[i] == *w)
            .or_else(|| (0..forms.len().min(next)).find(|&i| forms[i] == *w));
        if let Some(i) = found {
            if i >= next {
                next = i + 1;
            }
        }
        out.push(found);
    }
    out
}

/// A synset's members (word sequences), indexed by the word a match starts at: a verb's
/// patterns name synsets of hundreds of members, and trying each one at every position of
/// the sentence was most of the coding time.
#[derive(Debug, Default)]
struct Synset {
    members: Vec<Vec<String>>,
    /// Member indices (dictionary order) by first word: matching forwards from the verb.
    by_first: Map<String, Vec<u32>>,
    /// Member indices (dictionary order) by last word: matching backwards from the verb.
    by_last: Map<String, Vec<u32>>,
}

impl Synset {
    fn new(members: Vec<Vec<String>>) -> Synset {
        let (mut by_first, mut by_last) = (Map::default(), Map::default());
        for (i, m) in members.iter().enumerate() {
            if let (Some(first), Some(last)) = (m.first(), m.last()) {
                by_first
                    .entry(first.clone())
                    .or_insert_with(Vec::new)
                    .push(i as u32);
                by_last
                    .entry(last.clone())
                    .or_insert_with(Vec::new)
                    .push(i as u32);
            }
        }
        Synset {
            members,
            by_first,
            by_last,
        }
    }

    /// The members that can match starting at `word` (forwards, or backwards with `back`),
    /// in dictionary order. An empty member never matches: a match starts at a word.
    fn starting_at<'a>(&'a self, word: &str, back: bool) -> impl Iterator<Item = &'a [String]> {
        let index = if back { &self.by_last } else { &self.by_first };
        index
            .get(word)
            .into_iter()
            .flatten()
            .map(|&i| self.members[i as usize].as_slice())
    }
}

/// The dictionaries in the coder's lookup form.
#[derive(Debug, Default)]
pub struct PetrCoder {
    verbs: Map<String, Vec<VerbEntry>>,
    blocks: Vec<Vec<Pat>>,
    sets: Vec<Synset>,
    actors: Map<String, Vec<ActorPat>>,
    agents: Map<String, Vec<AgentPat>>,
    transforms: Vec<Transform>,
    /// Discard phrases by first word.
    discards: Map<String, Vec<Vec<String>>>,
}

fn plural(w: &str) -> String {
    if w.ends_with('Y') && !w.ends_with("AY") && !w.ends_with("EY") && !w.ends_with("OY") {
        format!("{}IES", &w[..w.len() - 1])
    } else if w.ends_with('S') || w.ends_with('X') || w.ends_with("CH") || w.ends_with("SH") {
        format!("{w}ES")
    } else {
        format!("{w}S")
    }
}

/// The regular forms of a verb (uppercase): base, -S, -ED, -ING, with the spelling variants
/// (dropped E, Y to I, doubled final consonant).
fn verb_forms(base: &str) -> Vec<String> {
    let b = base.to_uppercase();
    let mut out = vec![b.clone()];
    let vowel = |c: char| "AEIOU".contains(c);
    let chars: Vec<char> = b.chars().collect();
    let n = chars.len();
    if n == 0 {
        return out;
    }
    let last = chars[n - 1];
    let cons_y = last == 'Y' && n > 1 && !vowel(chars[n - 2]);
    if cons_y {
        let stem: String = chars[..n - 1].iter().collect();
        out.push(format!("{stem}IES"));
        out.push(format!("{stem}IED"));
    } else if b.ends_with('S')
        || b.ends_with('X')
        || b.ends_with('Z')
        || b.ends_with("CH")
        || b.ends_with("SH")
        || b.ends_with('O')
    {
        out.push(format!("{b}ES"));
    } else {
        out.push(format!("{b}S"));
    }
    if last == 'E' {
        out.push(format!("{b}D"));
        if b.ends_with("IE") {
            out.push(format!("{}YING", &b[..b.len() - 2]));
        } else if b.ends_with("EE") {
            out.push(format!("{b}ING"));
        } else {
            out.push(format!("{}ING", &b[..b.len() - 1]));
        }
    } else {
        if !cons_y {
            out.push(format!("{b}ED"));
        }
        out.push(format!("{b}ING"));
        // Doubled final consonant after a single vowel (STOP → STOPPED).
        if n >= 3
            && !vowel(last)
            && !"WXY".contains(last)
            && vowel(chars[n - 2])
            && !vowel(chars[n - 3])
        {
            out.push(format!("{b}{last}ED"));
            out.push(format!("{b}{last}ING"));
        }
    }
    out
}

impl PetrCoder {
    pub fn new(set: &PetrarchSet) -> PetrCoder {
        let mut c = PetrCoder::default();
        // Synsets by name; members expanded through nested synsets (depth-limited).
        let mut by_name: HashMap<String, &crate::verbs::Synset> = HashMap::new();
        for d in &set.verbs {
            for s in &d.synsets {
                by_name.entry(s.name.clone()).or_insert(s);
            }
        }
        fn expand(
            name: &str,
            by_name: &HashMap<String, &crate::verbs::Synset>,
            depth: usize,
            out: &mut Vec<Vec<String>>,
        ) {
            let Some(s) = by_name.get(name) else { return };
            for m in &s.members {
                if m.len() == 1 && m[0].starts_with('&') {
                    if depth < 4 {
                        expand(m[0].trim_start_matches('&'), by_name, depth + 1, out);
                    }
                    continue;
                }
                out.push(m.clone());
                if !s.no_plural {
                    if let Some(last) = m.last() {
                        let mut p = m.clone();
                        *p.last_mut().expect("non-empty") = plural(last);
                        out.push(p);
                    }
                }
            }
        }
        let mut set_index: HashMap<String, usize> = HashMap::new();
        let mut resolve = |c: &mut PetrCoder, name: &str| -> usize {
            if let Some(&i) = set_index.get(name) {
                return i;
            }
            let mut members = Vec::new();
            expand(name, &by_name, 0, &mut members);
            c.sets.push(Synset::new(members));
            set_index.insert(name.to_string(), c.sets.len() - 1);
            c.sets.len() - 1
        };
        fn flatten(es: &[Elem], out: &mut Vec<Elem>) {
            for e in es {
                match e {
                    Elem::Group(g) | Elem::Phrase(g) => flatten(g, out),
                    other => out.push(other.clone()),
                }
            }
        }
        for d in &set.verbs {
            for b in &d.blocks {
                let bi = c.blocks.len();
                let mut pats = Vec::new();
                for p in &b.patterns {
                    let mut conv = |es: &[Elem], c: &mut PetrCoder| -> Vec<PElem> {
                        let mut flat = Vec::new();
                        flatten(es, &mut flat);
                        flat.iter()
                            .map(|e| match e {
                                Elem::Word(w) => PElem::Word(w.clone()),
                                Elem::Synset(s) => PElem::Set(resolve(c, s)),
                                Elem::Source => PElem::Source,
                                Elem::Target => PElem::Target,
                                Elem::Skip => PElem::Skip,
                                Elem::Compound => PElem::Compound,
                                Elem::Group(_) | Elem::Phrase(_) => PElem::Skip,
                            })
                            .collect()
                    };
                    let mut pre = conv(&p.pre, &mut c);
                    pre.reverse();
                    let post = conv(&p.post, &mut c);
                    let (mut pre_adj, mut post_adj) = adjacency(&p.text);
                    pre_adj.resize(pre.len(), false);
                    post_adj.resize(post.len(), false);
                    let needs: Vec<u64> = pre
                        .iter()
                        .chain(&post)
                        .filter_map(|e| match e {
                            PElem::Word(w) => Some(word_hash(w)),
                            _ => None,
                        })
                        .collect();
                    let needs_sig = WordSig::of_hashes(needs.iter().copied());
                    let bare_first = p
                        .text
                        .split_once('*')
                        .and_then(|(_, after)| after.split_whitespace().next())
                        .is_some_and(|w| w.starts_with(|ch: char| ch.is_ascii_alphabetic()));
                    pats.push(Pat {
                        needs,
                        needs_sig,
                        bare_first,
                        pre,
                        post,
                        post_adj,
                        pre_adj,
                        code: p.code.clone(),
                    });
                }
                // A pattern repeated in a block replaces the earlier one (PETRARCH2 keys its
                // patterns by their words, so the last definition is the one in force).
                let mut seen: HashSet<String> = HashSet::new();
                let mut kept: Vec<Pat> = Vec::new();
                for p in pats.into_iter().rev() {
                    let key = format!("{:?}", (&p.pre, &p.post, &p.pre_adj, &p.post_adj));
                    if seen.insert(key) {
                        kept.push(p);
                    }
                }
                kept.reverse();
                let mut pats = kept;
                // Most specific first: more elements, then the dictionary's order.
                pats.sort_by_key(|p| std::cmp::Reverse(p.pre.len() + p.post.len()));
                c.blocks.push(pats);
                for v in &b.verbs {
                    let entry = VerbEntry {
                        pre: v.pre_words().to_vec(),
                        post: v.post_words().to_vec(),
                        code: v.code.clone().or_else(|| b.code.clone()),
                        block: bi,
                    };
                    let mut keys = verb_forms(&v.words[v.verb]);
                    for irr in &v.irregular {
                        if let Some(w) = irr.get(v.verb.min(irr.len().saturating_sub(1))) {
                            keys.push(w.clone());
                        }
                    }
                    for k in keys {
                        c.verbs.entry(k).or_default().push(entry.clone());
                    }
                }
            }
        }
        for d in &set.actors {
            for a in &d.actors {
                let codes: Vec<(String, Restriction)> = a
                    .codes
                    .iter()
                    .map(|dc| (dc.code.clone(), dc.when))
                    .collect();
                for (k, n) in a.names.iter().enumerate() {
                    if n.is_empty() {
                        continue;
                    }
                    c.actors.entry(n[0].clone()).or_default().push(ActorPat {
                        words: n.clone(),
                        second: n.get(1).map_or(0, |w| word_hash(w)),
                        spaced: a.spaced.get(k).copied().unwrap_or(false),
                        codes: codes.clone(),
                    });
                }
            }
        }
        for d in &set.agents {
            for a in &d.agents {
                let mut forms = vec![a.words.clone()];
                match &a.plurals {
                    Some(ps) => forms.extend(ps.iter().cloned()),
                    None => {
                        let mut p = a.words.clone();
                        if let Some(last) = p.last_mut() {
                            *last = plural(last);
                        }
                        forms.push(p);
                    }
                }
                for f in forms {
                    if f.is_empty() {
                        continue;
                    }
                    c.agents.entry(f[0].clone()).or_default().push(AgentPat {
                        words: f,
                        code: a.code.clone(),
                        place: a.place,
                    });
                }
            }
        }
        for list in c.actors.values_mut() {
            // PETRARCH keys actor phrases by their words, so a phrase listed again later in
            // the dictionaries replaces the earlier entry (a name reused for a later
            // office-holder codes as the later one).
            let mut seen: HashSet<Vec<String>> = HashSet::new();
            let mut kept: Vec<ActorPat> = Vec::with_capacity(list.len());
            for p in list.drain(..).rev() {
                if seen.insert(p.words.clone()) {
                    kept.push(p);
                }
            }
            kept.reverse();
            *list = kept;
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        for list in c.agents.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        for d in &set.verbs {
            for t in &d.transformations {
                if let Some(t) = parse_transform(&t.text, &c.verbs) {
                    c.transforms.push(t);
                }
            }
        }
        for d in &set.discards {
            for x in &d.discards {
                if let Some(first) = x.words.first() {
                    c.discards
                        .entry(first.clone())
                        .or_default()
                        .push(x.words.clone());
                }
            }
        }
        c
    }

    /// Counts of what the coder holds (for reports).
    pub fn stats(&self) -> serde_json::Value {
        serde_json::json!({
            "verb_forms": self.verbs.len(),
            "verb_patterns": self.blocks.iter().map(Vec::len).sum::<usize>(),
            "synsets": self.sets.len(),
            "actor_names": self.actors.values().map(Vec::len).sum::<usize>(),
            "agent_names": self.agents.values().map(Vec::len).sum::<usize>(),
            "discards": self.discards.values().map(Vec::len).sum::<usize>(),
        })
    }

    /// The actor code of a noun phrase's words: the first actor found, then every agent outside
    /// it (PETRARCH's composition: `~X` appends, `X~` prepends, a code already present is not
    /// repeated). `None` when neither an actor nor an agent is in the phrase.
    fn np_code(&self, words: &[String], date: Option<NaiveDate>) -> Option<String> {
        self.np_code_parts(words, date).map(|x| x.0)
    }

    /// [`PetrCoder::np_code`] with the length of the code's leading actor part (before the
    /// agents appended to it; 0 when an agent was put in front).
    fn np_code_parts(&self, words: &[String], date: Option<NaiveDate>) -> Option<(String, usize)> {
        let mut actor: Option<(String, usize, usize)> = None;
        'outer: for i in 0..words.len() {
            if let Some(list) = self.actors.get(&words[i]) {
                // Longest phrases first: skip those longer than the words left, and compare
                // from the second word (the first is the key).
                let left = words.len() - i;
                let fits = list.partition_point(|p| p.words.len() > left);
                let next = words.get(i + 1).map(|w| word_hash(w));
                for p in &list[fits..] {
                    // A phrase of two or more words must go on with the next word, unless
                    // other words may come between ("spaced").
                    if p.words.len() > 1 && !p.spaced && Some(p.second) != next {
                        continue;
                    }
                    let end = if words[i + 1..].starts_with(&p.words[1..]) {
                        Some(i + p.words.len())
                    } else if p.spaced {
                        gapped_match(&words[i..], &p.words).map(|e| i + e)
                    } else {
                        None
                    };
                    if let Some(end) = end {
                        if let Some(code) = dated_code(&p.codes, date) {
                            actor = Some((code, i, end));
                            break 'outer;
                        }
                    }
                }
            }
        }
        let mut agents: Vec<&AgentPat> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if actor.as_ref().is_some_and(|a| i >= a.1 && i < a.2) {
                i += 1;
                continue;
            }
            let mut step = 1;
            if let Some(list) = self.agents.get(&words[i]) {
                if let Some(p) = list.iter().find(|p| words[i..].starts_with(&p.words)) {
                    agents.push(p);
                    step = p.words.len();
                }
            }
            i += step;
        }
        if actor.is_none() && agents.is_empty() {
            return None;
        }
        let mut code = actor.map(|a| a.0).unwrap_or_else(|| "---".to_string());
        let mut actor_len = code.len();
        for a in agents {
            let present = (0..code.len())
                .step_by(3)
                .any(|k| code.get(k..k + a.code.len()) == Some(a.code.as_str()));
            if present {
                continue;
            }
            match a.place {
                AgentPlace::Suffix => code.push_str(&a.code),
                AgentPlace::Prefix => {
                    code = format!("{}{code}", a.code);
                    actor_len = 0;
                }
            }
        }
        Some((code, actor_len))
    }

    /// Whether a discard phrase drops the sentence, PETRARCH-1's way: the phrase anywhere
    /// (PETRARCH2's check is [`PetrCoder::discarded_petrarch2`]).
    fn discarded(&self, words: &[(String, &str)]) -> bool {
        (0..words.len()).any(|i| {
            self.discards.get(&words[i].0).is_some_and(|ds| {
                ds.iter().any(|d| {
                    d.len() <= words.len() - i && d.iter().zip(&words[i..]).all(|(a, b)| *a == b.0)
                })
            })
        })
    }

    /// PETRARCH2's discard check: the words as written (punctuation stays on the word it
    /// touches, so "ago," is no "AGO"), walked once from the start; a word that breaks a
    /// partial match starts over without being tried as the start of another phrase, and a
    /// phrase counts only when another word follows it (the end is seen one word late).
    fn discarded_petrarch2(&self, words: &[(&str, &str)]) -> bool {
        // Room for every word and a little glue: growing the buffer copies it.
        let mut buf = String::with_capacity(words.iter().map(|w| w.0.len()).sum::<usize>() + 8);
        let written = written_words(words, &mut buf);
        let mut prefix: Vec<&str> = Vec::new();
        for &(a, b) in &written {
            let w = &buf[a..b];
            let cands: &[Vec<String>] = prefix
                .first()
                .and_then(|f| self.discards.get(*f))
                .map_or(&[], Vec::as_slice);
            if !prefix.is_empty()
                && cands
                    .iter()
                    .any(|d| d.len() == prefix.len() && d.iter().zip(&prefix).all(|(a, b)| a == b))
            {
                return true;
            }
            let extends = if prefix.is_empty() {
                self.discards.contains_key(w)
            } else {
                cands.iter().any(|d| {
                    d.len() > prefix.len()
                        && d.iter().zip(&prefix).all(|(a, b)| a == b)
                        && d[prefix.len()] == w
                })
            };
            if extends {
                prefix.push(w);
            } else {
                prefix.clear();
            }
        }
        false
    }

    /// Code one analysed sentence (UD tokens with xpos tags, 1-based heads): the tree is built
    /// by [`crate::deptree::Prepared`]. Empty when the tokens have no root.
    pub fn code_tokens(
        &self,
        tokens: &[dyad_core::Token],
        date: Option<NaiveDate>,
        opts: &CodeOptions,
    ) -> Vec<(String, String, String)> {
        crate::deptree::Prepared::of(tokens)
            .map(|p| self.code_tree(&p.tree(&TreeArena::new()), date, opts))
            .unwrap_or_default()
    }

    /// The linearised sentence as the patterns see it (for `--explain`): words, `[NE:code`
    /// … `]`, `{NEC` … `}`, `<VP` … `>`, commas.
    pub fn describe(&self, tree: &Tree, date: Option<NaiveDate>, opts: &CodeOptions) -> String {
        let mut s = Lin::sized();
        s.walk(tree);
        s.drop_commas(opts);
        let mut out = Vec::new();
        for it in &s.items {
            out.push(match *it {
                Item::W(x) => s.words[x].0.clone(),
                Item::NeS(n) => format!(
                    "[NE:{}",
                    self.np_code(&s.nes[n].words, date).unwrap_or("---".into())
                ),
                Item::NeE => "]".into(),
                Item::NecS(_) => "{NEC".into(),
                Item::NecE => "}".into(),
                Item::VpS(_) => "<VP".into(),
                Item::VpE(_) => ">".into(),
                Item::Comma => ",".into(),
                Item::Open | Item::Close => continue,
            });
        }
        out.join(" ")
    }

    /// Code one sentence tree: (source, target, code) triples in PETRARCH's notation.
    pub fn code_tree(
        &self,
        tree: &Tree,
        date: Option<NaiveDate>,
        opts: &CodeOptions,
    ) -> Vec<(String, String, String)> {
        self.code_tree_detailed(tree, date, opts)
            .0
            .into_iter()
            .map(|e| (e.source, e.target, e.code))
            .collect()
    }

    /// [`PetrCoder::code_tree`] with where each event was found: the events, and the words
    /// of the sentence as the coder saw them (uppercase; [`PetrEvent`]'s indices point here).
    pub fn code_tree_detailed(
        &self,
        tree: &Tree,
        date: Option<NaiveDate>,
        opts: &CodeOptions,
    ) -> (Vec<PetrEvent>, Vec<String>) {
        let mut s = Lin::sized();
        s.walk(tree);
        // The sentence is done with when its words are returned: they move out, uncopied.
        let words = |s: Lin| s.words.into_iter().map(|w| w.0).collect::<Vec<_>>();
        let discarded = if opts.petrarch2_discards {
            // The tree's own leaves: commas and the words the noun phrases leave out count.
            let mut leaves = Vec::with_capacity(s.words.len() + 16);
            tree.words(&mut leaves);
            self.discarded_petrarch2(&leaves)
        } else {
            self.discarded(&s.words)
        };
        if discarded {
            return (Vec::new(), words(s));
        }
        s.drop_commas(opts);
        s.vocab = s.words.iter().map(|w| word_hash(&w.0)).collect();
        s.vocab.sort_unstable();
        s.vocab.dedup();
        s.vocab_sig = WordSig::of_hashes(s.vocab.iter().copied());
        for ne in 0..s.nes.len() {
            let code = self.np_code_parts(&s.nes[ne].words, date);
            s.nes[ne].actor_len = code.as_ref().map_or(0, |c| c.1);
            s.nes[ne].code = code.map(|c| c.0);
        }
        s.agents_of_actors();
        let mut events: Vec<(String, String, String)> = Vec::new();
        // Verbs over a clause that may code their own act on the clause's subject
        // (phrase start and end, source, subject, code), if nothing inside codes.
        let mut pending: Vec<Pending> = Vec::new();
        // The verb phrase (its opening item) each event came from.
        let mut origin: Vec<usize> = Vec::new();
        let mut k = 0;
        while k < s.items.len() {
            if let Item::VpS(id) = s.items[k] {
                if opts.code_algebra && s.vp_role(k) == VpRole::Adjunct {
                    // Nothing inside an adjunct is coded either (whether or not its verb is
                    // in the dictionary).
                    k = (k + 1..s.items.len())
                        .find(|&j| matches!(s.items[j], Item::VpE(x) if x == id))
                        .unwrap_or(k)
                        + 1;
                    continue;
                }
                // One look at the phrase serves the transformations and the plain event.
                if let Some(ev) = self.vp_event(&s, k, opts, true) {
                    if ev.adjunct {
                        // Nothing inside an adjunct is coded either.
                        k = ev.end + 1;
                        continue;
                    }
                    let mut t = self.transformed(&s, &ev, k, opts);
                    // A transformation naming no actor on a side ("admitted blame for a
                    // raid burning …", no raider named) codes nothing: the
                    // phrase's own event stands.
                    if opts.code_algebra
                        && opts.require_dyad
                        && !t.iter().any(|e| e.0 != "---" && e.1 != "---")
                    {
                        t.clear();
                    }
                    if !t.is_empty() {
                        events.extend(t);
                        origin.resize(events.len(), k);
                        k = ev.end + 1;
                        continue;
                    }
                    let c = if opts.code_algebra {
                        self.combined(&s, &ev, k, opts)
                    } else {
                        None
                    };
                    if let Some(c) = c {
                        // Empty: the phrase states another's act ("wants X to go"), no event.
                        events.extend(c);
                        origin.resize(events.len(), k);
                        k = ev.end + 1;
                        continue;
                    }
                    if ev.clause && opts.code_algebra && judgement(&ev.code) {
                        pending.push((
                            k,
                            ev.end,
                            ev.src.clone(),
                            ev.clause_subject.clone(),
                            ev.code.clone(),
                        ));
                    }
                    if ev.complete && !ev.clause {
                        let at = k;
                        let end = ev.end;
                        let before = events.len();
                        emit(ev, &mut events);
                        origin.resize(events.len(), at);
                        // A phrase that names no actor on one side ("the envoy arrived as
                        // the king began to visit …") codes nothing, and PETRARCH2
                        // still codes a clause inside it that has its own subject.
                        let dyad = events[before..]
                            .iter()
                            .any(|e| e.0 != "---" && e.1 != "---");
                        k = end;
                        if !dyad && opts.code_algebra && opts.require_dyad {
                            if let Some(j) = (at + 1..end).find(|&j| {
                                matches!(s.items[j], Item::VpS(_))
                                    && matches!(s.before_vp(j), Some(Item::NeE | Item::NecE))
                            }) {
                                k = j;
                                continue;
                            }
                        }
                    }
                }
            }
            k += 1;
        }
        // A disapproving verb over a clause that codes nothing ("a report alleged that
        // Tolsk knew of the raids"): PETRARCH2 codes the verb's own act on the clause's
        // subject.
        for (at, end, src, subject, code) in pending {
            let coded = events
                .iter()
                .zip(&origin)
                .any(|(e, &o)| o >= at && o <= end && e.0 != "---" && e.1 != "---");
            if coded {
                continue;
            }
            for a in &src {
                for b in &subject {
                    if a != "---" && b != "---" && a != b {
                        events.push((a.clone(), b.clone(), code.clone()));
                        origin.push(at);
                    }
                }
            }
        }
        let mut out: Vec<PetrEvent> = Vec::new();
        for (e, vp) in events.into_iter().zip(origin) {
            if opts.require_dyad && (e.0 == "---" || e.1 == "---") {
                continue;
            }
            if out
                .iter()
                .any(|o| o.source == e.0 && o.target == e.1 && o.code == e.2)
            {
                continue;
            }
            let open = (0..=vp.min(s.items.len().saturating_sub(1)))
                .rev()
                .find(|&j| matches!(s.items[j], Item::VpS(_)));
            let verb = open.and_then(|o| match s.items.get(o + 1) {
                Some(Item::W(x)) => Some(*x),
                _ => None,
            });
            let at = open.unwrap_or(0);
            out.push(PetrEvent {
                source_words: s.ne_words_of(&e.0, at, true),
                target_words: s.ne_words_of(&e.1, at, false),
                negated: open.is_some_and(|o| s.negated(o)),
                source: e.0,
                target: e.1,
                code: e.2,
                verb,
            });
        }
        (out, words(s))
    }

    /// [`PetrCoder::code_tree_detailed`] on an analysed sentence, with token indices (0-based,
    /// into `tokens`) in place of the coder's word indices.
    pub fn code_tokens_detailed(
        &self,
        tokens: &[dyad_core::Token],
        date: Option<NaiveDate>,
        opts: &CodeOptions,
    ) -> Vec<PetrEvent> {
        let Some(prepared) = crate::deptree::Prepared::of(tokens) else {
            return Vec::new();
        };
        let arena = TreeArena::new();
        let (events, words) = self.code_tree_detailed(&prepared.tree(&arena), date, opts);
        let map = align_words(&words, tokens);
        let tok = |w: Option<usize>| w.and_then(|w| map.get(w).copied().flatten());
        let span = |r: Option<(usize, usize)>| {
            r.and_then(|(a, b)| match (tok(Some(a)), tok(Some(b))) {
                (Some(x), Some(y)) if x <= y => Some((x, y)),
                (Some(x), _) => Some((x, x)),
                _ => None,
            })
        };
        events
            .into_iter()
            .map(|e| PetrEvent {
                verb: tok(e.verb),
                source_words: span(e.source_words),
                target_words: span(e.target_words),
                ..e
            })
            .collect()
    }

    /// The event of the verb phrase opening at item `k`: code, source and target codes, and
    /// where the phrase ends. `loose`: a missing source or target is `---` instead of no event
    /// (for the phrases inside a transformation).
    fn vp_event(&self, s: &Lin, k: usize, opts: &CodeOptions, loose: bool) -> Option<VpEvent> {
        let Item::VpS(id) = s.items[k] else {
            return None;
        };
        let end =
            (k + 1..s.items.len()).find(|&j| matches!(s.items[j], Item::VpE(x) if x == id))?;
        let Some(Item::W(first)) = s.items.get(k + 1) else {
            return None;
        };
        if !s.words[*first].1.starts_with("VB") {
            return None;
        }
        // Passive: a past participle right after a form of "be" ("was shot", "has been
        // freed"), with an agent: "by" later in the phrase, or "in"/"from" and an actor just
        // after the verb (PETRARCH2's agent prepositions).
        let verb_item = k + 1;
        let mut passive = false;
        let reduced = opts.code_algebra && s.vp_role(k) == VpRole::ReducedPassive;
        if matches!(s.words[*first].1, "VBN" | "VBD") && (s.after_be(k) || reduced) {
            let by_after = (verb_item + 1..end)
                .any(|j| matches!(s.items[j], Item::W(w) if s.words[w].0 == "BY"));
            // Within the verb's first three words outside noun phrases ("was shot near the
            // gate from X").
            let mut in_ne = false;
            let near = (verb_item + 1..end)
                .filter(|&j| match s.items[j] {
                    Item::NeS(_) => {
                        in_ne = true;
                        false
                    }
                    Item::NeE => {
                        in_ne = false;
                        false
                    }
                    Item::W(_) => !in_ne,
                    _ => false,
                })
                .nth(2)
                .map_or(end, |j| j + 1);
            let agent_prep = (verb_item + 1..near).any(|j| {
                matches!(s.items[j], Item::W(w) if matches!(s.words[w].0.as_str(), "IN" | "FROM"))
                    // The phrase may open a larger one ("in [Kestrian artillery] fire …").
                    && matches!(
                        s.items[j + 1..].iter().find(|it| **it != Item::Open),
                        Some(Item::NeS(n)) if s.nes[*n].code.is_some()
                    )
            });
            passive = by_after || agent_prep;
        }
        let Item::W(vw) = s.items[verb_item] else {
            return None;
        };
        let (form, tag) = &s.words[vw];
        // The lemma only when the form itself is not a dictionary verb form.
        let entries = self.verbs.get(form).or_else(|| {
            let lemma = crate::lemma::lemma(&form.to_lowercase(), tag).to_uppercase();
            self.verbs.get(&lemma)
        })?;
        // The multi-word form that fits best (most words), else the plain verb.
        let mut best: Option<(&VerbEntry, usize, usize)> = None;
        for e in entries {
            let Some(after) = match_words_fwd(s, verb_item + 1, end, &e.post) else {
                continue;
            };
            let Some(before) = match_words_back(s, verb_item, &e.pre) else {
                continue;
            };
            let n = e.pre.len() + e.post.len();
            if best.is_none_or(|b| b.0.pre.len() + b.0.post.len() < n) {
                best = Some((e, before, after));
            }
        }
        let (entry, vstart, vend) = best?;

        // A clause with its own subject after the verb ("said Tolsk would …") is not part of
        // this verb's phrase for its patterns and target (PETRARCH2 reads it as a lower event).
        let clause_at = if opts.code_algebra {
            s.clause_start(vend, end)
        } else {
            None
        };
        let lower_end = clause_at.unwrap_or(end);
        let lower = s.lower(vend, lower_end);
        let upper = s.upper(vstart);
        let mut code: Option<String> = None;
        let mut src: Option<Loc> = None;
        let mut tgt: Option<Loc> = None;
        let mut nec: Option<usize> = None;
        let mut named: Option<usize> = None;
        // PETRARCH2 walks the words after the verb in order, so of the patterns that match,
        // the one whose words start nearest the verb wins ("held a rally, … waving
        // banners that free nobody": the rally); the dictionary's order breaks ties.
        // PETRARCH-1 takes the first pattern that matches.
        let mut chosen: Option<(&Pat, Binds)> = None;
        // Which words after the verb sit inside a prepositional phrase: the same for every
        // pattern of the verb.
        let enclosed = if opts.code_algebra {
            pp_enclosed(s, &lower)
        } else {
            Vec::new()
        };
        for p in &self.blocks[entry.block] {
            if !p.may_match(s) {
                continue;
            }
            // PETRARCH2 matches a passive's patterns on its agent phrases, never on the
            // grammatical subject before the verb (that is below, for the code only).
            if opts.code_algebra && passive && !p.pre.is_empty() {
                continue;
            }
            if let Some(b) = self.match_pattern(s, p, &upper, &lower, opts.code_algebra, &enclosed)
            {
                let nearer = match &chosen {
                    None => true,
                    Some((_, c)) => {
                        opts.code_algebra
                            && b.first_word.unwrap_or(usize::MAX)
                                < c.first_word.unwrap_or(usize::MAX)
                    }
                };
                if nearer {
                    chosen = Some((p, b));
                }
                if !opts.code_algebra || chosen.as_ref().is_some_and(|c| c.1.first_word == Some(0))
                {
                    break;
                }
            }
        }
        if let Some((p, b)) = chosen {
            if p.code != "---" {
                code = Some(p.code.clone());
                src = b.src;
                tgt = b.tgt;
                nec = b.nec;
                named = b.last_word;
            }
        }
        if code.is_none() && passive && opts.code_algebra {
            // A passive names the pattern's object first and its actor last: PETRARCH2
            // matches the pattern's post-verb words on the subject ("the hostages were
            // freed by X": `- * &SYNSET`) and its pre-verb words on the agent ("was torn
            // down by a vandal": `- VANDAL *`). Only the code is taken.
            let ne_items = |n: usize| -> Vec<Item> {
                let Some(o) = s.items.iter().position(|it| *it == Item::NeS(n)) else {
                    return Vec::new();
                };
                let mut v: Vec<Item> = s.items[o..]
                    .iter()
                    .take_while(|it| **it != Item::NeE)
                    .copied()
                    .collect();
                v.push(Item::NeE);
                v
            };
            let subject = upper.iter().find_map(|it| match *it {
                Item::NeS(n) => Some(ne_items(n)),
                _ => None,
            });
            // Only a "by" agent: "wounded in Kestrian artillery fire" names the means.
            let by = lower
                .iter()
                .position(|it| matches!(*it, Item::W(w) if s.words[w].0 == "BY"));
            let agent = by.and_then(|b| {
                lower[b..].iter().find_map(|it| match *it {
                    Item::NeS(n) => Some(ne_items(n)),
                    _ => None,
                })
            });
            let agent_back: Vec<Item> = agent
                .map(|a| a.into_iter().rev().collect())
                .unwrap_or_default();
            let subject = subject.unwrap_or_default();
            for p in &self.blocks[entry.block] {
                if p.pre.is_empty() && p.post.is_empty() || !p.may_match(s) {
                    continue;
                }
                if self
                    .match_pattern(s, p, &agent_back, &subject, false, &[])
                    .is_some()
                {
                    if p.code != "---" {
                        code = Some(p.code.clone());
                    }
                    break;
                }
            }
        }
        if code.is_none() {
            code = entry.code.clone().filter(|c| c != "---" && !c.is_empty());
        }

        let mut code = code?;
        if opts.code_algebra && s.negated(k) {
            if let Some(n) = crate::algebra::negate(&code) {
                code = n;
            }
        }
        let null = || vec!["---".to_string()];
        // An agent-only phrase whose head the pattern names ("holding naval drills near
        // X") describes the act; PETRARCH2 takes the target after it. ("criticism from the
        // senate" goes on past the named word: its actor is the target.)
        let after_named = || {
            let (ne, close) = current_ne(&lower, named? + 1, false)?;
            if close != named? + 1 {
                return None;
            }
            let agent_only = s.nes[ne]
                .code
                .as_deref()
                .is_some_and(|c| c.starts_with("---"));
            if !(opts.code_algebra && agent_only) {
                return None;
            }
            first_np(s, lower.get(close + 1..)?, true)
                .filter(|l| matches!(*l, Loc::Ne(n) if s.nes[n].code.is_some()))
        };
        let tgt = tgt
            .or_else(after_named)
            .or_else(|| first_np(s, &lower, true))
            .or(nec.map(Loc::Nec));
        let tcodes = tgt.map(|t| self.loc_codes(s, t, opts));
        let src = src
            .or_else(|| first_np_upper(s, &upper, tcodes.as_deref().unwrap_or(&[]), self, opts))
            .or(nec.map(Loc::Nec));
        let src = match src {
            Some(Loc::Ne(n)) if opts.code_algebra && s.nes[n].code.is_none() => {
                Some(s.relative_actor(n, k).map_or(Loc::Ne(n), Loc::Ne))
            }
            other => other,
        };
        let src_pronoun = match src {
            Some(Loc::Ne(n)) => {
                s.nes[n].code.is_none()
                    && matches!(
                        s.nes[n].words.as_slice(),
                        [w] if matches!(w.as_str(), "HE" | "SHE" | "THEY" | "IT" | "WE")
                    )
            }
            _ => false,
        };
        let complete = src.is_some() && tcodes.is_some()
            || matches!((src, &tcodes), (Some(Loc::Nec(_)), None));
        let (mut sc, mut tc) = match (src, tcodes) {
            (Some(a), Some(b)) => (self.loc_codes(s, a, opts), b),
            // "A, B and C met": a compound subject without an object acts on itself.
            (Some(Loc::Nec(c)), None) => {
                let codes = self.loc_codes(s, Loc::Nec(c), opts);
                (codes.clone(), codes)
            }
            (a, b) if loose => (
                a.map(|a| self.loc_codes(s, a, opts)).unwrap_or_else(null),
                b.unwrap_or_else(null),
            ),
            _ => return None,
        };
        // "A and B hope to widen their co-operation": a compound subject whose object names no
        // actor acts on itself, as it does without an object.
        if opts.code_algebra
            && !passive
            && matches!(src, Some(Loc::Nec(_)))
            && tc.iter().all(|c| c == "---")
            && sc.iter().filter(|c| *c != "---").count() >= 2
        {
            tc = sc.clone();
        }
        if passive {
            std::mem::swap(&mut sc, &mut tc);
        }
        Some(VpEvent {
            // A reduced relative without an agent ("farmers detained for …") says who
            // suffered, not who acted.
            adjunct: opts.code_algebra && (s.vp_role(k) == VpRole::Adjunct || reduced && !passive),
            one_way: opts.code_algebra && s.infinitive(k),
            clause: clause_at.is_some(),
            clause_subject: clause_at
                .and_then(|c| {
                    s.items[c..end].iter().find_map(|it| match *it {
                        Item::NeS(n) => Some(Loc::Ne(n)),
                        Item::NecS(n) => Some(Loc::Nec(n)),
                        _ => None,
                    })
                })
                .map(|l| self.loc_codes(s, l, opts))
                .unwrap_or_default(),
            code,
            complete,
            src_pronoun: src_pronoun && !passive,
            src: sc,
            tgt: tc,
            end,
        })
    }

    /// The dictionary's transformations for a verb phrase whose verb takes a clause ("A said
    /// B attacked C"): the first coded phrase inside it combined with this one's source.
    fn transformed(
        &self,
        s: &Lin,
        outer: &VpEvent,
        k: usize,
        opts: &CodeOptions,
    ) -> Vec<(String, String, String)> {
        if self.transforms.is_empty() {
            return Vec::new();
        }
        let fam = |c: &str| {
            c.split(':')
                .next()
                .unwrap_or(c)
                .chars()
                .take(2)
                .collect::<String>()
        };
        let outer_fam = fam(&outer.code);
        let rules: Vec<&Transform> = self
            .transforms
            .iter()
            .filter(|t| t.outer_family == outer_fam)
            .collect();
        if rules.is_empty() {
            return Vec::new();
        }
        let Some(inner) = (k + 1..outer.end).find_map(|j| match s.items[j] {
            Item::VpS(_) => self.vp_event(s, j, opts, true),
            _ => None,
        }) else {
            return Vec::new();
        };
        let inner_code = inner
            .code
            .split(':')
            .next()
            .unwrap_or(&inner.code)
            .to_string();
        if inner_code.is_empty() || inner_code == "---" {
            return Vec::new();
        }
        // "A said they would …": a pronoun subject inside the clause is the speaker.
        let inner_src = if inner.src_pronoun {
            outer.src.clone()
        } else {
            inner.src.clone()
        };
        for r in rules {
            if r.inner_family
                .as_ref()
                .is_some_and(|f| *f != fam(&inner_code))
            {
                continue;
            }
            let mut out = Vec::new();
            for a in &outer.src {
                for b in &inner_src {
                    for c in &inner.tgt {
                        let mut vars: Vec<(&str, &str)> = vec![(r.outer_src.as_str(), a.as_str())];
                        let fits = |tok: &str, val: &str, vars: &mut Vec<(&str, &str)>| -> bool {
                            match tok {
                                "." => true,
                                "_" => val == "---",
                                v => match vars.iter().find(|x| x.0 == v) {
                                    Some(x) => x.1 == val,
                                    None => {
                                        // Lifetimes: the variable names live in the rule.
                                        false
                                    }
                                },
                            }
                        };
                        let mut ok = true;
                        for (tok, val) in [
                            (r.in_src.as_str(), b.as_str()),
                            (r.in_tgt.as_str(), c.as_str()),
                        ] {
                            if tok != "." && tok != "_" && !vars.iter().any(|x| x.0 == tok) {
                                vars.push((tok, val));
                            } else if !fits(tok, val, &mut vars) {
                                ok = false;
                            }
                        }
                        if !ok {
                            continue;
                        }
                        let get = |v: &str| vars.iter().find(|x| x.0 == v).map(|x| x.1.to_string());
                        let (Some(x), Some(y)) = (get(&r.out_src), get(&r.out_tgt)) else {
                            continue;
                        };
                        let code = if r.out_code == "Q" {
                            inner_code.clone()
                        } else {
                            r.out_code.clone()
                        };
                        if x != y {
                            out.push((x, y, code));
                        }
                    }
                }
            }
            if !out.is_empty() {
                return out;
            }
        }
        Vec::new()
    }

    /// A verb governing another verb's event ("wants to assist X", "asked X to help Y",
    /// "agreed to ease the embargo on X"): one event whose code combines both
    /// ([`crate::algebra::combine`]). The governed verb phrase must follow this verb with at
    /// most one noun phrase (its own subject) and "to"/auxiliaries between. `None` when the
    /// sentence has no such pair or the codes do not combine; empty when the pair states
    /// no event of this verb's subject ("wants X to go back").
    fn combined(
        &self,
        s: &Lin,
        outer: &VpEvent,
        k: usize,
        opts: &CodeOptions,
    ) -> Option<Vec<(String, String, String)>> {
        let mut object: Option<usize> = None;
        let mut in_ne = false;
        let mut j = k + 2;
        let inner = loop {
            if j >= outer.end {
                return None;
            }
            match s.items[j] {
                Item::W(_) if in_ne => {}
                Item::W(x) => {
                    let tag = s.words[x].1;
                    if !(tag == "TO"
                        || tag == "MD"
                        || tag.starts_with("VB")
                        || tag.starts_with("RB"))
                    {
                        return None;
                    }
                }
                Item::NeS(n) => {
                    if object.is_some() {
                        return None;
                    }
                    object = Some(n);
                    in_ne = true;
                }
                Item::NeE => in_ne = false,
                Item::VpS(_) => {
                    if let Some(ev) = self.vp_event(s, j, opts, true) {
                        break ev;
                    }
                }
                Item::Open | Item::Close => {}
                Item::NecS(_) | Item::NecE | Item::Comma | Item::VpE(_) => return None,
            }
            j += 1;
        };
        let code = crate::algebra::combine(&outer.code, &inner.code)?;
        let real = |v: &[String]| v.iter().any(|c| c != "---");
        let targets = match object {
            // "asked X to help Y": X is the one asked; PETRARCH2 keeps that only for a
            // low-level nested action.
            Some(n) => {
                // Only a request or demand is addressed to the one named ("asked X to
                // help"); "wants X to go back" states X's act, no intent toward X.
                match outer.code.get(..2) {
                    Some("02" | "10") => {}
                    Some("03") => return Some(Vec::new()),
                    _ => return None,
                }
                let low = inner
                    .code
                    .get(..2)
                    .and_then(|f| f.parse::<u8>().ok())
                    .is_some_and(|f| matches!(f, 5..=8 | 12 | 16 | 18..=20));
                if !low {
                    return None;
                }
                self.loc_codes(s, Loc::Ne(n), opts)
            }
            None if real(&inner.tgt) => inner.tgt.clone(),
            None => outer.tgt.clone(),
        };
        let mut out = Vec::new();
        for a in &outer.src {
            for b in &targets {
                if a != b {
                    out.push((a.clone(), b.clone(), code.clone()));
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Codes of a located noun phrase or compound, `/` compounds expanded; `---` (or the
    /// phrase's text under `new_actor_length`) for uncoded ones.
    fn loc_codes(&self, s: &Lin, loc: Loc, opts: &CodeOptions) -> Vec<String> {
        let one = |ne: usize| -> String {
            match &s.nes[ne].code {
                Some(c) => c.clone(),
                None => {
                    let words: Vec<&str> = s.nes[ne].words.iter().map(String::as_str).collect();
                    if opts.new_actor_length > 0
                        && !words.is_empty()
                        && words.len() <= opts.new_actor_length
                    {
                        format!("\"{}\"", words.join(" "))
                    } else {
                        "---".into()
                    }
                }
            }
        };
        let mut out: Vec<String> = match loc {
            Loc::Ne(i) => vec![one(i)],
            Loc::Nec(members) => {
                let v: Vec<String> = s.necs[members]
                    .iter()
                    .map(|&i| one(i))
                    .filter(|c| c != "---")
                    .collect();
                if v.is_empty() {
                    vec!["---".into()]
                } else {
                    v
                }
            }
        };
        let mut expanded = Vec::new();
        for c in out.drain(..) {
            if c.contains('/') && !c.starts_with('"') {
                expanded.extend(c.split('/').filter(|p| !p.is_empty()).map(str::to_string));
            } else {
                expanded.push(c);
            }
        }
        expanded
    }

    /// Match one pattern: post elements forward through `lower`, pre elements backward through
    /// `upper`. On success its bindings (source, target, compound, last word matched).
    /// `heads_only`: PETRARCH2 mode, where a pattern's first word after the verb is looked
    /// up among the heads of the verb's own noun phrases (or is a preposition opening one of
    /// its prepositional phrases), never inside a prepositional phrase it does not name.
    /// `enclosed`: [`pp_enclosed`] of `lower`, read when `heads_only`.
    #[allow(clippy::too_many_arguments)]
    fn match_pattern<'n>(
        &self,
        s: &Lin,
        p: &Pat,
        upper: &[Item],
        lower: &[Item],
        heads_only: bool,
        enclosed: &'n [bool],
    ) -> Option<Binds<'n>> {
        let mut bind = Binds::default();
        if heads_only {
            bind.not_first = enclosed;
            bind.heads_only = true;
            bind.bare_first = p.bare_first;
        }
        if !self.seq_match(s, &p.post, &p.post_adj, 0, lower, 0, false, &mut bind) {
            return None;
        }
        bind.not_first = &[];
        if !self.seq_match(s, &p.pre, &p.pre_adj, 0, upper, 0, true, &mut bind) {
            return None;
        }
        Some(bind)
    }

    /// Depth-first subsequence match of `es[e..]` against `items[i..]` (`back`: `items` runs
    /// away from the verb backwards, so multi-word elements are matched reversed).
    #[allow(clippy::too_many_arguments)]
    fn seq_match(
        &self,
        s: &Lin,
        es: &[PElem],
        adj: &[bool],
        e: usize,
        items: &[Item],
        i: usize,
        back: bool,
        bind: &mut Binds<'_>,
    ) -> bool {
        if e == es.len() {
            return true;
        }
        // A word joined with `_` to the previous element must be the next word.
        let glued =
            adj.get(e).copied().unwrap_or(false) && matches!(es[e], PElem::Word(_) | PElem::Set(_));
        let last = if glued {
            (i..items.len())
                .find(|&j| matches!(items[j], Item::W(_)))
                .map_or(i, |j| j + 1)
        } else {
            items.len()
        };
        // Inside a noun phrase (a word of it just matched), `$`, `+` and `^` take that phrase.
        if matches!(es[e], PElem::Source | PElem::Target | PElem::Skip) {
            if let Some((ne, close)) = current_ne(items, i, back) {
                let saved = (bind.src, bind.tgt);
                match es[e] {
                    PElem::Source => bind.src = Some(Loc::Ne(ne)),
                    PElem::Target => bind.tgt = Some(Loc::Ne(ne)),
                    _ => {}
                }
                let next = if matches!(es[e], PElem::Skip) {
                    close + 1
                } else {
                    i
                };
                if self.seq_match(s, es, adj, e + 1, items, next, back, bind) {
                    return true;
                }
                (bind.src, bind.tgt) = saved;
            }
        }
        for j in i..last.min(items.len()) {
            match &es[e] {
                PElem::Word(w) => {
                    // The word first: the other conditions only rule out a word that matches.
                    let Item::W(x) = items[j] else { continue };
                    if &s.words[x].0 == w {
                        // The finite or bare verb of a clause further down is not a word of
                        // this phrase unless the pattern spells the clause out
                        // (`*_TO_LET_ESCAPE`); participles are ("believed linked").
                        let heads_clause = !back
                            && !glued
                            && j > 0
                            && matches!(items[j - 1], Item::VpS(_))
                            && matches!(s.words[x].1, "VB" | "VBD" | "VBZ" | "VBP");
                        let nested = e == 0 && !back && bind.not_first.get(j) == Some(&true)
                            || e == 0 && back && bind.heads_only && !s.heads_its_ne(x)
                            || e == 0
                                && !back
                                && bind.bare_first
                                && matches!(s.words[x].1, "IN" | "TO");
                        if !heads_clause
                            && !nested
                            && self.seq_match(s, es, adj, e + 1, items, j + 1, back, bind)
                        {
                            if !back {
                                bind.last_word = bind.last_word.max(Some(j));
                                bind.first_word = Some(bind.first_word.map_or(j, |f| f.min(j)));
                            }
                            return true;
                        }
                    }
                }
                PElem::Set(k) => {
                    let Item::W(x) = items[j] else { continue };
                    if e == 0 && !back && bind.not_first.get(j) == Some(&true) {
                        continue;
                    }
                    if e == 0 && back && bind.heads_only && !s.heads_its_ne(x) {
                        continue;
                    }
                    for m in self.sets[*k].starting_at(&s.words[x].0, back) {
                        if let Some(next) = words_at(s, items, j, m, back) {
                            if self.seq_match(s, es, adj, e + 1, items, next, back, bind) {
                                if !back {
                                    bind.last_word = bind.last_word.max(next.checked_sub(1));
                                    bind.first_word = Some(bind.first_word.map_or(j, |f| f.min(j)));
                                }
                                return true;
                            }
                        }
                    }
                }
                PElem::Source | PElem::Target | PElem::Skip => {
                    let open = if back {
                        Item::NeE
                    } else {
                        Item::NeS(usize::MAX)
                    };
                    let is_open = matches!(
                        (&items[j], &open),
                        (Item::NeS(_), Item::NeS(_)) | (Item::NeE, Item::NeE)
                    );
                    if !is_open {
                        continue;
                    }
                    let Some((ne, close)) = ne_span(items, j, back) else {
                        continue;
                    };
                    let saved = (bind.src, bind.tgt);
                    match es[e] {
                        PElem::Source => bind.src = Some(Loc::Ne(ne)),
                        PElem::Target => bind.tgt = Some(Loc::Ne(ne)),
                        _ => {}
                    }
                    // Words inside the bound phrase may match the next elements.
                    let next = if matches!(es[e], PElem::Skip) {
                        close + 1
                    } else {
                        j + 1
                    };
                    if self.seq_match(s, es, adj, e + 1, items, next, back, bind) {
                        return true;
                    }
                    (bind.src, bind.tgt) = saved;
                }
                PElem::Compound => {
                    // After the verb the compound is the target and the source is found as
                    // usual (the compound itself when there is none).
                    if let Item::NecS(c) = items[j] {
                        let saved = (bind.src, bind.tgt, bind.nec);
                        if back {
                            // Before the verb the compound acts on itself ("A and B have
                            // delayed": A→B and B→A).
                            bind.src = Some(Loc::Nec(c));
                            bind.tgt = Some(Loc::Nec(c));
                        } else {
                            bind.tgt = Some(Loc::Nec(c));
                        }
                        bind.nec = Some(c);
                        if self.seq_match(s, es, adj, e + 1, items, j + 1, back, bind) {
                            return true;
                        }
                        (bind.src, bind.tgt, bind.nec) = saved;
                    }
                }
            }
        }
        false
    }
}

/// A verb over a clause that codes its own act on the clause's subject if nothing inside
/// the clause codes: where its phrase starts and ends, its source, the clause's subject and
/// the verb's code.
type Pending = (usize, usize, Vec<String>, Vec<String>, String);

/// A code of disapproval (CAMEO 11x: criticise, accuse, allege): said of a clause, the act
/// is aimed at the clause's subject.
fn judgement(code: &str) -> bool {
    code.starts_with("11")
}

/// Write out a verb phrase's event: one per source and target code (self-references left
/// out), both directions for `X:Y` codes.
fn emit(ev: VpEvent, events: &mut Vec<(String, String, String)>) {
    let (mut sc, mut tc, code, one_way) = (ev.src, ev.tgt, ev.code, ev.one_way);
    let mut push = |a: &[String], b: &[String], c: &str| {
        // `:050` codes only the passive direction; an empty side is no event.
        if c.is_empty() || c == "---" {
            return;
        }
        for x in a {
            for y in b {
                if x != y {
                    events.push((x.clone(), y.clone(), c.to_string()));
                }
            }
        }
    };
    if let Some((c1, c2)) = code.split_once(':') {
        // A missing side of a two-way code ("talks between A and B were held") is the other
        // side's compound; a one-way code (`:050`) needs both sides of its own.
        let two_way = !c1.is_empty() && !c2.is_empty();
        if two_way && sc == ["---"] {
            sc = tc.clone();
        } else if two_way && tc == ["---"] {
            tc = sc.clone();
        }
        push(&sc, &tc, c1);
        if !one_way || c1.is_empty() {
            push(&tc, &sc, c2);
        }
    } else {
        push(&sc, &tc, &code);
    }
}

/// A verb phrase's event before it is written out.
struct VpEvent {
    /// A gerund or participle adjunct, or an agentless reduced relative ([`Lin::vp_role`]):
    /// coded only inside another verb's event, never alone.
    adjunct: bool,
    /// An infinitive ("due to join a conference"): PETRARCH2 keeps only the first
    /// direction of a two-way code there.
    one_way: bool,
    /// The verb governs a clause with its own subject ("said Tolsk would …"): with the code
    /// algebra it codes only through that clause's events (transformations), never alone.
    clause: bool,
    /// The codes of that clause's subject (empty without a clause).
    clause_subject: Vec<String>,
    code: String,
    /// Both source and target were found (otherwise `---` stands in: loose mode only).
    complete: bool,
    src: Vec<String>,
    /// The source is an uncoded personal pronoun ("they").
    src_pronoun: bool,
    tgt: Vec<String>,
    end: usize,
}

/// `~ a (a b VERB) OUTER = a b CODE`: a verb taking a clause, the clause's event and the
/// resulting event. Verbs stand for their codes' families (first two digits).
#[derive(Debug, Clone)]
struct Transform {
    outer_src: String,
    in_src: String,
    in_tgt: String,
    /// `None` for `Q` (any event).
    inner_family: Option<String>,
    outer_family: String,
    out_src: String,
    out_tgt: String,
    /// A code, or `Q` for the inner event's code.
    out_code: String,
}

/// Read a transformation line; `None` when it does not have the documented shape or names a
/// verb the dictionary does not have.
fn parse_transform(text: &str, verbs: &Map<String, Vec<VerbEntry>>) -> Option<Transform> {
    let body = text
        .split('#')
        .next()?
        .trim()
        .trim_start_matches('~')
        .trim();
    let (lhs, rhs) = body.split_once('=')?;
    let l: Vec<String> = lhs
        .replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let r: Vec<&str> = rhs.split_whitespace().collect();
    if l.len() != 7 || l[1] != "(" || l[5] != ")" || r.len() != 3 {
        return None;
    }
    let family = |verb: &str| -> Option<String> {
        let e = verbs.get(&verb.to_uppercase())?.first()?;
        let c = e.code.as_deref().filter(|c| *c != "---")?;
        Some(c.chars().take(2).collect())
    };
    Some(Transform {
        outer_src: l[0].clone(),
        in_src: l[2].clone(),
        in_tgt: l[3].clone(),
        inner_family: if l[4] == "Q" {
            None
        } else {
            Some(family(&l[4])?)
        },
        outer_family: family(&l[6])?,
        out_src: r[0].to_string(),
        out_tgt: r[1].to_string(),
        out_code: r[2].to_string(),
    })
}

#[derive(Default)]
struct Binds<'n> {
    src: Option<Loc>,
    tgt: Option<Loc>,
    /// The last post-verb item a literal word of the pattern matched.
    last_word: Option<usize>,
    /// The first post-verb item a literal word of the pattern matched.
    first_word: Option<usize>,
    /// The compound bound by `%`.
    nec: Option<usize>,
    /// Post-verb items the pattern's first word may not match: words inside a
    /// prepositional phrase the pattern does not open (PETRARCH2 mode only, see
    /// [`pp_enclosed`]).
    not_first: &'n [bool],
    /// PETRARCH2 mode: the pre-verb word nearest the verb must head its noun phrase.
    heads_only: bool,
    /// PETRARCH2 mode, [`Pat::bare_first`]: the first post-verb word is no preposition.
    bare_first: bool,
}

/// For each item, whether it lies inside a prepositional phrase (an opened phrase whose
/// first word is a preposition) without being that phrase's preposition ("made remarks at
/// the start of a tour": START and TOUR are enclosed, AT is not).
fn pp_enclosed(s: &Lin, items: &[Item]) -> Vec<bool> {
    let mut out = vec![false; items.len()];
    // One entry per open phrase: the item index of its preposition, if it is a PP.
    let mut stack: Vec<Option<usize>> = Vec::with_capacity(16);
    for (j, it) in items.iter().enumerate() {
        match it {
            Item::Open => {
                let opener = items[j + 1..]
                    .iter()
                    .position(|x| matches!(x, Item::W(_) | Item::NeS(_) | Item::NecS(_)))
                    .map(|d| j + 1 + d)
                    .filter(
                        |&o| matches!(items[o], Item::W(w) if matches!(s.words[w].1, "IN" | "TO")),
                    );
                stack.push(opener);
            }
            Item::Close => {
                stack.pop();
            }
            _ => out[j] = stack.iter().any(|o| o.is_some_and(|o| o != j)),
        }
    }
    out
}

/// `pat` in order at the start of `words` with other words allowed between its words: the
/// length of the span matched.
fn gapped_match(words: &[String], pat: &[String]) -> Option<usize> {
    let mut k = 0;
    for (i, w) in words.iter().enumerate() {
        if *w == pat[k] {
            k += 1;
            if k == pat.len() {
                return Some(i + 1);
            }
        } else if k == 0 {
            return None;
        }
    }
    None
}

fn dated_code(codes: &[(String, Restriction)], date: Option<NaiveDate>) -> Option<String> {
    if let Some(d) = date {
        for (c, r) in codes {
            let ok = match r {
                Restriction::Always => false,
                Restriction::Before(x) => d <= *x,
                Restriction::After(x) => d >= *x,
                Restriction::Between(a, b) => d >= *a && d <= *b,
            };
            if ok {
                return Some(c.clone());
            }
        }
    }
    codes
        .iter()
        .rev()
        .find(|(_, r)| *r == Restriction::Always)
        .or(codes.first())
        .map(|(c, _)| c.clone())
}

/// The words of a multi-word synset member at `items[j..]` (reversed when matching backwards),
/// NE markers between the words passed over; the index after the match.
fn words_at(s: &Lin, items: &[Item], j: usize, m: &[String], back: bool) -> Option<usize> {
    let mut k = j;
    let n = m.len();
    for t in 0..n {
        let want = if back { &m[n - 1 - t] } else { &m[t] };
        loop {
            match items.get(k)? {
                Item::W(x) => {
                    if &s.words[*x].0 != want {
                        return None;
                    }
                    k += 1;
                    break;
                }
                _ if t == 0 => return None,
                _ => k += 1,
            }
        }
    }
    Some(k)
}

/// The noun phrase `items[i]` lies inside (a word of it matched just before `i`): its index
/// and the position of its end (its start, when running backwards).
fn current_ne(items: &[Item], i: usize, back: bool) -> Option<(usize, usize)> {
    // Backwards an NE is entered at its NeE and left at its NeS.
    type Mark = fn(&Item) -> bool;
    let (enter, leave): (Mark, Mark) = if back {
        (
            |it| matches!(it, Item::NeE),
            |it| matches!(it, Item::NeS(_)),
        )
    } else {
        (
            |it| matches!(it, Item::NeS(_)),
            |it| matches!(it, Item::NeE),
        )
    };
    let mut k = i;
    let mut entered = None;
    while k > 0 {
        k -= 1;
        if leave(&items[k]) {
            return None;
        }
        if enter(&items[k]) {
            entered = Some(k);
            break;
        }
    }
    let start = entered?;
    let end = (i..items.len()).find(|&j| leave(&items[j]))?;
    let n = match (items[start], items[end]) {
        (Item::NeS(n), _) | (_, Item::NeS(n)) => n,
        _ => return None,
    };
    Some((n, end))
}

/// The NE opened (or, backwards, closed) at `items[j]`: its index and the position of its
/// other end.
fn ne_span(items: &[Item], j: usize, back: bool) -> Option<(usize, usize)> {
    if back {
        let mut k = j + 1;
        while k < items.len() {
            if let Item::NeS(n) = items[k] {
                return Some((n, k));
            }
            k += 1;
        }
        None
    } else {
        let Item::NeS(n) = items[j] else { return None };
        let close = (j + 1..items.len()).find(|&k| matches!(items[k], Item::NeE))?;
        Some((n, close))
    }
}

/// The first noun phrase of `items` (a compound counts as one): coded ones first.
fn first_np(s: &Lin, items: &[Item], _lower: bool) -> Option<Loc> {
    let mut in_nec: Option<usize> = None;
    let mut first_null: Option<Loc> = None;
    for it in items {
        match *it {
            Item::NecS(c) => {
                return Some(Loc::Nec(c));
            }
            Item::NecE => in_nec = None,
            Item::NeS(n) if in_nec.is_none() => {
                if s.nes[n].code.is_some() {
                    return Some(Loc::Ne(n));
                }
                first_null.get_or_insert(Loc::Ne(n));
            }
            _ => {}
        }
    }
    first_null
}

/// The source before the verb: the nearest coded NE or compound whose code differs from the
/// target's, else the nearest NE.
fn first_np_upper(
    s: &Lin,
    upper: &[Item],
    tcodes: &[String],
    c: &PetrCoder,
    opts: &CodeOptions,
) -> Option<Loc> {
    let mut first_null = None;
    // `upper` runs backwards: an NE is closed (NeE) before it is opened (NeS).
    for it in upper {
        match *it {
            Item::NecS(n) => {
                let codes = c.loc_codes(s, Loc::Nec(n), opts);
                if codes != tcodes {
                    return Some(Loc::Nec(n));
                }
            }
            Item::NeS(n) if !s.ne_in_nec[n] => {
                if s.nes[n].code.is_some() {
                    let codes = c.loc_codes(s, Loc::Ne(n), opts);
                    if codes != tcodes {
                        return Some(Loc::Ne(n));
                    }
                } else if first_null.is_none() {
                    first_null = Some(Loc::Ne(n));
                }
            }
            // PETRARCH2 reads a clause's own subject even when no actor: an uncoded subject
            // ("this plan had …") is not passed over for an actor of the clause above.
            Item::VpS(_) if opts.code_algebra && first_null.is_some() => return first_null,
            _ => {}
        }
    }
    if first_null.is_some() {
        return first_null;
    }
    upper.iter().find_map(|it| match *it {
        Item::NeS(n) if !s.ne_in_nec[n] => Some(Loc::Ne(n)),
        _ => None,
    })
}

/// Multi-word verb words after the verb (determiners and numbers may intervene): the index
/// after them.
fn match_words_fwd(s: &Lin, from: usize, end: usize, words: &[String]) -> Option<usize> {
    let mut k = from;
    for w in words {
        loop {
            if k >= end {
                return None;
            }
            match s.items[k] {
                Item::W(x) if &s.words[x].0 == w => {
                    k += 1;
                    break;
                }
                Item::W(x) if skippable(&s.words[x].0) => k += 1,
                Item::W(_) => return None,
                _ => k += 1,
            }
        }
    }
    Some(k)
}

/// Multi-word verb words before the verb item `at`: the index of the first of them.
fn match_words_back(s: &Lin, at: usize, words: &[String]) -> Option<usize> {
    let mut k = at;
    for w in words.iter().rev() {
        loop {
            if k == 0 {
                return None;
            }
            k -= 1;
            match s.items[k] {
                Item::W(x) if &s.words[x].0 == w => break,
                Item::W(x) if skippable(&s.words[x].0) => {}
                Item::W(_) => return None,
                _ => {}
            }
        }
    }
    Some(k)
}

fn skippable(w: &str) -> bool {
    matches!(
        w,
        "THE"
            | "A"
            | "AN"
            | "IT"
            | "HE"
            | "THEY"
            | "HER"
            | "HAS"
            | "HAD"
            | "HAVE"
            | "SOME"
            | "FEW"
            | "THAT"
    ) || w.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Loc {
    Ne(usize),
    Nec(usize),
}

/// See [`Lin::vp_role`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum VpRole {
    Predicate,
    Adjunct,
    ReducedPassive,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    W(usize),
    NeS(usize),
    NeE,
    NecS(usize),
    NecE,
    VpS(usize),
    VpE(usize),
    Comma,
    /// An opening or closing bracket of another phrase (kept for clause bounds).
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Ne {
    words: Vec<String>,
    code: Option<String>,
    /// Length of the code's actor part, the agents after it (0: not known).
    actor_len: usize,
}

/// The linearised sentence.
#[derive(Debug, Default)]
struct Lin<'a> {
    /// (uppercase word, tag)
    words: Vec<(String, &'a str)>,
    items: Vec<Item>,
    nes: Vec<Ne>,
    ne_in_nec: Vec<bool>,
    necs: Vec<Vec<usize>>,
    vps: usize,
    /// Verb phrases that modify a noun phrase (their ids): "farmers [detained for …]".
    np_vps: Set<usize>,
    /// The sentence's word hashes ([`word_hash`]), sorted, for quick pattern pre-checks (a
    /// sentence's few dozen words are sorted faster than hashed into a set).
    vocab: Vec<u64>,
    /// [`WordSig`] of `vocab`.
    vocab_sig: WordSig,
}

/// A word as the dictionaries spell it.
fn upper(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    push_upper(&mut out, w);
    out
}

/// Append `w` uppercased to `buf`. Nearly all news words are ASCII, where one copy
/// converted in place beats the general Unicode mapping.
fn push_upper(buf: &mut String, w: &str) {
    let start = buf.len();
    if w.is_ascii() {
        buf.push_str(w);
        buf[start..].make_ascii_uppercase();
    } else {
        buf.push_str(&w.to_uppercase());
    }
}

fn is_noun_tag(t: &str) -> bool {
    t.starts_with("NN") || t == "PRP" || t == "CD"
}

impl<'a> Lin<'a> {
    /// Room for a news sentence's words and items, so that walking the tree does not grow
    /// the vectors step by step.
    fn sized() -> Lin<'a> {
        Lin {
            words: Vec::with_capacity(48),
            items: Vec::with_capacity(128),
            ..Lin::default()
        }
    }

    fn word(&mut self, w: &str, tag: &'a str) {
        self.words.push((upper(w), tag));
        self.items.push(Item::W(self.words.len() - 1));
    }

    fn ne(&mut self, words: &[(&'a str, &'a str)], in_nec: bool) {
        let n = self.nes.len();
        self.items.push(Item::NeS(n));
        let first = self.words.len();
        for &(w, t) in words {
            if t != "POS" && t != "," && t != "CC" {
                self.word(w, t);
            }
        }
        self.items.push(Item::NeE);
        // The phrase's words, uppercase as the sentence's just pushed.
        let kept = &self.words[first..];
        // A participle joined by a hyphen to the word before it ("king-backed",
        // "Valdria-based", split by the tokeniser) makes one modifier: as in the tokenisation the
        // dictionaries were written for, its first part names no actor or agent of the phrase.
        let mut ne_words: Vec<String> = Vec::with_capacity(kept.len());
        let mut i = 0;
        while i < kept.len() {
            let hyphenated = kept[i].0 == "-"
                && !ne_words.is_empty()
                && kept
                    .get(i + 1)
                    .is_some_and(|(_, t)| matches!(*t, "VBN" | "VBD" | "VBG"));
            // The same with the hyphen left on the participle ("king -backed"): a word
            // made of a hyphen and a participle-shaped word (-ed, -ing).
            let glued_part = kept[i].0.strip_prefix('-');
            let glued = !ne_words.is_empty()
                && glued_part.is_some_and(|w| {
                    w.chars().all(|c| c.is_ascii_alphabetic())
                        && (w.len() > 4 && (w.ends_with("ED") || w.ends_with("ING")))
                });
            if hyphenated {
                let last = ne_words.last_mut().expect("checked non-empty");
                last.push('-');
                last.push_str(&kept[i + 1].0);
                i += 2;
            } else if glued {
                let last = ne_words.last_mut().expect("checked non-empty");
                last.push('-');
                last.push_str(glued_part.unwrap_or_default());
                i += 1;
            } else {
                ne_words.push(kept[i].0.clone());
                i += 1;
            }
        }
        self.nes.push(Ne {
            words: ne_words,
            code: None,
            actor_len: 0,
        });
        self.ne_in_nec.push(in_nec);
    }

    fn walk(&mut self, t: &Tree<'a>) {
        match t {
            Tree::Leaf { tag, word } => {
                if *tag == "," {
                    self.items.push(Item::Comma);
                } else {
                    self.word(word, tag);
                }
            }
            Tree::Phrase { label, kids, .. } if *label == "NP" => {
                if let Some(members) = compound_members(t) {
                    let c = self.necs.len();
                    self.necs.push(Vec::new());
                    self.items.push(Item::NecS(c));
                    let first = self.nes.len();
                    for m in members {
                        self.ne(&m, true);
                    }
                    self.necs[c] = (first..self.nes.len()).collect();
                    self.items.push(Item::NecE);
                } else if let Some(words) = ne_words(t) {
                    let variants = if t.has_label(Inside::CC) {
                        ne_variants(t)
                    } else {
                        Vec::new()
                    };
                    if variants.len() > 1 {
                        // A compound inside the phrase: one NE per member, the rest shared.
                        let c = self.necs.len();
                        self.necs.push(Vec::new());
                        self.items.push(Item::NecS(c));
                        let first = self.nes.len();
                        for v in &variants {
                            self.ne(v, true);
                        }
                        self.necs[c] = (first..self.nes.len()).collect();
                        self.items.push(Item::NecE);
                    } else {
                        self.ne(&words, false);
                    }
                } else {
                    self.items.push(Item::Open);
                    for k in kids.iter() {
                        // The verb phrase opening this modifier, also through the clause
                        // brackets a parser puts round it ("(SBAR (S (VP imprisoned …)))").
                        let mut t = k;
                        while let Tree::Phrase { label, kids, .. } = t {
                            match (*label, kids.first()) {
                                ("VP", _) => {
                                    self.np_vps.insert(self.vps);
                                    break;
                                }
                                ("S" | "SBAR", Some(first)) => t = first,
                                _ => break,
                            }
                        }
                        self.walk(k);
                    }
                    self.items.push(Item::Close);
                }
            }
            Tree::Phrase { label, kids, .. } if *label == "VP" => {
                let id = self.vps;
                self.vps += 1;
                self.items.push(Item::VpS(id));
                for k in kids.iter() {
                    self.walk(k);
                }
                self.items.push(Item::VpE(id));
            }
            Tree::Phrase { kids, .. } => {
                self.items.push(Item::Open);
                for k in kids.iter() {
                    self.walk(k);
                }
                self.items.push(Item::Close);
            }
        }
    }

    /// Alphabetic words in `items[a..b]`.
    fn count_words(&self, a: usize, b: usize) -> usize {
        self.items[a..b]
            .iter()
            .filter(|it| matches!(it, Item::W(x) if self.words[*x].0.chars().next().is_some_and(char::is_alphabetic)))
            .count()
    }

    /// Remove what lies between `a` and `b` except markers whose partner lies outside.
    fn cut(&mut self, a: usize, b: usize) {
        let mut keep = vec![true; self.items.len()];
        // Balance within the span: drop matched pairs and words, keep unmatched markers.
        let mut stack: Vec<usize> = Vec::new();
        for (k, kp) in keep.iter_mut().enumerate().take(b).skip(a) {
            match self.items[k] {
                Item::NeS(_) | Item::NecS(_) | Item::VpS(_) | Item::Open => {
                    stack.push(k);
                    *kp = false;
                }
                Item::NeE | Item::NecE | Item::VpE(_) | Item::Close => {
                    if stack.pop().is_none() {
                        // closes something opened before the span
                    } else {
                        *kp = false;
                    }
                }
                _ => *kp = false,
            }
        }
        for k in stack {
            keep[k] = true;
        }
        // Unmatched closers were left true; re-mark closers inside the span whose opener was
        // dropped (handled above), so nothing else to do.
        let mut i = 0;
        self.items.retain(|_| {
            let r = keep[i];
            i += 1;
            r
        });
    }

    /// PETRARCH's comma-clause deletion: a terminal clause and internal clauses whose word
    /// counts lie within the configured bounds are removed (an initial one too when enabled).
    fn drop_commas(&mut self, o: &CodeOptions) {
        let commas = |s: &Lin| -> Vec<usize> {
            (0..s.items.len())
                .filter(|&k| s.items[k] == Item::Comma)
                .collect()
        };
        let end = |s: &Lin| -> usize {
            // The final punctuation word, if any.
            let mut k = s.items.len();
            while k > 0 {
                k -= 1;
                if let Item::W(x) = s.items[k] {
                    if s.words[x].1 == "." {
                        return k;
                    }
                    return k + 1;
                }
            }
            0
        };
        if o.comma_bmax > 0 {
            if let Some(&c) = commas(self).first() {
                let n = self.count_words(0, c);
                if n >= o.comma_bmin && n <= o.comma_bmax {
                    self.cut(0, c);
                }
            }
        }
        if o.comma_emax > 0 {
            if let Some(&c) = commas(self).last() {
                let e = end(self);
                if c < e {
                    let n = self.count_words(c, e);
                    if n >= o.comma_emin && n <= o.comma_emax {
                        self.cut(c, e);
                    }
                }
            }
        }
        if o.comma_max > 0 {
            let mut k = 0;
            loop {
                let cs = commas(self);
                if k + 1 >= cs.len() {
                    break;
                }
                let (a, b) = (cs[k], cs[k + 1]);
                let n = self.count_words(a, b);
                if n >= o.comma_min && n <= o.comma_max {
                    self.cut(a, b + 1);
                } else {
                    k += 1;
                }
            }
        }
    }

    /// "The mayor of Ramallah": a noun phrase with only an agent code takes the actor of an
    /// `of` phrase right after it (`---GOV` + `PSE` → `PSEGOV`).
    fn agents_of_actors(&mut self) {
        for k in 0..self.items.len() {
            let Item::NeS(n) = self.items[k] else {
                continue;
            };
            let Some(agent) = self.nes[n]
                .code
                .as_deref()
                .and_then(|c| c.strip_prefix("---"))
            else {
                continue;
            };
            if agent.is_empty() {
                continue;
            }
            let Some(end) = (k + 1..self.items.len()).find(|&j| self.items[j] == Item::NeE) else {
                continue;
            };
            // The next two items that are not phrase brackets: "of" and the noun phrase.
            let mut next = self.items[end + 1..]
                .iter()
                .filter(|it| !matches!(it, Item::Open | Item::Close));
            let of = matches!(next.next(), Some(Item::W(w)) if self.words[*w].0 == "OF");
            let actors: Vec<String> = match next.next() {
                // "the jailed heads of X's Y party": the head's agent comes before the
                // agents of the phrase after "of", as the words come (X + OPP + Y's agent).
                Some(Item::NeS(m)) => {
                    let (code, len) = (&self.nes[*m].code, self.nes[*m].actor_len);
                    code.iter()
                        .map(|c| {
                            if len >= 3
                                && len < c.len()
                                && !c.contains('/')
                                && !c[len..].contains(agent)
                            {
                                format!("{}{agent}{}", &c[..len], &c[len..])
                            } else {
                                c.clone()
                            }
                        })
                        .collect()
                }
                // "the envoys of A, B and C": one code per member.
                Some(Item::NecS(c)) => self.necs[*c]
                    .iter()
                    .filter_map(|&m| self.nes[m].code.clone())
                    .collect(),
                _ => continue,
            };
            let actors: Vec<String> = actors
                .into_iter()
                .filter(|c| !c.starts_with("---") && !c.contains('/'))
                .map(|a| {
                    // PETRARCH2 adds an agent code only once.
                    let present = (0..a.len())
                        .step_by(3)
                        .any(|k| a.get(k..k + agent.len()) == Some(agent));
                    if present {
                        a
                    } else {
                        format!("{a}{agent}")
                    }
                })
                .collect();
            if of && !actors.is_empty() {
                self.nes[n].code = Some(actors.join("/"));
            }
        }
    }

    /// Whether the verb phrase closing at `k` is followed (after a conjunction) by another
    /// verb phrase.
    fn vp_sibling_before(&self, k: usize) -> bool {
        let mut j = k + 1;
        while j < self.items.len() {
            match self.items[j] {
                Item::W(x) if self.words[x].1 == "CC" => j += 1,
                Item::Comma | Item::Open | Item::Close => j += 1,
                Item::VpS(_) => return j > k + 1,
                _ => return false,
            }
        }
        false
    }

    /// The item before the verb phrase opening at `k`, phrase openings passed over.
    fn before_vp(&self, k: usize) -> Option<Item> {
        self.items[..k]
            .iter()
            .rev()
            .find(|it| !matches!(it, Item::VpS(_) | Item::Open))
            .copied()
    }

    /// How the verb phrase opening at `k` stands in its sentence when it is not a clause's
    /// predicate: PETRARCH2 codes no event for a gerund after a preposition ("fined her for
    /// helping smugglers cross …", "a tour devoted to raising funds for …") or a participle
    /// adjunct with no subject of its own ("…, widening its offensive on …", "…, climbing a
    /// fence"), and reads a past participle right after a noun phrase ("farmers detained
    /// for …", "sailors wounded in Kestria") as a reduced passive relative.
    fn vp_role(&self, k: usize) -> VpRole {
        let Some(&Item::W(v)) = self.items.get(k + 1) else {
            return VpRole::Predicate;
        };
        let tag = self.words[v].1;
        match (tag, self.before_vp(k)) {
            ("VBG", Some(Item::W(x))) if self.words[x].1 == "IN" => VpRole::Adjunct,
            ("VBG", Some(Item::Comma | Item::VpE(_) | Item::Close)) => VpRole::Adjunct,
            // Taggers often read such a participle as a past tense; the tree says what it is.
            // A sentence whose only verb is this one is a main clause the parser misread.
            ("VBN" | "VBD", Some(Item::NeE | Item::NecE))
                if matches!(self.items[k], Item::VpS(id) if self.np_vps.contains(&id))
                    && self.other_verb(k) =>
            {
                VpRole::ReducedPassive
            }
            _ => VpRole::Predicate,
        }
    }

    /// Whether the sentence has a verb phrase outside the one opening at `k`.
    fn other_verb(&self, k: usize) -> bool {
        let Item::VpS(id) = self.items[k] else {
            return false;
        };
        let end = (k + 1..self.items.len())
            .find(|&j| matches!(self.items[j], Item::VpE(x) if x == id))
            .unwrap_or(self.items.len());
        self.items[..k]
            .iter()
            .chain(self.items.get(end + 1..).unwrap_or(&[]))
            .any(|it| matches!(it, Item::VpS(_)))
    }

    /// Whether the verb phrase opening at `k` is an infinitive ("to attend").
    fn infinitive(&self, k: usize) -> bool {
        matches!(self.before_vp(k), Some(Item::W(x)) if self.words[x].1 == "TO")
    }

    /// Whether the word before the verb phrase opening at `k` (adverbs and phrase marks
    /// passed over) is a form of "be".
    fn after_be(&self, k: usize) -> bool {
        let mut j = k;
        while j > 0 {
            j -= 1;
            match self.items[j] {
                Item::W(x) if self.words[x].1.starts_with("RB") => {}
                Item::W(x) => {
                    return matches!(
                        self.words[x].0.as_str(),
                        "AM" | "IS" | "ARE" | "WAS" | "WERE" | "BE" | "BEEN" | "BEING"
                    )
                }
                Item::VpS(_) | Item::Open => {}
                _ => return false,
            }
        }
        false
    }

    /// The word span of the noun phrase coded `code` nearest the verb phrase opening at `at`:
    /// before it first for a source, after it first for a target.
    fn ne_words_of(&self, code: &str, at: usize, source: bool) -> Option<(usize, usize)> {
        let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(self.nes.len()); // (item, first word, last word)
        let mut open: Option<usize> = None;
        let mut first: Option<usize> = None;
        let mut last: Option<usize> = None;
        for (j, it) in self.items.iter().enumerate() {
            match *it {
                Item::NeS(n) => {
                    let ne = &self.nes[n];
                    let fits = ne
                        .code
                        .as_deref()
                        .is_some_and(|c| c.split('/').any(|p| p == code))
                        || (ne.code.is_none()
                            && code.starts_with('"')
                            && code.trim_matches('"') == ne.words.join(" "));
                    open = fits.then_some(j);
                    (first, last) = (None, None);
                }
                Item::W(x) if open.is_some() => {
                    first.get_or_insert(x);
                    last = Some(x);
                }
                Item::NeE => {
                    if let (Some(j0), Some(a), Some(b)) = (open, first, last) {
                        spans.push((j0, a, b));
                    }
                    open = None;
                }
                _ => {}
            }
        }
        let before = spans.iter().filter(|x| x.0 < at).max_by_key(|x| x.0);
        let after = spans.iter().filter(|x| x.0 > at).min_by_key(|x| x.0);
        let pick = if source {
            before.or(after)
        } else {
            after.or(before)
        };
        pick.map(|x| (x.1, x.2))
    }

    /// Whether the verb phrase opening at `k` is negated: "not"/"n't"/"never" among the
    /// auxiliaries and adverbs just before it ("would not <VP provide …").
    fn negated(&self, k: usize) -> bool {
        let mut j = k;
        while j > 0 {
            j -= 1;
            match self.items[j] {
                Item::W(x) => {
                    let (w, tag) = &self.words[x];
                    if matches!(w.as_str(), "NOT" | "N'T" | "NEVER") {
                        return true;
                    }
                    if !(*tag == "MD"
                        || *tag == "TO"
                        || tag.starts_with("VB")
                        || tag.starts_with("RB"))
                    {
                        return false;
                    }
                }
                Item::VpS(_) | Item::Open => {}
                _ => return false,
            }
        }
        false
    }

    /// The first clause with its own subject in `items[from..end]`: an opening bracket whose
    /// phrase starts (after further brackets and a complementiser) with a noun phrase followed
    /// by a verb phrase.
    fn clause_start(&self, from: usize, end: usize) -> Option<usize> {
        let mut p = from;
        // Only the verb phrase's own constituents: a clause nested deeper (inside an
        // adverbial "after the bridge was closed") is not the verb's complement.
        let mut depth = 0usize;
        while p < end {
            let here = depth;
            match self.items[p] {
                Item::Open | Item::NeS(_) | Item::NecS(_) | Item::VpS(_) => depth += 1,
                Item::Close | Item::NeE | Item::NecE | Item::VpE(_) => {
                    depth = depth.saturating_sub(1)
                }
                _ => {}
            }
            if here == 0 && self.items[p] == Item::Open {
                let mut j = p;
                while j < end
                    && (self.items[j] == Item::Open
                        || matches!(self.items[j], Item::W(x) if matches!(self.words[x].1, "IN" | "WDT" | "DT") && matches!(self.words[x].0.as_str(), "THAT" | "WHETHER" | "IF")))
                {
                    j += 1;
                }
                let close = match self.items.get(j) {
                    Some(Item::NeS(_)) => (j..end).find(|&q| self.items[q] == Item::NeE),
                    Some(Item::NecS(_)) => (j..end).find(|&q| self.items[q] == Item::NecE),
                    _ => None,
                };
                if let Some(c) = close {
                    let mut q = c + 1;
                    while q < end && self.items[q] == Item::Open {
                        q += 1;
                    }
                    // A gerund or past participle after the noun phrase modifies it ("a
                    // raid striking farms", "a suspect wanted for …"): no clause of its own.
                    let gerund = matches!(self.items.get(q + 1), Some(Item::W(w)) if matches!(self.words[*w].1, "VBG" | "VBN"));
                    if matches!(self.items.get(q), Some(Item::VpS(_))) && q < end && !gerund {
                        return Some(p);
                    }
                }
            }
            p += 1;
        }
        None
    }

    /// Whether word `x` heads the noun phrase it stands in: the phrase's last word before a
    /// preposition inside it ("HUNDREDS of … troops"), or its last word. A word outside any
    /// noun phrase counts as a head.
    fn heads_its_ne(&self, x: usize) -> bool {
        let Some(p) = self.items.iter().position(|it| *it == Item::W(x)) else {
            return true;
        };
        let Some(open) = (0..p)
            .rev()
            .find_map(|j| match self.items[j] {
                Item::NeS(_) => Some(Some(j)),
                Item::NeE | Item::VpS(_) | Item::VpE(_) => Some(None),
                _ => None,
            })
            .flatten()
        else {
            return true;
        };
        let words: Vec<usize> = self.items[open + 1..]
            .iter()
            .take_while(|it| **it != Item::NeE)
            .filter_map(|it| match *it {
                Item::W(w) => Some(w),
                _ => None,
            })
            .collect();
        let cut = words
            .iter()
            .skip(1)
            .position(|&w| self.words[w].1 == "IN")
            .map_or(words.len(), |q| q + 1);
        words[..cut].last() == Some(&x)
    }

    /// The first actor inside the reduced relative right after noun phrase `n` ("a report
    /// [released in Tolsk]"): PETRARCH2 gives a noun phrase naming no actor the actors of
    /// the verb phrase it holds. Only a phrase that ends before the verb phrase opening at
    /// `verb` (never that phrase itself).
    fn relative_actor(&self, n: usize, verb: usize) -> Option<usize> {
        let open = self.items.iter().position(|it| *it == Item::NeS(n))?;
        let close = (open..self.items.len()).find(|&j| self.items[j] == Item::NeE)?;
        let Some(Item::VpS(id)) = self.items[close + 1..]
            .iter()
            .find(|it| !matches!(it, Item::Open | Item::Close))
        else {
            return None;
        };
        let end = (close + 1..self.items.len()).find(|&j| self.items[j] == Item::VpE(*id))?;
        if !self.np_vps.contains(id) || end >= verb {
            return None;
        }
        self.items[close + 1..]
            .iter()
            .take_while(|it| **it != Item::VpE(*id))
            .find_map(|it| match *it {
                Item::NeS(m) if self.nes[m].code.is_some() => Some(m),
                _ => None,
            })
    }

    /// Items after the verb up to the end of its phrase.
    fn lower(&self, from: usize, end: usize) -> Vec<Item> {
        self.items[from.min(end)..end].to_vec()
    }

    /// Items before the verb back to the start of the sentence or a comma, nearest first.
    fn upper(&self, verb: usize) -> Vec<Item> {
        let mut out = Vec::with_capacity(verb);
        let mut k = verb;
        while k > 0 {
            k -= 1;
            match self.items[k] {
                Item::Comma => break,
                // A co-ordinated verb phrase before this one: its words are not this verb's
                // subject (A condemned X by B and promised C: A promised).
                Item::VpE(id) if self.vp_sibling_before(k) => {
                    while k > 0 && self.items[k] != Item::VpS(id) {
                        k -= 1;
                    }
                }
                it => out.push(it),
            }
        }
        out
    }
}

/// A phrase's (word, tag) pairs as written.
type Words<'a> = Vec<(&'a str, &'a str)>;

/// The sentence's words as they were written, from the parser's tokens: closing
/// punctuation, possessives and contractions join the word before, opening quotes and
/// brackets the word after, and a hyphen both ("500 - page" is "500-PAGE"). Uppercase, all
/// in `buf` (one allocation, not one per word): each word is `buf[a..b]` of a returned pair.
fn written_words(words: &[(&str, &str)], buf: &mut String) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(words.len());
    // Where opening punctuation waiting for its word starts in `buf`.
    let mut pending: Option<usize> = None;
    let mut glue_next = false;
    for &(w, tag) in words {
        let start = buf.len();
        push_upper(buf, w);
        let w = &buf[start..];
        let closing = matches!(
            w,
            "," | "." | ":" | ";" | "!" | "?" | "''" | "'" | ")" | "-RRB-" | "%" | "..."
        ) || tag == "POS"
            || w.starts_with('\'')
            || w == "N'T";
        let opening = matches!(w, "``" | "(" | "-LRB-" | "$");
        let hyphen = w == "-";
        // The word is already at the end of `buf`: joining it to the word before (which
        // ends where it starts, nothing pending) only moves that word's end.
        if (closing || hyphen || glue_next) && pending.is_none() {
            if let Some(last) = out.last_mut() {
                last.1 = buf.len();
                glue_next = hyphen;
                continue;
            }
        }
        glue_next = false;
        if opening {
            pending.get_or_insert(start);
            continue;
        }
        out.push((pending.take().unwrap_or(start), buf.len()));
        glue_next = hyphen;
    }
    if let Some(p) = pending {
        out.push((p, buf.len()));
    }
    out
}

/// Members of a co-ordinated noun phrase (`A and B`, `A, B and C`): each member's words, with
/// adjectives before the first member shared.
fn compound_members<'a>(np: &Tree<'a>) -> Option<Vec<Words<'a>>> {
    let kids = np.kids();
    let ccs = kids.iter().filter(|k| k.label() == "CC").count();
    if np.has_label(Inside::VP | Inside::S) {
        return None;
    }
    let nouns: Vec<&Tree> = kids
        .iter()
        .filter(|k| k.label() == "NP" || k.label().starts_with("NN"))
        .collect();
    // A member that is itself a list ("A, B, C and D" parsed as A, B, (C and D)) is spliced.
    let nested: Vec<Option<Vec<Words>>> = nouns
        .iter()
        .map(|n| {
            if n.label() != "NP" {
                return None;
            }
            if ccs == 0 && kids.iter().any(|k| k.label() == ",") {
                return compound_members(n);
            }
            // A comma list inside a co-ordination ("A, B, and C" parsed as (A, B) and C).
            comma_list(n)
        })
        .collect();
    let nested_ccs = nested
        .iter()
        .zip(&nouns)
        .filter(|(m, n)| m.is_some() && n.has_label(Inside::CC))
        .count();
    if ccs + nested_ccs != 1 || nouns.len() < 2 {
        return None;
    }
    let mut adj = Vec::new();
    for k in kids {
        if k.label() == "NP" || k.label().starts_with("NN") {
            break;
        }
        if k.label().starts_with("JJ") {
            k.words(&mut adj);
        }
    }
    let mut out = Vec::new();
    for (n, inner) in nouns.into_iter().zip(nested) {
        if let Some(members) = inner {
            out.extend(members);
            continue;
        }
        let mut w = Vec::new();
        if n.label().starts_with("NN") {
            w.extend(adj.iter().cloned());
        }
        n.words(&mut w);
        // "Valdria guards and Oskaran": a member of adjectives only shares the head noun of
        // the member before it (the parser hung "and Oskaran" on the first modifier).
        let adjectives_only = !w.is_empty()
            && w.iter().all(|(_, t)| t.starts_with("JJ"))
            && !w.iter().any(|(_, t)| is_noun_tag(t));
        if adjectives_only {
            if let Some(head) = out
                .last()
                .and_then(|m: &Words<'a>| m.last())
                .filter(|(_, t)| t.starts_with("NN"))
            {
                w.push(*head);
            }
        }
        out.push(w);
    }
    Some(out)
}

/// The members of `(NP (NP A) (, ,) (NP B) …)`: noun phrases separated by commas only.
fn comma_list<'a>(np: &Tree<'a>) -> Option<Vec<Words<'a>>> {
    let kids = np.kids();
    if !kids.iter().all(|k| matches!(k.label(), "NP" | ","))
        || !kids.iter().any(|k| k.label() == ",")
    {
        return None;
    }
    let members: Vec<Words> = kids
        .iter()
        .filter(|k| k.label() == "NP")
        .map(|k| {
            let mut w = Vec::new();
            k.words(&mut w);
            w
        })
        .collect();
    (members.len() >= 2).then_some(members)
}

/// The readings of a noun phrase with co-ordinations inside ("deputies in A and B"): one word
/// list per combination of members (at most 16).
fn ne_variants<'a>(t: &Tree<'a>) -> Vec<Words<'a>> {
    match t {
        Tree::Leaf { tag, word } => vec![vec![(*word, *tag)]],
        Tree::Phrase { label, kids, .. } => {
            if *label == "NP" {
                if let Some(m) = compound_members(t) {
                    return m;
                }
            }
            let mut acc: Vec<Words<'a>> = vec![Vec::new()];
            for k in kids.iter() {
                let vs = ne_variants(k);
                if vs.len() == 1 || acc.len() * vs.len() > 16 {
                    let first = &vs[0];
                    for a in &mut acc {
                        a.extend(first.iter().cloned());
                    }
                } else {
                    let mut next = Vec::new();
                    for a in &acc {
                        for v in &vs {
                            let mut x = a.clone();
                            x.extend(v.iter().cloned());
                            next.push(x);
                        }
                    }
                    acc = next;
                }
            }
            acc
        }
    }
}

/// The words of a noun phrase PETRARCH treats as one named-entity span: a possessive, a simple
/// `NP PP NP`, or one with no noun phrase inside (relative clauses count as words).
fn ne_words<'a>(np: &Tree<'a>) -> Option<Words<'a>> {
    let kids = np.kids();
    let mut all = Vec::new();
    // A possessive is one span, but not a clause hung on it ("… Valdria's white city,
    // burning two farms"): the clause's words are no part of a name.
    if np.has_label(Inside::POS) && !np.has_clause() {
        np.words(&mut all);
        return Some(all);
    }
    if let Some(pp) = kids.iter().position(|k| k.label() == "PP") {
        let first = kids.first()?;
        if first.label() != "NP" || pp == 0 {
            return None;
        }
        let pkids = kids[pp].kids();
        if pkids.len() < 2 || kids[pp].has_label(Inside::PP) || pp + 1 < kids.len() {
            return None;
        }
        let obj = pkids.iter().find(|k| k.label() == "NP")?;
        if obj.has_label(Inside::NP) && compound_members(obj).is_none() {
            return None;
        }
        first.words(&mut all);
        pkids[0].words(&mut all);
        obj.words(&mut all);
        return Some(all);
    }
    if np.has_label(Inside::NP | Inside::VP | Inside::S) {
        return None;
    }
    np.words(&mut all);
    if !all
        .iter()
        .any(|(_, t)| is_noun_tag(t) || t.starts_with("JJ"))
    {
        return None;
    }
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_signatures_never_reject_a_sentence_holding_the_words() {
        let sentence = WordSig::of(["THE", "ARMY", "SHELLED", "THE", "HARBOUR"]);
        assert!(sentence.may_contain(&WordSig::of(["ARMY", "HARBOUR"])));
        assert!(sentence.may_contain(&WordSig::default()));
        // Each word sets one of 256 bits: a set of absent words is rejected unless all
        // of its bits happen to be set.
        let absent: Vec<String> = (0..40).map(|i| format!("ABSENT{i}")).collect();
        assert!(!sentence.may_contain(&WordSig::of(absent.iter().map(String::as_str))));
    }

    #[test]
    fn synset_members_are_found_by_the_word_a_match_starts_at() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let set = Synset::new(vec![
            words("PEACE TALKS"),
            words("TALKS"),
            words("PEACE ACCORD"),
            Vec::new(),
        ]);
        let forward: Vec<&[String]> = set.starting_at("PEACE", false).collect();
        assert_eq!(
            forward,
            [&words("PEACE TALKS")[..], &words("PEACE ACCORD")[..]]
        );
        // Backwards from the verb a multi-word member is met at its last word, and the
        // dictionary's order is kept.
        let back: Vec<&[String]> = set.starting_at("TALKS", true).collect();
        assert_eq!(back, [&words("PEACE TALKS")[..], &words("TALKS")[..]]);
        assert_eq!(set.starting_at("ACCORD", false).count(), 0);
        assert_eq!(set.starting_at("", false).count(), 0);
    }
    use crate::convert::{PetrKind, PetrarchSet};

    fn coder() -> PetrCoder {
        let files = vec![
            (
                "t.verbs.txt".to_string(),
                PetrKind::Verbs,
                concat!(
                    "&TIES\n+TRADE\n+MILITARY\n\n",
                    "--- MEET [040] ---\nMEET {MET}\n- * &TIES TALKS [046]\n- $ PRAISED * + [051]\n",
                    "- * NEW_TALKS [047]\n\n",
                    "--- ATTACK [190] ---\nATTACK\n- * % [---]\n\n",
                    "--- WARN [130] ---\nWARN\n- * THEIR ^ ABOUT + [138]\n\n",
                    "--- CLAIM [010] ---\nCLAIM {CLAIMED}\n\n",
                    "--- WANT [030] ---\nWANT\n\n",
                    "--- CONDUCT [---] ---\nCONDUCT\n- * DRILLS [150]\n- * RAIDS [190]\n\n",
                    "####### TRANSFORMATIONS #######\n~ a (b . ATTACK) CLAIM = a b 112\n",
                )
                .to_string(),
            ),
            (
                "t.actors.txt".to_string(),
                PetrKind::Actors,
                concat!(
                    "OSKARA [OSK]\nVALDRIA [VLD]\nKARSK [KRS]\n",
                    "WHITE TOWER [VLDMIL]\n",
                    "STEWARD_DENETHOR\n\t[VLDGOV <19950101]\n\t[VLDELI >19950102]\n",
                )
                .to_string(),
            ),
            (
                "t.agents.txt".to_string(),
                PetrKind::Agents,
                "KING [~GOV]\nGUARD [~MIL]\n".to_string(),
            ),
        ];
        PetrCoder::new(&PetrarchSet::parse(&files))
    }

    fn code(c: &PetrCoder, ptb: &str) -> Vec<(String, String, String)> {
        c.code_tree(
            &parse_ptb(ptb, &TreeArena::new()).unwrap(),
            None,
            &CodeOptions::default(),
        )
    }

    /// PETRARCH-1 reading: pattern words may be found anywhere after the verb, also inside a
    /// prepositional phrase the pattern does not name (PETRARCH2 looks at phrase heads).
    fn code_flat(c: &PetrCoder, ptb: &str) -> Vec<(String, String, String)> {
        let opts = CodeOptions {
            code_algebra: false,
            ..CodeOptions::default()
        };
        c.code_tree(&parse_ptb(ptb, &TreeArena::new()).unwrap(), None, &opts)
    }

    #[test]
    fn verb_code_with_default_source_and_target() {
        let c = coder();
        let ev = code(
            &c,
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria))) (. .)))",
        );
        assert_eq!(ev, vec![("OSK".into(), "VLD".into(), "040".into())]);
    }

    #[test]
    fn synset_pattern_and_agents() {
        let c = coder();
        let ev = code_flat(
            &c,
            "(ROOT (S (NP (NP (NNP Oskara) (POS 's)) (NN king)) (VP (VBD met) (NP (NNP Valdria)) (PP (IN for) (NP (JJ military) (NNS talks)))) (. .)))",
        );
        assert_eq!(ev, vec![("OSKGOV".into(), "VLD".into(), "046".into())]);
    }

    #[test]
    fn compounds_give_one_event_per_member() {
        let c = coder();
        let ev = code(
            &c,
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD attacked) (NP (NP (NNP Valdria)) (CC and) (NP (NNP Karsk)))) (. .)))",
        );
        assert_eq!(
            ev,
            vec![
                ("OSK".into(), "VLD".into(), "190".into()),
                ("OSK".into(), "KRS".into(), "190".into())
            ]
        );
    }

    #[test]
    fn joined_words_must_be_adjacent() {
        let c = coder();
        let ev = |np: &str| {
            code_flat(
                &c,
                &format!("(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria)) (PP (IN for) (NP {np}))) (. .)))"),
            )
        };
        assert_eq!(ev("(JJ new) (NNS talks)")[0].2, "047");
        // NEW_TALKS: a word between them breaks the pattern; the verb's own code is left.
        assert_eq!(ev("(JJ new) (JJ frank) (NNS talks)")[0].2, "040");
    }

    #[test]
    fn skip_inside_a_noun_phrase_and_target_after_it() {
        let c = coder();
        let ev = code(
            &c,
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD warned) (NP (PRP$ their) (NNS people)) (PP (IN about) (NP (NNP Karsk)))) (. .)))",
        );
        assert_eq!(ev, vec![("OSK".into(), "KRS".into(), "138".into())]);
    }

    #[test]
    fn passive_with_by_swaps_source_and_target() {
        let c = coder();
        let ev = code(
            &c,
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD was) (VP (VBN attacked) (PP (IN by) (NP (NNP Karsk))))) (. .)))",
        );
        assert_eq!(ev, vec![("KRS".into(), "OSK".into(), "190".into())]);
    }

    fn code_algebra(c: &PetrCoder, ptb: &str) -> Vec<(String, String, String)> {
        let opts = CodeOptions {
            code_algebra: true,
            ..CodeOptions::default()
        };
        c.code_tree(&parse_ptb(ptb, &TreeArena::new()).unwrap(), None, &opts)
    }

    #[test]
    fn an_agent_only_phrase_named_by_the_pattern_is_not_the_target() {
        let c = coder();
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD conducted) (NP (NN guard) (NNS drills)) (PP (IN in) (NP (NNP Valdria)))) (. .)))";
        let seen = c.describe(
            &parse_ptb(ptb, &TreeArena::new()).unwrap(),
            None,
            &CodeOptions::default(),
        );
        assert!(seen.contains("[NE:---MIL GUARD DRILLS ]"), "{seen}");
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "VLD".into(), "150".into())]
        );
    }

    #[test]
    fn participle_adjuncts_and_agentless_reduced_relatives_code_nothing() {
        let c = coder();
        // "…, attacking Karsk": a participle adjunct with no subject of its own.
        let adjunct = "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria))) (, ,) (S (VP (VBG attacking) (NP (NNP Karsk)))) (. .)))";
        assert_eq!(
            code_algebra(&c, adjunct),
            vec![("OSK".into(), "VLD".into(), "040".into())]
        );
        // "… for attacking Karsk": a gerund after a preposition.
        let gerund = "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria)) (PP (IN for) (S (VP (VBG attacking) (NP (NNP Karsk)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, gerund),
            vec![("OSK".into(), "VLD".into(), "040".into())]
        );
        // "Valdria soldiers attacked for treason met Oskara": the participle says who suffered.
        let reduced = "(ROOT (S (NP (NP (NNP Valdria) (NNS soldiers)) (VP (VBN attacked) (PP (IN for) (NP (NN treason))))) (VP (VBD met) (NP (NNP Oskara))) (. .)))";
        assert_eq!(
            code_algebra(&c, reduced),
            vec![("VLD".into(), "OSK".into(), "040".into())]
        );
        // With an agent it is a passive: "Valdria soldiers attacked by Karsk met Oskara".
        let agent = "(ROOT (S (NP (NP (NNP Valdria) (NNS soldiers)) (VP (VBN attacked) (PP (IN by) (NP (NNP Karsk))))) (VP (VBD met) (NP (NNP Oskara))) (. .)))";
        assert!(code_algebra(&c, agent).contains(&("KRS".into(), "VLD".into(), "190".into())));
    }

    #[test]
    fn a_phrase_without_an_actor_on_one_side_still_codes_a_clause_inside_it() {
        let c = coder();
        // "The envoy met Valdria as Oskara attacked Karsk": "the envoy" is no actor, so the
        // meeting is no event, and the clause inside it with its own subject is coded.
        let ptb = "(ROOT (S (NP (DT The) (NN envoy)) (VP (VBD met) (NP (NNP Valdria)) (SBAR (IN as) (S (NP (NNP Oskara)) (VP (VBD attacked) (NP (NNP Karsk)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "190".into())]
        );
        // With an actor the meeting is the event and the phrase is not read again.
        let ptb = "(ROOT (S (NP (NNP Valdria)) (VP (VBD met) (NP (NNP Oskara)) (SBAR (IN as) (S (NP (NNP Oskara)) (VP (VBD attacked) (NP (NNP Karsk)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("VLD".into(), "OSK".into(), "040".into())]
        );
    }

    #[test]
    fn hyphenated_participle_and_clause_words_name_no_actor() {
        let c = coder();
        // "Oskara met a king-backed envoy": the hyphenated modifier names no agent.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (DT a) (NN king) (HYPH -) (VBN backed) (NN envoy))) (. .)))";
        assert!(code(&c, ptb).is_empty());
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (DT a) (NN king))) (. .)))";
        assert_eq!(
            code(&c, ptb),
            vec![("OSK".into(), "---GOV".into(), "040".into())]
        );
        // "Oskara attacked Valdria's city, killing guards": the clause is no part of the
        // possessive phrase's name.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD attacked) (NP (NP (NNP Valdria) (POS 's) (NN city)) (, ,) (SBAR (S (VP (VBG killing) (NP (NNS guards))))))) (. .)))";
        assert_eq!(
            code(&c, ptb),
            vec![("OSK".into(), "VLD".into(), "190".into())]
        );
    }

    #[test]
    fn an_intent_about_another_actors_act_is_no_event() {
        let c = coder();
        // "Oskara wants to attack Karsk": the intent to attack is a threat.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBZ wants) (S (VP (TO to) (VP (VB attack) (NP (NNP Karsk)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "138".into())]
        );
        // "Oskara wants Valdria to attack Karsk": Valdria's act, no intent toward Valdria.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBZ wants) (NP (NNP Valdria)) (S (VP (TO to) (VP (VB attack) (NP (NNP Karsk)))))) (. .)))";
        assert!(code_algebra(&c, ptb).is_empty());
    }

    #[test]
    fn agents_follow_the_order_of_their_words() {
        let c = coder();
        // "The guards of Valdria's king attacked Karsk": Valdria, then the guards' agent,
        // then the king's.
        let ptb = "(ROOT (S (NP (NP (DT The) (NNS guards)) (PP (IN of) (NP (NP (NNP Valdria) (POS 's)) (NN king)))) (VP (VBD attacked) (NP (NNP Karsk))) (. .)))";
        assert_eq!(
            code(&c, ptb),
            vec![("VLDMILGOV".into(), "KRS".into(), "190".into())]
        );
    }

    #[test]
    fn the_pattern_nearest_the_verb_wins_in_petrarch2_mode() {
        let c = coder();
        // "Oskara conducted raids on Karsk before drills": PETRARCH2 reads the words after
        // the verb in order (raids); PETRARCH-1 takes the dictionary's first pattern.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD conducted) (NP (NP (NNS raids)) (PP (IN on) (NP (NNP Karsk)))) (PP (IN before) (NP (NNS drills)))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "190".into())]
        );
        let petrarch1 = CodeOptions {
            code_algebra: false,
            ..CodeOptions::default()
        };
        assert_eq!(
            c.code_tree(
                &parse_ptb(ptb, &TreeArena::new()).unwrap(),
                None,
                &petrarch1
            ),
            vec![("OSK".into(), "KRS".into(), "150".into())]
        );
    }

    /// A small dictionary of our own for the PETRARCH2 pattern-position tests.
    fn tour_coder() -> PetrCoder {
        let files = vec![
            (
                "tour.verbs.txt".to_string(),
                PetrKind::Verbs,
                "--- HOLD [---] ---\nHOLD {HELD}\n- * TOUR [036]\n- * (ON BORDER) [0874]\n\n"
                    .to_string(),
            ),
            (
                "tour.actors.txt".to_string(),
                PetrKind::Actors,
                "KESTRIA [KES]\nOSTMARK [OST]\n".to_string(),
            ),
        ];
        PetrCoder::new(&PetrarchSet::parse(&files))
    }

    #[test]
    fn a_pattern_noun_inside_an_unnamed_prepositional_phrase_is_no_match_in_petrarch2_mode() {
        let c = tour_coder();
        // "Kestria held talks in Ostmark at the close of a tour": TOUR is inside two
        // prepositional phrases the pattern does not name, so PETRARCH2 (heads of the verb's
        // own phrases) codes nothing; PETRARCH-1 skips freely to it.
        let nested = "(ROOT (S (NP (NNP Kestria)) (VP (VBD held) (NP (NNS talks)) (PP (IN in) (NP (NNP Ostmark))) (PP (IN at) (NP (NP (DT the) (NN close)) (PP (IN of) (NP (DT a) (NN tour)))))) (. .)))";
        assert!(code_algebra(&c, nested).is_empty());
        let petrarch1 = CodeOptions {
            code_algebra: false,
            ..CodeOptions::default()
        };
        assert_eq!(
            c.code_tree(
                &parse_ptb(nested, &TreeArena::new()).unwrap(),
                None,
                &petrarch1
            ),
            vec![("KES".into(), "OST".into(), "036".into())]
        );
        // The same noun heading the verb's object still matches.
        let object = "(ROOT (S (NP (NNP Kestria)) (VP (VBD held) (NP (DT a) (NN tour)) (PP (IN in) (NP (NNP Ostmark)))) (. .)))";
        assert_eq!(
            code_algebra(&c, object),
            vec![("KES".into(), "OST".into(), "036".into())]
        );
        // A preposition the pattern names may open its phrase.
        let prep = "(ROOT (S (NP (NNP Kestria)) (VP (VBD held) (NP (NNS troops)) (PP (IN on) (NP (DT the) (NN border))) (PP (IN with) (NP (NNP Ostmark)))) (. .)))";
        assert_eq!(
            code_algebra(&c, prep),
            vec![("KES".into(), "OST".into(), "0874".into())]
        );
    }

    #[test]
    fn an_actor_phrase_listed_again_later_takes_the_later_codes() {
        // The same two words name an earlier office-holder in one file and a later one in
        // the next: PETRARCH keys phrases by their words, so the later entry is used.
        let files = vec![
            (
                "v.verbs.txt".to_string(),
                PetrKind::Verbs,
                "--- GREET [040] ---\nGREET {GREETED}\n\n".to_string(),
            ),
            (
                "old.actors.txt".to_string(),
                PetrKind::Actors,
                "CHANCELLOR_VARN [KESELI]\nOSTMARK [OST]\n".to_string(),
            ),
            (
                "new.actors.txt".to_string(),
                PetrKind::Actors,
                "CHANCELLOR_VARN [KESGOV]\n".to_string(),
            ),
        ];
        let c = PetrCoder::new(&PetrarchSet::parse(&files));
        let ptb = "(ROOT (S (NP (NNP Chancellor) (NNP Varn)) (VP (VBD greeted) (NP (NNP Ostmark))) (. .)))";
        assert_eq!(
            code(&c, ptb),
            vec![("KESGOV".into(), "OST".into(), "040".into())]
        );
    }

    #[test]
    fn a_participle_keeping_its_hyphen_joins_the_word_before() {
        // "Kestria greeted Ostmark's guard -ruled port" with the tokeniser's hyphen left on
        // the participle: "guard-ruled" is one modifier and adds no agent.
        let files = vec![
            (
                "v.verbs.txt".to_string(),
                PetrKind::Verbs,
                "--- GREET [040] ---\nGREET {GREETED}\n\n".to_string(),
            ),
            (
                "a.actors.txt".to_string(),
                PetrKind::Actors,
                "KESTRIA [KES]\nOSTMARK [OST]\n".to_string(),
            ),
            (
                "g.agents.txt".to_string(),
                PetrKind::Agents,
                "GUARD [~MIL]\n".to_string(),
            ),
        ];
        let c = PetrCoder::new(&PetrarchSet::parse(&files));
        let ptb = |part: &str| {
            format!("(ROOT (S (NP (NNP Kestria)) (VP (VBD greeted) (NP (NNS exiles)) (PP (IN from) (NP (JJ guard) (JJ {part}) (NNP Ostmark)))) (. .)))")
        };
        assert_eq!(
            code(&c, &ptb("-ruled")),
            vec![("KES".into(), "OST".into(), "040".into())]
        );
        // A word of its own keeps its agent.
        assert_eq!(
            code(&c, &ptb("loyal")),
            vec![("KES".into(), "OSTMIL".into(), "040".into())]
        );
    }

    #[test]
    fn an_adjective_only_member_shares_the_head_noun() {
        let c = coder();
        // "Valdria guards and Oskara attacked Karsk" with "Oskara" an adjective: Oskara guards.
        let ptb = "(ROOT (S (NP (NP (NNP Valdria) (NNS guards)) (CC and) (NP (JJ Oskara))) (VP (VBD attacked) (NP (NNP Karsk))) (. .)))";
        let mut got = code(&c, ptb);
        got.sort();
        assert_eq!(
            got,
            vec![
                ("OSKMIL".into(), "KRS".into(), "190".into()),
                ("VLDMIL".into(), "KRS".into(), "190".into())
            ]
        );
    }

    #[test]
    fn a_transformation_without_an_actor_leaves_the_reporting_event() {
        let c = coder();
        // "Oskara claimed nothing about a raid attacking Karsk": the raid names no attacker, so
        // no accusation; Oskara's statement about Karsk stands.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD claimed) (NP (NN nothing)) (PP (IN about) (NP (NP (DT a) (NN raid)) (VP (VBG attacking) (NP (NNP Karsk)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "010".into())]
        );
        // "Oskara spoke of a raid planned against Karsk": nor is a past participle.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD claimed) (NP (NP (DT a) (NN raid)) (VP (VBN planned) (PP (IN against) (NP (NNP Karsk)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "010".into())]
        );
        // "Oskara claimed a raid attacking Karsk": a gerund after the noun modifies it, so
        // "a raid attacking …" is no clause with its own subject.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD claimed) (NP (NP (DT a) (NN raid)) (VP (VBG attacking) (NP (NNP Karsk))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "010".into())]
        );
    }

    #[test]
    fn passive_agent_preposition_within_the_verbs_first_words() {
        let c = coder();
        // "Oskara claimed a guard was attacked at the wall from Karsk": "from Karsk" is the
        // agent though a phrase comes between it and the verb.
        let ptb = "(ROOT (S (NP (NNP Oskara)) (VP (VBD claimed) (SBAR (S (NP (DT a) (NN guard)) (VP (VBD was) (VP (VBN attacked) (PP (IN at) (NP (DT the) (NN wall))) (PP (IN from) (NP (NNP Karsk)))))))) (. .)))";
        assert_eq!(
            code_algebra(&c, ptb),
            vec![("OSK".into(), "KRS".into(), "112".into())]
        );
    }

    #[test]
    fn a_compound_subject_with_an_uncoded_object_acts_on_itself() {
        let c = coder();
        // "Oskara and Valdria met the envoy": no actor after the verb, so each member met
        // the other.
        let ptb = "(ROOT (S (NP (NP (NNP Oskara)) (CC and) (NP (NNP Valdria))) (VP (VBD met) (NP (DT the) (NN envoy))) (. .)))";
        let mut got = code_algebra(&c, ptb);
        got.sort();
        assert_eq!(
            got,
            vec![
                ("OSK".into(), "VLD".into(), "040".into()),
                ("VLD".into(), "OSK".into(), "040".into())
            ]
        );
    }

    #[test]
    fn passive_with_an_agent_after_in_swaps_source_and_target() {
        let c = coder();
        let ev = code(
            &c,
            "(ROOT (S (NP (NP (NNP Oskara)) (CC and) (NP (NNP Valdria))) (VP (VBD were) (VP (VBN attacked) (PP (IN in) (NP (NNP Karsk) (NN shelling))))) (. .)))",
        );
        assert_eq!(
            ev,
            vec![
                ("KRS".into(), "OSK".into(), "190".into()),
                ("KRS".into(), "VLD".into(), "190".into())
            ]
        );
    }

    #[test]
    fn spaced_actor_names_allow_words_between_and_dates_choose_codes() {
        let c = coder();
        let words = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            c.np_code(&words("THE WHITE STONE TOWER"), None).as_deref(),
            Some("VLDMIL")
        );
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(
            c.np_code(&words("STEWARD DENETHOR"), d(1990, 5, 1))
                .as_deref(),
            Some("VLDGOV")
        );
        assert_eq!(
            c.np_code(&words("STEWARD DENETHOR"), d(2001, 5, 1))
                .as_deref(),
            Some("VLDELI")
        );
    }

    #[test]
    fn transformation_combines_speaker_and_reported_attack() {
        let c = coder();
        let ev = code(
            &c,
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD claimed) (SBAR (S (NP (NNP Karsk)) (VP (VBD attacked) (NP (NNP Valdria)))))) (. .)))",
        );
        assert_eq!(ev, vec![("OSK".into(), "KRS".into(), "112".into())]);
    }

    #[test]
    fn terminal_comma_clause_is_dropped_within_bounds() {
        let c = coder();
        let tree = "(ROOT (S (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria)))) (, ,) (NP (NNP Karsk)) (VP (VBD attacked) (NP (NNP Valdria))) (. .)))";
        let arena = TreeArena::new();
        let t = parse_ptb(tree, &arena).unwrap();
        let mut o = CodeOptions::default();
        let all = c.code_tree(&t, None, &o);
        assert_eq!(all, vec![("OSK".into(), "VLD".into(), "040".into())]);
        o.comma_emax = 0;
        let kept = c.code_tree(&t, None, &o);
        assert!(
            kept.contains(&("KRS".into(), "VLD".into(), "190".into())),
            "{kept:?}"
        );
    }

    #[test]
    fn a_phrase_knows_the_labels_inside_it_but_not_inside_its_relative_clauses() {
        let arena = TreeArena::new();
        let t = parse_ptb(
            "(ROOT (S (NP (NP (NNP Oskara) (POS 's)) (NNS guards) (SBAR (WHNP (WDT that)) \
             (S (VP (VBD fled) (PP (IN to) (NP (NNP Halvik))))))) (VP (VBD returned))))",
            &arena,
        )
        .unwrap();
        let s = t.kids()[0];
        let np = s.kids()[0];
        assert_eq!(np.label(), "NP");
        // The possessive NP and its POS are inside; the relative clause's VP, S, PP and NP
        // only count as a clause.
        assert!(np.has_label(Inside::NP) && np.has_label(Inside::POS));
        assert!(!np.has_label(Inside::VP | Inside::S | Inside::PP | Inside::CC));
        assert!(np.has_clause());
        assert!(s.has_label(Inside::VP) && s.has_label(Inside::POS));
        assert!(!s.kids()[1].has_label(Inside::NP) && !s.kids()[1].has_clause());
        // A leaf has nothing inside.
        assert!(!np.kids()[0].kids()[0].has_label(0xff));
    }

    #[test]
    fn discards_and_bad_trees() {
        assert!(parse_ptb("(ROOT (S (NP (NNP A))", &TreeArena::new()).is_err());
        assert!(parse_ptb("", &TreeArena::new()).is_err());
        assert!(parse_ptb("(ROOT (S (NP (NNP A))) extra)", &TreeArena::new()).is_err());
        let files = vec![
            (
                "t.verbs.txt".to_string(),
                PetrKind::Verbs,
                "--- MEET [040] ---\nMEET {MET}\n".to_string(),
            ),
            (
                "t.actors.txt".to_string(),
                PetrKind::Actors,
                "OSKARA [OSK]\nVALDRIA [VLD]\n".to_string(),
            ),
            (
                "t.discards.txt".to_string(),
                PetrKind::Discards,
                "CHESS TOURNAMENT\n".to_string(),
            ),
        ];
        let c = PetrCoder::new(&PetrarchSet::parse(&files));
        let met = "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria)) (PP (IN at) (NP (DT the) (NN chess) (NN tournament)))) (. .)))";
        assert!(
            code(&c, met).is_empty(),
            "a discard phrase drops the sentence"
        );
        let plain = "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Valdria))) (. .)))";
        assert_eq!(code(&c, plain).len(), 1);
    }

    /// Invented dictionaries for the PETRARCH2-mode rules below.
    fn moor_coder() -> PetrCoder {
        let files = vec![
            (
                "moor.verbs.txt".to_string(),
                PetrKind::Verbs,
                concat!(
                    "&TROOPS\n+TROOPS\n\n&SHELL\n+SHELL\n\n",
                    "--- MEET [040] ---\nMEET {MET}\n\n",
                    "--- ATTACK [190] ---\nATTACK {ATTACKED}\n\n",
                    "--- ALLEGE [110] ---\nALLEGE {ALLEGED}\n\n",
                    "--- DEPART [080] ---\nDEPART {DEPARTED}\n- * FROM + [0874]\n- &TROOPS * [0874]\n\n",
                    "--- FIRE [190] ---\nFIRE {FIRED}\n- &SHELL * [183]\n\n",
                )
                .to_string(),
            ),
            (
                "moor.actors.txt".to_string(),
                PetrKind::Actors,
                "CORVALIS [CRV]\nANDREVA [ADR]\nMIRETH [MRT]\n".to_string(),
            ),
            (
                "moor.agents.txt".to_string(),
                PetrKind::Agents,
                "TROOPS [~MIL]\n".to_string(),
            ),
            (
                "moor.discards.txt".to_string(),
                PetrKind::Discards,
                "GOLD CUP\n".to_string(),
            ),
        ];
        PetrCoder::new(&PetrarchSet::parse(&files))
    }

    #[test]
    fn petrarch2_discards_read_the_written_words_once() {
        let c = moor_coder();
        let p2 = CodeOptions {
            petrarch2_discards: true,
            ..CodeOptions::default()
        };
        let run = |ptb: &str| c.code_tree(&parse_ptb(ptb, &TreeArena::new()).unwrap(), None, &p2);
        let ended = "(ROOT (S (NP (NNP Corvalis)) (VP (VBD met) (NP (NNP Andreva)) (PP (IN at) (NP (DT the) (NN gold) (NN cup)))) (. .)))";
        // PETRARCH-1 finds the phrase anywhere.
        assert!(code(&c, ended).is_empty());
        // PETRARCH2 reads "cup." as written, and a phrase ending the sentence is not seen.
        assert_eq!(run(ended), vec![("CRV".into(), "ADR".into(), "040".into())]);
        let inside = "(ROOT (S (NP (NNP Corvalis)) (VP (VBD met) (NP (NNP Andreva)) (PP (IN at) (NP (DT the) (NN gold) (NN cup) (NN final)))) (. .)))";
        assert!(run(inside).is_empty());
        // Written words are uppercase, whatever the parse's case.
        let mut buf = String::new();
        let written = written_words(
            &[
                ("ago", "RB"),
                (",", ","),
                ("500", "CD"),
                ("-", "HYPH"),
                ("Page", "NN"),
                ("``", "``"),
                ("no", "DT"),
            ],
            &mut buf,
        );
        assert_eq!(
            written.iter().map(|&(a, b)| &buf[a..b]).collect::<Vec<_>>(),
            vec!["AGO,", "500-PAGE", "``NO"]
        );
    }

    #[test]
    fn a_disapproving_verb_over_an_uncoded_clause_aims_at_its_subject() {
        let c = moor_coder();
        let aware = "(ROOT (S (NP (NNP Corvalis)) (VP (VBD alleged) (SBAR (IN that) (S (NP (NNP Andreva)) (VP (VBD was) (ADJP (JJ aware)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, aware),
            vec![("CRV".into(), "ADR".into(), "110".into())]
        );
        // A clause that codes an event of its own is that event.
        let raid = "(ROOT (S (NP (NNP Corvalis)) (VP (VBD alleged) (SBAR (IN that) (S (NP (NNP Andreva)) (VP (VBD attacked) (NP (NNP Mireth)))))) (. .)))";
        let got = code_algebra(&c, raid);
        assert!(
            got.contains(&("ADR".into(), "MRT".into(), "190".into())),
            "{got:?}"
        );
        assert!(!got.iter().any(|e| e.2 == "110"), "{got:?}");
        // A subject naming no actor takes the actor of the participle phrase it holds.
        let report = "(ROOT (S (NP (NP (DT A) (NN report)) (VP (VBN released) (PP (IN in) (NP (NNP Corvalis))))) (VP (VBD alleged) (SBAR (IN that) (S (NP (NNP Andreva)) (VP (VBD was) (ADJP (JJ aware)))))) (. .)))";
        assert_eq!(
            code_algebra(&c, report),
            vec![("CRV".into(), "ADR".into(), "110".into())]
        );
    }

    #[test]
    fn petrarch2_pattern_words_head_their_phrases() {
        let c = moor_coder();
        // The pre-verb word must head the subject; a bare preposition in a pattern is read as
        // a noun and matches no prepositional phrase.
        let troops = "(ROOT (S (NP (NNP Corvalis) (NNS troops)) (VP (VBD departed) (PP (IN from) (NP (NNP Andreva)))) (. .)))";
        assert_eq!(
            code_algebra(&c, troops),
            vec![("CRVMIL".into(), "ADR".into(), "0874".into())]
        );
        let hundreds = "(ROOT (S (NP (NP (NNS Hundreds)) (PP (IN of) (NP (NNP Corvalis) (NNS troops)))) (VP (VBD departed) (PP (IN from) (NP (NNP Andreva)))) (. .)))";
        let got = code_algebra(&c, hundreds);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, "080");
        // PETRARCH-1 takes the bare preposition.
        assert_eq!(code_flat(&c, hundreds)[0].2, "0874");
        // A passive's subject is no pattern word: the verb's own code.
        let shell = "(ROOT (S (NP (DT A) (NNP Mireth) (NN shell)) (VP (VBD was) (VP (VBN fired) (PP (IN by) (NP (NNP Corvalis))))) (. .)))";
        assert_eq!(
            code_algebra(&c, shell),
            vec![("CRV".into(), "MRT".into(), "190".into())]
        );
        assert_eq!(code_flat(&c, shell)[0].2, "183");
    }
}
