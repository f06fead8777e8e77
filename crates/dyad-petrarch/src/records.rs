//! Reader for PETRARCH validation files (`PETR.UnitTest.records.xml`,
//! `PETR2_GSR_validation.xml`).
//!
//! Structure: `<Environment>` (dictionary file names, `<Include>` categories, `<Config>`),
//! then `<Sentence date id category …>` records with `<EventCoding …/>`, `<Text>` and
//! `<Parse>` (Penn Treebank or CoNLL-U). `<Config option value>` elements between records stay
//! in force for the records after them. The reader is a tolerant tag scanner rather than an
//! XML parser: the GSR file self-closes `<Sentence …/>` and then continues the record up to
//! `</Sentence>`, and files hold `#` banner text outside any element.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::error::PetrError;

/// One expected event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpectedEvent {
    /// `ULMGOV`, `---GOV` (unknown country), `---` (null actor) or `"TEXT"` (a text actor).
    pub source: String,
    pub target: String,
    pub code: String,
}

/// A parse given with a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum GivenParse {
    PennTreebank(String),
    Conllu(String),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Record {
    pub id: String,
    /// 1-based line of the `<Sentence` tag.
    pub line: usize,
    pub date: Option<NaiveDate>,
    pub category: String,
    /// All attributes of the `<Sentence>` tag.
    pub attrs: BTreeMap<String, String>,
    pub expected: Vec<ExpectedEvent>,
    /// `<EventCoding noevents="True">`.
    pub noevents: bool,
    /// `<EventCoding error="…">`: PETRARCH reports an error instead of events.
    pub error: Option<String>,
    pub text: String,
    pub parse: Option<GivenParse>,
    /// Options in force for this record (environment options, then `<Config>` elements read so
    /// far), keys lowercase.
    pub config: BTreeMap<String, String>,
    pub comments: Vec<String>,
}

