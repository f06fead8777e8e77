//! Evaluation on the LGL corpus (Lieberman, Samet & Sankaranarayanan 2010: US
//! local news with gold toponym spans and GeoNames ids), in two modes:
//! resolution of the gold spans, and dyad's own recognition + resolution.

use std::path::Path;
use std::time::Instant;

use quick_xml::events::Event;
use quick_xml::Reader;
use serde::Serialize;

use crate::{DocContext, Geoparser};

/// Distance (km) within which a resolution counts as correct: 100 miles, the
/// usual threshold in toponym-resolution papers.
pub const ACCURACY_KM: f64 = 161.0;

/// A gold toponym.
#[derive(Debug, Clone, Default)]
pub struct GoldToponym {
    pub start: usize,
    pub end: usize,
    pub phrase: String,
    pub geonameid: Option<u32>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub country_geonameid: Option<u32>,
    /// GeoNames id of the gold record's first-level division, when given.
    pub admin1_geonameid: Option<u32>,
}

/// A gold article.
#[derive(Debug, Clone, Default)]
pub struct GoldArticle {
    pub docid: String,
    /// The publisher's web domain or URL, when the file gives one: metadata
    /// a geoparser may use as a deployed one would (the story's own site).
    pub domain: String,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

/// Great-circle distance in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().clamp(0.0, 1.0).asin()
}

