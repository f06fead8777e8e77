//! Print the gold-span resolution errors on LGL, most frequent phrases first
//! (for error analysis): `cargo run --release -p dyad-geo --example lgl_errors -- lgl.xml`
use std::collections::HashMap;

fn main() -> anyhow::Result<()> {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval/geoparsing/lgl.xml".into());
    let arts = dyad_geo::eval::read_lgl(std::path::Path::new(&file))?;
    let gaz = dyad_geo::Gazetteer::shared()?;
    let geo = dyad_geo::Geoparser::new(gaz);
    let mut errs: HashMap<String, (usize, String)> = HashMap::new();
    for a in &arts {
        let gold: Vec<_> = a.toponyms.iter().filter(|t| t.lat.is_some()).collect();
        let spans: Vec<_> = gold.iter().map(|t| (t.start, t.end)).collect();
        let res = geo.resolve_spans(&a.text, &spans, &dyad_geo::DocContext::default());
        for (t, p) in gold.iter().zip(res) {
            let d = p.as_ref().map(|p| {
                dyad_geo::eval::haversine_km(t.lat.unwrap(), t.lon.unwrap(), p.lat, p.lon)
            });
            if d.is_none_or(|d| d > 161.0) {
                let e = errs.entry(t.phrase.clone()).or_default();
                e.0 += 1;
                e.1 = format!(
                    "gold {} ({:?},{:?}) → {}",
                    t.geonameid.unwrap_or(0),
                    t.lat,
                    t.lon,
                    p.map(|p| format!(
                        "{} {} {} {} d={:.0}",
                        p.name,
                        p.feature_code,
                        p.admin1_code,
                        p.country_iso2,
                        d.unwrap()
                    ))
                    .unwrap_or("NONE".into())
                );
            }
        }
    }
    let mut v: Vec<_> = errs.into_iter().collect();
    v.sort_by_key(|b| std::cmp::Reverse(b.1 .0));
    for (k, (n, e)) in v.iter().take(150) {
        println!("{n:4} {k:25} {e}");
    }
    Ok(())
}
