//! UD dependencies → a Penn-Treebank-shaped phrase tree for [`crate::coder`].
//!
//! Each head and its dependents become one phrase: nominals an `NP` (a `case`-marked nominal a
//! `PP` of the preposition and the `NP`; co-ordinated nominals an `NP` of `NP CC NP`;
//! `nmod` a `NP PP` pair), verbs (and copular predicates) an `S` of the subject `NP` and a `VP`
//! whose first word is the verb; auxiliaries wrap the verb phrase (`VP(will VP(abandon …))`) as
//! treebank parses do, so passives and negations look as PETRARCH expects; `xcomp`, `ccomp` and
//! `advcl` become `S`/`SBAR` inside the verb phrase. Words keep their xpos tags.

use bumpalo::collections::Vec as BVec;
use bumpalo::vec as bvec;
use dyad_core::Token;

use crate::coder::{Tree, TreeArena};

/// Heads of bare time expressions ("met yesterday", "Friday evening"), whatever relation the
/// parser gave them (`obl:tmod`, `obl:unmarked`, `obl:npmod`): they are never actors.
const TIME_WORDS: &[&str] = &[
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "weekend",
    "month",
    "year",
];

fn leaf(t: &Token) -> Tree<'_> {
    let tag = if t.xpos.is_empty() || t.xpos == "_" {
        match t.upos.as_str() {
            "NOUN" => "NN",
            "PROPN" => "NNP",
            "VERB" | "AUX" => "VB",
            "ADJ" => "JJ",
            "ADP" => "IN",
            "DET" => "DT",
            "PRON" => "PRP",
            "NUM" => "CD",
            "PUNCT" => ".",
            "CCONJ" => "CC",
            "ADV" => "RB",
            "PART" => "RP",
            _ => "NN",
        }
    } else if t.form == "," {
        ","
    } else {
        &t.xpos
    };
    Tree::Leaf { tag, word: &t.form }
}

fn phrase<'a>(label: &'static str, kids: BVec<'a, Tree<'a>>) -> Tree<'a> {
    Tree::phrase(label, kids.into_bump_slice())
}

/// A phrase of `first` followed by `rest`, its list made at its final size (growing a list in
/// the arena copies it).
fn phrase_of<'a>(
    label: &'static str,
    first: Tree<'a>,
    rest: impl Iterator<Item = Tree<'a>>,
    arena: &'a TreeArena,
) -> Tree<'a> {
    let mut kids = BVec::with_capacity_in(rest.size_hint().0 + 1, arena);
    kids.push(first);
    kids.extend(rest);
    phrase(label, kids)
}

/// The items of `v` for which `pred` holds, and the rest, in order.
fn partition<'a, T>(
    v: BVec<'a, T>,
    arena: &'a TreeArena,
    pred: impl Fn(&T) -> bool,
) -> (BVec<'a, T>, BVec<'a, T>) {
    let (mut yes, mut no) = (
        BVec::with_capacity_in(v.len(), arena),
        BVec::with_capacity_in(v.len(), arena),
    );
    for x in v {
        if pred(&x) {
            yes.push(x);
        } else {
            no.push(x);
        }
    }
    (yes, no)
}

/// Builds the phrase tree of prepared tokens. The tree and every list made on the way live
/// in `arena`: a sentence's tree is dozens of small lists, and allocating and freeing each
/// cost more than building it.
struct B<'a> {
    arena: &'a TreeArena,
    toks: &'a [Token],
    /// Each token's relation without its subtype ([`base`]), cut once.
    base: &'a [&'a str],
    kids: &'a [Vec<usize>],
    /// First token of each token's subtree: phrases are ordered by where they begin.
    start: &'a [usize],
}

/// A relation without its subtype ("nmod:poss" → "nmod"). Called for every arc in every
/// rule, so a byte scan rather than a `str` pattern searcher.
pub(crate) fn base(rel: &str) -> &str {
    match rel.bytes().position(|b| b == b':') {
        Some(i) => &rel[..i],
        None => rel,
    }
}

impl<'a> B<'a> {
    /// Where a dependent's phrase begins (the head itself sits at its own position).
    fn key(&self, k: usize, head: usize) -> usize {
        if k == head {
            k
        } else {
            self.start[k]
        }
    }

