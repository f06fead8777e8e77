//! PETRARCH validation/record XML: `<Sentence date id category ...>` records holding
//! `<Text>`, `<Parse>` and `<EventCoding .../>` elements.
//!
//! Real files are not well-formed: many `<Sentence .../>` tags are self-closed and
//! still followed by their content and a `</Sentence>`. End-name checks are off, and
//! a record runs from one `<Sentence>` tag (open or self-closed) to `</Sentence>` or
//! the next `<Sentence>`, whichever comes first. `<Environment>` and `<Config>` are
//! skipped (the coder reads them); comments are ignored.

use std::collections::BTreeMap;

use dyad_core::{Document, InputFormat, Metadata};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde_json::Value;

use crate::decode::Decoded;
use crate::feed::{fault_pos, xml_error};
use crate::textutil::{collapse_ws, line_of, unescape, xml_content};
use crate::{finish_doc, origin, ErrorKind, IngestError};

#[derive(Default)]
struct Record {
    attrs: Vec<(String, String)>,
    text: Option<String>,
    parse: Option<String>,
    codings: Vec<BTreeMap<String, String>>,
    /// Byte offset of the `<Sentence>` tag, for error messages.
    at: usize,
}

fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.html_attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            (
                String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                unescape(&String::from_utf8_lossy(&a.value)).into_owned(),
            )
        })
        .collect()
}

pub(crate) fn read(name: &str, d: &Decoded) -> Vec<Result<Document, IngestError>> {
    let src = d.text.as_str();
    let mut reader = Reader::from_str(src);
    let cfg = reader.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = false;
    cfg.allow_unmatched_ends = true;
    let warnings = d.warnings();
    let mut out = Vec::new();
    let mut cur: Option<Record> = None;
    let mut count = 0u64;
    let mut finish = |rec: Record, out: &mut Vec<Result<Document, IngestError>>| {
        count += 1;
        out.push(to_document(name, src, count, rec, &warnings));
    };
    loop {
        let tag_start = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == b"Sentence" => {
                if let Some(rec) = cur.take() {
                    finish(rec, &mut out);
                }
                cur = Some(Record {
                    attrs: attributes(&e),
                    at: tag_start,
                    ..Default::default()
                });
            }
            Ok(Event::Start(e)) => {
                let local = e.name().as_ref().to_vec();
                // Containers (<Validation>, <Sentences>, unknown wrappers) are descended
                // into; only leaf elements are read whole.
                if !matches!(
                    local.as_slice(),
                    b"Text" | b"Parse" | b"EventCoding" | b"Environment" | b"Config"
                ) {
                    continue;
                }
                let span = match reader.read_to_end(e.name()) {
                    Ok(s) => s,
                    Err(err) => {
                        out.push(Err(xml_error(name, src, tag_start, &err)));
                        return out;
                    }
                };
                let raw = src
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("");
                let Some(rec) = cur.as_mut() else {
                    continue;
                };
                match local.as_slice() {
                    b"Text" => rec.text = Some(collapse_ws(&xml_content(raw))),
                    b"Parse" => rec.parse = Some(xml_content(raw)),
                    b"EventCoding" => rec.codings.push(attributes(&e).into_iter().collect()),
                    _ => {}
                }
            }
            Ok(Event::Empty(e)) => {
                if let (Some(rec), b"EventCoding") = (cur.as_mut(), e.name().as_ref()) {
                    rec.codings.push(attributes(&e).into_iter().collect());
                }
            }
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"Sentence" {
                    if let Some(rec) = cur.take() {
                        finish(rec, &mut out);
                    }
                }
            }
            Ok(Event::Eof) => {
                if let Some(rec) = cur.take() {
                    finish(rec, &mut out);
                }
                break;
            }
            Err(err) => {
                out.push(Err(xml_error(name, src, fault_pos(&reader), &err)));
                break;
            }
            Ok(_) => {}
        }
    }
    if out.is_empty() {
        out.push(Err(IngestError::new(
            name,
            ErrorKind::NoText,
            "no <Sentence> records found".to_string(),
        )));
    }
    out
}

