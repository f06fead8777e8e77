//! dyad-tokenize
