//! Citizen identity inputs (placeholder: being written).
