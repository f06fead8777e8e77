//! Readers for PETRARCH actor, agent and discard dictionaries.
//!
//! Actors: `PRIMARY_PHRASE [CODE]`, synonyms on `+PHRASE` lines, date restrictions on
//! indented `[CODE >YYMMDD]`, `[CODE <YYMMDD]`, `[CODE YYMMDD-YYMMDD]` lines (dates `YYMMDD` or
//! `YYYYMMDD`, limits inclusive). Agents: `PHRASE {PLURALS} [~CODE]` (`~` before the code: the
//! code follows the actor's; after it, `NGO~`, it precedes), `{}` = no plural, `!MARK! = A, B`
//! substitution sets. Discards: `PHRASE` (sentence) or `+PHRASE` (story).

use chrono::NaiveDate;

use crate::error::PetrError;
use crate::text::{dictionary_lines, phrase_words};

/// When a dated code applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    Always,
    /// On or before the date.
    Before(NaiveDate),
    /// On or after the date.
    After(NaiveDate),
    Between(NaiveDate, NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DatedCode {
    /// The code as written, uppercase (`---` is PETRARCH's null code).
    pub code: String,
    pub when: Restriction,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PetrActor {
    /// Primary phrase first, then synonyms; each as uppercase words.
    pub names: Vec<Vec<String>>,
    /// Per name: written with spaces between its words (PETRARCH then lets other words come
    /// between them; `_` joins words that must be adjacent).
    pub spaced: Vec<bool>,
    pub codes: Vec<DatedCode>,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ActorDictionary {
    pub file: String,
    pub actors: Vec<PetrActor>,
    pub errors: Vec<PetrError>,
}

/// `YYMMDD` (years up to 30 are 20YY, as PETRARCH reads them) or `YYYYMMDD`.
pub fn parse_petr_date(s: &str) -> Option<NaiveDate> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: i32 = s[..2].parse().ok()?;
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, rest[..2].parse().ok()?, rest[2..].parse().ok()?)
}

/// `CODE`, `CODE >D`, `CODE <D`, `CODE D-D`.
fn parse_restriction(inner: &str, line: usize) -> Result<DatedCode, String> {
    let mut parts = inner.split_whitespace();
    let code = parts
        .next()
        .ok_or_else(|| "empty code '[]'".to_string())?
        .to_uppercase();
    // Restrictions may be spaced: "< 950601", "19950601 - 19990815".
    let rest: String = parts.by_ref().collect::<Vec<_>>().concat();
    let when = match Some(rest.as_str()).filter(|r| !r.is_empty()) {
        None => Restriction::Always,
        Some(r) => {
            let bad = || {
                format!("bad date restriction '{r}' (expected >YYMMDD, <YYMMDD or YYMMDD-YYMMDD)")
            };
            if let Some(d) = r.strip_prefix('>') {
                Restriction::After(parse_petr_date(d).ok_or_else(bad)?)
            } else if let Some(d) = r.strip_prefix('<') {
                Restriction::Before(parse_petr_date(d).ok_or_else(bad)?)
            } else if let Some((a, b)) = r.split_once('-') {
                let a = parse_petr_date(a).ok_or_else(bad)?;
                let b = parse_petr_date(b).ok_or_else(bad)?;
                Restriction::Between(a, b)
            } else {
                return Err(bad());
            }
        }
    };
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
    {
        return Err(format!("bad actor code '{code}'"));
    }
    Ok(DatedCode { code, when, line })
}

/// Split `PHRASE [CODE] [CODE DATES]…` into the phrase and its code texts (TABARI files put
/// several dated codes on the name line).
fn phrase_and_codes(t: &str) -> Result<(&str, Vec<&str>), String> {
    let Some(p) = t.find('[') else {
        if t.contains(']') {
            return Err(format!("']' without '[' in '{t}'"));
        }
        return Ok((t.trim(), Vec::new()));
    };
    let mut codes = Vec::new();
    let mut rest = &t[p..];
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return Err(format!("unexpected '{rest}' after the code in '{t}'"));
        };
        let close = inner
            .find(']')
            .ok_or_else(|| format!("unclosed '[' in '{t}'"))?;
        codes.push(inner[..close].trim());
        rest = inner[close + 1..].trim_start();
    }
    Ok((t[..p].trim(), codes))
}

