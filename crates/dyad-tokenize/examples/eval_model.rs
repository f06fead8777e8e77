//! Score a boundary model file on a CoNLL-U treebank:
//! `cargo run -p dyad-tokenize --example eval_model -- MODEL FILE`.

use std::path::Path;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, file] = args.as_slice() else {
        anyhow::bail!("usage: eval_model MODEL FILE");
    };
    let bytes = std::fs::read(model).with_context(|| format!("cannot read model {model}"))?;
    let seg = dyad_tokenize::Segmenter::from_bytes(&bytes)
        .with_context(|| format!("cannot load model {model}"))?;
    let scores = dyad_tokenize::eval_conllu_with(&seg, Path::new(file))?;
    println!("{}", dyad_tokenize::eval::format_table(&scores));
    Ok(())
}
