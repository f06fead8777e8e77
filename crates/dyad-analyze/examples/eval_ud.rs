//! `dyad eval ud` without the CLI:
//! `cargo run --release -p dyad-analyze --example eval_ud -- FILE.conllu [--raw] [--json] [--models DIR]`
use clap::Parser;

#[derive(clap::Parser)]
struct Cli {
    #[command(flatten)]
    args: dyad_analyze::EvalUdArgs,
}

fn main() -> anyhow::Result<()> {
    dyad_analyze::run_eval_ud(Cli::parse().args)
}
