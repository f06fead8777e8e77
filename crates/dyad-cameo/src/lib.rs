//! dyad-cameo
