//! The stored form of a sentence's tokens: one line per token, tab-separated, CoNLL-U-like
//! so that it stays readable from the `sqlite3` shell, and about a quarter the size of the
//! JSON it replaced (schema version 3):
//!
//! ```text
//! start  end  form  lemma  upos  xpos  feats  head  deprel  space
//! 0      6    =     Indian ADJ   JJ    Degree=Pos  2  amod  -
//! ```
//!
//! - `start`/`end` are byte offsets relative to the sentence start.
//! - `form` is `=` when it equals the text the offsets point at (nearly always), `lemma` is `=`
//!   when it equals the form; otherwise the field is written out.
//! - `head` is empty before parsing; `space` is `n` for `SpaceAfter=No`, else `-`.
//! - Any other field: `_` stands for the empty string, and a literal `=`, `_`, backslash, tab or
//!   newline is escaped with a backslash (`\=`, `\_`, `\\`, `\t`, `\n`), so every token
//!   round-trips exactly.

use dyad_core::Token;

/// Why a stored token line could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token {token}: {reason}")]
pub struct TokenDecodeError {
    pub token: usize,
    pub reason: String,
}

fn push_field(out: &mut String, s: &str) {
    match s {
        "" => out.push('_'),
        "_" | "=" => {
            out.push('\\');
            out.push_str(s);
        }
        _ => {
            if s.contains(['\\', '\t', '\n']) {
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        c => out.push(c),
                    }
                }
            } else {
                out.push_str(s);
            }
        }
    }
}

/// A field back to its text; `same` is what `=` stands for.
fn read_field(f: &str, same: Option<&str>) -> Result<String, String> {
    match f {
        "_" => return Ok(String::new()),
        "=" => {
            return same
                .map(str::to_string)
                .ok_or_else(|| "'=' where no value can be repeated".to_string())
        }
        _ => {}
    }
    if !f.contains('\\') {
        return Ok(f.to_string());
    }
    let mut out = String::with_capacity(f.len());
    let mut chars = f.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(c @ ('=' | '_')) => out.push(c),
            other => return Err(format!("bad escape '\\{}'", other.unwrap_or(' '))),
        }
    }
    Ok(out)
}

/// Decimal digits without going through `fmt` (a third of the encoding time).
fn push_uint(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

/// An offset relative to the sentence start (negative for tokens placed before it).
fn push_offset(out: &mut String, x: usize, base: usize) {
    if x < base {
        out.push('-');
        push_uint(out, (base - x) as u64);
    } else {
        push_uint(out, (x - base) as u64);
    }
}

/// Encode `tokens` of a sentence starting at byte `base` of `text` (the document text).
pub fn encode_tokens(tokens: &[Token], text: &str, base: usize) -> String {
    let mut out = String::with_capacity(tokens.len() * 48);
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_offset(&mut out, t.start, base);
        out.push('\t');
        push_offset(&mut out, t.end, base);
        out.push('\t');
        if text.get(t.start..t.end) == Some(t.form.as_str()) {
            out.push('=');
        } else {
            push_field(&mut out, &t.form);
        }
        out.push('\t');
        if t.lemma == t.form && !t.form.is_empty() {
            out.push('=');
        } else {
            push_field(&mut out, &t.lemma);
        }
        for f in [&t.upos, &t.xpos, &t.feats] {
            out.push('\t');
            push_field(&mut out, f);
        }
        out.push('\t');
        if let Some(h) = t.head {
            push_uint(&mut out, h as u64);
        }
        out.push('\t');
        push_field(&mut out, &t.deprel);
        out.push_str(if t.no_space_after { "\tn" } else { "\t-" });
    }
    out
}

/// Decode what [`encode_tokens`] wrote for a sentence starting at byte `base` of `text`.
pub fn decode_tokens(s: &str, text: &str, base: usize) -> Result<Vec<Token>, TokenDecodeError> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split('\n')
        .enumerate()
        .map(|(i, line)| {
            decode_line(line, text, base).map_err(|reason| TokenDecodeError { token: i, reason })
        })
        .collect()
}

