//! Print segmentation errors on a CoNLL-U file: `cargo run --example segment_errors -- FILE [tokens|sentences]`.

use std::collections::HashSet;
use std::path::Path;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let file = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu");
    let what = args.get(2).map(String::as_str).unwrap_or("tokens");
    let g = dyad_tokenize::eval::read_gold(Path::new(file))?;
    let sents = dyad_tokenize::segment(&g.text);
    let ctx = |s: usize, e: usize| {
        let mut a = s.saturating_sub(30);
        while !g.text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (e + 30).min(g.text.len());
        while !g.text.is_char_boundary(b) {
            b += 1;
        }
        format!("{}[[{}]]{}", &g.text[a..s], &g.text[s..e], &g.text[e..b]).replace('\n', "¶")
    };
    if what == "tokens" {
        let pred: HashSet<(usize, usize)> = sents
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| (t.start, t.end)))
            .collect();
        let gold: HashSet<(usize, usize)> = g.words.iter().copied().collect();
        let mut missed: Vec<_> = g.words.iter().filter(|w| !pred.contains(w)).collect();
        missed.sort();
        for &(s, e) in missed {
            println!("MISS {}", ctx(s, e));
        }
        let mut extra: Vec<_> = pred.iter().filter(|w| !gold.contains(w)).collect();
        extra.sort();
        for &(s, e) in extra {
            println!("EXTRA {}", ctx(s, e));
        }
    } else {
        let gold_ends: HashSet<usize> = g.sentences.iter().map(|s| s.1).collect();
        let pred_ends: HashSet<usize> = sents.iter().map(|s| s.end).collect();
        let mut fn_: Vec<_> = gold_ends.difference(&pred_ends).copied().collect();
        fn_.sort();
        for e in fn_ {
            println!("MISSED-END {}", ctx(e, e));
        }
        let mut fp: Vec<_> = pred_ends.difference(&gold_ends).copied().collect();
        fp.sort();
        for e in fp {
            println!("FALSE-END {}", ctx(e, e));
        }
    }
    Ok(())
}
