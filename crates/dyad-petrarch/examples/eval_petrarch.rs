//! `dyad eval petrarch` until the CLI wires it in:
//! `cargo run --release -p dyad-petrarch --example eval_petrarch -- FILE.xml [--route own]`.

use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: dyad_petrarch::EvalPetrarchArgs,
}

fn main() -> anyhow::Result<()> {
    dyad_petrarch::run_eval_petrarch(Cli::parse().args)
}
