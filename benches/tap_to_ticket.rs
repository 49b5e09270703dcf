//! Tap-to-ticket: from the "take ticket" message to the ticket view built,
//! durable commit and QR code included. Prints p50, p99 and max over 1,000
//! tickets, for a kiosk standing alone (its own SQLite commit), the same
//! for a citizen with speech, the keypad and twice the text, and for a
//! kiosk linked to central on loopback (central's commit, then the
//! kiosk's record of it).
//!
//! Run with `cargo bench --bench tap_to_ticket`.

use std::time::{Duration, Instant};

use motcua::branding::Brand;
use motcua::config::Config;
use motcua::setup::Ready;
use motcua::store::Store;
use motcua::sync::{Client, Link};
use motcua::ui::app::{Kiosk, LaneView, Message, PORTRAIT, Screen};
use motcua::ui::screen::lane;
use motcua_core::catalog::Catalog;
use motcua_core::queue::Lane;
use motcua_testkit::{self as kit, bench::Percentiles};

const TICKETS: usize = 1000;

fn measure(name: &str, mut kiosk: Kiosk) {
    kiosk.viewport = PORTRAIT;
    let mut times: Vec<Duration> = Vec::with_capacity(TICKETS);
    for i in 0..TICKETS + 50 {
        kiosk.screen = Screen::Lane(LaneView::new(["A", "B", "C", "D"][i % 4].into(), None));
        let lane = if i % 5 == 0 { Lane::Priority } else { Lane::Normal };
        let start = Instant::now();
        let effect = kiosk.update(Message::Lane(lane::Message::Take(lane)));
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
    let times = Percentiles::new(times);
    println!(
        "tap_to_ticket {name} ({TICKETS} tickets, durable): p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        times.ms(0.50),
        times.ms(0.99),
        times.ms(1.0),
    );
}

/// A kiosk on the demo catalog with its store in `dir`, linked to central
/// at `url` with `(device, credential)` when given.
fn kiosk(dir: &std::path::Path, central: Option<(&str, motcua_api::model::Device, String)>) -> Kiosk {
    let mut ready = Ready::new(Catalog::demo(), Store::open(dir).unwrap(), dir.to_path_buf());
    if let Some((url, device, credential)) = central {
        let client = Client::new(url, &credential, Duration::from_secs(3));
        ready.link = Some(Link::new(client, ready.store.clone(), (&device).into()));
    }
    Kiosk::new(
        ready,
        &Config::default(),
        Brand::builtin(),
        None,
        jiff::Timestamp::now(),
        Instant::now(),
    )
}

fn main() {
    // Keep the databases on the disk a real data directory would use.
    let tmp = env!("CARGO_TARGET_TMPDIR");

    let dir = tempfile::tempdir_in(tmp).unwrap();
    measure("standalone", kiosk(dir.path(), None));

    // A citizen with speech, the keypad and twice the text: every message
    // also works out what the screen says and where the focus is.
    let dir = tempfile::tempdir_in(tmp).unwrap();
    let mut k = kiosk(dir.path(), None);
    k.access = motcua::ui::access::Access {
        text: motcua::ui::access::TextSize::Larger,
        contrast: false,
        speech: true,
        keys: true,
    };
    measure("standalone, speech, keys and 2x text", k);

    let cdir = tempfile::tempdir_in(tmp).unwrap();
    let central = kit::start_central(cdir.path());
    let (device, credential) = kit::enroll_direct(cdir.path(), motcua_api::model::Role::Kiosk, "bench");
    let dir = tempfile::tempdir_in(tmp).unwrap();
    measure(
        "linked to central",
        kiosk(dir.path(), Some((&central.url(), device, credential))),
    );
}
