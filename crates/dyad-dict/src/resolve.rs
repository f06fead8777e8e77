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
    /// The matched pieces; filled by [`Dictionaries::lookup_phrase`] only.
    pub pieces: Vec<Piece>,
    /// Human-readable explanation: the pieces and the rule applied; filled by
    /// [`Dictionaries::lookup_phrase`] only (the coder does not read it).
    pub why: String,
}

const PREPOSITIONS: &[&str] = &[
    "of", "to", "in", "for", "from", "at", "with", "on", "by", "against", "near", "over",
];

#[derive(Clone)]
struct Found<'d> {
    /// Token span of the matched phrase.
    start: usize,
    end: usize,
    kind: Kind<'d>,
}

#[derive(Clone)]
enum Kind<'d> {
    /// A named actor with its code in force.
    Named {
        code: &'d dyad_cameo::ActorCode,
        name: &'d str,
    },
    /// A country-level code from a bare-country actor, adjective or capital.
    Country {
        code: &'d dyad_cameo::ActorCode,
        capital: bool,
    },
    Agent {
        roles: &'d [String],
    },
}

/// Resolve the phrases found in `tokens`. With `explain`, the result also lists the pieces and
/// says why (`dyad dict lookup`); the coder asks without, which spares it the text building.
pub(crate) fn resolve(
    d: &Dictionaries,
    tokens: &[Token],
    matches: &[PhraseMatch],
    date: Option<NaiveDate>,
    explain: bool,
) -> Option<ActorResolution> {
    let mut pieces = Vec::new();
    let mut found = Vec::new();
    let mut covered = vec![false; tokens.len()];
    for m in matches {
        covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
        if m.possessive && m.end < covered.len() {
            covered[m.end] = true;
        }
        let Some(&hit) = m.hits.first() else {
            continue;
        };
        if explain {
            pieces.push(describe(d, hit, span_text(tokens, m.start, m.end), date));
        }
        if let Some(kind) = kind_of(d, hit, date) {
            found.push(Found {
                start: m.start,
                end: m.end,
                kind,
            });
        }
    }
    // Split at the first preposition not inside a matched phrase.
    let split = (0..tokens.len())
        .find(|&i| !covered[i] && PREPOSITIONS.contains(&normalize(&tokens[i].form).as_ref()))
        .unwrap_or(tokens.len());
    let in_core = |f: &&Found| f.start < split;
    let is_actorish = |f: &&Found| matches!(f.kind, Kind::Named { .. } | Kind::Country { .. });
    let is_agent = |f: &&Found| matches!(f.kind, Kind::Agent { .. });
    let core_has_actor = found.iter().filter(in_core).any(|f| is_actorish(&f));
    let core_has_agent = found.iter().filter(in_core).any(|f| is_agent(&f));
    // Actors come from the core when it has one, else from the tail.
    let actor_pool = |f: &&Found| in_core(f) == core_has_actor;
    // Agents after the preposition only fill in for a core without actor or agent: "Iranian
    // support for rebels" is Iran, not Iranian rebels.
    let agent_pool = |f: &&Found| {
        if core_has_agent {
            in_core(f)
        } else {
            !core_has_actor && !in_core(f)
        }
    };
    let head: Option<(&Found, &[String])> =
        found
            .iter()
            .filter(agent_pool)
            .rev()
            .find_map(|f| match &f.kind {
                Kind::Agent { roles } => Some((f, *roles)),
                _ => None,
            });
    let text = |f: &Found| span_text(tokens, f.start, f.end);
    let head_roles = head.map(|(_, roles)| roles);

    let specific = found
        .iter()
        .filter(actor_pool)
        .rev()
        .find_map(|f| match &f.kind {
            Kind::Named { code, name } if !code.roles.is_empty() => Some((f, *code, *name)),
            _ => None,
        });
    let base = found
        .iter()
        .filter(actor_pool)
        .rev()
        .find_map(|f| match &f.kind {
            Kind::Named { code, name } => Some((f, *code, false, Some(*name))),
            Kind::Country { code, capital } => Some((f, *code, *capital, None)),
            Kind::Agent { .. } => None,
        });
    // The rule is only spelled out when explaining.
    let rule = |make: &dyn Fn() -> String| if explain { make() } else { String::new() };
    let (code, name, rule): (dyad_cameo::ActorCode, Option<&str>, String) =
        if let Some((f, code, name)) = specific {
            (
                code.clone(),
                Some(name),
                rule(&|| format!("named actor \"{}\" has a full code", text(f))),
            )
        } else if let Some((f, code, capital, name)) = base {
            let mut code = code.clone();
            let rule = match head_roles {
                // International codes (IGOUNO…) keep their own form; a role would misname them.
                Some(roles) if code.country.is_some() && !code.is_international() => {
                    code.roles.extend(roles.iter().cloned());
                    rule(&|| {
                        let head_text = head.map(|(h, _)| text(h)).unwrap_or_default();
                        format!("{} + head agent \"{head_text}\"", text(f))
                    })
                }
                _ if capital => {
                    code.roles.push("GOV".into());
                    rule(&|| format!("capital \"{}\" stands for its government", text(f)))
                }
                _ => rule(&|| format!("\"{}\"", text(f))),
            };
            (code, name, rule)
        } else if let Some(roles) = head_roles {
            (
                dyad_cameo::ActorCode {
                    country: None,
                    roles: roles.to_vec(),
                },
                None,
                rule(&|| {
                    let head_text = head.map(|(h, _)| text(h)).unwrap_or_default();
                    format!("agent \"{head_text}\" without a country")
                }),
            )
        } else {
            return None;
        };
    let why = if explain {
        let mut why = pieces
            .iter()
            .map(|p| format!("\"{}\" {} {} [{}]", p.text, p.kind, p.code, p.loc))
            .collect::<Vec<_>>()
            .join("; ");
        why.push_str(&format!(" => {} ({rule})", code));
        why
    } else {
        String::new()
    };
    Some(ActorResolution {
        code: code.to_string(),
        country: code.country.clone(),
        roles: code.roles.clone(),
        name: name.map(str::to_string),
        pieces,
        why,
    })
}

