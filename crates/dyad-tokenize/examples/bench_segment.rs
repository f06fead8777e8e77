//! Throughput of `tokenize` and `segment` on a text file, repeated:
//! `cargo run --release -p dyad-tokenize --example bench_segment -- FILE [REPEAT]`.
//! Reports CPU time (from /proc on Linux) as well as wall time, because wall time
//! on a shared machine mostly measures the other processes.

use std::time::Instant;

/// User + system CPU seconds of this process (Linux), if available.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn measure<T>(mb: f64, f: impl FnOnce() -> T) -> (T, String) {
    let (c0, t0) = (cpu_seconds(), Instant::now());
    let out = f();
    let wall = t0.elapsed().as_secs_f64();
    let cpu = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => format!("{:.1} MB/s CPU", mb / (b - a)),
        _ => "CPU time n/a".to_string(),
    };
    (out, format!("{:.1} MB/s wall, {cpu}", mb / wall))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or_else(|| anyhow::anyhow!("usage: bench_segment FILE [REPEAT]"))?;
    let repeat: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(5);
    let text = std::fs::read_to_string(path)?;
    let mb = (text.len() * repeat) as f64 / 1e6;
    let (toks, t) = measure(mb, || {
        (0..repeat)
            .map(|_| dyad_tokenize::tokenize(&text).len())
            .sum::<usize>()
    });
    println!("tokenize: {toks} tokens, {t}");
    let (sents, t) = measure(mb, || {
        (0..repeat)
            .map(|_| dyad_tokenize::segment(&text).len())
            .sum::<usize>()
    });
    println!("segment:  {sents} sentences, {t}");
    Ok(())
}
