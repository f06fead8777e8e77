//! Load time and lookup throughput of a dictionary set.
//!
//! `cargo run --release -p dyad-dict --example dict_bench [DIR]` (default: the built-in set).

use std::time::{Duration, Instant};

use dyad_dict::{Clause, Dictionaries};

fn load(dir: Option<&str>) -> Dictionaries {
    let d = match dir {
        Some(dir) => Dictionaries::load_dir(dir),
        None => Dictionaries::builtin(),
    };
    d.unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    })
}

fn main() {
    let dir = std::env::args().nth(1);
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let d = load(dir.as_deref());
        times.push(t.elapsed());
        std::hint::black_box(d);
    }
    times.sort();
    let d = load(dir.as_deref());
    println!(
        "load: median {:.1} ms, min {:.1} ms ({} actors, {} agents, {} verb patterns, {} discards, {} trie nodes)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        d.actors().len(),
        d.agents().len(),
        d.verbs().len(),
        d.discards().len(),
        d.matcher_size()
    );

    let phrases = [
        "Iran's foreign minister",
        "Iranian Foreign Minister Mohammad Javad Zarif",
        "Syrian government forces",
        "the Syrian army",
        "rebels",
        "the United Nations Security Council",
        "a spokesman for the German foreign ministry",
        "Russian President Vladimir Putin",
        "police in the capital",
        "the weather on Tuesday",
    ];
    let (n, found, secs) = run(Duration::from_secs(1), || {
        phrases
            .iter()
            .filter(|p| d.lookup_phrase(p, None).is_some())
            .count()
    });
    println!(
        "lookup_phrase: {:.0} lookups/s ({found} of {} phrases resolved)",
        (n * phrases.len()) as f64 / secs,
        phrases.len()
    );
    let clause =
        |lemma, particle, obj, obliques: &'static [(&'static str, &'static str)], passive| Clause {
            lemma,
            particle,
            obj,
            obliques,
            passive,
        };
    let verbs = [
        clause("visit", None, Some("capital"), &[], false),
        clause("sign", None, Some("agreement"), &[("with", "rebel")], false),
        clause("call", None, None, &[("for", "talk")], false),
        clause("arrest", None, None, &[], true),
        clause("say", None, None, &[], false),
    ];
    let (n, found, secs) = run(Duration::from_secs(1), || {
        verbs.iter().filter(|c| d.match_clause(c).is_some()).count()
    });
    println!(
        "match_clause: {:.0} calls/s ({found} of {} matched)",
        (n * verbs.len()) as f64 / secs,
        verbs.len()
    );
}

/// Repeat `f` for about `budget`; (rounds, last result, seconds).
fn run(budget: Duration, mut f: impl FnMut() -> usize) -> (usize, usize, f64) {
    let t = Instant::now();
    let mut rounds = 0;
    let mut last = 0;
    while t.elapsed() < budget {
        last = std::hint::black_box(f());
        rounds += 1;
    }
    (rounds, last, t.elapsed().as_secs_f64())
}
