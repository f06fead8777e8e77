//! Typed dictionary entries, parsed and validated line by line. Each parser collects every error
//! it finds (with `file:line`) and keeps going.

use chrono::NaiveDate;
use dyad_cameo::ActorCode;

use crate::dates::{parse_range, DateRange};
use crate::error::{DictError, Loc};

/// A code line of an actor block: `IRNGOV 2013-08-15..2021-08-25`.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedCode {
    /// The code as written (validated).
    pub code: String,
    pub parsed: ActorCode,
    pub range: DateRange,
    pub line: usize,
}

/// A block of `actors/*.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorEntry {
    /// Names of the head line; the first is the canonical name.
    pub names: Vec<String>,
    pub codes: Vec<DatedCode>,
    pub adjectives: Vec<String>,
    pub capitals: Vec<String>,
    /// Extra names that are matched but never printed as the canonical name.
    pub aliases: Vec<String>,
    pub loc: Loc,
}

impl ActorEntry {
    pub fn canonical(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or("")
    }

    /// The code in force on `date`: the first code line whose range holds it, else an undated
    /// line. Without a date: the open-ended range that started last, else the last line.
    pub fn code_at(&self, date: Option<NaiveDate>) -> Option<&DatedCode> {
        match date {
            Some(d) => self
                .codes
                .iter()
                .find(|c| !c.range.is_always() && c.range.contains(d))
                .or_else(|| self.codes.iter().find(|c| c.range.is_always())),
            None => self
                .codes
                .iter()
                .filter(|c| c.range.to.is_none())
                .max_by_key(|c| c.range.from)
                .or_else(|| self.codes.last()),
        }
    }
}

/// A line of `agents.txt`: role code(s) and the nouns that carry them.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentEntry {
    /// One or more role codes (`GOV`, or `GOVMIL` written together).
    pub code: String,
    pub roles: Vec<String>,
    pub terms: Vec<String>,
    /// `~ist` forms, reserved for later use (not matched).
    pub suffixes: Vec<String>,
    pub loc: Loc,
}

/// Voice constraint of a verb pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Voice {
    Active,
    Passive,
}

/// A line of `verbs/*.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbPattern {
    /// CAMEO event code (validated).
    pub code: String,
    /// Predicate lemma, lowercase (`step` for `step_up`).
    pub lemma: String,
    /// Particle of a multi-word predicate (`up` for `step_up`; `carry_out` → `out`).
    pub particle: Option<String>,
    /// `[a|b]`: allowed lemmas of the direct object's head (empty: no constraint).
    pub objects: Vec<String>,
    /// `{to|into}`: prepositions whose object is the target (empty: none).
    pub preps: Vec<String>,
    /// `!obj`: only without a direct object.
    pub no_obj: bool,
    pub voice: Option<Voice>,
    /// The trailing `# note`, if any.
    pub note: Option<String>,
    /// The pattern as written, for messages.
    pub text: String,
    pub loc: Loc,
    /// Position across all verb files (files sorted by name), for file-order ties.
    pub order: usize,
}

impl VerbPattern {
    /// Number of constraints: more specific patterns are tried first.
    pub fn specificity(&self) -> usize {
        usize::from(self.particle.is_some())
            + usize::from(!self.objects.is_empty())
            + usize::from(!self.preps.is_empty())
            + usize::from(self.no_obj)
            + usize::from(self.voice.is_some())
    }

    /// Whether the pattern applies to a predicate (`lemma` already matched), given only the
    /// prepositions of its dependents. See [`VerbPattern::matches_clause`].
    pub fn matches(
        &self,
        particle: Option<&str>,
        obj_lemma: Option<&str>,
        preps: &[&str],
        passive: bool,
    ) -> bool {
        self.check(
            particle,
            obj_lemma,
            |p| preps.iter().any(|x| x.eq_ignore_ascii_case(p)),
            |_| None,
            passive,
        )
    }

