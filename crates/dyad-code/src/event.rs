//! The coded event, dyad's reference output (JSON Lines).

use serde::{Deserialize, Serialize};

/// How the text asserts the event. Users filter on it: only `asserted` events happened as told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Negated,
    Future,
    Conditional,
    Hypothetical,
    Demanded,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Negated => "negated",
            Modality::Future => "future",
            Modality::Conditional => "conditional",
            Modality::Hypothetical => "hypothetical",
            Modality::Demanded => "demanded",
        }
    }
}

/// A source or target actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// The noun phrase as written.
    pub text: String,
    /// Full CAMEO actor code (`IRNGOV`); empty for a text-only actor (`--allow-unknown-actors`).
    pub code: String,
    /// Country prefix (ISO 3166-1 alpha-3 in most cases), or null for international/unknown.
    pub country: Option<String>,
    /// Role codes after the country (`GOV`, `MIL`).
    pub agents: Vec<String>,
    /// Canonical dictionary name of a named actor, if one decided the code.
    pub name: Option<String>,
    /// A place named inside the actor's phrase ("protesters in Basra"), or the place a
    /// capital metonym stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Location>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plover {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub mode: Option<String>,
}

/// A resolved place (GeoNames).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonameid: Option<u64>,
    /// GeoNames feature code (`PPLC` capital, `ADM1` province, `PCLI` country, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_code: Option<String>,
    /// First-level division name and code (GeoNames admin1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1_code: Option<String>,
    /// FIPS 10-4 country code, as GDELT's Geo fields use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_fips: Option<String>,
}

/// Who said it and through whom ("Zarif said, according to Fars News").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The speaker's actor code (or text when it resolves to no code).
    pub speaker: Option<String>,
    /// The relaying source ("Fars News").
    pub via: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub sentence_text: String,
    /// The predicate as written (with its particle).
    pub trigger: String,
    /// Byte spans in the document's clean text.
    pub trigger_span: (usize, usize),
    pub source_span: (usize, usize),
    pub target_span: (usize, usize),
    /// The dictionary pattern and where it is written, and the argument rules used.
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event_id: String,
    pub doc_id: String,
    /// 0-based sentence index in the document.
    pub sentence: usize,
    /// YYYY-MM-DD, or null when neither the story nor the clause gives a date.
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub story_date: Option<String>,
    pub cameo: String,
    pub cameo_root: String,
    /// GDELT convention (1–4).
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover: Plover,
    pub source: Actor,
    pub target: Actor,
    pub location: Option<Location>,
    /// Which rule chose `location`: `oblique` ("in/at/near X"), `destination` ("visited X",
    /// "travelled to X"), `clause` (a place in the same clause), `source_place` (a host's own
    /// place), `previous_visit` (where the
    /// source actor was last said to have gone), `dateline` (the dateline place, when an actor
    /// belongs to its country); null when no rule applies.
    #[serde(default)]
    pub location_source: Option<String>,
    pub modality: Modality,
    pub attribution: Option<Attribution>,
    pub evidence: Evidence,
    /// 0–1: how much the rules that produced the event can be trusted (see `coder.rs`).
    pub confidence: f32,
}
