//! dyad's event records from PETRARCH-format dictionaries: `dyad code --dictionaries` with
//! the Phoenix/CAMEO `.txt` files codes each analysed sentence with [`PetrCoder`] and writes
//! the same [`Event`] records as dyad's own coder (CAMEO code and its root, quad class,
//! Goldstein score and PLOVER type; actors with country and roles; date, modality and evidence
//! spans). Location is left to the caller's geoparser, as for dyad's own events.

use std::path::PathBuf;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use dyad_code::{Actor, Event, Evidence, Modality, Plover};
use dyad_core::{Document, Token};

use crate::coder::{CodeOptions, PetrCoder, PetrEvent};
use crate::convert::{petrarch_files_in, PetrKind};

/// Whether `paths` (the `--dictionaries` arguments) are PETRARCH-format dictionaries, and if
/// so the files to load. Files named like PETRARCH's (`*verbs*`/`CAMEO*`, `*actors*`,
/// `*agents*`, `*discard*`) given one by one, or a directory holding such files directly with
/// a verbs file among them. A dyad dictionary directory (with `verbs/` and `actors/`
/// sub-directories) gives `None`.
pub fn petrarch_dictionary_files(paths: &[PathBuf]) -> std::io::Result<Option<Vec<PathBuf>>> {
    let has_verbs = |files: &[PathBuf]| {
        files
            .iter()
            .any(|f| PetrKind::of_path(f) == Some(PetrKind::Verbs))
    };
    match paths {
        [] => Ok(None),
        [dir] if dir.is_dir() => {
            if dir.join("verbs").is_dir() || dir.join("actors").is_dir() {
                return Ok(None);
            }
            let files = petrarch_files_in(dir)?;
            Ok(has_verbs(&files).then_some(files))
        }
        files => {
            if let Some(d) = files.iter().find(|p| p.is_dir()) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "{}: give either one dictionary directory or PETRARCH dictionary files (input files go before --dictionaries or after --)",
                        d.display()
                    ),
                ));
            }
            if let Some(f) = files.iter().find(|p| PetrKind::of_path(p).is_none()) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "{}: not a PETRARCH dictionary name (one with verbs/CAMEO, actors, agents or discard in it; input files go before --dictionaries or after --)",
                        f.display()
                    ),
                ));
            }
            Ok(has_verbs(files).then(|| files.to_vec()))
        }
    }
}

/// Code every sentence of an analysed document (tokens with xpos, heads and relations).
pub fn code_document(coder: &PetrCoder, doc: &Document, opts: &CodeOptions) -> Vec<Event> {
    let story = doc.date.map(|d| d.date);
    let mut out: Vec<Event> = Vec::new();
    for (si, sentence) in doc.sentences.iter().enumerate() {
        let tokens = &sentence.tokens;
        if tokens.is_empty() {
            continue;
        }
        let sentence_text = doc
            .text
            .get(sentence.start..sentence.end)
            .unwrap_or_default();
        for pe in coder.code_tokens_detailed(tokens, story, opts) {
            let mut e = event(doc, si, sentence_text, tokens, &pe, story);
            e.event_id = format!("{}-{}-{}", doc.id, si, out.len());
            out.push(e);
        }
    }
    out
}