pub fn parse_actors(file: &str, text: &str) -> ActorDictionary {
    let mut d = ActorDictionary {
        file: file.to_string(),
        ..Default::default()
    };
    let lines = dictionary_lines(file, text, &mut d.errors);
    for line in &lines {
        let t = line.text.trim();
        let no = line.no;
        let mut err = |m: String| d.errors.push(PetrError::new(file, no, m));
        if t.starts_with('[') {
            let Some(inner) = t
                .strip_prefix('[')
                .and_then(|s| s.trim_end().strip_suffix(']'))
            else {
                err(format!(
                    "malformed date restriction '{t}' (expected [CODE restriction])"
                ));
                continue;
            };
            let Some(actor) = d.actors.last_mut() else {
                err("date restriction before any actor".into());
                continue;
            };
            match parse_restriction(inner, no) {
                Ok(c) => actor.codes.push(c),
                Err(m) => err(m),
            }
            continue;
        }
        let (synonym, body) = match t.strip_prefix('+') {
            Some(b) => (true, b),
            None => (false, t),
        };
        let (phrase, codes) = match phrase_and_codes(body) {
            Ok(x) => x,
            Err(m) => {
                err(m);
                continue;
            }
        };
        let words = phrase_words(phrase);
        if words.is_empty() {
            err(format!("actor line '{t}' has no name"));
            continue;
        }
        let mut parsed = Vec::new();
        for c in codes {
            match parse_restriction(c, no) {
                Ok(c) => parsed.push(c),
                Err(m) => err(m),
            }
        }
        if synonym {
            let Some(actor) = d.actors.last_mut() else {
                err(format!("synonym '{t}' before any actor"));
                continue;
            };
            actor.names.push(words);
            actor
                .spaced
                .push(phrase.trim().contains(char::is_whitespace));
            actor.codes.extend(parsed);
        } else {
            d.actors.push(PetrActor {
                names: vec![words],
                spaced: vec![phrase.trim().contains(char::is_whitespace)],
                codes: parsed,
                line: no,
            });
        }
    }
    d
}

/// Where an agent code goes relative to the actor's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentPlace {
    /// `~GOV`: appended (`IRN` + `GOV`).
    Suffix,
    /// `NGO~`: prepended.
    Prefix,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PetrAgent {
    pub words: Vec<String>,
    /// `None`: regular plural; `Some(vec![])`: `{}` no plural; else the listed plurals.
    pub plurals: Option<Vec<Vec<String>>>,
    pub code: String,
    pub place: AgentPlace,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct AgentDictionary {
    pub file: String,
    pub agents: Vec<PetrAgent>,
    pub errors: Vec<PetrError>,
}

pub fn parse_agents(file: &str, text: &str) -> AgentDictionary {
    let mut d = AgentDictionary {
        file: file.to_string(),
        ..Default::default()
    };
    let lines = dictionary_lines(file, text, &mut d.errors);
    let mut marks: Vec<(String, Vec<String>)> = Vec::new();
    for line in &lines {
        let t = line.text.trim();
        let no = line.no;
        let mut err = |m: String| d.errors.push(PetrError::new(file, no, m));
        if t.starts_with('!') && t.contains('=') {
            let (mark, list) = t.split_once('=').expect("checked");
            let mark = mark.trim();
            if mark.len() < 3 || !mark.ends_with('!') {
                err(format!(
                    "bad substitution marker '{mark}' (expected !NAME!)"
                ));
                continue;
            }
            let items: Vec<String> = list
                .split(',')
                .map(|s| s.trim().replace(' ', "").to_uppercase())
                .filter(|s| !s.is_empty())
                .collect();
            if items.is_empty() {
                err(format!("substitution marker {mark} has no items"));
                continue;
            }
            marks.push((mark.to_uppercase(), items));
            continue;
        }
        let Some(open) = t.rfind('[') else {
            err(format!("agent line '{t}' has no [CODE]"));
            continue;
        };
        let Some(close) = t[open..].find(']') else {
            err(format!("unclosed '[' in '{t}'"));
            continue;
        };
        let after = t[open + close + 1..].trim();
        if !after.is_empty() {
            err(format!("unexpected '{after}' after the code in '{t}'"));
            continue;
        }
        // Some files close the code with '}' by mistake ("[~LEG}"): the docs show it; accept
        // only the proper form.
        let code_text = t[open + 1..open + close].trim();
        let (code, place) = if let Some(c) = code_text.strip_prefix('~') {
            (c, AgentPlace::Suffix)
        } else if let Some(c) = code_text.strip_suffix('~') {
            (c, AgentPlace::Prefix)
        } else {
            err(format!(
                "agent code '[{code_text}]' has no '~' (expected [~CODE] or [CODE~])"
            ));
            continue;
        };
        let code = code.trim().to_uppercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphabetic()) {
            err(format!("bad agent code '[{code_text}]'"));
            continue;
        }
        let head = &t[..open];
        let (phrase, plurals) = match head.find('{') {
            Some(p) => {
                let Some(c) = head[p..].find('}') else {
                    err(format!("unclosed '{{' in '{t}'"));
                    continue;
                };
                let forms = head[p + 1..p + c]
                    .split_whitespace()
                    .map(phrase_words)
                    .filter(|w| !w.is_empty())
                    .collect();
                (&head[..p], Some(forms))
            }
            None => (head, None),
        };
        // Expand substitution markers: every item replaces the marker, no plurals made.
        let mut variants: Vec<String> = vec![phrase.trim().to_uppercase()];
        let mut substituted = false;
        for (mark, items) in &marks {
            if variants.iter().any(|v| v.contains(mark.as_str())) {
                substituted = true;
                variants = variants
                    .iter()
                    .flat_map(|v| {
                        items
                            .iter()
                            .map(move |i| v.replace(mark.as_str(), i.as_str()))
                    })
                    .collect();
            }
        }
        if let Some(v) = variants.iter().find(|v| v.contains('!')) {
            err(format!("unknown substitution marker in '{v}'"));
            continue;
        }
        for v in variants {
            let words = phrase_words(&v);
            if words.is_empty() {
                err(format!("agent line '{t}' has no phrase"));
                break;
            }
            d.agents.push(PetrAgent {
                words,
                plurals: if substituted {
                    Some(Vec::new())
                } else {
                    plurals.clone()
                },
                code: code.clone(),
                place,
                line: no,
            });
        }
    }
    d
}

