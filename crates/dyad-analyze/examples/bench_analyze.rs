//! Throughput of the tagger alone and tagger + parser on a text file.
//! `cargo run --release -p dyad-analyze --example bench_analyze -- FILE [MODEL_DIR]`
//! Segmentation (dyad-tokenize) is done once up front and not timed. With
//! `DYAD_BENCH_ACCURATE=1`, tagger + the accurate (BiLSTM + biaffine) parser too,
//! timed once rather than best of three (it is slow).

use std::time::Instant;

use dyad_analyze::{Analyzer, ParserChoice};
use dyad_core::Sentence;
use rayon::prelude::*;

/// CPU seconds used by this process (user + system), from /proc: the machine
/// is shared, so wall-clock throughput understates the per-core speed.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn run(
    label: &str,
    sents: &[Sentence],
    threads: usize,
    reps: usize,
    f: &(dyn Fn(&mut [Sentence]) + Sync),
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let tokens: usize = sents.iter().map(|s| s.tokens.len()).sum();
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    // Best of `reps` runs: the machine is shared.
    for _ in 0..reps {
        let mut work = sents.to_vec();
        let c0 = cpu_seconds();
        let t0 = Instant::now();
        // Chunks of 32 sentences: the accurate parser batches them.
        if threads == 1 {
            work.chunks_mut(32).for_each(f);
        } else {
            pool.install(|| work.par_chunks_mut(32).for_each(f));
        }
        best = best.min(t0.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            best_cpu = best_cpu.min((b - a).max(0.01));
        }
    }
    let cpu = if best_cpu == f64::MAX {
        best * threads as f64
    } else {
        best_cpu
    };
    println!(
        "{label}\tthreads={threads}\ttokens={tokens}\tsentences={}\twall_s={best:.3}\tcpu_s={cpu:.3}\ttokens_per_s={:.0}\tsentences_per_s={:.0}\ttokens_per_cpu_s={:.0}\tsentences_per_cpu_s={:.0}",
        sents.len(),
        tokens as f64 / best,
        sents.len() as f64 / best,
        tokens as f64 / cpu,
        sents.len() as f64 / cpu
    );
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: bench_analyze FILE [MODEL_DIR]"))?;
    let (t0, c0) = (Instant::now(), cpu_seconds());
    let dir = args.next().map(std::path::PathBuf::from);
    let an = match &dir {
        Some(d) => Analyzer::load_dir(d)?,
        None => Analyzer::load_default()?,
    };
    let cpu_ms = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:.0}", (b - a) * 1000.0),
        _ => "?".into(),
    };
    let (action_rows, label_rows) = an.parser.n_weight_rows();
    println!(
        "load\twall_ms={:.1}\tcpu_ms={cpu_ms}\ttagger_rows={}\tparser_action_rows={action_rows}\tparser_label_rows={label_rows}",
        t0.elapsed().as_secs_f64() * 1000.0,
        an.tagger.n_weight_rows()
    );
    let text = std::fs::read_to_string(&file)?;
    let sents = dyad_tokenize::segment(&text);
    // DYAD_BENCH_ONLY=tagger: one thread, tagger only (for profiling).
    let only_tagger = std::env::var("DYAD_BENCH_ONLY").is_ok_and(|v| v == "tagger");
    for threads in [1, 2] {
        run("tagger", &sents, threads, 3, &|c| {
            c.iter_mut().for_each(|s| an.tag_sentence(s))
        });
        if only_tagger {
            break;
        }
        run("tagger+parser", &sents, threads, 3, &|c| {
            an.annotate_sentences(c)
        });
    }
    if std::env::var_os("DYAD_BENCH_ACCURATE").is_some() {
        let (t0, c0) = (Instant::now(), cpu_seconds());
        let accurate = an
            .clone()
            .with_parser(ParserChoice::Accurate, dir.as_deref())?;
        let cpu_ms = match (c0, cpu_seconds()) {
            (Some(a), Some(b)) => format!("{:.0}", (b - a) * 1000.0),
            _ => "?".into(),
        };
        println!(
            "load-accurate\twall_ms={:.1}\tcpu_ms={cpu_ms}",
            t0.elapsed().as_secs_f64() * 1000.0
        );
        for threads in [1, 2] {
            run("tagger+accurate", &sents, threads, 1, &|c| {
                accurate.annotate_sentences(c)
            });
        }
    }
    Ok(())
}
