//! Toponym resolution: rank a name's gazetteer candidates by importance, feature
//! type, cues in the surrounding text (containment, division words) and the
//! document's focus (the countries and first-level divisions of its other places).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hasher;

use serde::Serialize;

use crate::gazetteer::{
    Candidate, Gazetteer, Place, Record, FC_ADM1, FC_ADM2, FC_CONT, FC_PCLI, FC_PPL, FC_PPLC,
    NONE_U16, NONE_U32,
};
use crate::normalize::{initialism_key, normalize};
use crate::tables::{self, TypeHint};

/// Candidates scored per mention at most (the most important first); names like
/// "San Jose" have hundreds of entries and the tail never wins.
const MAX_CANDIDATES: usize = 200;
/// Passes of the document-focus refinement.
const FOCUS_PASSES: usize = 3;
/// Score cost of matching an alternate name rather than the main one:
/// "Maryville" is Maryville before it is a variant spelling of Beeville.
const ALTERNATE_PENALTY: f64 = 1.5;
/// Further cost of a town's alternate name when another place has it as its
/// main name.
const SHADOWED_ALTERNATE_PENALTY: f64 = 3.0;
/// Focus weight of a country named by its institutions in the text (one
/// resolved name weighs up to 3).
const COUNTRY_CUE_WEIGHT: f64 = 1.0;
/// Base-score lead (about 170 times the population) by which a namesake town
/// stands without support from the document.
const DOMINANT_MARGIN: f64 = 1.0;
/// Feature bonus of a first-level division at least as populous as any town
/// of its name.
const ADM1_BONUS: f64 = 1.0;
/// Score margin credited to a town or county that is its name's only reading.
const SINGLE_READING_MARGIN: f64 = 0.5;
/// Bonus for a reading that other names have readings close to.
const COLOC_WEIGHT: f64 = 3.0;
/// Readings per name taken into the co-location check (the best by base score).
const COLOC_MAX_READINGS: usize = 40;
/// Largest bonus document context can add (support 1.5 + 2.5, focus 3 + 2, near 3).
const MAX_CONTEXT_BONUS: f64 = 15.0;
/// Bonus for a reading near the likely readings of all other names.
const NEAR_WEIGHT: f64 = 3.0;
/// Share of a name's score mass from which a reading counts for nearness.
const NEAR_MIN_SHARE: f64 = 0.05;
/// Two places are near within this many km.
const NEAR_KM: f32 = 100.0;
/// Share of the document's focus that must lie in a guessed namesake's
/// country for the guess to stand (see [`Resolver::namesake_supported`]).
const GUESS_MIN_FOCUS_SHARE: f64 = 1.0 / 3.0;
/// Smallest share of a name's score mass for a candidate to count as support.
const SUPPORT_MIN_SHARE: f64 = 0.01;

/// What is known about a document beyond its text.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// The dateline place as written ("BEIRUT", "Washington").
    pub dateline: Option<String>,
    /// ISO 3166-1 alpha-2 codes of countries the document is known to be
    /// about, or published in: a weak prior on where its places are.
    pub countries: Vec<String>,
}

impl DocContext {
    /// Context from a document's metadata: its dateline place, and the
    /// country of its publisher's web domain (".co.uk", ".ge"; not ".com").
    pub fn from_document(doc: &dyad_core::Document) -> Self {
        let url = doc
            .meta
            .canonical_url
            .as_deref()
            .or(doc.meta.url.as_deref());
        DocContext {
            dateline: doc.meta.dateline.as_ref().and_then(|d| d.place.clone()),
            countries: url.and_then(tables::tld_country).into_iter().collect(),
        }
    }

    /// Context of a document published at `url` (or on host `url`): the
    /// country of its country-code domain, if any.
    pub fn from_publisher(url: &str) -> Self {
        DocContext {
            dateline: None,
            countries: tables::tld_country(url).into_iter().collect(),
        }
    }
}

/// One ranked candidate with the reasons for its score.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredCandidate {
    pub place: Place,
    pub score: f64,
    pub why: String,
}

/// The outcome of resolving one mention.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub place: Option<Place>,
    pub candidates_considered: usize,
    pub reason: String,
    /// The best few candidates, best first.
    pub ranked: Vec<ScoredCandidate>,
    /// Only when `place` is `None`: the country or state the name lies in,
    /// from explicit evidence. Not a place: see [`AreaAnswer`].
    pub area: Option<AreaAnswer>,
}

/// A country- or state-level answer for a place name the gazetteer lacks (or
/// has only a doubtful namesake of). It is NOT a located place: it has no
/// coordinates and no GeoNames id of the place, only the area it lies in,
/// how precise that is (`level`) and what it rests on (`source`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaAnswer {
    pub level: AreaLevel,
    pub source: AreaSource,
    pub country_iso2: String,
    pub country_iso3: String,
    pub country_fips: String,
    /// GeoNames admin1 code and name at [`AreaLevel::Admin1`]; empty otherwise.
    pub admin1_code: String,
    pub admin1_name: String,
    /// The words or figures the answer rests on.
    pub evidence: String,
}

/// How precise an [`AreaAnswer`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    Country,
    /// A first-level division (US state, province).
    Admin1,
}

/// What an [`AreaAnswer`] rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaSource {
    /// A state or country named with the name: "Smallville, Kan.",
    /// "Syria's Smallville".
    Containment,
    /// Most of the document's other places lie in one country.
    DocumentFocus,
}

impl std::fmt::Display for AreaLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AreaLevel::Country => "country",
            AreaLevel::Admin1 => "first-level division",
        })
    }
}

impl std::fmt::Display for AreaSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AreaSource::Containment => "containment",
            AreaSource::DocumentFocus => "document focus",
        })
    }
}

/// Distinct place names the document focus needs before it labels a name
/// the gazetteer lacks.
const AREA_FOCUS_MIN_NAMES: usize = 2;
/// Share of those names that must lie in the focus country (two thirds).
const AREA_FOCUS_MIN_SHARE: f64 = 2.0 / 3.0;

/// A mention ready for resolution.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub key: String,
    pub hint: Option<TypeHint>,
    /// Containers named next to the mention: (country, admin1 or NONE).
    pub container: Vec<(u16, u32)>,
    pub container_text: String,
    pub cands: Vec<Candidate>,
    /// Resolved without ranking (US state abbreviation, demonym).
    pub fixed: Option<(u32, &'static str)>,
    /// Some candidate's main name is this name.
    pub has_main: bool,
    /// How a name the gazetteer lacks was read ("the river named after
    /// 'Neches'"): the candidates are those of its namesake.
    pub via: Option<String>,
    /// The namesake reading is a guess (a feature named after a place): it
    /// needs support from the document.
    pub guess: bool,
    /// The most populous of the divisions whose names are this name with a
    /// compass word ("North Darfur" for "Darfur"), added as a variant reading.
    pub region: Option<u32>,
    /// Population of the name's most populous town or city reading.
    pub max_town_pop: u32,
    /// For a name without a reading of its own (absent, or only a namesake
    /// guess): the containers named right next to it ("Smallville, Kan.",
    /// "Syria's Smallville"), as (country, admin1 or NONE), with their text.
    pub area_container: Vec<(u16, u32)>,
    pub area_container_text: String,
    /// The name qualifies a word for people ("a Jordan woman", "Lebanon
    /// residents"): English names a country's people by its demonym
    /// ("a Jordanian woman"), so the name is no country here.
    pub names_residents: bool,
    /// Byte offsets of the mention in the text.
    pub start: usize,
    pub end: usize,
}

pub(crate) struct Resolver<'g> {
    pub gaz: &'g Gazetteer,
}

