//! Lists the country errors of gold-span resolution on an LGL-format file,
//! one per line with its likely cause, for error analysis:
//! `cargo run --release -p dyad-geo --example lgl_causes -- lgl.xml [--all] [--text-only]`.

use std::collections::HashMap;
use std::path::Path;

use dyad_geo::eval::read_lgl;
use dyad_geo::{DocContext, Gazetteer, Geoparser};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        anyhow::bail!("usage: lgl_errors FILE.xml");
    };
    let gaz = Gazetteer::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
    let geo = Geoparser::new(gaz);
    let articles = read_lgl(Path::new(file))?;
    // Country GeoNames id -> ISO code, by trying every two-letter code.
    let mut iso_of: HashMap<u32, String> = HashMap::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let iso = format!("{}{}", a as char, b as char);
            if let Some(c) = gaz.country(&iso) {
                iso_of.insert(c.geonameid, iso);
            }
        }
    }
    let mut causes: HashMap<&str, usize> = HashMap::new();
    for a in &articles {
        let gold: Vec<_> = a
            .toponyms
            .iter()
            .filter(|t| t.lat.is_some() && a.text.get(t.start..t.end).is_some())
            .collect();
        let spans: Vec<(usize, usize)> = gold.iter().map(|t| (t.start, t.end)).collect();
        let ctx = if args.iter().any(|x| x == "--text-only") {
            DocContext::default()
        } else {
            DocContext::from_publisher(&a.domain)
        };
        let res = geo.resolve_spans_explained(&a.text, &spans, &ctx, 5);
        for (t, r) in gold.iter().zip(&res) {
            let Some(cg) = t.country_geonameid else {
                continue;
            };
            let giso = iso_of.get(&cg).cloned().unwrap_or_else(|| format!("?{cg}"));
            let (answer, ok) = match (&r.place, &r.area) {
                (Some(p), _) => (
                    format!(
                        "{} {}/{} {}",
                        p.name, p.country_iso2, p.admin1_code, p.feature_code
                    ),
                    p.country_iso2 == giso || p.geonameid == cg,
                ),
                (None, Some(ar)) => (
                    format!(
                        "AREA {}/{} {:?}",
                        ar.country_iso2, ar.admin1_code, ar.source
                    ),
                    ar.country_iso2 == giso,
                ),
                (None, None) => ("-".to_string(), false),
            };
            if ok && !args.iter().any(|x| x == "--all") {
                continue;
            }
            let name = &a.text[t.start..t.end];
            let cands = gaz.lookup(name);
            let in_cands = cands.iter().any(|c| gaz.place(*c).country_iso2 == giso);
            let cause = if ok {
                "ok"
            } else if r.place.is_none() && r.area.is_none() {
                if cands.is_empty() {
                    "unresolved: not in gazetteer"
                } else {
                    "unresolved: namesake unsupported"
                }
            } else if r.place.is_none() {
                "area wrong"
            } else if cands.is_empty() {
                "place via namesake wrong"
            } else if in_cands {
                "namesake: gold country among candidates"
            } else {
                "gold country not a candidate"
            };
            *causes.entry(cause).or_default() += 1;
            let lo = (t.start.saturating_sub(60)..=t.start)
                .find(|i| a.text.is_char_boundary(*i))
                .unwrap_or(t.start);
            let hi = (t.end + 60).min(a.text.len());
            let hi = (hi..=a.text.len())
                .find(|i| a.text.is_char_boundary(*i))
                .unwrap_or(a.text.len());
            println!(
                "{}\t{}\tgold {} {}\t-> {}\t[{}]\t{} | {}",
                a.docid,
                name,
                giso,
                t.geonameid.unwrap_or(0),
                answer,
                cause,
                r.reason,
                a.text[lo..hi].replace('\n', " ")
            );
        }
    }
    let mut c: Vec<_> = causes.into_iter().collect();
    c.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (k, v) in c {
        eprintln!("{v:5} {k}");
    }
    Ok(())
}
