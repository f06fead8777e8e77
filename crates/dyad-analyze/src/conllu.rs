//! CoNLL-U reading (for training and evaluation) and writing (for output).

use std::io::Write;
use std::path::Path;

use dyad_core::{Document, Origin, Sentence, Token};

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConlluWord {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 = root, else 1-based word index.
    pub head: u32,
    pub deprel: String,
}

/// A surface token: one word, or a multi-word token spanning several words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConlluToken {
    pub form: String,
    /// 0-based index of the first word and one past the last.
    pub first: usize,
    pub last: usize,
    pub space_after: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConlluSentence {
    pub sent_id: Option<String>,
    pub text: Option<String>,
    pub new_doc: bool,
    pub new_par: bool,
    pub words: Vec<ConlluWord>,
    pub tokens: Vec<ConlluToken>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConlluError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}: {detail}")]
    Syntax {
        file: String,
        line: usize,
        detail: String,
    },
}

/// Read a CoNLL-U file.
pub fn read_conllu(path: &Path) -> Result<Vec<ConlluSentence>, ConlluError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConlluError::Io {
        file: path.display().to_string(),
        source,
    })?;
    parse_conllu(&text, &path.display().to_string())
}

/// Parse CoNLL-U text; `name` is used in error messages. Empty nodes (`8.1`)
/// are skipped: they belong to enhanced dependencies only.
pub fn parse_conllu(text: &str, name: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    let mut pending_mwt: Option<(usize, usize, String, bool)> = None;
    let err = |line: usize, detail: String| ConlluError::Syntax {
        file: name.to_string(),
        line,
        detail,
    };
    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            pending_mwt = None;
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(v) = c.strip_prefix("sent_id") {
                cur.sent_id = Some(v.trim_start_matches([' ', '=']).trim().to_string());
            } else if let Some(v) = c.strip_prefix("text =") {
                cur.text = Some(v.trim().to_string());
            } else if c.starts_with("newdoc") {
                cur.new_doc = true;
            } else if c.starts_with("newpar") {
                cur.new_par = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(
                lineno,
                format!("expected 10 columns, found {}", cols.len()),
            ));
        }
        let id = cols[0];
        let space_after = !cols[9].split('|').any(|m| m == "SpaceAfter=No");
        if let Some((a, b)) = id.split_once('-') {
            let a: usize = a
                .parse()
                .map_err(|_| err(lineno, format!("bad range id '{id}'")))?;
            let b: usize = b
                .parse()
                .map_err(|_| err(lineno, format!("bad range id '{id}'")))?;
            if b < a || a != cur.words.len() + 1 {
                return Err(err(lineno, format!("range '{id}' out of sequence")));
            }
            pending_mwt = Some((a - 1, b, cols[1].to_string(), space_after));
            continue;
        }
        if id.contains('.') {
            continue;
        }
        let n: usize = id
            .parse()
            .map_err(|_| err(lineno, format!("bad word id '{id}'")))?;
        if n != cur.words.len() + 1 {
            return Err(err(lineno, format!("word id {n} out of sequence")));
        }
        let head = match cols[6] {
            "_" => 0,
            h => h
                .parse()
                .map_err(|_| err(lineno, format!("bad head '{h}'")))?,
        };
        let f = |s: &str| {
            if s == "_" {
                String::new()
            } else {
                s.to_string()
            }
        };
        cur.words.push(ConlluWord {
            form: cols[1].to_string(),
            lemma: if cols[2] == "_" && cols[1] != "_" {
                String::new()
            } else {
                cols[2].to_string()
            },
            upos: f(cols[3]),
            xpos: f(cols[4]),
            feats: f(cols[5]),
            head,
            deprel: f(cols[7]),
        });
        let w = cur.words.len();
        match &pending_mwt {
            Some((first, last, form, sa)) if w > *first && w <= *last => {
                if w == *last {
                    cur.tokens.push(ConlluToken {
                        form: form.clone(),
                        first: *first,
                        last: *last,
                        space_after: *sa,
                    });
                    pending_mwt = None;
                }
            }
            _ => cur.tokens.push(ConlluToken {
                form: cols[1].to_string(),
                first: w - 1,
                last: w,
                space_after,
            }),
        }
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    for s in &out {
        let n = s.words.len() as u32;
        if let Some(w) = s.words.iter().find(|w| w.head > n) {
            return Err(ConlluError::Syntax {
                file: name.to_string(),
                line: 0,
                detail: format!(
                    "sentence {}: head {} beyond sentence length {n}",
                    s.sent_id.as_deref().unwrap_or("?"),
                    w.head
                ),
            });
        }
    }
    Ok(out)
}

