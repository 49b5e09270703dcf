//! The integration tests, as one test binary: each module was once a
//! binary of its own. One binary links iced, axum and SQLite once, not
//! seventeen times. Run one module with `cargo test --test it kiosk_ui::`.
//!
//! The tests share a process and run on parallel threads: none sets an
//! environment variable of its own process or a global logger; a test that
//! needs its own process runs itself again alone
//! (`motcua_testkit::run_alone`). Their shared helpers are in
//! `crates/motcua-testkit`, which the benches use too.

mod board_ui;
mod central_api;
mod city;
mod counter_scan;
mod counter_ui;
mod crash;
mod deploy;
mod documents;
mod evaluation;
mod events;
mod failover;
mod kiosk_access;
mod kiosk_ui;
mod one_machine;
mod packaging;
mod pictograms;
mod portal;
mod qr_decode;
mod receipt_docs;
mod receipt_keys;
mod replace;
mod reports;
mod scan;
mod simulate;
mod speech;
mod startup;
mod sync;
mod tls;
