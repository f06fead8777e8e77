//! Show how the gold spans of one LGL article resolve, with the best
//! candidates and their reasons (error analysis):
//! `cargo run --release -p dyad-geo --example lgl_explain -- lgl.xml DOCID [NAME]`
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(file), Some(docid)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: lgl_explain LGL.xml DOCID [NAME]");
    };
    let only = args.get(2);
    let arts = dyad_geo::eval::read_lgl(std::path::Path::new(file))?;
    let a = arts
        .iter()
        .find(|a| &a.docid == docid)
        .ok_or_else(|| anyhow::anyhow!("no article {docid} in {file}"))?;
    let geo = dyad_geo::Geoparser::new(dyad_geo::Gazetteer::shared()?);
    let gold: Vec<_> = a.toponyms.iter().filter(|t| t.lat.is_some()).collect();
    let spans: Vec<_> = gold.iter().map(|t| (t.start, t.end)).collect();
    let res = geo.resolve_spans_explained(&a.text, &spans, &dyad_geo::DocContext::default(), 4);
    for (t, r) in gold.iter().zip(res) {
        if only.is_some_and(|n| *n != t.phrase) {
            continue;
        }
        println!("{} (gold {:?},{:?}): {}", t.phrase, t.lat, t.lon, r.reason);
        for c in &r.ranked {
            println!(
                "    {:7.3} {} {} {} ({:.2},{:.2}) — {}",
                c.score,
                c.place.name,
                c.place.admin1_code,
                c.place.country_iso2,
                c.place.lat,
                c.place.lon,
                c.why
            );
        }
    }
    Ok(())
}