    /// Whether the pattern applies to a clause (`lemma` already matched). A particle pattern
    /// (`call_on`) also matches when the parser attached its particle as a preposition; then,
    /// without a direct object, `[…]` constrains the noun that preposition governs
    /// ("called for talks" → `call_for [talk]`).
    pub fn matches_clause(&self, c: &Clause<'_>) -> bool {
        self.check(
            c.particle,
            c.obj,
            |p| c.obliques.iter().any(|(x, _)| x.eq_ignore_ascii_case(p)),
            |p| {
                c.obliques
                    .iter()
                    .find(|(x, _)| x.eq_ignore_ascii_case(p))
                    .map(|(_, head)| *head)
            },
            c.passive,
        )
    }

    fn check<'c>(
        &self,
        particle: Option<&str>,
        obj_lemma: Option<&'c str>,
        has_prep: impl Fn(&str) -> bool,
        prep_head: impl Fn(&str) -> Option<&'c str>,
        passive: bool,
    ) -> bool {
        let particle_ok = match (&self.particle, particle) {
            (Some(want), Some(got)) => want.eq_ignore_ascii_case(got),
            (Some(want), None) => has_prep(want),
            (None, Some(_)) => false,
            (None, None) => true,
        };
        if !particle_ok {
            return false;
        }
        if self.no_obj && obj_lemma.is_some() {
            return false;
        }
        if !self.objects.is_empty() {
            let head = match (obj_lemma, &self.particle) {
                (Some(obj), _) => Some(obj),
                (None, Some(p)) => prep_head(p),
                (None, None) => None,
            };
            let Some(head) = head else {
                return false;
            };
            let head = head.trim().to_lowercase().replace(' ', "_");
            if !self.objects.contains(&head) {
                return false;
            }
        }
        if !self.preps.is_empty() && !self.preps.iter().any(|p| has_prep(p)) {
            return false;
        }
        match self.voice {
            Some(Voice::Passive) => passive,
            Some(Voice::Active) => !passive,
            None => true,
        }
    }

    /// The preposition (from `preps` as given) whose object is the target, when the pattern
    /// names prepositions.
    pub fn target_prep<'a>(&self, preps: &[&'a str]) -> Option<&'a str> {
        preps
            .iter()
            .copied()
            .find(|p| self.preps.iter().any(|w| w.eq_ignore_ascii_case(p)))
    }
}

/// A predicate as the event coder reads it from a UD parse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clause<'a> {
    /// Predicate lemma.
    pub lemma: &'a str,
    /// `compound:prt` particle, if any.
    pub particle: Option<&'a str>,
    /// Lemma of the direct object's head.
    pub obj: Option<&'a str>,
    /// `(preposition, lemma of the noun it governs)` for each `obl`/`nmod` dependent.
    pub obliques: &'a [(&'a str, &'a str)],
    pub passive: bool,
}

/// What a discard phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardKind {
    /// A sentence containing the phrase is not coded.
    Sentence,
    /// The phrase is never an actor (`name: Real Madrid`).
    Name,
}

/// A line of `discards.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Discard {
    pub phrase: String,
    pub kind: DiscardKind,
    pub loc: Loc,
}

/// Strip a `#` comment: `#` at the start or after whitespace, not inside a word (`C#`).
pub(crate) fn strip_comment(line: &str) -> (&str, Option<&str>) {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            let note = line[i + 1..].trim();
            return (&line[..i], (!note.is_empty()).then_some(note));
        }
    }
    (line, None)
}

/// Split `a | b | c` into trimmed alternatives, reporting empty ones.
fn alternatives(
    s: &str,
    what: &str,
    file: &str,
    line: usize,
    errors: &mut Vec<DictError>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in s.split('|').enumerate() {
        let part = part.trim();
        if part.is_empty() {
            errors.push(DictError::new(
                file,
                line,
                format!("empty {what} (alternative {} of '{}')", i + 1, s.trim()),
            ));
        } else {
            out.push(part.to_string());
        }
    }
    out
}

