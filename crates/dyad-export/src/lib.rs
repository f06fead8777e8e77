//! Writing events out: `jsonl` (dyad's reference format), `csv` (one flat row per event),
//! `gdelt` (the 61 tab-separated GDELT 2.0 event columns, in order, empty where unknown) and
//! `plover` (PLOVER/POLECAT-style JSON Lines: actor, recipient, event, mode, context).
//!
//! ```text
//! let mut w = EventWriter::new(Format::Gdelt, std::io::stdout().lock());
//! w.header()?;                       // CSV header; nothing for the others
//! w.write(&event, source_url)?;      // source_url: the document's URL or path, for SOURCEURL
//! ```

use std::io::{self, Write};

use dyad_code::{Actor, Event, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Gdelt,
    Plover,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" => Format::Jsonl,
            "csv" => Format::Csv,
            "gdelt" | "tsv" => Format::Gdelt,
            "plover" | "polecat" => Format::Plover,
            other => {
                return Err(format!(
                    "unknown output format '{other}' (jsonl, csv, gdelt, plover)"
                ))
            }
        })
    }
}

/// Writes events in one format.
pub struct EventWriter<W: Write> {
    format: Format,
    out: W,
    /// Events with no PLOVER type (CAMEO 01, 02) left out of `plover` output.
    pub skipped: usize,
    date_added: String,
}

pub const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "doc_id",
    "sentence",
    "date",
    "date_precision",
    "story_date",
    "cameo",
    "cameo_root",
    "quad_class",
    "goldstein",
    "plover_type",
    "plover_mode",
    "source_code",
    "source_text",
    "source_country",
    "source_agents",
    "target_code",
    "target_text",
    "target_country",
    "target_agents",
    "modality",
    "speaker",
    "via",
    "location",
    "lat",
    "lon",
    "geonameid",
    "location_source",
    "trigger",
    "confidence",
    "sentence_text",
];

impl<W: Write> EventWriter<W> {
    pub fn new(format: Format, out: W) -> Self {
        EventWriter {
            format,
            out,
            skipped: 0,
            date_added: chrono::Utc::now().format("%Y%m%d%H%M%S").to_string(),
        }
    }

    /// The header line where the format has one (CSV).
    pub fn header(&mut self) -> io::Result<()> {
        if self.format == Format::Csv {
            writeln!(self.out, "{}", CSV_COLUMNS.join(","))?;
        }
        Ok(())
    }

    /// Write an event whose JSON was computed already (JSON Lines takes it as is; the other
    /// formats ignore it).
    pub fn write_with_json(&mut self, e: &Event, json: &str, source_url: &str) -> io::Result<()> {
        if self.format == Format::Jsonl {
            self.out.write_all(json.as_bytes())?;
            return writeln!(self.out);
        }
        self.write(e, source_url)
    }

    pub fn write(&mut self, e: &Event, source_url: &str) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, e)?;
                writeln!(self.out)
            }
            Format::Csv => {
                let row = csv_row(e);
                let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
                writeln!(self.out, "{}", cells.join(","))
            }
            Format::Gdelt => writeln!(
                self.out,
                "{}",
                gdelt_row(e, source_url, &self.date_added).join("\t")
            ),
            Format::Plover => match plover_json(e) {
                Some(v) => {
                    serde_json::to_writer(&mut self.out, &v)?;
                    writeln!(self.out)
                }
                None => {
                    self.skipped += 1;
                    Ok(())
                }
            },
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn csv_row(e: &Event) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let attribution = e.attribution.as_ref();
    let location = e.location.as_ref();
    vec![
        e.event_id.clone(),
        e.doc_id.clone(),
        e.sentence.to_string(),
        opt(&e.date),
        opt(&e.date_precision),
        opt(&e.story_date),
        e.cameo.clone(),
        e.cameo_root.clone(),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        opt(&e.plover.kind),
        opt(&e.plover.mode),
        e.source.code.clone(),
        e.source.text.clone(),
        opt(&e.source.country),
        e.source.agents.join(";"),
        e.target.code.clone(),
        e.target.text.clone(),
        opt(&e.target.country),
        e.target.agents.join(";"),
        e.modality.as_str().to_string(),
        attribution
            .and_then(|a| a.speaker.clone())
            .unwrap_or_default(),
        attribution.and_then(|a| a.via.clone()).unwrap_or_default(),
        location.map(|l| l.name.clone()).unwrap_or_default(),
        location
            .and_then(|l| l.lat)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        location
            .and_then(|l| l.lon)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        location
            .and_then(|l| l.geonameid)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        e.location_source.clone().unwrap_or_default(),
        e.evidence.trigger.clone(),
        format!("{:.2}", e.confidence),
        e.evidence.sentence_text.clone(),
    ]
}

/// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A stable numeric id for GDELT's GLOBALEVENTID (63-bit FNV-1a of dyad's event id).
pub fn numeric_event_id(event_id: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in event_id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h & (u64::MAX >> 1)
}

fn gdelt_actor(a: &Actor) -> Vec<String> {
    let name = a
        .name
        .clone()
        .unwrap_or_else(|| a.text.clone())
        .to_uppercase()
        .replace(['\t', '\n'], " ");
    let mut v = vec![
        a.code.clone(),
        name,
        a.country.clone().unwrap_or_default(),
        String::new(), // KnownGroupCode
        String::new(), // EthnicCode
        String::new(), // Religion1Code
        String::new(), // Religion2Code
    ];
    for k in 0..3 {
        v.push(a.agents.get(k).cloned().unwrap_or_default());
    }
    v
}

/// The 61 GDELT 2.0 event columns, in order.
pub fn gdelt_row(e: &Event, source_url: &str, date_added: &str) -> Vec<String> {
    let date = e
        .date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let (sqldate, month_year, year, fraction) = match date {
        Some(d) => {
            use chrono::Datelike;
            (
                d.format("%Y%m%d").to_string(),
                d.format("%Y%m").to_string(),
                d.year().to_string(),
                format!("{:.4}", d.year() as f64 + d.ordinal0() as f64 / 365.0),
            )
        }
        None => Default::default(),
    };
    let base = e.cameo.get(..3).unwrap_or(&e.cameo).to_string();
    let mut row = vec![
        numeric_event_id(&e.event_id).to_string(),
        sqldate,
        month_year,
        year,
        fraction,
    ];
    row.extend(gdelt_actor(&e.source));
    row.extend(gdelt_actor(&e.target));
    row.extend([
        // IsRootEvent: GDELT marks events of the lead paragraph.
        if e.sentence == 0 { "1" } else { "0" }.to_string(),
        e.cameo.clone(),
        base,
        e.cameo_root.clone(),
        e.quad_class.to_string(),
        format!("{:.1}", e.goldstein),
        "1".into(),    // NumMentions
        "1".into(),    // NumSources
        "1".into(),    // NumArticles
        String::new(), // AvgTone: dyad does not score tone
    ]);
    // Actor1Geo_*, Actor2Geo_*, ActionGeo_*: 8 columns each.
    row.extend(gdelt_geo(e.source.geo.as_ref()));
    row.extend(gdelt_geo(e.target.geo.as_ref()));
    row.extend(gdelt_geo(e.location.as_ref()));
    row.push(date_added.to_string());
    row.push(source_url.replace(['\t', '\n'], " "));
    row
}

/// GDELT Geo columns: Type, FullName, CountryCode (FIPS), ADM1Code, ADM2Code, Lat, Long,
/// FeatureID. Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world first-level division.
fn gdelt_geo(l: Option<&Location>) -> Vec<String> {
    let Some(l) = l else {
        return vec![String::new(); 8];
    };
    let feature = l.feature_code.as_deref().unwrap_or("");
    let us = l.country.as_deref() == Some("USA");
    let kind = if feature.starts_with("PCL") {
        1
    } else if feature == "ADM1" {
        if us {
            2
        } else {
            5
        }
    } else if us {
        3
    } else {
        4
    };
    let country_name = l
        .country
        .as_deref()
        .and_then(dyad_cameo::country)
        .unwrap_or("");
    let mut full = vec![l.name.as_str()];
    if kind != 1 {
        if let Some(a) = l.admin1.as_deref().filter(|a| *a != l.name) {
            full.push(a);
        }
        if !country_name.is_empty() {
            full.push(country_name);
        }
    }
    let fips = l.country_fips.clone().unwrap_or_default();
    let adm1 = match (&l.admin1_code, kind) {
        (_, 1) => fips.clone(),
        (Some(code), _) if !fips.is_empty() => format!("{fips}{code}"),
        _ => fips.clone(),
    };
    vec![
        kind.to_string(),
        full.join(", ").replace(['\t', '\n'], " "),
        fips,
        adm1,
        String::new(),
        l.lat.map(|v| format!("{v:.4}")).unwrap_or_default(),
        l.lon.map(|v| format!("{v:.4}")).unwrap_or_default(),
        l.geonameid.map(|v| v.to_string()).unwrap_or_default(),
    ]
}

