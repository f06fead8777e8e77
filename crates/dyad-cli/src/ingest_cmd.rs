//! `dyad ingest`: read, clean, segment and store documents, in parallel, with a progress bar and
//! a summary. A failing document is reported and skipped; the batch goes on.

use std::path::Path;

use anyhow::{Context, Result};
use dyad_store::{EncodedDocument, PutOutcome, Store};

use crate::driver::{self, Item};
use crate::pipeline::{prepare, Failure, InputArgs};

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format for every file instead of detection by extension and content
    /// (text, html, jsonl, rss, atom, petrarch).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<dyad_core::InputFormat>,
    /// Print every document warning (lossy decoding, unknown shortcodes), not only a count.
    #[arg(long)]
    pub verbose: bool,
}

/// What one ingest run did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct IngestSummary {
    pub files: usize,
    pub documents_read: usize,
    pub stored_new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub with_warnings: usize,
    pub bytes: u64,
    pub seconds: f64,
}

/// Documents are written in transactions of this many.
const BATCH: usize = 256;

pub fn run(args: &IngestArgs, db: &Path, quiet: bool) -> Result<i32> {
    let started = std::time::Instant::now();
    let read_opts = args.input.read_options(args.format);
    let clean_opts = args.input.clean_options();
    let (files, discover_errors) = dyad_ingest::discover(&args.input.paths, &read_opts);

    let mut store =
        Store::open(db).with_context(|| format!("opening the database {}", db.display()))?;
    let progress = driver::progress_bar(files.len(), quiet);

    let mut summary = IngestSummary {
        files: files.len(),
        ..Default::default()
    };
    let mut failures: Vec<Failure> = discover_errors.into_iter().map(Failure::from).collect();
    let mut warnings: Vec<String> = Vec::new();
    let mut batch: Vec<EncodedDocument> = Vec::with_capacity(BATCH);

    let flush = |store: &mut Store,
                 batch: &mut Vec<EncodedDocument>,
                 summary: &mut IngestSummary|
     -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        for o in store.put_encoded(batch)? {
            match o {
                PutOutcome::Inserted => summary.stored_new += 1,
                PutOutcome::Updated => summary.updated += 1,
                PutOutcome::Unchanged => summary.unchanged += 1,
            }
        }
        batch.clear();
        Ok(())
    };
    driver::run(
        &files,
        &read_opts,
        &progress,
        // Encoding for storage happens here, on the workers, not in the writer.
        |doc| prepare(doc, &clean_opts).map(EncodedDocument::new),
        |item| {
            match item {
                Item::FileRead { bytes } => summary.bytes += bytes,
                Item::Done(encoded) => {
                    let doc = encoded.document();
                    summary.documents_read += 1;
                    if !doc.warnings.is_empty() {
                        summary.with_warnings += 1;
                        for w in &doc.warnings {
                            warnings.push(format!("{}: {w}", doc.display_name()));
                        }
                    }
                    batch.push(encoded);
                    if batch.len() >= BATCH {
                        flush(&mut store, &mut batch, &mut summary)?;
                    }
                }
                Item::Failed(f) => {
                    progress.println(format!("error: {f}"));
                    failures.push(f);
                }
            }
            Ok(())
        },
    )?;
    flush(&mut store, &mut batch, &mut summary)?;

    summary.failed = failures.len();
    summary.seconds = started.elapsed().as_secs_f64();
    if !quiet {
        print_summary(&summary, &failures, &warnings, args.verbose, db);
    }
    Ok(if failures.is_empty() { 0 } else { 1 })
}

fn print_summary(
    s: &IngestSummary,
    failures: &[Failure],
    warnings: &[String],
    verbose: bool,
    db: &Path,
) {
    let mb = s.bytes as f64 / 1e6;
    eprintln!(
        "{} files, {} documents read: {} stored, {} updated, {} unchanged, {} failed ({:.2} MB in {:.2} s) → {}",
        s.files,
        s.documents_read,
        s.stored_new,
        s.updated,
        s.unchanged,
        s.failed,
        mb,
        s.seconds,
        db.display()
    );
    if !warnings.is_empty() {
        eprintln!("{} documents with warnings:", s.with_warnings);
        let shown = if verbose {
            warnings.len()
        } else {
            warnings.len().min(10)
        };
        for w in &warnings[..shown] {
            eprintln!("  warning: {w}");
        }
        if shown < warnings.len() {
            eprintln!("  … {} more (use --verbose)", warnings.len() - shown);
        }
    }
    if !failures.is_empty() {
        eprintln!("failures:");
        for f in failures {
            eprintln!("  {f}");
        }
    }
}
