//! Tap-to-ticket: from the "take ticket" message to the ticket view built,
//! with the durable commit (WAL, synchronous=FULL, on disk) and the QR code
//! included. Prints p50, p99 and max over 1,000 tickets.
//!
//! Run with `cargo bench --bench tap_to_ticket`.

use std::time::{Duration, Instant};

use motcua::branding::Brand;
use motcua::config::Config;
use motcua::domain::catalog::Catalog;
use motcua::domain::queue::Lane;
use motcua::setup::Ready;
use motcua::store::Store;
use motcua::ui::app::{Kiosk, Message, PORTRAIT, Screen};

const TICKETS: usize = 1000;

fn main() {
    // Benchmarks run from the package root; keep the database on the same
    // disk as a real data directory would be, not in tmpfs.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let catalog = Catalog::demo();
    let ready = Ready::new(catalog, store, dir.path().to_path_buf());
    let mut kiosk = Kiosk::new(
        ready,
        &Config::default(),
        Brand::builtin(),
        None,
        jiff::Timestamp::now(),
        Instant::now(),
    );
    kiosk.viewport = PORTRAIT;

    let mut times: Vec<Duration> = Vec::with_capacity(TICKETS);
    for i in 0..TICKETS + 50 {
        kiosk.screen = Screen::Lane {
            group: ["A", "B", "C", "D"][i % 4].into(),
            procedure: None,
            issuing: false,
            failed: false,
        };
        let lane = if i % 5 == 0 { Lane::Priority } else { Lane::Normal };
        let start = Instant::now();
        let effect = kiosk.update(Message::TakeTicket(lane));
        let issued = kiosk.run_now(effect).expect("an issue effect answers");
        kiosk.update(issued);
        let view = kiosk.view();
        let elapsed = start.elapsed();
        std::hint::black_box(view);
        assert!(matches!(kiosk.screen, Screen::Ticket(_)), "ticket {i} was not issued");
        // The first 50 warm the caches and are not counted.
        if i >= 50 {
            times.push(elapsed);
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).min(times.len()) - 1];
    println!(
        "tap_to_ticket ({TICKETS} tickets, durable): p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
}