impl<'g> Resolver<'g> {
    /// Build the mention for `text[start..end]`, reading cues around it.
    pub fn mention(&self, text: &str, start: usize, end: usize, allow_demonym: bool) -> Mention {
        let g = self.gaz;
        let raw = text.get(start..end).unwrap_or("");
        let surface = strip_possessive(raw.trim());
        let mut m = Mention {
            key: normalize(surface),
            hint: None,
            container: Vec::new(),
            container_text: String::new(),
            cands: Vec::new(),
            fixed: None,
            has_main: false,
            via: None,
            guess: false,
            region: None,
            max_town_pop: 0,
            area_container: Vec::new(),
            area_container_text: String::new(),
            names_residents: false,
            start,
            end,
        };
        let code = tables::admin1_abbrev(surface, false).or_else(|| {
            // A tokenizer may leave the final period out of the span ("Ill").
            text.get(end..)
                .filter(|rest| rest.starts_with('.'))
                .and_then(|_| tables::admin1_abbrev(&format!("{surface}."), false))
        });
        if let Some((iso, code)) = code {
            if let Some(rec) = self.admin1_record(iso, code) {
                m.fixed = Some((rec, "state or province abbreviation"));
                return m;
            }
        }
        if allow_demonym {
            if let Some((iso, code)) = tables::admin1_demonym(surface) {
                if let Some(rec) = self.admin1_record(iso, code) {
                    m.fixed = Some((rec, REASON_ADMIN1_PEOPLE));
                    return m;
                }
            }
            if let Some(name) = tables::division_adjective(surface) {
                let adm1 = g.lookup(name).iter().find(|c| g.fcode(c.record) == FC_ADM1);
                if let Some(c) = adm1 {
                    m.fixed = Some((c.record, REASON_DIVISION_ADJECTIVE));
                    return m;
                }
            }
        }
        let mut cands = g.lookup_key(&m.key);
        // The surface's own key, kept for the demonym check below when the
        // lookup goes on with another key.
        let surface_key: Option<String> = cands.is_empty().then(|| m.key.clone());
        if cands.is_empty() {
            if let Some(k) = initialism_key(surface) {
                cands = g.lookup_key(&k);
                if !cands.is_empty() {
                    m.key = k;
                }
            }
        }
        if cands.is_empty() {
            // "Idlib province", "Rapides Parish": strip the division word, keep it as a hint.
            if let Some((head, last)) = surface.rsplit_once(' ') {
                if let Some(h) = tables::division_hint(last) {
                    let k = normalize(head);
                    let c = g.lookup_key(&k);
                    if !c.is_empty() {
                        m.key = k;
                        m.hint = Some(h);
                        cands = c;
                    }
                }
            }
        }
        // "Syrian", "Americans": the country, unless the word is itself a
        // country's name ("Jordan" is no demonym, but guard anyway).
        let names_country = cands
            .iter()
            .take(MAX_CANDIDATES)
            .any(|k| g.fcode(k.record) == FC_PCLI && !k.alternate);
        if allow_demonym && !names_country {
            // The country of the demonym, by way of its own record's country.
            let demonym_rec = g
                .demonym_country(surface_key.as_deref().unwrap_or(&m.key))
                .and_then(|c| g.country_rec(c))
                .map(|c| c.record)
                .filter(|r| *r != NONE_U32)
                .map(|r| g.record(r).country)
                .and_then(|ci| g.country_rec(ci))
                .map(|c| c.record)
                .filter(|r| *r != NONE_U32);
            if let Some(rec) = demonym_rec {
                m.fixed = Some((rec, REASON_DEMONYM));
                return m;
            }
        }
        if cands.is_empty() {
            match self.namesake(surface, allow_demonym) {
                Some(Namesake::Fixed(rec, why)) => {
                    m.fixed = Some((rec, why));
                    return m;
                }
                Some(Namesake::Name(key, via, guess)) => {
                    cands = g.lookup_key(&key);
                    m.key = key;
                    m.via = Some(via);
                    m.guess = guess;
                }
                None => {}
            }
        }
        if m.hint.is_none() && m.via.is_none() {
            m.hint = hint_around(text, start, end);
        }
        m.names_residents = m.via.is_none() && before_resident_noun(text, end);
        m.cands = cands.iter().take(MAX_CANDIDATES).copied().collect();
        m.has_main = m.cands.iter().any(|k| !k.alternate);
        if m.via.is_none() {
            m.region = self.compass_region(&m.key, &m.cands);
            if let Some(rec) = m.region {
                m.cands.push(Candidate {
                    record: rec,
                    alternate: true,
                });
            }
        }
        m.max_town_pop = m
            .cands
            .iter()
            .map(|k| g.record(k.record))
            .filter(|r| matches!(r.fcode, FC_PPL | FC_PPLC))
            .map(|r| r.population)
            .max()
            .unwrap_or(0);
        if (m.cands.is_empty() || m.guess) && !surface.is_empty() {
            let (cont, ctext) = self.explicit_container(text, start, end);
            m.area_container = cont;
            m.area_container_text = ctext;
        }
        if !m.cands.is_empty() {
            let (cont, ctext) = self.container(text, start, end);
            // A container only counts when some candidate lies in it: in a list
            // ("Iran, Russia and Turkey") the next name is not a container.
            if cont
                .iter()
                .any(|c| m.cands.iter().any(|k| self.inside(k.record, *c)))
                && !m
                    .cands
                    .iter()
                    .any(|k| g.fcode(k.record) == FC_PCLI && !k.alternate)
            {
                m.container = cont;
                m.container_text = ctext;
            }
        }
        m
    }

    /// A reading for a name the gazetteer lacks, from a form of it that it
    /// has: an abbreviation without its final period ("N.Y", "Calif"), a
    /// directional abbreviation ("W. Columbia"), the place people are named
    /// after (`given`: "Gazans", "New Londoners") or the namesake of a feature
    /// or part named after a place ("Neches River", "Port of Los Angeles",
    /// "Readington Township", "South Los Angeles"). A namesake must be some
    /// place's main name or a division's short form, not a variant ("Island"
    /// is no name of Iceland's here).
    /// `given`: the caller asserts the span is a place name.
    fn namesake(&self, surface: &str, given: bool) -> Option<Namesake> {
        let g = self.gaz;
        let words: Vec<&str> = surface.split_whitespace().collect();
        if (given || surface.contains('.')) && !surface.ends_with('.') && surface.len() >= 3 {
            if let Some((iso, code)) = tables::admin1_abbrev(&format!("{surface}."), false) {
                if let Some(rec) = self.admin1_record(iso, code) {
                    return Some(Namesake::Fixed(rec, "state or province abbreviation"));
                }
            }
        }
        let has_main = |form: &str| {
            let (key, initialism) = match initialism_key(form) {
                Some(k) => (k, true),
                None => (normalize(form), false),
            };
            let ok = (key.len() >= 4 || initialism)
                && !tables::is_common_word(&key)
                && feature_word(form).is_none()
                && g.lookup_key(&key).iter().any(|c| {
                    // A division's short form is stored as a variant ("Lanier"
                    // of Lanier County) but is as good as a main name.
                    !c.alternate || matches!(g.fcode(c.record), FC_ADM1 | FC_ADM2)
                });
            ok.then_some(key)
        };
        if words.len() >= 2 {
            if let Some(full) = expand_direction_abbrev(words[0]) {
                let form = format!("{full} {}", words[1..].join(" "));
                if let Some(key) = has_main(&form) {
                    return Some(Namesake::Name(key, format!("'{form}'"), false));
                }
            }
        }
        if given && words.len() <= 3 {
            if let Some(stem) = demonym_stems(surface)
                .into_iter()
                .find_map(|f| has_main(&f))
            {
                return Some(Namesake::Name(
                    stem,
                    REASON_PEOPLE_NAMED_AFTER.into(),
                    false,
                ));
            }
        }
        // Strip a generic feature word at either end ("Lake Hartwell",
        // "Catawba River", "Town of Groton") or a direction before a place
        // ("South Los Angeles"); the rest must still be a name of two words or more
        // letters than a word like "Side" would give.
        if words.len() >= 2 {
            // (remainder, how it was read, whether the reading is a guess)
            let mut forms: Vec<(String, String, bool)> = Vec::new();
            let last = words[words.len() - 1];
            if let Some(kind) = feature_word(last) {
                let form = words[..words.len() - 1].join(" ");
                let via = format!("{} named after '{form}'", kind.to_ascii_lowercase());
                forms.push((form, via, true));
            }
            for lead in LEADING_FEATURES {
                let n = lead.split(' ').count();
                if words.len() > n && words[..n].join(" ").eq_ignore_ascii_case(lead) {
                    let form = words[n..].join(" ");
                    let via = format!("{} '{form}'", lead.to_ascii_lowercase());
                    forms.push((form, via, true));
                }
            }
            // A part of a place ("South Los Angeles") lies in it, but "North
            // Atlantic" is no part of Atlantic, Iowa: a guess too.
            let first = words[0].trim_end_matches('.');
            let first = expand_direction_abbrev(words[0]).unwrap_or(first);
            if tables::is_direction(&first.to_ascii_lowercase()) {
                let form = words[1..].join(" ");
                let via = format!("part of '{form}'");
                forms.push((form, via, true));
            }
            for (form, via, guess) in forms {
                if let Some(key) = has_main(&form) {
                    return Some(Namesake::Name(key, via, guess));
                }
            }
        }
        None
    }

    /// A region the gazetteer lacks but whose parts it has: "Darfur" is what
    /// North, South, West, East and Central Darfur make up, "Kivu" North and
    /// South Kivu. Needs two or more such divisions of one kind in one country;
    /// gives the most populous. Only looked for when the name has no reading
    /// of note (no division, country or town of 10,000 people).
    fn compass_region(&self, key: &str, cands: &[Candidate]) -> Option<u32> {
        let g = self.gaz;
        let notable = cands.iter().any(|c| {
            let r = g.record(c.record);
            !matches!(r.fcode, FC_PPL | FC_ADM2) || r.population >= 10_000
        });
        if notable || key.len() < 4 || !g.is_compass_stem(key) {
            return None;
        }
        // (record, country, fcode, population, compass word) of each part.
        let mut parts: Vec<(u32, u16, u8, u32, usize)> = Vec::new();
        let mut buf = String::with_capacity(key.len() + 10);
        for (d, dir) in Gazetteer::COMPASS.iter().enumerate() {
            buf.clear();
            buf.push_str(dir);
            buf.push(' ');
            buf.push_str(key);
            // English variants count ("West Java" of Jawa Barat).
            for c in g.lookup_key(&buf) {
                let r = g.record(c.record);
                if matches!(r.fcode, FC_ADM1 | FC_ADM2) && r.country != NONE_U16 {
                    parts.push((c.record, r.country, r.fcode, r.population, d));
                }
            }
        }
        let best = parts.iter().max_by_key(|p| p.3)?;
        let mut dirs: Vec<usize> = parts
            .iter()
            .filter(|p| p.1 == best.1 && p.2 == best.2)
            .map(|p| p.4)
            .collect();
        dirs.dedup();
        (dirs.len() >= 2).then_some(best.0)
    }

    fn admin1_record(&self, iso: &str, code: &str) -> Option<u32> {
        let c = self.gaz.country_index(iso)?;
        let a = self.gaz.admin1_index(c, code)?;
        Some(self.gaz.admin1_rec(a)?.record)
    }

    fn inside(&self, rec: u32, (country, admin1): (u16, u32)) -> bool {
        let r = self.gaz.record(rec);
        r.country == country && (admin1 == NONE_U32 || r.admin1 == admin1) && r.fcode != FC_PCLI
    }

    /// Containers named after ("Idlib, Syria", "Springfield, Ill.") or before
    /// ("Syria's Idlib") the mention.
    fn container(&self, text: &str, start: usize, end: usize) -> (Vec<(u16, u32)>, String) {
        let after = text.get(end..).unwrap_or("");
        let after_t = after.trim_start_matches([' ', '\t']);
        if let Some(rest) = after_t.strip_prefix(',') {
            let words = leading_cap_words(rest.trim_start(), 4);
            for phrase in words.iter().rev() {
                let c = self.container_of(phrase, true);
                if !c.is_empty() {
                    return (c, phrase.to_string());
                }
            }
        }
        let before = text.get(..start).unwrap_or("");
        let before_t = before.trim_end();
        for poss in ["'s", "\u{2019}s"] {
            if let Some(head) = before_t.strip_suffix(poss) {
                let words = trailing_cap_words(head, 3);
                for phrase in words.iter().rev() {
                    let c = self.container_of(phrase, false);
                    if !c.is_empty() {
                        return (c, phrase.to_string());
                    }
                }
            }
        }
        (Vec::new(), String::new())
    }

