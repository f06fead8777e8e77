//! Repairs of a statistical UD parse before it becomes a phrase tree ([`crate::deptree`]).
//!
//! dyad's own parser, like most, goes wrong on a few constructions that decide who did what
//! to whom, and the repairs are general rules about those constructions, not about sentences:
//! - a sentence-final reporting clause ("…, the state radio reported on Sunday") parsed
//!   as a relative clause of the last noun, or as the root with the real main clause below it,
//!   is made a clause beside the main one (`parataxis`) with its own subject;
//! - "left as the king began to …" parsed with "as the king" a prepositional phrase
//!   and "began" a subjectless clause beside it: the noun is the clause's subject and
//!   the subordinating word its marker;
//! - a noun with its own preposition hung on a verb as a `compound` ("the Steward of
//!   Valdria rides …", a relation only nouns take) modifies the noun before the preposition;
//! - "a memo released in Tolsk alleged …" parsed with the participle (tagged a past tense,
//!   which for regular verbs looks the same) as the root and the real main verb a
//!   subjectless adverbial clause of it: the participle modifies the noun, which is the main
//!   verb's subject;
//! - "wolves held in … were freed" parsed with "wolves" the subject of
//!   "held" and that a clause of the subjectless "freed": the participle modifies
//!   the noun, which is the main verb's subject;
//! - a sentence whose only verb, a past form right after the subject, was read as a
//!   modifier of the next noun ("the king voiced regret …" as one noun phrase): that
//!   verb is the predicate;
//! - a determiner hung on a `compound` modifier ("the [Kestria Air] jet": "the" on
//!   "Air") belongs to the whole noun the compounds modify, since a modifier inside a
//!   compound takes no article of its own;
//! - two subjects of one verb right next to each other, with nothing between them ("the
//!   Varn Air jet KA7 was hit" read as subjects "the Varn Air" and "jet KA7"), are one noun
//!   phrase: the first is a compound modifier of the second, and an article before it
//!   belongs to the whole;
//! - a participle joined by a hyphen to the word before it ("army-held Tolsk") parsed as a
//!   verb with the noun after it as its object: the participle modifies that noun, which
//!   takes the participle's place (and preposition) in the sentence;
//! - "Before leaving for Tolsk, the envoy travelled …" parsed with "the envoy" a conjunct
//!   of the fronted clause's last noun (after its comma, with no "and") and the finite verb
//!   after it subjectless: the noun is that verb's subject, and the verb, not the fronted
//!   clause, heads the sentence;
//! - a clausal modifier (`acl`) hung on a verb right after that verb's subject modifies the
//!   subject (a relation only nouns take);
//! - a word right after a modal with no copula ("would free the sailors", "free" tagged an
//!   adjective) is a bare verb and is retagged so; a noun it reached through an adverb
//!   read as a preposition ("free over 20 sailors") is its object;
//! - a pronoun object right before the modal of a subjectless complement clause ("announced
//!   it would …") is that clause's subject;
//! - a co-ordinated subject split into several `nsubj` of one verb, or one whose first member
//!   became the sentence root with the verb a `conj` of it, is rebuilt as one co-ordination.
//!
//! Every repair keeps the tokens a tree: if a change would make a cycle, the parse is left
//! as it was.

use dyad_core::Token;

use crate::deptree::base;

/// Verbs that report speech: their clause at the end of a sentence is attribution.
const REPORTING: &[&str] = &[
    "say", "tell", "report", "add", "state", "announce", "claim", "confirm", "note", "write",
    "explain", "insist", "declare", "comment", "quote", "told", "said",
];

struct Heads<'a> {
    /// 0-based head, `None` for a root.
    head: Vec<Option<usize>>,
    /// Relations, borrowed from the tokens or the rules' literals (nothing copied).
    rel: Vec<&'a str>,
    /// The relations without subtypes ([`base`]), kept in step with `rel`: every rule asks
    /// for them of every token, and cutting the subtype off each time was most of the work.
    base: Vec<&'a str>,
    /// Dependents of each token in sentence order, kept in step with `head` by [`Heads::set`]
    /// (the rules ask for children often; scanning every token each time was quadratic).
    kids: Vec<Vec<usize>>,
}

impl<'a> Heads<'a> {
    fn of(tokens: &'a [Token]) -> Heads<'a> {
        let n = tokens.len();
        let head: Vec<Option<usize>> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.head
                    .map(|h| h as usize)
                    .filter(|&h| h >= 1 && h <= n && h - 1 != i)
                    .map(|h| h - 1)
            })
            .collect();
        let mut kids = vec![Vec::new(); n];
        for (k, h) in head.iter().enumerate() {
            if let Some(h) = *h {
                kids[h].push(k);
            }
        }
        Heads {
            head,
            rel: tokens.iter().map(|t| t.deprel.as_str()).collect(),
            base: tokens.iter().map(|t| base(&t.deprel)).collect(),
            kids,
        }
    }

    fn set(&mut self, i: usize, head: Option<usize>, rel: &'a str) {
        if self.head[i] != head {
            if let Some(old) = self.head[i] {
                self.kids[old].retain(|&k| k != i);
            }
            if let Some(h) = head {
                let at = self.kids[h].partition_point(|&k| k < i);
                self.kids[h].insert(at, i);
            }
            self.head[i] = head;
        }
        self.rel[i] = rel;
        self.base[i] = base(rel);
    }

    /// The dependents of `i`, borrowed: for rules that only look.
    fn kids_of(&self, i: usize) -> &[usize] {
        &self.kids[i]
    }

    fn children(&self, i: usize) -> Vec<usize> {
        self.kids[i].clone()
    }

    /// Is `a` an ancestor of (or equal to) `k`?
    fn dominates(&self, a: usize, mut k: usize) -> bool {
        for _ in 0..=self.head.len() {
            if k == a {
                return true;
            }
            match self.head[k] {
                Some(h) => k = h,
                None => return false,
            }
        }
        false
    }

    /// The leftmost token of `i`'s subtree.
    fn subtree_start(&self, i: usize) -> usize {
        (0..self.head.len())
            .filter(|&k| self.dominates(i, k))
            .min()
            .unwrap_or(i)
    }

    fn acyclic(&self) -> bool {
        let n = self.head.len();
        (0..n).all(|mut k| {
            for _ in 0..=n {
                match self.head[k] {
                    Some(h) => k = h,
                    None => return true,
                }
            }
            false
        })
    }
}

fn is_comma(t: &Token) -> bool {
    t.form == ","
}

fn nominal(t: &Token) -> bool {
    matches!(t.upos.as_str(), "NOUN" | "PROPN" | "PRON")
}

/// The relation a word of a rebuilt noun phrase takes to the phrase's head.
fn np_rel(t: &Token) -> &'static str {
    match t.upos.as_str() {
        "DET" => "det",
        "ADJ" => "amod",
        "NUM" => "nummod",
        "PART" => "case",
        _ => "compound",
    }
}

/// [`repair_owned`] on borrowed tokens.
#[cfg(test)]
fn repair(tokens: &[Token]) -> Vec<Token> {
    repair_owned(tokens.to_vec())
}

