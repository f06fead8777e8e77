//! dyad-geo
