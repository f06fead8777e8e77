//! Embed the trained models from `models/` when they exist. A build without
//! them still succeeds: `Analyzer::load_default` then reports which file is
//! missing and how to rebuild it.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let models = manifest.join("../../models");
    println!("cargo:rerun-if-changed={}", models.display());
    let mut code = String::new();
    for (name, file) in [
        ("TAGGER", "tagger.bin"),
        ("LEMMATIZER", "lemmatizer.bin"),
        ("PARSER", "parser.bin"),
        ("BIAFFINE", "biaffine.bin"),
    ] {
        let path = models.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_file() {
            let abs = path.canonicalize().unwrap_or(path);
            code.push_str(&format!(
                "pub static {name}: &[u8] = include_bytes!({:?});\n",
                abs.display().to_string()
            ));
        } else {
            code.push_str(&format!("pub static {name}: &[u8] = &[];\n"));
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    if let Err(e) = std::fs::write(out.join("embedded.rs"), code) {
        panic!("cannot write embedded.rs: {e}");
    }
}
