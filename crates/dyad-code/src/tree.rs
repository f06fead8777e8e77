//! A read-only view of one parsed sentence as a dependency tree (0-based token indices).

use std::borrow::Cow;
use std::cell::RefCell;

use dyad_core::Token;

use crate::coder::Resolved;

pub struct Tree<'a> {
    pub tokens: &'a [Token],
    children: Vec<Vec<usize>>,
    /// Lowercase lemmas, computed once: the coder asks for them many times per token.
    lemmas: Vec<Cow<'a, str>>,
    /// Noun phrases resolved so far, by head token (see `Coder::resolve_np`): a sentence's
    /// arguments are resolved once however many verbs and patterns ask for them.
    pub(crate) np_memo: RefCell<Vec<Option<Option<Resolved>>>>,
}

impl<'a> Tree<'a> {
    pub fn new(tokens: &'a [Token]) -> Self {
        let mut children = vec![Vec::new(); tokens.len()];
        for (i, t) in tokens.iter().enumerate() {
            if let Some(h) = t.head {
                let h = h as usize;
                if h >= 1 && h <= tokens.len() && h - 1 != i {
                    children[h - 1].push(i);
                }
            }
        }
        let lemmas = tokens
            .iter()
            .map(|t| {
                let l = if t.lemma.is_empty() {
                    &t.form
                } else {
                    &t.lemma
                };
                if l.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
                    Cow::Owned(l.to_lowercase())
                } else {
                    Cow::Borrowed(l.as_str())
                }
            })
            .collect();
        Tree {
            tokens,
            children,
            lemmas,
            np_memo: RefCell::new(vec![None; tokens.len()]),
        }
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn head(&self, i: usize) -> Option<usize> {
        match self.tokens[i].head {
            Some(h) if h >= 1 && (h as usize) <= self.tokens.len() && h as usize - 1 != i => {
                Some(h as usize - 1)
            }
            _ => None,
        }
    }

    /// The full relation (`nsubj:pass`).
    pub fn rel(&self, i: usize) -> &str {
        &self.tokens[i].deprel
    }

    /// The universal part of the relation (`nsubj`).
    pub fn base_rel(&self, i: usize) -> &str {
        let r = self.rel(i);
        r.split(':').next().unwrap_or(r)
    }

    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Children whose full relation is `rel` or starts with `rel:`.
    pub fn kids<'s>(&'s self, i: usize, rel: &'s str) -> impl Iterator<Item = usize> + 's {
        self.children[i].iter().copied().filter(move |&c| {
            let r = self.rel(c);
            r == rel || (r.starts_with(rel) && r.as_bytes().get(rel.len()) == Some(&b':'))
        })
    }

    pub fn kid(&self, i: usize, rel: &str) -> Option<usize> {
        self.kids(i, rel).next()
    }

    /// Lowercase lemma (the form when the tagger left no lemma).
    pub fn lemma(&self, i: usize) -> &str {
        &self.lemmas[i]
    }

    pub fn upos(&self, i: usize) -> &str {
        &self.tokens[i].upos
    }

    /// The preposition of a nominal: its `case` child with `fixed` parts ("according to"),
    /// as written in lowercase (lemmatisers disagree on "according").
    pub fn case_of(&self, i: usize) -> Option<String> {
        let c = self.kid(i, "case")?;
        let mut words = vec![self.tokens[c].form.to_lowercase()];
        words.extend(
            self.kids(c, "fixed")
                .map(|f| self.tokens[f].form.to_lowercase()),
        );
        Some(words.join(" "))
    }

    /// The subordinating marker of a clause (`that`, `if`, `for`, `to`).
    pub fn mark_of(&self, i: usize) -> Option<String> {
        self.kid(i, "mark").map(|m| self.lemma(m).to_string())
    }

    /// Indices of `i`'s subtree, in order, leaving out the subtrees of children whose relation
    /// `skip` refuses (at any depth).
    pub fn subtree(&self, i: usize, skip: &dyn Fn(&str) -> bool) -> Vec<usize> {
        let mut out = vec![i];
        let mut stack = vec![i];
        // Bounded by the number of tokens: each index is pushed once (a tree has no cycles,
        // and `children` never lists a token under itself).
        let mut seen = vec![false; self.len()];
        seen[i] = true;
        while let Some(n) = stack.pop() {
            for &c in &self.children[n] {
                if seen[c] || skip(self.rel(c)) {
                    continue;
                }
                seen[c] = true;
                out.push(c);
                stack.push(c);
            }
        }
        out.sort_unstable();
        out
    }

    /// Byte span (in the document text) covered by the given token indices.
    pub fn span(&self, indices: &[usize]) -> (usize, usize) {
        let start = indices
            .iter()
            .map(|&i| self.tokens[i].start)
            .min()
            .unwrap_or(0);
        let end = indices
            .iter()
            .map(|&i| self.tokens[i].end)
            .max()
            .unwrap_or(0);
        (start, end)
    }

    /// The governors of `i` up to the root (bounded by the sentence length).
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = i;
        while let Some(h) = self.head(cur) {
            if out.contains(&h) || out.len() > self.len() {
                break;
            }
            out.push(h);
            cur = h;
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Tokens from compact CoNLL-U-like lines: `form lemma upos head deprel` (whitespace
    /// separated), with offsets computed as if joined by single spaces.
    pub fn sent(lines: &str) -> (String, Vec<Token>) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 5, "bad test line {line}");
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(f[0]);
            tokens.push(Token {
                start,
                end: text.len(),
                form: f[0].to_string(),
                lemma: f[1].to_string(),
                upos: f[2].to_string(),
                head: Some(f[3].parse().unwrap()),
                deprel: f[4].to_string(),
                ..Default::default()
            });
        }
        (text, tokens)
    }

    #[test]
    fn children_case_and_subtree() {
        let (_, toks) = sent(
            "Zarif Zarif PROPN 2 nsubj
             visited visit VERB 0 root
             the the DET 4 det
             capital capital NOUN 2 obj
             of of ADP 6 case
             Syria Syria PROPN 4 nmod",
        );
        let t = Tree::new(&toks);
        assert_eq!(t.kid(1, "nsubj"), Some(0));
        assert_eq!(t.case_of(5).as_deref(), Some("of"));
        assert_eq!(t.subtree(3, &|_| false), vec![2, 3, 4, 5]);
        assert_eq!(t.subtree(3, &|r| r == "nmod"), vec![2, 3]);
        assert_eq!(t.ancestors(4), vec![5, 3, 1]);
    }

    #[test]
    fn cycles_and_bad_heads_do_not_hang() {
        let (_, mut toks) = sent(
            "a a X 2 dep
             b b X 1 dep
             c c X 9 dep",
        );
        toks[2].head = Some(9);
        let t = Tree::new(&toks);
        assert!(t.ancestors(0).len() <= 3);
        assert_eq!(t.head(2), None);
    }
}
