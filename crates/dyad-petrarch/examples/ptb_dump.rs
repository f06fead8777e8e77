//! Print the UD conversion of a Penn Treebank tree read from stdin (CoNLL-U-like columns):
//! `cargo run -p dyad-petrarch --example ptb_dump < tree.txt`.

use std::io::Read;

fn main() -> anyhow::Result<()> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    let (_, tokens) = dyad_petrarch::ptb::ptb_to_tokens(&s).map_err(|e| anyhow::anyhow!(e))?;
    for (i, t) in tokens.iter().enumerate() {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            i + 1,
            t.form,
            t.lemma,
            t.upos,
            t.xpos,
            t.head.unwrap_or(0),
            t.deprel
        );
    }
    Ok(())
}
