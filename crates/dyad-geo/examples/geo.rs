//! `dyad geo` without the CLI: `cargo run --release -p dyad-geo --example geo -- Idlib`
//! or `-- --doc FILE [--json]`.
fn main() -> anyhow::Result<()> {
    let mut name = None;
    let mut doc = None;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--doc" => doc = args.next().map(Into::into),
            "--json" => json = true,
            _ => name = Some(a),
        }
    }
    dyad_geo::run_geo(dyad_geo::GeoArgs { name, doc, json })
}
