//! Retrain the boundary model:
//! `cargo run --release -p dyad-tokenize --example train_segmenter -- TRAIN DEV OUT`
//! (defaults: EWT train/dev under ../shared, output models/segmenter.bin).

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ewt = "../shared/data/ud-english-ewt";
    let train = args
        .first()
        .cloned()
        .unwrap_or(format!("{ewt}/en_ewt-ud-train.conllu"));
    let dev = args
        .get(1)
        .cloned()
        .unwrap_or(format!("{ewt}/en_ewt-ud-dev.conllu"));
    let out = args
        .get(2)
        .cloned()
        .unwrap_or("models/segmenter.bin".into());
    let report = dyad_tokenize::train_segmenter(
        &PathBuf::from(train),
        &PathBuf::from(dev),
        &PathBuf::from(out),
    )?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
