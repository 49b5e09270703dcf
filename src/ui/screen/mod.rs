//! The kiosk's screens, one file each.

pub mod admin;
pub mod detail;
pub mod fault;
pub mod fields;
pub mod groups;
pub mod idle;
pub mod keyboard;
pub mod lane;
pub mod lookup;
pub mod rate;
pub mod search;
pub mod ticket;
pub mod welcome;
