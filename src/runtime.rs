//! The event loop (stub while the loop is written).
