//! Repairs of a statistical UD parse before it becomes a phrase tree ([`crate::deptree`]).
//!
//! dyad's own parser, like most, goes wrong on a few constructions that decide who did what
//! to whom, and the repairs are general rules about those constructions, not about sentences:
//! - a sentence-final reporting clause ("…, the official news agency said on Monday") parsed
//!   as a relative clause of the last noun, or as the root with the real main clause below it,
//!   is made a clause beside the main one (`parataxis`) with its own subject;
//! - a co-ordinated subject split into several `nsubj` of one verb, or one whose first member
//!   became the sentence root with the verb a `conj` of it, is rebuilt as one co-ordination.
//!
//! Every repair keeps the tokens a tree: if a change would make a cycle, the parse is left
//! as it was.

use dyad_core::Token;

fn base(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Verbs that report speech: their clause at the end of a sentence is attribution.
const REPORTING: &[&str] = &[
    "say", "tell", "report", "add", "state", "announce", "claim", "confirm", "note", "write",
    "explain", "insist", "declare", "comment", "quote", "told", "said",
];

struct Heads {
    /// 0-based head, `None` for a root.
    head: Vec<Option<usize>>,
    rel: Vec<String>,
}

impl Heads {
    fn of(tokens: &[Token]) -> Heads {
        let n = tokens.len();
        Heads {
            head: tokens
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    t.head
                        .map(|h| h as usize)
                        .filter(|&h| h >= 1 && h <= n && h - 1 != i)
                        .map(|h| h - 1)
                })
                .collect(),
            rel: tokens.iter().map(|t| t.deprel.clone()).collect(),
        }
    }

    fn set(&mut self, i: usize, head: Option<usize>, rel: &str) {
        self.head[i] = head;
        self.rel[i] = rel.to_string();
    }

    fn children(&self, i: usize) -> Vec<usize> {
        (0..self.head.len())
            .filter(|&k| self.head[k] == Some(i))
            .collect()
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

/// Apply the repairs; the tokens come back unchanged when none applies or a repair would
/// break the tree.
pub fn repair(tokens: &[Token]) -> Vec<Token> {
    let mut h = Heads::of(tokens);
    let mut changed = name_part_conjuncts(tokens, &mut h);
    changed |= nominal_root(tokens, &mut h);
    changed |= reporting_clause(tokens, &mut h);
    changed |= split_subjects(tokens, &mut h);
    let mut out = tokens.to_vec();
    if !changed || !h.acyclic() {
        return out;
    }
    for (i, t) in out.iter_mut().enumerate() {
        t.head = Some(h.head[i].map_or(0, |x| x as u32 + 1));
        t.deprel = if h.head[i].is_none() {
            "root".to_string()
        } else {
            h.rel[i].clone()
        };
    }
    out
}

/// "Barack Obama and Vladimir Putin" parsed with "Vladimir" a conjunct of "Obama", itself a
/// `flat` part of "Barack": a name part is not co-ordinated, the whole name is, so the
/// conjunct moves up to the name's head.
fn name_part_conjuncts(t: &[Token], h: &mut Heads) -> bool {
    let mut changed = false;
    for k in 0..t.len() {
        if base(&h.rel[k]) != "conj" {
            continue;
        }
        let Some(p) = h.head[k] else { continue };
        if !matches!(base(&h.rel[p]), "flat" | "compound" | "fixed") {
            continue;
        }
        let Some(top) = h.head[p] else { continue };
        if top != k && !h.dominates(k, top) {
            let rel = h.rel[k].clone();
            h.set(k, Some(top), &rel);
            changed = true;
        }
    }
    changed
}

/// "Lions, tigers and Gondor welcomed …" parsed with "Lions" as the root and "welcomed" a
/// `conj` of it whose subject is the last member: the verb is the root and the nouns its
/// co-ordinated subject.
fn nominal_root(t: &[Token], h: &mut Heads) -> bool {
    let Some(r) = (0..t.len()).find(|&i| h.head[i].is_none()) else {
        return false;
    };
    if !matches!(t[r].upos.as_str(), "NOUN" | "PROPN") {
        return false;
    }
    let kids = h.children(r);
    if kids
        .iter()
        .any(|&k| matches!(base(&h.rel[k]), "cop" | "nsubj" | "csubj"))
    {
        return false;
    }
    let Some(v) = kids
        .iter()
        .copied()
        .find(|&k| k > r && base(&h.rel[k]) == "conj" && t[k].upos == "VERB")
    else {
        return false;
    };
    let vk = h.children(v);
    let Some(s) = vk
        .iter()
        .copied()
        .find(|&k| base(&h.rel[k]) == "nsubj" && k > r && k < v)
    else {
        return false;
    };
    let subj_rel = h.rel[s].clone();
    h.set(v, None, "root");
    h.set(r, Some(v), &subj_rel);
    h.set(s, Some(r), "conj");
    for k in vk {
        if k > r && k < s && (t[k].upos == "CCONJ" || is_comma(&t[k])) {
            let rel = if t[k].upos == "CCONJ" { "cc" } else { "punct" };
            h.set(k, Some(s), rel);
        }
    }
    for k in kids {
        if k > v {
            let rel = h.rel[k].clone();
            h.set(k, Some(v), &rel);
        }
    }
    true
}

/// "X did Y, the agency said on Monday." with "said" a relative clause of the last noun
/// before it (or the root, X's clause its complement): make the reporting clause stand
/// beside the main clause, its subject the words between the comma and the verb.
fn reporting_clause(t: &[Token], h: &mut Heads) -> bool {
    let n = t.len();
    let Some(end) = (0..n).rev().find(|&i| t[i].upos != "PUNCT") else {
        return false;
    };
    for v in (1..=end).rev() {
        if t[v].upos != "VERB" {
            continue;
        }
        let lemma = t[v].lemma.to_lowercase();
        let form = t[v].form.to_lowercase();
        if !REPORTING.contains(&lemma.as_str()) && !REPORTING.contains(&form.as_str()) {
            continue;
        }
        // Everything after the verb is its own (time, place, manner), with no complement.
        if !(v + 1..=end).all(|k| h.dominates(v, k)) {
            return false;
        }
        if h.children(v).iter().any(|&k| {
            k > v
                && matches!(
                    base(&h.rel[k]),
                    "obj" | "ccomp" | "xcomp" | "iobj" | "csubj"
                )
        }) {
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
                        .find(|&k| k < c && rels.contains(&base(&h.rel[k])))
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
            // a second "subject" there is a misparsed adverbial ("almost five years after …").
            for k in h.children(v) {
                if k < c && k != main {
                    let rel = match base(&h.rel[k]) {
                        "nsubj" => "obl:npmod".to_string(),
                        _ => h.rel[k].clone(),
                    };
                    h.set(k, Some(main), &rel);
                }
            }
        } else {
            for k in h.children(v) {
                if k < c && base(&h.rel[k]) == "nsubj" {
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
                    let rel = h.rel[k].clone();
                    h.set(k, Some(if k > v { v } else { main }), &rel);
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
fn split_subjects(t: &[Token], h: &mut Heads) -> bool {
    let mut changed = false;
    for v in 0..t.len() {
        if !matches!(t[v].upos.as_str(), "VERB" | "AUX" | "ADJ" | "NOUN") {
            continue;
        }
        let subjects: Vec<usize> = h
            .children(v)
            .into_iter()
            .filter(|&k| k < v && base(&h.rel[k]) == "nsubj")
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
        let subj_rel = h.rel[subjects[0]].clone();
        for (j, seg) in segments.iter().enumerate() {
            for &k in seg {
                if k != heads[j] {
                    h.set(k, Some(heads[j]), np_rel(&t[k]));
                }
            }
            if j == 0 {
                h.set(heads[0], Some(v), &subj_rel);
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
    fn reporting_relative_clause_becomes_a_side_clause() {
        // "Rohan freed Gondor, the agency Rna said." with "said" a relative clause of Gondor.
        let t = toks(&[
            ("Rohan", "PROPN", 2, "nsubj"),
            ("freed", "VERB", 0, "root"),
            ("Gondor", "PROPN", 2, "obj"),
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
        assert_eq!(r[2], ("Gondor".into(), 2, "obj".into()));
    }

    #[test]
    fn reporting_root_gives_the_root_to_its_complement() {
        // "Rohan will help, an official said." parsed with "said" the root.
        let t = toks(&[
            ("Rohan", "PROPN", 3, "nsubj"),
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
        // "Rohan and the brave Gondor met" with "brave" mistagged as a second subject.
        let t = toks(&[
            ("Rohan", "PROPN", 6, "nsubj"),
            ("and", "CCONJ", 4, "cc"),
            ("the", "DET", 4, "det"),
            ("brave", "NOUN", 6, "nsubj"),
            ("Gondor", "PROPN", 6, "nsubj"),
            ("met", "VERB", 0, "root"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[0], ("Rohan".into(), 6, "nsubj".into()));
        assert_eq!(r[4], ("Gondor".into(), 1, "conj".into()));
        assert_eq!(r[1], ("and".into(), 5, "cc".into()));
        assert_eq!(r[3], ("brave".into(), 5, "compound".into()));
    }

    #[test]
    fn nominal_root_with_verb_conjunct_is_turned_round() {
        // "Elves, dwarves and Rohan met" with "Elves" the root.
        let t = toks(&[
            ("Elves", "NOUN", 0, "root"),
            (",", "PUNCT", 3, "punct"),
            ("dwarves", "NOUN", 1, "conj"),
            ("and", "CCONJ", 6, "cc"),
            ("Rohan", "PROPN", 6, "nsubj"),
            ("met", "VERB", 1, "conj"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[5], ("met".into(), 0, "root".into()));
        assert_eq!(r[0], ("Elves".into(), 6, "nsubj".into()));
        assert_eq!(r[4], ("Rohan".into(), 1, "conj".into()));
        assert_eq!(r[3], ("and".into(), 5, "cc".into()));
    }

    #[test]
    fn conjunct_of_a_name_part_joins_the_whole_name() {
        let t = toks(&[
            ("Aragorn", "PROPN", 6, "nsubj"),
            ("Elessar", "PROPN", 1, "flat"),
            ("and", "CCONJ", 4, "cc"),
            ("Eomer", "PROPN", 2, "conj"),
            ("King", "PROPN", 4, "flat"),
            ("met", "VERB", 0, "root"),
        ]);
        let r = arcs(&repair(&t));
        assert_eq!(r[3], ("Eomer".into(), 1, "conj".into()));
        assert_eq!(r[1], ("Elessar".into(), 1, "flat".into()));
    }

    #[test]
    fn a_clean_parse_is_left_alone() {
        let t = toks(&[
            ("Rohan", "PROPN", 2, "nsubj"),
            ("met", "VERB", 0, "root"),
            ("Gondor", "PROPN", 2, "obj"),
        ]);
        assert_eq!(arcs(&repair(&t)), arcs(&t));
    }
}
