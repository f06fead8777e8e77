//! Reader for PETRARCH2/TABARI verb dictionaries (`CAMEO.2.0.txt`): synsets, verb blocks,
//! verb forms and patterns, and the transformations section.
//!
//! ```text
//! &SYNSET                        synset label (a trailing _ on the label: no plurals)
//! +MEMBER PHRASE                 members, words joined by spaces or _
//! --- NAME [CODE] ---            a verb block and its primary code
//! VERB {IRREGULAR FORMS} [CODE]  verb forms; +marks the verb in a multi-word form (CARRY_+OUT)
//! - pre * post [CODE]            pattern: * the verb, $ source, + target, % compound, ^ skip,
//!                                &SYN synset, {…} noun group, (…) prepositional phrase
//! ```

use std::collections::BTreeSet;

use crate::error::PetrError;
use crate::text::{dictionary_lines, phrase_words};

#[derive(Debug, Clone, PartialEq)]
pub struct Synset {
    pub name: String,
    /// Each member as its words, uppercase; a member may be another synset (`&X`).
    pub members: Vec<Vec<String>>,
    pub no_plural: bool,
    pub line: usize,
}

/// One verb (or multi-word verb) of a block.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbForm {
    pub words: Vec<String>,
    /// Index of the verb word in `words` (marked `+` when the form has several words).
    pub verb: usize,
    pub irregular: Vec<Vec<String>>,
    pub code: Option<String>,
    pub line: usize,
}

impl VerbForm {
    /// The verb word, lowercase (the lemma for a base form).
    pub fn lemma(&self) -> String {
        self.words[self.verb].to_lowercase()
    }
    pub fn pre_words(&self) -> &[String] {
        &self.words[..self.verb]
    }
    pub fn post_words(&self) -> &[String] {
        &self.words[self.verb + 1..]
    }
}

