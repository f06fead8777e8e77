//! `dyad dict check` / `dyad dict lookup` before the CLI wires them in:
//! `cargo run -p dyad-dict --example dict_check -- check [DIR]`,
//! `cargo run -p dyad-dict --example dict_check -- lookup "Iran's foreign minister" [--date D]`.

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    cmd: dyad_dict::cli::DictCommand,
}

fn main() -> anyhow::Result<()> {
    dyad_dict::cli::run(Args::parse().cmd)
}
