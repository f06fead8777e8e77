//! Run the LGL evaluation: `cargo run --release -p dyad-geo --example eval_lgl -- ../shared/eval/geoparsing/lgl.xml [--json] [--text-only]`
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "../shared/eval/geoparsing/lgl.xml".into());
    dyad_geo::run_eval_geo(dyad_geo::EvalGeoArgs {
        file: file.into(),
        json: args.iter().any(|a| a == "--json"),
        text_only: args.iter().any(|a| a == "--text-only"),
    })
}