/// A pattern element.
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    Word(String),
    Synset(String),
    Source,
    Target,
    Compound,
    Skip,
    /// `{…}`: a noun group.
    Group(Vec<Elem>),
    /// `(…)`: a prepositional phrase.
    Phrase(Vec<Elem>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Elements before the verb (`*`).
    pub pre: Vec<Elem>,
    /// Elements after the verb.
    pub post: Vec<Elem>,
    /// The code as written: `042`, `---`, `013:012`, `075A`.
    pub code: String,
    pub line: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VerbBlock {
    pub name: String,
    pub code: Option<String>,
    pub line: usize,
    pub verbs: Vec<VerbForm>,
    pub patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transformation {
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct VerbDictionary {
    pub file: String,
    pub synsets: Vec<Synset>,
    pub blocks: Vec<VerbBlock>,
    pub transformations: Vec<Transformation>,
    pub errors: Vec<PetrError>,
}

impl VerbDictionary {
    pub fn synset(&self, name: &str) -> Option<&Synset> {
        self.synsets.iter().find(|s| s.name == name)
    }
    pub fn pattern_count(&self) -> usize {
        self.blocks.iter().map(|b| b.patterns.len()).sum()
    }
}

/// A `[CODE]` at the end of `s`: (rest, code).
fn trailing_code(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_end();
    let inner = s.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    Some((inner[..open].trim_end(), inner[open + 1..].trim()))
}

/// Parse a verb dictionary. Every line either loads or is reported in `errors`.
pub fn parse_verbs(file: &str, text: &str) -> VerbDictionary {
    let mut d = VerbDictionary {
        file: file.to_string(),
        ..Default::default()
    };
    let lines = dictionary_lines(file, text, &mut d.errors);
    let err =
        |d: &mut VerbDictionary, no: usize, m: String| d.errors.push(PetrError::new(file, no, m));
    // Synset being filled, whether the last block has patterns (a verb line after patterns
    // starts a new block), transformations section.
    let mut in_synset = false;
    let mut defined: BTreeSet<String> = BTreeSet::new();
    let transform_start = text
        .lines()
        .position(|l| {
            l.trim_start().starts_with('#') && l.to_uppercase().contains("TRANSFORMATIONS")
        })
        .map(|i| i + 1);
    for line in &lines {
        let t = line.text.trim();
        let no = line.no;
        if transform_start.is_some_and(|s| no > s) {
            d.transformations.push(Transformation {
                text: t.to_string(),
                line: no,
            });
            continue;
        }
        if let Some(name) = t.strip_prefix('&') {
            let name = name.split_whitespace().next().unwrap_or("");
            if name.is_empty() {
                err(&mut d, no, "synset label '&' has no name".into());
                in_synset = false;
                continue;
            }
            let no_plural = name.ends_with('_');
            let name = name.trim_end_matches('_').to_uppercase();
            if defined.contains(&name) {
                err(
                    &mut d,
                    no,
                    format!("synset &{name} is defined twice; the first definition is used"),
                );
                in_synset = false;
                continue;
            }
            defined.insert(name.clone());
            d.synsets.push(Synset {
                name,
                members: Vec::new(),
                no_plural,
                line: no,
            });
            in_synset = true;
            continue;
        }
        if in_synset {
            if let Some(member) = t.strip_prefix('+') {
                let words = phrase_words(member);
                if words.is_empty() {
                    err(&mut d, no, "empty synset member '+'".into());
                } else if let Some(s) = d.synsets.last_mut() {
                    s.members.push(words);
                }
                continue;
            }
            in_synset = false;
        }
        if t.starts_with("---") {
            let inner = t.trim_matches('-').trim();
            let (name, code) = match trailing_code(inner) {
                Some((n, c)) => (n.trim(), Some(c.to_string())),
                None => (inner, None),
            };
            if name.is_empty() {
                err(
                    &mut d,
                    no,
                    "verb block header '--- NAME [CODE] ---' has no name".into(),
                );
                continue;
            }
            d.blocks.push(VerbBlock {
                name: name.to_string(),
                code: code.filter(|c| !c.is_empty()),
                line: no,
                verbs: Vec::new(),
                patterns: Vec::new(),
            });
            continue;
        }
        if let Some(body) = t.strip_prefix('-') {
            let Some(block) = d.blocks.last() else {
                err(&mut d, no, "pattern before any verb block".into());
                continue;
            };
            if block.verbs.is_empty() {
                let m = format!("pattern in block '{}' before any verb", block.name);
                err(&mut d, no, m);
                continue;
            }
            match parse_pattern(body) {
                Ok((pre, post, code)) => {
                    let undefined = undefined_synsets(&pre, &post, &defined);
                    if let Some(u) = undefined.first() {
                        err(
                            &mut d,
                            no,
                            format!(
                                "pattern uses synset &{u} before it is defined; pattern ignored"
                            ),
                        );
                        continue;
                    }
                    let block = d.blocks.last_mut().expect("checked above");
                    block.patterns.push(Pattern {
                        pre,
                        post,
                        code,
                        line: no,
                        text: t.to_string(),
                    });
                }
                Err(m) => err(&mut d, no, m),
            }
            continue;
        }
        // A verb form line.
        match parse_verb_form(t, no) {
            Ok(form) => {
                let need_block = match d.blocks.last() {
                    None => true,
                    Some(b) => !b.patterns.is_empty(),
                };
                if need_block {
                    d.blocks.push(VerbBlock {
                        name: form.words.join("_"),
                        code: form.code.clone(),
                        line: no,
                        verbs: Vec::new(),
                        patterns: Vec::new(),
                    });
                }
                d.blocks.last_mut().expect("just ensured").verbs.push(form);
            }
            Err(m) => err(&mut d, no, m),
        }
    }
    d
}

fn undefined_synsets(pre: &[Elem], post: &[Elem], defined: &BTreeSet<String>) -> Vec<String> {
    fn walk(es: &[Elem], defined: &BTreeSet<String>, out: &mut Vec<String>) {
        for e in es {
            match e {
                Elem::Synset(s) if !defined.contains(s) => out.push(s.clone()),
                Elem::Group(g) | Elem::Phrase(g) => walk(g, defined, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(pre, defined, &mut out);
    walk(post, defined, &mut out);
    out
}

fn parse_verb_form(t: &str, no: usize) -> Result<VerbForm, String> {
    let (rest, code) = match trailing_code(t) {
        Some((r, c)) => (r, Some(c.to_string())),
        None => (t, None),
    };
    if rest.contains('[') || rest.contains(']') {
        return Err(format!(
            "malformed code in verb line '{t}' (expected VERB {{FORMS}} [CODE])"
        ));
    }
    let (head, irregular) = match rest.find('{') {
        Some(p) => {
            let close = rest[p..]
                .find('}')
                .ok_or_else(|| format!("unclosed '{{' in verb line '{t}'"))?;
            let inner = &rest[p + 1..p + close];
            let after = rest[p + close + 1..].trim();
            if !after.is_empty() {
                return Err(format!(
                    "unexpected '{after}' after the irregular forms in '{t}'"
                ));
            }
            let forms = inner
                .split_whitespace()
                .map(|f| phrase_words(&f.replace('+', "")))
                .filter(|w| !w.is_empty())
                .collect();
            (&rest[..p], forms)
        }
        None => (rest, Vec::new()),
    };
    let head = head.trim();
    if head.is_empty() {
        return Err(format!("verb line '{t}' has no verb"));
    }
    let raw_words: Vec<&str> = head
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mut words = Vec::new();
    let mut verb = None;
    for w in raw_words {
        if let Some(v) = w.strip_prefix('+') {
            if v.is_empty() {
                continue;
            }
            if verb.is_some() {
                return Err(format!("two verbs marked with '+' in '{t}'"));
            }
            verb = Some(words.len());
            words.push(v.to_uppercase());
        } else {
            words.push(w.to_uppercase());
        }
    }
    if words.is_empty() {
        return Err(format!("verb line '{t}' has no verb"));
    }
    if let Some(bad) = words.iter().find(|w| {
        !w.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '.'))
    }) {
        return Err(format!("bad word '{bad}' in verb line '{t}'"));
    }
    Ok(VerbForm {
        words,
        verb: verb.unwrap_or(0),
        irregular,
        code,
        line: no,
    })
}

/// Split a pattern body (after the leading `-`) into pre-verb and post-verb elements and code.
pub(crate) fn parse_pattern(body: &str) -> Result<(Vec<Elem>, Vec<Elem>, String), String> {
    let shown = body.trim();
    let (rest, code) = trailing_code(body)
        .ok_or_else(|| format!("pattern '- {shown}' has no [CODE] at its end"))?;
    if code.is_empty() {
        return Err(format!("pattern '- {shown}' has an empty code"));
    }
    // Markers may be glued to words with _ ("IN_*", "SUGGESTED_+"): split them off.
    let mut spaced = String::new();
    for ch in rest.chars() {
        match ch {
            '_' => spaced.push(' '),
            '(' | ')' | '{' | '}' => {
                spaced.push(' ');
                spaced.push(ch);
                spaced.push(' ');
            }
            _ => spaced.push(ch),
        }
    }
    let mut stack: Vec<(char, Vec<Elem>)> = vec![(' ', Vec::new())];
    let mut verb_at: Option<usize> = None;
    for tok in spaced.split_whitespace() {
        match tok {
            "(" | "{" => stack.push((tok.chars().next().unwrap_or('('), Vec::new())),
            ")" | "}" => {
                let want = if tok == ")" { '(' } else { '{' };
                if stack.len() < 2 || stack.last().map(|s| s.0) != Some(want) {
                    return Err(format!("unbalanced '{tok}' in pattern '- {shown}'"));
                }
                let (kind, elems) = stack.pop().expect("checked length");
                let e = if kind == '(' {
                    Elem::Phrase(elems)
                } else {
                    Elem::Group(elems)
                };
                stack.last_mut().expect("outer level").1.push(e);
            }
            "*" | "**" => {
                if stack.len() > 1 {
                    return Err(format!("verb marker '*' inside brackets in '- {shown}'"));
                }
                if verb_at.is_some() {
                    return Err(format!("more than one verb marker '*' in '- {shown}'"));
                }
                verb_at = Some(stack[0].1.len());
            }
            _ => {
                let e = match tok {
                    "$" => Elem::Source,
                    "+" => Elem::Target,
                    "%" => Elem::Compound,
                    "^" => Elem::Skip,
                    s if s.starts_with('&') => {
                        let n = s[1..].trim_end_matches('_').to_uppercase();
                        if n.is_empty() {
                            return Err(format!("empty synset reference '&' in '- {shown}'"));
                        }
                        Elem::Synset(n)
                    }
                    s if s.contains(['[', ']', '|']) => {
                        return Err(format!(
                            "unexpected '{s}' in pattern '- {shown}' (disjunctions are not allowed; use a synset)"
                        ))
                    }
                    s => Elem::Word(s.to_uppercase()),
                };
                stack.last_mut().expect("outer level").1.push(e);
            }
        }
    }
    if stack.len() != 1 {
        return Err(format!("unclosed bracket in pattern '- {shown}'"));
    }
    let mut all = stack.pop().expect("outer level").1;
    let post = match verb_at {
        Some(i) => all.split_off(i),
        // TABARI patterns without * put everything after the verb.
        None => std::mem::take(&mut all),
    };
    Ok((all, post, code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../tests/fixtures/mini.verbs.txt");

    #[test]
    fn reads_the_fixture_with_leading_xml_comments() {
        let d = parse_verbs("mini.verbs.txt", FIXTURE);
        assert!(d.errors.iter().all(|e| e.line > 0), "{:?}", d.errors);
        assert_eq!(d.synsets.len(), 2);
        assert_eq!(d.synset("TIEKIND").unwrap().members.len(), 2);
        let meet = d.blocks.iter().find(|b| b.name == "MEET").unwrap();
        assert_eq!(meet.code.as_deref(), Some("040"));
        assert!(meet.patterns.len() >= 2);
        let carry = d
            .blocks
            .iter()
            .flat_map(|b| &b.verbs)
            .find(|v| v.words == ["CARRY", "OUT"])
            .unwrap();
        assert_eq!(carry.lemma(), "carry");
        assert_eq!(carry.post_words(), ["OUT"]);
        assert!(!d.transformations.is_empty());
    }

    #[test]
    fn reports_bad_lines_with_their_line_numbers() {
        let d = parse_verbs("mini.verbs.txt", FIXTURE);
        let msgs: Vec<String> = d.errors.iter().map(|e| e.to_string()).collect();
        assert!(msgs.iter().any(|m| m.contains("no [CODE]")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("&NOWHERE")), "{msgs:?}");
        assert!(msgs.iter().all(|m| m.starts_with("mini.verbs.txt:")));
    }

    #[test]
    fn pattern_elements() {
        let (pre, post, code) = parse_pattern(" $ * FULL_&TIEKIND TIES WITH + [064]").unwrap();
        assert_eq!(pre, vec![Elem::Source]);
        assert_eq!(
            post,
            vec![
                Elem::Word("FULL".into()),
                Elem::Synset("TIEKIND".into()),
                Elem::Word("TIES".into()),
                Elem::Word("WITH".into()),
                Elem::Target
            ]
        );
        assert_eq!(code, "064");
        let (_, post, _) = parse_pattern(" * (INTO {OIL FIELD}) [176]").unwrap();
        assert!(matches!(&post[0], Elem::Phrase(p) if matches!(&p[1], Elem::Group(_))));
        assert!(parse_pattern(" * (INTO [176]").is_err());
        assert!(parse_pattern(" * * X [176]").is_err());
    }
}
