//! Recognition error analysis on LGL: false positives and misses by phrase.
//! `cargo run --release -p dyad-geo --example lgl_recog -- lgl.xml`
use std::collections::HashMap;

fn main() -> anyhow::Result<()> {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval/geoparsing/lgl.xml".into());
    let arts = dyad_geo::eval::read_lgl(std::path::Path::new(&file))?;
    let gaz = dyad_geo::Gazetteer::shared()?;
    let geo = dyad_geo::Geoparser::new(gaz);
    let mut fp: HashMap<String, (usize, String)> = HashMap::new();
    let mut miss: HashMap<String, usize> = HashMap::new();
    for a in &arts {
        let Ok(s) = std::panic::catch_unwind(|| dyad_tokenize::segment(&a.text)) else {
            continue;
        };
        let tops = geo.toponyms_in(&a.text, &s, &dyad_geo::DocContext::default());
        for p in &tops {
            if !a
                .toponyms
                .iter()
                .any(|t| p.start < t.end && t.start < p.end)
            {
                let e = fp.entry(p.text.clone()).or_default();
                e.0 += 1;
                e.1 = p.reason.chars().take(60).collect();
            }
        }
        for t in &a.toponyms {
            if !tops.iter().any(|p| p.start < t.end && t.start < p.end) {
                *miss.entry(t.phrase.clone()).or_default() += 1;
            }
        }
    }
    let mut v: Vec<_> = fp.into_iter().collect();
    v.sort_by_key(|b| std::cmp::Reverse(b.1 .0));
    println!("FALSE POSITIVES");
    for (k, (n, r)) in v.iter().take(70) {
        println!("{n:4} {k:25} {r}");
    }
    let mut m: Vec<_> = miss.into_iter().collect();
    m.sort_by_key(|b| std::cmp::Reverse(b.1));
    println!("MISSES");
    for (k, n) in m.iter().take(40) {
        println!("{n:4} {k}");
    }
    Ok(())
}