    /// Containers of a name that has no reading to check them against: like
    /// [`Resolver::container`], but a name after the comma only counts when
    /// the clause goes on after it ("Smallville, Kan., said", "Smallville,
    /// Kansas."), not in a list ("Smallville, Kansas and Iowa").
    fn explicit_container(
        &self,
        text: &str,
        start: usize,
        end: usize,
    ) -> (Vec<(u16, u32)>, String) {
        let (cont, phrase) = self.container(text, start, end);
        if cont.is_empty() {
            return (cont, phrase);
        }
        let after = text
            .get(end..)
            .unwrap_or("")
            .trim_start_matches([' ', '\t']);
        if let Some(rest) = after.strip_prefix(',') {
            let rest = rest.trim_start();
            if rest.starts_with(phrase.as_str()) {
                let tail = rest[phrase.len()..].trim_start_matches([' ', '\t']);
                let ends_clause = tail.is_empty()
                    || tail.starts_with([
                        ',', '.', ';', ':', ')', '"', '\'', '\n', '\u{2014}', '\u{2013}',
                        '\u{201d}',
                    ]);
                let list = tail
                    .strip_prefix(',')
                    .map(str::trim_start)
                    .is_some_and(|t| t.starts_with("and ") || t.starts_with("or "));
                if !ends_clause || list {
                    return (Vec::new(), String::new());
                }
            }
        }
        (cont, phrase)
    }

    fn container_of(&self, phrase: &str, allow_postal: bool) -> Vec<(u16, u32)> {
        let g = self.gaz;
        let code = tables::admin1_abbrev(phrase, allow_postal)
            .or_else(|| tables::admin1_abbrev(phrase.trim_end_matches('.'), allow_postal))
            .or_else(|| {
                // "Alexandria, La. —" reaches here as "La."; "..., Ga" without the dot too.
                if phrase.len() > 7 {
                    return None;
                }
                tables::admin1_abbrev(&format!("{}.", phrase.trim_end_matches('.')), false)
            });
        if let Some((iso, code)) = code {
            if let (Some(c), Some(rec)) = (g.country_index(iso), self.admin1_record(iso, code)) {
                return vec![(c, g.record(rec).admin1)];
            }
        }
        let mut out = Vec::new();
        for c in g.lookup(phrase.trim_end_matches('.')) {
            let r = g.record(c.record);
            match r.fcode {
                FC_PCLI if r.country != NONE_U16 => out.push((r.country, NONE_U32)),
                FC_ADM1 if r.country != NONE_U16 && r.admin1 != NONE_U32 => {
                    out.push((r.country, r.admin1))
                }
                _ => {}
            }
        }
        out
    }

    /// Score one candidate without document focus, with the reasons.
    fn base(&self, m: &Mention, c: Candidate, why: Option<&mut String>) -> f64 {
        let r = self.gaz.record(c.record);
        let pop = r.population as f64;
        let mut s = 0.45 * (pop + 10.0).log10();
        // Notes are only written out when asked for.
        let explain = why.is_some();
        let mut notes: Vec<String> = Vec::new();
        let feat = match r.fcode {
            // "A Jordan woman" is from a town: a country's people take its demonym.
            FC_PCLI if m.names_residents => 0.0,
            FC_PCLI => 3.0,
            FC_CONT => 2.5,
            // A first-level division is named more often than its people
            // suggest ("Georgia", "Idlib province"), but not more often than a
            // bigger city of the same name (Portland, Jamaica's parish of 80,000,
            // is not Portland, Oregon).
            FC_ADM1 if r.population >= m.max_town_pop => ADM1_BONUS,
            FC_ADM1 => 0.0,
            FC_PPLC => 1.5,
            FC_ADM2 => -1.0,
            _ => 0.0,
        };
        s += feat;
        if c.alternate {
            s -= ALTERNATE_PENALTY;
            // A town known by this name beats another town's former or variant
            // name ("Maryville" is not Beeville, whatever the document's state).
            if m.has_main && matches!(r.fcode, FC_PPL | FC_PPLC) {
                s -= SHADOWED_ALTERNATE_PENALTY;
            }
            if explain {
                notes.push(if m.region == Some(c.record) {
                    "part of the region of that name".into()
                } else {
                    "alternate name".into()
                });
            }
        }
        if let Some(h) = m.hint {
            let fits = match h {
                TypeHint::Admin1 => r.fcode == FC_ADM1,
                TypeHint::Admin2 => r.fcode == FC_ADM2,
                TypeHint::Populated => matches!(r.fcode, FC_PPL | FC_PPLC),
                TypeHint::Country => r.fcode == FC_PCLI,
            };
            if fits {
                s += if h == TypeHint::Admin2 { 4.5 } else { 4.0 };
                if explain {
                    notes.push(format!("fits '{h:?}' cue"));
                }
            } else {
                s -= 1.0;
            }
        }
        if !m.container.is_empty() {
            if m.container.iter().any(|k| self.inside(c.record, *k)) {
                s += 5.0;
                if explain {
                    notes.push(format!("inside '{}'", m.container_text));
                }
            } else {
                s -= 5.0;
            }
        }
        if let Some(w) = why {
            *w = format!(
                "{} pop {}{}{}",
                crate::gazetteer::FCODES[r.fcode as usize],
                r.population,
                if notes.is_empty() { "" } else { "; " },
                notes.join("; ")
            );
        }
        s
    }

    /// Bonus from the rest of the document: how many other names could lie in
    /// the same country / first-level division (support, from each name's
    /// plausible candidates), and where the other names were resolved (focus).
    fn context_bonus(
        &self,
        rec: u32,
        gi: usize,
        ci: usize,
        st: &JointState,
        why: Option<&mut String>,
    ) -> f64 {
        let r = self.gaz.record(rec);
        let fixed = self.fixed_bonus(r, gi, ci, st);
        let (foc_c, foc_a) = self.focus_shares(r.country, r.admin1, gi, st);
        let b = add_focus(fixed.bonus, foc_c, foc_a);
        if let Some(w) = why {
            if b > 0.05 {
                let iso = self
                    .gaz
                    .country_rec(r.country)
                    .map(|c| c.iso2.as_str())
                    .unwrap_or("");
                *w = format!(
                    "document context {iso}: other names resolved there {:.0}%, could lie there {:.0}%, nearby {:.0}%, co-located {:.0}%",
                    100.0 * foc_c.unwrap_or(0.0).max(foc_a.unwrap_or(0.0)),
                    100.0 * fixed.sup_c.max(fixed.sup_a),
                    100.0 * fixed.near_share,
                    100.0 * fixed.coloc
                );
            }
        }
        b
    }

    /// The part of [`Resolver::context_bonus`] that the focus passes do not
    /// change: nearness, co-location and support.
    fn fixed_bonus(&self, r: &Record, gi: usize, ci: usize, st: &JointState) -> FixedBonus {
        let near_share = st
            .near
            .get(gi)
            .and_then(|v| v.get(ci))
            .copied()
            .unwrap_or(0.0);
        let coloc = st
            .coloc
            .get(gi)
            .and_then(|v| v.get(ci))
            .copied()
            .unwrap_or(0.0);
        let mut b = NEAR_WEIGHT * near_share + COLOC_WEIGHT * coloc;
        let others = st.sets.len().saturating_sub(1);
        let (mut sup_c, mut sup_a) = (0.0, 0.0);
        if others > 0 {
            let own = &st.sets[gi];
            let own_c = own.0.iter().find(|x| x.0 == r.country).map_or(0.0, |x| x.1);
            let nc = st.support_country.get(&r.country).copied().unwrap_or(0.0) - own_c;
            sup_c = (nc / others as f64).max(0.0);
            if r.admin1 != NONE_U32 {
                let own_a = own.1.iter().find(|x| x.0 == r.admin1).map_or(0.0, |x| x.1);
                let na = st.support_admin1.get(&r.admin1).copied().unwrap_or(0.0) - own_a;
                sup_a = (na / others as f64).max(0.0);
            }
            b += 1.5 * sup_c + 2.5 * sup_a;
        }
        FixedBonus {
            bonus: b,
            near_share,
            coloc,
            sup_c,
            sup_a,
        }
    }

    /// Shares of the focus (names resolved elsewhere in the document, less
    /// this name's own reading) in a country and a division; `None` while
    /// nothing else is resolved.
    fn focus_shares(
        &self,
        country: u16,
        admin1: u32,
        gi: usize,
        st: &JointState,
    ) -> (Option<f64>, Option<f64>) {
        let own = st.contrib.get(gi).copied().flatten();
        let own_w = own.map_or(0.0, |o| o.2);
        let total = st.focus_total - own_w;
        if total <= 1e-9 {
            return (None, None);
        }
        let mut cw = st.focus_country.get(&country).copied().unwrap_or(0.0);
        let mut aw = if admin1 != NONE_U32 {
            st.focus_admin1.get(&admin1).copied().unwrap_or(0.0)
        } else {
            0.0
        };
        if let Some((oc, oa, w)) = own {
            if oc == country {
                cw -= w;
            }
            if oa != NONE_U32 && oa == admin1 {
                aw -= w;
            }
        }
        (Some((cw / total).max(0.0)), Some((aw / total).max(0.0)))
    }

