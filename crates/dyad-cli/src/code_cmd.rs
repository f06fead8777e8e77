//! `dyad code`: stories in, events out — read, clean, segment, analyse, code, store, write.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use dyad_analyze::Analyzer;
use dyad_code::{locate_events, Coder, CoderOptions, Event, Location, PlaceMention};
use dyad_core::Document;
use dyad_dict::Dictionaries;
use dyad_export::{EventWriter, Format};
use dyad_store::{EncodedDocument, Store};

use crate::driver::{self, Item};
use crate::pipeline::{prepare, Failure, InputArgs};

#[derive(Debug, clap::Args)]
pub struct CodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Analysis pipeline: fast (perceptron tagger, greedy parser; the
    /// default) or accurate (BiLSTM tagger and BiLSTM + biaffine parser:
    /// better tags and parses, about 70 times slower).
    #[arg(long, value_enum, default_value_t, env = "DYAD_PARSER")]
    pub parser: dyad_analyze::ParserChoice,
    /// Output format: jsonl (dyad's reference), csv, gdelt (61 GDELT 2.0 columns), plover.
    #[arg(
        long = "format",
        short = 'f',
        default_value = "jsonl",
        value_name = "FORMAT"
    )]
    pub output_format: Format,
    /// Input format for every file instead of detection by extension and content
    /// (text, html, jsonl, rss, atom, petrarch).
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<dyad_core::InputFormat>,
    /// Write events to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Dictionaries to code with instead of the built-in ones: a dyad dictionary directory,
    /// or PETRARCH-format dictionaries (the Phoenix/CAMEO `.txt` files: a directory holding
    /// them, or the files, comma-separated or with the flag repeated), coded with PETRARCH's
    /// own pattern semantics.
    #[arg(long, value_name = "DIR|FILE,…", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub dictionaries: Vec<PathBuf>,
    /// Keep events whose source or target resolves to no dictionary actor (text actors).
    #[arg(long)]
    pub allow_unknown_actors: bool,
    /// Do not store documents and events in the database.
    #[arg(long)]
    pub no_store: bool,
}

/// Place the events of `doc` with the geoparser's resolved toponyms and the dateline place.
fn locate(geo: &dyad_geo::Geoparser<'_>, doc: &Document, events: &mut [Event]) {
    if events.is_empty() {
        return;
    }
    let places: Vec<PlaceMention> = geo
        .toponyms(doc)
        .into_iter()
        .filter_map(|t| {
            Some(PlaceMention {
                sentence: t.sentence,
                start: t.start,
                end: t.end,
                location: location_of(t.resolved?),
            })
        })
        .collect();
    let dateline = doc
        .meta
        .dateline
        .as_ref()
        .and_then(|d| d.place.as_deref())
        .and_then(|place| {
            let ctx = dyad_geo::DocContext::from_document(doc);
            geo.resolve_spans(place, &[(0, place.len())], &ctx)
                .into_iter()
                .next()
                .flatten()
        })
        .map(location_of);
    locate_events(doc, &places, dateline.as_ref(), events);
}

fn location_of(p: dyad_geo::Place) -> Location {
    Location {
        name: p.name,
        country: Some(p.country_iso3).filter(|c| !c.is_empty()),
        lat: Some(p.lat),
        lon: Some(p.lon),
        geonameid: Some(p.geonameid as u64),
        feature_code: Some(p.feature_code).filter(|c| !c.is_empty()),
        admin1: Some(p.admin1_name).filter(|c| !c.is_empty()),
        admin1_code: Some(p.admin1_code).filter(|c| !c.is_empty()),
        country_fips: Some(p.country_fips).filter(|c| !c.is_empty()),
    }
}

/// A coded document, encoded for storage when it will be stored.
enum Prepared {
    Store(EncodedDocument),
    Plain(Document),
}

impl Prepared {
    fn doc(&self) -> &Document {
        match self {
            Prepared::Store(e) => e.document(),
            Prepared::Plain(d) => d,
        }
    }
}

/// The coder in use: dyad's own over dyad-format dictionaries, or the PETRARCH-compatible one
/// over PETRARCH-format dictionaries.
enum EventCoder<'d> {
    Dyad(Coder<'d>),
    Petrarch(
        Box<dyad_petrarch::coder::PetrCoder>,
        dyad_petrarch::coder::CodeOptions,
    ),
}

impl EventCoder<'_> {
    fn code_document(&self, doc: &Document) -> Vec<Event> {
        match self {
            EventCoder::Dyad(c) => c.code_document(doc),
            EventCoder::Petrarch(c, opts) => dyad_petrarch::events::code_document(c, doc, opts),
        }
    }
}

/// Documents stored per transaction.
const BATCH: usize = 128;

