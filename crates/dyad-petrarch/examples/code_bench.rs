//! Coding speed from given parses, dictionaries preloaded:
//! `cargo run --release -p dyad-petrarch --example code_bench -- FILE.xml [ROUNDS]`.

use std::path::PathBuf;
use std::time::Instant;

use dyad_petrarch::eval::{evaluate, load, Route};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let file = PathBuf::from(args.next().unwrap_or_default());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let (v, coder, _, load_s) = load(&file, &[])?;
    let mut records = 0;
    let t = Instant::now();
    for _ in 0..rounds {
        records += evaluate(&v, &coder, Route::Given, None).summary.records;
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "dictionaries loaded in {load_s:.3}s; coded {records} records in {s:.3}s: {:.0} sentences/s",
        records as f64 / s
    );
    Ok(())
}