    /// Whether a namesake reading (see [`Resolver::namesake`]) may stand: a
    /// division or country always; a town or county never when less than a
    /// third of the document's focus lies in its country, else when it is the name's only
    /// plausible reading, outranks the others by [`DOMINANT_MARGIN`] on its own
    /// ("Tampa Bay" is by Tampa, Florida) or the document places it there:
    /// another name was resolved within [`NEAR_KM`] of it or in its
    /// first-level division.
    fn namesake_supported(
        &self,
        gi: usize,
        reps: &[Cow<'_, Mention>],
        choice: &[usize],
        bases: &[Vec<f64>],
        live: &[Vec<usize>],
        st: &JointState,
    ) -> bool {
        let g = self.gaz;
        let r = g.record(reps[gi].cands[choice[gi]].record);
        if !matches!(r.fcode, FC_PPL | FC_PPLC | FC_ADM2) {
            return true;
        }
        // A town abroad when the document's other places lie elsewhere:
        // "Kish River" in a story set in Illinois is no river of Kish, Iran,
        // however alone that reading is.
        let (in_country, _) = self.focus_shares(r.country, r.admin1, gi, st);
        if in_country.is_some_and(|share| share < GUESS_MIN_FOCUS_SHARE) {
            return false;
        }
        if live[gi].len() == 1 {
            return true;
        }
        let own = bases[gi][choice[gi]];
        let rival = live[gi]
            .iter()
            .filter(|&&ci| ci != choice[gi])
            .map(|&ci| bases[gi][ci])
            .fold(f64::NEG_INFINITY, f64::max);
        if own - rival >= DOMINANT_MARGIN {
            return true;
        }
        let near_other = reps.iter().enumerate().any(|(gj, o)| {
            let q = g.record(o.cands[choice[gj]].record);
            gj != gi && near(r.lat, r.lon, q.lat, q.lon)
        });
        if near_other || r.admin1 == NONE_U32 {
            return near_other;
        }
        // Focus of the division from other names (and from the dateline and
        // state abbreviations), less this name's own share.
        let own = st
            .contrib
            .get(gi)
            .copied()
            .flatten()
            .filter(|o| o.1 == r.admin1)
            .map_or(0.0, |o| o.2);
        st.focus_admin1.get(&r.admin1).copied().unwrap_or(0.0) - own > 1e-9
    }

    /// Resolve mentions jointly: mentions of the same name share one reading,
    /// and each name's reading is steered by where the others are.
    pub fn resolve(
        &self,
        text: &str,
        mentions: &[Mention],
        ctx: &DocContext,
        keep: usize,
        explain: bool,
    ) -> Vec<Resolution> {
        let g = self.gaz;
        // Group mentions by name: one name is one place in a document, and two
        // groups of one name would count as each other's support.
        let mut group_of: Vec<usize> = Vec::with_capacity(mentions.len());
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, m) in mentions.iter().enumerate() {
            if m.fixed.is_some() || m.cands.is_empty() {
                group_of.push(usize::MAX);
                continue;
            }
            let gi = *index.entry(m.key.as_str()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[gi].push(i);
            group_of.push(gi);
        }
        // A group's representative carries the first container any member
        // names, and names residents when any member does.
        let reps: Vec<Cow<'_, Mention>> = groups
            .iter()
            .map(|members| {
                let first = &mentions[members[0]];
                let residents =
                    !first.names_residents && members.iter().any(|i| mentions[*i].names_residents);
                let with = if first.container.is_empty() {
                    members.iter().find(|i| !mentions[**i].container.is_empty())
                } else {
                    None
                };
                if with.is_none() && !residents {
                    return Cow::Borrowed(first);
                }
                let mut rep = first.clone();
                if let Some(with) = with {
                    rep.container = mentions[*with].container.clone();
                    rep.container_text = mentions[*with].container_text.clone();
                }
                rep.names_residents |= residents;
                Cow::Owned(rep)
            })
            .collect();
        let bases: Vec<Vec<f64>> = reps
            .iter()
            .map(|m| m.cands.iter().map(|c| self.base(m, *c, None)).collect())
            .collect();

        // Candidates that can still win: context adds at most MAX_CONTEXT_BONUS.
        let live: Vec<Vec<usize>> = bases
            .iter()
            .map(|b| {
                let max = b.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (0..b.len())
                    .filter(|i| b[*i] >= max - MAX_CONTEXT_BONUS)
                    .collect()
            })
            .collect();

        // exp(base - best base) of every candidate: the softmax weights below.
        let weights: Vec<Vec<f64>> = bases
            .iter()
            .map(|b| {
                let max = b.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                b.iter().map(|x| (x - max).exp()).collect()
            })
            .collect();
        let mut st = JointState::default();
        // Where each name could plausibly be: countries and divisions of its
        // candidates, weighted by each candidate's share of the name's base scores.
        for (gi, m) in reps.iter().enumerate() {
            let z: f64 = weights[gi].iter().sum();
            let mut cs: Vec<(u16, f64)> = Vec::new();
            let mut a1s: Vec<(u32, f64)> = Vec::new();
            for &ci in &live[gi] {
                let c = &m.cands[ci];
                let p = weights[gi][ci] / z;
                if p < SUPPORT_MIN_SHARE {
                    continue;
                }
                let r = g.record(c.record);
                if r.country != NONE_U16 {
                    match cs.iter_mut().find(|x| x.0 == r.country) {
                        Some(x) => x.1 = x.1.max(p),
                        None => cs.push((r.country, p)),
                    }
                }
                if r.admin1 != NONE_U32 {
                    match a1s.iter_mut().find(|x| x.0 == r.admin1) {
                        Some(x) => x.1 = x.1.max(p),
                        None => a1s.push((r.admin1, p)),
                    }
                }
            }
            for (c, p) in &cs {
                *st.support_country.entry(*c).or_default() += p;
            }
            for (a, p) in &a1s {
                *st.support_admin1.entry(*a).or_default() += p;
            }
            st.sets.push((cs, a1s));
        }
        // Where each name's likely readings are (share ≥ NEAR_MIN_SHARE), for
        // the nearness support below.
        let likely: Vec<Vec<(f32, f32, f64)>> = reps
            .iter()
            .enumerate()
            .map(|(gi, m)| {
                let z: f64 = live[gi].iter().map(|&ci| weights[gi][ci]).sum();
                live[gi]
                    .iter()
                    .filter_map(|&ci| {
                        let p = weights[gi][ci] / z;
                        let r = g.record(m.cands[ci].record);
                        (p >= NEAR_MIN_SHARE && r.fcode != FC_PCLI && r.fcode != FC_CONT)
                            .then_some((r.lat, r.lon, p))
                    })
                    .collect()
            })
            .collect();
        if reps.len() > 1 {
            // Latitude span of each name's likely readings: a reading farther
            // than a degree (plus slack) from it is near none of them.
            let spans: Vec<(f32, f32)> = likely
                .iter()
                .map(|l| {
                    l.iter()
                        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), x| {
                            (lo.min(x.0), hi.max(x.0))
                        })
                })
                .collect();
            st.near = reps
                .iter()
                .enumerate()
                .map(|(gi, m)| {
                    let mut v = vec![0.0; m.cands.len()];
                    for &ci in &live[gi] {
                        let r = g.record(m.cands[ci].record);
                        let mut sum = 0.0;
                        for (gj, l) in likely.iter().enumerate() {
                            let (lo, hi) = spans[gj];
                            if gj == gi || r.lat < lo - 1.01 || r.lat > hi + 1.01 {
                                continue;
                            }
                            let best = l
                                .iter()
                                .filter(|(lat, lon, _)| near(r.lat, r.lon, *lat, *lon))
                                .map(|x| x.2)
                                .fold(0.0, f64::max);
                            sum += best;
                        }
                        v[ci] = sum / (reps.len() - 1) as f64;
                    }
                    v
                })
                .collect();
        }

        if reps.len() > 1 {
            st.coloc = self.colocation(&reps, &bases, &live);
        }

        // Evidence from outside the text and from names resolved without ranking.
        let mut prior = JointState::default();
        let mut dateline_country = NONE_U16;
        if let Some(d) = ctx.dateline.as_deref() {
            let dm = self.mention(d, 0, d.len(), false);
            if let Some(best) = dm.cands.iter().max_by(|a, b| {
                self.base(&dm, **a, None)
                    .total_cmp(&self.base(&dm, **b, None))
            }) {
                prior.add_focus(g, best.record, 2.0);
                dateline_country = g.record(best.record).country;
            }
        }
        let mut ctx_countries: Vec<u16> = Vec::new();
        for iso in &ctx.countries {
            if let Some(c) = g.country_index(&iso.to_ascii_uppercase()) {
                *prior.focus_country.entry(c).or_default() += 2.0;
                prior.focus_total += 2.0;
                ctx_countries.push(c);
            }
        }
        // Institutions only one country has ("the sheriff's office", "Interstate
        // 95") tell where a local story is when its place names do not.
        if let Some(iso) = tables::country_cue(text) {
            if let Some(c) = g.country_index(iso) {
                let w = COUNTRY_CUE_WEIGHT;
                *prior.focus_country.entry(c).or_default() += w;
                prior.focus_total += w;
            }
        }
        // Clock times written "10 p.m." say the story is North American. The
        // weight goes to each such country without counting twice in the
        // total, so it favours their readings over those abroad and does not
        // dilute a Canadian story's focus in favour of the US.
        if tables::dotted_meridiem_time(text) {
            let w = COUNTRY_CUE_WEIGHT;
            let mut any = false;
            for iso in tables::DOTTED_MERIDIEM_COUNTRIES {
                if let Some(c) = g.country_index(iso) {
                    *prior.focus_country.entry(c).or_default() += w;
                    any = true;
                }
            }
            if any {
                prior.focus_total += w;
            }
        }
        for m in mentions {
            if let Some((rec, _)) = m.fixed {
                prior.add_focus(g, rec, 1.0);
            }
        }

