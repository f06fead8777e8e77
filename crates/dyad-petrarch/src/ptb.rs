//! Penn Treebank constituency trees → UD dependencies (tokens with upos, xpos, lemma, head,
//! deprel), with compact head rules: content words head (the noun of a prepositional phrase,
//! the main verb of a verb group, the predicate of a copula), and the relations the coder
//! reads: nsubj(:pass), obj, iobj, obl, nmod(:poss), amod, compound(:prt), nummod, det, case,
//! mark, aux(:pass), cop, advmod, xcomp, ccomp, advcl, acl(:relcl), appos, conj, cc, punct.

use dyad_core::Token;

use crate::lemma::lemma;

#[derive(Debug, Clone)]
enum Node {
    Leaf {
        tag: String,
        word: String,
        index: usize,
    },
    Phrase {
        label: String,
        tmp: bool,
        kids: Vec<Node>,
    },
}

impl Node {
    fn label(&self) -> &str {
        match self {
            Node::Leaf { tag, .. } => tag,
            Node::Phrase { label, .. } => label,
        }
    }
}

fn lex(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' | ')' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(ch.to_string());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unescape_word(w: &str) -> String {
    match w {
        "-LRB-" | "-LCB-" | "-LSB-" => "(".into(),
        "-RRB-" | "-RCB-" | "-RSB-" => ")".into(),
        "``" | "''" => "\"".into(),
        _ => w.replace("\\/", "/").replace("\\*", "*"),
    }
}

struct Reader {
    toks: Vec<String>,
    pos: usize,
    words: Vec<(String, String)>,
}