    fn is_verbal(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if matches!(t.upos.as_str(), "VERB") {
            return true;
        }
        // A copular or subject-taking predicate.
        self.kids[i]
            .iter()
            .any(|&k| matches!(self.base[k], "cop" | "nsubj" | "csubj"))
            && !matches!(t.upos.as_str(), "NOUN" | "PROPN" | "PRON")
            || (t.upos == "AUX" && self.toks[i].deprel == "root")
    }

    /// The phrase of token `i` (its case marker, if any, left to the caller).
    fn build(&self, i: usize, depth: usize) -> Tree<'a> {
        if depth > 60 {
            return leaf(&self.toks[i]);
        }
        if self.is_verbal(i) {
            self.clause(i, depth)
        } else {
            self.nominal(i, depth)
        }
    }

    /// A dependent in its place: case-marked nominals become `PP`.
    fn dependent(&self, k: usize, depth: usize) -> Tree<'a> {
        let case = BVec::from_iter_in(
            self.kids[k]
                .iter()
                .copied()
                .filter(|&c| matches!(self.base[c], "case" | "mark") && c < k),
            self.arena,
        );
        let r = self.base[k];
        let time_word = matches!(r, "obl" | "nmod")
            && TIME_WORDS
                .iter()
                .any(|w| w.eq_ignore_ascii_case(&self.toks[k].form));
        if case.is_empty() && (self.toks[k].deprel.ends_with(":tmod") || time_word) {
            // A bare time expression ("met yesterday") is the treebank's NP-TMP: no actor.
            let mut words = BVec::new_in(self.arena);
            collect(&self.nominal(k, depth + 1), &mut words);
            return phrase("NP-TMP", words);
        }
        if !case.is_empty() && matches!(r, "obl" | "nmod" | "advcl" | "acl") && !self.is_verbal(k) {
            let mut kids =
                BVec::from_iter_in(case.iter().map(|&c| leaf(&self.toks[c])), self.arena);
            kids.push(self.nominal_without(k, &case, depth + 1));
            return phrase("PP", kids);
        }
        self.build(k, depth + 1)
    }

    fn nominal(&self, i: usize, depth: usize) -> Tree<'a> {
        self.nominal_without(i, &[], depth)
    }

    fn nominal_without(&self, i: usize, skip: &[usize], depth: usize) -> Tree<'a> {
        let a = self.arena;
        // Room for every dependent: growing a list in the arena copies it.
        let room = self.kids[i].len() + 1;
        let mut core = BVec::with_capacity_in(room, a);
        core.push((i, leaf(&self.toks[i])));
        let mut after = BVec::with_capacity_in(room, a);
        let mut conj = BVec::with_capacity_in(2 * room, a);
        let is_conjunct = self.base[i] == "conj";
        // Commas after the head: they set off an appositive ("X, a group that …, said").
        let mut commas = BVec::with_capacity_in(room, a);
        for &k in &self.kids[i] {
            if skip.contains(&k) {
                continue;
            }
            if k > i && self.base[k] == "punct" && self.toks[k].form == "," {
                commas.push(k);
            }
            let r = self.base[k];
            let rel = self.toks[k].deprel.as_str();
            match r {
                "conj" => {
                    // UD hangs the conjunction (and commas) on the conjunct that follows it.
                    for &c in &self.kids[k] {
                        let cr = self.base[c];
                        if c < k && (cr == "cc" || (cr == "punct" && self.toks[c].form == ",")) {
                            conj.push((c, leaf(&self.toks[c])));
                        }
                    }
                    conj.push((k, self.build(k, depth + 1)));
                }
                "cc" if is_conjunct && k < i => {}
                "punct" if is_conjunct && k < i => {}
                "cc" => conj.push((k, leaf(&self.toks[k]))),
                "nmod" if rel == "nmod:poss" => core.push((k, self.poss(k, depth))),
                "nmod" | "acl" | "appos" | "advcl" | "parataxis" | "ccomp" | "xcomp" => {
                    after.push((k, self.dependent(k, depth)))
                }
                "punct" => {}
                "case" if k > i => core.push((k, leaf(&self.toks[k]))),
                "case" | "mark" => {}
                _ => core.push((k, self.flat(k))),
            }
        }
        core.sort_by_key(|x| self.key(x.0, i));
        let mut np = phrase("NP", flatten_np(core.into_iter().map(|x| x.1), room, a));
        let appos_at = after
            .iter()
            .filter(|x| self.base[x.0] == "appos")
            .map(|x| self.key(x.0, i))
            .min();
        let set_off = appos_at.and_then(|a| commas.iter().copied().filter(|&c| c < a).max());
        if let Some(c) = set_off {
            // "X for Y, a group that …," : the phrase before the comma is the name, the
            // appositive and its commas follow it (PETRARCH's comma rules may drop them).
            after.sort_by_key(|x| self.key(x.0, i));
            let (before, rest) = partition(after, a, |x| self.key(x.0, i) < c);
            if !before.is_empty() {
                np = phrase_of("NP", np, before.into_iter().map(|x| x.1), a);
            }
            let mut items = BVec::with_capacity_in(rest.len() + commas.len(), a);
            items.extend(rest.into_iter().map(|x| {
                let at = self.key(x.0, i);
                let t = match x.1 {
                    Tree::Phrase { label: "S", .. } => phrase("SBAR", bvec![in a; x.1]),
                    t => t,
                };
                (at, t)
            }));
            items.extend(
                commas
                    .iter()
                    .filter(|&&k| k >= c)
                    .map(|&k| (k, leaf(&self.toks[k]))),
            );
            items.sort_by_key(|x| x.0);
            np = phrase_of("NP", np, items.into_iter().map(|x| x.1), a);
            after = BVec::new_in(a);
        }
        if !after.is_empty() {
            after.sort_by_key(|x| self.key(x.0, i));
            let kids = after.into_iter().map(|x| match x.1 {
                Tree::Phrase { label: "S", .. } => phrase("SBAR", bvec![in a; x.1]),
                t => t,
            });
            np = phrase_of("NP", np, kids, a);
        }
        if !conj.is_empty() {
            conj.sort_by_key(|x| self.key(x.0, i));
            let kids = conj.into_iter().map(|(_, t)| match t {
                Tree::Leaf {
                    tag: "CC" | ",", ..
                } => t,
                Tree::Phrase { label: "NP", .. } => t,
                other => phrase("NP", bvec![in a; other]),
            });
            np = phrase_of("NP", np, kids, a);
        }
        np
    }

    /// A possessor with its `'s`: `(NP (NNP X) (POS 's))`.
    fn poss(&self, k: usize, depth: usize) -> Tree<'a> {
        // A possessive pronoun is a plain word of the phrase ("its embassy").
        if self.toks[k].upos == "PRON" && self.kids[k].is_empty() {
            return leaf(&self.toks[k]);
        }
        let mut words = BVec::new_in(self.arena);
        let t = self.nominal(k, depth + 1);
        collect(&t, &mut words);
        phrase("NP", words)
    }

    /// A pre-modifier subtree as plain words.
    fn flat(&self, k: usize) -> Tree<'a> {
        let mut idx = bvec![in self.arena; k];
        let mut stack = bvec![in self.arena; k];
        while let Some(x) = stack.pop() {
            for &c in &self.kids[x] {
                idx.push(c);
                stack.push(c);
            }
        }
        idx.sort();
        if idx.len() == 1 {
            return leaf(&self.toks[k]);
        }
        phrase(
            "ADJP",
            BVec::from_iter_in(idx.iter().map(|&j| leaf(&self.toks[j])), self.arena),
        )
    }

    fn clause(&self, i: usize, depth: usize) -> Tree<'a> {
        let a = self.arena;
        // Room for every dependent: growing a list in the arena copies it.
        let room = self.kids[i].len() + 1;
        let mut pre = BVec::with_capacity_in(room, a); // subject and what precedes it
        let mut auxes = BVec::with_capacity_in(room, a);
        let mut vp = BVec::with_capacity_in(room, a);
        let mut marks = BVec::new_in(a);
        let mut conj_vps = BVec::with_capacity_in(room, a);
        let mut side = BVec::with_capacity_in(room, a);
        let subj = self.kids[i]
            .iter()
            .copied()
            .find(|&k| matches!(self.base[k], "nsubj" | "csubj" | "expl"));
        let verb_is_cop = !matches!(self.toks[i].upos.as_str(), "VERB" | "AUX");
        for &k in &self.kids[i] {
            let r = self.base[k];
            let rel = self.toks[k].deprel.as_str();
            match r {
                "nsubj" | "csubj" | "expl" => pre.push((k, self.build(k, depth + 1))),
                "aux" | "cop" => auxes.push(k),
                "advmod"
                    if k < i
                        && self.kids[i]
                            .iter()
                            .any(|&a| a < k && matches!(self.base[a], "aux" | "cop")) =>
                {
                    auxes.push(k)
                }
                "mark" if k < i => marks.push(k),
                "advmod"
                    if rel == "advmod" && self.toks[k].lemma.eq_ignore_ascii_case("not")
                        || self.toks[k].form.eq_ignore_ascii_case("n't") =>
                {
                    auxes.push(k)
                }
                "punct" if self.toks[k].form == "," => vp.push((k, leaf(&self.toks[k]))),
                "punct" => {}
                "conj" if k > i => {
                    // A co-ordinated verb without its own subject shares this one's: the
                    // treebank shape is VP(VP(verb …) CC VP(verb …)).
                    let t = self.dependent(k, depth);
                    let shared = match &t {
                        Tree::Phrase { label, kids, .. } if *label == "S" && kids.len() == 1 => {
                            kids[0].label() == "VP"
                        }
                        _ => false,
                    };
                    if shared {
                        if let Tree::Phrase { kids, .. } = t {
                            conj_vps.push((k, kids[0]));
                        }
                    } else {
                        conj_vps.push((k, t));
                    }
                }
                "cc" if k > i => conj_vps.push((k, leaf(&self.toks[k]))),
                // A loosely attached clause ("…, the agency said") stands beside this one.
                "parataxis" if k > i => side.push((k, self.dependent(k, depth))),
                "conj" | "cc" => pre.push((k, self.dependent(k, depth))),
                _ => {
                    if subj.is_some_and(|s| k < s) {
                        pre.push((k, self.dependent(k, depth)));
                    } else {
                        let t = self.dependent(k, depth);
                        let t = match (r, &t) {
                            ("ccomp" | "advcl", Tree::Phrase { label, .. }) if *label == "S" => {
                                phrase("SBAR", bvec![in a; t])
                            }
                            _ => t,
                        };
                        vp.push((k, t));
                    }
                }
            }
        }
        // The verb phrase: the verb first (a copular predicate after its copula).
        vp.push((
            i,
            if verb_is_cop {
                self.flat_pred(i)
            } else {
                leaf(&self.toks[i])
            },
        ));
        vp.sort_by_key(|x| self.key(x.0, i));
        if !side.is_empty() {
            // Trailing commas of the verb phrase separate it from the clause beside it.
            let last_word = vp
                .iter()
                .filter(|x| !matches!(&x.1, Tree::Leaf { tag, .. } if *tag == ","))
                .map(|x| x.0)
                .max()
                .unwrap_or(i);
            let (commas, keep) = partition(vp, a, |x| {
                x.0 > last_word && matches!(&x.1, Tree::Leaf { tag, .. } if *tag == ",")
            });
            vp = keep;
            side.extend(commas);
            side.sort_by_key(|x| self.key(x.0, i));
        }
        // Dependents before the verb (adverbs) stay before it but outside the VP's head slot.
        let (before, rest) = partition(vp, a, |x| x.0 < i);
        let mut inner = phrase("VP", BVec::from_iter_in(rest.into_iter().map(|x| x.1), a));
        // Auxiliaries (and "not") wrap from the innermost outwards.
        auxes.sort();
        let mut pending = BVec::with_capacity_in(auxes.len(), a);
        for &x in auxes.iter().rev() {
            let t = leaf(&self.toks[x]);
            let is_adverb = !matches!(self.base[x], "aux" | "cop");
            if is_adverb {
                pending.insert(0, t);
                continue;
            }
            let mut kids = BVec::with_capacity_in(pending.len() + 2, a);
            kids.push(t);
            kids.extend(pending.drain(..));
            kids.push(inner);
            inner = phrase("VP", kids);
        }
        if !pending.is_empty() {
            let mut kids = pending;
            if let Tree::Phrase { kids: k, .. } = inner {
                kids.extend_from_slice(k);
            }
            inner = phrase("VP", kids);
        }
        if !conj_vps.is_empty() {
            // The cc of a conjunct verb hangs on that verb: bring it out in front of it.
            conj_vps.sort_by_key(|x| self.key(x.0, i));
            inner = phrase_of("VP", inner, conj_vps.into_iter().map(|x| x.1), a);
        }
        let subjects = BVec::from_iter_in(
            pre.iter()
                .filter(|x| matches!(self.base[x.0], "nsubj"))
                .map(|x| x.0),
            a,
        );
        if subjects.len() > 1 {
            let (first, last) = (subjects[0], subjects[subjects.len() - 1]);
            let (inside, outside) = partition(pre, a, |x| x.0 >= first && x.0 <= last);
            let mut kids = BVec::from_iter_in(
                inside.into_iter().map(|(k, t)| match t {
                    Tree::Phrase { label: "NP", .. } => (k, t),
                    Tree::Leaf { .. } => (k, t),
                    other => (k, phrase("NP", bvec![in a; other])),
                }),
                a,
            );
            kids.sort_by_key(|x| self.key(x.0, i));
            pre = outside;
            pre.push((
                first,
                phrase("NP", BVec::from_iter_in(kids.into_iter().map(|x| x.1), a)),
            ));
        }
        let mut s = pre;
        s.extend(before);
        s.sort_by_key(|x| self.key(x.0, i));
        let mut kids = BVec::with_capacity_in(s.len() + 1 + side.len(), a);
        kids.extend(s.into_iter().map(|x| x.1));
        kids.push(inner);
        kids.extend(side.into_iter().map(|x| x.1));
        let mut clause = phrase("S", kids);
        if !marks.is_empty() {
            let mut k = BVec::from_iter_in(marks.iter().map(|&m| leaf(&self.toks[m])), a);
            let to = marks
                .iter()
                .any(|&m| self.toks[m].form.eq_ignore_ascii_case("to"));
            if to && subj.is_none() {
                // "to VERB": (S (VP (TO to) (VP …)))
                if let Tree::Phrase { kids: ck, .. } = clause {
                    let mut v = bvec![in a; Tree::Leaf {
                        tag: "TO",
                        word: "to",
                    }];
                    v.extend_from_slice(ck);
                    return phrase("S", bvec![in a; phrase("VP", v)]);
                }
            }
            k.push(clause);
            clause = phrase("SBAR", k);
        }
        clause
    }

    /// A copular predicate (noun or adjective) as its own phrase.
    fn flat_pred(&self, i: usize) -> Tree<'a> {
        leaf(&self.toks[i])
    }
}

