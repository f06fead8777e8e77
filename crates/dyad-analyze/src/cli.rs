//! `dyad train tagger|lemmatizer|parser|all` and `dyad eval ud` argument
//! structs and runners, for the lead to wire into the CLI.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::analyzer::Analyzer;
use crate::train::{self, ParserTrainConfig};

/// Data and output paths shared by the training subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct TrainOpts {
    /// Training treebank (CoNLL-U), e.g. UD English-EWT train.
    #[arg(long)]
    pub train: PathBuf,
    /// Development treebank (CoNLL-U) for choosing the epoch.
    #[arg(long)]
    pub dev: PathBuf,
    /// Directory the model files are written to.
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Seed for shuffling and exploration (training is deterministic given it).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Training epochs (default: 12 for the tagger, 25 for the parser).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Parser: jackknife folds for predicted training tags (1 = gold tags).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Parser: jackknife folds as contiguous blocks of sentences instead of
    /// every k-th sentence.
    #[arg(long)]
    pub contiguous_folds: bool,
    /// Parser: epochs of the jackknife taggers.
    #[arg(long, default_value_t = 6)]
    pub tagger_epochs: usize,
    /// Drop averaged weights below this magnitude (default: 0.5 for the
    /// tagger, 1.0 for the parser; smaller = larger, slightly better models).
    #[arg(long)]
    pub prune: Option<f32>,
}

/// Which model to train.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum TrainCommand {
    /// POS tagger (UPOS + XPOS) → tagger.bin
    Tagger(TrainOpts),
    /// Lemmatiser and FEATS tables → lemmatizer.bin
    Lemmatizer(TrainOpts),
    /// Dependency parser → parser.bin (uses tagger.bin in --out for dev tags)
    Parser(TrainOpts),
    /// All three, in order.
    All(TrainOpts),
}

/// `dyad train …`
#[derive(Debug, Clone, clap::Args)]
pub struct TrainArgs {
    #[command(subcommand)]
    pub what: TrainCommand,
}

pub const DEFAULT_TAGGER_EPOCHS: usize = 12;
pub const DEFAULT_PARSER_EPOCHS: usize = 25;
pub const DEFAULT_TAGGER_PRUNE: f32 = 0.5;
pub const DEFAULT_PARSER_PRUNE: f32 = 1.0;

pub fn run_train(args: TrainArgs) -> Result<()> {
    let parser_cfg = |o: &TrainOpts| ParserTrainConfig {
        seed: o.seed,
        epochs: o.epochs.unwrap_or(DEFAULT_PARSER_EPOCHS),
        folds: o.folds,
        contiguous_folds: o.contiguous_folds,
        tagger_epochs: o.tagger_epochs,
        prune: o.prune.unwrap_or(DEFAULT_PARSER_PRUNE),
        tagger_prune: DEFAULT_TAGGER_PRUNE,
    };
    match args.what {
        TrainCommand::Tagger(o) => {
            let e = o.epochs.unwrap_or(DEFAULT_TAGGER_EPOCHS);
            let prune = o.prune.unwrap_or(DEFAULT_TAGGER_PRUNE);
            train::train_tagger(&o.train, &o.dev, &o.out, o.seed, e, prune)?;
        }
        TrainCommand::Lemmatizer(o) => {
            train::train_lemmatizer(&o.train, &o.dev, &o.out)?;
        }
        TrainCommand::Parser(o) => {
            train::train_parser(&o.train, &o.dev, &o.out, &parser_cfg(&o))?;
        }
        TrainCommand::All(o) => {
            let e = DEFAULT_TAGGER_EPOCHS;
            train::train_tagger(&o.train, &o.dev, &o.out, o.seed, e, DEFAULT_TAGGER_PRUNE)?;
            train::train_lemmatizer(&o.train, &o.dev, &o.out)?;
            train::train_parser(&o.train, &o.dev, &o.out, &parser_cfg(&o))?;
        }
    }
    Ok(())
}

/// `dyad eval ud FILE.conllu [--raw] [--json]`
#[derive(Debug, Clone, clap::Args)]
pub struct EvalUdArgs {
    /// Gold CoNLL-U file.
    pub file: PathBuf,
    /// Start from raw text (rebuilt from the gold tokens) instead of gold tokens.
    #[arg(long)]
    pub raw: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Load models from this directory instead of the embedded ones.
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Also write the system annotation as CoNLL-U to this file.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Analysis pipeline: fast (perceptron tagger, greedy parser; the
    /// default) or accurate (BiLSTM tagger and BiLSTM + biaffine parser:
    /// better tags and parses, about 70 times slower).
    #[arg(long, value_enum, default_value_t, env = "DYAD_PARSER")]
    pub parser: crate::ParserChoice,
}

pub fn run_eval_ud(args: EvalUdArgs) -> Result<()> {
    let an = match &args.models {
        Some(d) => Analyzer::load_dir(d)?,
        None => Analyzer::load_default()?,
    }
    .with_parser(args.parser, args.models.as_deref())?;
    let scores = if args.raw {
        crate::eval::eval_raw(&an, &args.file, args.output.as_deref())?
    } else {
        crate::eval::eval_gold(&an, &args.file, args.output.as_deref())?
    };
    let text = if args.json {
        serde_json::to_string_pretty(&scores).context("serialising scores")? + "\n"
    } else {
        crate::eval::format_scores(&scores)
    };
    // Write rather than print!, so a closed pipe is an error, not a panic.
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, text.as_bytes()).context("writing scores")?;
    Ok(())
}