/// Parse one `actors/*.txt` file.
pub(crate) fn parse_actors(
    file: &str,
    text: &str,
    errors: &mut Vec<DictError>,
    warnings: &mut Vec<DictError>,
) -> Vec<ActorEntry> {
    let mut out: Vec<ActorEntry> = Vec::new();
    let mut current: Option<ActorEntry> = None;
    // Overlapping dated codes are allowed (two offices at once) but the first line wins, so
    // they are worth a warning.
    let finish = |entry: ActorEntry,
                  out: &mut Vec<ActorEntry>,
                  errors: &mut Vec<DictError>,
                  warnings: &mut Vec<DictError>| {
        if entry.codes.is_empty() {
            errors.push(DictError::new(
                file,
                entry.loc.line,
                format!("actor '{}' has no code line", entry.canonical()),
            ));
        } else {
            for (i, a) in entry.codes.iter().enumerate() {
                for b in &entry.codes[i + 1..] {
                    if a.range.overlaps(&b.range) && !a.range.is_always() && !b.range.is_always() {
                        warnings.push(DictError::new(
                            file,
                            b.line,
                            format!(
                                "date range {} of {} overlaps {} of {} (line {})",
                                b.range, b.code, a.range, a.code, a.line
                            ),
                        ));
                    }
                }
            }
        }
        out.push(entry);
    };
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let (content, _) = strip_comment(raw);
        if content.trim().is_empty() {
            continue;
        }
        let indented = content.starts_with([' ', '\t']);
        let content = content.trim();
        if !indented {
            if let Some(entry) = current.take() {
                finish(entry, &mut out, errors, warnings);
            }
            if let Some((key @ ("adjective" | "capital" | "alias"), _)) = field_of(content) {
                errors.push(DictError::new(
                    file,
                    line_no,
                    format!("'{key}:' must be indented under a block of names"),
                ));
                continue;
            }
            let names = alternatives(content, "name", file, line_no, errors);
            current = Some(ActorEntry {
                names,
                codes: Vec::new(),
                adjectives: Vec::new(),
                capitals: Vec::new(),
                aliases: Vec::new(),
                loc: Loc {
                    file: file.to_string(),
                    line: line_no,
                },
            });
            continue;
        }
        let Some(entry) = current.as_mut() else {
            errors.push(DictError::new(
                file,
                line_no,
                "indented line outside a block (a block starts with an unindented line of names)",
            ));
            continue;
        };
        if let Some((key, value)) = field_of(content) {
            let list = match key {
                "adjective" => &mut entry.adjectives,
                "capital" => &mut entry.capitals,
                "alias" => &mut entry.aliases,
                other => {
                    errors.push(DictError::new(
                        file,
                        line_no,
                        format!(
                            "unknown field '{other}:' (expected adjective:, capital: or alias:)"
                        ),
                    ));
                    continue;
                }
            };
            if value.trim().is_empty() {
                errors.push(DictError::new(
                    file,
                    line_no,
                    format!("'{key}:' has no names"),
                ));
                continue;
            }
            list.extend(alternatives(value, key, file, line_no, errors));
            continue;
        }
        let mut words = content.split_whitespace();
        let code = words.next().unwrap_or_default();
        let range = words.next();
        if let Some(extra) = words.next() {
            errors.push(DictError::new(
                file,
                line_no,
                format!("unexpected '{extra}' after the code line (expected CODE [FROM..TO])"),
            ));
            continue;
        }
        let parsed = match dyad_cameo::parse_actor_code(code) {
            Ok(p) => p,
            Err(e) => {
                errors.push(DictError::new(file, line_no, e));
                continue;
            }
        };
        let range = match range.map(parse_range).transpose() {
            Ok(r) => r.unwrap_or(DateRange::ALWAYS),
            Err(e) => {
                errors.push(DictError::new(file, line_no, e));
                continue;
            }
        };
        entry.codes.push(DatedCode {
            code: code.to_string(),
            parsed,
            range,
            line: line_no,
        });
    }
    if let Some(entry) = current.take() {
        finish(entry, &mut out, errors, warnings);
    }
    out
}

/// `key: value` where key is a lowercase word (so codes and names with colons inside are not
/// mistaken for fields).
fn field_of(content: &str) -> Option<(&str, &str)> {
    let (key, value) = content.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .then_some((key, value))
}

