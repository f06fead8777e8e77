//! Turning the phrases found in a noun phrase into one actor code.
//!
//! Rules, in order:
//! 1. A named actor whose code already has segments after the country (a person `IRNGOV`, an
//!    organisation `IGOUNO`) wins as it is: "Iranian Foreign Minister Mohammad Javad Zarif".
//! 2. Otherwise a country piece (a bare-country actor, an adjective, a capital) combines with the
//!    head agent: "Iran's foreign minister" → `IRN`+`GOV`. The head agent is the last agent term
//!    before the first uncovered preposition ("forces of the Syrian government" → `MIL`), else the
//!    last agent term; "Syrian government forces" → `SYRMIL`. A capital alone gives `CODE`+`GOV`.
//! 3. Agents alone give their roles without a country: "rebels" → `REB`.
//!
//! Pieces after an uncovered preposition only count when the part before it has none of their
//! kind ("the foreign minister of Iran" → `IRNGOV`, but "U.S. ambassador to Iran" → `USAGOV`
//! and "Iranian support for rebels" → `IRN`).

use chrono::NaiveDate;
use dyad_core::Token;

use crate::error::Loc;
use crate::matcher::{normalize, Hit, PhraseMatch};
use crate::Dictionaries;

/// One matched piece of a noun phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The text as written.
    pub text: String,
    /// `actor`, `adjective`, `capital`, `agent` or `not-actor`.
    pub kind: &'static str,
    /// The code it contributes (`IRN`, `GOV`, `IRNGOV 2013-08-15..2021-08-25`), or why none.
    pub code: String,
    /// Where the entry is written.
    pub loc: Loc,
}

/// The actor a noun phrase refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorResolution {
    /// Full CAMEO actor code (`IRNGOV`, `REB`).
    pub code: String,
    pub country: Option<String>,
    pub roles: Vec<String>,
    /// Canonical name of the named actor that decided the code, if any.
    pub name: Option<String>,
    pub pieces: Vec<Piece>,
    /// Human-readable explanation: the pieces and the rule applied.
    pub why: String,
}

const PREPOSITIONS: &[&str] = &[
    "of", "to", "in", "for", "from", "at", "with", "on", "by", "against", "near", "over",
];

#[derive(Clone)]
struct Found {
    piece: usize,
    start: usize,
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    /// A named actor with its code in force.
    Named {
        code: dyad_cameo::ActorCode,
        name: String,
    },
    /// A country-level code from a bare-country actor, adjective or capital.
    Country {
        code: dyad_cameo::ActorCode,
        capital: bool,
    },
    Agent {
        roles: Vec<String>,
    },
}

pub(crate) fn resolve(
    d: &Dictionaries,
    tokens: &[Token],
    matches: &[PhraseMatch],
    date: Option<NaiveDate>,
) -> Option<ActorResolution> {
    let mut pieces = Vec::new();
    let mut found = Vec::new();
    let mut covered = vec![false; tokens.len()];
    for m in matches {
        covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
        if m.possessive && m.end < covered.len() {
            covered[m.end] = true;
        }
        let text = span_text(tokens, m.start, m.end);
        let Some(&hit) = m.hits.first() else {
            continue;
        };
        let (kind, piece) = describe(d, hit, &text, date);
        pieces.push(piece);
        if let Some(kind) = kind {
            found.push(Found {
                piece: pieces.len() - 1,
                start: m.start,
                kind,
            });
        }
    }
    // Split at the first preposition not inside a matched phrase.
    let split = (0..tokens.len())
        .find(|&i| !covered[i] && PREPOSITIONS.contains(&normalize(&tokens[i].form).as_ref()))
        .unwrap_or(tokens.len());
    let core: Vec<&Found> = found.iter().filter(|f| f.start < split).collect();
    let tail: Vec<&Found> = found.iter().filter(|f| f.start >= split).collect();
    let is_actorish = |f: &&Found| matches!(f.kind, Kind::Named { .. } | Kind::Country { .. });
    let actor_pool: Vec<&Found> = if core.iter().any(is_actorish) {
        core.clone()
    } else {
        tail.clone()
    };
    // Agents after the preposition only fill in for a core without actor or agent: "Iranian
    // support for rebels" is Iran, not Iranian rebels.
    let agent_pool: Vec<&Found> = if core.iter().any(|f| matches!(f.kind, Kind::Agent { .. })) {
        core.clone()
    } else if core.iter().any(is_actorish) {
        Vec::new()
    } else {
        tail.clone()
    };
    let head: Option<(&Found, &Vec<String>)> =
        agent_pool.iter().rev().find_map(|f| match &f.kind {
            Kind::Agent { roles } => Some((*f, roles)),
            _ => None,
        });
    let head_text = head
        .map(|(h, _)| pieces[h.piece].text.as_str())
        .unwrap_or("");
    let head_roles = head.map(|(_, roles)| roles);

    let specific = actor_pool.iter().rev().find_map(|f| match &f.kind {
        Kind::Named { code, name } if !code.roles.is_empty() => Some((*f, code, name)),
        _ => None,
    });
    let base = actor_pool.iter().rev().find_map(|f| match &f.kind {
        Kind::Named { code, name } => Some((*f, code.clone(), false, Some(name.clone()))),
        Kind::Country { code, capital } => Some((*f, code.clone(), *capital, None)),
        Kind::Agent { .. } => None,
    });
    let (code, name, rule): (dyad_cameo::ActorCode, Option<String>, String) =
        if let Some((f, code, name)) = specific {
            (
                code.clone(),
                Some(name.clone()),
                format!("named actor \"{}\" has a full code", pieces[f.piece].text),
            )
        } else if let Some((f, mut code, capital, name)) = base {
            let rule = match head_roles {
                // International codes (IGOUNO…) keep their own form; a role would misname them.
                Some(roles) if code.country.is_some() && !code.is_international() => {
                    code.roles.extend(roles.iter().cloned());
                    format!("{} + head agent \"{head_text}\"", pieces[f.piece].text)
                }
                _ if capital => {
                    code.roles.push("GOV".into());
                    format!(
                        "capital \"{}\" stands for its government",
                        pieces[f.piece].text
                    )
                }
                _ => format!("\"{}\"", pieces[f.piece].text),
            };
            (code, name, rule)
        } else if let Some(roles) = head_roles {
            (
                dyad_cameo::ActorCode {
                    country: None,
                    roles: roles.clone(),
                },
                None,
                format!("agent \"{head_text}\" without a country"),
            )
        } else {
            return None;
        };
    let mut why = pieces
        .iter()
        .map(|p| format!("\"{}\" {} {} [{}]", p.text, p.kind, p.code, p.loc))
        .collect::<Vec<_>>()
        .join("; ");
    why.push_str(&format!(" => {} ({rule})", code));
    Some(ActorResolution {
        code: code.to_string(),
        country: code.country.clone(),
        roles: code.roles.clone(),
        name,
        pieces,
        why,
    })
}