pub fn run(args: &CodeArgs, db: &Path, quiet: bool) -> Result<i32> {
    let started = std::time::Instant::now();
    let shown = || {
        args.dictionaries
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let petrarch_files = dyad_petrarch::events::petrarch_dictionary_files(&args.dictionaries)
        .with_context(|| format!("reading the dictionaries {}", shown()))?;
    let dict: Dictionaries;
    let coder = match petrarch_files {
        Some(files) => {
            let (petr, errors) = dyad_petrarch::coder::load_petrarch_coder(&files)
                .map_err(|e| anyhow::anyhow!("{e}"))
                .with_context(|| format!("loading PETRARCH dictionaries {}", shown()))?;
            if !quiet && !errors.is_empty() {
                eprintln!(
                    "{} PETRARCH dictionary lines not read, for example {}",
                    errors.len(),
                    errors[0]
                );
            }
            let opts = dyad_petrarch::coder::CodeOptions {
                require_dyad: !args.allow_unknown_actors,
                ..Default::default()
            };
            EventCoder::Petrarch(Box::new(petr), opts)
        }
        None => {
            dict = match args.dictionaries.as_slice() {
                [] => Dictionaries::builtin()
                    .map_err(|e| anyhow::anyhow!("built-in dictionaries: {e}"))?,
                [dir] => Dictionaries::load_dir(dir)
                    .map_err(|e| anyhow::anyhow!("{e}"))
                    .with_context(|| format!("loading dictionaries from {}", dir.display()))?,
                _ => anyhow::bail!(
                    "--dictionaries {}: several paths are PETRARCH dictionary files (with a verbs file among them); a dyad dictionary is one directory",
                    shown()
                ),
            };
            EventCoder::Dyad(Coder::new(
                &dict,
                CoderOptions {
                    allow_unknown_actors: args.allow_unknown_actors,
                },
            ))
        }
    };
    let analyzer = Analyzer::load_default()
        .and_then(|a| a.with_parser(args.parser, None))
        .context("loading the analysis models")?;
    let gazetteer = dyad_geo::Gazetteer::shared().context("loading the gazetteer")?;
    let geoparser = dyad_geo::Geoparser::new(gazetteer);
    let read_opts = args.input.read_options(args.input_format);
    let clean_opts = args.input.clean_options();
    let (files, discover_errors) = dyad_ingest::discover(&args.input.paths, &read_opts);
    let storing = !args.no_store;
    let mut store = if args.no_store {
        None
    } else {
        Some(Store::open(db).with_context(|| format!("opening the database {}", db.display()))?)
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = EventWriter::new(args.output_format, out);
    writer.header()?;

    let progress = driver::progress_bar(files.len(), quiet);
    let mut failures: Vec<Failure> = discover_errors.into_iter().map(Failure::from).collect();
    let (mut docs, mut sentences, mut events_total) = (0usize, 0usize, 0usize);
    let mut batch: Vec<(EncodedDocument, Vec<Event>)> = Vec::new();
    let flush =
        |store: &mut Option<Store>, batch: &mut Vec<(EncodedDocument, Vec<Event>)>| -> Result<()> {
            if let Some(store) = store {
                if !batch.is_empty() {
                    store.put_coded(batch)?;
                }
            }
            batch.clear();
            Ok(())
        };
    driver::run(
        &files,
        &read_opts,
        &progress,
        |doc| {
            let mut doc = prepare(doc, &clean_opts)?;
            analyzer.annotate(&mut doc);
            let mut events = coder.code_document(&doc);
            locate(&geoparser, &doc, &mut events);
            // Encoding for storage runs here, on the workers, not in the writer.
            let prepared = if storing {
                Prepared::Store(EncodedDocument::coded(doc, &events))
            } else {
                // The writer only counts sentences; tokens freed here, on the worker that
                // allocated them, are much cheaper to free.
                for s in &mut doc.sentences {
                    s.tokens = Vec::new();
                }
                Prepared::Plain(doc)
            };
            Ok((prepared, events))
        },
        |item| {
            match item {
                Item::Done((prepared, events)) => {
                    let doc = prepared.doc();
                    docs += 1;
                    sentences += doc.sentences.len();
                    events_total += events.len();
                    let url = doc
                        .meta
                        .url
                        .clone()
                        .or_else(|| doc.origin.path.clone())
                        .unwrap_or_default();
                    for (i, e) in events.iter().enumerate() {
                        match &prepared {
                            // The stored JSON is the JSON Lines output: written once.
                            Prepared::Store(enc) => match enc.event_json(i) {
                                Some(json) => writer.write_with_json(e, json, &url)?,
                                None => writer.write(e, &url)?,
                            },
                            Prepared::Plain(_) => writer.write(e, &url)?,
                        }
                    }
                    if let Prepared::Store(encoded) = prepared {
                        batch.push((encoded, events));
                        if batch.len() >= BATCH {
                            flush(&mut store, &mut batch)?;
                        }
                    }
                }
                Item::Failed(f) => {
                    progress.println(format!("error: {f}"));
                    failures.push(f);
                }
                Item::FileRead { .. } => {}
            }
            Ok(())
        },
    )?;
    flush(&mut store, &mut batch)?;
    writer.flush()?;
    if !quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{} files, {docs} documents, {sentences} sentences → {events_total} events, {} failed ({:.2} s, {:.0} sentences/s){}",
            files.len(),
            failures.len(),
            secs,
            sentences as f64 / secs.max(1e-9),
            if store.is_some() { format!(" → {}", db.display()) } else { String::new() }
        );
        if writer.skipped > 0 {
            eprintln!(
                "{} events of CAMEO roots 01/02 left out of PLOVER output (PLOVER does not code them)",
                writer.skipped
            );
        }
        for f in &failures {
            eprintln!("  {f}");
        }
    }
    Ok(if failures.is_empty() { 0 } else { 1 })
}
