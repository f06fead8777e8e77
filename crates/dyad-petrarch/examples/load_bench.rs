//! Time reading, converting and loading PETRARCH dictionaries:
//! `cargo run --release -p dyad-petrarch --example load_bench -- FILES…`.

use std::path::PathBuf;
use std::time::Instant;

use dyad_petrarch::convert::{convert, PetrKind, PetrarchSet};

fn main() -> anyhow::Result<()> {
    let files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let t0 = Instant::now();
    let mut inputs = Vec::new();
    for p in &files {
        let kind =
            PetrKind::of_path(p).ok_or_else(|| anyhow::anyhow!("{}: unknown kind", p.display()))?;
        inputs.push((p.display().to_string(), kind, std::fs::read_to_string(p)?));
    }
    let t1 = Instant::now();
    let set = PetrarchSet::parse(&inputs);
    let t2 = Instant::now();
    let report = convert(&set);
    let t3 = Instant::now();
    let dict = dyad_dict::Dictionaries::from_sources(&report.generated)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let t4 = Instant::now();
    if std::env::var_os("ERRORS").is_some() {
        for e in report.errors.iter().chain(&report.unexpressed) {
            println!("{e}");
        }
    }
    for (p, t) in &report.generated {
        println!("{p}: {} lines, {} bytes", t.lines().count(), t.len());
        if std::env::var_os("DUMP").is_some() {
            std::fs::write(format!("/tmp/{}", p.replace('/', "_")), t)?;
        }
    }
    println!(
        "read {:.3}s, parse {:.3}s, convert {:.3}s, dyad load {:.3}s; {} actors, {} agents, {} verb patterns",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        (t4 - t3).as_secs_f64(),
        dict.actors().len(),
        dict.agents().len(),
        dict.verbs().len()
    );
    Ok(())
}