/// Apply the repairs to tokens the caller gives up (in place, no copy); they come back
/// unchanged when none applies or a repair would break the tree.
pub fn repair_owned(mut out: Vec<Token>) -> Vec<Token> {
    let tokens = &out[..];
    let mut h = Heads::of(tokens);
    let mut changed = name_part_conjuncts(tokens, &mut h);
    changed |= nominal_root(tokens, &mut h);
    changed |= reporting_clause(tokens, &mut h);
    changed |= split_subjects(tokens, &mut h);
    changed |= subordinate_subject(tokens, &mut h);
    changed |= compound_on_a_verb(tokens, &mut h);
    changed |= reduced_relative_subject(tokens, &mut h);
    changed |= verbless_sentence_predicate(tokens, &mut h);
    changed |= determiner_of_a_compound(tokens, &mut h);
    changed |= adjacent_subjects(tokens, &mut h);
    changed |= hyphenated_participle(tokens, &mut h);
    changed |= subject_after_fronted_clause(tokens, &mut h);
    changed |= clausal_modifier_on_a_verb(tokens, &mut h);
    let verbs = verb_after_modal(tokens, &mut h);
    changed |= !verbs.is_empty();
    changed |= pronoun_object_before_modal(tokens, &mut h);
    if !changed || !h.acyclic() {
        return out;
    }
    // The relations that changed, owned, so that the tokens they borrow from can be written.
    let Heads { head, rel, .. } = h;
    let new_rels: Vec<Option<String>> = (0..tokens.len())
        .map(|i| {
            let r = if head[i].is_none() { "root" } else { rel[i] };
            (r != tokens[i].deprel).then(|| r.to_string())
        })
        .collect();
    for v in verbs {
        out[v].upos = "VERB".to_string();
        out[v].xpos = "VB".to_string();
    }
    for ((t, h), r) in out.iter_mut().zip(head).zip(new_rels) {
        t.head = Some(h.map_or(0, |x| x as u32 + 1));
        if let Some(r) = r {
            t.deprel = r;
        }
    }
    out
}

/// "Anna Berg and Olaf Lund" parsed with "Olaf" a conjunct of "Berg", itself a
/// `flat` part of "Anna": a name part is not co-ordinated, the whole name is, so the
/// conjunct moves up to the name's head.
fn name_part_conjuncts<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for k in 0..t.len() {
        if h.base[k] != "conj" {
            continue;
        }
        let Some(p) = h.head[k] else { continue };
        if !matches!(h.base[p], "flat" | "compound" | "fixed") {
            continue;
        }
        let Some(top) = h.head[p] else { continue };
        if top != k && !h.dominates(k, top) {
            let rel = h.rel[k];
            h.set(k, Some(top), rel);
            changed = true;
        }
    }
    changed
}

/// "Wolves, bears and Kestria met …" parsed with "Wolves" as the root and "met" a
/// `conj` of it whose subject is the last member: the verb is the root and the nouns its
/// co-ordinated subject.
fn nominal_root<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let Some(r) = (0..t.len()).find(|&i| h.head[i].is_none()) else {
        return false;
    };
    if !matches!(t[r].upos.as_str(), "NOUN" | "PROPN") {
        return false;
    }
    let kids = h.children(r);
    if kids
        .iter()
        .any(|&k| matches!(h.base[k], "cop" | "nsubj" | "csubj"))
    {
        return false;
    }
    let Some(v) = kids
        .iter()
        .copied()
        .find(|&k| k > r && h.base[k] == "conj" && t[k].upos == "VERB")
    else {
        return false;
    };
    let vk = h.children(v);
    let Some(s) = vk
        .iter()
        .copied()
        .find(|&k| h.base[k] == "nsubj" && k > r && k < v)
    else {
        return false;
    };
    let subj_rel = h.rel[s];
    h.set(v, None, "root");
    h.set(r, Some(v), subj_rel);
    h.set(s, Some(r), "conj");
    for k in vk {
        if k > r && k < s && (t[k].upos == "CCONJ" || is_comma(&t[k])) {
            let rel = if t[k].upos == "CCONJ" { "cc" } else { "punct" };
            h.set(k, Some(s), rel);
        }
    }
    for k in kids {
        if k > v {
            let rel = h.rel[k];
            h.set(k, Some(v), rel);
        }
    }
    true
}

/// "X did Y, the agency said on Monday." with "said" a relative clause of the last noun
/// before it (or the root, X's clause its complement): make the reporting clause stand
/// beside the main clause, its subject the words between the comma and the verb.
fn reporting_clause<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let n = t.len();
    let Some(end) = (0..n).rev().find(|&i| t[i].upos != "PUNCT") else {
        return false;
    };
    for v in (1..=end).rev() {
        if t[v].upos != "VERB" {
            continue;
        }
        // The list is ASCII lowercase: an ASCII-caseless comparison is a lowercased lookup.
        let listed = |w: &str| REPORTING.iter().any(|r| r.eq_ignore_ascii_case(w));
        if !listed(&t[v].lemma) && !listed(&t[v].form) {
            continue;
        }
        // Everything after the verb is its own (time, place, manner), with no complement.
        if !(v + 1..=end).all(|k| h.dominates(v, k)) {
            return false;
        }
        if h.kids_of(v)
            .iter()
            .any(|&k| k > v && matches!(h.base[k], "obj" | "ccomp" | "xcomp" | "iobj" | "csubj"))
        {
            return false;
        }
        // The subject: words back to a comma, none of them a verb.
        let mut c = v;
        while c > 0 {
            c -= 1;
            if is_comma(&t[c]) {
                break;
            }
            if matches!(t[c].upos.as_str(), "VERB" | "AUX" | "SCONJ") || v - c > 12 {
                return false;
            }
        }
        if !is_comma(&t[c]) || c + 1 >= v || c == 0 {
            return false;
        }
        let span = c + 1..v;
        let Some(subj) = span.clone().rev().find(|&k| nominal(&t[k])) else {
            return false;
        };
        // The main clause it reports: the root, or when the verb is the root, its clausal
        // dependent before the comma.
        let main = match h.head[v] {
            Some(_) => {
                let Some(r) = (0..n).find(|&i| h.head[i].is_none()) else {
                    return false;
                };
                r
            }
            None => {
                let kids = h.children(v);
                let pick = |rels: &[&str]| {
                    kids.iter()
                        .copied()
                        .find(|&k| k < c && rels.contains(&h.base[k]))
                };
                match pick(&["ccomp"]).or_else(|| pick(&["parataxis", "advcl", "conj"])) {
                    Some(m) => m,
                    None => return false,
                }
            }
        };
        if main >= c || !(0..c).any(|k| matches!(t[k].upos.as_str(), "VERB" | "AUX" | "ADJ")) {
            return false;
        }
        if h.head[v].is_none() {
            h.set(main, None, "root");
            // What hung on the reporting verb before the comma belongs to the main clause;
            // a second "subject" there is a misparsed adverbial ("nearly two weeks after …").
            for k in h.children(v) {
                if k < c && k != main {
                    let rel = match h.base[k] {
                        "nsubj" => "obl:npmod",
                        _ => h.rel[k],
                    };
                    h.set(k, Some(main), rel);
                }
            }
        } else {
            for k in h.children(v) {
                if k < c && h.base[k] == "nsubj" {
                    h.set(k, Some(main), "obl:npmod");
                }
            }
        }
        for k in span.clone() {
            let outside = h.head[k].is_none_or(|x| !span.contains(&x));
            if k == subj {
                h.set(k, Some(v), "nsubj");
            } else if outside {
                h.set(k, Some(subj), np_rel(&t[k]));
            }
        }
        for k in 0..n {
            if span.contains(&k) || k == v {
                continue;
            }
            if let Some(x) = h.head[k] {
                if span.contains(&x) {
                    let rel = h.rel[k];
                    h.set(k, Some(if k > v { v } else { main }), rel);
                }
            }
        }
        h.set(c, Some(main), "punct");
        h.set(v, Some(main), "parataxis");
        return true;
    }
    false
}