fn event(
    doc: &Document,
    si: usize,
    sentence_text: &str,
    tokens: &[Token],
    pe: &PetrEvent,
    story: Option<NaiveDate>,
) -> Event {
    let code = pe.code.split(':').next().unwrap_or(&pe.code).to_string();
    let info = dyad_cameo::event(&code);
    let span = |r: Option<(usize, usize)>| {
        r.and_then(|(a, b)| Some((tokens.get(a)?.start, tokens.get(b)?.end)))
            .unwrap_or((0, 0))
    };
    let text = |r: (usize, usize)| doc.text.get(r.0..r.1).unwrap_or_default().to_string();
    let (source_span, target_span) = (span(pe.source_words), span(pe.target_words));
    let verb = pe.verb.and_then(|v| tokens.get(v).map(|t| (v, t)));
    let modality = modality(tokens, pe.verb, pe.negated, &code);
    let date = story.map(|s| {
        pe.verb
            .and_then(|v| clause_day(tokens, v, s, modality == Modality::Future))
            .unwrap_or(s)
    });
    Event {
        event_id: String::new(),
        doc_id: doc.id.clone(),
        sentence: si,
        date: date.map(|d| d.to_string()),
        date_precision: date.map(|_| "day".to_string()),
        story_date: story.map(|d| d.to_string()),
        cameo_root: info.map_or_else(
            || code.get(..2).unwrap_or_default().to_string(),
            |i| i.root.to_string(),
        ),
        quad_class: info.map_or(0, |i| i.quad_class),
        goldstein: info.map_or(0.0, |i| i.goldstein),
        plover: Plover {
            kind: info.and_then(|i| i.plover_type).map(str::to_string),
            mode: info.and_then(|i| i.plover_mode).map(str::to_string),
        },
        source: actor(&pe.source, text(source_span)),
        target: actor(&pe.target, text(target_span)),
        location: None,
        location_source: None,
        modality,
        attribution: None,
        evidence: Evidence {
            sentence_text: sentence_text.to_string(),
            trigger: verb.map(|(_, t)| t.form.clone()).unwrap_or_default(),
            trigger_span: verb.map_or((0, 0), |(_, t)| (t.start, t.end)),
            source_span,
            target_span,
            rule: format!(
                "PETRARCH {} {}{}",
                pe.code,
                verb.map(|(_, t)| t.form.to_uppercase()).unwrap_or_default(),
                if pe.negated { " (negated)" } else { "" }
            ),
        },
        // One figure for the whole route: the PETRARCH patterns carry no weights.
        confidence: 0.6,
        cameo: code,
    }
}

/// An actor from a PETRARCH code: `---GOV` is a role without a country, `"TEXT"` a new actor
/// known by its words only.
fn actor(code: &str, text: String) -> Actor {
    if code.starts_with('"') || code.chars().all(|c| c == '-') {
        return Actor {
            text,
            code: String::new(),
            country: None,
            agents: Vec::new(),
            name: None,
            geo: None,
        };
    }
    let c = code.trim_start_matches('-').to_string();
    let segs: Vec<String> = (0..c.len() / 3)
        .filter_map(|i| c.get(i * 3..i * 3 + 3).map(str::to_string))
        .collect();
    // The first segment is the country (or international prefix) unless it is a role code;
    // a prefix CAMEO does not list is the dictionaries' own country-like code.
    let (country, agents) = match segs.split_first() {
        Some((first, rest))
            if !code.starts_with("---")
                && (dyad_cameo::country(first).is_some() || dyad_cameo::role(first).is_none()) =>
        {
            (Some(first.clone()), rest.to_vec())
        }
        _ => (None, segs),
    };
    Actor {
        text,
        code: c,
        country,
        agents,
        name: None,
        geo: None,
    }
}

/// How the sentence asserts the verb's event: negated (unless the negation is already the
/// code: a refusal), future ("will"), conditional ("would", "could", "may"), else asserted.
fn modality(tokens: &[Token], verb: Option<usize>, negated: bool, code: &str) -> Modality {
    if negated && !code.starts_with("12") {
        return Modality::Negated;
    }
    let Some(v) = verb else {
        return Modality::Asserted;
    };
    for t in tokens {
        if t.head != Some(v as u32 + 1) || !t.deprel.starts_with("aux") {
            continue;
        }
        match t.form.to_lowercase().as_str() {
            "will" | "shall" | "'ll" => return Modality::Future,
            "would" | "could" | "might" | "may" | "should" => return Modality::Conditional,
            _ => {}
        }
    }
    Modality::Asserted
}