impl Reader {
    fn node(&mut self) -> Result<Option<Node>, String> {
        if self.toks.get(self.pos).map(String::as_str) != Some("(") {
            return Err(format!("expected '(' at token {}", self.pos + 1));
        }
        self.pos += 1;
        let label = match self.toks.get(self.pos).map(String::as_str) {
            Some("(") => String::new(),
            Some(")") => {
                self.pos += 1;
                return Ok(None);
            }
            Some(l) => {
                self.pos += 1;
                l.to_string()
            }
            None => return Err("tree ends after '('".into()),
        };
        // Preterminal: (TAG word)
        if let (Some(w), Some(close)) = (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
            if w != "(" && w != ")" && close == ")" {
                let word = w.clone();
                self.pos += 2;
                if label == "-NONE-" {
                    return Ok(None);
                }
                let index = self.words.len();
                self.words.push((unescape_word(&word), label.clone()));
                return Ok(Some(Node::Leaf {
                    tag: label,
                    word,
                    index,
                }));
            }
        }
        let mut kids = Vec::new();
        loop {
            match self.toks.get(self.pos).map(String::as_str) {
                Some(")") => {
                    self.pos += 1;
                    break;
                }
                Some("(") => {
                    if let Some(n) = self.node()? {
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
        // NP-SBJ-1 → NP (the -TMP function tag is kept as a flag); -LRB- style labels stay.
        let tmp = label.contains("-TMP");
        let base = if label.starts_with('-') {
            label.clone()
        } else {
            label.split(['-', '=']).next().unwrap_or("").to_string()
        };
        Ok(Some(Node::Phrase {
            label: base,
            tmp,
            kids,
        }))
    }
}

/// Tokens of a PTB tree (forms, xpos, upos, lemma, 1-based heads, deprels), and the sentence
/// text (forms joined by spaces; offsets point into it).
pub fn ptb_to_tokens(ptb: &str) -> Result<(String, Vec<Token>), String> {
    let mut r = Reader {
        toks: lex(ptb),
        pos: 0,
        words: Vec::new(),
    };
    if r.toks.is_empty() {
        return Err("empty parse".into());
    }
    let root = r.node()?.ok_or("parse has no words")?;
    if r.pos != r.toks.len() {
        return Err(format!(
            "text after the tree: '{}'",
            r.toks[r.pos..].join(" ")
        ));
    }
    let n = r.words.len();
    let mut c = Conv {
        head: vec![0; n],
        rel: vec![String::new(); n],
        xpos: r.words.iter().map(|w| w.1.clone()).collect(),
        lemma: r.words.iter().map(|(w, t)| lemma(w, t)).collect(),
    };
    let h = c.walk(&root);
    c.head[h] = 0;
    c.rel[h] = "root".into();
    c.passives();
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(n);
    for (i, (form, xpos)) in r.words.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(form);
        tokens.push(Token {
            start,
            end: text.len(),
            form: form.clone(),
            lemma: c.lemma[i].clone(),
            upos: upos(xpos, &c.rel[i], &c.lemma[i]).to_string(),
            xpos: xpos.clone(),
            head: Some(c.head[i]),
            deprel: c.rel[i].clone(),
            ..Default::default()
        });
    }
    Ok((text, tokens))
}

fn upos(xpos: &str, rel: &str, lemma: &str) -> &'static str {
    if matches!(rel, "aux" | "aux:pass" | "cop") {
        return "AUX";
    }
    match xpos {
        "NN" | "NNS" => "NOUN",
        "NNP" | "NNPS" => "PROPN",
        "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" => {
            if lemma == "be" && rel != "root" {
                "AUX"
            } else {
                "VERB"
            }
        }
        "MD" => "AUX",
        "JJ" | "JJR" | "JJS" => "ADJ",
        "RB" | "RBR" | "RBS" | "WRB" => {
            if lemma == "not" {
                "PART"
            } else {
                "ADV"
            }
        }
        "RP" => "ADP",
        "IN" => {
            if rel == "mark" {
                "SCONJ"
            } else {
                "ADP"
            }
        }
        "TO" => {
            if rel == "case" {
                "ADP"
            } else {
                "PART"
            }
        }
        "DT" | "PDT" | "WDT" => "DET",
        "PRP" | "PRP$" | "WP" | "WP$" | "EX" => "PRON",
        "CD" => "NUM",
        "CC" => "CCONJ",
        "POS" => "PART",
        "UH" => "INTJ",
        "SYM" | "$" | "#" => "SYM",
        "FW" | "LS" => "X",
        _ => "PUNCT",
    }
}

fn is_punct_tag(t: &str) -> bool {
    matches!(
        t,
        "." | "," | ":" | "``" | "''" | "-LRB-" | "-RRB-" | "-NONE-" | "HYPH" | "NFP"
    )
}

fn is_verb_tag(t: &str) -> bool {
    matches!(t, "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" | "MD")
}

fn is_noun_tag(t: &str) -> bool {
    matches!(
        t,
        "NN" | "NNS" | "NNP" | "NNPS" | "PRP" | "NX" | "NP" | "WP" | "EX" | "FW"
    )
}

const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "week",
    "month",
    "year",
    "day",
    "morning",
    "evening",
    "night",
    "weekend",
    "tonight",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

struct Conv {
    head: Vec<u32>,
    rel: Vec<String>,
    xpos: Vec<String>,
    lemma: Vec<String>,
}

impl Conv {
    fn attach(&mut self, dep: usize, head: usize, rel: &str) {
        self.head[dep] = head as u32 + 1;
        self.rel[dep] = rel.to_string();
    }

    /// Convert a subtree; returns its head token index.
    fn walk(&mut self, node: &Node) -> usize {
        let (label, kids) = match node {
            Node::Leaf { index, .. } => return *index,
            Node::Phrase { label, kids, .. } => (label.as_str(), kids),
        };
        let heads: Vec<usize> = kids.iter().map(|k| self.walk(k)).collect();
        let labels: Vec<&str> = kids.iter().map(Node::label).collect();
        if let Some(h) = self.flat_coordination(label, &labels, &heads) {
            return h;
        }
        let h = self.head_child(label, kids, &labels, &heads);
        let ht = heads[h];
        let has_cc = labels.iter().any(|l| matches!(*l, "CC" | "CONJP"));
        for (i, kid) in kids.iter().enumerate() {
            if i == h {
                continue;
            }
            let rel = self.relation(label, kids, &labels, &heads, h, i, has_cc, kid);
            let dep = heads[i];
            self.attach(dep, ht, &rel);
        }
        ht
    }

    /// "(NP (NNP A) (, ,) (NNP B) (CC and) (NNP C))": words only, split at commas and the
    /// conjunction into conjuncts; the first conjunct heads, the others are `conj`. Returns the
    /// head, or `None` when the phrase is not such a list.
    fn flat_coordination(
        &mut self,
        label: &str,
        labels: &[&str],
        heads: &[usize],
    ) -> Option<usize> {
        if !matches!(label, "NP" | "NML" | "NX") || !labels.contains(&"CC") {
            return None;
        }
        if labels
            .iter()
            .any(|l| matches!(*l, "NP" | "PP" | "SBAR" | "VP" | "S" | "NML"))
        {
            return None;
        }
        let mut groups: Vec<Vec<usize>> = vec![Vec::new()];
        let mut seps: Vec<(usize, &str)> = Vec::new();
        for (i, l) in labels.iter().enumerate() {
            if matches!(*l, "CC" | "," | ":") {
                seps.push((i, l));
                groups.push(Vec::new());
            } else {
                groups.last_mut().expect("starts non-empty").push(i);
            }
        }
        groups.retain(|g| !g.is_empty());
        // Each conjunct needs a noun: "peace and security talks" is one phrase.
        let noun_head = |g: &Vec<usize>| g.iter().rev().copied().find(|&i| is_noun_tag(labels[i]));
        if groups.len() < 2 || groups.iter().any(|g| noun_head(g).is_none()) {
            return None;
        }
        let mut conj_heads = Vec::new();
        for g in &groups {
            let gh = noun_head(g).expect("checked");
            for &i in g {
                if i == gh {
                    continue;
                }
                let rel = match labels[i] {
                    "DT" | "PDT" => "det",
                    "PRP$" => "nmod:poss",
                    "CD" => "nummod",
                    l if l.starts_with("JJ") => "amod",
                    l if is_noun_tag(l) => "compound",
                    _ => "dep",
                };
                self.attach(heads[i], heads[gh], rel);
            }
            conj_heads.push(heads[gh]);
        }
        let head = conj_heads[0];
        for &c in &conj_heads[1..] {
            self.attach(c, head, "conj");
        }
        for (i, l) in seps {
            self.attach(heads[i], head, if l == "CC" { "cc" } else { "punct" });
        }
        Some(head)
    }

    fn is_aux_verb(&self, tok: usize) -> bool {
        matches!(
            self.lemma[tok].as_str(),
            "be" | "have"
                | "do"
                | "will"
                | "would"
                | "can"
                | "could"
                | "may"
                | "might"
                | "shall"
                | "should"
                | "must"
                | "get"
        ) || self.xpos[tok] == "MD"
            || self.xpos[tok] == "TO"
    }

    fn head_child(&self, label: &str, kids: &[Node], labels: &[&str], heads: &[usize]) -> usize {
        let first = |pred: &dyn Fn(&str) -> bool| labels.iter().position(|l| pred(l));
        let last = |pred: &dyn Fn(&str) -> bool| labels.iter().rposition(|l| pred(l));
        let non_punct = first(&|l| !is_punct_tag(l)).unwrap_or(0);
        match label {
            "S" | "SQ" | "SINV" | "" | "ROOT" | "S1" => first(&|l| l == "VP")
                .or_else(|| first(&|l| matches!(l, "S" | "SINV" | "SQ" | "SBAR")))
                .or_else(|| first(&|l| matches!(l, "ADJP" | "NP" | "FRAG")))
                .unwrap_or(non_punct),
            "SBAR" | "SBARQ" => {
                first(&|l| matches!(l, "S" | "SQ" | "SINV" | "SBAR" | "FRAG")).unwrap_or(non_punct)
            }
            "VP" => {
                let verb = first(&|l| is_verb_tag(l) || l == "TO");
                let vp = first(&|l| l == "VP");
                match (verb, vp) {
                    (Some(v), Some(p)) if v < p && self.is_aux_verb(heads[v]) => p,
                    (Some(v), _) => {
                        // Copula: "be" with a predicate and no verb phrase.
                        if self.lemma[heads[v]] == "be" && vp.is_none() {
                            if let Some(pred) = labels
                                .iter()
                                .enumerate()
                                .skip(v + 1)
                                .find(|(_, l)| matches!(**l, "NP" | "ADJP"))
                                .map(|(i, _)| i)
                            {
                                return pred;
                            }
                        }
                        v
                    }
                    (None, Some(p)) => p,
                    (None, None) => {
                        first(&|l| matches!(l, "S" | "SBAR" | "ADJP" | "NP")).unwrap_or(non_punct)
                    }
                }
            }
            "NP" | "NX" | "NML" | "WHNP" => {
                let np_kids: Vec<usize> = (0..kids.len())
                    .filter(|&i| matches!(labels[i], "NP" | "NML" | "NX"))
                    .collect();
                let coordinated = labels.iter().any(|l| matches!(*l, "CC" | "CONJP"));
                if coordinated && np_kids.len() >= 2 {
                    return np_kids[0];
                }
                if labels[0] == "NP" && kids.len() > 1 {
                    let rest_ok = labels[1..].iter().all(|l| {
                        matches!(
                            *l,
                            "PP" | "SBAR"
                                | "VP"
                                | "RRC"
                                | "NP"
                                | "PRN"
                                | "ADJP"
                                | "ADVP"
                                | "S"
                                | "QP"
                        ) || is_punct_tag(l)
                    });
                    if rest_ok {
                        return 0;
                    }
                }
                let stop = labels
                    .iter()
                    .position(|l| {
                        matches!(*l, "PP" | "SBAR" | "VP" | "RRC" | "," | "S" | "PRN" | ":")
                    })
                    .unwrap_or(kids.len());
                let window = &labels[..stop.max(1)];
                window
                    .iter()
                    .rposition(|l| is_noun_tag(l) || matches!(*l, "NML" | "WDT"))
                    .or_else(|| window.iter().rposition(|l| matches!(*l, "CD" | "QP")))
                    .or_else(|| {
                        window.iter().rposition(|l| {
                            matches!(*l, "JJ" | "JJS" | "JJR" | "ADJP" | "VBG" | "DT" | "RB")
                        })
                    })
                    .or_else(|| last(&|l| !is_punct_tag(l) && l != "POS"))
                    .unwrap_or(0)
            }
            "PP" | "WHPP" => first(&|l| {
                matches!(
                    l,
                    "NP" | "S" | "SBAR" | "ADJP" | "WHNP" | "ADVP" | "PP" | "SQ"
                )
            })
            .filter(|&i| i > 0)
            .unwrap_or(non_punct),
            "ADJP" | "WHADJP" => last(&|l| l.starts_with("JJ"))
                .or_else(|| first(&|l| l == "ADJP"))
                .unwrap_or(non_punct),
            "ADVP" | "WHADVP" => last(&|l| l.starts_with("RB") || l == "WRB").unwrap_or(non_punct),
            "QP" => last(&|l| l == "CD").unwrap_or(non_punct),
            "PRT" => first(&|l| l == "RP").unwrap_or(non_punct),
            "UCP" | "FRAG" | "X" | "PRN" | "CONJP" | "INTJ" | "LST" | "RRC" => {
                first(&|l| matches!(l, "VP" | "S" | "NP")).unwrap_or(non_punct)
            }
            _ => non_punct,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn relation(
        &self,
        label: &str,
        kids: &[Node],
        labels: &[&str],
        heads: &[usize],
        h: usize,
        i: usize,
        has_cc: bool,
        kid: &Node,
    ) -> String {
        let l = labels[i];
        let before = i < h;
        let ht = heads[h];
        let dt = heads[i];
        if is_punct_tag(l) {
            return "punct".into();
        }
        if matches!(l, "CC" | "CONJP") {
            return "cc".into();
        }
        let same_kind = |a: &str, b: &str| {
            let k = |x: &str| match x {
                "NP" | "NML" | "NX" | "NN" | "NNS" | "NNP" | "NNPS" | "PRP" => "N",
                "VP" => "V",
                "S" | "SINV" | "SQ" | "SBAR" => "S",
                "ADJP" | "JJ" => "A",
                "PP" => "P",
                _ => "?",
            };
            k(a) == k(b) && k(a) != "?"
        };
        if has_cc && !before && same_kind(l, labels[h]) && label != "PP" {
            return "conj".into();
        }
        let tmp = matches!(kid, Node::Phrase { tmp: true, .. })
            || (l == "NP" && TIME_WORDS.contains(&self.lemma[dt].to_lowercase().as_str()));
        match label {
            "S" | "SQ" | "SINV" | "" | "ROOT" | "S1" => match l {
                "NP" if tmp => "obl:tmod".into(),
                "NP" if before => "nsubj".into(),
                "NP" => "obj".into(),
                "S" | "SBAR" | "SINV" if before => "ccomp".into(),
                "S" | "SBAR" => "advcl".into(),
                "PP" => "obl".into(),
                "ADVP" | "RB" => "advmod".into(),
                "VP" => "conj".into(),
                "MD" => "aux".into(),
                _ => "dep".into(),
            },
            "VP" => {
                if before && (is_verb_tag(l) || l == "TO") {
                    if l == "TO" {
                        return "mark".into();
                    }
                    if self.lemma[dt] == "be" && !is_verb_tag(&self.xpos[ht]) {
                        return "cop".into();
                    }
                    return "aux".into();
                }
                match l {
                    "NP" if tmp => "obl:tmod".into(),
                    "NP" => {
                        // Two objects: the first is the indirect one.
                        let later_np = labels[i + 1..].contains(&"NP");
                        if later_np && !before {
                            "iobj".into()
                        } else if before {
                            "nsubj".into()
                        } else {
                            "obj".into()
                        }
                    }
                    "PP" => "obl".into(),
                    "PRT" | "RP" => "compound:prt".into(),
                    "S" => {
                        let has_subject = matches!(&kids[i], Node::Phrase { kids: k, .. } if k.iter().any(|x| x.label() == "NP"));
                        if has_subject {
                            "ccomp".into()
                        } else {
                            "xcomp".into()
                        }
                    }
                    "SBAR" => {
                        let mark = self.mark_word(&kids[i]);
                        match mark.as_deref() {
                            None | Some("that" | "whether") => "ccomp".into(),
                            _ => "advcl".into(),
                        }
                    }
                    "ADVP" | "RB" | "WHADVP" => "advmod".into(),
                    "ADJP" | "JJ" => "xcomp".into(),
                    "MD" => "aux".into(),
                    // "help win": a bare verb phrase after the verb is its complement.
                    "VP" if !has_cc => "xcomp".into(),
                    "VP" => "conj".into(),
                    "IN" => "mark".into(),
                    _ => "dep".into(),
                }
            }
            "NP" | "NX" | "NML" | "WHNP" => match l {
                "DT" | "PDT" | "WDT" => "det".into(),
                "PRP$" | "WP$" => "nmod:poss".into(),
                "POS" => "case".into(),
                "NP" | "NML" if self.ends_with_pos(&kids[i]) => "nmod:poss".into(),
                "JJ" | "JJR" | "JJS" | "ADJP" | "VBN" | "VBG" if before => "amod".into(),
                "NN" | "NNS" | "NNP" | "NNPS" | "NML" | "NX" | "NP" | "FW" if before => {
                    "compound".into()
                }
                "CD" | "QP" => "nummod".into(),
                "PP" => "nmod".into(),
                "SBAR" => {
                    if self.has_wh(&kids[i]) {
                        "acl:relcl".into()
                    } else {
                        "acl".into()
                    }
                }
                "RRC" => "acl:relcl".into(),
                "VP" | "S" => "acl".into(),
                "NP" | "PRN" | "NNP" | "NN" => "appos".into(),
                "ADVP" | "RB" => "advmod".into(),
                _ => "dep".into(),
            },
            "PP" | "WHPP" => match l {
                "IN" | "TO" | "RB" | "JJ" | "VBG" | "VBN" if before => {
                    if matches!(labels[h], "S" | "SBAR" | "SQ") {
                        "mark".into()
                    } else {
                        "case".into()
                    }
                }
                _ => "dep".into(),
            },
            "SBAR" | "SBARQ" => match l {
                "IN" | "DT" | "TO" => "mark".into(),
                "WHNP" => {
                    let subj = matches!(&kids[h], Node::Phrase { kids: k, .. } if k.iter().any(|x| x.label() == "NP"));
                    if subj {
                        "obj".into()
                    } else {
                        "nsubj".into()
                    }
                }
                "WHADVP" => "advmod".into(),
                "WHPP" => "obl".into(),
                _ => "dep".into(),
            },
            "ADJP" | "ADVP" | "WHADJP" | "WHADVP" | "QP" => match l {
                "RB" | "ADVP" | "RBR" | "RBS" => "advmod".into(),
                "PP" => "obl".into(),
                "S" | "SBAR" => "ccomp".into(),
                "CD" => "compound".into(),
                "DT" => "det".into(),
                _ => "dep".into(),
            },
            _ => "dep".into(),
        }
    }

    fn mark_word(&self, n: &Node) -> Option<String> {
        match n {
            Node::Phrase { kids, .. } => kids.iter().find_map(|k| match k {
                Node::Leaf { tag, word, .. } if matches!(tag.as_str(), "IN" | "DT") => {
                    Some(word.to_lowercase())
                }
                _ => None,
            }),
            Node::Leaf { .. } => None,
        }
    }

    fn has_wh(&self, n: &Node) -> bool {
        matches!(n, Node::Phrase { kids, .. } if kids.iter().any(|k| k.label().starts_with("WH")))
    }

    fn ends_with_pos(&self, n: &Node) -> bool {
        matches!(n, Node::Phrase { kids, .. } if kids.last().is_some_and(|k| k.label() == "POS"))
    }

    /// A past participle with a "be"/"get" auxiliary is passive: relabel its auxiliary and
    /// subject.
    fn passives(&mut self) {
        let n = self.head.len();
        for v in 0..n {
            if self.xpos[v] != "VBN" {
                continue;
            }
            let aux: Vec<usize> = (0..n)
                .filter(|&d| {
                    self.head[d] as usize == v + 1
                        && self.rel[d] == "aux"
                        && matches!(self.lemma[d].as_str(), "be" | "get")
                })
                .collect();
            // "has been attacked": the last be-auxiliary makes it passive.
            if let Some(&a) = aux.last() {
                self.rel[a] = "aux:pass".into();
                for d in 0..n {
                    if self.head[d] as usize == v + 1 && self.rel[d] == "nsubj" {
                        self.rel[d] = "nsubj:pass".into();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(tokens: &[Token], form: &str) -> (String, String) {
        let t = tokens.iter().find(|t| t.form == form).unwrap();
        let head = match t.head {
            Some(0) | None => "ROOT".to_string(),
            Some(h) => tokens[h as usize - 1].form.clone(),
        };
        (t.deprel.clone(), head)
    }

    #[test]
    fn simple_clause() {
        let (text, toks) = ptb_to_tokens(
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (PP (IN with) (NP (NNP Kestria))) (PP (IN on) (NP (NNP Tuesday)))) (. .)))",
        )
        .unwrap();
        assert_eq!(text, "Oskara met with Kestria on Tuesday .");
        assert_eq!(rel(&toks, "Oskara"), ("nsubj".into(), "met".into()));
        assert_eq!(rel(&toks, "met"), ("root".into(), "ROOT".into()));
        assert_eq!(rel(&toks, "Kestria"), ("obl".into(), "met".into()));
        assert_eq!(rel(&toks, "with"), ("case".into(), "Kestria".into()));
        assert_eq!(rel(&toks, "."), ("punct".into(), "met".into()));
        assert_eq!(toks[1].lemma, "meet");
        assert_eq!(toks[1].upos, "VERB");
    }

    #[test]
    fn auxiliaries_objects_possessives_and_passive() {
        let (_, toks) = ptb_to_tokens(
            "(ROOT (S (NP (NP (NNP Kestria) (POS 's)) (NN envoy)) (VP (VBZ has) (VP (VBN restored) (NP (JJ full) (NNS ties)) (PP (IN with) (NP (NNP Oskara))))) (. .)))",
        )
        .unwrap();
        assert_eq!(rel(&toks, "restored").0, "root");
        assert_eq!(rel(&toks, "has"), ("aux".into(), "restored".into()));
        assert_eq!(rel(&toks, "envoy"), ("nsubj".into(), "restored".into()));
        assert_eq!(rel(&toks, "Kestria"), ("nmod:poss".into(), "envoy".into()));
        assert_eq!(rel(&toks, "'s"), ("case".into(), "Kestria".into()));
        assert_eq!(rel(&toks, "ties"), ("obj".into(), "restored".into()));
        assert_eq!(rel(&toks, "full"), ("amod".into(), "ties".into()));
        let (_, toks) = ptb_to_tokens(
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD was) (VP (VBN attacked) (PP (IN by) (NP (NNP Kestria))))) (. .)))",
        )
        .unwrap();
        assert_eq!(
            rel(&toks, "Oskara"),
            ("nsubj:pass".into(), "attacked".into())
        );
        assert_eq!(rel(&toks, "was"), ("aux:pass".into(), "attacked".into()));
        assert_eq!(rel(&toks, "Kestria"), ("obl".into(), "attacked".into()));
    }

    #[test]
    fn coordination_particles_and_complements() {
        let (_, toks) = ptb_to_tokens(
            "(ROOT (S (NP (NP (NNP Oskara)) (CC and) (NP (NNP Kestria))) (VP (VBD carried) (PRT (RP out)) (NP (DT a) (NN raid))) (. .)))",
        )
        .unwrap();
        assert_eq!(rel(&toks, "Kestria"), ("conj".into(), "Oskara".into()));
        assert_eq!(rel(&toks, "out"), ("compound:prt".into(), "carried".into()));
        let (_, toks) = ptb_to_tokens(
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD asked) (NP (NNP Kestria)) (S (VP (TO to) (VP (VB withdraw))))) (. .)))",
        )
        .unwrap();
        assert_eq!(rel(&toks, "withdraw"), ("xcomp".into(), "asked".into()));
        assert_eq!(rel(&toks, "to"), ("mark".into(), "withdraw".into()));
        assert_eq!(rel(&toks, "Kestria"), ("obj".into(), "asked".into()));
    }

    #[test]
    fn flat_noun_lists_are_coordinated() {
        let (_, toks) = ptb_to_tokens(
            "(ROOT (S (NP (NNP Oskara)) (VP (VBD met) (NP (NNP Kestria) (, ,) (NNP Dale) (CC and) (DT the) (NNP Fenmoor))) (. .)))",
        )
        .unwrap();
        assert_eq!(rel(&toks, "Kestria"), ("obj".into(), "met".into()));
        assert_eq!(rel(&toks, "Dale"), ("conj".into(), "Kestria".into()));
        assert_eq!(rel(&toks, "Fenmoor"), ("conj".into(), "Kestria".into()));
        assert_eq!(rel(&toks, "the"), ("det".into(), "Fenmoor".into()));
        assert_eq!(rel(&toks, "and"), ("cc".into(), "Kestria".into()));
    }

    #[test]
    fn bad_trees_are_errors() {
        assert!(ptb_to_tokens("(ROOT (S (NP (NNP Oskara))").is_err());
        assert!(ptb_to_tokens("").is_err());
        assert!(ptb_to_tokens("(ROOT (S x (NP (NNP A))))").is_err());
    }
}