        // Per group, its live candidates with what the passes need of them:
        // (candidate, country, admin1, focus-independent bonus).
        let live_info: Vec<Vec<(usize, u16, u32, f64)>> = reps
            .iter()
            .enumerate()
            .map(|(gi, m)| {
                live[gi]
                    .iter()
                    .map(|&ci| {
                        let r = g.record(m.cands[ci].record);
                        (
                            ci,
                            r.country,
                            r.admin1,
                            self.fixed_bonus(r, gi, ci, &st).bonus,
                        )
                    })
                    .collect()
            })
            .collect();
        let mut choice: Vec<usize> = vec![0; reps.len()];
        st.contrib = vec![None; reps.len()];
        for _pass in 0..FOCUS_PASSES {
            st.focus_country = prior.focus_country.clone();
            st.focus_admin1 = prior.focus_admin1.clone();
            st.focus_total = prior.focus_total;
            for (c, a, w) in st.contrib.clone().into_iter().flatten() {
                if c != NONE_U16 {
                    *st.focus_country.entry(c).or_default() += w;
                }
                if a != NONE_U32 {
                    *st.focus_admin1.entry(a).or_default() += w;
                }
                st.focus_total += w;
            }
            let mut next: Vec<Option<(u16, u32, f64)>> = vec![None; reps.len()];
            for (gi, m) in reps.iter().enumerate() {
                let mut best = (0usize, f64::NEG_INFINITY);
                let mut second = f64::NEG_INFINITY;
                for &(ci, country, admin1, fixed) in &live_info[gi] {
                    let (foc_c, foc_a) = self.focus_shares(country, admin1, gi, &st);
                    let s = bases[gi][ci] + add_focus(fixed, foc_c, foc_a);
                    if s > best.1 {
                        second = best.1;
                        best = (ci, s);
                    } else if s > second {
                        second = s;
                    }
                }
                let margin = if second.is_finite() {
                    best.1 - second
                } else if matches!(g.fcode(m.cands[best.0].record), FC_PCLI | FC_ADM1) {
                    4.0
                } else {
                    // A town or county that is a name's only reading may still be
                    // the wrong place (the gazetteer lacks the park, the street,
                    // the hamlet meant), so it steers the others only a little.
                    SINGLE_READING_MARGIN
                };
                choice[gi] = best.0;
                let conf = (margin / 2.0).clamp(0.25, 1.0);
                let w = (groups[gi].len() as f64).min(3.0) * conf;
                let r = g.record(m.cands[best.0].record);
                next[gi] = Some((r.country, r.admin1, w));
            }
            st.contrib = next;
        }

        let mut group_res: Vec<Option<Resolution>> = Vec::with_capacity(reps.len());
        for (gi, m) in reps.iter().enumerate() {
            let ci = choice[gi];
            // A town or county taken for a feature named after it ("Jerome
            // Township") is only a guess: keep it when it is the name's only
            // reading or the document places it (nearby names, a named county,
            // other names in its state); else the feature stays unresolved.
            let only_guess = groups[gi].iter().all(|&i| mentions[i].guess);
            if only_guess && !self.namesake_supported(gi, &reps, &choice, &bases, &live, &st) {
                group_res.push(None);
                continue;
            }
            let explain_one = |ci: usize| {
                let mut why = String::new();
                let mut cwhy = String::new();
                let s = self.base(m, m.cands[ci], Some(&mut why))
                    + self.context_bonus(m.cands[ci].record, gi, ci, &st, Some(&mut cwhy));
                if !cwhy.is_empty() {
                    why.push_str("; ");
                    why.push_str(&cwhy);
                }
                (s, ci, why)
            };
            // Reasons cost string building: only when the caller shows them.
            let reason = if explain {
                let (_, _, chosen_why) = explain_one(ci);
                format!("best of {} candidates: {}", m.cands.len(), chosen_why)
            } else {
                String::new()
            };
            let ranked = if keep > 0 {
                let mut scored: Vec<(f64, usize, String)> =
                    (0..m.cands.len()).map(explain_one).collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                scored
                    .iter()
                    .take(keep)
                    .map(|(s, ci, why)| ScoredCandidate {
                        place: g.place(m.cands[*ci]),
                        score: (*s * 1000.0).round() / 1000.0,
                        why: why.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            group_res.push(Some(Resolution {
                place: Some(g.place(m.cands[ci])),
                candidates_considered: m.cands.len(),
                reason,
                ranked,
                area: None,
            }));
        }
        // The last mention of a group takes its resolution, the others copy it.
        let mut left: Vec<usize> = groups.iter().map(Vec::len).collect();
        let mut out: Vec<Resolution> = mentions
            .iter()
            .enumerate()
            .map(|(i, m)| {
                if let Some((rec, why)) = m.fixed {
                    return Resolution {
                        place: Some(g.place_of(rec)),
                        candidates_considered: 1,
                        reason: why.to_string(),
                        ranked: Vec::new(),
                        area: None,
                    };
                }
                if m.cands.is_empty() {
                    return Resolution {
                        place: None,
                        candidates_considered: 0,
                        reason: "not in the gazetteer".into(),
                        ranked: Vec::new(),
                        area: None,
                    };
                }
                let gi = group_of[i];
                left[gi] -= 1;
                let res = if left[gi] == 0 {
                    group_res[gi].take()
                } else {
                    group_res[gi].clone()
                };
                let Some(mut r) = res else {
                    return Resolution {
                        place: None,
                        candidates_considered: m.cands.len(),
                        reason: format!(
                            "not in the gazetteer; its namesake ({}) has no reading the document supports",
                            m.via.as_deref().unwrap_or("")
                        ),
                        ranked: Vec::new(),
                        area: None,
                    };
                };
                if let (Some(via), true) = (&m.via, explain) {
                    r.reason = format!(
                        "not in the gazetteer; located by its namesake ({via}), {}",
                        r.reason
                    );
                }
                r
            })
            .collect();
        let mut known: Vec<(&str, u16)> = Vec::new();
        if dateline_country != NONE_U16 {
            known.push(("\u{0}dateline", dateline_country));
        }
        for c in &ctx_countries {
            known.push(("\u{0}publisher", *c));
        }
        self.add_areas(text, mentions, &mut out, &known);
        out
    }

    /// Label names left without a place with the area they lie in, when the
    /// evidence is explicit: a state or country named with them, else the
    /// country most of the document's other places lie in.
    fn add_areas(
        &self,
        text: &str,
        mentions: &[Mention],
        out: &mut [Resolution],
        known: &[(&str, u16)],
    ) {
        let g = self.gaz;
        if out.iter().all(|r| r.place.is_some()) {
            return;
        }
        // A neighbourhood named with its town ("Quillmere, Oxford"), read
        // before `out` is changed below.
        let towns: Vec<Option<((u16, u32), String)>> = mentions
            .iter()
            .enumerate()
            .map(|(i, m)| {
                if out[i].place.is_some() || !m.area_container.is_empty() || m.key.is_empty() {
                    return None;
                }
                self.town_after(text, m, mentions, out)
            })
            .collect();
        // Distinct place names resolved, by country (the dateline counts as
        // one). Words for people ("Latvians", "Texans") say who is in the
        // story, not where it is: they do not count.
        // (name, country, first-level division code or "")
        let mut names: Vec<(&str, &str, &str)> = out
            .iter()
            .zip(mentions)
            .filter(|(_, m)| !names_people(m))
            .filter_map(|(r, m)| {
                let p = r.place.as_ref()?;
                Some((
                    m.key.as_str(),
                    p.country_iso2.as_str(),
                    p.admin1_code.as_str(),
                ))
            })
            .filter(|(_, iso, _)| !iso.is_empty())
            .collect();
        // The dateline and the countries the caller knows the document is
        // about (its publisher's) count as one name each.
        for (label, c) in known {
            if let Some(cr) = g.country_rec(*c) {
                names.push((label, cr.iso2.as_str(), ""));
            }
        }
        names.sort_unstable();
        names.dedup_by(|a, b| a.0 == b.0);
        let mut by_country: Vec<(&str, usize)> = Vec::new();
        for (_, iso, _) in &names {
            match by_country.iter_mut().find(|c| c.0 == *iso) {
                Some(c) => c.1 += 1,
                None => by_country.push((iso, 1)),
            }
        }
        let focus = by_country
            .iter()
            .max_by_key(|c| c.1)
            .filter(|c| {
                c.1 >= AREA_FOCUS_MIN_NAMES
                    && c.1 as f64 >= AREA_FOCUS_MIN_SHARE * names.len() as f64
            })
            .map(|c| {
                let iso = c.0.to_string();
                let mut why = format!(
                    "{} of the document's {} other place names lie in {iso}",
                    c.1,
                    names.len()
                );
                let admin1 = division_focus(&names, c.0).map(|(code, n, of)| {
                    why.push_str(&format!(
                        ", {n} of its {of} named in a first-level division in {iso}-{code}"
                    ));
                    code.to_string()
                });
                (iso, admin1, why)
            })
            .or_else(|| {
                self.mention_focus(mentions, out)
                    .map(|(iso, why)| (iso, None, why))
            });
        drop(names);
        let focus_idx = focus.as_ref().and_then(|f| g.country_index(&f.0));
        for ((r, m), town) in out.iter_mut().zip(mentions).zip(towns) {
            if r.place.is_some() || m.key.is_empty() {
                continue;
            }
            let by_container = self
                .pick_container(&m.area_container, focus_idx)
                .map(|c| (c, m.area_container_text.clone()))
                .or(town);
            r.area = match (by_container, &focus) {
                (Some(((c, a), ctext)), _) => self.area_answer(
                    c,
                    a,
                    AreaSource::Containment,
                    format!("named with '{ctext}'"),
                ),
                (None, Some((iso, admin1, why))) => g.country_index(iso).and_then(|c| {
                    let a = admin1
                        .as_deref()
                        .and_then(|code| g.admin1_index(c, code))
                        .unwrap_or(NONE_U32);
                    self.area_answer(c, a, AreaSource::DocumentFocus, why.clone())
                }),
                (None, None) => None,
            };
            if let (Some(a), false) = (&r.area, r.reason.is_empty()) {
                r.reason = format!(
                    "{}; area only ({} level, {}): {}",
                    r.reason, a.level, a.country_iso2, a.evidence
                );
            }
        }
    }

    /// The country and division of a town named right after `m` and a comma
    /// ("Quillmere, Oxford, said"; "… in Quillmere, Oxford."), resolved as a
    /// town elsewhere in `out`: a name the gazetteer lacks written so is a
    /// part of that town. Not in a list ("Quillmere, Oxford and Bath",
    /// "Quillmere, Oxford, Bath").
    fn town_after(
        &self,
        text: &str,
        m: &Mention,
        mentions: &[Mention],
        out: &[Resolution],
    ) -> Option<((u16, u32), String)> {
        let g = self.gaz;
        let after = text.get(m.end..)?.trim_start_matches([' ', '\t']);
        let rest = after.strip_prefix(',')?;
        let at = text.len() - rest.trim_start().len();
        let j = mentions.iter().position(|o| o.start == at && o.end > at)?;
        let p = out[j].place.as_ref()?;
        if !matches!(p.feature_code.as_str(), "PPL" | "PPLC") {
            return None;
        }
        let tail = text.get(mentions[j].end..)?.trim_start_matches([' ', '\t']);
        let list = tail.starts_with("and ")
            || tail.starts_with("or ")
            || tail
                .strip_prefix(',')
                .map(str::trim_start)
                .is_some_and(|t| {
                    t.starts_with("and ")
                        || t.starts_with("or ")
                        || t.starts_with(|c: char| c.is_uppercase())
                });
        if list {
            return None;
        }
        let c = g.country_index(&p.country_iso2)?;
        let a = g.admin1_index(c, &p.admin1_code).unwrap_or(NONE_U32);
        Some((
            (c, a),
            text.get(mentions[j].start..mentions[j].end)?.to_string(),
        ))
    }

    /// The country a document is about by how often it is named, for when no
    /// country has two thirds of the distinct names (a story set in one
    /// country and about its quarrel with another names both a few times,
    /// but its setting again and again: "Georgian forces", "the Georgian
    /// ceasefire"). Every mention counts, a word for people half (it says who
    /// more than where). The leader needs half the weight, 1.5 times the
    /// runner-up's and two distinct place names of its own. Gives the ISO
    /// code and the evidence.
    fn mention_focus(&self, mentions: &[Mention], out: &[Resolution]) -> Option<(String, String)> {
        // (country, weight, mentions, distinct place names)
        let mut tally: Vec<(&str, f64, usize, Vec<&str>)> = Vec::new();
        let mut total = 0.0;
        let mut count = 0;
        for (r, m) in out.iter().zip(mentions) {
            let Some(p) = r.place.as_ref().filter(|p| !p.country_iso2.is_empty()) else {
                continue;
            };
            let people = names_people(m);
            let w = if people { 0.5 } else { 1.0 };
            total += w;
            count += 1;
            let i = match tally.iter().position(|t| t.0 == p.country_iso2) {
                Some(i) => i,
                None => {
                    tally.push((p.country_iso2.as_str(), 0.0, 0, Vec::new()));
                    tally.len() - 1
                }
            };
            let t = &mut tally[i];
            t.1 += w;
            t.2 += 1;
            if !people && !t.3.contains(&m.key.as_str()) {
                t.3.push(m.key.as_str());
            }
        }
        tally.sort_by(|a, b| b.1.total_cmp(&a.1));
        let lead = tally.first()?;
        let runner = tally.get(1).map_or(0.0, |t| t.1);
        (lead.3.len() >= AREA_FOCUS_MIN_NAMES && lead.1 >= 0.5 * total && lead.1 >= 1.5 * runner)
            .then(|| {
                let iso = lead.0.to_string();
                let why = format!(
                    "{} of the document's {count} mentions of places and peoples are of {iso}",
                    lead.2
                );
                (iso, why)
            })
    }

    /// The container to label a name with: the only country named, or the
    /// focus country among several ("Georgia"); a division when it is the
    /// only one of that country.
    fn pick_container(&self, cont: &[(u16, u32)], focus: Option<u16>) -> Option<(u16, u32)> {
        let first = cont.first()?.0;
        let country = if cont.iter().all(|c| c.0 == first) {
            first
        } else {
            focus.filter(|f| cont.iter().any(|c| c.0 == *f))?
        };
        let mut admin1 = cont.iter().filter(|c| c.0 == country).map(|c| c.1);
        let a = admin1.next().unwrap_or(NONE_U32);
        Some((country, if admin1.any(|x| x != a) { NONE_U32 } else { a }))
    }

    fn area_answer(
        &self,
        country: u16,
        admin1: u32,
        source: AreaSource,
        evidence: String,
    ) -> Option<AreaAnswer> {
        let g = self.gaz;
        let c = g.country_rec(country)?;
        let (level, code, name) = match g.admin1_rec(admin1) {
            Some(a) => (
                AreaLevel::Admin1,
                g.s(a.code).to_string(),
                g.s(g.record(a.record).name).to_string(),
            ),
            None => (AreaLevel::Country, String::new(), String::new()),
        };
        Some(AreaAnswer {
            level,
            source,
            country_iso2: c.iso2.clone(),
            country_iso3: c.iso3.clone(),
            country_fips: c.fips.clone(),
            admin1_code: code,
            admin1_name: name,
            evidence,
        })
    }
}

impl Resolver<'_> {
    /// Co-location evidence: two names with readings close to each other
    /// ("Paris" and "Henry County" both in Tennessee) support those readings,
    /// however small the places. A name pair's credit is split among the
    /// readings that take part, so a coincidence between names with hundreds
    /// of readings (Springfield, Washington) counts for little.
    /// Whether one of two records is a county and the other a town in it.
    fn in_county(&self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.gaz.record(a), self.gaz.record(b));
        let (town, county) = match (ra.fcode, rb.fcode) {
            (FC_ADM2, FC_PPL | FC_PPLC) => (rb, ra),
            (FC_PPL | FC_PPLC, FC_ADM2) => (ra, rb),
            _ => return false,
        };
        town.admin1 == county.admin1
            && town.country == county.country
            && town.admin2.len > 0
            && self.gaz.s(town.admin2) == self.gaz.s(county.name)
    }