impl Record {
    /// A boolean option (`true`/`false` in any case); `default` when unset or unreadable.
    pub fn flag(&self, option: &str, default: bool) -> bool {
        match self.config.get(option).map(|v| v.trim().to_lowercase()) {
            Some(v) if v == "true" || v == "1" || v == "yes" => true,
            Some(v) if v == "false" || v == "0" || v == "no" => false,
            _ => default,
        }
    }
    pub fn number(&self, option: &str) -> Option<i64> {
        self.config.get(option).and_then(|v| v.trim().parse().ok())
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Environment {
    pub verbfiles: Vec<String>,
    pub actorfiles: Vec<String>,
    pub agentfiles: Vec<String>,
    pub discardfiles: Vec<String>,
    /// `<Include>` words: categories, and `valid` (only records not marked `sentence="false"`).
    pub include: Vec<String>,
    pub config: BTreeMap<String, String>,
    /// Other elements (`Errorfile`, `Pause`, `PICOfile`, …): name → text.
    pub other: BTreeMap<String, String>,
}

impl Environment {
    /// Whether the file's own selection includes the record.
    pub fn includes(&self, r: &Record) -> bool {
        if self.include.is_empty() {
            return true;
        }
        if self.include.iter().any(|w| w.eq_ignore_ascii_case("valid")) {
            let invalid = |k: &str| {
                r.attrs
                    .get(k)
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
            };
            if invalid("sentence") || invalid("evaluate") {
                return false;
            }
        }
        self.include.iter().any(|w| w == &r.category)
    }

    /// Dictionary file names by kind, in the order: verbs, actors, agents, discards.
    pub fn dictionary_files(&self) -> Vec<String> {
        self.verbfiles
            .iter()
            .chain(&self.actorfiles)
            .chain(&self.agentfiles)
            .chain(&self.discardfiles)
            .cloned()
            .collect()
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ValidationFile {
    pub file: String,
    pub environment: Environment,
    pub records: Vec<Record>,
    pub errors: Vec<PetrError>,
}

impl ValidationFile {
    /// The records of the file's own `<Include>` selection.
    pub fn selected(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| self.environment.includes(r))
    }
}

/// A tag or a run of text found by the scanner.
#[derive(Debug)]
enum Piece<'a> {
    Open {
        name: &'a str,
        attrs: BTreeMap<String, String>,
        self_closed: bool,
        pos: usize,
    },
    Close {
        name: &'a str,
    },
    Comment(&'a str),
    Text(&'a str),
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `name = "value"` or `name='value'`, in any spacing.
fn parse_attrs(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let name = &s[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            return Err(format!("attribute '{name}' has no value"));
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *b
            .get(i)
            .ok_or_else(|| format!("attribute '{name}' has no value"))?;
        if quote != b'"' && quote != b'\'' {
            return Err(format!("attribute '{name}' value is not quoted"));
        }
        let vstart = i + 1;
        let vend = s[vstart..]
            .find(quote as char)
            .map(|p| vstart + p)
            .ok_or_else(|| format!("attribute '{name}' value is not closed"))?;
        out.insert(name.to_string(), unescape(&s[vstart..vend]));
        i = vend + 1;
    }
    Ok(out)
}

fn scan<'a>(text: &'a str, errors: &mut Vec<(usize, String)>) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some(lt) = text[i..].find('<').map(|p| i + p) else {
            out.push(Piece::Text(&text[i..]));
            break;
        };
        if lt > i {
            out.push(Piece::Text(&text[i..lt]));
        }
        let rest = &text[lt..];
        if rest.starts_with("<!--") {
            match rest.find("-->") {
                Some(e) => {
                    out.push(Piece::Comment(&rest[4..e]));
                    i = lt + e + 3;
                }
                None => {
                    errors.push((lt, "comment '<!--' is never closed".into()));
                    break;
                }
            }
            continue;
        }
        let Some(gt) = rest.find('>') else {
            errors.push((lt, "tag '<' is never closed".into()));
            break;
        };
        let inner = &rest[1..gt];
        i = lt + gt + 1;
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            out.push(Piece::Close { name: name.trim() });
            continue;
        }
        let self_closed = inner.trim_end().ends_with('/');
        let body = inner.trim_end().trim_end_matches('/');
        let (name, attrs) = match body.find(char::is_whitespace) {
            Some(p) => (&body[..p], &body[p..]),
            None => (body, ""),
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            // A stray '<' in banner text: keep it as text.
            out.push(Piece::Text(&text[lt..i]));
            continue;
        }
        let attrs = match parse_attrs(attrs) {
            Ok(a) => a,
            Err(m) => {
                errors.push((lt, format!("<{name}>: {m}")));
                BTreeMap::new()
            }
        };
        out.push(Piece::Open {
            name,
            attrs,
            self_closed,
            pos: lt,
        });
    }
    out
}

/// Text up to the matching close tag of `name`, starting after piece `k`; returns the text and
/// the index of the close tag.
fn element_text(pieces: &[Piece<'_>], k: usize, name: &str) -> (String, usize) {
    let mut s = String::new();
    let mut j = k + 1;
    while j < pieces.len() {
        match &pieces[j] {
            Piece::Text(t) => s.push_str(t),
            Piece::Close { name: n, .. } if n.eq_ignore_ascii_case(name) => {
                return (unescape(&s), j)
            }
            Piece::Comment(_) => {}
            Piece::Open { name: n, .. } | Piece::Close { name: n, .. } => {
                // Another element inside: its tag ends this one (bad nesting); stop here.
                let _ = n;
                return (unescape(&s), j - 1);
            }
        }
        j += 1;
    }
    (unescape(&s), j)
}

fn config_of(attrs: &BTreeMap<String, String>) -> Option<(String, String)> {
    Some((
        attrs.get("option")?.trim().to_lowercase(),
        attrs.get("value")?.clone(),
    ))
}

/// Parse a validation file. Problems are reported in `errors` with their line.
pub fn parse_validation(file: &str, text: &str) -> ValidationFile {
    let line_of = |pos: usize| {
        text[..pos.min(text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    };
    let mut raw_errors = Vec::new();
    let pieces = scan(text, &mut raw_errors);
    let mut v = ValidationFile {
        file: file.to_string(),
        ..Default::default()
    };
    let mut config: BTreeMap<String, String> = BTreeMap::new();
    let mut in_env = false;
    let mut current: Option<Record> = None;
    let finish = |r: Option<Record>, v: &mut ValidationFile| {
        if let Some(r) = r {
            if r.text.trim().is_empty() {
                v.errors.push(PetrError::new(
                    file,
                    r.line,
                    format!("record '{}' has no <Text>", r.id),
                ));
            }
            v.records.push(r);
        }
    };
    let mut k = 0;
    while k < pieces.len() {
        match &pieces[k] {
            Piece::Open {
                name,
                attrs,
                self_closed,
                pos,
            } => match *name {
                "Environment" => in_env = !self_closed,
                "Config" => match config_of(attrs) {
                    Some((o, val)) => {
                        if in_env {
                            v.environment.config.insert(o.clone(), val.clone());
                        }
                        config.insert(o, val);
                    }
                    None => v.errors.push(PetrError::new(
                        file,
                        line_of(*pos),
                        "<Config> needs option=\"…\" and value=\"…\"",
                    )),
                },
                "Verbfile" | "Actorfile" | "Agentfile" | "Discardfile" | "Include" if in_env => {
                    let (t, end) = element_text(&pieces, k, name);
                    let list: Vec<String> = if *name == "Include" {
                        t.split_whitespace().map(str::to_string).collect()
                    } else {
                        t.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect()
                    };
                    let env = &mut v.environment;
                    match *name {
                        "Verbfile" => env.verbfiles.extend(list),
                        "Actorfile" => env.actorfiles.extend(list),
                        "Agentfile" => env.agentfiles.extend(list),
                        "Discardfile" => env.discardfiles.extend(list),
                        _ => env.include.extend(list),
                    }
                    k = end;
                }
                other if in_env => {
                    let (t, end) = element_text(&pieces, k, other);
                    v.environment
                        .other
                        .insert(other.to_string(), t.trim().to_string());
                    k = end;
                }
                "Sentence" => {
                    finish(current.take(), &mut v);
                    let line = line_of(*pos);
                    let id = attrs.get("id").cloned().unwrap_or_default();
                    if id.is_empty() {
                        v.errors
                            .push(PetrError::new(file, line, "<Sentence> without id"));
                    }
                    let date_raw = attrs.get("date").cloned().unwrap_or_default();
                    let date = crate::actors::parse_petr_date(date_raw.trim());
                    if date.is_none() {
                        v.errors.push(PetrError::new(
                            file,
                            line,
                            format!("record '{id}': bad or missing date '{date_raw}' (expected YYYYMMDD)"),
                        ));
                    }
                    current = Some(Record {
                        id,
                        line,
                        date,
                        category: attrs.get("category").cloned().unwrap_or_default(),
                        attrs: attrs.clone(),
                        expected: Vec::new(),
                        noevents: false,
                        error: None,
                        text: String::new(),
                        parse: None,
                        config: config.clone(),
                        comments: Vec::new(),
                    });
                }
                "EventCoding" => {
                    let Some(r) = current.as_mut() else {
                        v.errors.push(PetrError::new(
                            file,
                            line_of(*pos),
                            "<EventCoding> outside a <Sentence>",
                        ));
                        k += 1;
                        continue;
                    };
                    if attrs
                        .get("noevents")
                        .is_some_and(|x| x.trim().eq_ignore_ascii_case("true"))
                    {
                        r.noevents = true;
                    } else if let Some(e) = attrs.get("error") {
                        r.error = Some(e.clone());
                    } else {
                        match (attrs.get("sourcecode"), attrs.get("targetcode"), attrs.get("eventcode")) {
                            (Some(s), Some(t), Some(c)) => r.expected.push(ExpectedEvent {
                                source: s.trim().to_string(),
                                target: t.trim().to_string(),
                                code: c.trim().to_string(),
                            }),
                            _ => v.errors.push(PetrError::new(
                                file,
                                line_of(*pos),
                                format!("record '{}': <EventCoding> needs sourcecode, targetcode and eventcode (or noevents / error)", r.id),
                            )),
                        }
                    }
                }
                "Text" | "Parse" => {
                    let (t, end) = element_text(&pieces, k, name);
                    k = end;
                    match current.as_mut() {
                        Some(r) if *name == "Text" => {
                            r.text = t.split_whitespace().collect::<Vec<_>>().join(" ")
                        }
                        Some(r) => {
                            let body = t.trim_matches(|c: char| c == '\n' || c == '\r' || c == ' ');
                            let conllu =
                                body.lines()
                                    .find(|l| !l.trim().is_empty())
                                    .is_some_and(|l| {
                                        l.contains('\t')
                                            && l.trim_start()
                                                .starts_with(|c: char| c.is_ascii_digit())
                                    });
                            r.parse = Some(if conllu {
                                GivenParse::Conllu(body.to_string())
                            } else {
                                GivenParse::PennTreebank(body.trim().to_string())
                            });
                        }
                        None => v.errors.push(PetrError::new(
                            file,
                            line_of(*pos),
                            format!("<{name}> outside a <Sentence>"),
                        )),
                    }
                }
                _ => {}
            },
            Piece::Close { name } => match *name {
                "Environment" => in_env = false,
                "Sentence" => finish(current.take(), &mut v),
                _ => {}
            },
            Piece::Comment(c) => {
                if let Some(r) = current.as_mut() {
                    r.comments.push(c.trim().to_string());
                }
            }
            Piece::Text(_) => {}
        }
        k += 1;
    }
    finish(current.take(), &mut v);
    for (pos, m) in raw_errors {
        v.errors.push(PetrError::new(file, line_of(pos), m));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fixture_records_configs_and_selection() {
        let v = parse_validation(
            "mini.xml",
            include_str!("../tests/fixtures/mini.records.xml"),
        );
        assert!(v.errors.is_empty(), "{:?}", v.errors);
        assert_eq!(v.environment.verbfiles, ["mini.verbs.txt"]);
        assert_eq!(v.environment.actorfiles, ["mini.actors.txt"]);
        assert!(v.environment.include.contains(&"BASIC".to_string()));
        let ids: Vec<&str> = v.selected().map(|r| r.id.as_str()).collect();
        assert!(ids.contains(&"BASIC-01"));
        assert!(!ids.contains(&"SKIP-01"), "category outside <Include>");
        assert!(!ids.contains(&"BASIC-99"), "sentence=false");
        let r1 = v.records.iter().find(|r| r.id == "BASIC-01").unwrap();
        assert_eq!(
            r1.expected,
            vec![ExpectedEvent {
                source: "OSK".into(),
                target: "KST".into(),
                code: "040".into()
            }]
        );
        assert!(r1.flag("require_dyad", true));
        assert!(matches!(r1.parse, Some(GivenParse::PennTreebank(_))));
        let open = v.records.iter().find(|r| r.id == "OPEN-01").unwrap();
        assert!(!open.flag("require_dyad", true), "config stays in force");
        assert_eq!(open.expected[0].target, "---");
        let none = v.records.iter().find(|r| r.id == "NONE-01").unwrap();
        assert!(none.noevents);
        let quoted = v.records.iter().find(|r| r.id == "TEXT-01").unwrap();
        assert_eq!(quoted.expected[0].source, "\"THE HILL CLANS\"");
        assert_eq!(quoted.number("new_actor_length"), Some(3));
        let err = v.records.iter().find(|r| r.id == "ERR-01").unwrap();
        assert_eq!(err.error.as_deref(), Some("sentencediscard"));
        let ud = v.records.iter().find(|r| r.id == "UD-01").unwrap();
        assert!(
            matches!(ud.parse, Some(GivenParse::Conllu(_))),
            "self-closed then continued"
        );
        assert_eq!(ud.expected.len(), 1);
        assert_eq!(ud.date, NaiveDate::from_ymd_opt(2008, 8, 4));
    }

    #[test]
    fn reports_problems_with_lines() {
        let v = parse_validation("bad.xml", "<Sentences>\n<Sentence id=\"A\" date=\"x\" category=\"C\">\n<EventCoding sourcecode=\"X\"/>\n<Text>t</Text></Sentence>\n<Config option=\"a\"/>\n");
        let msgs: Vec<String> = v.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("bad.xml:2:") && m.contains("date")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.starts_with("bad.xml:3:")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("bad.xml:5:")), "{msgs:?}");
    }
}
