//! Stable document identifiers: re-ingesting the same story must give the same id.

use sha2::{Digest, Sha256};

/// Id derived from a source-given identifier (a JSONL `id`, a PETRARCH record id,
/// an RSS `guid`), namespaced so ids from different sources cannot collide with
/// content hashes.
pub fn stable_id(source_id: &str) -> String {
    format!("src-{}", short_hash(source_id.as_bytes()))
}

/// Id derived from the document's text when the source gives none.
pub fn content_id(text: &str) -> String {
    format!("txt-{}", short_hash(text.as_bytes()))
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_namespaced() {
        assert_eq!(content_id("abc"), content_id("abc"));
        assert_ne!(content_id("abc"), content_id("abd"));
        assert!(stable_id("x").starts_with("src-"));
        assert_eq!(content_id("abc").len(), 4 + 16);
    }
}