/// A verb with several `nsubj` whose words before it are only names, nouns and their
/// modifiers, separated by "and"/"or"/commas: one co-ordinated subject.
fn split_subjects<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for v in 0..t.len() {
        if !matches!(t[v].upos.as_str(), "VERB" | "AUX" | "ADJ" | "NOUN") {
            continue;
        }
        let subjects: Vec<usize> = h
            .kids_of(v)
            .iter()
            .copied()
            .filter(|&k| k < v && h.base[k] == "nsubj")
            .collect();
        if subjects.len() < 2 {
            continue;
        }
        let from = subjects
            .iter()
            .map(|&s| h.subtree_start(s))
            .min()
            .unwrap_or(v);
        let region = from..v;
        let plain = region.clone().all(|k| {
            let ok_word = matches!(
                t[k].upos.as_str(),
                "DET" | "ADJ" | "NOUN" | "PROPN" | "NUM" | "CCONJ" | "PART"
            ) || is_comma(&t[k]);
            ok_word && h.dominates(v, k)
        });
        if !plain {
            continue;
        }
        // Segments between separators; "neither"/"either"/"both" open a co-ordination.
        let mut segments: Vec<Vec<usize>> = vec![Vec::new()];
        let mut seps: Vec<(usize, usize)> = Vec::new(); // (separator, segment it precedes)
        for k in region.clone() {
            if t[k].upos == "CCONJ" || is_comma(&t[k]) {
                if !segments.last().is_some_and(|s| s.is_empty()) {
                    segments.push(Vec::new());
                }
                seps.push((k, segments.len() - 1));
            } else {
                segments.last_mut().expect("one segment").push(k);
            }
        }
        if segments.last().is_some_and(|s| s.is_empty()) {
            segments.pop();
        }
        if segments.len() < 2 {
            continue;
        }
        let heads: Vec<usize> = segments
            .iter()
            .map(|s| {
                s.iter()
                    .rev()
                    .copied()
                    .find(|&k| matches!(t[k].upos.as_str(), "NOUN" | "PROPN"))
                    .unwrap_or(s[s.len() - 1])
            })
            .collect();
        let subj_rel = h.rel[subjects[0]];
        for (j, seg) in segments.iter().enumerate() {
            for &k in seg {
                if k != heads[j] {
                    h.set(k, Some(heads[j]), np_rel(&t[k]));
                }
            }
            if j == 0 {
                h.set(heads[0], Some(v), subj_rel);
            } else {
                h.set(heads[j], Some(heads[0]), "conj");
            }
        }
        for (k, seg) in seps {
            let rel = if t[k].upos == "CCONJ" { "cc" } else { "punct" };
            match heads.get(seg) {
                Some(&hd) if seg > 0 => h.set(k, Some(hd), rel),
                // A separator before the first member ("neither … nor") belongs to it.
                _ => h.set(k, Some(heads[0]), rel),
            }
        }
        changed = true;
    }
    changed
}

/// Words that open an adverbial clause and are also prepositions, so a parser may read
/// "as the king began" as the phrase "as the king" followed by a subjectless verb.
const SUBORDINATORS: &[&str] = &[
    "as", "after", "before", "since", "until", "till", "while", "because", "when", "once",
];

/// "X left as the king began to ride", parsed with "the king" an oblique of "left"
/// (case "as") and "began" a finite clause of "left" without a subject: make the noun the
/// clause's subject and "as" its marker. Only when the noun phrase ends right before the
/// verb, so "left after the talks, prepared to return" (no finite verb there) stays.
fn subordinate_subject<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for v in 1..t.len() {
        let finite = matches!(t[v].xpos.as_str(), "VBD" | "VBZ" | "VBP");
        if !finite || !matches!(t[v].upos.as_str(), "VERB" | "AUX") {
            continue;
        }
        let Some(head) = h.head[v] else { continue };
        if !matches!(h.base[v], "advcl" | "parataxis" | "conj" | "ccomp" | "dep") {
            continue;
        }
        let vk = h.children(v);
        if vk
            .iter()
            .any(|&k| matches!(h.base[k], "nsubj" | "csubj" | "expl"))
        {
            continue;
        }
        // The noun whose phrase ends just before the verb, attached to the same head.
        let Some(n) = (0..v).find(|&n| {
            h.head[n] == Some(head)
                && matches!(h.base[n], "obl" | "nmod")
                && nominal(&t[n])
                && (n + 1..v).all(|k| h.dominates(n, k))
        }) else {
            continue;
        };
        let Some(case) = h.kids_of(n).iter().copied().find(|&k| {
            h.base[k] == "case"
                && k < n
                && SUBORDINATORS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(&t[k].form))
        }) else {
            continue;
        };
        h.set(v, Some(head), "advcl");
        h.set(n, Some(v), "nsubj");
        h.set(case, Some(v), "mark");
        changed = true;
    }
    changed
}

/// A noun attached to a verb as `compound` (a relation UD keeps for nominal heads) that has
/// its own preposition right before it ("the Steward [of Valdria] rides …"): it is a
/// prepositional modifier (`nmod`) of the noun before the preposition.
fn compound_on_a_verb<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for n in 2..t.len() {
        let Some(v) = h.head[n] else { continue };
        if h.base[n] != "compound"
            || !nominal(&t[n])
            || !matches!(t[v].upos.as_str(), "VERB" | "AUX")
        {
            continue;
        }
        let case = n - 1;
        if h.head[case] != Some(n) || h.base[case] != "case" {
            continue;
        }
        let prev = case - 1;
        if !nominal(&t[prev]) || h.dominates(n, prev) {
            continue;
        }
        h.set(n, Some(prev), "nmod");
        changed = true;
    }
    changed
}

