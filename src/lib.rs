//! motcua: kiosk, counter and hall display for the modern one-stop-shop
//! ("Bộ phận Một cửa") of a Vietnamese city.
//!
//! The domain (catalog, search, queue rules, time) knows nothing of the
//! GUI; the store keeps tickets durable; the `ui` module is the iced
//! interface on top.

pub mod atomic_file;
pub mod branding;
pub mod config;
pub mod counter;
pub mod doctor;
// The strings a person reads live with the domain, which describes its
// errors in them; the device side uses them from here.
pub use motcua_core::i18n;
pub mod local_central;
pub mod print;
pub mod receipt;
pub mod retention;
pub mod runtime;
pub mod secret_file;
pub mod service;
pub mod setup;
pub mod simulate;
pub mod store;
pub mod sync;
pub mod ui;
pub mod voice;
