//! Runs a per-document job over many input files on all cores, handing results to a sink on
//! the calling thread in input order (files in discovery order, documents in file order), so
//! that output and storage are deterministic whatever the thread count.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use dyad_core::Document;
use dyad_ingest::ReadOptions;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::pipeline::Failure;

/// Files handled between two hand-overs to the sink: enough to keep both cores busy, small
/// enough to bound memory.
const CHUNK: usize = 64;

/// A progress bar over `len` files on stderr; hidden when stderr is not a terminal or `quiet`.
pub fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files {msg}",
        )
        .expect("valid progress template"),
    );
    bar
}

/// What the sink receives for each file: its size, then each document's result.
pub enum Item<T> {
    Done(T),
    Failed(Failure),
    FileRead { bytes: u64 },
}

pub fn run<T, W, S>(
    files: &[PathBuf],
    read_opts: &ReadOptions,
    progress: &ProgressBar,
    work: W,
    mut sink: S,
) -> Result<()>
where
    T: Send,
    W: Fn(Document) -> Result<T, Failure> + Sync,
    S: FnMut(Item<T>) -> Result<()>,
{
    for chunk in files.chunks(CHUNK) {
        let results: Vec<(u64, Vec<Result<T, Failure>>)> = chunk
            .par_iter()
            .map(|path| {
                let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                let docs = dyad_ingest::read_path(path, read_opts);
                // Large JSONL/feed files: their documents are processed in parallel too.
                let done = docs
                    .into_par_iter()
                    .map(|r| r.map_err(Failure::from).and_then(&work))
                    .collect();
                (bytes, done)
            })
            .collect();
        for (bytes, docs) in results {
            for r in docs {
                sink(match r {
                    Ok(t) => Item::Done(t),
                    Err(f) => Item::Failed(f),
                })?;
            }
            sink(Item::FileRead { bytes })?;
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    Ok(())
}
