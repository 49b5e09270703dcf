//! The domain of the one-stop-shop, with no I/O: the catalog and its one
//! `validate`, search, queue rules, the working calendar and time, citizen
//! inputs, the idle rules, backoff, ids, the injectable clock, the
//! configuration's text, the signed receipt's text (made and checked,
//! with no key storage) and the VietQR text of a fee. Nothing
//! here knows of iced, SQLite or HTTP; the device side (the `motcua`
//! package) and the server (`motcua-central`) both build on it.

pub mod backoff;
pub mod calendar;
pub mod catalog;
pub mod citizen;
pub mod clock;
pub mod config;
pub mod dossier;
pub mod forms;
pub mod i18n;
pub mod idle;
pub mod ids;
pub mod net;
pub mod queue;
pub mod reach;
pub mod receipt;
pub mod scanner;
pub mod search;
pub mod time;
pub mod tomlcheck;
pub mod vietnamese;
pub mod vietqr;
