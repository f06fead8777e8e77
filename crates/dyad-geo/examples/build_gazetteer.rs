//! Compile the TSV written by `scripts/build-gazetteer.py` into `models/gazetteer.bin`.
//! Usage: `cargo run --release -p dyad-geo --example build_gazetteer -- IN.tsv OUT.bin`

use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match args.as_slice() {
        [_, i, o] => (i, o),
        _ => anyhow::bail!("usage: build_gazetteer IN.tsv OUT.bin"),
    };
    let t = Instant::now();
    let tsv =
        std::fs::read_to_string(input).map_err(|e| anyhow::anyhow!("cannot read {input}: {e}"))?;
    let (bytes, stats) = dyad_geo::build_from_tsv(&tsv, input)?;
    std::fs::write(output, &bytes).map_err(|e| anyhow::anyhow!("cannot write {output}: {e}"))?;
    eprintln!(
        "{output}: {} countries, {} records, {} names, {} postings; {} bytes ({} inflated) in {:.1}s",
        stats.countries,
        stats.records,
        stats.keys,
        stats.postings,
        stats.bytes_written,
        stats.bytes_inflated,
        t.elapsed().as_secs_f64()
    );
    // Prove the image loads before anyone embeds it.
    let t = Instant::now();
    let g = dyad_geo::Gazetteer::load_path(std::path::Path::new(output))?;
    eprintln!(
        "reloaded {} records in {} ms",
        g.len(),
        t.elapsed().as_millis()
    );
    Ok(())
}
