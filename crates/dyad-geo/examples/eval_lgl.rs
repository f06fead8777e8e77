//! Run the LGL evaluation: `cargo run --release -p dyad-geo --example eval_lgl -- ../shared/eval/geoparsing/lgl.xml`
fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .unwrap_or_else(|| "../shared/eval/geoparsing/lgl.xml".into());
    let json = args.any(|a| a == "--json");
    dyad_geo::run_eval_geo(dyad_geo::EvalGeoArgs {
        file: file.into(),
        json,
    })
}
