//! Print dyad's analysis of a sentence (CoNLL-U-like columns), the phrase tree built from it,
//! and with PETRARCH dictionary files after the sentence what the coder sees and codes:
//! `cargo run -p dyad-petrarch --example petr_dbg -- "Sentence text." [FILES…]`.

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let text = args.next().unwrap_or_default();
    let files: Vec<std::path::PathBuf> = args.map(Into::into).collect();
    let coder = if files.is_empty() {
        None
    } else {
        Some(
            dyad_petrarch::coder::load_petrarch_coder(&files)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .0,
        )
    };
    let a = dyad_analyze::Analyzer::load_default().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut doc = dyad_core::Document {
        raw_text: text.clone(),
        text,
        ..Default::default()
    };
    doc.sentences = dyad_tokenize::segment(&doc.text);
    a.annotate(&mut doc);
    let opts = dyad_petrarch::coder::CodeOptions::default();
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
        if let Some(prepared) = dyad_petrarch::deptree::Prepared::of(&s.tokens) {
            let arena = dyad_petrarch::coder::TreeArena::new();
            let t = prepared.tree(&arena);
            println!("{t:?}");
            if let Some(c) = &coder {
                println!("sees:  {}", c.describe(&t, None, &opts));
                for e in c.code_tokens_detailed(&s.tokens, None, &opts) {
                    println!("event: {e:?}");
                }
            }
        }
    }
    Ok(())
}
