//! List the gold-span country errors on LGL (error analysis of the country
//! accuracy): one line per wrong toponym with the gold record and dyad's
//! reading, then counts per gold country and per phrase:
//! `cargo run --release -p dyad-geo --example lgl_country -- lgl.xml`
use std::collections::BTreeMap;

fn main() -> anyhow::Result<()> {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval/geoparsing/lgl.xml".into());
    let xml = std::fs::read_to_string(&file)?;
    let arts = dyad_geo::eval::read_lgl(std::path::Path::new(&file))?;
    // Gold name, feature code and country name by toponym order (read_lgl keeps
    // only the ids and coordinates).
    let field = |t: &str, open: &str| {
        t.split(open)
            .nth(1)
            .and_then(|x| x.split_once('>').map(|(_, r)| r))
            .and_then(|x| x.split('<').next())
            .unwrap_or("-")
            .to_string()
    };
    // ("name fcode country", country) per gold toponym.
    let gold_info: Vec<(String, String)> = xml
        .split("<toponym>")
        .skip(1)
        .map(|t| {
            let country = field(t, "<country");
            (
                format!("{} {} {country}", field(t, "<name"), field(t, "<fcode")),
                country,
            )
        })
        .collect();
    let gaz = dyad_geo::Gazetteer::shared()?;
    let geo = dyad_geo::Geoparser::new(gaz);
    let mut k = 0usize;
    let mut by_country: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_phrase: BTreeMap<String, usize> = BTreeMap::new();
    let (mut total, mut wrong, mut unresolved) = (0, 0, 0);
    for a in &arts {
        let base = k;
        k += a.toponyms.len();
        let gold: Vec<(usize, &dyad_geo::eval::GoldToponym)> = a
            .toponyms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.lat.is_some() && a.text.get(t.start..t.end).is_some())
            .map(|(i, t)| (base + i, t))
            .collect();
        let spans: Vec<_> = gold.iter().map(|(_, t)| (t.start, t.end)).collect();
        let res = geo.resolve_spans(&a.text, &spans, &dyad_geo::DocContext::default());
        for ((gi, t), p) in gold.iter().zip(res) {
            let Some(cg) = t.country_geonameid else {
                continue;
            };
            total += 1;
            let ok = p.as_ref().is_some_and(|p| {
                gaz.country(&p.country_iso2).map(|c| c.geonameid) == Some(cg) || p.geonameid == cg
            });
            if ok {
                continue;
            }
            wrong += 1;
            if p.is_none() {
                unresolved += 1;
            }
            let (info, gc) = &gold_info[*gi];
            *by_country.entry(gc.clone()).or_default() += 1;
            *by_phrase.entry(t.phrase.clone()).or_default() += 1;
            println!(
                "{}\t{}\tgold {} [{}] ({:.2},{:.2})\t-> {}",
                a.docid,
                t.phrase,
                t.geonameid.unwrap_or(0),
                info,
                t.lat.unwrap_or(0.0),
                t.lon.unwrap_or(0.0),
                p.map(|p| format!(
                    "{} {} {} {} ({:.2},{:.2})",
                    p.name, p.feature_code, p.admin1_code, p.country_iso2, p.lat, p.lon
                ))
                .unwrap_or("UNRESOLVED".into())
            );
        }
    }
    println!("\n{wrong} country errors of {total} ({unresolved} unresolved)");
    println!("by gold country:");
    let mut v: Vec<_> = by_country.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (c, n) in v.iter().take(30) {
        println!("  {n:4} {c}");
    }
    println!("by phrase:");
    let mut v: Vec<_> = by_phrase.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (c, n) in v.iter().take(60) {
        println!("  {n:4} {c}");
    }
    Ok(())
}