/// Parse `agents.txt`.
pub(crate) fn parse_agents(file: &str, text: &str, errors: &mut Vec<DictError>) -> Vec<AgentEntry> {
    let mut out = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let (content, _) = strip_comment(raw);
        if content.trim().is_empty() {
            continue;
        }
        if content.starts_with([' ', '\t']) {
            errors.push(DictError::new(
                file,
                line_no,
                "unexpected indentation (agents.txt has one unindented line per code)",
            ));
            continue;
        }
        let content = content.trim();
        let (code, rest) = match content.split_once(char::is_whitespace) {
            Some((c, r)) => (c, r.trim()),
            None => (content, ""),
        };
        if rest.is_empty() {
            errors.push(DictError::new(
                file,
                line_no,
                format!("agent code '{code}' has no terms"),
            ));
            continue;
        }
        let roles = match agent_roles(code) {
            Ok(r) => r,
            Err(e) => {
                errors.push(DictError::new(file, line_no, e));
                continue;
            }
        };
        let mut terms = Vec::new();
        let mut suffixes = Vec::new();
        for t in alternatives(rest, "term", file, line_no, errors) {
            match t.strip_prefix('~') {
                Some(s) if !s.trim().is_empty() => suffixes.push(s.trim().to_string()),
                Some(_) => errors.push(DictError::new(file, line_no, "empty suffix term '~'")),
                None => terms.push(t),
            }
        }
        out.push(AgentEntry {
            code: code.to_string(),
            roles,
            terms,
            suffixes,
            loc: Loc {
                file: file.to_string(),
                line: line_no,
            },
        });
    }
    out
}

/// An agent code is one or more role codes written together (`GOV`, `GOVMIL`); international
/// prefixes and countries are not agents.
fn agent_roles(code: &str) -> Result<Vec<String>, String> {
    let parsed = dyad_cameo::parse_actor_code(code)?;
    if parsed.country.is_some() {
        return Err(format!(
            "agent code '{code}' must be role codes only (GOV, MIL, …), not a country or international prefix"
        ));
    }
    Ok(parsed.roles)
}

/// Split a pattern into elements, keeping `[…]` and `{…}` whole even with spaces inside.
fn pattern_elements(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut close: Option<char> = None;
    for ch in s.chars() {
        match close {
            Some(c) => {
                cur.push(ch);
                if ch == c {
                    close = None;
                } else if matches!(ch, '[' | '{') {
                    return Err(format!("'{ch}' inside a bracket in '{}'", s.trim()));
                }
            }
            None if ch.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            None => {
                if ch == '[' {
                    close = Some(']');
                } else if ch == '{' {
                    close = Some('}');
                }
                cur.push(ch);
            }
        }
    }
    if let Some(c) = close {
        return Err(format!(
            "unclosed bracket (missing '{c}') in '{}'",
            s.trim()
        ));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn word_list(inner: &str, what: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for part in inner.split('|') {
        let w = part.trim().to_lowercase();
        if w.is_empty() {
            return Err(format!("empty {what} in '{inner}'"));
        }
        if !w
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '\'' | '.'))
        {
            return Err(format!("bad {what} '{w}' (one word; use _ for spaces)"));
        }
        out.push(w);
    }
    Ok(out)
}

