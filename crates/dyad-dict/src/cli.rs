//! `dyad dict …`: the lead wires [`DictCommand`] into the CLI and calls [`run`].

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context as _};

use crate::{check_builtin, check_dir, parse_date, CheckReport, Dictionaries, FileKind};

/// Dictionary tools.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum DictCommand {
    /// Validate dictionaries: counts per file, then every error as file:line (exit 1 on errors).
    Check {
        /// Dictionary directory (default: the built-in dictionaries).
        dir: Option<PathBuf>,
    },
    /// Resolve a noun phrase to an actor code and explain the match.
    Lookup {
        /// The phrase, e.g. "Iran's foreign minister".
        phrase: String,
        /// Event date (YYYY-MM-DD) choosing dated codes of people.
        #[arg(long)]
        date: Option<String>,
        /// Dictionary directory (default: the built-in dictionaries).
        #[arg(long)]
        dictionaries: Option<PathBuf>,
    },
}

/// Run a `dyad dict` subcommand, printing to stdout.
pub fn run(cmd: DictCommand) -> anyhow::Result<()> {
    match cmd {
        DictCommand::Check { dir } => {
            let started = std::time::Instant::now();
            let report = match &dir {
                Some(d) => check_dir(d),
                None => check_builtin(),
            };
            let elapsed = started.elapsed();
            print!("{}", render_report(&report));
            println!("checked in {:.1} ms", elapsed.as_secs_f64() * 1e3);
            if !report.errors.is_empty() {
                bail!(
                    "{} error(s) in {}",
                    report.errors.len(),
                    dir.map(|d| d.display().to_string())
                        .unwrap_or_else(|| "the built-in dictionaries".into())
                );
            }
            Ok(())
        }
        DictCommand::Lookup {
            phrase,
            date,
            dictionaries,
        } => {
            let date = date
                .as_deref()
                .map(|s| parse_date(s.trim(), false).map_err(|e| anyhow!(e)))
                .transpose()
                .context("--date")?;
            let dicts = match &dictionaries {
                Some(d) => Dictionaries::load_dir(d)
                    .with_context(|| format!("loading dictionaries from {}", d.display()))?,
                None => Dictionaries::builtin().context("loading the built-in dictionaries")?,
            };
            match dicts.lookup_phrase(&phrase, date) {
                Some(r) => {
                    println!("{}", r.code);
                    if let Some(name) = &r.name {
                        println!("name: {name}");
                    }
                    println!("why: {}", r.why);
                    Ok(())
                }
                None => bail!("no actor found in \"{phrase}\""),
            }
        }
    }
}

/// The `check` output: a table of files, then warnings and errors.
pub fn render_report(report: &CheckReport) -> String {
    let mut out = String::new();
    let width = report.files.iter().map(|f| f.file.len()).max().unwrap_or(4);
    for f in &report.files {
        let detail = match f.kind {
            FileKind::Actors => format!(
                "{} entries, {} names, {} codes",
                f.entries, f.names, f.codes
            ),
            FileKind::Agents => format!("{} codes, {} terms", f.codes, f.names),
            FileKind::Verbs => format!("{} patterns, {} event codes", f.entries, f.codes),
            FileKind::Discards => format!("{} phrases", f.entries),
        };
        let errs = if f.errors > 0 {
            format!(", {} error(s)", f.errors)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<width$}  {:<8}  {detail}{errs}\n",
            f.file,
            f.kind.as_str()
        ));
    }
    for w in &report.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    for e in &report.errors {
        out.push_str(&format!("error: {e}\n"));
    }
    out.push_str(&format!(
        "{} file(s), {} error(s), {} warning(s)\n",
        report.files.len(),
        report.errors.len(),
        report.warnings.len()
    ));
    out
}
