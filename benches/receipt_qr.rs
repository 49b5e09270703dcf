//! Sign, encode and render the receipt QR: Ed25519 signature, Base45 text,
//! the QR code at level Q, and its modules drawn into a thermal raster.
//! Prints p50 and p99 over 2,000 receipts.
//!
//! Run with `cargo bench --bench receipt_qr`.

use std::time::{Duration, Instant};

use motcua::print::{Canvas, THERMAL_WIDTH};
use motcua::receipt::{Payload, keys::Signer, new_secret};
use motcua_testkit::bench::Percentiles;

fn main() {
    let signer = Signer::generate("000.00.01.H26", 1);
    let key = signer.key().unwrap();
    let mut times: Vec<Duration> = Vec::new();
    for i in 0..2100u32 {
        let payload = Payload {
            key_id: 1,
            office: "000.00.01.H26".into(),
            dossier_code: format!("000.00.01.H26-261128-{:04}", i % 10_000),
            procedure: "1.001193".into(),
            received: jiff::Timestamp::from_second(1_795_000_000 + i64::from(i)).unwrap(),
            appointment: jiff::civil::date(2026, 12, 3),
            secret: new_secret(),
        };
        let start = Instant::now();
        let text = payload.sign(&key).unwrap();
        let code = motcua::receipt::qr(&text).unwrap();
        let mut canvas = Canvas::new(THERMAL_WIDTH, 12);
        canvas.qr(&code, 4);
        let raster = canvas.into_raster();
        let elapsed = start.elapsed();
        std::hint::black_box(raster);
        if i >= 100 {
            times.push(elapsed);
        }
    }
    let times = Percentiles::new(times);
    println!(
        "receipt_qr (sign + Base45 + QR level Q + raster, {} receipts): p50 {:.3} ms  p99 {:.3} ms",
        times.len(),
        times.ms(0.5),
        times.ms(0.99)
    );
}
