//! Working days (placeholder: being written).
