//! Print dyad's analysis of a sentence (CoNLL-U-like columns) and the phrase tree built from
//! it: `cargo run -p dyad-petrarch --example petr_dbg -- "Sentence text."`.

fn main() -> anyhow::Result<()> {
    let text = std::env::args().nth(1).unwrap_or_default();
    let a = dyad_analyze::Analyzer::load_default().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut doc = dyad_core::Document {
        raw_text: text.clone(),
        text,
        ..Default::default()
    };
    doc.sentences = dyad_tokenize::segment(&doc.text);
    a.annotate(&mut doc);
    for s in &doc.sentences {
        for (i, t) in s.tokens.iter().enumerate() {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                i + 1,
                t.form,
                t.upos,
                t.xpos,
                t.head.unwrap_or(0),
                t.deprel
            );
        }
        if let Some(t) = dyad_petrarch::deptree::tree_of(&s.tokens) {
            println!("{t:?}");
        }
    }
    Ok(())
}