    fn colocation(
        &self,
        reps: &[Cow<'_, Mention>],
        bases: &[Vec<f64>],
        live: &[Vec<usize>],
    ) -> Vec<Vec<f64>> {
        let g = self.gaz;
        // The most plausible local readings of each name (towns and counties).
        let local: Vec<Vec<Local>> = reps
            .iter()
            .enumerate()
            .map(|(gi, m)| {
                let mut v: Vec<usize> = live[gi]
                    .iter()
                    .copied()
                    .filter(|&ci| matches!(g.fcode(m.cands[ci].record), FC_PPL | FC_PPLC | FC_ADM2))
                    .collect();
                v.sort_by(|a, b| bases[gi][*b].total_cmp(&bases[gi][*a]));
                v.truncate(COLOC_MAX_READINGS);
                v.into_iter()
                    .map(|ci| self.local(ci, m.cands[ci].record))
                    .collect()
            })
            .collect();
        // (has a county reading, has a town reading): containment needs one of each.
        let kinds: Vec<(bool, bool)> = local
            .iter()
            .map(|v| (v.iter().any(|x| x.county), v.iter().any(|x| !x.county)))
            .collect();
        // Each name's local readings by latitude, for the nearness windows.
        let by_lat: Vec<Vec<(f32, f32)>> = local
            .iter()
            .map(|v| {
                let mut l: Vec<(f32, f32)> = v.iter().map(|x| (x.lat, x.lon)).collect();
                l.sort_by(|a, b| a.0.total_cmp(&b.0));
                l
            })
            .collect();
        let mut out: Vec<Vec<f64>> = reps.iter().map(|m| vec![0.0; m.cands.len()]).collect();
        let others = (reps.len() - 1) as f64;
        let mut hit: Vec<usize> = Vec::new();
        for gi in 0..reps.len() {
            for gj in 0..reps.len() {
                if gi == gj || local[gj].is_empty() {
                    continue;
                }
                // A town named with its own county ("Paris and Henry County")
                // is the strongest pairing; nearness is the fallback.
                hit.clear();
                let (ki, kj) = (kinds[gi], kinds[gj]);
                if (ki.0 && kj.1) || (ki.1 && kj.0) {
                    for a in &local[gi] {
                        if a.link != 0
                            && local[gj].iter().any(|b| {
                                a.county != b.county
                                    && a.link == b.link
                                    && self.in_county(a.rec, b.rec)
                            })
                        {
                            hit.push(a.ci);
                        }
                    }
                }
                if hit.is_empty() {
                    let other = &by_lat[gj];
                    for a in &local[gi] {
                        // near() needs the latitudes within a degree; the
                        // window is a little wider so that it decides alone.
                        let from = other.partition_point(|x| x.0 < a.lat - 1.01);
                        if other[from..]
                            .iter()
                            .take_while(|x| x.0 <= a.lat + 1.01)
                            .any(|&(la, lo)| near(a.lat, a.lon, la, lo))
                        {
                            hit.push(a.ci);
                        }
                    }
                }
                let share = 1.0 / (hit.len().max(1) as f64 * others);
                for &ci in &hit {
                    out[gi][ci] += share;
                }
            }
        }
        out
    }

    /// A town or county reading prepared for the co-location check.
    fn local(&self, ci: usize, rec: u32) -> Local {
        let g = self.gaz;
        let r = g.record(rec);
        let county = r.fcode == FC_ADM2;
        // A county links by its own name, a town by its county's name.
        let name = if county { r.name } else { r.admin2 };
        let link = if name.len == 0 {
            0
        } else {
            let mut h = rustc_hash::FxHasher::default();
            h.write_u16(r.country);
            h.write_u32(r.admin1);
            h.write(g.s(name).as_bytes());
            h.finish() | 1
        };
        Local {
            ci,
            lat: r.lat,
            lon: r.lon,
            rec,
            county,
            link,
        }
    }
}

/// A town or county reading in [`Resolver::colocation`]. Two readings can
/// only be town and county of each other ([`Resolver::in_county`]) when their
/// `link`s (a hash of country, division and county name) agree.
struct Local {
    ci: usize,
    lat: f32,
    lon: f32,
    rec: u32,
    county: bool,
    link: u64,
}

/// The first-level division most of a focus country's names lie in: one
/// with two names or more and two thirds of those of the country's names
/// that lie in any division (the country's own name is neutral). Gives
/// (division code, its names, the country's names in a division).
fn division_focus<'a>(
    names: &[(&str, &'a str, &'a str)],
    iso: &str,
) -> Option<(&'a str, usize, usize)> {
    let mut by_division: Vec<(&str, usize)> = Vec::new();
    let mut of = 0;
    for (_, c, a) in names {
        if *c != iso || a.is_empty() {
            continue;
        }
        of += 1;
        match by_division.iter_mut().find(|d| d.0 == *a) {
            Some(d) => d.1 += 1,
            None => by_division.push((a, 1)),
        }
    }
    by_division
        .into_iter()
        .max_by_key(|d| d.1)
        .filter(|d| d.1 >= AREA_FOCUS_MIN_NAMES && d.1 as f64 >= AREA_FOCUS_MIN_SHARE * of as f64)
        .map(|(code, n)| (code, n, of))
}

