//! Read inputs and print one JSON Document per line (errors to stderr), then timing.
//!
//! ```text
//! cargo run --release -p dyad-ingest --example ingest -- [--summary] PATH...
//! cargo run --release -p dyad-ingest --example ingest -- --make-corpus DIR N
//! ```
//!
//! `--make-corpus` writes N synthetic WordPress-style pages (about 34 KB each: the
//! `article.html` fixture with a large inline script, a 120-link menu and 5-15
//! varied paragraphs) for the ingest benchmark.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn make_corpus(dir: &Path, n: usize) -> std::io::Result<()> {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/article.html"),
    )?;
    let words: Vec<&str> = "government officials said troops border talks minister police protest \
        ceasefire agreement election opposition attack village capital meeting statement president army"
        .split_whitespace()
        .collect();
    let script = format!(
        "<script>{}</script>",
        "var a=function(x){return x+1;};".repeat(600)
    );
    let menu: String = (0..120)
        .map(|i| format!("<li><a href='/s{i}'>Section {i}</a></li>"))
        .collect();
    let menu = format!("<ul class='mega-menu'>{menu}</ul>");
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    std::fs::create_dir_all(dir)?;
    for i in 0..n {
        let mut paras = String::new();
        for _ in 0..5 + next() % 11 {
            let len = 20 + next() % 41;
            let sentence: Vec<&str> = (0..len)
                .map(|_| words[(next() % words.len() as u64) as usize])
                .collect();
            paras.push_str(&format!("<p>{}, story {i}.</p>", sentence.join(" ")));
        }
        let page = base
            .replacen(
                "<div class=\"entry-content\">",
                &format!("<div class=\"entry-content\">{paras}"),
                1,
            )
            .replacen("<body", &format!("{script}<body"), 1)
            .replacen(
                "<header id=\"masthead\"",
                &format!("{menu}<header id=\"masthead\""),
                1,
            );
        std::fs::write(dir.join(format!("{i:05}.html")), page)?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--make-corpus") {
        let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
            eprintln!("usage: ingest --make-corpus DIR N");
            std::process::exit(2);
        };
        if let Err(e) = make_corpus(Path::new(dir), n) {
            eprintln!("error: {dir}: {e}");
            std::process::exit(1);
        }
        return;
    }
    let summary = args.iter().any(|a| a == "--summary");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| *a != "--summary")
        .map(PathBuf::from)
        .collect();
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
