//! Resolution and recognition speed, and gazetteer load time.
//! `cargo run --release -p dyad-geo --example bench_geo`
//!
//! Uses the LGL articles when ../shared/eval/geoparsing/lgl.xml exists (gold spans
//! as the toponyms to resolve), else a built-in news paragraph repeated.
use std::time::Instant;

/// CPU seconds this process has used (user + system), so the figures stay
/// per-core on a shared machine; falls back to wall time off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

struct Clock(Instant, Option<f64>);
impl Clock {
    fn start() -> Self {
        Clock(Instant::now(), cpu_seconds())
    }
    /// (cpu or wall seconds, wall seconds)
    fn secs(&self) -> (f64, f64) {
        let wall = self.0.elapsed().as_secs_f64();
        match (self.1, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => (b - a, wall),
            _ => (wall, wall),
        }
    }
}

use dyad_geo::{DocContext, Gazetteer, Geoparser};

const PARAGRAPH: &str = "Iran called on Monday for militants to be cleaned out of Syria's Idlib \
    province. Officials met in Damascus, Beirut and Tehran, while fighting near Aleppo and \
    Homs continued. In Springfield, Ill., and Paris, Texas, storms closed roads; Georgia and \
    Alabama declared emergencies. Talks in Paris and London are planned, said an official \
    in Washington.";

fn main() -> anyhow::Result<()> {
    let t = Clock::start();
    let gaz = Gazetteer::load_default()?;
    println!(
        "load: {} records, {} names in {:.0} ms CPU, {:.0} ms wall ({})",
        gaz.len(),
        gaz.key_count(),
        1000.0 * t.secs().0,
        1000.0 * t.secs().1,
        gaz.source()
    );
    let geo = Geoparser::new(&gaz);
    let lgl = std::path::Path::new("../shared/eval/geoparsing/lgl.xml");
    let docs: Vec<(String, Vec<(usize, usize)>)> = if lgl.exists() {
        dyad_geo::eval::read_lgl(lgl)?
            .into_iter()
            .map(|a| {
                let spans = a.toponyms.iter().map(|t| (t.start, t.end)).collect();
                (a.text, spans)
            })
            .collect()
    } else {
        let names = [
            "Idlib",
            "Damascus",
            "Beirut",
            "Tehran",
            "Aleppo",
            "Homs",
            "Springfield",
            "Paris",
            "Georgia",
            "Alabama",
            "London",
        ];
        let spans = names
            .iter()
            .map(|n| {
                let s = PARAGRAPH.find(n).expect("name in paragraph");
                (s, s + n.len())
            })
            .collect();
        vec![(PARAGRAPH.to_string(), spans); 500]
    };
    let ctx = DocContext::default();
    let n_spans: usize = docs.iter().map(|d| d.1.len()).sum();
    let rounds = (200_000 / n_spans.max(1)).max(1);
    let t = Clock::start();
    let mut resolved = 0usize;
    for _ in 0..rounds {
        for (text, spans) in &docs {
            resolved += geo
                .resolve_spans(text, spans, &ctx)
                .iter()
                .flatten()
                .count();
        }
    }
    let (secs, wall) = t.secs();
    println!(
        "resolution: {} toponyms in {:.2} CPU s ({:.2} wall) = {:.0} toponyms/s per core ({} resolved)",
        n_spans * rounds,
        secs,
        wall,
        (n_spans * rounds) as f64 / secs,
        resolved
    );
    let sentences: Vec<_> = docs.iter().map(|d| dyad_tokenize::segment(&d.0)).collect();
    let t = Clock::start();
    let mut found = 0usize;
    for ((text, _), sents) in docs.iter().zip(&sentences) {
        found += geo.toponyms_in(text, sents, &ctx).len();
    }
    let (secs, _) = t.secs();
    let bytes: usize = docs.iter().map(|d| d.0.len()).sum();
    println!(
        "recognition+resolution: {} documents ({} KB) in {:.2} CPU s = {:.0} docs/s per core, {} toponyms",
        docs.len(),
        bytes / 1024,
        secs,
        docs.len() as f64 / secs,
        found
    );
    Ok(())
}
