//! JSON Lines: one story object per line. Also accepts a JSON array of objects and a
//! single (pretty-printed) object, since `.json` exports come in those shapes too.

use dyad_core::{Document, InputFormat, Metadata};
use serde_json::{Map, Value};

use crate::decode::Decoded;
use crate::html::{self, clean_authors, split_authors, Mode};
use crate::{finish_doc, origin, ErrorKind, IngestError, JsonlFields, ReadOptions};

/// Fields that hold a given parse, besides `JsonlFields::parse`.
const PARSE_FIELDS: [&str; 2] = ["conllu", "ptb_parse"];

pub(crate) fn read(
    name: &str,
    d: &Decoded,
    opts: &ReadOptions,
) -> Vec<Result<Document, IngestError>> {
    let text = d.text.as_str();
    if text.trim_start().starts_with('[') {
        return read_array(name, d, opts);
    }
    let mut out = Vec::new();
    let mut offset = 0usize;
    let mut first_record = true;
    for (i, line) in text.split('\n').enumerate() {
        let range = offset..offset + line.len();
        offset += line.len() + 1;
        let lineno = i as u64 + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let line_name = format!("{name}:{lineno}");
        let parsed = serde_json::from_str::<Value>(trimmed);
        if first_record && parsed.is_err() {
            // A pretty-printed single object spans lines: read the whole input as one.
            if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(text) {
                return vec![record(name, name, None, &obj, opts, d.warnings())];
            }
        }
        first_record = false;
        out.push(match parsed {
            Ok(Value::Object(obj)) => record(
                name,
                &line_name,
                Some(lineno),
                &obj,
                opts,
                d.warnings_in(range),
            ),
            Ok(other) => Err(IngestError::new(
                &line_name,
                ErrorKind::Malformed,
                format!("expected a JSON object, found {}", kind_name(&other)),
            )),
            Err(e) => Err(IngestError::new(
                &line_name,
                ErrorKind::Malformed,
                format!("invalid JSON: {e}"),
            )),
        });
    }
    out
}

fn read_array(name: &str, d: &Decoded, opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    match serde_json::from_str::<Value>(&d.text) {
        Ok(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let n = i as u64 + 1;
                let item_name = format!("{name}:{n}");
                match v {
                    Value::Object(obj) => {
                        record(name, &item_name, Some(n), obj, opts, d.warnings())
                    }
                    other => Err(IngestError::new(
                        &item_name,
                        ErrorKind::Malformed,
                        format!(
                            "array item {n}: expected a JSON object, found {}",
                            kind_name(other)
                        ),
                    )),
                }
            })
            .collect(),
        Ok(other) => vec![Err(IngestError::new(
            name,
            ErrorKind::Malformed,
            format!("expected JSON objects, found {}", kind_name(&other)),
        ))],
        Err(e) => vec![Err(IngestError::new(
            name,
            ErrorKind::Malformed,
            format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        ))],
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A scalar field as text (numbers too: ids are often numeric).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn record(
    path: &str,
    item_name: &str,
    line: Option<u64>,
    obj: &Map<String, Value>,
    opts: &ReadOptions,
    warnings: Vec<String>,
) -> Result<Document, IngestError> {
    let f: &JsonlFields = &opts.jsonl;
    let field = |key: &str| {
        obj.get(key)
            .and_then(scalar)
            .filter(|s| !s.trim().is_empty())
    };
    let text = field(&f.text);
    let html_src = field(&f.html);
    let (raw_text, mut meta) = match (text, html_src) {
        (Some(t), _) => (t, Metadata::default()),
        (None, Some(h)) => {
            let ex = html::extract(&h, Mode::Page);
            if ex.text.trim().is_empty() {
                return Err(IngestError::new(
                    item_name,
                    ErrorKind::NoText,
                    format!("no text found in the '{}' field's HTML", f.html),
                ));
            }
            (ex.text, ex.meta)
        }
        (None, None) => {
            let why = match (obj.get(&f.text), obj.get(&f.html)) {
                (Some(v), _) if scalar(v).is_none() => {
                    format!("'{}' is {}, not text", f.text, kind_name(v))
                }
                (Some(_), _) | (_, Some(_)) => {
                    format!("'{}' / '{}' fields are empty", f.text, f.html)
                }
                (None, None) => format!("no '{}' or '{}' field", f.text, f.html),
            };
            return Err(IngestError::new(item_name, ErrorKind::NoText, why));
        }
    };
    if let Some(t) = field(&f.title) {
        meta.title = Some(t);
    }
    if let Some(u) = field(&f.url) {
        meta.url = Some(u);
    }
    if let Some(p) = field(&f.publisher) {
        meta.publisher = Some(p);
    }
    let mut date = None;
    match obj.get(&f.date) {
        Some(Value::Number(n)) => {
            meta.published = Some(n.to_string());
            date = n
                .as_f64()
                .and_then(crate::date::epoch_date)
                .map(|d| dyad_core::StoryDate {
                    date: d,
                    precision: dyad_core::DatePrecision::Day,
                    source: dyad_core::DateSource::Metadata,
                });
        }
        Some(v) => {
            if let Some(s) = scalar(v).filter(|s| !s.trim().is_empty()) {
                meta.published = Some(s);
            }
        }
        None => {}
    }
    let author_value = obj.get(&f.authors).or_else(|| {
        (f.authors == "authors")
            .then(|| obj.get("author"))
            .flatten()
    });
    if let Some(a) = author_value {
        let names: Vec<String> = match a {
            Value::String(s) => split_authors(s),
            Value::Array(items) => items
                .iter()
                .filter_map(|x| match x {
                    Value::Object(o) => o.get("name").and_then(scalar),
                    other => scalar(other),
                })
                .collect(),
            Value::Object(o) => o.get("name").and_then(scalar).into_iter().collect(),
            _ => Vec::new(),
        };
        let names = clean_authors(names.iter().map(String::as_str));
        if !names.is_empty() {
            meta.authors = names;
        }
    }
    if let Some(c) = field(&f.category) {
        meta.category = Some(c);
    }
    meta.given_parse = std::iter::once(f.parse.as_str())
        .chain(PARSE_FIELDS)
        .find_map(|k| {
            obj.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
        })
        .map(str::to_string);
    let mapped = [
        &f.id,
        &f.text,
        &f.html,
        &f.date,
        &f.url,
        &f.title,
        &f.publisher,
        &f.authors,
        &f.category,
        &f.parse,
    ];
    for (k, v) in obj {
        if mapped.contains(&k)
            || PARSE_FIELDS.contains(&k.as_str())
            || (k == "author" && f.authors == "authors")
        {
            continue;
        }
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        meta.extra.insert(k.clone(), s);
    }
    let source_id = obj
        .get(&f.id)
        .and_then(scalar)
        .filter(|s| !s.trim().is_empty());
    let mut doc = Document::new(origin(path, line, InputFormat::Jsonl, source_id), raw_text);
    doc.meta = meta;
    doc.date = date;
    doc.warnings = warnings;
    Ok(finish_doc(doc))
}
