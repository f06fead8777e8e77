//! Where each event happened: the place attached to its clause, never a guess dressed as fact.
//!
//! Rules, in order (the first that applies is recorded in `location_source`):
//! 1. `destination` — the place an event of going names ("visited Damascus", "travelled to X");
//! 2. `oblique` — a place inside an "in/at/near/outside/around … X" oblique of the predicate;
//! 3. `clause` — a place elsewhere in the predicate's own clause, outside the actors' phrases;
//! 4. `previous_visit` — where the source actor was last said to have gone in this story
//!    ("Zarif visited Damascus … Zarif met Assad" → Damascus);
//! 5. `dateline` — the dateline place, when the source or target belongs to its country;
//!
//! otherwise `location` stays null. Places come from the geoparser (`dyad-geo`); this module
//! only decides which of them belongs to which event.

use std::collections::HashMap;

use dyad_core::Document;

use crate::event::{Event, Location};
use crate::tree::Tree;

/// A resolved place mention: a byte span of the document text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub location: Location,
}

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "around",
    "across",
    "throughout",
    "within",
    "on",
    "along",
    "off",
    "over",
];
const DIRECTIONAL: &[&str] = &["to", "into"];

/// Fill `location`, `location_source` and the actors' `geo` of `events` (all of `doc`).
pub fn locate_events(
    doc: &Document,
    places: &[PlaceMention],
    dateline: Option<&Location>,
    events: &mut [Event],
) {
    let mut last_destination: HashMap<String, Location> = HashMap::new();
    for e in events.iter_mut() {
        let Some(sentence) = doc.sentences.get(e.sentence) else {
            continue;
        };
        let tree = Tree::new(&sentence.tokens);
        let in_sentence: Vec<&PlaceMention> =
            places.iter().filter(|p| p.sentence == e.sentence).collect();
        let inside = |span: (usize, usize)| {
            in_sentence
                .iter()
                .find(|p| p.start >= span.0 && p.end <= span.1)
                .map(|p| p.location.clone())
        };
        e.source.geo = inside(e.evidence.source_span);
        e.target.geo = inside(e.evidence.target_span);
        let Some(pred) = sentence
            .tokens
            .iter()
            .position(|t| t.start == e.evidence.trigger_span.0)
        else {
            continue;
        };
        // Who moved where is remembered per actor (its canonical name, else its text), so that
        // a minister's visit does not place his government's other events.
        let actor_key = e
            .source
            .name
            .clone()
            .unwrap_or_else(|| e.source.text.clone());
        let found = destination(&tree, pred, e, &inside)
            .map(|l| (l, "destination"))
            .or_else(|| {
                // A host (043) is where it hosts: "Tehran will host …".
                e.cameo
                    .starts_with("043")
                    .then(|| e.source.geo.clone())
                    .flatten()
                    .map(|l| (l, "source_place"))
            })
            .or_else(|| oblique(&tree, pred, &inside).map(|l| (l, "oblique")))
            .or_else(|| clause_place(&tree, pred, e, &in_sentence).map(|l| (l, "clause")))
            .or_else(|| {
                last_destination
                    .get(&actor_key)
                    .cloned()
                    .map(|l| (l, "previous_visit"))
            })
            .or_else(|| {
                let d = dateline?;
                let country = d.country.as_deref()?;
                (e.source.country.as_deref() == Some(country)
                    || e.target.country.as_deref() == Some(country))
                .then(|| (d.clone(), "dateline"))
            });
        if let Some((location, rule)) = found {
            if rule == "destination" {
                last_destination.insert(actor_key, location.clone());
            }
            e.location = Some(location);
            e.location_source = Some(rule.to_string());
        }
    }
}

/// Events of going (CAMEO 042 visits; travel, arrival): the place visited.
fn destination(
    tree: &Tree<'_>,
    pred: usize,
    e: &Event,
    inside: &dyn Fn((usize, usize)) -> Option<Location>,
) -> Option<Location> {
    let going = e.cameo.starts_with("042");
    if !going {
        return None;
    }
    // The visited place is often the target itself ("visited Damascus" → SYRGOV).
    if let Some(l) = inside(e.evidence.target_span) {
        return Some(l);
    }
    tree.children(pred)
        .iter()
        .copied()
        .filter(|&c| {
            tree.base_rel(c) == "obl"
                && tree
                    .case_of(c)
                    .is_some_and(|p| DIRECTIONAL.contains(&p.as_str()))
        })
        .find_map(|c| inside(tree.span(&tree.subtree(c, &|_| false))))
}

fn oblique(
    tree: &Tree<'_>,
    pred: usize,
    inside: &dyn Fn((usize, usize)) -> Option<Location>,
) -> Option<Location> {
    tree.children(pred)
        .iter()
        .copied()
        .filter(|&c| {
            matches!(tree.base_rel(c), "obl" | "advmod")
                && tree
                    .case_of(c)
                    .is_some_and(|p| LOCATIVE.contains(&p.as_str()))
        })
        .find_map(|c| inside(tree.span(&tree.subtree(c, &|_| false))))
}

/// A place in the predicate's own clause (nested clauses left out), outside the actors' spans.
fn clause_place(
    tree: &Tree<'_>,
    pred: usize,
    e: &Event,
    places: &[&PlaceMention],
) -> Option<Location> {
    let clause = tree.subtree(pred, &|r| {
        matches!(
            r,
            "ccomp" | "advcl" | "acl:relcl" | "acl" | "parataxis" | "conj" | "csubj" | "xcomp"
        )
    });
    let (a, b) = (e.evidence.source_span, e.evidence.target_span);
    let covered = |p: &PlaceMention| {
        clause
            .iter()
            .any(|&i| tree.tokens[i].start <= p.start && p.end <= tree.tokens[i].end)
    };
    places
        .iter()
        .find(|p| {
            covered(p) && !(p.start >= a.0 && p.end <= a.1) && !(p.start >= b.0 && p.end <= b.1)
        })
        .map(|p| p.location.clone())
}