/// Parse one `verbs/*.txt` file; `order` continues across files.
pub(crate) fn parse_verbs(
    file: &str,
    text: &str,
    order: &mut usize,
    errors: &mut Vec<DictError>,
) -> Vec<VerbPattern> {
    let mut out = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let (content, note) = strip_comment(raw);
        if content.trim().is_empty() {
            continue;
        }
        let err = |m: String| DictError::new(file, line_no, m);
        if content.starts_with([' ', '\t']) {
            errors.push(err(
                "unexpected indentation (a pattern line is CODE then the pattern)".into(),
            ));
            continue;
        }
        let content = content.trim();
        let (code, pattern) = match content.split_once(char::is_whitespace) {
            Some((c, p)) => (c, p.trim()),
            None => (content, ""),
        };
        if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(err(format!(
                "'{code}' is not an event code (two to four digits, e.g. 042)"
            )));
            continue;
        }
        if !dyad_cameo::is_valid(code) {
            errors.push(err(format!("unknown CAMEO event code '{code}'")));
            continue;
        }
        if pattern.is_empty() {
            errors.push(err(format!("event code {code} has no pattern")));
            continue;
        }
        let elements = match pattern_elements(pattern) {
            Ok(e) => e,
            Err(m) => {
                errors.push(err(m));
                continue;
            }
        };
        let predicate = elements[0].to_lowercase();
        let mut parts = predicate.split('_');
        let lemma = parts.next().unwrap_or_default().to_string();
        let particle: Vec<&str> = parts.collect();
        if lemma.is_empty()
            || !lemma.chars().all(|c| c.is_alphabetic() || c == '-')
            || particle
                .iter()
                .any(|p| p.is_empty() || !p.chars().all(char::is_alphabetic))
        {
            errors.push(err(format!(
                "bad predicate '{}' (a lemma, with _ before a particle: step_up)",
                elements[0]
            )));
            continue;
        }
        let mut p = VerbPattern {
            code: code.to_string(),
            lemma,
            particle: (!particle.is_empty()).then(|| particle.join(" ")),
            objects: Vec::new(),
            preps: Vec::new(),
            no_obj: false,
            voice: None,
            note: note.map(str::to_string),
            text: pattern.to_string(),
            loc: Loc {
                file: file.to_string(),
                line: line_no,
            },
            order: *order,
        };
        let mut ok = true;
        for el in &elements[1..] {
            let res: Result<(), String> = if let Some(inner) =
                el.strip_prefix('[').and_then(|s| s.strip_suffix(']'))
            {
                if !p.objects.is_empty() {
                    Err("more than one [object] constraint".into())
                } else {
                    word_list(inner, "object lemma").map(|w| p.objects = w)
                }
            } else if let Some(inner) = el.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if !p.preps.is_empty() {
                    Err("more than one {preposition} constraint".into())
                } else {
                    word_list(inner, "preposition").map(|w| p.preps = w)
                }
            } else {
                match el.as_str() {
                    "!obj" => {
                        p.no_obj = true;
                        Ok(())
                    }
                    "@passive" | "@active" => {
                        let v = if el == "@passive" {
                            Voice::Passive
                        } else {
                            Voice::Active
                        };
                        match p.voice {
                            Some(old) if old != v => Err("both @passive and @active".into()),
                            _ => {
                                p.voice = Some(v);
                                Ok(())
                            }
                        }
                    }
                    other => Err(format!(
                        "unknown pattern element '{other}' (expected [objects], {{preps}}, !obj, @passive or @active)"
                    )),
                }
            };
            if let Err(m) = res {
                errors.push(err(m));
                ok = false;
            }
        }
        if ok && p.no_obj && !p.objects.is_empty() {
            errors.push(err("!obj contradicts an [object] constraint".into()));
            ok = false;
        }
        if ok {
            *order += 1;
            out.push(p);
        }
    }
    out
}

/// Parse `discards.txt`.
pub(crate) fn parse_discards(file: &str, text: &str, errors: &mut Vec<DictError>) -> Vec<Discard> {
    let mut out = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let (content, _) = strip_comment(raw);
        if content.trim().is_empty() {
            continue;
        }
        if content.starts_with([' ', '\t']) {
            errors.push(DictError::new(
                file,
                line_no,
                "unexpected indentation (discards.txt has one phrase per line)",
            ));
            continue;
        }
        let content = content.trim();
        let (kind, phrase) = match content.strip_prefix("name:") {
            Some(rest) => (DiscardKind::Name, rest.trim()),
            None => (DiscardKind::Sentence, content),
        };
        if phrase.is_empty() {
            errors.push(DictError::new(file, line_no, "'name:' has no phrase"));
            continue;
        }
        out.push(Discard {
            phrase: phrase.to_string(),
            kind,
            loc: Loc {
                file: file.to_string(),
                line: line_no,
            },
        });
    }
    out
}