/// Whether a mention was read as a word for people or an adjective
/// ("Syrians", "Ohioans", "Chechen", "Gazans").
fn names_people(m: &Mention) -> bool {
    matches!(
        m.fixed,
        Some((
            _,
            REASON_DEMONYM | REASON_ADMIN1_PEOPLE | REASON_DIVISION_ADJECTIVE
        ))
    ) || m.via.as_deref() == Some(REASON_PEOPLE_NAMED_AFTER)
}

const REASON_DEMONYM: &str = "demonym of the country";
const REASON_ADMIN1_PEOPLE: &str = "people of a state or province";
const REASON_DIVISION_ADJECTIVE: &str = "adjective of a division";
const REASON_PEOPLE_NAMED_AFTER: &str = "people named after a place";

/// A reading found by [`Resolver::namesake`].
enum Namesake {
    /// Resolved without ranking (a state abbreviation).
    Fixed(u32, &'static str),
    /// The index key of the namesake, how it was found, and whether the
    /// namesake is only a guess at where the place is (a feature named after a
    /// town may lie far from it).
    Name(String, String, bool),
}

/// Feature words written before the name ("Lake Hartwell", "Port of Los Angeles").
const LEADING_FEATURES: &[&str] = &["Lake", "Port of", "Town of", "Township of", "City of"];

/// A generic word for a natural feature or a civil division written after a
/// name ("Catawba River", "Readington Township"), which is then usually named
/// after, or gives its name to, a place nearby. Parks, islands and mountains are
/// left out: they are mostly named after people or are no town's namesake.
fn feature_word(word: &str) -> Option<&'static str> {
    Some(
        match word.trim_end_matches('.').to_ascii_lowercase().as_str() {
            "river" => "River",
            "creek" => "Creek",
            "lake" => "Lake",
            "reservoir" => "Reservoir",
            "bay" => "Bay",
            "harbor" | "harbour" => "Harbor",
            "valley" => "Valley",
            "falls" => "Falls",
            "township" | "twp" => "Township",
            _ => return None,
        },
    )
}

/// "N." → "North" and so on (only with the period: "E" alone is no direction).
fn expand_direction_abbrev(word: &str) -> Option<&'static str> {
    Some(match word {
        "N." => "North",
        "S." => "South",
        "E." => "East",
        "W." => "West",
        _ => return None,
    })
}

/// Place names a word for people may be formed from ("Gazans" → "Gaza",
/// "South Ossetian" → "South Ossetia", "Londoners" → "London", "Richmondites"
/// → "Richmond"), most specific ending first.
fn demonym_stems(surface: &str) -> Vec<String> {
    const RULES: &[(&str, &str)] = &[
        ("ians", "ia"),
        ("ian", "ia"),
        ("ans", "a"),
        ("an", "a"),
        ("ites", ""),
        ("ite", ""),
        ("ers", ""),
        ("er", ""),
        ("ans", ""),
        ("an", ""),
    ];
    RULES
        .iter()
        .filter_map(|(suf, rep)| {
            let stem = surface.strip_suffix(suf)?;
            (stem.chars().count() >= 3).then(|| format!("{stem}{rep}"))
        })
        .collect()
}

/// Countries and divisions a name could lie in, each with the largest share of
/// the name's score mass among its candidates there.
type PlausibleSet = (Vec<(u16, f64)>, Vec<(u32, f64)>);

/// Maps keyed by small integers (country and division indices): SipHash's DoS
/// resistance buys nothing here and cost several percent of resolution time.
type IntMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Document-level evidence shared by the joint resolution passes.
#[derive(Default)]
struct JointState {
    /// Per group: countries and divisions of its plausible candidates.
    sets: Vec<PlausibleSet>,
    support_country: IntMap<u16, f64>,
    support_admin1: IntMap<u32, f64>,
    focus_country: IntMap<u16, f64>,
    focus_admin1: IntMap<u32, f64>,
    focus_total: f64,
    /// Per group: (country, admin1, weight) of its current reading.
    contrib: Vec<Option<(u16, u32, f64)>>,
    /// Per group and candidate: share of other names with a likely reading nearby.
    near: Vec<Vec<f64>>,
    /// Per group and candidate: share of other names that have some reading
    /// near this one, each shared among the readings it is near.
    coloc: Vec<Vec<f64>>,
}

impl JointState {
    fn add_focus(&mut self, g: &Gazetteer, rec: u32, w: f64) {
        let r = g.record(rec);
        if r.country != NONE_U16 {
            *self.focus_country.entry(r.country).or_default() += w;
        }
        if r.admin1 != NONE_U32 {
            *self.focus_admin1.entry(r.admin1).or_default() += w;
        }
        self.focus_total += w;
    }
}

/// The focus-independent part of a candidate's context bonus, with its parts
/// for the explanation.
struct FixedBonus {
    bonus: f64,
    near_share: f64,
    coloc: f64,
    sup_c: f64,
    sup_a: f64,
}

/// Add the focus term to the fixed bonus (nothing while no other name is resolved).
fn add_focus(fixed: f64, foc_c: Option<f64>, foc_a: Option<f64>) -> f64 {
    match (foc_c, foc_a) {
        (Some(c), Some(a)) => fixed + (3.0 * c + 2.0 * a),
        _ => fixed,
    }
}

/// Equirectangular distance check: cheap, and exact enough at 100 km.
fn near(lat1: f32, lon1: f32, lat2: f32, lon2: f32) -> bool {
    let dlat = (lat2 - lat1).abs();
    if dlat > 1.0 {
        return false;
    }
    let x = (lon2 - lon1).abs().min(360.0 - (lon2 - lon1).abs())
        * (((lat1 + lat2) / 2.0).to_radians().cos());
    let km = 111.2 * (dlat * dlat + x * x).sqrt();
    km <= NEAR_KM
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("\u{2019}s"))
        .map(str::trim_end)
        .unwrap_or(s)
}

/// A division word right after the span ("Idlib province") or "province of"
/// right before it.
fn hint_around(text: &str, start: usize, end: usize) -> Option<TypeHint> {
    let after = text
        .get(end..)
        .unwrap_or("")
        .trim_start_matches([' ', '\t']);
    let n = after
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(after.len());
    if let Some(h) = tables::division_hint(&after[..n]) {
        return Some(h);
    }
    let before = text.get(..start).unwrap_or("").trim_end();
    if after_street_address(before) {
        return Some(TypeHint::Populated);
    }
    let before = before.strip_suffix("of")?.trim_end();
    let from = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(before.len(), |(i, _)| i);
    tables::division_hint(&before[from..])
}

/// Whether the word right after `end` names residents ("… woman",
/// "… residents"): the name before it is then a town's or state's.
fn before_resident_noun(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let Some(rest) = after.strip_prefix(' ') else {
        return false;
    };
    let n = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    // A possessive names a team or an event, and teams take the country's name: "the
    // Brazil women's team".
    if rest[n..].starts_with(['\'', '\u{2019}']) {
        return false;
    }
    matches!(
        &rest[..n],
        "woman"
            | "women"
            | "man"
            | "men"
            | "boy"
            | "boys"
            | "girl"
            | "girls"
            | "teen"
            | "teens"
            | "teenager"
            | "couple"
            | "resident"
            | "residents"
    )
}

