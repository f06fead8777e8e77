//! dyad-store