fn decode_line(line: &str, text: &str, base: usize) -> Result<Token, String> {
    let f: Vec<&str> = line.split('\t').collect();
    let [start, end, form, lemma, upos, xpos, feats, head, deprel, space] = f[..] else {
        return Err(format!("{} fields, expected 10", f.len()));
    };
    let offset = |v: &str, what: &str| -> Result<usize, String> {
        let rel: i64 = v.parse().map_err(|_| format!("bad {what} offset '{v}'"))?;
        usize::try_from(base as i64 + rel).map_err(|_| format!("{what} offset {rel} before text"))
    };
    let (start, end) = (offset(start, "start")?, offset(end, "end")?);
    let form = read_field(form, text.get(start..end))?;
    let lemma = read_field(lemma, Some(&form))?;
    let head = match head {
        "" => None,
        h => Some(h.parse().map_err(|_| format!("bad head '{h}'"))?),
    };
    let no_space_after = match space {
        "n" => true,
        "-" => false,
        other => return Err(format!("bad space flag '{other}'")),
    };
    Ok(Token {
        start,
        end,
        form,
        lemma,
        upos: read_field(upos, None)?,
        xpos: read_field(xpos, None)?,
        feats: read_field(feats, None)?,
        head,
        deprel: read_field(deprel, None)?,
        no_space_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(start: usize, end: usize, form: &str, lemma: &str) -> Token {
        Token {
            start,
            end,
            form: form.into(),
            lemma: lemma.into(),
            upos: "NOUN".into(),
            xpos: "NN".into(),
            feats: "Number=Sing".into(),
            head: Some(0),
            deprel: "root".into(),
            no_space_after: false,
        }
    }

    #[test]
    fn ordinary_tokens_are_compact_and_round_trip() {
        let text = "xx Iran met Syria.";
        let mut toks = vec![
            tok(3, 7, "Iran", "Iran"),
            tok(8, 11, "met", "meet"),
            tok(12, 17, "Syria", "Syria"),
            tok(17, 18, ".", "."),
        ];
        toks[2].no_space_after = true;
        toks[3].head = None;
        toks[3].feats.clear();
        let enc = encode_tokens(&toks, text, 3);
        assert_eq!(
            enc.lines().next(),
            Some("0\t4\t=\t=\tNOUN\tNN\tNumber=Sing\t0\troot\t-")
        );
        assert!(enc.contains("\tmeet\t"));
        assert!(
            enc.ends_with("14\t15\t=\t=\tNOUN\tNN\t_\t\troot\t-"),
            "{enc}"
        );
        assert_eq!(decode_tokens(&enc, text, 3).unwrap(), toks);
    }

    #[test]
    fn awkward_fields_round_trip() {
        let text = "a _ = \\ b";
        let toks = vec![
            // form differs from the text it points at; lemma literally "_" and "="
            tok(0, 1, "A\tB", "_"),
            tok(2, 3, "_", "="),
            tok(4, 5, "=", "_"),
            tok(6, 7, "\\", "\\n"),
            // empty form and lemma, offsets outside the text
            tok(40, 41, "", ""),
            Token::default(),
        ];
        let enc = encode_tokens(&toks, text, 0);
        assert_eq!(enc.split('\n').count(), toks.len());
        assert_eq!(decode_tokens(&enc, text, 0).unwrap(), toks);
        assert_eq!(decode_tokens("", text, 0).unwrap(), Vec::<Token>::new());
    }

    #[test]
    fn offsets_before_the_sentence_and_large_numbers_round_trip() {
        let mut t = tok(2, 3, "x", "x");
        t.head = Some(u32::MAX);
        let enc = encode_tokens(std::slice::from_ref(&t), "", 1_000_000_007);
        assert!(enc.starts_with("-1000000005\t-1000000004\t"), "{enc}");
        assert!(enc.contains(&format!("\t{}\t", u32::MAX)), "{enc}");
        assert_eq!(decode_tokens(&enc, "", 1_000_000_007).unwrap(), vec![t]);
    }

    #[test]
    fn corrupt_lines_are_reported_with_their_token() {
        let err = decode_tokens("0\t1\t=\t=\tX\tX\t_\t\tdep\t-\n0\t1", "a", 0).unwrap_err();
        assert_eq!(err.token, 1);
        assert!(err.reason.contains("fields"), "{err}");
        let err = decode_tokens("0\t1\t=\t=\tX\tX\t_\tnine\tdep\t-", "a", 0).unwrap_err();
        assert!(err.reason.contains("head"), "{err}");
        let err = decode_tokens("0\t1\t=\t=\tX\tX\t\\q\t\tdep\t-", "a", 0).unwrap_err();
        assert!(err.reason.contains("escape"), "{err}");
    }
}
