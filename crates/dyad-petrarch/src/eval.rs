//! `dyad eval petrarch FILE.xml`: code PETRARCH validation records with dyad and compare the
//! (source, target, event code) triples with the expected ones.
//!
//! Routes: `given` uses each record's own parse (CoNLL-U directly, UD v1 labels mapped to v2;
//! Penn Treebank through [`crate::ptb`]); `own` runs dyad's tokenizer and analyser on the raw
//! `<Text>`. Options from `<Config>` apply per record: `require_dyad=false` keeps events with
//! a null (`---`) actor, `new_actor_length=N` names unknown actors of at most N words by their
//! text (`"HILL CLANS"`). Each record is coded under `catch_unwind`: a panic is counted as a
//! crash and the run goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use dyad_core::{DatePrecision, DateSource, Document, StoryDate, Token};

use crate::coder::{load_petrarch_coder, parse_ptb, CodeOptions, PetrCoder, Tree, TreeArena};
use crate::deptree::Prepared;
use crate::records::{parse_validation, GivenParse, Record, ValidationFile};

/// Where the parse comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// The record's own `<Parse>` (CoNLL-U or Penn Treebank).
    Given,
    /// dyad's tokenizer and analyser on the raw `<Text>`.
    Own,
}

/// `dyad eval petrarch FILE.xml [--dictionaries DIR|FILES…] [--route given|own] [--json]`
#[derive(Debug, Clone, clap::Args)]
pub struct EvalPetrarchArgs {
    /// PETRARCH validation file (`PETR.UnitTest.records.xml`, `PETR2_GSR_validation.xml`).
    pub file: PathBuf,
    /// PETRARCH dictionaries: a directory holding the files the XML's <Environment> names, or
    /// the files themselves. Default: `dictionaries/` next to the XML file.
    #[arg(long, num_args = 1..)]
    pub dictionaries: Vec<PathBuf>,
    /// Parse source: the record's own parse, or dyad's analyser on the raw text.
    #[arg(long, value_enum, default_value_t = Route::Given)]
    pub route: Route,
    /// Dependency parser for `--route own`: fast (the default) or accurate.
    #[arg(long, value_enum, default_value_t, env = "DYAD_PARSER")]
    pub parser: dyad_analyze::ParserChoice,
    /// Print the full report (summary and every record) as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also list the records coded exactly.
    #[arg(long)]
    pub all: bool,
    /// Show each failing record's sentence as the verb patterns see it.
    #[arg(long)]
    pub explain: bool,
    /// Code the selection this many times and report the median and best coding speed (a
    /// benchmark: one pass over a small file is too short to time).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
}

/// An event as a comparable triple.
pub type Triple = (String, String, String);

#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordResult {
    pub id: String,
    pub line: usize,
    pub category: String,
    pub expected: Vec<Triple>,
    pub produced: Vec<Triple>,
    pub matched: Vec<Triple>,
    pub missed: Vec<Triple>,
    pub extra: Vec<Triple>,
    pub exact: bool,
    /// Why the record is not exact (see [`classify`]); empty when exact.
    pub cause: String,
    /// A panic message or a parse problem.
    pub problem: Option<String>,
    pub crashed: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub file: String,
    pub route: Option<Route>,
    pub records: usize,
    pub exact: usize,
    pub expected: usize,
    pub produced: usize,
    pub matched: usize,
    pub missed: usize,
    pub extra: usize,
    pub crashes: usize,
    /// Records whose given parse could not be used (coded from the raw text when an analyser
    /// is at hand).
    pub parse_problems: usize,
    pub failures_by_cause: BTreeMap<String, usize>,
    pub dictionary_load_seconds: f64,
    pub coding_seconds: f64,
    pub sentences_per_second: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalReport {
    pub summary: Summary,
    pub records: Vec<RecordResult>,
}

