//! Arc-hybrid transition parser (root at the end of the buffer) with a greedy
//! averaged perceptron over Zhang & Nivre (2011)-style feature templates,
//! trained with the Goldberg & Nivre (2013) dynamic oracle and exploration.
//! Labels come from a second perceptron applied when an arc is built (the
//! dependent is complete then, so its children's labels are features).
//! Non-projective training trees are lifted to projective ones.

use crate::conllu::ConlluSentence;
use crate::hash::{f1, f2, f3, hash_str, mix};
use crate::model_io::{ByteReader, ByteWriter, ReadError};
use crate::rng::Rng;
use crate::weights::{argmax, Perceptron, Scorer, Weights};

pub const SHIFT: usize = 0;
pub const LEFT: usize = 1;
pub const RIGHT: usize = 2;
const NONE: u32 = u32::MAX;

const H_NONE: u64 = 0x6e6f_6e65;
const H_ROOT: u64 = 0x726f_6f74;

/// Hashed per-word inputs of the parser.
#[derive(Debug, Clone, Default)]
pub struct ParseInput {
    /// Lowercased form hashes.
    pub words: Vec<u64>,
    /// XPOS hashes.
    pub tags: Vec<u64>,
    /// UPOS hashes.
    pub utags: Vec<u64>,
}

impl ParseInput {
    pub fn len(&self) -> usize {
        self.words.len()
    }
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
    pub fn push(&mut self, lower: u64, xpos: &str, upos: &str) {
        self.words.push(lower);
        self.tags.push(hash_str(xpos));
        self.utags.push(hash_str(upos));
    }
    pub fn clear(&mut self) {
        self.words.clear();
        self.tags.clear();
        self.utags.clear();
    }
}

/// Parser configuration. Words are 0..n; index n is the artificial root,
/// which sits at the end of the buffer.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub n: usize,
    pub stack: Vec<u32>,
    /// Front of the buffer (n = only the root is left).
    pub b: usize,
    pub heads: Vec<u32>,
    pub labels: Vec<u16>,
    lc1: Vec<u32>,
    lc2: Vec<u32>,
    rc1: Vec<u32>,
    rc2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
}