#[derive(Debug, Clone, PartialEq)]
pub struct PetrDiscard {
    pub words: Vec<String>,
    /// `+PHRASE`: the whole story is discarded.
    pub story: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct DiscardList {
    pub file: String,
    pub discards: Vec<PetrDiscard>,
    pub errors: Vec<PetrError>,
}

pub fn parse_discards(file: &str, text: &str) -> DiscardList {
    let mut d = DiscardList {
        file: file.to_string(),
        ..Default::default()
    };
    let lines = dictionary_lines(file, text, &mut d.errors);
    for line in &lines {
        let t = line.text.trim();
        let (story, body) = match t.strip_prefix('+') {
            Some(b) => (true, b),
            None => (false, t),
        };
        let words = phrase_words(body);
        if words.is_empty() || !words.iter().any(|w| w.chars().any(char::is_alphanumeric)) {
            d.errors.push(PetrError::new(
                file,
                line.no,
                format!("discard line '{t}' has no words"),
            ));
            continue;
        }
        d.discards.push(PetrDiscard {
            words,
            story,
            line: line.no,
        });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_with_synonyms_and_dates() {
        let d = parse_actors("a.txt", include_str!("../tests/fixtures/mini.actors.txt"));
        let oskara = d.actors.iter().find(|a| a.names[0] == ["OSKARA"]).unwrap();
        assert!(oskara.names.iter().any(|n| n == &["OSKARANS"]));
        assert_eq!(oskara.codes[0].code, "OSK");
        let king = d
            .actors
            .iter()
            .find(|a| a.names[0] == ["KING", "VAREK"])
            .unwrap();
        assert_eq!(king.codes.len(), 3);
        assert_eq!(
            king.codes[1].when,
            Restriction::Between(
                NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2005, 6, 30).unwrap()
            )
        );
        assert!(matches!(king.codes[2].when, Restriction::After(_)));
        let msgs: Vec<String> = d.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("bad date restriction")),
            "{msgs:?}"
        );
        assert!(msgs.iter().all(|m| m.starts_with("a.txt:")));
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_petr_date("450703"),
            NaiveDate::from_ymd_opt(1945, 7, 3)
        );
        assert_eq!(
            parse_petr_date("070723"),
            NaiveDate::from_ymd_opt(2007, 7, 23)
        );
        assert_eq!(
            parse_petr_date("20120131"),
            NaiveDate::from_ymd_opt(2012, 1, 31)
        );
        assert_eq!(
            parse_petr_date("201302"),
            NaiveDate::from_ymd_opt(2020, 13, 2)
        );
        assert_eq!(parse_petr_date("12345"), None);
    }

    #[test]
    fn agents_plurals_markers_and_places() {
        let d = parse_agents("g.txt", include_str!("../tests/fixtures/mini.agents.txt"));
        let envoy = d.agents.iter().find(|a| a.words == ["ENVOY"]).unwrap();
        assert_eq!(envoy.code, "GOV");
        assert_eq!(envoy.place, AgentPlace::Suffix);
        let police = d.agents.iter().find(|a| a.words == ["POLICE"]).unwrap();
        assert_eq!(police.plurals, Some(vec![]));
        let relief = d
            .agents
            .iter()
            .find(|a| a.words == ["RELIEF", "AGENCY"])
            .unwrap();
        assert_eq!(relief.place, AgentPlace::Prefix);
        assert!(d.agents.iter().any(|a| a.words == ["COUNCILWOMAN"]));
        assert!(!d.errors.is_empty());
        assert!(d.errors.iter().all(|e| e.line > 0));
    }

    #[test]
    fn discards() {
        let d = parse_discards("d.txt", "# c\nFOOTBALL MATCH\n+HORSE_RACE # x\n+\n");
        assert_eq!(d.discards.len(), 2);
        assert!(d.discards[1].story);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].line, 4);
    }
}