/// Sort the failure of a record into one cause.
pub fn classify(expected: &BTreeSet<Triple>, produced: &BTreeSet<Triple>) -> String {
    if expected == produced {
        return String::new();
    }
    if produced.is_empty() {
        return "no event coded".into();
    }
    if expected.is_empty() {
        return "event coded where none is expected".into();
    }
    let missed: Vec<&Triple> = expected.difference(produced).collect();
    let extra: Vec<&Triple> = produced.difference(expected).collect();
    if missed.is_empty() {
        return "extra events besides the expected ones".into();
    }
    if extra.is_empty() {
        return "some expected events missing".into();
    }
    let same_actors = missed
        .iter()
        .any(|m| extra.iter().any(|e| e.0 == m.0 && e.1 == m.1));
    if same_actors {
        return "wrong event code".into();
    }
    let same_code = missed.iter().any(|m| extra.iter().any(|e| e.2 == m.2));
    if same_code {
        return "wrong source or target actor".into();
    }
    "different events".into()
}

/// The record's options in force (`<Config>` elements read so far); the code algebra only
/// when the file's `<Environment>` names PETRARCH2's internal coding ontology (`PICOfile`).
fn record_options(r: &Record, env: &crate::records::Environment) -> CodeOptions {
    let d = CodeOptions::default();
    let num = |k: &str, v: usize| r.number(k).map(|n| n.max(0) as usize).unwrap_or(v);
    CodeOptions {
        require_dyad: r.flag("require_dyad", d.require_dyad),
        new_actor_length: num("new_actor_length", d.new_actor_length),
        comma_min: num("comma_min", d.comma_min),
        comma_max: num("comma_max", d.comma_max),
        comma_bmin: num("comma_bmin", d.comma_bmin),
        comma_bmax: num("comma_bmax", d.comma_bmax),
        comma_emin: num("comma_emin", d.comma_emin),
        comma_emax: num("comma_emax", d.comma_emax),
        code_algebra: env.other.contains_key("PICOfile"),
        petrarch2_discards: env.other.contains_key("PICOfile"),
    }
}

fn expected_set(r: &Record) -> BTreeSet<Triple> {
    if r.noevents || r.error.is_some() {
        return BTreeSet::new();
    }
    r.expected
        .iter()
        .map(|e| (e.source.clone(), e.target.clone(), e.code.clone()))
        .collect()
}