/// "The prisoners held for years were freed by X" parsed with "prisoners" the subject of
/// "held" (a bare past participle, no auxiliary) and "held" an adverbial clause of the later
/// main verb, which has no subject: the participle is a reduced relative of the noun
/// (`acl`), and the noun is the main verb's subject.
fn reduced_relative_subject<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for v in 0..t.len() {
        // A regular verb's past tense and participle look the same, and taggers choose
        // either.
        let participle = t[v].xpos == "VBN" || t[v].xpos == "VBD" && t[v].form.ends_with("ed");
        if !participle {
            continue;
        }
        // The same pair turned round: the participle as the root with the real main verb
        // an adverbial clause after it ("A report released Monday in Tolsk alleged …").
        if h.head[v].is_none() {
            changed |= participle_root(t, h, v);
            continue;
        }
        if h.base[v] != "advcl" {
            continue;
        }
        let Some(m) = h.head[v] else { continue };
        if m <= v || !matches!(t[m].upos.as_str(), "VERB" | "AUX") {
            continue;
        }
        let vk = h.children(v);
        if vk
            .iter()
            .any(|&k| matches!(h.base[k], "aux" | "mark" | "cop"))
        {
            continue;
        }
        let Some(n) = vk
            .iter()
            .copied()
            .find(|&k| k < v && h.base[k] == "nsubj" && nominal(&t[k]))
        else {
            continue;
        };
        let mk = h.children(m);
        if mk
            .iter()
            .any(|&k| matches!(h.base[k], "nsubj" | "csubj" | "expl"))
        {
            continue;
        }
        let passive = mk.iter().any(|&k| h.rel[k] == "aux:pass");
        h.set(n, Some(m), if passive { "nsubj:pass" } else { "nsubj" });
        h.set(v, Some(n), "acl");
        changed = true;
    }
    changed
}

/// The root participle `v` of [`reduced_relative_subject`] with a subject before it and a
/// finite, subjectless, unmarked `advcl` after it (no comma between): that clause is the
/// main verb, the subject is its own, and the participle modifies the subject.
fn participle_root(t: &[Token], h: &mut Heads, v: usize) -> bool {
    let vk = h.children(v);
    if vk
        .iter()
        .any(|&k| matches!(h.base[k], "aux" | "mark" | "cop"))
    {
        return false;
    }
    let Some(n) = vk
        .iter()
        .copied()
        .find(|&k| k < v && h.base[k] == "nsubj" && nominal(&t[k]))
    else {
        return false;
    };
    let Some(m) = vk.iter().copied().find(|&k| {
        k > v
            && h.base[k] == "advcl"
            && matches!(t[k].xpos.as_str(), "VBD" | "VBZ" | "VBP")
            && !h.kids_of(k).iter().any(|&c| {
                matches!(
                    h.base[c],
                    "aux" | "mark" | "cop" | "nsubj" | "csubj" | "expl"
                )
            })
    }) else {
        return false;
    };
    if (v + 1..m).any(|k| is_comma(&t[k])) {
        return false;
    }
    for k in vk {
        if k > m {
            let r = h.rel[k];
            h.set(k, Some(m), r);
        }
    }
    h.set(m, None, "root");
    h.set(n, Some(m), "nsubj");
    h.set(v, Some(n), "acl");
    true
}

/// "The king voiced regret for …" parsed as a verbless noun phrase: "voiced" an
/// adjectival modifier (`amod`) of "regret", itself a conjunct of the root "king". A sentence
/// has a predicate, so when this past form is its only verb and follows the root's phrase
/// directly, it becomes the root, the root noun its subject and the noun it modified its
/// object.
fn verbless_sentence_predicate<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let Some(r) = (0..t.len()).find(|&i| h.head[i].is_none()) else {
        return false;
    };
    if !nominal(&t[r]) {
        return false;
    }
    let verbs: Vec<usize> = (0..t.len())
        .filter(|&i| matches!(t[i].upos.as_str(), "VERB" | "AUX"))
        .collect();
    let [v] = verbs[..] else { return false };
    if v == 0 || !matches!(t[v].xpos.as_str(), "VBD" | "VBN") || h.base[v] != "amod" {
        return false;
    }
    let Some(o) = h.head[v] else { return false };
    // Only a noun "co-ordinated" with the subject without any conjunction between: the
    // parser's fallback for a sentence it found no verb in.
    if o <= v
        || !nominal(&t[o])
        || h.head[o] != Some(r)
        || h.base[o] != "conj"
        || h.kids_of(o).iter().any(|&k| h.base[k] == "cc")
        || !h.dominates(r, v - 1)
    {
        return false;
    }
    if (v + 1..o).any(|k| !h.dominates(o, k)) {
        return false;
    }
    h.set(v, None, "root");
    h.set(r, Some(v), "nsubj");
    h.set(o, Some(v), "obj");
    // What hung on the root after the verb (punctuation, other clauses) goes with the verb.
    for k in h.children(r) {
        if k > v {
            let rel = h.rel[k];
            h.set(k, Some(v), rel);
        }
    }
    true
}

/// "The Varn Air jet KA7 …" parsed with "The" a `det` of "jet", itself a `compound` of "KA7":
/// an article before a compound modifier determines the noun the compound chain ends in.
fn determiner_of_a_compound<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for d in 0..t.len() {
        let Some(mut n) = h.head[d] else { continue };
        if h.base[d] != "det" || t[d].upos != "DET" || n < d || !nominal(&t[n]) {
            continue;
        }
        let start = n;
        // Up the chain of compound modifiers, each before its head.
        while h.base[n] == "compound" {
            match h.head[n] {
                Some(m) if m > n && nominal(&t[m]) => n = m,
                _ => break,
            }
        }
        if n == start {
            continue;
        }
        h.set(d, Some(n), "det");
        changed = true;
    }
    changed
}

/// Two `nsubj` of one verb with no word between them: a name read as a subject of its own
/// before the noun it modifies. The first becomes a `compound` of the second, and a
/// determiner hung on the verb just before it moves to the second.
fn adjacent_subjects<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for v in 0..t.len() {
        let subjects: Vec<usize> = h
            .kids_of(v)
            .iter()
            .copied()
            .filter(|&k| h.base[k] == "nsubj" && k < v)
            .collect();
        for pair in subjects.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let a_end = (0..t.len())
                .filter(|&k| h.dominates(a, k))
                .max()
                .unwrap_or(a);
            if !nominal(&t[a]) || !nominal(&t[b]) || a_end + 1 != h.subtree_start(b) {
                continue;
            }
            let start = h.subtree_start(a);
            // Only a bare name or noun group (no clause, no preposition inside) modifies the
            // next noun this way.
            let bare = (start..=a_end)
                .all(|k| matches!(t[k].upos.as_str(), "PROPN" | "NOUN" | "ADJ" | "NUM" | "DET"));
            if !bare {
                continue;
            }
            h.set(a, Some(b), "compound");
            if start > 0 && h.head[start - 1] == Some(v) && h.base[start - 1] == "det" {
                h.set(start - 1, Some(b), "det");
            }
            changed = true;
        }
    }
    changed
}