impl State {
    pub fn new(n: usize) -> State {
        let mut s = State::default();
        s.reset(n);
        s
    }

    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.b = 0;
        for v in [
            &mut self.heads,
            &mut self.lc1,
            &mut self.lc2,
            &mut self.rc1,
            &mut self.rc2,
        ] {
            v.clear();
            v.resize(n + 1, NONE);
        }
        self.labels.clear();
        self.labels.resize(n + 1, 0);
        self.nl.clear();
        self.nl.resize(n + 1, 0);
        self.nr.clear();
        self.nr.resize(n + 1, 0);
        self.lset.clear();
        self.lset.resize(n + 1, 0);
        self.rset.clear();
        self.rset.resize(n + 1, 0);
    }

    pub fn is_terminal(&self) -> bool {
        self.b >= self.n && self.stack.is_empty()
    }

    /// Preconditions: SHIFT needs a real word in the buffer; LEFT needs a
    /// stack and, when only the root is left, a single stack item (one root
    /// per sentence); RIGHT needs two stack items.
    pub fn valid(&self, a: usize) -> bool {
        match a {
            SHIFT => self.b < self.n,
            LEFT => !self.stack.is_empty() && (self.b < self.n || self.stack.len() == 1),
            RIGHT => self.stack.len() >= 2,
            _ => false,
        }
    }

    /// The arc (head, dependent) an action would add, if any.
    pub fn arc_of(&self, a: usize) -> Option<(u32, u32)> {
        let s0 = *self.stack.last()?;
        match a {
            LEFT => Some((self.b as u32, s0)),
            RIGHT => Some((self.stack[self.stack.len() - 2], s0)),
            _ => None,
        }
    }

    /// Apply a valid action; arcs get `label`.
    pub fn apply(&mut self, a: usize, label: u16) {
        match a {
            SHIFT => {
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            LEFT | RIGHT => {
                if let Some((h, d)) = self.arc_of(a) {
                    self.stack.pop();
                    self.add_arc(h, d, label);
                }
            }
            _ => {}
        }
    }

    fn add_arc(&mut self, h: u32, d: u32, label: u16) {
        let (hi, di) = (h as usize, d as usize);
        self.heads[di] = h;
        self.labels[di] = label;
        let bit = 1u64 << (label % 64);
        if d < h {
            if self.lc1[hi] == NONE || d < self.lc1[hi] {
                self.lc2[hi] = self.lc1[hi];
                self.lc1[hi] = d;
            } else if self.lc2[hi] == NONE || d < self.lc2[hi] {
                self.lc2[hi] = d;
            }
            self.nl[hi] = self.nl[hi].saturating_add(1);
            self.lset[hi] |= bit;
        } else {
            if self.rc1[hi] == NONE || d > self.rc1[hi] {
                self.rc2[hi] = self.rc1[hi];
                self.rc1[hi] = d;
            } else if self.rc2[hi] == NONE || d > self.rc2[hi] {
                self.rc2[hi] = d;
            }
            self.nr[hi] = self.nr[hi].saturating_add(1);
            self.rset[hi] |= bit;
        }
    }

    fn s(&self, i: usize) -> u32 {
        if self.stack.len() > i {
            self.stack[self.stack.len() - 1 - i]
        } else {
            NONE
        }
    }

    /// Dynamic-oracle cost of a valid action: gold arcs it makes unreachable
    /// (exact for projective gold trees). `gold[i]` is the head of word i,
    /// with n for the root.
    pub fn cost(&self, a: usize, gold: &[u32]) -> u32 {
        let n = self.n as u32;
        let b = self.b as u32;
        match a {
            SHIFT => {
                let len = self.stack.len();
                let mut c = 0;
                for (k, &s) in self.stack.iter().enumerate() {
                    if gold[s as usize] == b {
                        c += 1;
                    }
                    // b's head below s0 on the stack becomes unreachable.
                    if k + 1 < len && gold[b as usize] == s {
                        c += 1;
                    }
                }
                // The root word shifted over other words can no longer reach
                // the root: they sit below it and only the top can be popped.
                if gold[b as usize] == n && len > 0 {
                    c += 1;
                }
                c
            }
            LEFT | RIGHT => {
                let s0 = self.s(0);
                let g = gold[s0 as usize];
                let mut c = 0;
                // Dependents of s0 still in the buffer are lost either way.
                c += gold[self.b..self.n].iter().filter(|&&g| g == s0).count() as u32;
                // The root arc is only reachable while s0 is alone on the stack.
                let reachable = g < n || self.stack.len() == 1;
                if a == LEFT {
                    if g != b && (g == self.s(1) || (g > b && g <= n && reachable)) {
                        c += 1;
                    }
                } else if g >= b && g <= n && reachable {
                    c += 1;
                }
                c
            }
            _ => u32::MAX,
        }
    }
}