/// PLOVER/POLECAT-style record; `None` for CAMEO codes PLOVER does not code (01, 02).
pub fn plover_json(e: &Event) -> Option<serde_json::Value> {
    let kind = e.plover.kind.clone()?;
    let actor = |a: &Actor| {
        serde_json::json!({
            "name": a.name.clone().unwrap_or_else(|| a.text.clone()),
            "text": a.text,
            "code": a.code,
            "country": a.country,
            "sector": a.agents,
        })
    };
    Some(serde_json::json!({
        "id": e.event_id,
        "event_date": e.date,
        "date_precision": e.date_precision,
        "story_date": e.story_date,
        "event": kind,
        "mode": e.plover.mode,
        "context": dyad_cameo_context(&e.cameo),
        "actor": actor(&e.source),
        "recipient": actor(&e.target),
        "cameo": e.cameo,
        "modality": e.modality,
        "location": e.location,
        "location_source": e.location_source,
        "event_text": e.evidence.sentence_text,
        "doc_id": e.doc_id,
    }))
}

fn dyad_cameo_context(code: &str) -> Option<String> {
    dyad_cameo::event(code)
        .and_then(|c| c.plover_context)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        serde_json::from_value(serde_json::json!({
            "event_id": "d1-0-0", "doc_id": "d1", "sentence": 0, "date": "2018-09-03",
            "date_precision": "day", "story_date": "2018-09-03", "cameo": "042", "cameo_root": "04",
            "quad_class": 1, "goldstein": 1.9, "plover": {"type": "CONSULT", "mode": "visit"},
            "source": {"text": "Iranian Foreign Minister", "code": "IRNGOV", "country": "IRN", "agents": ["GOV"], "name": null},
            "target": {"text": "Damascus", "code": "SYRGOV", "country": "SYR", "agents": ["GOV"], "name": "Syria"},
            "location": null, "modality": "asserted", "attribution": {"speaker": null, "via": "Fars, news"},
            "evidence": {"sentence_text": "He said \"yes\", then left.", "trigger": "visited", "trigger_span": [1, 8],
                         "source_span": [0, 1], "target_span": [9, 17], "rule": "042 visit"},
            "confidence": 0.8
        }))
        .unwrap()
    }

    #[test]
    fn gdelt_has_61_columns_in_order() {
        let row = gdelt_row(&event(), "https://x/y", "20240101000000");
        assert_eq!(row.len(), 61);
        assert_eq!(row[1], "20180903");
        assert_eq!(row[2], "201809");
        assert_eq!(row[5], "IRNGOV");
        assert_eq!(row[7], "IRN");
        assert_eq!(row[12], "GOV");
        assert_eq!(row[15], "SYRGOV");
        assert_eq!(row[16], "SYRIA");
        assert_eq!(row[26], "042");
        assert_eq!(row[27], "042");
        assert_eq!(row[28], "04");
        assert_eq!(row[29], "1");
        assert_eq!(row[59], "20240101000000");
        assert_eq!(row[60], "https://x/y");
    }

    #[test]
    fn gdelt_geo_columns_from_locations() {
        let mut e = event();
        e.location = Some(Location {
            name: "Damascus".into(),
            country: Some("SYR".into()),
            lat: Some(33.5102),
            lon: Some(36.29128),
            geonameid: Some(170654),
            feature_code: Some("PPLC".into()),
            admin1: Some("Dimashq".into()),
            admin1_code: Some("13".into()),
            country_fips: Some("SY".into()),
        });
        let row = gdelt_row(&e, "", "20240101000000");
        assert_eq!(row.len(), 61);
        // ActionGeo_* are columns 52..=59.
        assert_eq!(
            &row[51..59],
            &[
                "4",
                "Damascus, Dimashq, Syria",
                "SY",
                "SY13",
                "",
                "33.5102",
                "36.2913",
                "170654"
            ]
        );
        assert_eq!(row[35], "", "no Actor1Geo");
    }

    #[test]
    fn csv_quotes_fields() {
        let mut out = Vec::new();
        let mut w = EventWriter::new(Format::Csv, &mut out);
        w.header().unwrap();
        w.write(&event(), "").unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].split(',').count(), CSV_COLUMNS.len());
        assert!(lines[1].contains("\"Fars, news\""));
        assert!(lines[1].ends_with("\"He said \"\"yes\"\", then left.\""));
    }

    #[test]
    fn plover_skips_codes_without_a_type() {
        let mut e = event();
        let v = plover_json(&e).unwrap();
        assert_eq!(v["event"], "CONSULT");
        assert_eq!(v["recipient"]["code"], "SYRGOV");
        e.plover.kind = None;
        assert!(plover_json(&e).is_none());
    }

    #[test]
    fn numeric_ids_are_stable_and_positive() {
        assert_eq!(numeric_event_id("a"), numeric_event_id("a"));
        assert_ne!(numeric_event_id("a"), numeric_event_id("b"));
        assert!(numeric_event_id("x") < (1u64 << 63));
    }
}
