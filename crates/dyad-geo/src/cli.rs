//! `dyad geo` and `dyad eval geo`: argument structs and runners for the CLI.

use std::io::Write;
use std::path::PathBuf;

use dyad_core::{Document, Origin};

use crate::{eval, Gazetteer, Geoparser};

/// `dyad geo NAME` shows a name's candidates, scores and reasons;
/// `dyad geo --doc FILE` lists the toponyms of a plain-text file.
#[derive(Debug, Clone, clap::Args)]
pub struct GeoArgs {
    /// A place name to look up.
    pub name: Option<String>,
    /// A plain-text file to geoparse.
    #[arg(long)]
    pub doc: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `dyad eval geo FILE`: toponym resolution and recognition figures on an
/// LGL-format gold file.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalGeoArgs {
    /// LGL-format XML (e.g. ../shared/eval/geoparsing/lgl.xml).
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Resolve from the text alone, without the country of each article's
    /// publisher domain as context.
    #[arg(long)]
    pub text_only: bool,
}

pub fn run_geo(args: GeoArgs) -> anyhow::Result<()> {
    let gaz = Gazetteer::shared()?;
    let geo = Geoparser::new(gaz);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match (&args.name, &args.doc) {
        (Some(name), None) => {
            let res = geo.explain(name, 10);
            if args.json {
                writeln!(out, "{}", serde_json::to_string_pretty(&res)?)?;
            } else {
                writeln!(
                    out,
                    "{name}: {} candidate(s); {}",
                    res.candidates_considered, res.reason
                )?;
                for (i, c) in res.ranked.iter().enumerate() {
                    let p = &c.place;
                    writeln!(
                        out,
                        "{:>2}. {:>7.3}  {} [{} {}] {} — {}",
                        i + 1,
                        c.score,
                        p.name,
                        p.feature_class,
                        p.feature_code,
                        where_is(p),
                        c.why
                    )?;
                }
            }
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            let mut doc = Document::new(
                Origin {
                    path: Some(path.display().to_string()),
                    ..Default::default()
                },
                text.clone(),
            );
            doc.text = text;
            let tops = geo.toponyms(&doc);
            if args.json {
                writeln!(out, "{}", serde_json::to_string_pretty(&tops)?)?;
            } else {
                for t in &tops {
                    let place = match (&t.resolved, &t.area) {
                        (Some(p), _) => format!("{} [{}] {}", p.name, p.feature_code, where_is(p)),
                        (None, Some(a)) => format!(
                            "unresolved as a place; {} area {}{} by {} ({})",
                            a.level,
                            a.country_iso2,
                            if a.admin1_code.is_empty() {
                                String::new()
                            } else {
                                format!("/{}", a.admin1_code)
                            },
                            a.source,
                            a.evidence
                        ),
                        (None, None) => "unresolved".to_string(),
                    };
                    writeln!(
                        out,
                        "s{} {}..{} {:<20} → {}  — {}",
                        t.sentence, t.start, t.end, t.text, place, t.reason
                    )?;
                }
                writeln!(out, "{} toponym(s) in {}", tops.len(), path.display())?;
            }
        }
        (Some(_), Some(_)) => anyhow::bail!("give either a NAME or --doc FILE, not both"),
        (None, None) => anyhow::bail!("give a NAME to look up or --doc FILE to geoparse"),
    }
    Ok(())
}

pub fn run_eval_geo(args: EvalGeoArgs) -> anyhow::Result<()> {
    if !args.file.exists() {
        println!(
            "skipping geoparsing evaluation: {} is absent",
            args.file.display()
        );
        return Ok(());
    }
    let gaz = Gazetteer::shared()?;
    let geo = Geoparser::new(gaz);
    let articles = eval::read_lgl(&args.file)?;
    let rep = eval::evaluate_lgl_with(
        &geo,
        &articles,
        &args.file.display().to_string(),
        !args.text_only,
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rep)?);
        return Ok(());
    }
    let g = &rep.gold_spans;
    let r = &rep.recognition;
    println!(
        "{}: {} articles, {} gold toponyms ({} with coordinates); context: {}",
        rep.file,
        rep.articles,
        rep.gold_toponyms,
        rep.gold_with_coordinates,
        if rep.publisher_context {
            "publisher's country (from its domain)"
        } else {
            "text only"
        }
    );
    println!(
        "resolution of gold spans ({} evaluated, {} resolved):",
        g.evaluated, g.resolved
    );
    println!(
        "  accuracy within 161 km   {:6.2}%",
        100.0 * g.accuracy_161km
    );
    println!(
        "  mean / median error km   {:8.1} / {:.1}",
        g.mean_error_km, g.median_error_km
    );
    println!("  exact GeoNames id        {:6.2}%", 100.0 * g.exact_id);
    let b = &g.country_by_source;
    println!(
        "  country accuracy         {:6.2}% (place resolutions and labelled area answers)",
        100.0 * g.country_accuracy
    );
    println!(
        "    over the {} gold toponyms whose gold record names a country (GeoNames id); \
         unresolved count as wrong, the {} without a country are left out",
        g.country_evaluated,
        g.evaluated - g.country_evaluated
    );
    println!(
        "    places only            {:6.2}% (area answers counted as wrong)",
        100.0 * g.country_accuracy_places_only
    );
    let share = |(n, ok): (usize, usize)| {
        if n == 0 {
            0.0
        } else {
            100.0 * ok as f64 / n as f64
        }
    };
    println!(
        "    by source: place {}/{} ({:.2}%), area by containment {}/{} ({:.1}%), \
         area by document focus {}/{} ({:.1}%), unresolved {}",
        b.place.1,
        b.place.0,
        share(b.place),
        b.containment.1,
        b.containment.0,
        share(b.containment),
        b.document_focus.1,
        b.document_focus.0,
        share(b.document_focus),
        b.unresolved
    );
    println!(
        "    area answers naming a first-level division: {}/{} in the gold division ({:.1}%)",
        b.area_division.1,
        b.area_division.0,
        share(b.area_division)
    );
    println!(
        "  speed                    {:8.0} toponyms/s per core (CPU time; {:.0}/s wall clock)",
        g.toponyms_per_second, g.toponyms_per_second_wall
    );
    println!("own recognition ({} predicted):", r.predicted);
    println!(
        "  overlap  P {:5.1}%  R {:5.1}%  F1 {:5.1}%",
        100.0 * r.precision_overlap,
        100.0 * r.recall_overlap,
        100.0 * r.f1_overlap
    );
    println!(
        "  exact    P {:5.1}%  R {:5.1}%  F1 {:5.1}%",
        100.0 * r.precision_exact,
        100.0 * r.recall_exact,
        100.0 * r.f1_exact
    );
    println!(
        "  accuracy within 161 km of matched ({}): {:5.2}%",
        r.matched_with_coordinates,
        100.0 * r.accuracy_161km_matched
    );
    println!("  speed {:.0} documents/s", r.documents_per_second);
    if !r.skipped_documents.is_empty() {
        println!(
            "  {} article(s) skipped (tokenizer failed): {}",
            r.skipped_documents.len(),
            r.skipped_documents.join(", ")
        );
    }
    Ok(())
}

/// "Admin1, CC (lat, lon) geonameid N" for the `dyad geo` listings.
fn where_is(p: &crate::gazetteer::Place) -> String {
    let admin1 = if p.admin1_name.is_empty() {
        String::new()
    } else {
        format!("{}, ", p.admin1_name)
    };
    format!(
        "{admin1}{} ({:.4}, {:.4}) geonameid {}",
        p.country_iso2, p.lat, p.lon, p.geonameid
    )
}