/// Written without spaces, word + "-" + past participle before a noun is one modifier of that
/// noun ("from army-held Tolsk"), not a clause with the noun as its object.
fn hyphenated_participle<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let joined = |a: &Token, b: &Token| a.no_space_after || (a.end > 0 && a.end == b.start);
    let mut changed = false;
    for v in 2..t.len().saturating_sub(1) {
        let (x, hy, n) = (v - 2, v - 1, v + 1);
        if t[hy].form != "-"
            || t[v].xpos != "VBN"
            || !joined(&t[x], &t[hy])
            || !joined(&t[hy], &t[v])
            || !nominal(&t[n])
            || h.head[n] != Some(v)
            || !matches!(h.base[v], "advcl" | "acl" | "conj" | "xcomp")
        {
            continue;
        }
        let Some(mut up) = h.head[v] else { continue };
        // The parser attached a clause, which says nothing about where the noun's
        // preposition goes: take the noun right before that preposition, if any (the usual
        // low attachment: "exiles from army-held Tolsk").
        let case = h
            .kids_of(v)
            .iter()
            .copied()
            .find(|&k| k < x && h.base[k] == "case");
        if let Some(c) = case.filter(|&c| c > 0 && c + 1 == x) {
            if nominal(&t[c - 1]) && !h.dominates(v, c - 1) {
                up = c - 1;
            }
        }
        let rel = if nominal(&t[up]) { "nmod" } else { "obl" };
        for k in h.children(v) {
            if k < x && matches!(h.base[k], "case" | "det") {
                let r = h.rel[k];
                h.set(k, Some(n), r);
            }
        }
        h.set(n, Some(up), rel);
        h.set(v, Some(n), "amod");
        changed = true;
    }
    changed
}

/// A `conj` noun after a comma with no conjunction, directly followed by a subjectless finite
/// verb, is that verb's subject; when the verb hangs on the subordinate clause before the
/// comma (a clause opened by a subordinating word), the two swap places.
fn subject_after_fronted_clause<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for n in 0..t.len() {
        if h.base[n] != "conj" || !nominal(&t[n]) {
            continue;
        }
        // The comma before the noun is often hung on it.
        let Some(start) = (0..t.len()).find(|&k| h.dominates(n, k) && !is_comma(&t[k])) else {
            continue;
        };
        let end = (0..t.len())
            .filter(|&k| h.dominates(n, k))
            .max()
            .unwrap_or(n);
        let v = end + 1;
        if start == 0 || !is_comma(&t[start - 1]) || v >= t.len() {
            continue;
        }
        if (start..=end).any(|k| h.base[k] == "cc") {
            continue;
        }
        if !matches!(t[v].xpos.as_str(), "VBD" | "VBZ" | "VBP")
            || h.kids_of(v).iter().any(|&k| h.base[k] == "nsubj")
            || h.dominates(n, v)
        {
            continue;
        }
        h.set(n, Some(v), "nsubj");
        if let Some(g) = h.head[v] {
            let opened = h.kids_of(g).iter().any(|&k| k < g && h.base[k] == "mark");
            if g < start && opened && h.dominates(g, start - 1) {
                let (up, rel) = (h.head[g], h.rel[g]);
                h.set(v, up, rel);
                h.set(g, Some(v), "advcl");
            }
        }
        changed = true;
    }
    changed
}

/// "A memo released in Corvalis alleged …" parsed with "released" an `acl` of the verb
/// "alleged": a clausal modifier belongs to a noun, so one right after the verb's subject
/// (nothing between) modifies that subject.
fn clausal_modifier_on_a_verb<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for v in 1..t.len() {
        if h.base[v] != "acl" {
            continue;
        }
        let Some(m) = h.head[v] else { continue };
        if m <= v || !matches!(t[m].upos.as_str(), "VERB" | "AUX") {
            continue;
        }
        let Some(n) = h
            .kids_of(m)
            .iter()
            .copied()
            .find(|&k| k < v && h.base[k] == "nsubj" && nominal(&t[k]))
        else {
            continue;
        };
        let end = (0..t.len())
            .filter(|&k| h.dominates(n, k))
            .max()
            .unwrap_or(n);
        if end + 1 != v {
            continue;
        }
        let r = h.rel[v];
        h.set(v, Some(n), r);
        changed = true;
    }
    changed
}

/// "would free the hostages" tagged with "free" an adjective: a word right after a modal
/// (adverbs between allowed) with no copula is a bare verb, whatever the tagger said,
/// since an adjective needs "be" there. The returned tokens are retagged `VERB`/`VB`; a
/// noun it took through an adverb read as a preposition ("free over 150 prisoners") is its
/// object, the adverb modifying it.
fn verb_after_modal<'a>(t: &'a [Token], h: &mut Heads<'a>) -> Vec<usize> {
    let mut out = Vec::new();
    for a in 1..t.len() {
        if t[a].upos != "ADJ" {
            continue;
        }
        let kids = h.children(a);
        if kids.iter().any(|&k| h.base[k] == "cop") {
            continue;
        }
        let mut m = a - 1;
        while m > 0 && t[m].upos == "ADV" && h.head[m] == Some(a) {
            m -= 1;
        }
        if t[m].xpos != "MD" || h.head[m] != Some(a) || h.base[m] != "aux" {
            continue;
        }
        for k in kids {
            if k < a || h.base[k] != "obl" {
                continue;
            }
            let cases: Vec<usize> = h
                .kids_of(k)
                .iter()
                .copied()
                .filter(|&c| h.base[c] == "case")
                .collect();
            if cases.len() == 1 && t[cases[0]].upos == "ADV" && cases[0] == a + 1 {
                h.set(cases[0], Some(k), "advmod");
                h.set(k, Some(a), "obj");
            }
        }
        out.push(a);
    }
    out
}