/// What a hit contributes to the code, if anything is in force on `date`.
fn kind_of(d: &Dictionaries, hit: Hit, date: Option<NaiveDate>) -> Option<Kind<'_>> {
    match hit {
        Hit::Actor(i) | Hit::Capital(i) | Hit::Adjective(i) => {
            let e = &d.actors[i as usize];
            let c = e.code_at(date)?;
            Some(match hit {
                Hit::Actor(_) => Kind::Named {
                    code: &c.parsed,
                    name: e.canonical(),
                },
                // A capital stands for the country (its government is added later); an
                // adjective carries the entry's code as it is.
                Hit::Capital(_) => Kind::Country {
                    code: &c.parsed,
                    capital: true,
                },
                _ => Kind::Country {
                    code: &c.parsed,
                    capital: false,
                },
            })
        }
        Hit::Agent(i) => Some(Kind::Agent {
            roles: &d.agents[i as usize].roles,
        }),
        Hit::NotActor(_) | Hit::Discard(_) => None,
    }
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

/// The explanation of one hit for `dyad dict lookup`.
fn describe(d: &Dictionaries, hit: Hit, text: String, date: Option<NaiveDate>) -> Piece {
    let piece = |kind: &'static str, code: String, loc: &Loc| Piece {
        text: text.clone(),
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
                return piece(kind_name, format!("(no code on {when})"), &e.loc);
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
            piece(
                kind_name,
                shown,
                &Loc {
                    line: c.line,
                    ..e.loc.clone()
                },
            )
        }
        Hit::Agent(i) => {
            let a = &d.agents[i as usize];
            piece("agent", a.code.clone(), &a.loc)
        }
        Hit::NotActor(i) | Hit::Discard(i) => {
            let x = &d.discards[i as usize];
            piece("not-actor", "(never an actor)".into(), &x.loc)
        }
    }
}
