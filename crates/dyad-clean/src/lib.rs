//! dyad-clean
