//! `dyad parse`: any input the readers accept, cleaned, segmented and analysed, as CoNLL-U.

use std::io::Write;

use anyhow::{Context, Result};
use dyad_analyze::Analyzer;

use crate::driver::{self, Item};
use crate::pipeline::{prepare, Failure, InputArgs};

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format for every file instead of detection by extension and content
    /// (text, html, jsonl, rss, atom, petrarch).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<dyad_core::InputFormat>,
    /// Analysis pipeline: fast (perceptron tagger, greedy parser; the
    /// default) or accurate (BiLSTM tagger and BiLSTM + biaffine parser:
    /// better tags and parses, about 70 times slower).
    #[arg(long, value_enum, default_value_t, env = "DYAD_PARSER")]
    pub parser: dyad_analyze::ParserChoice,
}

pub fn run(args: &ParseArgs, quiet: bool) -> Result<i32> {
    let analyzer = Analyzer::load_default()
        .and_then(|a| a.with_parser(args.parser, None))
        .context("loading the analysis models")?;
    let read_opts = args.input.read_options(args.format);
    let clean_opts = args.input.clean_options();
    let (files, discover_errors) = dyad_ingest::discover(&args.input.paths, &read_opts);
    let mut failures: Vec<Failure> = discover_errors.into_iter().map(Failure::from).collect();
    let progress = driver::progress_bar(files.len(), quiet);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    driver::run(
        &files,
        &read_opts,
        &progress,
        |doc| {
            let mut doc = prepare(doc, &clean_opts)?;
            analyzer.annotate(&mut doc);
            Ok(doc)
        },
        |item| {
            match item {
                Item::Done(doc) => {
                    writeln!(out, "# newdoc id = {}", doc.id)?;
                    dyad_analyze::write_conllu(&doc, &mut out)?;
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
    out.flush()?;
    for f in &failures {
        eprintln!("error: {f}");
    }
    Ok(if failures.is_empty() { 0 } else { 1 })
}
