//! Break the gold-span resolution errors on LGL down by cause (unresolved,
//! wrong country, right country but wrong first-level division, right division
//! but > 161 km), by the gold feature code, and per half of the corpus:
//! `cargo run --release -p dyad-geo --example lgl_breakdown -- lgl.xml [--list CAUSE]`
use std::collections::BTreeMap;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/eval/geoparsing/lgl.xml".into());
    let list = args
        .iter()
        .position(|a| a == "--list")
        .and_then(|i| args.get(i + 1).cloned());
    let xml = std::fs::read_to_string(&file)?;
    let arts = dyad_geo::eval::read_lgl(std::path::Path::new(&file))?;
    // Gold feature codes and admin1 ids by toponym order (read_lgl keeps neither).
    let fcodes: Vec<String> = xml
        .split("<toponym>")
        .skip(1)
        .map(|t| {
            let f = t
                .split("<fcode>")
                .nth(1)
                .and_then(|x| x.split('<').next())
                .unwrap_or("-");
            let a1 = t
                .split("<admin1 geonameid=\"")
                .nth(1)
                .and_then(|x| x.split('"').next())
                .unwrap_or("");
            format!("{f}\t{a1}")
        })
        .collect();
    let gaz = dyad_geo::Gazetteer::shared()?;
    let geo = dyad_geo::Geoparser::new(gaz);
    let half = arts.len() / 2;
    let mut k = 0usize;
    // (half, cause) -> count ; (cause, gold fcode) -> count
    let mut by_cause: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    let mut by_fcode: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut totals = [0usize; 2];
    for (ai, a) in arts.iter().enumerate() {
        let h = usize::from(ai >= half);
        let idx: Vec<usize> = (0..a.toponyms.len()).map(|i| k + i).collect();
        k += a.toponyms.len();
        let gold: Vec<(usize, &dyad_geo::eval::GoldToponym)> = a
            .toponyms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.lat.is_some() && a.text.get(t.start..t.end).is_some())
            .map(|(i, t)| (idx[i], t))
            .collect();
        let spans: Vec<_> = gold.iter().map(|(_, t)| (t.start, t.end)).collect();
        let res = geo.resolve_spans(&a.text, &spans, &dyad_geo::DocContext::default());
        for ((gi, t), p) in gold.iter().zip(res) {
            totals[h] += 1;
            let (fc, ga1) = fcodes[*gi].split_once('\t').unwrap_or(("-", ""));
            let d = p.as_ref().map(|p| {
                dyad_geo::eval::haversine_km(t.lat.unwrap(), t.lon.unwrap(), p.lat, p.lon)
            });
            let cause = match &p {
                None => "unresolved",
                Some(p) => {
                    let pc = gaz.country(&p.country_iso2).map(|c| c.geonameid);
                    let country_ok = t.country_geonameid.is_none()
                        || pc == t.country_geonameid
                        || Some(p.geonameid) == t.country_geonameid;
                    if d.unwrap() <= 161.0 {
                        if country_ok {
                            "ok"
                        } else {
                            "ok-km-but-country"
                        }
                    } else if !country_ok {
                        "wrong-country"
                    } else {
                        // Admin1 of the prediction vs the gold admin1 id.
                        let a1_ok = ga1.is_empty()
                            || gaz
                                .lookup(&p.admin1_name)
                                .iter()
                                .any(|c| gaz.place(*c).geonameid.to_string() == ga1);
                        if a1_ok {
                            "same-admin1-far"
                        } else {
                            "wrong-admin1"
                        }
                    }
                }
            };
            *by_cause.entry((h, cause)).or_default() += 1;
            if cause != "ok" {
                *by_fcode.entry((cause, fc.to_string())).or_default() += 1;
            }
            if list.as_deref() == Some(cause) {
                println!(
                    "{}\t{}\t{fc}\tgold {} ({:.2},{:.2}) -> {}",
                    a.docid,
                    t.phrase,
                    t.geonameid.unwrap_or(0),
                    t.lat.unwrap(),
                    t.lon.unwrap(),
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
    if list.is_some() {
        return Ok(());
    }
    for (h, total) in totals.iter().enumerate() {
        println!("half {} ({total} toponyms):", h + 1);
        for ((hh, c), n) in &by_cause {
            if *hh == h {
                println!("  {c:20} {n:5} {:6.2}%", 100.0 * *n as f64 / *total as f64);
            }
        }
    }
    println!("errors by gold feature code:");
    for ((c, f), n) in &by_fcode {
        println!("  {c:20} {f:6} {n}");
    }
    Ok(())
}
