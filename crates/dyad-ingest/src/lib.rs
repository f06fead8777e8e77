//! dyad-ingest
