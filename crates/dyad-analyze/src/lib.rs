//! dyad-analyze
