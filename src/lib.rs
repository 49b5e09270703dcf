//! motcua: kiosk, counter and hall display for the modern one-stop-shop
//! ("Bộ phận Một cửa") of a Vietnamese city.
//!
//! This package is the device side (kiosk, counter, board: the iced
//! screens in `ui`, the local store, the sync link, printing, receipts,
//! voice) and the command line (`cli`). The domain lives in `motcua-core`,
//! the wire contract in `motcua-api`, the server in `motcua-central`; the
//! server never imports this package.

pub mod atomic_file;
pub mod branding;
pub mod config;
pub mod counter;
pub mod doctor;
pub mod fonts;
// The strings a person reads live with the domain, which describes its
// errors in them; the device side uses them from here.
pub use motcua_core::i18n;
pub mod local_central;
pub mod print;
pub mod receipt;
pub mod retention;
pub mod runtime;
pub mod scan;
pub mod secret_file;
pub mod service;
pub mod setup;
pub mod simulate;
pub mod speech;
pub mod store;
pub mod sync;
pub mod ui;
pub mod voice;