fn to_document(
    name: &str,
    src: &str,
    n: u64,
    rec: Record,
    warnings: &[String],
) -> Result<Document, IngestError> {
    let get = |k: &str| {
        rec.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_string())
    };
    let id = get("id").filter(|s| !s.is_empty());
    let mut text = rec.text.unwrap_or_default();
    let mut doc_warnings = warnings.to_vec();
    if text.is_empty() {
        // Some records carry only a parse (an empty <Text>): its words are the sentence.
        if let Some(words) = rec.parse.as_deref().and_then(text_from_parse) {
            text = words;
            doc_warnings
                .push("record has an empty <Text>; text rebuilt from its <Parse>".to_string());
        }
    }
    if text.is_empty() {
        return Err(IngestError::new(
            &format!("{name}:{n}"),
            ErrorKind::NoText,
            format!(
                "record {n} ({}, line {}) has no <Text>",
                id.as_deref()
                    .map_or("no id".to_string(), |i| format!("id {i}")),
                line_of(src, rec.at)
            ),
        ));
    }
    let mut meta = Metadata {
        published: get("date").filter(|s| !s.is_empty()),
        category: get("category").filter(|s| !s.is_empty()),
        given_parse: rec.parse.filter(|p| !p.trim().is_empty()),
        ..Default::default()
    };
    for (k, v) in &rec.attrs {
        if !matches!(k.as_str(), "id" | "date" | "category") {
            meta.extra.insert(k.clone(), v.clone());
        }
    }
    let mut expected = Vec::new();
    for coding in rec.codings {
        for key in ["noevents", "error"] {
            if let Some(v) = coding.get(key) {
                meta.extra.insert(key.to_string(), v.clone());
            }
        }
        if coding
            .keys()
            .any(|k| matches!(k.as_str(), "eventcode" | "sourcecode" | "targetcode"))
        {
            expected.push(Value::Object(
                coding
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            ));
        }
    }
    if !expected.is_empty() {
        meta.extra.insert(
            "expected_events".to_string(),
            Value::Array(expected).to_string(),
        );
    }
    let mut doc = Document::new(origin(name, Some(n), InputFormat::Petrarch, id), text);
    doc.meta = meta;
    doc.warnings = doc_warnings;
    Ok(finish_doc(doc))
}

/// The sentence spelled by a parse: CoNLL-U FORM columns (honouring `SpaceAfter=No`
/// and multi-word token ranges) or the leaves of a Penn Treebank bracketing.
fn text_from_parse(parse: &str) -> Option<String> {
    let mut out = String::new();
    let is_conllu = parse.lines().any(|l| l.split('\t').count() >= 10);
    if is_conllu {
        let mut skip_until = 0u32;
        let mut space = false;
        for line in parse.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 10 || line.starts_with('#') {
                continue;
            }
            let id = cols[0];
            let (first, last) = match id.split_once('-') {
                Some((a, b)) => (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?),
                None if id.contains('.') => continue, // empty nodes have no surface form
                None => {
                    let n = id.parse::<u32>().ok()?;
                    (n, n)
                }
            };
            if first <= skip_until {
                continue;
            }
            skip_until = last;
            if space {
                out.push(' ');
            }
            out.push_str(cols[1]);
            space = !cols[9].split('|').any(|m| m == "SpaceAfter=No");
        }
    } else {
        // Leaves are "(TAG word)": the token after a tag, before ')'.
        for chunk in parse.split('(').skip(1) {
            let Some(inner) = chunk.split(')').next() else {
                continue;
            };
            let mut parts = inner.split_whitespace();
            if let (Some(_tag), Some(word), None) = (parts.next(), parts.next(), parts.next()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
    }
    let out = out.trim().to_string();
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_conllu_and_ptb() {
        let conllu = "1\tTalks\ttalk\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n\
                      2\tresumed\tresume\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n\
                      3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
        assert_eq!(text_from_parse(conllu).as_deref(), Some("Talks resumed."));
        let mwt = "1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n\
                   2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n";
        assert_eq!(text_from_parse(mwt).as_deref(), Some("don't go"));
        let ptb = "(ROOT (S (NP (NNP Ulmark)) (VP (VBD fired) (PP (IN on) (NP (NNP Valdria))))))";
        assert_eq!(
            text_from_parse(ptb).as_deref(),
            Some("Ulmark fired on Valdria")
        );
        assert_eq!(text_from_parse("  "), None);
    }
}
