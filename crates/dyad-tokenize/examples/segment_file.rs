//! Print the sentences and tokens of a text file:
//! `cargo run -p dyad-tokenize --example segment_file -- FILE`.

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .context("usage: segment_file FILE")?;
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    for s in dyad_tokenize::segment(&text) {
        let forms: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
        println!("{:?}\n    {}", s.text(&text), forms.join(" "));
    }
    Ok(())
}