/// Calls `f` on each line of CoNLL-U text with its 1-based number, its columns and how many
/// there are: ten at most, the tenth (MISC) keeping any further tabs, unused ones empty.
/// Tabs and newlines are found in one pass over the bytes, eight at a time
/// ([`byte_mask`]); a byte-by-byte scan cost more than the rest of reading a token, and
/// `memchr` per field more still, fields being a few bytes long.
fn for_each_line<'t>(
    text: &'t str,
    mut f: impl FnMut(usize, &[&'t str; 10], usize) -> Result<(), String>,
) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut cols = [""; 10];
    let mut n = 0;
    // Where the current column starts.
    let mut start = 0;
    // Where the current line starts.
    let mut line_start = 0;
    let mut line = 0;
    let mut end_line = |cols: &mut [&'t str; 10], n: usize, start: usize, end: usize| {
        // Tabs and newlines are ASCII, so every cut is on a character boundary.
        let last = &text[start..end];
        cols[n] = last.strip_suffix('\r').unwrap_or(last);
        for c in &mut cols[n + 1..] {
            *c = "";
        }
        line += 1;
        f(line, cols, n + 1)
    };
    for (k, eight) in bytes.chunks(8).enumerate() {
        let word = match eight.first_chunk::<8>() {
            Some(w) => *w,
            None => {
                // The text's last few bytes, padded with zeros (no delimiter).
                let mut w = [0u8; 8];
                w[..eight.len()].copy_from_slice(eight);
                w
            }
        };
        let v = u64::from_le_bytes(word);
        let newlines = byte_mask(v, b'\n');
        let mut delimiters = byte_mask(v, b'\t') | newlines;
        while delimiters != 0 {
            let bit = delimiters & delimiters.wrapping_neg();
            delimiters ^= bit;
            let at = 8 * k + (bit.trailing_zeros() / 8) as usize;
            if newlines & bit != 0 {
                end_line(&mut cols, n, start, at)?;
                n = 0;
                start = at + 1;
                line_start = start;
            } else if n < 9 {
                // SAFETY: `start` is 0 or just past an earlier tab or newline, and `at` is
                // this tab, so `start <= at < text.len()` and both sit on character
                // boundaries (an ASCII byte is never part of a longer UTF-8 sequence). The
                // checked slice cost a tenth of reading the parse.
                cols[n] = unsafe { text.get_unchecked(start..at) };
                n += 1;
                start = at + 1;
            }
        }
    }
    if line_start < bytes.len() {
        end_line(&mut cols, n, start, bytes.len())?;
    }
    Ok(())
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The top bit of each byte of `v` equal to `b`, and nothing else: the low seven bits are
/// added apart from the top one, so no carry crosses into the next byte.
fn byte_mask(v: u64, b: u8) -> u64 {
    let x = v ^ (ONES * b as u64);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The tokens of a record's CoNLL-U parse, UD v1 labels (as in the GSR file) turned into the
/// v2 labels the coder reads. Offsets are those of the forms joined by single spaces (none
/// where `SpaceAfter=No`); morphological features are not kept, the coder never reads them.
///
/// `spare` holds tokens of an earlier record (or nothing): their strings are overwritten in
/// place, so reading a record allocates only for tokens and strings longer than before.
fn conllu_tokens(text: &str, spare: Vec<Token>) -> Result<Vec<Token>, String> {
    let mut tokens = spare;
    let mut used = 0;
    let mut offset = 0;
    for_each_line(text, |line, cols, n_cols| {
        if cols[0].starts_with('#') || cols[..n_cols].iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        if n_cols < 8 {
            return Err(format!(
                "CoNLL-U line {line}: {n_cols} columns, expected 10"
            ));
        }
        if cols[0].bytes().any(|b| b == b'-' || b == b'.') {
            return Ok(()); // multi-word token ranges and empty nodes
        }
        let id: usize = cols[0]
            .parse()
            .map_err(|_| format!("CoNLL-U line {line}: bad id '{}'", cols[0]))?;
        if id != used + 1 {
            return Err(format!("CoNLL-U line {line}: id {id} out of sequence"));
        }
        let head: u32 = cols[6]
            .parse()
            .map_err(|_| format!("CoNLL-U line {line}: bad head '{}'", cols[6]))?;
        if offset > 0 && !tokens[used - 1].no_space_after {
            offset += 1;
        }
        if used == tokens.len() {
            // Room for a long word in each field, so that reusing the token for the next
            // records seldom has to grow its strings.
            let room = || String::with_capacity(24);
            tokens.push(Token {
                form: room(),
                lemma: room(),
                upos: room(),
                xpos: room(),
                deprel: room(),
                ..Token::default()
            });
        }
        let t = &mut tokens[used];
        used += 1;
        let set = |field: &mut String, value: &str| {
            field.clear();
            field.push_str(value);
        };
        set(&mut t.form, cols[1]);
        t.start = offset;
        offset += t.form.len();
        t.end = offset;
        set(&mut t.xpos, cols[4]);
        match cols[2] {
            "_" | "" => t.lemma = crate::lemma::lemma(&t.form, &t.xpos),
            l => set(&mut t.lemma, l),
        }
        let deprel = match cols[7] {
            "dobj" => "obj",
            "nsubjpass" => "nsubj:pass",
            "csubjpass" => "csubj:pass",
            "auxpass" => "aux:pass",
            "neg" => "advmod",
            "name" => "flat",
            "mwe" => "fixed",
            "dep" => "dep",
            other => other,
        };
        t.deprel.clear();
        if deprel == "nmod" || deprel.starts_with("nmod:") && deprel != "nmod:poss" {
            // v1 nmod on a verb is v2 obl; decided once all heads are known.
            t.deprel.push('?');
        }
        t.deprel.push_str(deprel);
        let upos = match cols[3] {
            "CONJ" => "CCONJ",
            other => other,
        };
        set(&mut t.upos, upos);
        t.feats.clear();
        t.head = Some(head);
        t.no_space_after = cols[9] != "_" && cols[9].contains("SpaceAfter=No");
        Ok(())
    })?;
    tokens.truncate(used);
    if tokens.is_empty() {
        return Err("CoNLL-U parse has no tokens".into());
    }
    let n = tokens.len();
    for i in 0..n {
        if let Some(h) = tokens[i].head {
            if h as usize > n {
                return Err(format!("token {} has head {h} beyond the sentence", i + 1));
            }
        }
        if tokens[i].deprel.starts_with('?') {
            let verbal = match tokens[i].head {
                Some(h) if h > 0 => matches!(
                    tokens[h as usize - 1].upos.as_str(),
                    "VERB" | "AUX" | "ADJ" | "ADV"
                ),
                _ => false,
            };
            // "?nmod…" becomes "obl…" on a verbal head and "nmod…" elsewhere, in place.
            tokens[i].deprel.replace_range(
                ..if verbal { 5 } else { 1 },
                if verbal { "obl" } else { "" },
            );
        }
    }
    Ok(tokens)
}

fn base_document(r: &Record, text: String) -> Document {
    let mut doc = Document {
        id: r.id.clone(),
        raw_text: text.clone(),
        text,
        ..Default::default()
    };
    doc.origin.source_id = Some(r.id.clone());
    doc.origin.line = Some(r.line as u64);
    doc.meta.category = Some(r.category.clone());
    doc.date = r.date.map(|date| StoryDate {
        date,
        precision: DatePrecision::Day,
        source: DateSource::Metadata,
    });
    doc
}

/// What a record's phrase trees are built from: its own Penn Treebank parse, or prepared
/// dependency tokens (its own CoNLL-U parse through [`crate::deptree`], or dyad's analysis of
/// the raw text). The trees borrow their words from here.
enum RecordParse<'r> {
    PennTreebank(&'r str),
    Dependencies(Vec<Prepared>),
}

impl RecordParse<'_> {
    fn trees<'a>(&'a self, arena: &'a TreeArena) -> Result<Vec<Tree<'a>>, String> {
        match self {
            RecordParse::PennTreebank(p) => Ok(vec![parse_ptb(p, arena)?]),
            RecordParse::Dependencies(sentences) => {
                Ok(sentences.iter().map(|s| s.tree(arena)).collect())
            }
        }
    }
}

/// The parse of a record on `route`; a CoNLL-U parse is read into `spare`'s tokens (see
/// [`conllu_tokens`]).
fn record_parse<'r>(
    r: &'r Record,
    route: Route,
    analyzer: Option<&dyad_analyze::Analyzer>,
    spare: &mut Vec<Token>,
) -> Result<RecordParse<'r>, String> {
    match route {
        Route::Given => match &r.parse {
            Some(GivenParse::PennTreebank(p)) => Ok(RecordParse::PennTreebank(p)),
            Some(GivenParse::Conllu(c)) => {
                let toks = conllu_tokens(c, std::mem::take(spare))?;
                let prepared = Prepared::new(toks).ok_or("CoNLL-U parse has no root")?;
                Ok(RecordParse::Dependencies(vec![prepared]))
            }
            None => Err("record has no <Parse>".into()),
        },
        Route::Own => {
            let a = analyzer.ok_or("no analyser for the raw text")?;
            let mut doc = base_document(r, r.text.clone());
            doc.sentences = dyad_tokenize::segment(&doc.text);
            a.annotate(&mut doc);
            Ok(RecordParse::Dependencies(
                doc.sentences
                    .into_iter()
                    .filter_map(|s| Prepared::new(s.tokens))
                    .collect(),
            ))
        }
    }
}