/// "announced it would free …" parsed with "it" the reporting verb's object and the clause
/// after it subjectless: a pronoun object right before the modal of a complement clause
/// with no subject of its own is that clause's subject.
fn pronoun_object_before_modal<'a>(t: &'a [Token], h: &mut Heads<'a>) -> bool {
    let mut changed = false;
    for p in 0..t.len().saturating_sub(1) {
        let m = p + 1;
        if t[p].upos != "PRON" || h.base[p] != "obj" || t[m].xpos != "MD" {
            continue;
        }
        let (Some(v), Some(c)) = (h.head[p], h.head[m]) else {
            continue;
        };
        if h.base[m] != "aux"
            || h.head[c] != Some(v)
            || h.base[c] != "ccomp"
            || h.kids_of(c).iter().any(|&k| h.base[k] == "nsubj")
        {
            continue;
        }
        h.set(p, Some(c), "nsubj");
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(spec: &[(&str, &str, u32, &str)]) -> Vec<Token> {
        spec.iter()
            .map(|&(form, upos, head, rel)| Token {
                form: form.into(),
                lemma: form.to_lowercase(),
                upos: upos.into(),
                head: Some(head),
                deprel: rel.into(),
                ..Default::default()
            })
            .collect()
    }

    fn arcs(t: &[Token]) -> Vec<(String, u32, String)> {
        t.iter()
            .map(|x| (x.form.clone(), x.head.unwrap_or(0), x.deprel.clone()))
            .collect()
    }

    #[test]
    fn children_follow_every_head_change_in_sentence_order() {
        // "Millers in Brask sold grain": "grain" first on "Brask", then moved to "sold".
        let t = toks(&[
            ("Millers", "NOUN", 4, "nsubj"),
            ("in", "ADP", 3, "case"),
            ("Brask", "PROPN", 1, "nmod"),
            ("sold", "VERB", 0, "root"),
            ("grain", "NOUN", 3, "obj"),
        ]);
        let mut h = Heads::of(&t);
        assert_eq!(h.children(3), [0]);
        assert_eq!(h.children(2), [1, 4]);
        h.set(4, Some(3), "obj");
        assert_eq!(h.children(3), [0, 4]);
        assert_eq!(h.children(2), [1]);
        h.set(0, None, "root");
        assert_eq!(h.children(3), [4]);
        // Every list agrees with a scan of the heads.
        for i in 0..t.len() {
            let scan: Vec<usize> = (0..t.len()).filter(|&k| h.head[k] == Some(i)).collect();
            assert_eq!(h.children(i), scan);
        }
    }

    #[test]
    fn reporting_relative_clause_becomes_a_side_clause() {
        // "Oskara freed Valdria, the agency Rna said." with "said" a relative clause of Valdria.
        let t = toks(&[
            ("Oskara", "PROPN", 2, "nsubj"),
            ("freed", "VERB", 0, "root"),
            ("Valdria", "PROPN", 2, "obj"),
            (",", "PUNCT", 6, "punct"),
            ("the", "DET", 6, "det"),
            ("agency", "NOUN", 3, "appos"),
            ("Rna", "PROPN", 8, "nsubj"),
            ("said", "VERB", 6, "acl:relcl"),
            (".", "PUNCT", 2, "punct"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[7], ("said".into(), 2, "parataxis".into()));
        assert_eq!(r[6], ("Rna".into(), 8, "nsubj".into()));
        assert_eq!(r[5], ("agency".into(), 7, "compound".into()));
        assert_eq!(r[3], (",".into(), 2, "punct".into()));
        assert_eq!(r[2], ("Valdria".into(), 2, "obj".into()));
    }

    #[test]
    fn reporting_root_gives_the_root_to_its_complement() {
        // "Oskara will help, an official said." parsed with "said" the root.
        let t = toks(&[
            ("Oskara", "PROPN", 3, "nsubj"),
            ("will", "AUX", 3, "aux"),
            ("help", "VERB", 7, "ccomp"),
            (",", "PUNCT", 7, "punct"),
            ("an", "DET", 6, "det"),
            ("official", "NOUN", 7, "nsubj"),
            ("said", "VERB", 0, "root"),
            (".", "PUNCT", 7, "punct"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[2], ("help".into(), 0, "root".into()));
        assert_eq!(r[6], ("said".into(), 3, "parataxis".into()));
        assert_eq!(r[5], ("official".into(), 7, "nsubj".into()));
    }

    #[test]
    fn split_subjects_become_one_coordination() {
        // "Oskara and the brave Valdria met" with "brave" mistagged as a second subject.
        let t = toks(&[
            ("Oskara", "PROPN", 6, "nsubj"),
            ("and", "CCONJ", 4, "cc"),
            ("the", "DET", 4, "det"),
            ("brave", "NOUN", 6, "nsubj"),
            ("Valdria", "PROPN", 6, "nsubj"),
            ("met", "VERB", 0, "root"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[0], ("Oskara".into(), 6, "nsubj".into()));
        assert_eq!(r[4], ("Valdria".into(), 1, "conj".into()));
        assert_eq!(r[1], ("and".into(), 5, "cc".into()));
        assert_eq!(r[3], ("brave".into(), 5, "compound".into()));
    }

    #[test]
    fn nominal_root_with_verb_conjunct_is_turned_round() {
        // "Wolves, bears and Kestria met" with "Wolves" the root.
        let t = toks(&[
            ("Wolves", "NOUN", 0, "root"),
            (",", "PUNCT", 3, "punct"),
            ("bears", "NOUN", 1, "conj"),
            ("and", "CCONJ", 6, "cc"),
            ("Kestria", "PROPN", 6, "nsubj"),
            ("met", "VERB", 1, "conj"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[5], ("met".into(), 0, "root".into()));
        assert_eq!(r[0], ("Wolves".into(), 6, "nsubj".into()));
        assert_eq!(r[4], ("Kestria".into(), 1, "conj".into()));
        assert_eq!(r[3], ("and".into(), 5, "cc".into()));
    }

    #[test]
    fn conjunct_of_a_name_part_joins_the_whole_name() {
        let t = toks(&[
            ("Tarvel", "PROPN", 6, "nsubj"),
            ("Elessar", "PROPN", 1, "flat"),
            ("and", "CCONJ", 4, "cc"),
            ("Jorun", "PROPN", 2, "conj"),
            ("King", "PROPN", 4, "flat"),
            ("met", "VERB", 0, "root"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[3], ("Jorun".into(), 1, "conj".into()));
        assert_eq!(r[1], ("Elessar".into(), 1, "flat".into()));
    }

    #[test]
    fn a_clean_parse_is_left_alone() {
        let t = toks(&[
            ("Oskara", "PROPN", 2, "nsubj"),
            ("met", "VERB", 0, "root"),
            ("Valdria", "PROPN", 2, "obj"),
        ]);
        assert_eq!(arcs(&repair(&t)), arcs(&t));
    }
    #[test]
    fn subordinating_word_read_as_a_preposition_gets_its_clause_subject() {
        // "Oskara left as the king began to ride." with "as the king" an oblique of
        // "left" and "began" a subjectless clause of "left".
        let mut t = toks(&[
            ("Oskara", "PROPN", 2, "nsubj"),
            ("left", "VERB", 0, "root"),
            ("as", "ADP", 5, "case"),
            ("the", "DET", 5, "det"),
            ("king", "NOUN", 2, "obl"),
            ("began", "VERB", 2, "parataxis"),
            ("to", "PART", 8, "mark"),
            ("ride", "VERB", 6, "xcomp"),
            (".", "PUNCT", 2, "punct"),
        ]);
        t[1].xpos = "VBD".into();
        t[5].xpos = "VBD".into();
        let r = arcs(&repair(&t));
        assert_eq!(r[5], ("began".into(), 2, "advcl".into()));
        assert_eq!(r[4], ("king".into(), 6, "nsubj".into()));
        assert_eq!(r[2], ("as".into(), 6, "mark".into()));
        // A real preposition ("left with the king, began …" has no subordinator) stays.
        let mut u = t.clone();
        u[2].form = "with".into();
        let r = arcs(&repair(&u));
        assert_eq!(r[4], ("king".into(), 2, "obl".into()));
    }
    #[test]
    fn an_article_on_a_compound_modifier_moves_to_the_compound_head() {
        // "The Varn Air jet KA7 landed." with "The" on "jet", a compound of "KA7".
        let t = toks(&[
            ("The", "DET", 4, "det"),
            ("Varn", "PROPN", 3, "compound"),
            ("Air", "PROPN", 4, "compound"),
            ("jet", "NOUN", 5, "compound"),
            ("KA7", "PROPN", 6, "nsubj"),
            ("landed", "VERB", 0, "root"),
            (".", "PUNCT", 6, "punct"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[0], ("The".into(), 5, "det".into()));
        assert_eq!(r[3], ("jet".into(), 5, "compound".into()));
        // An article on the head itself stays.
        let plain = toks(&[
            ("the", "DET", 3, "det"),
            ("air", "NOUN", 3, "compound"),
            ("base", "NOUN", 4, "nsubj"),
            ("closed", "VERB", 0, "root"),
        ]);
        assert_eq!(arcs(&repair(&plain)), arcs(&plain));
    }

    #[test]
    fn adjacent_subjects_of_one_verb_are_one_noun_phrase() {
        // "The Varn Air jet KA7 was hit." with "Varn Air" and "KA7" both subjects of "hit"
        // and "The" on the verb.
        let t = toks(&[
            ("The", "DET", 7, "det"),
            ("Varn", "PROPN", 3, "compound"),
            ("Air", "PROPN", 7, "nsubj:pass"),
            ("jet", "NOUN", 5, "compound"),
            ("KA7", "PROPN", 7, "nsubj:pass"),
            ("was", "AUX", 7, "aux:pass"),
            ("hit", "VERB", 0, "root"),
            (".", "PUNCT", 7, "punct"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[2], ("Air".into(), 5, "compound".into()));
        assert_eq!(r[0], ("The".into(), 5, "det".into()));
        assert_eq!(r[4], ("KA7".into(), 7, "nsubj:pass".into()));
        // Subjects with words between them are left to the other repairs.
        let apart = toks(&[
            ("Varn", "PROPN", 4, "nsubj"),
            ("and", "CCONJ", 3, "cc"),
            ("Tolsk", "PROPN", 4, "nsubj"),
            ("met", "VERB", 0, "root"),
        ]);
        assert_ne!(arcs(&repair(&apart))[0].2, "compound");
    }

    #[test]
    fn a_hyphenated_participle_before_a_noun_modifies_it() {
        // "Envoys met exiles from army-held Tolsk." with "held" a clause of "met" taking
        // "Tolsk" as its object and "from" on "held": Tolsk modifies "exiles".
        let mut t = toks(&[
            ("Envoys", "NOUN", 2, "nsubj"),
            ("met", "VERB", 0, "root"),
            ("exiles", "NOUN", 2, "obj"),
            ("from", "ADP", 7, "case"),
            ("army", "NOUN", 7, "compound"),
            ("-", "PUNCT", 7, "punct"),
            ("held", "VERB", 2, "advcl"),
            ("Tolsk", "PROPN", 7, "obj"),
            (".", "PUNCT", 2, "punct"),
        ]);
        t[4].no_space_after = true;
        t[5].no_space_after = true;
        t[6].xpos = "VBN".into();
        let r = arcs(&repair(&t));
        assert_eq!(r[7], ("Tolsk".into(), 3, "nmod".into()));
        assert_eq!(r[6], ("held".into(), 8, "amod".into()));
        assert_eq!(r[3], ("from".into(), 8, "case".into()));
        // With spaces round the dash it is punctuation between clauses: left alone.
        t[4].no_space_after = false;
        t[5].no_space_after = false;
        assert_eq!(arcs(&repair(&t)), arcs(&t));
    }

    #[test]
    fn a_subject_read_as_a_conjunct_of_a_fronted_clause_gets_its_verb() {
        // "Before leaving for Tolsk, the envoy praised Varn." with "envoy" a conjunct of
        // "Tolsk" and "praised" an adverbial clause of "leaving", the root.
        let mut t = toks(&[
            ("Before", "SCONJ", 2, "mark"),
            ("leaving", "VERB", 0, "root"),
            ("for", "ADP", 4, "case"),
            ("Tolsk", "PROPN", 2, "obl"),
            (",", "PUNCT", 7, "punct"),
            ("the", "DET", 7, "det"),
            ("envoy", "NOUN", 4, "conj"),
            ("praised", "VERB", 2, "advcl"),
            ("Varn", "PROPN", 8, "obj"),
            (".", "PUNCT", 2, "punct"),
        ]);
        t[7].xpos = "VBD".into();
        let r = arcs(&repair(&t));
        assert_eq!(r[6], ("envoy".into(), 8, "nsubj".into()));
        assert_eq!(r[7], ("praised".into(), 0, "root".into()));
        assert_eq!(r[1], ("leaving".into(), 8, "advcl".into()));
    }

    #[test]
    fn noun_with_a_preposition_hung_on_a_verb_modifies_the_noun_before() {
        // "The Steward of Valdria rides." with "Valdria" a compound of "rides".
        let t = toks(&[
            ("The", "DET", 2, "det"),
            ("Steward", "PROPN", 5, "nsubj"),
            ("of", "ADP", 4, "case"),
            ("Valdria", "PROPN", 5, "compound"),
            ("rides", "VERB", 0, "root"),
            (".", "PUNCT", 5, "punct"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[3], ("Valdria".into(), 2, "nmod".into()));
        assert_eq!(r[1], ("Steward".into(), 5, "nsubj".into()));
    }
    #[test]
    fn bare_participle_with_a_subject_before_a_subjectless_verb_is_a_reduced_relative() {
        // "The wolves held in Karsk were freed by Oskara." with "wolves" the subject of "held"
        // and "held" a clause of "freed".
        let mut t = toks(&[
            ("The", "DET", 2, "det"),
            ("wolves", "NOUN", 3, "nsubj"),
            ("held", "VERB", 7, "advcl"),
            ("in", "ADP", 5, "case"),
            ("Karsk", "PROPN", 3, "obl"),
            ("were", "AUX", 7, "aux:pass"),
            ("freed", "VERB", 0, "root"),
            ("by", "ADP", 9, "case"),
            ("Oskara", "PROPN", 7, "obl:agent"),
            (".", "PUNCT", 7, "punct"),
        ]);
        t[2].xpos = "VBN".into();
        t[6].xpos = "VBN".into();
        let r = arcs(&repair(&t));
        assert_eq!(r[1], ("wolves".into(), 7, "nsubj:pass".into()));
        assert_eq!(r[2], ("held".into(), 2, "acl".into()));
        // With its own auxiliary it is a clause ("had been held"): left alone.
        let mut u = t.clone();
        u[5].head = Some(3);
        u[5].deprel = "aux".into();
        let r = arcs(&repair(&u));
        assert_eq!(r[1], ("wolves".into(), 3, "nsubj".into()));
    }
    #[test]
    fn only_verb_read_as_a_modifier_becomes_the_predicate() {
        // "King Varek voiced regret for the raid" with "voiced" an amod of
        // "regret", a conjunct of the root "Varek".
        let mut t = toks(&[
            ("King", "PROPN", 2, "compound"),
            ("Varek", "PROPN", 0, "root"),
            ("voiced", "VERB", 4, "amod"),
            ("regret", "NOUN", 2, "conj"),
            ("for", "ADP", 7, "case"),
            ("the", "DET", 7, "det"),
            ("raid", "NOUN", 4, "nmod"),
        ]);
        t[2].xpos = "VBN".into();
        let r = arcs(&repair(&t));
        assert_eq!(r[2], ("voiced".into(), 0, "root".into()));
        assert_eq!(r[1], ("Varek".into(), 3, "nsubj".into()));
        assert_eq!(r[3], ("regret".into(), 3, "obj".into()));
        // A sentence with another verb keeps its modifier ("… regret, he said").
        let mut u = t.clone();
        u.push(Token {
            form: "said".into(),
            upos: "VERB".into(),
            xpos: "VBD".into(),
            head: Some(2),
            deprel: "parataxis".into(),
            ..Default::default()
        });
        let r = arcs(&repair(&u));
        assert_eq!(r[2], ("voiced".into(), 4, "amod".into()));
    }

    #[test]
    fn an_adjective_after_a_modal_is_a_verb() {
        // "Ostrel would free over 20 sailors." with "free" an adjective and "over" a
        // preposition.
        let mut t = toks(&[
            ("Ostrel", "PROPN", 3, "nsubj"),
            ("would", "AUX", 3, "aux"),
            ("free", "ADJ", 0, "root"),
            ("over", "ADV", 6, "case"),
            ("20", "NUM", 6, "nummod"),
            ("sailors", "NOUN", 3, "obl"),
            (".", "PUNCT", 3, "punct"),
        ]);
        t[1].xpos = "MD".into();
        t[2].xpos = "JJ".into();
        let r = repair(&t);
        assert_eq!((r[2].upos.as_str(), r[2].xpos.as_str()), ("VERB", "VB"));
        let a = arcs(&r);
        assert_eq!(a[5], ("sailors".into(), 3, "obj".into()));
        assert_eq!(a[3], ("over".into(), 6, "advmod".into()));
        // With a copula it stays an adjective: "Ostrel would be free".
        let mut u = toks(&[
            ("Ostrel", "PROPN", 4, "nsubj"),
            ("would", "AUX", 4, "aux"),
            ("be", "AUX", 4, "cop"),
            ("free", "ADJ", 0, "root"),
        ]);
        u[1].xpos = "MD".into();
        u[3].xpos = "JJ".into();
        let r = repair(&u);
        assert_eq!(r[3].upos, "ADJ");
        assert_eq!(arcs(&r), arcs(&u));
    }

    #[test]
    fn a_pronoun_object_before_a_modal_is_the_clause_subject() {
        // "Quenby said it would sail home" with "it" the object of "said".
        let mut t = toks(&[
            ("Quenby", "PROPN", 2, "nsubj"),
            ("said", "VERB", 0, "root"),
            ("it", "PRON", 2, "obj"),
            ("would", "AUX", 5, "aux"),
            ("sail", "VERB", 2, "ccomp"),
            ("home", "ADV", 5, "advmod"),
        ]);
        t[3].xpos = "MD".into();
        let a = arcs(&repair(&t));
        assert_eq!(a[2], ("it".into(), 5, "nsubj".into()));
        // Not when the clause has its own subject ("told it Tolm would sail").
        let mut u = toks(&[
            ("Quenby", "PROPN", 2, "nsubj"),
            ("told", "VERB", 0, "root"),
            ("it", "PRON", 2, "obj"),
            ("would", "AUX", 6, "aux"),
            ("Tolm", "PROPN", 6, "nsubj"),
            ("sail", "VERB", 2, "ccomp"),
        ]);
        u[3].xpos = "MD".into();
        assert_eq!(arcs(&repair(&u)), arcs(&u));
    }

    #[test]
    fn a_past_form_read_as_the_main_verb_before_the_real_one_modifies_its_subject() {
        // "A memo released Monday in Corvalis alleged fraud." with "released" the root and
        // "alleged" a subjectless adverbial clause of it.
        let mut t = toks(&[
            ("A", "DET", 2, "det"),
            ("memo", "NOUN", 3, "nsubj"),
            ("released", "VERB", 0, "root"),
            ("Monday", "PROPN", 3, "obl:tmod"),
            ("in", "ADP", 6, "case"),
            ("Corvalis", "PROPN", 3, "obl"),
            ("alleged", "VERB", 3, "advcl"),
            ("fraud", "NOUN", 7, "obj"),
            (".", "PUNCT", 3, "punct"),
        ]);
        t[2].xpos = "VBD".into();
        t[6].xpos = "VBD".into();
        let r = arcs(&repair(&t));
        assert_eq!(r[6], ("alleged".into(), 0, "root".into()));
        assert_eq!(r[1], ("memo".into(), 7, "nsubj".into()));
        assert_eq!(r[2], ("released".into(), 2, "acl".into()));
        assert_eq!(r[8], (".".into(), 7, "punct".into()));
        // The other reading: "released" (tagged a past tense) an adverbial clause of the
        // subjectless "alleged".
        let mut u = toks(&[
            ("A", "DET", 2, "det"),
            ("memo", "NOUN", 3, "nsubj"),
            ("released", "VERB", 7, "advcl"),
            ("Monday", "PROPN", 3, "obl:tmod"),
            ("in", "ADP", 6, "case"),
            ("Corvalis", "PROPN", 3, "obl"),
            ("alleged", "VERB", 0, "root"),
            ("fraud", "NOUN", 7, "obj"),
        ]);
        u[2].xpos = "VBD".into();
        u[6].xpos = "VBD".into();
        let r = arcs(&repair(&u));
        assert_eq!(r[1], ("memo".into(), 7, "nsubj".into()));
        assert_eq!(r[2], ("released".into(), 2, "acl".into()));
        // With a comma between, the two stay clauses of their own.
        let mut w = t.clone();
        w.insert(
            6,
            Token {
                form: ",".into(),
                upos: "PUNCT".into(),
                head: Some(3),
                deprel: "punct".into(),
                ..Default::default()
            },
        );
        for x in w.iter_mut() {
            if x.head.is_some_and(|h| h >= 7) {
                x.head = x.head.map(|h| h + 1);
            }
        }
        assert_eq!(arcs(&repair(&w)), arcs(&w));
    }

    #[test]
    fn a_clausal_modifier_hung_on_a_verb_goes_to_its_subject() {
        // "A memo released in Corvalis alleged fraud" with "released" an acl of "alleged".
        let t = toks(&[
            ("A", "DET", 2, "det"),
            ("memo", "NOUN", 6, "nsubj"),
            ("released", "VERB", 6, "acl"),
            ("in", "ADP", 5, "case"),
            ("Corvalis", "PROPN", 3, "obl"),
            ("alleged", "VERB", 0, "root"),
            ("fraud", "NOUN", 6, "obj"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[2], ("released".into(), 2, "acl".into()));
        // Not when something stands between the subject and the modifier: "A memo, released
        // in Corvalis, alleged fraud".
        let u = toks(&[
            ("A", "DET", 2, "det"),
            ("memo", "NOUN", 8, "nsubj"),
            (",", "PUNCT", 4, "punct"),
            ("released", "VERB", 8, "acl"),
            ("in", "ADP", 6, "case"),
            ("Corvalis", "PROPN", 4, "obl"),
            (",", "PUNCT", 4, "punct"),
            ("alleged", "VERB", 0, "root"),
        ]);
        assert_eq!(arcs(&repair(&u)), arcs(&u));
    }
}
