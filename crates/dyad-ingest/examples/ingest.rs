//! Read inputs and print one JSON Document per line (errors to stderr), then timing.
//!
//! `cargo run --release -p dyad-ingest --example ingest -- [--summary] PATH...`

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut summary = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--summary" {
            summary = true;
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    let opts = dyad_ingest::ReadOptions::default();
    let start = Instant::now();
    let (files, errors) = dyad_ingest::discover(&paths, &opts);
    let (mut ok, mut failed, mut bytes) = (0usize, errors.len(), 0usize);
    for e in &errors {
        eprintln!("error: {e}");
    }
    for f in &files {
        for r in dyad_ingest::read_path(f, &opts) {
            match r {
                Ok(doc) => {
                    ok += 1;
                    bytes += doc.raw_text.len();
                    if !summary {
                        println!(
                            "{}",
                            serde_json::to_string(&doc).expect("Document serialises")
                        );
                    }
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("error: {e}");
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} files, {ok} documents, {failed} errors, {bytes} text bytes in {secs:.3} s ({:.0} files/s)",
        files.len(),
        files.len() as f64 / secs.max(1e-9)
    );
}