/// Code one record; panics are caught by the caller. An unusable given parse is PETRARCH's
/// `bad_input_parse` error: nothing is coded.
/// `spare`: tokens to read the next CoNLL-U parse into, handed from record to record;
/// `arena`: where the record's trees are built, emptied first (its memory is kept).
fn code_record(
    r: &Record,
    env: &crate::records::Environment,
    coder: &PetrCoder,
    route: Route,
    analyzer: Option<&dyad_analyze::Analyzer>,
    spare: &mut Vec<Token>,
    arena: &mut TreeArena,
) -> (BTreeSet<Triple>, Option<String>) {
    arena.reset();
    let arena = &*arena;
    let opts = record_options(r, env);
    let coded = record_parse(r, route, analyzer, spare).and_then(|parse| {
        let mut out = BTreeSet::new();
        for t in &parse.trees(arena)? {
            out.extend(coder.code_tree(t, r.date, &opts));
        }
        if let RecordParse::Dependencies(mut sentences) = parse {
            if let Some(p) = sentences.pop() {
                *spare = p.into_tokens();
            }
        }
        Ok(out)
    });
    match coded {
        Ok(out) => (out, None),
        Err(m) => (BTreeSet::new(), Some(format!("parse unusable: {m}"))),
    }
}

/// Evaluate the file's own selection of records.
pub fn evaluate(
    file: &ValidationFile,
    coder: &PetrCoder,
    route: Route,
    analyzer: Option<&dyad_analyze::Analyzer>,
) -> EvalReport {
    let mut summary = Summary {
        file: file.file.clone(),
        route: Some(route),
        ..Default::default()
    };
    let mut results = Vec::new();
    let mut spare: Vec<Token> = Vec::new();
    let mut arena = TreeArena::new();
    let started = Instant::now();
    for r in file.selected() {
        let expected = expected_set(r);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            code_record(
                r,
                &file.environment,
                coder,
                route,
                analyzer,
                &mut spare,
                &mut arena,
            )
        }));
        let (produced, problem, crashed) = match outcome {
            Ok((p, problem)) => (p, problem, false),
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into());
                (BTreeSet::new(), Some(format!("panic: {msg}")), true)
            }
        };
        let missed: Vec<Triple> = expected.difference(&produced).cloned().collect();
        let extra: Vec<Triple> = produced.difference(&expected).cloned().collect();
        let exact = missed.is_empty() && extra.is_empty() && !crashed;
        let cause = if crashed {
            "crash".to_string()
        } else if !exact && problem.is_some() {
            "parse unavailable".to_string()
        } else {
            classify(&expected, &produced)
        };
        summary.records += 1;
        summary.exact += usize::from(exact);
        summary.expected += expected.len();
        summary.produced += produced.len();
        summary.matched += expected.len() - missed.len();
        summary.missed += missed.len();
        summary.extra += extra.len();
        summary.crashes += usize::from(crashed);
        summary.parse_problems += usize::from(problem.is_some() && !crashed);
        if !exact {
            *summary.failures_by_cause.entry(cause.clone()).or_default() += 1;
        }
        let matched: Vec<Triple> = expected.intersection(&produced).cloned().collect();
        results.push(RecordResult {
            id: r.id.clone(),
            line: r.line,
            category: r.category.clone(),
            expected: expected.into_iter().collect(),
            matched,
            produced: produced.into_iter().collect(),
            missed,
            extra,
            exact,
            cause,
            problem,
            crashed,
        });
    }
    summary.coding_seconds = started.elapsed().as_secs_f64();
    if summary.coding_seconds > 0.0 {
        summary.sentences_per_second = summary.records as f64 / summary.coding_seconds;
    }
    EvalReport {
        summary,
        records: results,
    }
}

