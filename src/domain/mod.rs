//! Pure types and rules of the one-stop-shop: catalog, search, queue,
//! time. Nothing here knows of iced, SQLite or HTTP.

pub mod calendar;
pub mod catalog;
pub mod citizen;
pub mod idle;
pub mod queue;
pub mod search;
pub mod time;