fn span_text(tokens: &[Token], start: usize, end: usize) -> String {
    let mut s = String::new();
    for (i, t) in tokens[start..end].iter().enumerate() {
        s.push_str(&t.form);
        if i + 1 < end - start && !t.no_space_after {
            s.push(' ');
        }
    }
    s
}

fn describe(
    d: &Dictionaries,
    hit: Hit,
    text: &str,
    date: Option<NaiveDate>,
) -> (Option<Kind>, Piece) {
    let piece = |kind: &'static str, code: String, loc: &Loc| Piece {
        text: text.to_string(),
        kind,
        code,
        loc: loc.clone(),
    };
    match hit {
        Hit::Actor(i) | Hit::Capital(i) | Hit::Adjective(i) => {
            let e = &d.actors[i as usize];
            let kind_name = match hit {
                Hit::Actor(_) => "actor",
                Hit::Capital(_) => "capital",
                _ => "adjective",
            };
            let Some(c) = e.code_at(date) else {
                let when = date.map(|d| d.to_string()).unwrap_or_default();
                return (
                    None,
                    piece(kind_name, format!("(no code on {when})"), &e.loc),
                );
            };
            let shown = if c.range.is_always() {
                c.code.clone()
            } else {
                format!("{} {}", c.code, c.range)
            };
            let shown = if matches!(hit, Hit::Actor(_)) {
                format!("{} = {shown}", e.canonical())
            } else {
                format!("of {} = {shown}", e.canonical())
            };
            let kind = match hit {
                Hit::Actor(_) => Kind::Named {
                    code: c.parsed.clone(),
                    name: e.canonical().to_string(),
                },
                // A capital stands for the country (its government is added later); an
                // adjective carries the entry's code as it is.
                Hit::Capital(_) => Kind::Country {
                    code: dyad_cameo::ActorCode {
                        country: c.parsed.country.clone(),
                        roles: Vec::new(),
                    },
                    capital: true,
                },
                _ => Kind::Country {
                    code: c.parsed.clone(),
                    capital: false,
                },
            };
            (
                Some(kind),
                piece(
                    kind_name,
                    shown,
                    &Loc {
                        line: c.line,
                        ..e.loc.clone()
                    },
                ),
            )
        }
        Hit::Agent(i) => {
            let a = &d.agents[i as usize];
            (
                Some(Kind::Agent {
                    roles: a.roles.clone(),
                }),
                piece("agent", a.code.clone(), &a.loc),
            )
        }
        Hit::NotActor(i) | Hit::Discard(i) => {
            let x = &d.discards[i as usize];
            (None, piece("not-actor", "(never an actor)".into(), &x.loc))
        }
    }
}