/// The dictionary files for a validation file: explicit files, the Environment's names inside
/// a given directory, or inside `dictionaries/` next to the XML file.
pub fn dictionary_paths(
    xml: &Path,
    env: &crate::records::Environment,
    given: &[PathBuf],
) -> anyhow::Result<Vec<PathBuf>> {
    let names = env.dictionary_files();
    let from_dir = |dir: &Path| -> anyhow::Result<Vec<PathBuf>> {
        if names.is_empty() {
            bail!(
                "{}: <Environment> names no dictionary files; give them with --dictionaries FILES",
                xml.display()
            );
        }
        let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
        if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
            bail!(
                "dictionary {} (named in {}'s <Environment>) not found",
                missing.display(),
                xml.display()
            );
        }
        Ok(paths)
    };
    match given {
        [] => {
            let dir = xml.parent().unwrap_or(Path::new(".")).join("dictionaries");
            from_dir(&dir)
        }
        [one] if one.is_dir() => from_dir(one),
        files => Ok(files.to_vec()),
    }
}

/// Load a validation file and its dictionaries: (records, coder, reader errors, seconds).
pub fn load(
    xml: &Path,
    dictionaries: &[PathBuf],
) -> anyhow::Result<(ValidationFile, PetrCoder, Vec<crate::PetrError>, f64)> {
    let text = std::fs::read(xml).with_context(|| format!("cannot read {}", xml.display()))?;
    let text = String::from_utf8_lossy(&text);
    let v = parse_validation(&xml.display().to_string(), &text);
    let paths = dictionary_paths(xml, &v.environment, dictionaries)?;
    let t = Instant::now();
    let (coder, errors) = load_petrarch_coder(&paths)?;
    Ok((v, coder, errors, t.elapsed().as_secs_f64()))
}

