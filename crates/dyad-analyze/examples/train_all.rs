//! Train all models without the CLI:
//! `cargo run --release -p dyad-analyze --example train_all -- all --train F --dev F --out models`
use clap::Parser;

#[derive(clap::Parser)]
struct Cli {
    #[command(subcommand)]
    what: dyad_analyze::TrainCommand,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    dyad_analyze::run_train(dyad_analyze::TrainArgs { what: cli.what })
}