fn collect<'a>(t: &Tree<'a>, out: &mut BVec<'a, Tree<'a>>) {
    match t {
        Tree::Leaf { .. } => out.push(*t),
        Tree::Phrase { kids, .. } => kids.iter().for_each(|k| collect(k, out)),
    }
}

/// Pre-modifier phrases inside a base noun phrase become plain words.
fn flatten_np<'a>(
    kids: impl Iterator<Item = Tree<'a>>,
    room: usize,
    arena: &'a TreeArena,
) -> BVec<'a, Tree<'a>> {
    let mut out = BVec::with_capacity_in(room, arena);
    for k in kids {
        match &k {
            Tree::Phrase { label, .. } if *label == "ADJP" => collect(&k, &mut out),
            _ => out.push(k),
        }
    }
    out
}

/// Relabel what a statistical parse gets wrong in ways that split names: a "conjunct" with no
/// conjunction or comma between it and its head is part of the same name (`flat`); a nominal
/// modifier without a preposition directly next to its head is a compound.
fn normalise(tokens: &mut [Token], kids: &[Vec<usize>]) {
    // Every rule reads the tokens as they came in: edits are collected, then applied.
    let mut new_heads: Vec<(usize, u32)> = Vec::new();
    let mut new_rels: Vec<(usize, &'static str)> = Vec::new();
    // A comma closing a noun phrase ends the clause part, not the noun phrase: hang it on the
    // nearest verb above so clause-level comma rules see it.
    let n = tokens.len();
    let mut span_end: Vec<usize> = (0..n).collect();
    for _ in 0..n.min(64) {
        let mut changed = false;
        for (i, ks) in kids.iter().enumerate() {
            for &k in ks {
                if span_end[k] > span_end[i] && tokens[k].form != "," {
                    span_end[i] = span_end[k];
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (k, t) in tokens.iter().enumerate() {
        if t.form != "," {
            continue;
        }
        let mut h = match t.head {
            Some(h) if h >= 1 && h as usize <= n => h as usize - 1,
            _ => continue,
        };
        if k <= h || span_end[h] > k {
            continue;
        }
        let mut steps = 0;
        while !matches!(tokens[h].upos.as_str(), "VERB" | "AUX") && steps < 8 {
            match tokens[h].head {
                Some(x) if x >= 1 && x as usize <= n => h = x as usize - 1,
                _ => break,
            }
            steps += 1;
        }
        if matches!(tokens[h].upos.as_str(), "VERB" | "AUX") && h != k {
            new_heads.push((k, h as u32 + 1));
        }
    }
    let nominal = |t: &Token| matches!(t.upos.as_str(), "PROPN" | "NOUN" | "ADJ");
    for (k, t) in tokens.iter().enumerate() {
        let Some(h) = t.head.filter(|&h| h >= 1 && h as usize <= tokens.len()) else {
            continue;
        };
        let h = h as usize - 1;
        let (lo, hi) = if h < k { (h, k) } else { (k, h) };
        // Looked at only for the relations below: most arcs need neither scan.
        let between_sep = || {
            tokens[lo + 1..hi]
                .iter()
                .any(|x| x.upos == "CCONJ" || x.form == "," || x.upos == "ADP" || x.upos == "VERB")
        };
        let has_case = || {
            kids[k]
                .iter()
                .any(|&c| matches!(base(&tokens[c].deprel), "case" | "mark"))
        };
        let r = base(&t.deprel);
        if (r == "conj" || r == "appos")
            && nominal(t)
            && nominal(&tokens[h])
            && t.upos == "PROPN"
            && !between_sep()
        {
            new_rels.push((k, "flat"));
        } else if (t.deprel == "nmod:desc" || (r == "nmod" && t.deprel != "nmod:poss"))
            && nominal(t)
            && !has_case()
            && !between_sep()
        {
            new_rels.push((k, "compound"));
        }
    }
    for (k, h) in new_heads {
        tokens[k].head = Some(h);
    }
    for (k, rel) in new_rels {
        tokens[k].deprel.clear();
        tokens[k].deprel.push_str(rel);
    }
}

/// One sentence's tokens (1-based heads, 0 the root) made ready for its phrase tree:
/// repaired ([`crate::udfix`]) and relabelled, with the arcs the tree follows. The tree of
/// [`Prepared::tree`] borrows its words and tags from here.
#[derive(Debug, Clone)]
pub struct Prepared {
    toks: Vec<Token>,
    roots: Vec<usize>,
    /// Each token's dependents, those of an auxiliary or copula moved to its verb.
    kids: Vec<Vec<usize>>,
    /// First token of each token's subtree.
    start: Vec<usize>,
}

impl Prepared {
    /// A copy of `tokens`, prepared; `None` when they have no root.
    pub fn of(tokens: &[Token]) -> Option<Prepared> {
        Prepared::new(tokens.to_vec())
    }

    /// Tokens the caller gives up, repaired and relabelled in place; `None` when they have
    /// no root.
    pub fn new(tokens: Vec<Token>) -> Option<Prepared> {
        let mut repaired = crate::udfix::repair_owned(tokens);
        let n = repaired.len();
        let mut kids = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, t) in repaired.iter().enumerate() {
            match t.head {
                Some(h) if h as usize >= 1 && (h as usize) <= n && h as usize - 1 != i => {
                    kids[h as usize - 1].push(i)
                }
                _ => roots.push(i),
            }
        }
        if roots.is_empty() {
            return None;
        }
        normalise(&mut repaired, &kids);
        let toks = repaired;
        // Dependents of auxiliaries ("most certainly did not") belong to the verb phrase.
        for k in &mut kids {
            k.clear();
        }
        for (i, t) in toks.iter().enumerate() {
            let Some(mut h) = t
                .head
                .map(|h| h as usize)
                .filter(|&h| h >= 1 && h <= n && h - 1 != i)
            else {
                continue;
            };
            let hd = &toks[h - 1];
            if matches!(base(&hd.deprel), "aux" | "cop") {
                if let Some(hh) = hd
                    .head
                    .map(|x| x as usize)
                    .filter(|&x| x >= 1 && x <= n && x - 1 != i)
                {
                    h = hh;
                }
            }
            kids[h - 1].push(i);
        }
        let mut start: Vec<usize> = (0..n).collect();
        for _ in 0..n.min(64) {
            let mut changed = false;
            for (i, ks) in kids.iter().enumerate() {
                for &k in ks {
                    if start[k] < start[i] {
                        start[i] = start[k];
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        Some(Prepared {
            toks,
            roots,
            kids,
            start,
        })
    }

    /// The repaired tokens, given back (their strings can be reused).
    pub fn into_tokens(self) -> Vec<Token> {
        self.toks
    }

    /// The phrase tree (`ROOT` over one phrase per root, then closing punctuation), made in
    /// `arena`.
    pub fn tree<'a>(&'a self, arena: &'a TreeArena) -> Tree<'a> {
        let b = B {
            arena,
            base: BVec::from_iter_in(self.toks.iter().map(|t| base(&t.deprel)), arena)
                .into_bump_slice(),
            toks: &self.toks,
            kids: &self.kids,
            start: &self.start,
        };
        let mut top = BVec::from_iter_in(self.roots.iter().map(|&r| b.build(r, 0)), arena);
        if let Some(last) = self.toks.last() {
            if last.upos == "PUNCT" && last.form != "," {
                top.push(leaf(last));
            }
        }
        phrase("ROOT", top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(form: &str, upos: &str, xpos: &str, head: u32, rel: &str) -> Token {
        Token {
            form: form.into(),
            lemma: form.to_lowercase(),
            upos: upos.into(),
            xpos: xpos.into(),
            head: Some(head),
            deprel: rel.into(),
            ..Default::default()
        }
    }

    fn show(t: &Tree) -> String {
        match t {
            Tree::Leaf { word, .. } => word.to_string(),
            Tree::Phrase { label, kids, .. } => format!(
                "({label} {})",
                kids.iter().map(show).collect::<Vec<_>>().join(" ")
            ),
        }
    }

    #[test]
    fn clause_with_auxiliary_and_prepositional_object() {
        let toks = vec![
            tok("Oskara", "PROPN", "NNP", 3, "nsubj"),
            tok("will", "AUX", "MD", 3, "aux"),
            tok("meet", "VERB", "VB", 0, "root"),
            tok("with", "ADP", "IN", 5, "case"),
            tok("Valdria", "PROPN", "NNP", 3, "obl"),
            tok(".", "PUNCT", ".", 3, "punct"),
        ];
        let prepared = Prepared::of(&toks).unwrap();
        assert_eq!(
            show(&prepared.tree(&TreeArena::new())),
            "(ROOT (S (NP Oskara) (VP will (VP meet (PP with (NP Valdria))))) .)"
        );
    }
    #[test]
    fn appositive_is_set_off_by_its_commas() {
        // "The Council of Corvane, a group that meets, met Valdria."
        let toks = vec![
            tok("The", "DET", "DT", 2, "det"),
            tok("Council", "PROPN", "NNP", 11, "nsubj"),
            tok("of", "ADP", "IN", 4, "case"),
            tok("Corvane", "PROPN", "NNP", 2, "nmod"),
            tok(",", "PUNCT", ",", 2, "punct"),
            tok("a", "DET", "DT", 7, "det"),
            tok("group", "NOUN", "NN", 2, "appos"),
            tok("that", "PRON", "WDT", 9, "nsubj"),
            tok("meets", "VERB", "VBZ", 7, "acl:relcl"),
            tok(",", "PUNCT", ",", 2, "punct"),
            tok("met", "VERB", "VBD", 0, "root"),
            tok("Valdria", "PROPN", "NNP", 11, "obj"),
            tok(".", "PUNCT", ".", 11, "punct"),
        ];
        // The name keeps its "of" phrase whole; the appositive follows its comma.
        assert_eq!(
            show(&Prepared::of(&toks).unwrap().tree(&TreeArena::new())),
            "(ROOT (S (NP (NP (NP The Council) (PP of (NP Corvane))) , (NP (NP a group) (SBAR (S (NP that) (VP meets))))) , (VP met (NP Valdria))) .)"
        );
    }
}