/// Read an LGL-format XML file. Gold offsets are converted from characters to
/// UTF-8 byte offsets when the file counts characters.
pub fn read_lgl(path: &Path) -> anyhow::Result<Vec<GoldArticle>> {
    let xml = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut reader = Reader::from_str(&xml);
    let mut articles = Vec::new();
    let mut art: Option<GoldArticle> = None;
    let mut top: Option<GoldToponym> = None;
    let mut stack: Vec<String> = Vec::new();
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| anyhow::anyhow!("{}: XML error near byte {pos}: {e}", path.display()))?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let attr = |key: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| String::from_utf8_lossy(&a.value).to_string())
                };
                match name.as_str() {
                    "article" => {
                        art = Some(GoldArticle {
                            docid: attr(b"docid").unwrap_or_default(),
                            ..Default::default()
                        })
                    }
                    "toponym" => top = Some(GoldToponym::default()),
                    "gaztag" => {
                        if let Some(t) = top.as_mut() {
                            t.geonameid = attr(b"geonameid").and_then(|v| v.parse().ok());
                        }
                    }
                    "country" => {
                        if let Some(t) = top.as_mut() {
                            t.country_geonameid = attr(b"geonameid").and_then(|v| v.parse().ok());
                        }
                    }
                    "admin1" => {
                        if let Some(t) = top.as_mut() {
                            t.admin1_geonameid = attr(b"geonameid").and_then(|v| v.parse().ok());
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                match name.as_str() {
                    "toponym" => {
                        if let (Some(t), Some(a)) = (top.take(), art.as_mut()) {
                            a.toponyms.push(t);
                        }
                    }
                    "article" => {
                        if let Some(a) = art.take() {
                            articles.push(fix_offsets(a));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                let v = t.unescape().map(|c| c.to_string()).unwrap_or_default();
                on_text(&stack, &v, &mut art, &mut top);
            }
            Event::CData(t) => {
                let v = String::from_utf8_lossy(&t).to_string();
                on_text(&stack, &v, &mut art, &mut top);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(articles)
}

fn on_text(
    stack: &[String],
    v: &str,
    art: &mut Option<GoldArticle>,
    top: &mut Option<GoldToponym>,
) {
    let cur = stack.last().map(String::as_str).unwrap_or("");
    let parent = stack
        .len()
        .checked_sub(2)
        .map(|i| stack[i].as_str())
        .unwrap_or("");
    match (parent, cur) {
        ("article", "text") => {
            if let Some(a) = art.as_mut() {
                a.text.push_str(v);
            }
        }
        ("article", "domain") | ("article", "url") => {
            if let Some(a) = art.as_mut() {
                // The domain wins over the URL; the URL fills in when alone.
                if cur == "domain" || a.domain.is_empty() {
                    a.domain = v.trim().to_string();
                }
            }
        }
        ("toponym", "start") => {
            if let Some(t) = top.as_mut() {
                t.start = v.trim().parse().unwrap_or(0);
            }
        }
        ("toponym", "end") => {
            if let Some(t) = top.as_mut() {
                t.end = v.trim().parse().unwrap_or(0);
            }
        }
        ("toponym", "phrase") => {
            if let Some(t) = top.as_mut() {
                t.phrase.push_str(v);
            }
        }
        ("gaztag", "lat") => {
            if let Some(t) = top.as_mut() {
                t.lat = v.trim().parse().ok();
            }
        }
        ("gaztag", "lon") => {
            if let Some(t) = top.as_mut() {
                t.lon = v.trim().parse().ok();
            }
        }
        _ => {}
    }
}

/// LGL counts characters; dyad works in bytes. Convert when the phrase does not
/// sit at the byte offsets but does at the character offsets.
fn fix_offsets(mut a: GoldArticle) -> GoldArticle {
    let char_to_byte: Vec<usize> = a
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(a.text.len()))
        .collect();
    for t in &mut a.toponyms {
        let at_bytes = a.text.get(t.start..t.end) == Some(t.phrase.as_str());
        if !at_bytes {
            if let (Some(&s), Some(&e)) = (char_to_byte.get(t.start), char_to_byte.get(t.end)) {
                if a.text.get(s..e) == Some(t.phrase.as_str()) {
                    t.start = s;
                    t.end = e;
                }
            }
        }
    }
    a
}

/// Figures of both evaluation modes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    pub file: String,
    pub articles: usize,
    pub gold_toponyms: usize,
    pub gold_with_coordinates: usize,
    /// Whether each article had its publisher's country as context.
    pub publisher_context: bool,
    pub gold_spans: GoldSpanFigures,
    pub recognition: RecognitionFigures,
}

/// Resolution of the gold spans.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GoldSpanFigures {
    /// Gold toponyms with coordinates whose span was found in the text.
    pub evaluated: usize,
    pub resolved: usize,
    /// Share of `evaluated` resolved within 161 km (unresolved count as wrong).
    pub accuracy_161km: f64,
    /// Mean and median error (km) over resolved toponyms.
    pub mean_error_km: f64,
    pub median_error_km: f64,
    /// Share of `evaluated` whose GeoNames id matches exactly.
    pub exact_id: f64,
    /// Gold toponyms (of `evaluated`) whose gold record names a country: the
    /// country's GeoNames id from the gold record's `<country>` element, not
    /// from its coordinates. The others (continents, oceans, "Middle East")
    /// have no country to get right and are left out of both country figures.
    pub country_evaluated: usize,
    /// Share of `country_evaluated` resolved into the gold country (compared
    /// by GeoNames id; a reading that is the country itself counts).
    /// Unresolved toponyms count as wrong.
    pub country_accuracy: f64,
    /// The same over the gold toponyms with a country that dyad resolved (an
    /// unresolved name has no country, right or wrong).
    pub country_accuracy_resolved: f64,
    /// Share of `country_evaluated` right by place resolutions alone (area
    /// answers counted as wrong): the figure before area answers existed.
    pub country_accuracy_places_only: f64,
    /// Where the country answers of `country_evaluated` came from, and how
    /// many of each were right.
    pub country_by_source: CountryBreakdown,
    /// Resolution speed per core: toponyms per CPU second of the resolving
    /// thread (wall-clock time on a busy machine measures the other jobs too).
    pub toponyms_per_second: f64,
    /// The same per wall-clock second.
    pub toponyms_per_second_wall: f64,
}

/// Country answers by source: (answers, right).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CountryBreakdown {
    /// A resolved place (its country).
    pub place: (usize, usize),
    /// An area answer from a container named with the name.
    pub containment: (usize, usize),
    /// An area answer from the document's country focus.
    pub document_focus: (usize, usize),
    /// No answer at all.
    pub unresolved: usize,
    /// Area answers at the first-level division level (from either source)
    /// whose gold record names its division: (answers, division right).
    pub area_division: (usize, usize),
}

/// dyad's own recognition against the gold spans.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecognitionFigures {
    pub predicted: usize,
    /// Span overlap matching (any shared byte).
    pub precision_overlap: f64,
    pub recall_overlap: f64,
    pub f1_overlap: f64,
    /// Exact start and end.
    pub precision_exact: f64,
    pub recall_exact: f64,
    pub f1_exact: f64,
    /// Gold toponyms with coordinates matched (overlap) by a resolved prediction.
    pub matched_with_coordinates: usize,
    /// Share of those resolved within 161 km.
    pub accuracy_161km_matched: f64,
    /// Articles the tokenizer failed on (excluded from recognition figures).
    pub skipped_documents: Vec<String>,
    pub documents_per_second: f64,
}