/// Distance bucket.
fn dist(a: u32, b: u32) -> u64 {
    let d = a.abs_diff(b);
    match d {
        0..=4 => d as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

#[derive(Clone, Copy)]
struct Node {
    w: u64,
    t: u64,
    u: u64,
    l: u64,
}

const NODE_NONE: Node = Node {
    w: H_NONE,
    t: H_NONE,
    u: H_NONE,
    l: H_NONE,
};

fn node(inp: &ParseInput, st: &State, i: u32) -> Node {
    if i == NONE {
        return NODE_NONE;
    }
    let i = i as usize;
    if i >= inp.len() {
        return Node {
            w: H_ROOT,
            t: H_ROOT,
            u: H_ROOT,
            l: H_NONE,
        };
    }
    Node {
        w: inp.words[i],
        t: inp.tags[i],
        u: inp.utags[i],
        l: if st.heads[i] == NONE {
            H_NONE
        } else {
            st.labels[i] as u64 + 1
        },
    }
}

fn child(v: &[u32], i: u32) -> u32 {
    if i == NONE {
        NONE
    } else {
        v[i as usize]
    }
}

/// Action features of a configuration.
pub fn action_features(inp: &ParseInput, st: &State, out: &mut Vec<u64>) {
    out.clear();
    let n = st.n as u32;
    let (s0i, s1i, s2i) = (st.s(0), st.s(1), st.s(2));
    let b0i = st.b as u32;
    let b1i = if b0i < n { b0i + 1 } else { NONE };
    let b2i = if b0i + 1 < n { b0i + 2 } else { NONE };
    let s0 = node(inp, st, s0i);
    let s1 = node(inp, st, s1i);
    let s2 = node(inp, st, s2i);
    let b0 = node(inp, st, b0i);
    let b1 = node(inp, st, b1i);
    let b2 = node(inp, st, b2i);
    let s0l = node(inp, st, child(&st.lc1, s0i));
    let s0l2 = node(inp, st, child(&st.lc2, s0i));
    let s0r = node(inp, st, child(&st.rc1, s0i));
    let s0r2 = node(inp, st, child(&st.rc2, s0i));
    let b0l = node(inp, st, child(&st.lc1, b0i));
    let b0l2 = node(inp, st, child(&st.lc2, b0i));
    let s1r = node(inp, st, child(&st.rc1, s1i));
    let s1l = node(inp, st, child(&st.lc1, s1i));
    let d = if s0i == NONE { 8 } else { dist(s0i, b0i) };
    let d1 = if s1i == NONE { 8 } else { dist(s1i, s0i) };
    let get = |v: &[u8], i: u32| {
        if i == NONE || i as usize >= v.len() {
            0
        } else {
            v[i as usize] as u64
        }
    };
    let getl = |v: &[u64], i: u32| {
        if i == NONE || i as usize >= v.len() {
            0
        } else {
            v[i as usize]
        }
    };
    let (s0vl, s0vr, b0vl, s1vr) = (
        get(&st.nl, s0i),
        get(&st.nr, s0i),
        get(&st.nl, b0i),
        get(&st.nr, s1i),
    );
    let wt = |x: &Node| mix(x.w, x.t);
    let mut t = 0u64;
    let mut p1 = |out: &mut Vec<u64>, a: u64| {
        t += 1;
        out.push(f1(t, a));
    };
    // Unigrams.
    p1(out, s0.w);
    p1(out, s0.t);
    p1(out, wt(&s0));
    p1(out, s1.w);
    p1(out, s1.t);
    p1(out, wt(&s1));
    p1(out, s2.t);
    p1(out, b0.w);
    p1(out, b0.t);
    p1(out, wt(&b0));
    p1(out, b1.w);
    p1(out, b1.t);
    p1(out, wt(&b1));
    p1(out, b2.w);
    p1(out, b2.t);
    p1(out, s0.u);
    p1(out, b0.u);
    // Children unigrams.
    for x in [&s0l, &s0r, &b0l, &s1r] {
        p1(out, x.w);
        p1(out, x.t);
        p1(out, x.l);
    }
    for x in [&s0l2, &s0r2, &b0l2, &s1l] {
        p1(out, x.t);
        p1(out, x.l);
    }
    let mut t = 100u64;
    let mut p2 = |out: &mut Vec<u64>, a: u64, b: u64| {
        t += 1;
        out.push(f2(t, a, b));
    };
    // Pairs.
    p2(out, wt(&s0), wt(&b0));
    p2(out, wt(&s0), b0.w);
    p2(out, s0.w, wt(&b0));
    p2(out, wt(&s0), b0.t);
    p2(out, s0.t, wt(&b0));
    p2(out, s0.w, b0.w);
    p2(out, s0.t, b0.t);
    p2(out, b0.t, b1.t);
    p2(out, s1.t, s0.t);
    p2(out, s1.w, s0.w);
    p2(out, wt(&s1), s0.t);
    p2(out, s1.t, wt(&s0));
    p2(out, s1.t, b0.t);
    p2(out, s1.w, b0.w);
    p2(out, s0.u, b0.u);
    p2(out, s1.u, s0.u);
    // Distance and valency.
    p2(out, s0.w, d);
    p2(out, s0.t, d);
    p2(out, b0.w, d);
    p2(out, b0.t, d);
    p2(out, mix(s0.w, b0.w), d);
    p2(out, mix(s0.t, b0.t), d);
    p2(out, mix(s1.t, s0.t), d1);
    p2(out, s1.w, d1);
    p2(out, s0.w, s0vr);
    p2(out, s0.t, s0vr);
    p2(out, s0.w, s0vl);
    p2(out, s0.t, s0vl);
    p2(out, b0.w, b0vl);
    p2(out, b0.t, b0vl);
    p2(out, s1.t, s1vr);
    // Label sets.
    p2(out, s0.t, getl(&st.lset, s0i));
    p2(out, s0.t, getl(&st.rset, s0i));
    p2(out, b0.t, getl(&st.lset, b0i));
    p2(out, s1.t, getl(&st.rset, s1i));
    p2(out, s0.w, getl(&st.rset, s0i));
    p2(out, b0.w, getl(&st.lset, b0i));
    let mut t = 200u64;
    let mut p3 = |out: &mut Vec<u64>, a: u64, b: u64, c: u64| {
        t += 1;
        out.push(f3(t, a, b, c));
    };
    // Triples.
    p3(out, b0.t, b1.t, b2.t);
    p3(out, s0.t, b0.t, b1.t);
    p3(out, s1.t, s0.t, b0.t);
    p3(out, s2.t, s1.t, s0.t);
    p3(out, s1.t, s0.t, b1.t);
    p3(out, s0.t, s0l.t, b0.t);
    p3(out, s0.t, s0r.t, b0.t);
    p3(out, s0.t, b0.t, b0l.t);
    p3(out, s1.t, s1r.t, s0.t);
    p3(out, s0.t, s0l.t, s0l2.t);
    p3(out, s0.t, s0r.t, s0r2.t);
    p3(out, b0.t, b0l.t, b0l2.t);
    p3(out, s0.t, s0l.l, b0.t);
    p3(out, s0.t, s0r.l, b0.t);
    p3(out, s1.t, s1r.l, s0.t);
    p3(out, s0.w, b0.t, b1.t);
    p3(out, s0.t, b0.w, b1.t);
    p3(out, s1.w, s0.t, b0.t);
    p3(out, s1.t, s0.w, b0.t);
    p3(out, s1.t, s0.t, b0.w);
    p3(out, s1.u, s0.u, b0.u);
}

/// Label features for the arc head → dep (dep is complete when it is attached).
pub fn label_features(inp: &ParseInput, st: &State, h: u32, d: u32, out: &mut Vec<u64>) {
    out.clear();
    let hn = node(inp, st, h);
    let dn = node(inp, st, d);
    let dir = (h > d) as u64;
    let dd = dist(h, d);
    let dl = node(inp, st, st.lc1[d as usize]);
    let dr = node(inp, st, st.rc1[d as usize]);
    // Nearest sibling on the same side attached before this arc.
    let sib = if h > d {
        node(inp, st, child(&st.lc1, h))
    } else {
        node(inp, st, child(&st.rc1, h))
    };
    let prev = if d == 0 {
        NODE_NONE
    } else {
        node(inp, st, d - 1)
    };
    let next = node(inp, st, if (d as usize) < st.n { d + 1 } else { NONE });
    let di = d as usize;
    let mut t = 1000u64;
    let mut p1 = |out: &mut Vec<u64>, a: u64| {
        t += 1;
        out.push(f1(t, a));
    };
    p1(out, 0);
    p1(out, dn.w);
    p1(out, dn.t);
    p1(out, dn.u);
    p1(out, hn.w);
    p1(out, hn.t);
    p1(out, hn.u);
    p1(out, dl.w);
    p1(out, dl.l);
    p1(out, dr.l);
    p1(out, sib.l);
    p1(out, st.lset[di]);
    p1(out, st.rset[di]);
    let mut t = 1100u64;
    let mut p2 = |out: &mut Vec<u64>, a: u64, b: u64| {
        t += 1;
        out.push(f2(t, a, b));
    };
    p2(out, dn.t, hn.t);
    p2(out, dn.w, hn.t);
    p2(out, dn.t, hn.w);
    p2(out, dn.w, hn.w);
    p2(out, dn.u, hn.u);
    p2(out, mix(dn.t, hn.t), dir);
    p2(out, mix(dn.t, hn.t), dd);
    p2(out, mix(dn.u, hn.u), dir);
    p2(out, dn.w, dir);
    p2(out, dn.t, dl.w);
    p2(out, hn.t, dl.w);
    p2(out, dn.t, dl.t);
    p2(out, dn.t, dr.t);
    p2(out, mix(dn.t, hn.t), sib.l);
    p2(out, mix(dn.t, dir), prev.t);
    p2(out, mix(dn.t, dir), next.t);
    p2(out, mix(dn.t, hn.t), st.lset[di]);
    p2(out, mix(dn.u, dir), hn.w);
    p2(out, mix(dl.w, dn.t), hn.t);
}

/// A trained parser.
#[derive(Clone)]
pub struct Parser {
    pub labels: Vec<String>,
    action: Weights,
    label: Weights,
}

/// Scratch space reused across sentences.
#[derive(Default)]
pub struct ParseScratch {
    state: State,
    feats: Vec<u64>,
    scores: Vec<i32>,
}

impl Parser {
    /// Parse; returns per-word (head, label id) with head 0 = root, else 1-based.
    pub fn parse(&self, inp: &ParseInput, sc: &mut ParseScratch, out: &mut Vec<(u32, u16)>) {
        let n = inp.len();
        sc.state.reset(n);
        out.clear();
        let nl = self.labels.len();
        while !sc.state.is_terminal() {
            let valid = [SHIFT, LEFT, RIGHT].map(|a| sc.state.valid(a));
            // With one valid action (empty stack, or only the root left in
            // the buffer: about a tenth of all transitions on news) the
            // scores cannot change the choice, so they are not computed.
            let mut best = usize::MAX;
            if valid.iter().filter(|&&v| v).count() == 1 {
                best = valid.iter().position(|&v| v).unwrap_or(SHIFT);
            } else {
                action_features(inp, &sc.state, &mut sc.feats);
                let mut s = [0i32; 3];
                self.action.score_i32(&sc.feats, &mut s);
                for a in [SHIFT, LEFT, RIGHT] {
                    if valid[a] && (best == usize::MAX || s[a] > s[best]) {
                        best = a;
                    }
                }
            }
            let mut label = 0u16;
            if let Some((h, d)) = sc.state.arc_of(best) {
                label_features(inp, &sc.state, h, d, &mut sc.feats);
                sc.scores.clear();
                sc.scores.resize(nl, 0);
                self.label.score_i32(&sc.feats, &mut sc.scores);
                label = crate::weights::argmax_i32(&sc.scores) as u16;
            }
            sc.state.apply(best, label);
        }
        for i in 0..n {
            let h = sc.state.heads[i];
            let h = if h as usize >= n { 0 } else { h + 1 };
            out.push((h, sc.state.labels[i]));
        }
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.strings(&self.labels);
        self.action.write(w);
        self.label.write(w);
    }

    pub fn read(r: &mut ByteReader) -> Result<Parser, ReadError> {
        let labels = r.strings()?;
        let action = Weights::read(r)?;
        let label = Weights::read(r)?;
        if action.n_classes() != 3 || label.n_classes() != labels.len() || labels.is_empty() {
            return Err(ReadError(
                "parser weights do not match its label set".into(),
            ));
        }
        Ok(Parser {
            labels,
            action,
            label,
        })
    }

    pub fn n_weight_rows(&self) -> (usize, usize) {
        (self.action.n_rows(), self.label.n_rows())
    }
}

/// Is the tree (heads: 0 = root, else 1-based) projective?
pub fn is_projective(heads: &[u32]) -> bool {
    nonprojective_arcs(heads).is_empty()
}

/// Dependents (0-based) whose arcs cross another arc or span a word not
/// dominated by their head.
pub fn nonprojective_arcs(heads: &[u32]) -> Vec<usize> {
    let n = heads.len();
    let mut out = Vec::new();
    for d in 0..n {
        let h = heads[d] as usize; // 1-based, 0 = root
        if h == 0 {
            continue;
        }
        let h0 = h - 1;
        let (lo, hi) = if h0 < d { (h0, d) } else { (d, h0) };
        for k in lo + 1..hi {
            // Is k dominated by h? Walk up at most n steps (guards cycles).
            let mut x = k;
            let mut dominated = false;
            for _ in 0..=n {
                let hx = heads[x] as usize;
                if hx == 0 {
                    break;
                }
                if hx - 1 == h0 {
                    dominated = true;
                    break;
                }
                x = hx - 1;
            }
            if !dominated {
                out.push(d);
                break;
            }
        }
    }
    out
}

/// Lift non-projective arcs (shortest first) to the head's head until the tree
/// is projective (Nivre & Nilsson 2005, without label encoding).
pub fn projectivize(heads: &[u32]) -> Vec<u32> {
    let mut h = heads.to_vec();
    for _ in 0..heads.len() * heads.len() + 1 {
        let bad = nonprojective_arcs(&h);
        let Some(&d) = bad
            .iter()
            .min_by_key(|&&d| ((h[d] as i64 - 1 - d as i64).abs(), d))
        else {
            break;
        };
        let head = h[d] as usize;
        if head == 0 {
            break;
        }
        h[d] = h[head - 1];
    }
    h
}

/// Options for [`train`].
#[derive(Debug, Clone)]
pub struct ParseTrainOptions {
    pub seed: u64,
    pub epochs: usize,
    /// Probability of following the model's own (possibly wrong) action
    /// after the first epoch (dynamic-oracle exploration).
    pub explore: f64,
    /// Averaged weights below this magnitude are dropped from the model.
    pub prune: f32,
}

impl Default for ParseTrainOptions {
    fn default() -> Self {
        ParseTrainOptions {
            seed: 1,
            epochs: 12,
            explore: 0.9,
            prune: 0.0,
        }
    }
}

/// A training or evaluation sentence: inputs plus gold tree.
pub struct ParseExample {
    pub input: ParseInput,
    /// 0 = root, else 1-based.
    pub heads: Vec<u32>,
    pub labels: Vec<String>,
}

/// Build an example from a CoNLL-U sentence, with tags from `tags` (predicted)
/// or the gold columns when `None`.
pub fn example(s: &ConlluSentence, tags: Option<&[(String, String)]>) -> ParseExample {
    let mut input = ParseInput::default();
    let mut lower = String::new();
    for (i, w) in s.words.iter().enumerate() {
        crate::words::lowercase_into(&w.form, &mut lower);
        let (u, x) = match tags {
            Some(t) => (t[i].0.as_str(), t[i].1.as_str()),
            None => (w.upos.as_str(), w.xpos.as_str()),
        };
        input.push(hash_str(&lower), x, u);
    }
    ParseExample {
        input,
        heads: s.words.iter().map(|w| w.head).collect(),
        labels: s.words.iter().map(|w| w.deprel.clone()).collect(),
    }
}

/// Attachment scores: (UAS, LAS with full labels, LAS on universal labels).
pub fn evaluate(p: &Parser, data: &[ParseExample]) -> (f64, f64, f64) {
    let mut sc = ParseScratch::default();
    let mut out = Vec::new();
    let (mut u, mut l, mut lu, mut n) = (0usize, 0usize, 0usize, 0usize);
    for ex in data {
        p.parse(&ex.input, &mut sc, &mut out);
        for (i, &(h, lab)) in out.iter().enumerate() {
            n += 1;
            if h == ex.heads[i] {
                u += 1;
                let pl = &p.labels[lab as usize];
                let gl = &ex.labels[i];
                l += (pl == gl) as usize;
                lu += (pl.split(':').next() == gl.split(':').next()) as usize;
            }
        }
    }
    let d = n.max(1) as f64;
    (u as f64 / d, l as f64 / d, lu as f64 / d)
}

/// Train a parser; keeps the epoch with the best dev LAS.
pub fn train(
    train: &[ParseExample],
    dev: &[ParseExample],
    opts: &ParseTrainOptions,
    log: &mut dyn FnMut(&str),
) -> Parser {
    let mut labels: Vec<String> = Vec::new();
    let mut label_ids: std::collections::HashMap<String, u16> = Default::default();
    let mut gold: Vec<(Vec<u32>, Vec<u16>)> = Vec::with_capacity(train.len());
    let mut lifted = 0usize;
    for ex in train {
        let n = ex.heads.len() as u32;
        let proj = projectivize(&ex.heads);
        lifted += proj.iter().zip(&ex.heads).filter(|(a, b)| a != b).count();
        // Internal head encoding: 0-based, n = root.
        let heads: Vec<u32> = proj
            .iter()
            .map(|&h| if h == 0 { n } else { h - 1 })
            .collect();
        let labs: Vec<u16> = ex
            .labels
            .iter()
            .map(|l| {
                *label_ids.entry(l.clone()).or_insert_with(|| {
                    labels.push(l.clone());
                    (labels.len() - 1) as u16
                })
            })
            .collect();
        gold.push((heads, labs));
    }
    log(&format!(
        "parser: {} sentences, {} labels, {lifted} arcs lifted to projectivise",
        train.len(),
        labels.len()
    ));
    let nl = labels.len();
    let mut pa = Perceptron::new(3);
    let mut pl = Perceptron::new(nl);
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut st = State::default();
    let mut feats = Vec::new();
    let mut lfeats = Vec::new();
    let mut lscores = vec![0f32; nl];
    let mut best: Option<(f64, Parser)> = None;
    for epoch in 1..=opts.epochs {
        rng.shuffle(&mut order);
        let explore = if epoch > 1 { opts.explore } else { 0.0 };
        for &si in &order {
            let ex = &train[si];
            let (gh, gl) = &gold[si];
            st.reset(ex.heads.len());
            while !st.is_terminal() {
                action_features(&ex.input, &st, &mut feats);
                let mut s = [0f32; 3];
                pa.score(&feats, &mut s);
                let mut pred = usize::MAX;
                let mut costs = [u32::MAX; 3];
                for a in [SHIFT, LEFT, RIGHT] {
                    if st.valid(a) {
                        costs[a] = st.cost(a, gh);
                        if pred == usize::MAX || s[a] > s[pred] {
                            pred = a;
                        }
                    }
                }
                let min = *costs.iter().min().unwrap_or(&0);
                let mut zbest = usize::MAX;
                for a in [SHIFT, LEFT, RIGHT] {
                    if costs[a] == min && (zbest == usize::MAX || s[a] > s[zbest]) {
                        zbest = a;
                    }
                }
                if costs[pred] != min {
                    pa.update(&feats, zbest, pred);
                }
                pa.tick();
                let follow = if costs[pred] == min || rng.next_f64() < explore {
                    pred
                } else {
                    zbest
                };
                let mut label = 0u16;
                if let Some((h, d)) = st.arc_of(follow) {
                    label_features(&ex.input, &st, h, d, &mut lfeats);
                    lscores.iter_mut().for_each(|x| *x = 0.0);
                    pl.score(&lfeats, &mut lscores);
                    let lp = argmax(&lscores);
                    if gh[d as usize] == h {
                        let g = gl[d as usize] as usize;
                        pl.update(&lfeats, g, lp);
                        pl.tick();
                    }
                    label = lp as u16;
                }
                st.apply(follow, label);
            }
        }
        if let Ok(sweep) = std::env::var("DYAD_PRUNE_SWEEP") {
            for th in sweep.split(',').filter_map(|x| x.parse::<f32>().ok()) {
                let p = Parser {
                    labels: labels.clone(),
                    action: pa.freeze(th),
                    label: pl.freeze(th),
                };
                let (u, l, _) = evaluate(&p, dev);
                let mut w = ByteWriter::default();
                p.write(&mut w);
                log(&format!(
                    "  prune {th}: rows {:?} bytes {} dev UAS {:.2} LAS {:.2}",
                    p.n_weight_rows(),
                    w.buf.len(),
                    100.0 * u,
                    100.0 * l
                ));
            }
        }
        let parser = Parser {
            labels: labels.clone(),
            action: pa.freeze(opts.prune),
            label: pl.freeze(opts.prune),
        };
        let (uas, las, lasu) = evaluate(&parser, dev);
        log(&format!(
            "parser epoch {epoch}: dev UAS {:.2}% LAS {:.2}% (universal labels {:.2}%)",
            100.0 * uas,
            100.0 * las,
            100.0 * lasu
        ));
        if best.as_ref().is_none_or(|(b, _)| las > *b) {
            best = Some((las, parser));
        }
    }
    match best {
        Some((_, p)) => p,
        None => Parser {
            labels,
            action: pa.freeze(opts.prune),
            label: pl.freeze(opts.prune),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Internal head encoding (0-based, n = root) from CoNLL-U heads.
    fn internal(heads: &[u32]) -> Vec<u32> {
        let n = heads.len() as u32;
        heads
            .iter()
            .map(|&h| if h == 0 { n } else { h - 1 })
            .collect()
    }

    fn tree_of(st: &State) -> Vec<u32> {
        st.heads[..st.n].to_vec()
    }

    /// Random projective tree over n words (CoNLL-U heads), built by recursive
    /// splitting so every subtree is a contiguous span.
    fn random_projective(n: usize, rng: &mut Rng) -> Vec<u32> {
        fn build(lo: usize, hi: usize, head: u32, heads: &mut [u32], rng: &mut Rng) {
            if lo >= hi {
                return;
            }
            let r = lo + rng.below(hi - lo);
            heads[r] = head;
            // Children spans: split [lo, r) and (r, hi) into chunks, each a subtree of r.
            let mut a = lo;
            while a < r {
                let b = a + 1 + rng.below(r - a);
                build(a, b, r as u32 + 1, heads, rng);
                a = b;
            }
            let mut a = r + 1;
            while a < hi {
                let b = a + 1 + rng.below(hi - a);
                build(a, b, r as u32 + 1, heads, rng);
                a = b;
            }
        }
        let mut heads = vec![0u32; n];
        build(0, n, 0, &mut heads, rng);
        heads
    }

    #[test]
    fn transitions_have_their_pre_and_postconditions() {
        let mut st = State::new(3);
        assert!(st.valid(SHIFT) && !st.valid(LEFT) && !st.valid(RIGHT));
        st.apply(SHIFT, 0);
        assert_eq!((st.stack.clone(), st.b), (vec![0], 1));
        assert!(st.valid(LEFT) && !st.valid(RIGHT));
        st.apply(SHIFT, 0);
        assert!(st.valid(RIGHT));
        // RIGHT: s0 (word 1) gets head s1 (word 0) and is popped.
        st.apply(RIGHT, 7);
        assert_eq!(st.heads[1], 0);
        assert_eq!(st.labels[1], 7);
        assert_eq!(st.stack, vec![0]);
        // LEFT: s0 (word 0) gets head b0 (word 2) and is popped.
        st.apply(LEFT, 3);
        assert_eq!(st.heads[0], 2);
        assert!(st.stack.is_empty());
        st.apply(SHIFT, 0);
        // Only the root is left in the buffer: no SHIFT; LEFT attaches to the root.
        assert!(!st.valid(SHIFT) && st.valid(LEFT));
        st.apply(LEFT, 1);
        assert_eq!(st.heads[2], 3);
        assert!(st.is_terminal());
    }

    #[test]
    fn single_root_is_enforced() {
        let mut st = State::new(2);
        st.apply(SHIFT, 0);
        st.apply(SHIFT, 0);
        // Two items on the stack and only the root in the buffer: LEFT would
        // give a second root, so only RIGHT is allowed.
        assert!(!st.valid(LEFT) && st.valid(RIGHT) && !st.valid(SHIFT));
    }

    #[test]
    fn static_oracle_reproduces_projective_trees() {
        let mut rng = Rng::new(3);
        for n in 1..25 {
            for _ in 0..20 {
                let heads = random_projective(n, &mut rng);
                assert!(is_projective(&heads));
                let gold = internal(&heads);
                let mut st = State::new(n);
                while !st.is_terminal() {
                    // Static oracle: attach s0 when it is complete, else shift.
                    let s0 = st.stack.last().copied();
                    let complete =
                        |d: u32, st: &State| (0..n).all(|k| gold[k] != d || st.heads[k] != NONE);
                    let a = match s0 {
                        Some(s0)
                            if gold[s0 as usize] == st.b as u32
                                && complete(s0, &st)
                                && st.valid(LEFT) =>
                        {
                            LEFT
                        }
                        Some(s0)
                            if st.stack.len() >= 2
                                && gold[s0 as usize] == st.stack[st.stack.len() - 2]
                                && complete(s0, &st) =>
                        {
                            RIGHT
                        }
                        _ => SHIFT,
                    };
                    assert!(st.valid(a), "oracle chose an invalid action for {heads:?}");
                    st.apply(a, 0);
                }
                assert_eq!(tree_of(&st), gold, "tree {heads:?}");
            }
        }
    }

    #[test]
    fn dynamic_oracle_is_zero_on_the_gold_path_and_exact_off_it() {
        let mut rng = Rng::new(11);
        for n in 1..20 {
            for _ in 0..30 {
                let heads = random_projective(n, &mut rng);
                let gold = internal(&heads);
                let mut st = State::new(n);
                let mut lost = 0u32;
                while !st.is_terminal() {
                    let valid: Vec<usize> = [SHIFT, LEFT, RIGHT]
                        .into_iter()
                        .filter(|&a| st.valid(a))
                        .collect();
                    let costs: Vec<u32> = valid.iter().map(|&a| st.cost(a, &gold)).collect();
                    let min = *costs.iter().min().unwrap();
                    if lost == 0 {
                        assert_eq!(min, 0, "no zero-cost action on the gold path of {heads:?}");
                    }
                    // Sometimes take a costly action; the final loss must grow by its cost.
                    let k = if rng.next_f64() < 0.2 {
                        rng.below(valid.len())
                    } else {
                        costs.iter().position(|&c| c == min).unwrap()
                    };
                    lost += costs[k] - min;
                    st.apply(valid[k], 0);
                }
                let wrong = tree_of(&st)
                    .iter()
                    .zip(&gold)
                    .filter(|(a, b)| a != b)
                    .count() as u32;
                assert_eq!(wrong, lost, "tree {heads:?}");
            }
        }
    }

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // Word 2 depends on word 5 across word 3's arc to the root's child 4.
        let heads = vec![0, 5, 4, 1, 1];
        assert!(!is_projective(&heads));
        let p = projectivize(&heads);
        assert!(is_projective(&p));
        assert_eq!(p[0], 0);
        let mut rng = Rng::new(5);
        let h = random_projective(12, &mut rng);
        assert_eq!(projectivize(&h), h);
    }

    #[test]
    fn features_are_deterministic_and_distinguish_configurations() {
        let mut inp = ParseInput::default();
        for (w, x, u) in [
            ("the", "DT", "DET"),
            ("cat", "NN", "NOUN"),
            ("slept", "VBD", "VERB"),
        ] {
            inp.push(hash_str(w), x, u);
        }
        let mut st = State::new(3);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        action_features(&inp, &st, &mut a);
        action_features(&inp, &st, &mut b);
        assert_eq!(a, b);
        st.apply(SHIFT, 0);
        action_features(&inp, &st, &mut b);
        assert_eq!(a.len(), b.len());
        assert_ne!(a, b);
        label_features(&inp, &st, 1, 0, &mut a);
        label_features(&inp, &st, 2, 0, &mut b);
        assert_ne!(a, b);
    }
}