/// Build a [`Document`] whose text is the sentences' surface tokens joined as
/// the `SpaceAfter` flags say (sentences separated by a space, paragraphs by a
/// blank line). Word offsets: a multi-word token's words split its characters
/// when their forms concatenate to it, else each word gets the whole token.
/// Annotations are copied when `with_annotation` is set.
pub fn to_document(sents: &[ConlluSentence], name: &str, with_annotation: bool) -> Document {
    let mut doc = Document::new(
        Origin {
            path: Some(name.to_string()),
            ..Default::default()
        },
        String::new(),
    );
    let mut text = String::new();
    for (si, s) in sents.iter().enumerate() {
        if si > 0 {
            if s.new_par || s.new_doc {
                text.push_str("\n\n");
            } else if !text.ends_with(' ') {
                text.push(' ');
            }
        }
        let start = text.len();
        let mut tokens: Vec<Token> = Vec::with_capacity(s.words.len());
        for (ti, t) in s.tokens.iter().enumerate() {
            let ts = text.len();
            text.push_str(&t.form);
            let te = text.len();
            let words = &s.words[t.first..t.last];
            let concat: usize = words.iter().map(|w| w.form.len()).sum();
            let joined = words.iter().all(|w| t.form[..].contains(w.form.as_str()))
                && concat == t.form.len();
            let mut pos = ts;
            for (wi, w) in words.iter().enumerate() {
                let (a, b) = if joined && words.len() > 1 {
                    let r = (pos, pos + w.form.len());
                    pos += w.form.len();
                    r
                } else {
                    (ts, te)
                };
                let last_word = wi + 1 == words.len();
                let mut tok = Token {
                    start: a,
                    end: b,
                    form: w.form.clone(),
                    no_space_after: if last_word { !t.space_after } else { true },
                    ..Default::default()
                };
                if with_annotation {
                    tok.lemma = w.lemma.clone();
                    tok.upos = w.upos.clone();
                    tok.xpos = w.xpos.clone();
                    tok.feats = w.feats.clone();
                    tok.head = Some(w.head);
                    tok.deprel = w.deprel.clone();
                }
                tokens.push(tok);
            }
            if t.space_after && ti + 1 < s.tokens.len() {
                text.push(' ');
            }
        }
        let end = text.len();
        doc.sentences.push(Sentence { start, end, tokens });
    }
    doc.text = text.clone();
    doc.raw_text = text;
    doc.id = name.to_string();
    doc
}

fn field(s: &str) -> String {
    if s.is_empty() {
        "_".to_string()
    } else {
        s.chars()
            .map(|c| {
                if c == '\t' || c == '\n' || c == '\r' {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    }
}

/// Write a document as CoNLL-U: `# sent_id`, `# text`, one line per token,
/// `SpaceAfter=No` in MISC.
pub fn write_conllu(doc: &Document, out: &mut impl Write) -> std::io::Result<()> {
    let id = if doc.id.is_empty() { "doc" } else { &doc.id };
    for (i, s) in doc.sentences.iter().enumerate() {
        writeln!(out, "# sent_id = {id}-{}", i + 1)?;
        let text = doc
            .text
            .get(s.start..s.end)
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| {
                s.tokens
                    .iter()
                    .map(|t| t.form.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        writeln!(out, "# text = {text}")?;
        for (j, t) in s.tokens.iter().enumerate() {
            let head = t.head.map(|h| h.to_string()).unwrap_or_else(|| "_".into());
            let misc = if t.no_space_after {
                "SpaceAfter=No"
            } else {
                "_"
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}",
                j + 1,
                field(&t.form),
                field(&t.lemma),
                field(&t.upos),
                field(&t.xpos),
                field(&t.feats),
                head,
                field(&t.deprel),
                misc
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = s1\n# text = They don't sleep.\n\
1\tThey\tthey\tPRON\tPRP\tCase=Nom\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tsleep\tsleep\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn reads_multiword_tokens_and_spans() {
        let s = parse_conllu(SAMPLE, "t").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 5);
        assert_eq!(s[0].tokens.len(), 4);
        let doc = to_document(&s, "t", true);
        assert_eq!(doc.text, "They don't sleep.");
        let t = &doc.sentences[0].tokens;
        assert_eq!(&doc.text[t[1].start..t[1].end], "do");
        assert_eq!(&doc.text[t[2].start..t[2].end], "n't");
        assert!(t[3].no_space_after);
        assert_eq!(t[0].head, Some(4));
    }

    #[test]
    fn writes_what_it_reads() {
        let s = parse_conllu(SAMPLE, "t").unwrap();
        let mut doc = to_document(&s, "t", true);
        doc.id = "d".into();
        let mut out = Vec::new();
        write_conllu(&doc, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("# text = They don't sleep."));
        assert!(text.contains("4\tsleep\tsleep\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No"));
        let again = parse_conllu(&text, "round").unwrap();
        assert_eq!(again[0].words, s[0].words);
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let e = parse_conllu("1\tonly\tthree\n", "bad.conllu")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.conllu:1:"), "{e}");
    }
}