/// CPU seconds the calling thread has used, where the platform tells.
fn thread_cpu_seconds() -> Option<f64> {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime only writes the timespec we pass it.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        (rc == 0).then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Evaluate `geo` on LGL-format articles, each with the country of its
/// publisher's domain as context (see [`evaluate_lgl_with`]).
pub fn evaluate_lgl(geo: &Geoparser, articles: &[GoldArticle], file: &str) -> EvalReport {
    evaluate_lgl_with(geo, articles, file, true)
}

/// Evaluate `geo` on LGL-format articles. With `publisher`, each article's
/// context is the country of its publisher's domain ([`DocContext::from_publisher`]),
/// as [`DocContext::from_document`] gives it in the pipeline; without, the
/// text alone.
pub fn evaluate_lgl_with(
    geo: &Geoparser,
    articles: &[GoldArticle],
    file: &str,
    publisher: bool,
) -> EvalReport {
    let gaz = geo.gazetteer();
    let mut rep = EvalReport {
        file: file.to_string(),
        articles: articles.len(),
        publisher_context: publisher,
        ..Default::default()
    };
    let context = |a: &GoldArticle| {
        if publisher {
            DocContext::from_publisher(&a.domain)
        } else {
            DocContext::default()
        }
    };
    // Mode 1: gold spans, all resolved first (timed as one block), then scored.
    let golds: Vec<Vec<&GoldToponym>> = articles
        .iter()
        .map(|a| {
            a.toponyms
                .iter()
                .filter(|t| t.lat.is_some() && t.lon.is_some())
                .filter(|t| a.text.get(t.start..t.end).is_some())
                .collect()
        })
        .collect();
    let wall = Instant::now();
    let cpu = thread_cpu_seconds();
    let results: Vec<Vec<crate::Resolution>> = articles
        .iter()
        .zip(&golds)
        .map(|(a, gold)| {
            let spans: Vec<(usize, usize)> = gold.iter().map(|t| (t.start, t.end)).collect();
            geo.resolve_spans_detailed(&a.text, &spans, &context(a))
        })
        .collect();
    let wall_secs = wall.elapsed().as_secs_f64();
    let cpu_secs = match (cpu, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall_secs,
    };
    let mut errors: Vec<f64> = Vec::new();
    let (mut evaluated, mut within, mut exact, mut country_total) = (0, 0, 0, 0);
    let mut by = CountryBreakdown::default();
    for (a, (gold, res)) in articles.iter().zip(golds.iter().zip(results)) {
        rep.gold_toponyms += a.toponyms.len();
        rep.gold_with_coordinates += a.toponyms.iter().filter(|t| t.lat.is_some()).count();
        for (t, r) in gold.iter().zip(res) {
            evaluated += 1;
            let (glat, glon) = (t.lat.unwrap_or(0.0), t.lon.unwrap_or(0.0));
            if let Some(cg) = t.country_geonameid {
                country_total += 1;
                let in_gold = |iso: &str| gaz.country(iso).map(|c| c.geonameid) == Some(cg);
                match (&r.place, &r.area) {
                    (Some(p), _) => {
                        by.place.0 += 1;
                        if in_gold(&p.country_iso2) || p.geonameid == cg {
                            by.place.1 += 1;
                        }
                    }
                    (None, Some(area)) => {
                        let slot = match area.source {
                            crate::AreaSource::Containment => &mut by.containment,
                            crate::AreaSource::DocumentFocus => &mut by.document_focus,
                        };
                        slot.0 += 1;
                        if in_gold(&area.country_iso2) {
                            slot.1 += 1;
                        }
                        if let (crate::AreaLevel::Admin1, Some(ga)) =
                            (area.level, t.admin1_geonameid)
                        {
                            by.area_division.0 += 1;
                            let rec = gaz
                                .country_index(&area.country_iso2)
                                .and_then(|c| gaz.admin1_index(c, &area.admin1_code))
                                .and_then(|a| gaz.admin1_rec(a))
                                .map(|a| gaz.record(a.record).geonameid);
                            if rec == Some(ga) {
                                by.area_division.1 += 1;
                            }
                        }
                    }
                    (None, None) => by.unresolved += 1,
                }
            }
            if let Some(p) = r.place {
                let d = haversine_km(glat, glon, p.lat, p.lon);
                errors.push(d);
                if d <= ACCURACY_KM {
                    within += 1;
                }
                if Some(p.geonameid) == t.geonameid {
                    exact += 1;
                }
            }
        }
    }
    errors.sort_by(f64::total_cmp);
    let country_ok = by.place.1 + by.containment.1 + by.document_focus.1;
    rep.gold_spans = GoldSpanFigures {
        evaluated,
        resolved: errors.len(),
        accuracy_161km: ratio(within, evaluated),
        mean_error_km: if errors.is_empty() {
            0.0
        } else {
            errors.iter().sum::<f64>() / errors.len() as f64
        },
        median_error_km: errors.get(errors.len() / 2).copied().unwrap_or(0.0),
        exact_id: ratio(exact, evaluated),
        country_evaluated: country_total,
        country_accuracy: ratio(country_ok, country_total),
        country_accuracy_resolved: ratio(by.place.1, by.place.0),
        country_accuracy_places_only: ratio(by.place.1, country_total),
        country_by_source: by,
        toponyms_per_second: if cpu_secs > 0.0 {
            evaluated as f64 / cpu_secs
        } else {
            0.0
        },
        toponyms_per_second_wall: if wall_secs > 0.0 {
            evaluated as f64 / wall_secs
        } else {
            0.0
        },
    };

    // Mode 2: own recognition.
    let (mut predicted, mut p_ok_overlap, mut p_ok_exact) = (0, 0, 0);
    let (mut g_ok_overlap, mut g_ok_exact) = (0, 0);
    let (mut matched_coords, mut matched_within) = (0, 0);
    let mut skipped: Vec<String> = Vec::new();
    let t0 = Instant::now();
    for a in articles {
        // A tokenizer failure on one article must not end the evaluation.
        let Ok(sentences) = std::panic::catch_unwind(|| dyad_tokenize::segment(&a.text)) else {
            skipped.push(a.docid.clone());
            continue;
        };
        let tops = geo.toponyms_in(&a.text, &sentences, &context(a));
        predicted += tops.len();
        let overlaps = |s: usize, e: usize, t: &GoldToponym| s < t.end && t.start < e;
        for p in &tops {
            if a.toponyms.iter().any(|t| overlaps(p.start, p.end, t)) {
                p_ok_overlap += 1;
            }
            if a.toponyms
                .iter()
                .any(|t| t.start == p.start && t.end == p.end)
            {
                p_ok_exact += 1;
            }
        }
        for t in &a.toponyms {
            let hit = tops.iter().find(|p| overlaps(p.start, p.end, t));
            if hit.is_some() {
                g_ok_overlap += 1;
            }
            if tops.iter().any(|p| t.start == p.start && t.end == p.end) {
                g_ok_exact += 1;
            }
            if let (Some(p), Some(glat), Some(glon)) = (hit, t.lat, t.lon) {
                matched_coords += 1;
                if let Some(pl) = &p.resolved {
                    if haversine_km(glat, glon, pl.lat, pl.lon) <= ACCURACY_KM {
                        matched_within += 1;
                    }
                }
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let (po, ro) = (
        ratio(p_ok_overlap, predicted),
        ratio(g_ok_overlap, rep.gold_toponyms),
    );
    let (pe, re) = (
        ratio(p_ok_exact, predicted),
        ratio(g_ok_exact, rep.gold_toponyms),
    );
    rep.recognition = RecognitionFigures {
        predicted,
        precision_overlap: po,
        recall_overlap: ro,
        f1_overlap: f1(po, ro),
        precision_exact: pe,
        recall_exact: re,
        f1_exact: f1(pe, re),
        matched_with_coordinates: matched_coords,
        accuracy_161km_matched: ratio(matched_within, matched_coords),
        skipped_documents: skipped,
        documents_per_second: if secs > 0.0 {
            articles.len() as f64 / secs
        } else {
            0.0
        },
    };
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distance() {
        // Damascus to Beirut is about 85 km.
        let d = haversine_km(33.5102, 36.2913, 33.8938, 35.5018);
        assert!((80.0..90.0).contains(&d), "{d}");
        assert_eq!(haversine_km(1.0, 2.0, 1.0, 2.0), 0.0);
    }

    #[test]
    fn reads_lgl_format_and_fixes_char_offsets() {
        let dir = std::env::temp_dir().join(format!("dyad-geo-lgl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("mini.xml");
        // "Café" makes character and byte offsets differ for the toponym after it.
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="7"><domain>news.example.co.uk</domain>
<url>http://news.example.co.uk/a/7</url><text><![CDATA[Café owners in Damascus met.]]></text>
<toponyms><toponym><start>15</start><end>23</end><phrase>Damascus</phrase>
<gaztag geonameid="170654"><name>Damascus</name><fclass>P</fclass><fcode>PPLC</fcode>
<lat>33.5102</lat><lon>36.2913</lon><country geonameid="163843">Syria</country>
<admin1 geonameid="170652">Dimashq</admin1></gaztag>
</toponym></toponyms></article></articles>"#;
        std::fs::write(&path, xml).unwrap();
        let arts = read_lgl(&path).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let geo = Geoparser::new(crate::Gazetteer::shared().unwrap());
        let rep = evaluate_lgl(&geo, &arts, "mini.xml");
        assert_eq!(rep.gold_spans.evaluated, 1);
        assert_eq!(rep.gold_spans.accuracy_161km, 1.0);
        assert_eq!(rep.gold_spans.country_accuracy, 1.0);
        assert_eq!(rep.gold_spans.country_evaluated, 1);
        assert_eq!(rep.gold_spans.country_accuracy_resolved, 1.0);
        assert_eq!(rep.gold_spans.country_accuracy_places_only, 1.0);
        assert_eq!(rep.gold_spans.country_by_source.place, (1, 1));
        assert_eq!(rep.gold_spans.country_by_source.unresolved, 0);
        assert!(rep.gold_spans.toponyms_per_second > 0.0);
        assert_eq!(rep.recognition.recall_exact, 1.0);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].domain, "news.example.co.uk");
        assert!(rep.publisher_context);
        let text_only = evaluate_lgl_with(&geo, &arts, "mini.xml", false);
        assert!(!text_only.publisher_context);
        assert_eq!(text_only.gold_spans.country_accuracy, 1.0);
        let t = &arts[0].toponyms[0];
        assert_eq!(&arts[0].text[t.start..t.end], "Damascus");
        assert_eq!(t.geonameid, Some(170654));
        assert_eq!(t.country_geonameid, Some(163843));
        assert_eq!(t.admin1_geonameid, Some(170652));
        assert_eq!(t.lat, Some(33.5102));
    }

    #[test]
    fn area_answers_count_for_the_country_only_and_apart() {
        // A made-up town with its state: a labelled area answer, right on the
        // country, but no place (wrong for the distance figures).
        let gold = GoldToponym {
            start: 0,
            end: 10,
            phrase: "Quillbrook".into(),
            geonameid: Some(1),
            lat: Some(38.5),
            lon: Some(-98.0),
            country_geonameid: Some(6_252_001),
            // Kansas.
            admin1_geonameid: Some(4_273_857),
        };
        let arts = vec![GoldArticle {
            docid: "q".into(),
            text: "Quillbrook, Kan., flooded on Monday.".into(),
            toponyms: vec![gold],
            ..Default::default()
        }];
        let geo = Geoparser::new(crate::Gazetteer::shared().unwrap());
        let g = evaluate_lgl(&geo, &arts, "mini").gold_spans;
        assert_eq!((g.evaluated, g.resolved), (1, 0));
        assert_eq!(g.accuracy_161km, 0.0);
        assert_eq!(g.country_accuracy, 1.0);
        assert_eq!(g.country_accuracy_places_only, 0.0);
        assert_eq!(g.country_by_source.containment, (1, 1));
        assert_eq!(g.country_by_source.area_division, (1, 1));
        assert_eq!(g.country_by_source.place, (0, 0));
    }

    #[test]
    fn eval_command_skips_an_absent_file() {
        let args = crate::EvalGeoArgs {
            file: "/nonexistent/lgl.xml".into(),
            json: false,
            text_only: false,
        };
        assert!(crate::run_eval_geo(args).is_ok());
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let err = read_lgl(Path::new("/nonexistent/lgl.xml")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/lgl.xml"));
    }
}
