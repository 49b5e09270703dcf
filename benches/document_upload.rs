//! Scanned documents uploaded to a real central over loopback from 4
//! counters at once, each draining its own outbox: every file announced,
//! sent in chunks, hashed and stored by central, durable. Gives the
//! throughput in MB/s and documents/s, and the time per document.
//!
//! Run with `cargo bench --bench document_upload`.

use std::time::{Duration, Instant};

use motcua::store::NewDocument;
use motcua::sync::Step;
use motcua_api::model::Role;
use motcua_testkit as kit;

const COUNTERS: usize = 4;
const DOSSIERS: usize = 10;
/// Documents per dossier, and the size of each: five grey A4 pages at
/// about 300 kB, what the counter's encoder makes of a 300 dpi scan.
const PER_DOSSIER: usize = 3;
const SIZE: usize = 1_500_000;

fn document(seed: u64) -> NewDocument {
    kit::scanned_document(&format!("Tài liệu {seed}"), SIZE, seed, jiff::Timestamp::now())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let counters: Vec<kit::Kiosk> = (0..COUNTERS)
        .map(|_| {
            kit::kiosk(
                &central.url(),
                kit::enroll(&central, dir.path(), kit::OFFICE, Role::Counter),
                Duration::from_secs(10),
            )
        })
        .collect();
    for (c, k) in counters.iter().enumerate() {
        let mut store = k.store.lock().unwrap();
        for d in 0..DOSSIERS {
            let code = format!("{}-261128-{}{:03}", kit::OFFICE, c + 1, d);
            let docs: Vec<NewDocument> = (0..PER_DOSSIER)
                .map(|i| document((c * 10_000 + d * 10 + i) as u64))
                .collect();
            store
                .take_in_with(&code, &kit::dossier_json(), 2, jiff::Timestamp::now(), &docs, None)
                .unwrap();
        }
    }
    let start = Instant::now();
    std::thread::scope(|s| {
        for k in &counters {
            s.spawn(move || assert_eq!(k.link.block_on(k.link.drain()), Step::Empty));
        }
    });
    let elapsed = start.elapsed();
    let files = COUNTERS * DOSSIERS * PER_DOSSIER;
    let bytes = (files * SIZE) as f64;
    println!(
        "document upload, {COUNTERS} counters over loopback: {files} files of {:.1} MB in {:.2} s = {:.1} MB/s, {:.1} documents/s, {:.0} ms per document per counter",
        SIZE as f64 / 1e6,
        elapsed.as_secs_f64(),
        bytes / 1e6 / elapsed.as_secs_f64(),
        files as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / (DOSSIERS * PER_DOSSIER) as f64,
    );
    drop(central);
}