fn fmt_triples(ts: &[Triple]) -> String {
    if ts.is_empty() {
        return "-".into();
    }
    ts.iter()
        .map(|(s, t, c)| format!("{s} {t} {c}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Run `dyad eval petrarch`.
pub fn run_eval_petrarch(args: EvalPetrarchArgs) -> anyhow::Result<()> {
    let (v, coder, dict_errors, load_s) = load(&args.file, &args.dictionaries)?;
    for e in &v.errors {
        eprintln!("warning: {e}");
    }
    let analyzer = match dyad_analyze::Analyzer::load_default()
        .and_then(|a| a.with_parser(args.parser, None))
    {
        Ok(a) => Some(a),
        Err(e) if args.route == Route::Own => {
            return Err(anyhow::anyhow!("route own needs the analysis models: {e}"))
        }
        Err(_) => None,
    };
    let mut report = evaluate(&v, &coder, args.route, analyzer.as_ref());
    report.summary.dictionary_load_seconds = load_s;
    if args.repeat > 1 {
        let mut speeds: Vec<f64> = vec![report.summary.sentences_per_second];
        speeds.extend(
            (1..args.repeat)
                .map(|_| evaluate(&v, &coder, args.route, analyzer.as_ref()).summary)
                .map(|s| s.sentences_per_second),
        );
        speeds.sort_by(f64::total_cmp);
        report.summary.sentences_per_second = speeds[speeds.len() / 2];
        eprintln!(
            "coding speed over {} runs: median {:.0}, best {:.0}, worst {:.0} records/s",
            speeds.len(),
            speeds[speeds.len() / 2],
            speeds[speeds.len() - 1],
            speeds[0]
        );
    }
    if args.json {
        let out = serde_json::json!({
            "summary": report.summary,
            "records": report.records,
            "dictionaries": {
                "reader_errors": dict_errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
                "stats": coder.stats(),
            },
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for r in &report.records {
        if r.exact && !args.all {
            continue;
        }
        println!(
            "{} {} [{}] {}",
            if r.exact { "ok  " } else { "FAIL" },
            r.id,
            r.category,
            r.cause
        );
        if !r.exact {
            println!("    expected: {}", fmt_triples(&r.expected));
            println!("    produced: {}", fmt_triples(&r.produced));
            println!("    missed:   {}", fmt_triples(&r.missed));
            println!("    extra:    {}", fmt_triples(&r.extra));
        }
        if let Some(p) = &r.problem {
            println!("    problem:  {p}");
        }
        if args.explain && !r.exact {
            if let Some(rec) = v.selected().find(|x| x.id == r.id && x.line == r.line) {
                let opts = record_options(rec, &v.environment);
                if let Ok(parse) = record_parse(rec, args.route, analyzer.as_ref(), &mut Vec::new())
                {
                    let arena = TreeArena::new();
                    for t in parse.trees(&arena).unwrap_or_default() {
                        println!("    sees:     {}", coder.describe(&t, rec.date, &opts));
                    }
                }
            }
        }
    }
    let s = &report.summary;
    println!(
        "{}: route {:?}: {} records, {} exact ({:.1}%); expected {} events, produced {}, matched {}, missed {}, extra {}; crashes {}; parse problems {}",
        s.file,
        args.route,
        s.records,
        s.exact,
        100.0 * s.exact as f64 / s.records.max(1) as f64,
        s.expected,
        s.produced,
        s.matched,
        s.missed,
        s.extra,
        s.crashes,
        s.parse_problems
    );
    for (cause, n) in &s.failures_by_cause {
        println!("  {n:4}  {cause}");
    }
    println!(
        "dictionaries: {} reader errors, loaded in {:.2}s; coding {:.2}s ({:.0} records/s)",
        dict_errors.len(),
        s.dictionary_load_seconds,
        s.coding_seconds,
        s.sentences_per_second
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line `for_each_line` gives: number, columns, count.
    fn lines_of(text: &str) -> Vec<(usize, [&str; 10], usize)> {
        let mut out = Vec::new();
        for_each_line(text, |no, cols, n| {
            out.push((no, *cols, n));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn conllu_columns_split_at_tabs_with_misc_keeping_the_rest() {
        let text = "1\tRiver\triver\tNOUN\tNN\t_\t0\troot\t_\tSpaceAfter=No\textra\r\n\
                    2\tCafé\tcafé\n\n# a comment\tline\n\t\t";
        let lines = lines_of(text);
        assert_eq!(lines.len(), 5);
        let (no, cols, n) = lines[0];
        assert_eq!((no, n), (1, 10));
        assert_eq!((cols[1], cols[7]), ("River", "root"));
        assert_eq!(cols[9], "SpaceAfter=No\textra");
        let (no, cols, n) = lines[1];
        assert_eq!(
            (no, n, cols[1], cols[2], cols[3]),
            (2, 3, "Café", "café", "")
        );
        // Columns a short line lacks are empty, not left from the line before.
        assert_eq!(cols[7..], ["", "", ""]);
        assert_eq!((lines[2].0, lines[2].2, lines[2].1[0]), (3, 1, ""));
        assert_eq!((lines[3].1[0], lines[3].1[1]), ("# a comment", "line"));
        assert_eq!((lines[4].0, lines[4].2), (5, 3));
        assert!(lines_of("").is_empty());
        assert_eq!(lines_of("\n").len(), 1);
        // The callback's error stops the scan.
        let mut seen = 0;
        let r = for_each_line("a\nb\nc\n", |_, _, _| {
            seen += 1;
            Err("stop".to_string())
        });
        assert_eq!((r, seen), (Err("stop".to_string()), 1));
    }

    #[test]
    fn delimiter_mask_marks_exactly_the_tabs_and_newlines() {
        // Every byte value at every position: only 9 and 10 may set their top bit, and no
        // other bit is ever set (a carry from one byte into the next would).
        for b in 0..=255u8 {
            for k in 0..8 {
                let mut word = [b'x'; 8];
                word[k] = b;
                // A byte just after a match must not be caught by the match's borrow.
                if k + 1 < 8 {
                    word[k + 1] = b.wrapping_add(1);
                }
                let v = u64::from_le_bytes(word);
                let m = byte_mask(v, b'\t') | byte_mask(v, b'\n');
                let want: u64 = word
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c == b'\t' || c == b'\n')
                    .map(|(i, _)| 0x80u64 << (8 * i))
                    .sum();
                assert_eq!(m, want, "byte {b} at {k}");
            }
        }
    }

    #[test]
    fn conllu_lines_agree_with_a_plain_split_on_long_and_odd_text() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!(
                "{i}\tw{}\té\t\t{}\n",
                "x".repeat(i % 11),
                "\t".repeat(i % 13)
            ));
        }
        text.push_str("last\tline");
        let plain: Vec<Vec<&str>> = text
            .split('\n')
            .map(|l| l.splitn(10, '\t').collect())
            .collect();
        let ours: Vec<Vec<&str>> = lines_of(&text)
            .into_iter()
            .map(|(_, cols, n)| cols[..n].to_vec())
            .collect();
        assert_eq!(ours, plain);
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    #[test]
    fn fixture_records_code_exactly_with_given_parses() {
        let xml = fixture("mini.records.xml");
        let (v, coder, _, _) = load(&xml, &[fixture("")]).unwrap();
        let report = evaluate(&v, &coder, Route::Given, None);
        let s = &report.summary;
        for r in report.records.iter().filter(|r| !r.exact) {
            eprintln!("{} {:?} {:?} {:?}", r.id, r.expected, r.produced, r.problem);
        }
        assert_eq!(s.records, 8);
        assert_eq!(s.crashes, 0);
        assert_eq!(s.exact, s.records, "{:?}", s.failures_by_cause);
    }

    #[test]
    fn fixture_records_from_raw_text() {
        let analyzer = match dyad_analyze::Analyzer::load_default() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("skipped: analysis models unavailable: {e}");
                return;
            }
        };
        let (v, coder, _, _) = load(&fixture("mini.records.xml"), &[fixture("")]).unwrap();
        let report = evaluate(&v, &coder, Route::Own, Some(&analyzer));
        assert_eq!(report.summary.records, 8);
        assert_eq!(report.summary.crashes, 0);
        assert_eq!(report.summary.parse_problems, 0);
        // The plain records do not depend on parser details.
        let basic = report.records.iter().find(|r| r.id == "BASIC-01").unwrap();
        assert!(basic.exact, "{basic:?}");
    }

    #[test]
    fn classify_causes() {
        let t = |s: &str, c: &str| (s.to_string(), "B".to_string(), c.to_string());
        let set = |v: Vec<Triple>| v.into_iter().collect::<BTreeSet<_>>();
        assert_eq!(
            classify(&set(vec![t("A", "040")]), &set(vec![])),
            "no event coded"
        );
        assert_eq!(
            classify(&set(vec![t("A", "040")]), &set(vec![t("A", "042")])),
            "wrong event code"
        );
        assert_eq!(
            classify(&set(vec![t("A", "040")]), &set(vec![t("C", "040")])),
            "wrong source or target actor"
        );
        assert_eq!(
            classify(
                &set(vec![t("A", "040")]),
                &set(vec![t("A", "040"), t("C", "040")])
            ),
            "extra events besides the expected ones"
        );
        assert_eq!(
            classify(&set(vec![t("A", "040")]), &set(vec![t("A", "040")])),
            ""
        );
    }

    #[test]
    fn conllu_v1_labels_become_v2() {
        let toks = conllu_tokens("1\tA\ta\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n2\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_\n3\tB\tb\tPROPN\tNNP\t_\t2\tdobj\t_\t_\n4\tin\tin\tADP\tIN\t_\t5\tcase\t_\t_\n5\tC\tc\tPROPN\tNNP\t_\t2\tnmod\t_\tSpaceAfter=No\n6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n", Vec::new()).unwrap();
        assert_eq!((toks[4].start, toks[4].end, toks[5].start), (11, 12, 12));
        assert_eq!(toks[2].deprel, "obj");
        assert_eq!(toks[4].deprel, "obl");
        assert!(conllu_tokens("1\tA\ta\tX\tX\t_\t9\tdep\t_\t_\n", Vec::new()).is_err());
    }

    #[test]
    fn tokens_read_into_an_earlier_records_are_those_read_afresh() {
        let long = "1\tThe\tthe\tDET\tDT\tDefinite=Def\t2\tdet\t_\t_\n2\tcouncil\tcouncil\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n3\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n";
        let short = "1\tKarsk\t_\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n2\tprotested\tprotest\tVERB\tVBD\t_\t0\troot\t_\t_\n";
        let spare = conllu_tokens(long, Vec::new()).unwrap();
        assert_eq!(
            conllu_tokens(short, spare).unwrap(),
            conllu_tokens(short, Vec::new()).unwrap()
        );
        let spare = conllu_tokens(short, Vec::new()).unwrap();
        assert_eq!(
            conllu_tokens(long, spare).unwrap(),
            conllu_tokens(long, Vec::new()).unwrap()
        );
    }
}