/// Whether `before` ends with a street address and a comma ("… 40 Elm
/// St.,", "12 North Main Street,"): the name after it is then the town.
fn after_street_address(before: &str) -> bool {
    let Some(head) = before.strip_suffix(',') else {
        return false;
    };
    let mut words = head.rsplit(' ').filter(|w| !w.is_empty());
    let Some(last) = words.next() else {
        return false;
    };
    let street = matches!(
        last.trim_end_matches('.'),
        "St" | "Street"
            | "Ave"
            | "Avenue"
            | "Rd"
            | "Road"
            | "Dr"
            | "Drive"
            | "Blvd"
            | "Boulevard"
            | "Ln"
            | "Lane"
            | "Hwy"
            | "Highway"
            | "Pike"
            | "Pkwy"
            | "Parkway"
    );
    // A house number a few words back, not a date or a count.
    street
        && words
            .take(5)
            .any(|w| (1..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
}

/// Up to `n` leading capitalised words of `s`, as growing prefixes of `s`
/// ("Springfield, Ill." → ["Ill."]; "New South Wales" → 3 prefixes).
fn leading_cap_words(s: &str, n: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut pos = 0;
    let bytes = s.as_bytes();
    while out.len() < n {
        let rest = &s[pos..];
        let ws = rest.len() - rest.trim_start_matches(' ').len();
        let word_start = pos + ws;
        let word_len = s[word_start..]
            .find(|c: char| c.is_whitespace() || ",;:()\"\u{201c}\u{201d}".contains(c))
            .unwrap_or(s.len() - word_start);
        if word_len == 0 {
            break;
        }
        let word = &s[word_start..word_start + word_len];
        if !word.chars().next().is_some_and(|c| c.is_uppercase()) {
            break;
        }
        pos = word_start + word_len;
        out.push(&s[..pos]);
        if bytes.get(pos).is_some_and(|b| *b != b' ') {
            break;
        }
    }
    out
}

/// Up to `n` trailing capitalised words of `s`, as growing suffixes.
fn trailing_cap_words(s: &str, n: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut end = s.len();
    while out.len() < n {
        let head = s[..end].trim_end_matches(' ');
        if head.is_empty() {
            break;
        }
        let start = head
            .rfind(|c: char| c.is_whitespace() || ",;:()\"\u{201c}\u{201d}".contains(c))
            .map(|i| i + head[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let word = &head[start..];
        if !word.chars().next().is_some_and(|c| c.is_uppercase()) {
            break;
        }
        out.push(&s[start..]);
        if start == 0 || !s[..start].ends_with(' ') {
            break;
        }
        end = start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_word_helpers() {
        assert_eq!(leading_cap_words("Ill. on Monday", 4), vec!["Ill."]);
        assert_eq!(
            leading_cap_words("New South Wales, Australia", 4),
            vec!["New", "New South", "New South Wales"]
        );
        assert!(leading_cap_words("and Iran", 4).is_empty());
        assert_eq!(trailing_cap_words("the leaders of Syria", 3), vec!["Syria"]);
        assert_eq!(
            trailing_cap_words("in Saudi Arabia", 3),
            vec!["Arabia", "Saudi Arabia"]
        );
    }

    #[test]
    fn hints_from_division_words() {
        let t = "fighting in Idlib province on Monday";
        let s = t.find("Idlib").unwrap();
        assert_eq!(hint_around(t, s, s + 5), Some(TypeHint::Admin1));
        let t = "the city of Idlib";
        let s = t.find("Idlib").unwrap();
        assert_eq!(hint_around(t, s, s + 5), Some(TypeHint::Populated));
        let t = "in Idlib.";
        assert_eq!(hint_around(t, 3, 8), None);
        // After a street address the name is a town.
        let t = "She lives at 12 Birch Rd., Hollins.";
        let s = t.find("Hollins").unwrap();
        assert_eq!(hint_around(t, s, s + 7), Some(TypeHint::Populated));
        assert!(after_street_address("at 400 N. Pine Street,"));
        assert!(!after_street_address("on Pine Street,"));
        assert!(!after_street_address("at 400 N. Pine Street"));
        assert!(!after_street_address("the 2009 budget,"));
    }

    /// Resolve `names` (each at its first occurrence in `text`) jointly, as
    /// given spans; (name, feature code, country, admin1) of each reading.
    fn given(text: &str, names: &[&str]) -> Vec<Option<(String, String, String, String)>> {
        let geo = crate::Geoparser::new(crate::Gazetteer::shared().unwrap());
        let spans: Vec<(usize, usize)> = names
            .iter()
            .map(|n| {
                let s = text.find(n).unwrap();
                (s, s + n.len())
            })
            .collect();
        geo.resolve_spans(text, &spans, &DocContext::default())
            .into_iter()
            .map(|p| p.map(|p| (p.name, p.feature_code, p.country_iso2, p.admin1_code)))
            .collect()
    }

    #[test]
    fn feature_and_direction_words() {
        assert_eq!(feature_word("River"), Some("River"));
        assert_eq!(feature_word("Twp."), Some("Township"));
        assert_eq!(feature_word("Park"), None);
        assert_eq!(expand_direction_abbrev("W."), Some("West"));
        assert_eq!(expand_direction_abbrev("W"), None);
    }

    #[test]
    fn demonym_stems_most_specific_first() {
        assert_eq!(demonym_stems("Gazans")[0], "Gaza");
        assert!(demonym_stems("South Ossetian").contains(&"South Ossetia".to_string()));
        assert!(demonym_stems("New Londoners").contains(&"New London".to_string()));
        assert!(demonym_stems("Richmondites").contains(&"Richmond".to_string()));
        // Stems under three letters are no names.
        assert!(demonym_stems("Ian").is_empty());
    }

    #[test]
    fn features_named_after_places_resolve_by_their_namesake() {
        let r = given(
            "Boats crowded the Port of Los Angeles and the Sacramento River.",
            &["Port of Los Angeles", "Sacramento River"],
        );
        let la = r[0].as_ref().unwrap();
        assert_eq!(
            (la.0.as_str(), la.2.as_str(), la.3.as_str()),
            ("Los Angeles", "US", "CA")
        );
        let sac = r[1].as_ref().unwrap();
        assert_eq!((sac.2.as_str(), sac.3.as_str()), ("US", "CA"));
        // A direction before a known place, and an abbreviated direction.
        let r = given(
            "Shots in South Los Angeles and Compton.",
            &["South Los Angeles", "Compton"],
        );
        let sla = r[0].as_ref().unwrap();
        assert!(sla.0.starts_with("Los Angeles"), "{sla:?}");
        assert_eq!((sla.2.as_str(), sla.3.as_str()), ("US", "CA"));
        let r = given("Storms over the North Atlantic.", &["North Atlantic"]);
        assert!(r[0].is_none(), "{r:?}");
        let r = given("A slaying in W. Columbia, S.C.", &["W. Columbia"]);
        assert_eq!(r[0].as_ref().unwrap().0, "West Columbia");
    }

    #[test]
    fn dotted_clock_times_favour_north_american_readings() {
        // Without a cue the capital is meant; "10 p.m." is North American
        // house style, so a local fire story is set in a North American Paris.
        let r = given("Crews put out a kitchen fire in Paris.", &["Paris"]);
        assert_eq!(r[0].as_ref().unwrap().2, "FR", "{r:?}");
        let r = given(
            "Crews put out a kitchen fire in Paris shortly after 10 p.m. Tuesday.",
            &["Paris"],
        );
        let p = r[0].as_ref().unwrap();
        assert!(p.2 == "US" || p.2 == "CA", "{r:?}");
        // The British style "10.15pm" is no such cue.
        let r = given(
            "Crews put out a kitchen fire in Paris shortly after 10.15pm Tuesday.",
            &["Paris"],
        );
        assert_eq!(r[0].as_ref().unwrap().2, "FR", "{r:?}");
    }

    #[test]
    fn a_name_qualifying_residents_is_no_country() {
        assert!(before_resident_noun("a Jordan woman was", 8));
        assert!(before_resident_noun("Lebanon residents said", 7));
        assert!(!before_resident_noun("Jordan's king", 6));
        assert!(!before_resident_noun("Brazil women's team", 6));
        assert!(!before_resident_noun("Israel men\u{2019}s side", 6));
        assert!(!before_resident_noun("Jordan mandates", 6));
        assert!(!before_resident_noun("Jordan", 6));
        // The same name stays the country when nothing says otherwise.
        let r = given("Flights to Jordan resumed.", &["Jordan"]);
        assert_eq!(r[0].as_ref().unwrap().1, "PCLI", "{r:?}");
        // Any mention of the name qualifying residents counts for all of them.
        let t = "The sheriff said a Jordan woman was charged. Jordan police said.";
        let geo = crate::Geoparser::new(crate::Gazetteer::shared().unwrap());
        let a = t.find("Jordan").unwrap();
        let b = t.rfind("Jordan").unwrap();
        let r = geo.resolve_spans(t, &[(b, b + 6), (a, a + 6)], &DocContext::default());
        for p in &r {
            let p = p.as_ref().unwrap();
            assert_eq!(
                (p.country_iso2.as_str(), p.feature_code.as_str() != "PCLI"),
                ("US", true),
                "{r:?}"
            );
        }
    }

    #[test]
    fn namesake_needs_support_when_the_name_is_ambiguous() {
        // A namesake far bigger than any other stands alone.
        let r = given("Boats filled Tampa Bay.", &["Tampa Bay"]);
        let t = r[0].as_ref().unwrap();
        assert_eq!(
            (t.0.as_str(), t.2.as_str(), t.3.as_str()),
            ("Tampa", "US", "FL")
        );
        // Many towns are called Hamilton: the one near Mason, Ohio.
        let r = given(
            "Trustees of Hamilton Township met in Mason, Ohio.",
            &["Hamilton Township", "Mason", "Ohio"],
        );
        let h = r[0].as_ref().unwrap();
        assert_eq!(
            (h.0.as_str(), h.2.as_str(), h.3.as_str()),
            ("Hamilton", "US", "OH")
        );
        // Nothing places this Hamilton: unresolved rather than a guess.
        let r = given("Hamilton Township trustees met.", &["Hamilton Township"]);
        assert!(r[0].is_none(), "{r:?}");
        // A variant of another place is no namesake ("Island" is Iceland's).
        let r = given("Seals on North Island.", &["North Island"]);
        assert!(r[0].as_ref().is_none_or(|p| p.2 != "IS"), "{r:?}");
    }

    #[test]
    fn people_and_abbreviations_without_a_period() {
        let r = given("Gazans and New Londoners protested.", &["Gazans"]);
        assert_eq!(r[0].as_ref().unwrap().2, "PS");
        let r = given("He was held in Bronx County, N.Y, on Monday.", &["N.Y"]);
        let ny = r[0].as_ref().unwrap();
        assert_eq!(
            (ny.1.as_str(), ny.2.as_str(), ny.3.as_str()),
            ("ADM1", "US", "NY")
        );
        // Not for a word that is no abbreviation.
        let r = given("Flights to Paris.", &["Paris"]);
        assert_eq!(r[0].as_ref().unwrap().2, "FR");
    }

    #[test]
    fn regions_made_of_compass_named_divisions() {
        let g = crate::Gazetteer::shared().unwrap();
        assert!(g.is_compass_stem("darfur"));
        assert!(!g.is_compass_stem("idlib"));
        // Darfur is Sudan's (its states), not the Minnesota hamlet.
        let r = given("Fighting in Darfur displaced thousands.", &["Darfur"]);
        let d = r[0].as_ref().unwrap();
        assert_eq!((d.1.as_str(), d.2.as_str()), ("ADM1", "SD"));
        assert!(d.0.ends_with("Darfur"), "{d:?}");
        // A name with a reading of note keeps it: Carolina, Puerto Rico is a
        // division of its own, not a part of North or South Carolina.
        let r = given("Rain in Carolina.", &["Carolina"]);
        assert_eq!(r[0].as_ref().unwrap().0, "Carolina");
    }

    #[test]
    fn small_division_does_not_outrank_a_bigger_city() {
        // Jamaica's parish of Portland is smaller than Portland, Oregon.
        let r = given("Rain in Portland.", &["Portland"]);
        assert_eq!(r[0].as_ref().unwrap().2, "US");
        // A division bigger than its namesake city keeps its bonus.
        let r = given("Shelling in Idlib.", &["Idlib"]);
        let i = r[0].as_ref().unwrap();
        assert_eq!((i.1.as_str(), i.2.as_str()), ("ADM1", "SY"));
    }

    #[test]
    fn possessive_is_stripped() {
        assert_eq!(strip_possessive("Syria's"), "Syria");
        assert_eq!(strip_possessive("Iran\u{2019}s"), "Iran");
        assert_eq!(strip_possessive("Texas"), "Texas");
    }
}