/// A day named among the verb's own dependents ("met on Tuesday", "said yesterday"),
/// resolved against the story date: the latest such day on or before it, or for a future
/// event the next one on or after it.
fn clause_day(tokens: &[Token], verb: usize, story: NaiveDate, future: bool) -> Option<NaiveDate> {
    let head = verb as u32 + 1;
    // The verb's own dependents first, then theirs ("met Kestria on Monday" with the day
    // hung on the object).
    let own = tokens.iter().filter(|t| t.head == Some(head));
    let args: Vec<u32> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.head == Some(head))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let nested = tokens
        .iter()
        .filter(|t| t.head.is_some_and(|h| args.contains(&h)));
    own.chain(nested)
        .find_map(|t| match t.form.to_lowercase().as_str() {
            "yesterday" => Some(story - Duration::days(1)),
            "today" | "tonight" => Some(story),
            "tomorrow" => Some(story + Duration::days(1)),
            w => weekday(w).map(|wd| {
                let back =
                    (story.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                if future {
                    story + Duration::days(((7 - back) % 7) as i64)
                } else {
                    story - Duration::days(back as i64)
                }
            }),
        })
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
    }

    #[test]
    fn petrarch_directories_and_files_are_recognised_and_dyad_directories_are_not() {
        let dir = fixtures();
        let files = petrarch_dictionary_files(std::slice::from_ref(&dir))
            .unwrap()
            .expect("the fixtures directory holds PETRARCH files");
        assert!(files.iter().any(|f| f.ends_with("mini.verbs.txt")));
        assert!(files.iter().any(|f| f.ends_with("mini.actors.txt")));
        let one = vec![dir.join("mini.verbs.txt"), dir.join("mini.actors.txt")];
        assert_eq!(
            petrarch_dictionary_files(&one).unwrap().as_deref(),
            Some(one.as_slice())
        );
        // Actors alone cannot code: not a PETRARCH set to code with.
        assert_eq!(
            petrarch_dictionary_files(&[dir.join("mini.actors.txt")]).unwrap(),
            None
        );
        let dyad_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dictionaries");
        if dyad_dir.join("verbs").is_dir() {
            assert_eq!(petrarch_dictionary_files(&[dyad_dir]).unwrap(), None);
        }
        let bad = vec![dir.join("mini.verbs.txt"), dir.join("mini.records.xml")];
        let err = petrarch_dictionary_files(&bad).unwrap_err().to_string();
        assert!(err.contains("mini.records.xml"), "{err}");
    }

    #[test]
    fn actor_codes_split_into_country_and_roles() {
        let a = actor("IGOUNO", "the United Nations".into());
        assert_eq!(
            (a.country.as_deref(), a.agents.as_slice()),
            (Some("IGO"), &["UNO".to_string()][..])
        );
        let r = actor("OSKMIL", "Oskara's riders".into());
        assert_eq!(
            (r.country.as_deref(), r.agents.as_slice()),
            (Some("OSK"), &["MIL".to_string()][..])
        );
        let b = actor("USAGOV", "Washington".into());
        assert_eq!(b.country.as_deref(), Some("USA"));
        assert_eq!(b.agents, ["GOV"]);
        let c = actor("---GOV", "officials".into());
        assert_eq!((c.code.as_str(), c.country.as_deref()), ("GOV", None));
        let d = actor("\"NEW GROUP\"", "new group".into());
        assert!(d.code.is_empty());
    }

    #[test]
    fn clause_days_resolve_against_the_story_date() {
        let story = NaiveDate::from_ymd_opt(2024, 5, 15).unwrap(); // a Wednesday
        let toks: Vec<Token> = [("met", 0, "root"), ("Monday", 1, "obl:tmod")]
            .iter()
            .map(|&(f, h, r)| Token {
                form: f.into(),
                head: Some(h),
                deprel: r.into(),
                ..Default::default()
            })
            .collect();
        assert_eq!(
            clause_day(&toks, 0, story, false),
            NaiveDate::from_ymd_opt(2024, 5, 13)
        );
        assert_eq!(
            clause_day(&toks, 0, story, true),
            NaiveDate::from_ymd_opt(2024, 5, 20)
        );
    }
}
