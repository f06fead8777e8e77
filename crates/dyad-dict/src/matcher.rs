//! Longest-match phrase matcher over token sequences.
//!
//! Dictionary phrases are tokenised like the text and interned into a vocabulary of lowercase
//! token ids; a trie keyed by `(node, token id)` maps them to hits. A text token offers up to three
//! ids (its lowercase form, its lemma, and a singular guess for plurals), so "foreign ministers"
//! matches the term "foreign minister" before a lemmatizer has run. Possessive `'s` after a
//! match is consumed and flagged.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use dyad_core::Token;

/// FxHash-style hasher: the keys are small integers, so SipHash's DoS resistance buys nothing.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// What a matched phrase is, with the index of its entry. The variant order is the priority
/// when one phrase has several meanings: an explicit "never an actor" first, then named actors,
/// capitals, adjectives, agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hit {
    /// `name:` phrase of discards.txt (index into discards).
    NotActor(u32),
    /// A name or alias of an actor block (index into actors).
    Actor(u32),
    /// A `capital:` name (index into actors).
    Capital(u32),
    /// An `adjective:` name (index into actors).
    Adjective(u32),
    /// An agent term (index into agents).
    Agent(u32),
    /// A sentence discard phrase (index into discards).
    Discard(u32),
}

#[derive(Debug, Clone)]
struct NodeHit {
    hit: Hit,
    /// Short all-capital acronyms (`US`, `WHO`, `IS`) only match text written the same way.
    exact_form: Option<Box<str>>,
    /// Names written with capitals (`Turkey`, `Chad`) do not match all-lowercase text
    /// ("roast turkey"); agent terms and lowercase names match in any case.
    needs_capital: bool,
}

/// Lowercase and fold typographic apostrophes, so `Iran’s` and `Iran's` agree.
pub(crate) fn normalize(form: &str) -> Cow<'_, str> {
    const QUOTES: [char; 3] = ['\u{2019}', '\u{2018}', '\u{02bc}'];
    let plain = form
        .chars()
        .all(|c| !c.is_uppercase() && !QUOTES.contains(&c));
    if plain {
        return Cow::Borrowed(form);
    }
    let mut s = form.to_lowercase();
    if s.contains(QUOTES) {
        s = s.replace(QUOTES, "'");
    }
    Cow::Owned(s)
}

/// Whether a (normalised) token is a possessive marker.
fn is_possessive(norm: &str) -> bool {
    norm == "'s" || norm == "'"
}

/// A singular guess for an English plural noun; `None` when the word does not look plural.
pub(crate) fn singular(w: &str) -> Option<String> {
    if w.len() <= 3 || !w.is_ascii() {
        return None;
    }
    if let Some(stem) = w.strip_suffix("men") {
        return Some(format!("{stem}man"));
    }
    if w == "people" {
        return Some("person".into());
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for suf in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(suf) {
            return Some(w[..w.len() - 2].to_string());
        }
    }
    if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return None;
    }
    w.strip_suffix('s').map(str::to_string)
}

/// A text token prepared for matching.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    ids: [u32; 3],
    n: u8,
    possessive: bool,
}

const NONE: u32 = u32::MAX;

/// A phrase found in a token sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Token index of the first word.
    pub start: usize,
    /// Token index after the last word (a following possessive `'s` is not included).
    pub end: usize,
    /// Followed by possessive `'s`.
    pub possessive: bool,
    /// Meanings of the phrase, best first.
    pub hits: Vec<Hit>,
}

/// The trie and its vocabulary.
#[derive(Debug, Default, Clone)]
pub(crate) struct PhraseMatcher {
    vocab: FxMap<String, u32>,
    edges: FxMap<(u32, u32), u32>,
    /// Hits per node; node 0 is the root.
    hits: Vec<Vec<NodeHit>>,
}

impl PhraseMatcher {
    pub(crate) fn new() -> Self {
        PhraseMatcher {
            hits: vec![Vec::new()],
            ..Default::default()
        }
    }

    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.vocab.get(w) {
            return id;
        }
        let id = self.vocab.len() as u32;
        self.vocab.insert(w.to_string(), id);
        id
    }

    /// Add a phrase given as its tokens' forms. Returns false when it has no tokens.
    pub(crate) fn insert(&mut self, forms: &[&str], hit: Hit) -> bool {
        if forms.is_empty() {
            return false;
        }
        let mut node = 0u32;
        for f in forms {
            let id = self.intern(normalize(f).as_ref());
            node = match self.edges.get(&(node, id)) {
                Some(&n) => n,
                None => {
                    let n = self.hits.len() as u32;
                    self.hits.push(Vec::new());
                    self.edges.insert((node, id), n);
                    n
                }
            };
        }
        let exact_form = match forms {
            [one]
                if (2..=3).contains(&one.len()) && one.bytes().all(|b| b.is_ascii_uppercase()) =>
            {
                Some(Box::from(*one))
            }
            _ => None,
        };
        let needs_capital = matches!(hit, Hit::Actor(_) | Hit::Capital(_) | Hit::Adjective(_))
            && forms.iter().any(|f| f.chars().any(char::is_uppercase));
        let list = &mut self.hits[node as usize];
        if !list.iter().any(|h| h.hit == hit) {
            list.push(NodeHit {
                hit,
                exact_form,
                needs_capital,
            });
            list.sort_by_key(|h| h.hit);
        }
        true
    }

    /// Prepare tokens: the ids of their form, lemma and singular guess.
    pub(crate) fn words(&self, tokens: &[Token]) -> Vec<Word> {
        tokens
            .iter()
            .map(|t| {
                let mut w = Word {
                    ids: [NONE; 3],
                    n: 0,
                    possessive: false,
                };
                let full = normalize(&t.form);
                if is_possessive(&full) {
                    w.possessive = true;
                    return w;
                }
                // A tokenizer that keeps `Iran's` whole: match `iran` and flag the possessive.
                let norm: &str = match full.strip_suffix("'s") {
                    Some(stem) if !stem.is_empty() => stem,
                    _ => &full,
                };
                let mut push = |id: Option<&u32>| {
                    if let Some(&id) = id {
                        if !w.ids[..w.n as usize].contains(&id) {
                            w.ids[w.n as usize] = id;
                            w.n += 1;
                        }
                    }
                };
                push(self.vocab.get(norm));
                if !t.lemma.is_empty() {
                    push(self.vocab.get(normalize(&t.lemma).as_ref()));
                }
                if let Some(s) = singular(norm) {
                    push(self.vocab.get(&s));
                }
                w
            })
            .collect()
    }

    /// Longest matches, left to right, without overlaps.
    pub(crate) fn find(&self, tokens: &[Token], words: &[Word]) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut stack: Vec<(usize, u32)> = Vec::new();
        while i < words.len() {
            // Deepest end with usable hits, found by walking every id alternative.
            let mut best: Option<(usize, u32)> = None;
            stack.clear();
            stack.push((i, 0));
            while let Some((pos, node)) = stack.pop() {
                if pos >= words.len() {
                    continue;
                }
                let w = &words[pos];
                for &id in &w.ids[..w.n as usize] {
                    let Some(&child) = self.edges.get(&(node, id)) else {
                        continue;
                    };
                    let end = pos + 1;
                    if best.is_none_or(|(e, _)| end > e)
                        && self.usable(child, &tokens[i..end]).next().is_some()
                    {
                        best = Some((end, child));
                    }
                    stack.push((end, child));
                }
            }
            match best {
                Some((end, node)) => {
                    let possessive = words.get(end).is_some_and(|w| w.possessive)
                        || tokens[end - 1].form.len() > 2
                            && normalize(&tokens[end - 1].form).ends_with("'s")
                            && !self
                                .vocab
                                .contains_key(normalize(&tokens[end - 1].form).as_ref());
                    out.push(PhraseMatch {
                        start: i,
                        end,
                        possessive,
                        hits: self.usable(node, &tokens[i..end]).collect(),
                    });
                    i = end + usize::from(words.get(end).is_some_and(|w| w.possessive));
                }
                None => i += 1,
            }
        }
        out
    }

    fn usable<'a>(&'a self, node: u32, span: &'a [Token]) -> impl Iterator<Item = Hit> + 'a {
        self.hits[node as usize]
            .iter()
            .filter(move |h| match &h.exact_form {
                Some(f) => span.len() == 1 && span[0].form == **f,
                None => {
                    !h.needs_capital || span.iter().any(|t| t.form.chars().any(char::is_uppercase))
                }
            })
            .map(|h| h.hit)
    }

    pub(crate) fn node_count(&self) -> usize {
        self.hits.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token> {
        dyad_tokenize::tokenize(s)
    }

    fn matcher(phrases: &[(&str, Hit)]) -> PhraseMatcher {
        let mut m = PhraseMatcher::new();
        for (p, h) in phrases {
            let t = toks(p);
            let forms: Vec<&str> = t.iter().map(|t| t.form.as_str()).collect();
            assert!(m.insert(&forms, *h));
        }
        m
    }

    fn spans(m: &PhraseMatcher, text: &str) -> Vec<(String, Hit, bool)> {
        let t = toks(text);
        let w = m.words(&t);
        m.find(&t, &w)
            .into_iter()
            .map(|pm| {
                let s = t[pm.start].start;
                let e = t[pm.end - 1].end;
                (text[s..e].to_string(), pm.hits[0], pm.possessive)
            })
            .collect()
    }

    #[test]
    fn longest_match_wins_and_possessive_is_flagged() {
        let m = matcher(&[
            ("minister", Hit::Agent(0)),
            ("foreign minister", Hit::Agent(1)),
            ("Iran", Hit::Actor(0)),
            ("Islamic Republic of Iran", Hit::Actor(1)),
        ]);
        assert_eq!(
            spans(
                &m,
                "Iran's foreign minister met the Islamic Republic of Iran’s minister"
            ),
            vec![
                ("Iran".into(), Hit::Actor(0), true),
                ("foreign minister".into(), Hit::Agent(1), false),
                ("Islamic Republic of Iran".into(), Hit::Actor(1), true),
                ("minister".into(), Hit::Agent(0), false),
            ]
        );
    }

    #[test]
    fn plurals_and_priority() {
        let m = matcher(&[
            ("force", Hit::Agent(0)),
            ("Congress", Hit::Agent(1)),
            ("Congress", Hit::Actor(3)),
            ("policeman", Hit::Agent(2)),
        ]);
        assert_eq!(
            spans(&m, "forces, Congress and policemen"),
            vec![
                ("forces".into(), Hit::Agent(0), false),
                ("Congress".into(), Hit::Actor(3), false),
                ("policemen".into(), Hit::Agent(2), false),
            ]
        );
    }

    #[test]
    fn lowercase_text_falls_back_to_agents() {
        let m = matcher(&[("Congress", Hit::Actor(3)), ("congress", Hit::Agent(1))]);
        assert_eq!(spans(&m, "congress")[0].1, Hit::Agent(1));
        assert_eq!(spans(&m, "Congress")[0].1, Hit::Actor(3));
    }

    #[test]
    fn capitalised_names_need_capitals_in_the_text() {
        let m = matcher(&[
            ("Turkey", Hit::Actor(0)),
            ("Chad", Hit::Actor(1)),
            ("government", Hit::Agent(0)),
        ]);
        assert_eq!(spans(&m, "roast turkey and chad government").len(), 1);
        assert_eq!(spans(&m, "Turkey and CHAD").len(), 2);
    }

    #[test]
    fn short_acronyms_are_case_sensitive() {
        let m = matcher(&[("US", Hit::Actor(0)), ("WHO", Hit::Actor(1))]);
        assert_eq!(spans(&m, "us and who"), vec![]);
        assert_eq!(spans(&m, "the US and WHO").len(), 2);
    }

    #[test]
    fn singular_guesses() {
        assert_eq!(singular("ministries").as_deref(), Some("ministry"));
        assert_eq!(singular("churches").as_deref(), Some("church"));
        assert_eq!(singular("troops").as_deref(), Some("troop"));
        assert_eq!(singular("servicemen").as_deref(), Some("serviceman"));
        assert_eq!(singular("congress"), None);
        assert_eq!(singular("status"), None);
        assert_eq!(singular("gas"), None);
    }
}
